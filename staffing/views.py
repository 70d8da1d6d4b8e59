"""The division's headcount grid (staff page); the public organisation page is the portal's."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civicbureau import display, held
from civicbureau.entry import EntryError, formset_problems
from civicbureau.forms import VersionForm
from staffing import services
from staffing.forms import HeadcountDateForm, HeadcountRowFormSet
from staffing.models import Division, Grade, HeadcountEntry
from staffing.permissions import VIEW, can_read_named_bureau, can_view_internal, restrict
from staffing.selectors import headcount_latest_date

# -- staff page: the headcount grid (writes through staffing.services.headcount_save) -----------------


@held.holds_expired_post
@login_required
def headcount_entry(request, division):
    """A division's 정원/현원 by grade for a chosen date (?as_of=), pre-filled from the latest earlier date.
    The division enters 현원; the bureau's roles enter 정원 (staffing.services explains why)."""
    if not can_view_internal(request.user):
        raise PermissionDenied
    if not can_read_named_bureau(request):
        raise Http404
    division = get_object_or_404(restrict(Division.objects.all(), request.user, VIEW), code=division)
    date_form = HeadcountDateForm(request.GET or None)
    as_of = (
        (date_form.cleaned_data.get("as_of") if date_form.is_valid() else None)
        or headcount_latest_date(bureau=division.bureau)
        or datetime.date.today()
    )
    columns = services.headcount_columns(request.user, division)
    reference_date, reference = services.headcount_reference(division=division, as_of=as_of)
    grades = list(Grade.objects.order_by("order"))
    problems = []
    if request.method == "POST":
        if not columns:
            raise PermissionDenied
        formset, version_form = HeadcountRowFormSet(request.POST, prefix="rows"), VersionForm(request.POST)
        if formset.is_valid() and version_form.is_valid():
            rows = [
                services.HeadcountInput(grade=f["grade"], quota=f["quota"], current=f["current"])
                for f in formset.cleaned_data
            ]
            try:
                count = services.headcount_save(
                    user=request.user,
                    division=division,
                    as_of=as_of,
                    rows=rows,
                    version=version_form.cleaned_data["version"],
                )
            except EntryError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("%(division)s %(date)s 기준 인원을 저장했습니다 (%(count)s칸).")
                    % {"division": division.name, "date": display.calendar_date(as_of), "count": count},
                )
                return redirect(
                    f"{reverse('staffing:headcount_entry', args=[division.code])}?as_of={as_of.isoformat()}"
                )
        else:
            names = {g.code: g.name for g in grades}
            problems = formset_problems(
                formset, version_form, key_field="grade", row_name=lambda grade: names.get(grade, "")
            )
    else:
        typed = held.held_post_take(request)  # what was typed before the session ended, to check and save
        formset = HeadcountRowFormSet(
            typed,
            prefix="rows",
            initial=[
                {
                    "grade": g.code,
                    "quota": reference[g.pk].quota if g.pk in reference else None,
                    "current": reference[g.pk].current if g.pk in reference else None,
                }
                for g in grades
            ],
        )
        version_form = VersionForm(
            typed, initial={"version": services.headcount_grid_version(division=division, as_of=as_of)}
        )
    for form in formset.forms:
        for field in ("quota", "current"):
            if field not in columns:
                form.fields[field].widget.attrs["readonly"] = True
    return render(
        request,
        "staffing/headcount_entry.html",
        {
            "division": division,
            "as_of": as_of,
            "reference_date": reference_date,
            "rows": list(zip(grades, formset.forms, strict=False)),
            "formset": formset,
            "version_form": version_form,
            "date_form": HeadcountDateForm(initial={"as_of": as_of}),
            "columns": columns,
            "problems": problems,
            "history": HeadcountEntry.history.filter(division_id=division.pk)
            .select_related("history_user", "grade")
            .order_by("-history_id")[:20],
        },
        status=400 if problems else 200,
    )
