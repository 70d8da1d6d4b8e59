import datetime

from django.core.management.base import BaseCommand, CommandError

from budget.selectors.execution import execution_latest_date, fiscal_year_latest
from civicbureau import display
from programs.selectors.consistency import consistency_disagreement_list
from staffing.selectors import bureau_default


class Command(BaseCommand):
    help = "List every place where two tables of the report disagree on a base figure (table, row, both values)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="fiscal year (default: the latest)")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="as-of date YYYY-MM-DD (default: the latest)"
        )

    def handle(self, *args, year=None, as_of=None, **options):
        bureau = bureau_default()
        if bureau is None:
            raise CommandError("No bureau in the database: run load_demo first.")
        year = year or fiscal_year_latest(bureau=bureau)
        as_of = as_of or execution_latest_date(bureau=bureau, fiscal_year=year)
        if as_of is None:
            raise CommandError(f"No execution figures for {year}.")
        issues = consistency_disagreement_list(bureau=bureau, fiscal_year=year, as_of=as_of)
        self.stdout.write(f"{bureau.name}, {year}, as of {as_of}: {len(issues)} disagreement(s) (thousand won)")
        for issue in issues:
            self.stdout.write(
                f"- {issue.table} | {issue.row} | {issue.field}: {display.amount(issue.value)}"
                f" ≠ {issue.other_table}: {display.amount(issue.other_value)}"
            )
