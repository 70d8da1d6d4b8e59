"""python manage.py send_reminders [--dry-run]: mail each person what 내 할 일 shows them (worklist.services)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from worklist import services


class Command(BaseCommand):
    help = (
        "Mails each person with a membership and an email address what is due, late or waiting for them "
        "(their 내 할 일), each item at most once a day. Run it from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        if dry_run:
            reminders = services.reminders_due(today=today)
            for reminder in reminders:
                self.stdout.write(f"{reminder.message.to[0]} [{reminder.language}] {reminder.message.subject}")
                for key in reminder.keys:
                    self.stdout.write(f"  {key}")
            self.stdout.write(
                f"dry run: {len(reminders)} reminder(s) would be sent on {today}; nothing was sent or recorded"
            )
            return
        try:
            sent = services.reminders_send(today=today)
        except services.ReminderDeliveryError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(sent)} reminder(s) sent on {today} ({sum(len(r.keys) for r in sent)} items)")
