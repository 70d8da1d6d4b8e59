"""The city briefing workbook, for the budget office and the administrator (/city/briefing.xlsx).

The whole city's workbook takes seconds (README, "The city briefing"), so it is built by the job queue
(reports.jobs): this address checks the parameters, refusing bad ones at once (400 with the reason, no job
made), starts the job and sends the person to its page, which offers the file when it is done."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from budget.selectors.periods import published_year_latest
from civicbureau.entry import EARLIEST_ENTRY_YEAR, latest_entry_date, plausible_year
from jobs.services import job_start
from reports.city import city_briefing_check
from reports.jobs import CITY_BRIEFING, city_briefing_params
from reports.rows import BriefingError
from staffing.middleware import city_url
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
        city_briefing_check(fiscal_year=year, as_of=as_of)
    except (ValueError, BriefingError) as exc:
        return render(request, "reports/briefing_error.html", {"message": str(exc)}, status=400)
    job = job_start(request.user, CITY_BRIEFING, city_briefing_params(fiscal_year=year, as_of=as_of))
    return redirect(city_url(reverse("jobs:job", args=[job.pk])))
