from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicbureau.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the whole database (pg_dump -Fc on PostgreSQL, the backup API on SQLite) to a file."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path)

    def handle(self, *args, output, **options):
        try:
            database_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Backed up to {output} ({output.stat().st_size:,} bytes).")
