"""Reads of the organisation and its people for pages, exports and checks."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from civicbureau import figures
from civicbureau.audit import as_recorded
from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, PartTimeStaff, Team
from staffing.permissions import membership_of


@dataclass(frozen=True)
class Headcount:
    quota: int
    current: int

    @property
    def vacancy(self) -> int:
        return figures.vacancy(self.quota, self.current)

    @property
    def is_empty(self) -> bool:
        return self.quota == 0 and self.current == 0


def _total(cells) -> Headcount:
    cells = list(cells)
    return Headcount(figures.total(c.quota for c in cells), figures.total(c.current for c in cells))


@dataclass
class HeadcountRow:
    name: str
    cells: list[Headcount]  # one per grade, in the grades' order
    code: str = ""  # the division's code; empty for the 계 row
    as_of: datetime.date | None = None  # the division's own latest date (None: no figures; the 계 row: None)

    @property
    def total(self) -> Headcount:
        return _total(self.cells)


@dataclass
class HeadcountTable:
    as_of: datetime.date | None  # the latest of the divisions' dates
    grades: list[Grade]
    rows: list[HeadcountRow]  # 계 first, then each division
    part_time: list[PartTimeStaff]

    @property
    def dates_differ(self) -> bool:
        """Some division's latest figures are older than the table's date: each row then says its own."""
        return any(row.as_of != self.as_of for row in self.rows[1:])


def headcount_latest_date(*, bureau: Bureau, on_or_before: datetime.date | None = None) -> datetime.date | None:
    entries = HeadcountEntry.objects.filter(division__bureau=bureau)
    if on_or_before:
        entries = entries.filter(as_of__lte=on_or_before)
    return entries.aggregate(latest=Max("as_of"))["latest"]


def headcount_table(
    *, bureau: Bureau, on_or_before: datetime.date | None = None, recorded_by: datetime.datetime | None = None
) -> HeadcountTable:
    """정원/현원 by division and grade, each division at its own latest date at or before `on_or_before`
    (default: its latest), as recorded at `recorded_by` (default: now; civicbureau.audit.as_recorded);
    totals derived. A division that entered a later date never empties the others' rows."""
    entries = as_recorded(HeadcountEntry, recorded_by).filter(division__bureau=bureau)
    part_time = as_recorded(PartTimeStaff, recorded_by).filter(division__bureau=bureau)
    if on_or_before:
        entries, part_time = entries.filter(as_of__lte=on_or_before), part_time.filter(as_of__lte=on_or_before)
    dates = dict(entries.values("division").annotate(latest=Max("as_of")).values_list("division", "latest"))
    grades = list(Grade.objects.order_by("order"))
    cells = {
        (e.division_id, e.grade_id): Headcount(e.quota, e.current)
        for e in entries.filter(as_of__in=set(dates.values()))
        if dates.get(e.division_id) == e.as_of
    }
    empty = Headcount(0, 0)
    divisions = list(bureau.divisions.order_by("order"))
    division_rows = [
        HeadcountRow(d.name, [cells.get((d.pk, g.pk), empty) for g in grades], d.code, dates.get(d.pk))
        for d in divisions
    ]
    total = HeadcountRow(_("계"), [_total(row.cells[i] for row in division_rows) for i in range(len(grades))])
    names = {d.pk: d for d in divisions}
    staff = [
        p
        for p in part_time.filter(as_of__in=set(dates.values())).order_by("grade")
        if dates.get(p.division_id) == p.as_of
    ]
    for p in staff:
        p.division = names[p.division_id]  # a historical row's division, read with the bureau's divisions
    staff.sort(key=lambda p: p.division.order)
    return HeadcountTable(max(dates.values(), default=None), grades, [total, *division_rows], staff)


def division_list(*, bureau: Bureau) -> list[Division]:
    """The bureau's divisions in the report's order, each with its duties and its teams' count (`team_total`,
    read in the same query: team_count(bureau, divisions=…) needs no query of its own)."""
    return list(
        bureau.divisions.order_by("order")
        .annotate(team_total=Count("teams"))
        .prefetch_related(Prefetch("duties", DivisionDuty.objects.order_by("order")))
    )


def bureau_default() -> Bureau | None:
    """The bureau the portal shows when none is chosen (the demo has one): the first made."""
    return Bureau.objects.order_by("pk").first()


def request_bureau(request) -> Bureau | None:
    """The bureau a page is about: the one its address names (/b/<slug>/…, staffing.middleware; an unknown
    slug is a 404), else the default one. Read once per request."""
    if not hasattr(request, "_bureau"):
        slug = getattr(request, "bureau_slug", None)
        request._bureau = get_object_or_404(Bureau, slug=slug) if slug else bureau_default()
    return request._bureau


def bureau_read(request) -> Bureau | None:
    """The bureau request_bureau gave this request, if its page asked for one (None: it did not)."""
    return getattr(request, "_bureau", None)


def internal_bureau(request) -> Bureau | None:
    """The bureau an internal page is about: the one its address names, else the person's own, else (the
    administrator and the budget office, who belong to none) the default one. Whether the person may read
    it is the page's permission check (staffing.permissions)."""
    if getattr(request, "bureau_slug", None):
        return request_bureau(request)
    membership = membership_of(request.user)
    if membership is not None and membership.bureau_id:
        return membership.bureau
    return request_bureau(request)


def bureau_list() -> list[Bureau]:
    """Every bureau, by name: the header's switcher and the city home."""
    return list(Bureau.objects.order_by("name").only("pk", "name", "slug"))


def team_count(bureau: Bureau, *, divisions: list[Division] | None = None) -> int | None:
    """How many teams the bureau has: its teams' count when it has any, else the count the report gives.
    With the bureau's `divisions` from division_list (each with its teams counted), no query."""
    if divisions is None:
        registered = Team.objects.filter(division__bureau=bureau).count()
    else:
        registered = sum(division.team_total for division in divisions)
    return registered or bureau.team_count


def public_headcount_table(
    *, bureau: Bureau, on_or_before: datetime.date, recorded_by: datetime.datetime
) -> HeadcountTable:
    """정원/현원 as the public sees it: as recorded when the bureau's period was published (`recorded_by`,
    its publication time), each division at its latest date at or before the period (`on_or_before`).
    Headcount has no approval of its own: it is published with the bureau's reporting period."""
    return headcount_table(bureau=bureau, on_or_before=on_or_before, recorded_by=recorded_by)


@dataclass
class GradeHeadcount:
    grade: Grade
    headcount: Headcount

    @property
    def vacancy(self) -> int:
        return self.headcount.vacancy


@dataclass
class DivisionHeadcount:
    """A division's people at a date: 정원/현원 by grade (grades it has neither in are left out), the
    vacancies, and part-time staff outside the quota, apart."""

    as_of: datetime.date | None
    grades: list[GradeHeadcount]
    total: Headcount | None
    part_time: list[PartTimeStaff]

    @property
    def vacancies(self) -> list[GradeHeadcount]:
        return [g for g in self.grades if g.vacancy > 0]

    @property
    def part_time_count(self) -> int:
        return figures.total(p.count for p in self.part_time)


def division_headcount(*, division: Division, on_or_before: datetime.date | None = None) -> DivisionHeadcount:
    """The division's row of the headcount table, at the bureau's latest date at or before `on_or_before`.
    Two queries (the grades and the part-time staff), the date read inside each."""
    dates = HeadcountEntry.objects.filter(division__bureau=division.bureau_id)
    if on_or_before:
        dates = dates.filter(as_of__lte=on_or_before)
    latest = Subquery(dates.order_by("-as_of").values("as_of")[:1])
    entries = list(
        HeadcountEntry.objects.filter(division=division, as_of=latest).select_related("grade").order_by("grade__order")
    )
    if not entries:
        return DivisionHeadcount(None, [], None, [])
    grades = [GradeHeadcount(e.grade, Headcount(e.quota, e.current)) for e in entries]
    grades = [g for g in grades if not g.headcount.is_empty]
    part_time = list(
        PartTimeStaff.objects.filter(division=division, as_of=latest).select_related("division").order_by("grade")
    )
    return DivisionHeadcount(entries[0].as_of, grades, _total(g.headcount for g in grades), part_time)
