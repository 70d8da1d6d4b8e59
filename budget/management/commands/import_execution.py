from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from budget.importers.monthly import execution_import
from civicbureau.management.imports import file_read, person_read, refuse_problems, refuse_unconfirmed


class Command(BaseCommand):
    help = (
        "Import a division-month's execution sheet (xlsx or csv, the portal's template) as USERNAME: all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="the person importing: staff or director of the division")
        parser.add_argument("--dry-run", action="store_true", help="check and show the changes, write nothing")
        parser.add_argument(
            "--confirm",
            action="append",
            default=[],
            metavar="KEY",
            help="confirm a caution by its key (CODE:RULE:FIELD, as a dry run lists them); repeat for each",
        )

    def handle(self, *args, file, user, dry_run, confirm=(), **options):
        person, content = person_read(user), file_read(file)
        try:
            result = execution_import(
                user=person, content=content, filename=file.name, dry_run=dry_run, confirmed=confirm
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        refuse_problems(self, result, file.name)
        refuse_unconfirmed(self, result, dry_run=dry_run)
        for row in result.rows:
            if row.changed:
                self.stdout.write(
                    f"row {row.number} {row.code}: obligations {row.old_obligations} -> {row.new_obligations}, "
                    f"disbursements {row.old_disbursements} -> {row.new_disbursements}"
                )
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"{result.division.name} as of {result.as_of}: {len(result.rows)} rows read, {result.changed_count} {verb}"
            + (" (dry run: nothing written)." if dry_run else ".")
        )
