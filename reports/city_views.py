"""The city briefing workbook, for the budget office and the administrator (/city/briefing/).

The whole city's workbook takes seconds (README, "The city briefing"), so it is built by the job queue
(reports.jobs): the page asks for the year and the date; its POST checks them, refusing bad ones at once (400
with the reason, no job made), starts the job and sends the person to its page, which offers the file when it
is done. Starting a job writes, so it is a POST (with its CSRF token), never a link."""

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
    """year, as_of (optional): each bureau's latest period of the year published at or before the date (default:
    the year's latest), summed for the city, then one sheet a bureau. Default year: the latest any bureau
    published."""
    if not can_export_city_briefing(request.user):
        raise PermissionDenied
    latest = published_year_latest()
    if request.method != "POST":
        asked = {"year": request.GET.get("year") or latest or "", "as_of": request.GET.get("as_of", "")}
        return render(request, "reports/city_briefing.html", {"asked": asked, "latest": latest})
    asked = {"year": request.POST.get("year", ""), "as_of": request.POST.get("as_of", "")}
    year = plausible_year(asked["year"]) if asked["year"] else latest
    try:
        if year is None:
            if asked["year"]:
                raise ValueError(
                    _("회계연도는 %(first)s년부터 %(last)s년까지입니다.")
                    % {"first": EARLIEST_ENTRY_YEAR, "last": latest_entry_date().year}
                )
            raise ValueError(_("아직 자료가 없습니다."))
        as_of = datetime.date.fromisoformat(asked["as_of"]) if asked["as_of"] else None
        city_briefing_check(fiscal_year=year, as_of=as_of)
    except (ValueError, BriefingError) as exc:
        context = {"asked": asked, "latest": latest, "message": str(exc)}
        return render(request, "reports/city_briefing.html", context, status=400)
    job = job_start(request.user, CITY_BRIEFING, city_briefing_params(fiscal_year=year, as_of=as_of))
    return redirect(city_url(reverse("jobs:job", args=[job.pk])))
