"""The city briefing workbook, for the budget office and the administrator (/city/briefing.xlsx)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from budget.selectors.periods import published_year_latest
from civicbureau import open_data
from civicbureau.entry import EARLIEST_ENTRY_YEAR, latest_entry_date, plausible_year
from reports.city import city_briefing_build
from reports.rows import BriefingError
from reports.writer import briefing_workbook
from staffing.permissions import can_export_city_briefing


@login_required
def city_briefing_export(request):
    """?year=2022&as_of=2022-07-01: each bureau's latest period of the year published at or before the date
    (default: the year's latest), summed for the city, then one sheet a bureau. Default year: the latest any
    bureau published."""
    if not can_export_city_briefing(request.user):
        raise PermissionDenied
    asked = request.GET.get("year")
    year = plausible_year(asked) if asked else published_year_latest()
    if year is None:
        message = _("아직 자료가 없습니다.")
        if asked:
            message = _("회계연도는 %(first)s년부터 %(last)s년까지입니다.") % {
                "first": EARLIEST_ENTRY_YEAR,
                "last": latest_entry_date().year,
            }
        return render(request, "reports/briefing_error.html", {"message": message}, status=400)
    try:
        as_of_text = request.GET.get("as_of")
        as_of = datetime.date.fromisoformat(as_of_text) if as_of_text else None
        # Synchronous for now: the whole city's workbook is built within the request (the benchmark's city of
        # 30 bureaus takes seconds, README). The job queue of a later issue would take it from here: queue the
        # build, keep the file, and let this address offer it when ready.
        with translation.override("ko"):  # the workbook is Korean, as the bureaus' briefings are
            briefing = city_briefing_build(fiscal_year=year, as_of=as_of)
            workbook = briefing_workbook(briefing)
    except (ValueError, BriefingError) as exc:
        return render(request, "reports/briefing_error.html", {"message": str(exc)}, status=400)
    return HttpResponse(
        workbook,
        content_type=open_data.XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=briefing.filename)},
    )
