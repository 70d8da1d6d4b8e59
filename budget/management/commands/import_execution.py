from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from budget.importers.monthly import execution_import


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
        try:
            person = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {user!r}.") from None
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None
        try:
            result = execution_import(
                user=person, content=content, filename=file.name, dry_run=dry_run, confirmed=confirm
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(result.problems)} problem(s) in {file.name}.")
        for caution in result.cautions:
            self.stderr.write(f"{caution} [--confirm {caution.key}]")
        if result.cautions and not dry_run and not result.applied:
            raise CommandError(
                f"Nothing was imported: {len(result.cautions)} caution(s) to confirm with --confirm KEY (each listed)."
            )
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
