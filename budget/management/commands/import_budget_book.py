from pathlib import Path

from django.core.management.base import BaseCommand

from budget.importers.budget_book import budget_book_import
from civicbureau.management.imports import file_read, refuse_problems


class Command(BaseCommand):
    help = (
        "Create or update bureaus, divisions, teams and budget lines from a budget book (xlsx or csv with the "
        "columns 국, 과, 팀, 세부사업 코드, 세부사업명, 회계연도, 당초예산(원), optionally 국 주소): all rows or none. "
        "The history records no user and the reason 'import'."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and count the changes, write nothing")

    def handle(self, *args, file, dry_run, verbosity=1, **options):
        result = budget_book_import(content=file_read(file), filename=file.name, user=None, dry_run=dry_run)
        refuse_problems(self, result, file.name)
        if verbosity > 1:
            for change in result.changes:
                verb = "create" if change.created else "update"
                self.stdout.write(f"row {change.row}: {verb} {change.kind} {change.name} {change.detail}".rstrip())
        for kind, tally in result.tallies.items():
            self.stdout.write(f"{kind}: {tally.created} created, {tally.updated} updated, {tally.unchanged} unchanged")
        self.stdout.write(
            f"{file.name}: {result.rows} rows read, {result.changed_count} records "
            + ("would change (dry run: nothing written)." if dry_run else "changed.")
        )
