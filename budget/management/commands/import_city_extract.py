import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from budget.importers.city_extract import city_extract_import
from civicbureau.management.imports import file_read, person_read, refuse_problems, refuse_unconfirmed


class Command(BaseCommand):
    help = (
        "Import the city finance system's extract (xlsx or csv: every bureau's cumulative figures at one month end) "
        "as each division's month in draft, as USERNAME (the budget office or the administrator): all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-of", required=True, type=datetime.date.fromisoformat, help="the month end, YYYY-MM-DD"
        )
        parser.add_argument(
            "--user", required=True, help="the person importing: the budget office or the administrator"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and show what would change, write nothing")
        parser.add_argument(
            "--confirm",
            action="append",
            default=[],
            metavar="KEY",
            help="confirm a caution by its key (CODE:RULE:FIELD, as a dry run lists them); repeat for each",
        )

    def handle(self, *args, file, as_of, user, dry_run, confirm=(), **options):
        person, content = person_read(user), file_read(file)
        try:
            result = city_extract_import(
                user=person, content=content, filename=file.name, as_of=as_of, dry_run=dry_run, confirmed=confirm
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        plan = result.plan
        if plan is not None:
            for item in plan.divisions:
                if item.rows or item.missing_lines:
                    self.stdout.write(
                        f"{item.division.bureau.name} {item.division.name} [{item.status}]: {item.rows} rows, "
                        f"{len(item.to_save)} changed, {len(item.missing_lines)} lines not in the file, "
                        f"{len(item.cautions)} cautions"
                    )
            for row in plan.unknown_codes:
                self.stdout.write(
                    f"{row.where} {row.code}: no budget line of {as_of.year} has this code (not imported)"
                )
        refuse_problems(self, result, file.name)
        refuse_unconfirmed(self, result, dry_run=dry_run)
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"as of {as_of}: {result.rows_read} rows read, {plan.changed_count} {verb}, "
            f"{plan.missing_count} lines not in the file, {len(plan.unknown_codes)} rows of no line"
            + (" (dry run: nothing written)." if dry_run else ".")
        )
