"""Reads of the organisation and its people for pages, exports and checks."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from civicbureau import figures
from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, PartTimeStaff


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

    @property
    def total(self) -> Headcount:
        return _total(self.cells)


@dataclass
class HeadcountTable:
    as_of: datetime.date | None
    grades: list[Grade]
    rows: list[HeadcountRow]  # 계 first, then each division
    part_time: list[PartTimeStaff]


def headcount_latest_date(*, bureau: Bureau, on_or_before: datetime.date | None = None) -> datetime.date | None:
    entries = HeadcountEntry.objects.filter(division__bureau=bureau)
    if on_or_before:
        entries = entries.filter(as_of__lte=on_or_before)
    return entries.aggregate(latest=Max("as_of"))["latest"]


def headcount_table(*, bureau: Bureau, as_of: datetime.date | None = None) -> HeadcountTable:
    """정원/현원 by division and grade as of a date (default: the latest); totals derived."""
    as_of = as_of or headcount_latest_date(bureau=bureau)
    grades = list(Grade.objects.order_by("order"))
    entries = {
        (e.division_id, e.grade_id): Headcount(e.quota, e.current)
        for e in HeadcountEntry.objects.filter(division__bureau=bureau, as_of=as_of)
    }
    empty = Headcount(0, 0)
    division_rows = [
        HeadcountRow(d.name, [entries.get((d.pk, g.pk), empty) for g in grades], d.code)
        for d in bureau.divisions.order_by("order")
    ]
    total = HeadcountRow(_("계"), [_total(row.cells[i] for row in division_rows) for i in range(len(grades))])
    part_time = list(
        PartTimeStaff.objects.filter(division__bureau=bureau, as_of=as_of)
        .select_related("division")
        .order_by("division__order", "grade")
    )
    return HeadcountTable(as_of=as_of, grades=grades, rows=[total, *division_rows], part_time=part_time)


def division_list(*, bureau: Bureau) -> list[Division]:
    """The bureau's divisions in the report's order, each with its duties."""
    return list(
        bureau.divisions.order_by("order").prefetch_related(Prefetch("duties", DivisionDuty.objects.order_by("order")))
    )


def bureau_default() -> Bureau | None:
    """The bureau the portal shows when none is chosen (the demo has one)."""
    return Bureau.objects.order_by("pk").first()


def public_headcount_table(*, bureau: Bureau) -> HeadcountTable:
    """정원/현원 as of the latest date. Headcount has no approval step yet: the public selector is the seam."""
    as_of = headcount_latest_date(bureau=bureau)
    return headcount_table(bureau=bureau, as_of=as_of)


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
