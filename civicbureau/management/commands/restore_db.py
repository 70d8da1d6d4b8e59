from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicbureau.backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace the database with a backup made by backup_db (pg_restore --single-transaction on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)

    def handle(self, *args, source, **options):
        try:
            database_restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored from {source}.")
