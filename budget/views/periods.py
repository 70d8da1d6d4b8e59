"""The planning view of reporting periods: each period of the year with every division's status and its
editions, a period's preview (what a new edition would change) and the publish action. Publishing goes
through budget.services.period_publish, which checks permission, the divisions and the edition seen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget import services
from budget.forms import PublishForm
from budget.selectors import periods
from budget.views.access import bureau_and_year
from civicbureau.entry import EntryError
from staffing.permissions import can_publish


@login_required
def period_list(request):
    """Every period of the year: each division's status, the editions, what is waiting to be published."""
    membership, bureau, year = bureau_and_year(request)
    context = {
        "bureau": bureau,
        "fiscal_year": year,
        "periods": periods.bureau_periods(bureau=bureau, fiscal_year=year),
        "divisions": periods.reporting_divisions(bureau=bureau, fiscal_year=year),
        "may_publish": can_publish(request.user, bureau),
    }
    return render(request, "budget/periods.html", context)


@login_required
def period_detail(request, as_of):
    """One period: its divisions, its editions with what each changed, and the preview of the next edition."""
    membership, bureau, _year = bureau_and_year(request)
    period = periods.bureau_period(bureau=bureau, as_of=as_of)
    if not period.divisions:
        raise Http404
    latest = period.latest
    context = {
        "period": period,
        "changes": periods.edition_changes(period),
        "editions": [(edition, periods.edition_differences(edition)) for edition in reversed(period.editions)],
        "may_publish": can_publish(request.user, bureau) and period.has_changes,
        "form": PublishForm(initial={"edition_seen": latest.edition if latest else 0, "year": as_of.year}),
    }
    return render(request, "budget/period.html", context)


@login_required
@require_POST
def period_publish(request, as_of):
    membership, bureau, _year = bureau_and_year(request)
    form = PublishForm(request.POST)
    form.is_valid()  # the service judges the values; a missing edition arrives as None
    try:
        publication = services.period_publish(
            user=request.user,
            bureau=bureau,
            as_of=as_of,
            edition_seen=form.cleaned_data.get("edition_seen"),
            reason=request.POST.get("reason", ""),
            fiscal_year=form.cleaned_data.get("year"),
        )
    except EntryError as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    else:
        messages.success(
            request,
            _("제%(edition)s판으로 공표했습니다. 공개 화면과 공개 데이터에 반영됩니다.")
            % {"edition": publication.edition},
        )
    return redirect(reverse("budget:period_detail", args=[as_of]))
