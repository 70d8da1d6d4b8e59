import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.rows import BriefingError, briefing_build
from reports.writer import briefing_workbook
from staffing.models import Bureau
from staffing.selectors import bureau_default


class Command(BaseCommand):
    help = "Write the council briefing (the report's tables as a print-ready xlsx) with the latest figures at or before a date."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="fiscal year, e.g. 2022")
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", type=Path, required=True, help="the .xlsx file to write")
        parser.add_argument("--bureau", help="bureau name (default: the portal's bureau)")

    def handle(self, *args, year, as_of, output, bureau=None, **options):
        bureau_obj = Bureau.objects.filter(name=bureau).first() if bureau else bureau_default()
        if bureau_obj is None:
            raise CommandError(
                f"No bureau {bureau!r}." if bureau else "No bureau in the database: run load_demo first."
            )
        try:
            briefing = briefing_build(bureau=bureau_obj, fiscal_year=year, as_of=as_of)
        except BriefingError as exc:
            raise CommandError(str(exc)) from None
        output.write_bytes(briefing_workbook(briefing))
        self.stdout.write(f"{output}: {len(briefing.sheets)} sheets, figures as of {briefing.as_of}.")
