import datetime

from django.core.management.base import BaseCommand, CommandError

from budget.selectors.execution import fiscal_year_latest
from civicbureau import display
from programs.selectors.consistency import consistency_check
from staffing.commands import add_bureau_argument, bureau_argument


class Command(BaseCommand):
    help = (
        "List every place where two tables of the report disagree on a base figure (table, row, both values), "
        "for a reporting period: by default the latest published one, compared with its edition; an unpublished "
        "period is compared with the latest internal figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="fiscal year (default: the year of --as-of, else the latest)")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="the period's date YYYY-MM-DD (default: the latest published period)",
        )
        add_bureau_argument(parser)

    def handle(self, *args, year=None, as_of=None, bureau=None, **options):
        bureau = bureau_argument(bureau)
        year = year or (as_of.year if as_of else fiscal_year_latest(bureau=bureau))
        if year is None:
            raise CommandError(f"{bureau.name} has no budget lines.")
        check = consistency_check(bureau=bureau, fiscal_year=year, as_of=as_of)
        if check.as_of is None:
            raise CommandError(f"{bureau.name}: no period of {year} is published; choose one with --as-of.")
        if not check.has_figures:
            raise CommandError(
                f"{bureau.name}: no figures to compare for the period {check.as_of} of {year} "
                "(no execution figures or no program section rows at or before it)."
            )
        if check.publication:
            against = f"edition {check.publication.edition} ({display.edition_line(check.publication)})"
        else:
            against = "미공표 (not published): the latest internal figures, drafts included"
        self.stdout.write(
            f"{bureau.name}, {year}, period {check.as_of}, {against}; program sections as of {check.program_as_of}: "
            f"{len(check.issues)} disagreement(s) (thousand won)"
        )
        for issue in check.issues:
            self.stdout.write(
                f"- {issue.table} | {issue.row} | {issue.field}: {display.amount(issue.value)}"
                f" ≠ {issue.other_table}: {display.amount(issue.other_value)}"
            )
