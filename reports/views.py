"""The council briefing workbook, for directors and planning staff."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from budget.selectors import execution
from civicbureau import open_data
from civicbureau.entry import EARLIEST_ENTRY_YEAR, latest_entry_date, plausible_year
from reports.rows import BriefingError, briefing_build
from reports.writer import briefing_workbook
from staffing.permissions import can_export_briefing
from staffing.selectors import internal_bureau


@login_required
def briefing_export(request):
    """The council briefing workbook of a published period: ?year=2022&as_of=2022-07-01 (the latest period
    published at or before the date; default: the year's latest). With &preview=1, the period as_of as it
    stands, published or not, every sheet marked 미확정. A bureau's people download their own bureau's
    (/b/<slug>/briefing.xlsx of another bureau is refused); the budget office and the administrator any."""
    bureau = internal_bureau(request)
    if not can_export_briefing(request.user, bureau):
        raise PermissionDenied
    asked = request.GET.get("year")
    year = plausible_year(asked) if asked else execution.fiscal_year_latest(bureau=bureau)
    if year is None:  # not a year the portal holds, or no figures yet
        message = _("아직 자료가 없습니다.")
        if asked:
            last = latest_entry_date().year
            message = _("회계연도는 %(first)s년부터 %(last)s년까지입니다.") % {
                "first": EARLIEST_ENTRY_YEAR,
                "last": last,
            }
        return render(request, "reports/briefing_error.html", {"message": message}, status=400)
    try:
        as_of_text = request.GET.get("as_of")
        as_of = datetime.date.fromisoformat(as_of_text) if as_of_text else None
        preview = request.GET.get("preview") == "1"
        # the council's workbook is Korean, as the report is, whichever language the page was read in
        with translation.override("ko"):
            briefing = briefing_build(bureau=bureau, fiscal_year=year, as_of=as_of, preview=preview)
            workbook = briefing_workbook(briefing)
    except (ValueError, BriefingError) as exc:
        return render(request, "reports/briefing_error.html", {"message": str(exc)}, status=400)
    return HttpResponse(
        workbook,
        content_type=open_data.XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=briefing.filename)},
    )
