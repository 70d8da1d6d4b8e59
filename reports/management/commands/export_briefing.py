import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.city import city_briefing_build
from reports.rows import BriefingError, briefing_build
from reports.writer import briefing_workbook
from staffing.commands import add_bureau_argument, bureau_argument


class Command(BaseCommand):
    help = (
        "Write the council briefing (the report's tables as a print-ready xlsx) of the latest reporting period "
        "published at or before a date; with --preview, of the period at that date as it stands (marked 미확정)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="fiscal year, e.g. 2022")
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: the latest)")
        parser.add_argument("--output", type=Path, required=True, help="the .xlsx file to write")
        add_bureau_argument(parser)
        parser.add_argument(
            "--preview", action="store_true", help="the period --as-of as it stands, published or not (미확정)"
        )
        parser.add_argument(
            "--city",
            action="store_true",
            help="the city briefing: every bureau's latest period published at or before --as-of, one sheet each",
        )

    def handle(self, *args, year, as_of, output, bureau=None, preview=False, city=False, **options):
        if city:
            self._city(year, as_of, output, bureau=bureau, preview=preview)
            return
        bureau_obj = bureau_argument(bureau)
        if preview and as_of is None:
            raise CommandError("--preview needs --as-of (the period to preview).")
        try:
            briefing = briefing_build(bureau=bureau_obj, fiscal_year=year, as_of=as_of, preview=preview)
        except BriefingError as exc:
            raise CommandError(str(exc)) from None
        output.write_bytes(briefing_workbook(briefing))
        if briefing.publication:
            period = f"period {briefing.as_of}, edition {briefing.publication.edition}"
        else:
            period = f"period {briefing.as_of}, PREVIEW (미확정: not published)"
        self.stdout.write(f"{output}: {len(briefing.sheets)} sheets, {period}.")

    def _city(self, year, as_of, output, *, bureau, preview):
        if bureau or preview:
            raise CommandError("--city takes the whole city's published figures: no --bureau, no --preview.")
        try:
            briefing = city_briefing_build(fiscal_year=year, as_of=as_of)
        except BriefingError as exc:
            raise CommandError(str(exc)) from None
        output.write_bytes(briefing_workbook(briefing))
        published = sum(1 for row in briefing.rows if row.publication)
        self.stdout.write(
            f"{output}: {len(briefing.sheets)} sheets, the city as of {briefing.as_of}: "
            f"{published} of {len(briefing.rows)} bureaus published."
        )
