from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.services import jobs_prune


class Command(BaseCommand):
    help = "Delete the jobs (and their files) started more than JOB_RETENTION_DAYS ago (run it daily, e.g. from cron)."

    def handle(self, *args, **options):
        deleted = jobs_prune()
        self.stdout.write(f"{deleted} jobs older than {settings.JOB_RETENTION_DAYS} days deleted")
