"""Reads of programs, their execution tables, schedules, consigned centres and indicators; and the
consistency check between the program sections and the budget summary."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetLine
from budget.selectors.execution import budget_line_figures
from civicbureau import figures
from programs.models import (
    Achievement,
    CentreBudget,
    CentreStaffing,
    ConsignedCentre,
    Indicator,
    IndicatorValue,
    Program,
    ProgramExecutionRow,
    ScheduleItem,
)
from staffing.models import Bureau, Division


@dataclass
class ProgramExecutionLine:
    """A row of a program's 예산집행 현황 table, with both rates (on obligations and on disbursements)."""

    label: str
    authority: int | None
    obligations: int | None
    disbursements: int | None

    @property
    def obligation_rate(self) -> Decimal | None:
        return figures.execution_rate(self.obligations, self.authority)

    @property
    def disbursement_rate(self) -> Decimal | None:
        return figures.execution_rate(self.disbursements, self.authority)


@dataclass
class ProgramExecutionTable:
    program: Program
    as_of: datetime.date | None
    rows: list[ProgramExecutionLine]

    @property
    def total(self) -> ProgramExecutionLine | None:
        """The 계 row, where the program's table shows one (as the report does for some programs)."""
        if not self.program.execution_total_shown:
            return None
        return ProgramExecutionLine(
            _("계"),
            figures.total(r.authority for r in self.rows),
            figures.total(r.obligations for r in self.rows),
            figures.total(r.disbursements for r in self.rows),
        )


def program_rows_latest_date(*, bureau: Bureau, on_or_before: datetime.date | None = None) -> datetime.date | None:
    """The latest date for which the program sections report their execution tables."""
    rows = ProgramExecutionRow.objects.filter(program__core_task__direction__bureau=bureau)
    if on_or_before:
        rows = rows.filter(as_of__lte=on_or_before)
    return rows.aggregate(latest=Max("as_of"))["latest"]


def program_execution_tables(*, bureau: Bureau, as_of: datetime.date) -> list[ProgramExecutionTable]:
    """Every program's own execution table as of a date, in the report's order (programs without one are left out)."""
    programs = (
        Program.objects.filter(core_task__direction__bureau=bureau)
        .select_related("core_task__direction")
        .prefetch_related(Prefetch("execution_rows", ProgramExecutionRow.objects.filter(as_of=as_of).order_by("order")))
        .order_by("core_task__direction__number", "core_task__number", "number")
    )
    tables = []
    for program in programs:
        rows = [
            ProgramExecutionLine(r.label, r.budget_authority, r.obligations, r.disbursements)
            for r in program.execution_rows.all()
        ]
        if rows:
            tables.append(ProgramExecutionTable(program, as_of, rows))
    return tables


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
) -> list[CentreRow]:
    """민간위탁 운영 현황: each centre's budget for two years and staff at two dates, with the 합계 row first
    (only the centres of `division` when given)."""
    centres = ConsignedCentre.objects.select_related("division").order_by("order")
    if division is not None:
        centres = centres.filter(division=division)
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


@dataclass(frozen=True)
class Disagreement:
    """Two tables of the report giving different base figures for the same thing."""

    table: str
    row: str
    field: str
    value: int
    other_table: str
    other_value: int
    unit: str = "원"


STATED_BUDGET_TOLERANCE = 1_000_000  # a 사업예산 is written in 백만원, so a gap under one million won is rounding


def consistency_disagreement_list(*, bureau: Bureau, fiscal_year: int, as_of: datetime.date) -> list[Disagreement]:
    """Where a program section's figures disagree with the budget summary (예산 집행 현황) or with the
    program's stated budget (사업예산). The portal shows both values and picks neither."""
    summary = f"{fiscal_year} 예산 집행 현황"
    lines = {
        line.pk: line
        for line in budget_line_figures(
            lines=BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year), as_of=as_of
        )
    }
    rows = list(
        ProgramExecutionRow.objects.filter(budget_line__in=lines.keys(), as_of=as_of)
        .select_related("program")
        .order_by("program__core_task__direction__number", "program__core_task__number", "program__number", "order")
    )
    issues = []
    by_line: dict = {}
    for row in rows:
        by_line.setdefault(row.budget_line_id, []).append(row)
    for line_id, line_rows in by_line.items():
        line = lines[line_id]
        where = " + ".join(f"{r.program.title}: {r.label}" for r in line_rows)
        line_figures = {
            "예산현액": figures.budget_authority(line.original_budget, [line.adjustment_total]),
            "원인행위": line.obligations_to_date,
            "지출액": line.disbursements_to_date,
        }
        program_figures = {
            "예산현액": figures.total(r.budget_authority for r in line_rows),
            "원인행위": figures.total(r.obligations for r in line_rows),
            "지출액": figures.total(r.disbursements for r in line_rows),
        }
        for name, line_value in line_figures.items():
            program_value = program_figures[name]
            if line_value is not None and program_value is not None and line_value != program_value:
                issues.append(
                    Disagreement(f"사업별 예산집행 현황 ({where})", line.name, name, program_value, summary, line_value)
                )
    programs = Program.objects.filter(
        core_task__direction__bureau=bureau, stated_budget__isnull=False
    ).prefetch_related(Prefetch("execution_rows", ProgramExecutionRow.objects.filter(as_of=as_of)))
    for program in programs.order_by("core_task__direction__number", "core_task__number", "number"):
        program_rows = list(program.execution_rows.all())
        if not program_rows:
            continue
        authority = figures.total(r.budget_authority for r in program_rows)
        if abs(authority - program.stated_budget) >= STATED_BUDGET_TOLERANCE:
            issues.append(
                Disagreement(
                    f"사업개요 사업예산 ({program.budget_text})",
                    program.title,
                    "사업예산",
                    program.stated_budget,
                    "사업별 예산집행 현황 예산현액",
                    authority,
                )
            )
    return issues


@dataclass
class IndicatorReading:
    """An indicator's values as of one date; the total of an additive breakdown is derived here."""

    indicator: Indicator
    as_of: datetime.date
    values: list  # [(category, value)], category '' for the headline value

    @property
    def total(self) -> Decimal | None:
        if not self.indicator.additive:
            return None
        return sum((value for _, value in self.values), Decimal(0))


def indicator_reading_list(
    *, bureau: Bureau | None = None, program: Program | None = None, on_or_before: datetime.date | None = None
) -> list[IndicatorReading]:
    """Indicators' values grouped by as-of date, in the report's order: a bureau's (with those tied to no
    program), one program's, or all."""
    values = IndicatorValue.objects.order_by("as_of", "order")
    if on_or_before:
        values = values.filter(as_of__lte=on_or_before)
    indicators = (
        Indicator.objects.order_by("order").select_related("program").prefetch_related(Prefetch("values", values))
    )
    if bureau is not None:
        indicators = indicators.filter(Q(program__core_task__direction__bureau=bureau) | Q(program__isnull=True))
    if program is not None:
        indicators = indicators.filter(program=program)
    readings = []
    for indicator in indicators:
        by_date: dict = {}
        for value in indicator.values.all():
            by_date.setdefault(value.as_of, []).append((value.category, value.value))
        readings.extend(IndicatorReading(indicator, as_of, values) for as_of, values in by_date.items())
    return readings


def schedule_item_list(*, bureau: Bureau, fiscal_year: int) -> list[ScheduleItem]:
    """The programs' 향후계획 in the report's order (direction, program, item)."""
    return list(
        ScheduleItem.objects.filter(
            program__core_task__direction__bureau=bureau, program__core_task__direction__fiscal_year=fiscal_year
        )
        .select_related("program__core_task__direction")
        .order_by("program__core_task__direction__number", "program__core_task__number", "program__number", "order")
    )


# -- public reads -------------------------------------------------------------------------------------


def program_divisions(*, programs) -> dict[int, list[Division]]:
    """Each program's divisions, derived from the budget lines its execution rows draw on (one query);
    a program without execution rows has none."""
    rows = (
        ProgramExecutionRow.objects.filter(program__in=programs)
        .select_related("budget_line__division")
        .order_by("budget_line__division__order")
    )
    found: dict[int, list[Division]] = {}
    for row in rows:
        divisions = found.setdefault(row.program_id, [])
        if row.budget_line.division not in divisions:
            divisions.append(row.budget_line.division)
    return found


@dataclass
class ProgramSummary:
    program: Program
    divisions: list


def public_program_list(*, bureau: Bureau) -> list[ProgramSummary]:
    """The major programs in the report's order, each with its core task, direction and divisions."""
    programs = list(
        Program.objects.filter(core_task__direction__bureau=bureau)
        .select_related("core_task__direction")
        .order_by("core_task__direction__fiscal_year", "core_task__direction__number", "core_task__number", "number")
    )
    divisions = program_divisions(programs=programs)
    return [ProgramSummary(p, divisions.get(p.pk, [])) for p in programs]


def public_program_as_of(*, bureau: Bureau) -> datetime.date | None:
    """The date of the latest approved program figures (the program sections' as-of date)."""
    return ProgramExecutionRow.objects.filter(program__core_task__direction__bureau=bureau).aggregate(
        latest=Max("as_of")
    )["latest"]


@dataclass
class ProgramDetail:
    """A major program laid out like its section of the report."""

    program: Program
    divisions: list
    as_of: datetime.date | None
    achievements: list
    execution: ProgramExecutionTable | None
    schedule: list
    indicators: list


def public_program_detail(*, bureau: Bureau, slug: str) -> ProgramDetail | None:
    program = (
        Program.objects.filter(core_task__direction__bureau=bureau, slug=slug)
        .select_related("core_task__direction")
        .prefetch_related(
            Prefetch("achievements", Achievement.objects.order_by("order")),
            Prefetch("schedule_items", ScheduleItem.objects.order_by("order")),
        )
        .first()
    )
    if program is None:
        return None
    as_of = program.execution_rows.aggregate(latest=Max("as_of"))["latest"]
    execution = None
    if as_of is not None:
        execution = next(
            (t for t in program_execution_tables(bureau=bureau, as_of=as_of) if t.program.pk == program.pk), None
        )
    return ProgramDetail(
        program=program,
        divisions=program_divisions(programs=[program]).get(program.pk, []),
        as_of=as_of,
        achievements=list(program.achievements.all()),
        execution=execution,
        schedule=list(program.schedule_items.all()),
        indicators=indicator_reading_list(program=program),
    )


@dataclass
class ScheduleEntry:
    """An item of the upcoming schedule, with its program's divisions."""

    item: ScheduleItem
    divisions: list
    started_before: bool  # it began before the chosen month and is still running

    @property
    def ongoing(self) -> bool:
        """Open-ended in the report (`’22. 7월~`): no end month."""
        return self.item.end_month is None


@dataclass
class ScheduleMonth:
    month: datetime.date
    entries: list


def schedule_default_date(*, bureau: Bureau, today: datetime.date) -> datetime.date:
    """Today, or the date of the latest approved program figures when those are older (the demo's
    ’22. 7. 1.: the schedule was promised as of then, and every item would be past today)."""
    latest = public_program_as_of(bureau=bureau)
    return min(today, latest) if latest else today


def public_schedule(*, bureau: Bureau, items, from_day: datetime.date) -> list[ScheduleMonth]:
    """The upcoming schedule from `from_day`'s month on, grouped by month: an item still running then is
    listed under that month, a later one under its start month. `items` is a ScheduleItem queryset
    (already filtered, e.g. by division)."""
    first = from_day.replace(day=1)
    items = list(
        items.filter(program__core_task__direction__bureau=bureau)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=first))
        .select_related("program")
        .order_by(
            "start_month",
            "program__core_task__direction__number",
            "program__core_task__number",
            "program__number",
            "order",
        )
    )
    divisions = program_divisions(programs={i.program_id for i in items})
    months: dict[datetime.date, list[ScheduleEntry]] = {}
    for item in items:
        month = max(item.start_month, first)
        months.setdefault(month, []).append(
            ScheduleEntry(item, divisions.get(item.program_id, []), item.start_month < first)
        )
    return [ScheduleMonth(month, entries) for month, entries in sorted(months.items())]


def centre_staffing_dates(*, on_or_before: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The two latest dates with centre staff counts at or before a date: (latest, the one before it)."""
    dates = list(
        CentreStaffing.objects.filter(as_of__lte=on_or_before)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()[:2]
    )
    latest, previous = (dates + [None, None])[:2]
    return latest, previous


@dataclass
class ScheduleRow:
    """A schedule item as it needs attention at a date: starting soon, ending soon, or overdue."""

    item: ScheduleItem
    starts_soon: bool
    ends_soon: bool
    overdue: bool

    @property
    def program(self) -> Program:
        return self.item.program


@dataclass
class ScheduleAttention:
    as_of: datetime.date
    until: datetime.date
    due: list[ScheduleRow]  # starting or ending between as_of and until
    overdue: list[ScheduleRow]  # past their end month and not done


SCHEDULE_HORIZON_DAYS = 60


def schedule_attention(
    *, bureau: Bureau, as_of: datetime.date, division: Division | None = None, days: int = SCHEDULE_HORIZON_DAYS
) -> ScheduleAttention:
    """What is due next and what is overdue at a date, for a division's programs (or the whole bureau's).

    Schedule items are kept by month: an item starts on its start month and ends at the end of its end
    month. Due: the start or end month falls between the date's month and the date + `days`. Overdue: the
    end month is over before the date's month and the item is not marked done. One query.
    """
    this_month = as_of.replace(day=1)
    until = as_of + datetime.timedelta(days=days)
    items = ScheduleItem.objects.filter(program__core_task__direction__bureau=bureau)
    if division is not None:
        items = items.filter(program__division=division)
    items = (
        items.filter(
            Q(start_month__gte=this_month, start_month__lte=until)
            | Q(end_month__gte=this_month, end_month__lte=until)
            | (Q(end_month__lt=this_month) & ~Q(status=ScheduleItem.Status.DONE))
        )
        .select_related("program__division")
        .order_by("end_month", "start_month", "program__number", "order")
    )
    due, overdue = [], []
    for item in items:
        row = ScheduleRow(
            item,
            starts_soon=this_month <= item.start_month <= until,
            ends_soon=item.end_month is not None and this_month <= item.end_month <= until,
            overdue=item.end_month is not None
            and item.end_month < this_month
            and item.status != ScheduleItem.Status.DONE,
        )
        (overdue if row.overdue else due).append(row)
    due.sort(
        key=lambda r: (r.item.start_month if r.starts_soon else r.item.end_month, r.item.program.number, r.item.order)
    )
    return ScheduleAttention(as_of, until, due, overdue)
