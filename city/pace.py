"""/city/pace/: the city's pace targets (시 집행 목표) of a fiscal year, kept by the budget office and the
administrator (permissions.can_set_city_pace); anyone else signed in is refused (403). Reads through
budget.selectors.pace, writes through budget.services.pace."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.selectors import pace as pace_selectors
from budget.selectors.execution import pace_curve
from budget.services.pace import MONTHS, city_pace_save, month_label
from civicbureau import held
from civicbureau.entry import EntryError, Problem, plausible_year, version_unknown
from civicbureau.forms import DecimalField, VersionForm
from staffing.permissions import can_set_city_pace


def month_field(month: int) -> str:
    return f"month_{month}"


class CityPaceForm(VersionForm):
    """The year's twelve cumulative targets (%); blank: not set. Bounds and order are the service's to check
    (each refusal names its month); the form only reads the numbers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for month in MONTHS:
            self.fields[month_field(month)] = DecimalField(
                label=gettext_lazy("%(month)s월") % {"month": month},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )

    def problems(self) -> list[Problem]:
        found = [version_unknown()] if "version" in self.errors else []
        for month in MONTHS:
            found += [Problem(month_label(month), "target_rate", e) for e in self.errors.get(month_field(month), [])]
        return found


def _year(request) -> int:
    asked = request.GET.get("year")
    if asked:
        year = plausible_year(asked)
        if year is None:
            raise Http404
        return year
    years = pace_selectors.city_pace_years()
    return years[0] if years else timezone.localdate().year


@held.holds_expired_post
@login_required
def city_pace(request):
    """The year's targets as a form, the curve they give (months not set on a straight line), and which
    bureaus follow the city's targets for the year and which set their own."""
    if not can_set_city_pace(request.user):
        raise PermissionDenied
    year = _year(request)
    problems = []
    if request.method == "POST":
        form = CityPaceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = city_pace_save(
                    user=request.user,
                    fiscal_year=year,
                    rates={month: data[month_field(month)] for month in MONTHS},
                    version=data["version"],
                )
            except EntryError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("%(year)s년 시 집행 목표를 저장했습니다 (%(n)s개월 바뀜).") % {"year": year, "n": changed},
                )
                return redirect(reverse("city:pace") + f"?year={year}")
        else:
            problems = form.problems()
    else:
        targets = pace_selectors.city_pace_targets(fiscal_year=year)
        form = CityPaceForm(
            held.held_post_take(request),
            initial={
                "version": pace_selectors.city_pace_version(fiscal_year=year),
                **{month_field(m): rate for m, rate in targets.items()},
            },
        )
    curve = pace_curve(bureau=None, fiscal_year=year)
    return render(
        request,
        "city/pace.html",
        {
            "form": form,
            "year": year,
            "years": pace_selectors.city_pace_years(),
            "rows": [(form[month_field(m)], rate, is_set) for m, rate, is_set in curve.months],
            "sources": pace_selectors.bureau_pace_sources(fiscal_year=year),
            "problems": problems,
        },
        status=400 if problems else 200,
    )
