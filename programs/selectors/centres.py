"""Consigned centres (민간위탁): each centre's budget and staff against the comparison year and date."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from civicbureau import figures
from programs.models import CentreBudget, CentreStaffing, ConsignedCentre
from staffing.models import Bureau, Division


@dataclass
class CentreRow:
    name: str
    budget_base: int | None
    budget_current: int | None
    staff_base: int | None
    staff_current: int | None

    @property
    def budget_change(self) -> int | None:
        return figures.change(self.budget_current, self.budget_base)

    @property
    def staff_change(self) -> int | None:
        return figures.change(self.staff_current, self.staff_base)

    code: str = ""
    division_code: str = ""


def consigned_centre_table(
    *,
    fiscal_year: int,
    base_year: int,
    staff_as_of: datetime.date,
    staff_base_as_of: datetime.date,
    division: Division | None = None,
    bureau: Bureau | None = None,
) -> list[CentreRow]:
    """민간위탁 운영 현황: each centre's budget for two years and staff at two dates, with the 합계 row first
    (only the centres of `division`, or of `bureau`'s divisions, when given)."""
    centres = ConsignedCentre.objects.select_related("division").order_by("order")
    if division is not None:
        centres = centres.filter(division=division)
    if bureau is not None:
        centres = centres.filter(division__bureau=bureau)
    return _centre_rows(_with_centre_figures(centres, fiscal_year, base_year, staff_as_of, staff_base_as_of))


@dataclass
class DivisionCentres:
    rows: list[CentreRow]
    staff_base_as_of: datetime.date | None
    staff_as_of: datetime.date | None


def division_centre_table(*, division: Division, fiscal_year: int, on_or_before: datetime.date) -> DivisionCentres:
    """A division's centres as consigned_centre_table shows them, with staff at the two latest dates of the
    staff counts at or before a date (as centre_staffing_dates), those dates found in the same query."""
    latest = CentreStaffing.objects.filter(as_of__lte=on_or_before).order_by("-as_of").values("as_of")[:1]
    previous = CentreStaffing.objects.filter(as_of__lt=Subquery(latest)).order_by("-as_of").values("as_of")[:1]
    centres = ConsignedCentre.objects.filter(division=division).select_related("division").order_by("order")
    centres = list(
        _with_centre_figures(centres, fiscal_year, fiscal_year - 1, Subquery(latest), Subquery(previous)).annotate(
            staff_as_of=Subquery(latest), staff_base_as_of=Subquery(previous)
        )
    )
    if not centres:
        return DivisionCentres([], None, None)
    return DivisionCentres(_centre_rows(centres), centres[0].staff_base_as_of, centres[0].staff_as_of)


def _with_centre_figures(centres, fiscal_year, base_year, staff_as_of, staff_base_as_of):
    """Each centre's budgets and staff counts as subqueries: one query, however many centres."""

    def budget(year):
        return Subquery(CentreBudget.objects.filter(centre=OuterRef("pk"), fiscal_year=year).values("amount")[:1])

    def staff(as_of):
        return Subquery(CentreStaffing.objects.filter(centre=OuterRef("pk"), as_of=as_of).values("headcount")[:1])

    return centres.annotate(
        budget_base=budget(base_year),
        budget_current=budget(fiscal_year),
        staff_base=staff(staff_base_as_of),
        staff_current=staff(staff_as_of),
    )


def _centre_rows(centres) -> list[CentreRow]:
    rows = [
        CentreRow(
            c.name,
            c.budget_base,
            c.budget_current,
            c.staff_base,
            c.staff_current,
            code=c.code,
            division_code=c.division.code if c.division else "",
        )
        for c in centres
    ]
    if not rows:
        return []
    total = CentreRow(
        _("합계"),
        figures.total(r.budget_base for r in rows),
        figures.total(r.budget_current for r in rows),
        figures.total(r.staff_base for r in rows),
        figures.total(r.staff_current for r in rows),
    )
    return [total, *rows]


def centre_staffing_dates(
    *, on_or_before: datetime.date, bureau: Bureau | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The two latest dates with centre staff counts at or before a date: (latest, the one before it); with
    `bureau`, of the centres of its divisions only."""
    staffing = CentreStaffing.objects.filter(as_of__lte=on_or_before)
    if bureau is not None:
        staffing = staffing.filter(centre__division__bureau=bureau)
    dates = list(staffing.order_by("-as_of").values_list("as_of", flat=True).distinct()[:2])
    latest, previous = (dates + [None, None])[:2]
    return latest, previous
