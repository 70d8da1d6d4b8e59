from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget.importers.budget_book import budget_book_import


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
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None
        result = budget_book_import(content=content, filename=file.name, user=None, dry_run=dry_run)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(result.problems)} problem(s) in {file.name}.")
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
