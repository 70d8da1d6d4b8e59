"""Reads of programs, their execution tables, schedules, consigned centres and indicators; and the
consistency check between the program sections and the budget summary."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.db.models import Max, Prefetch, Q

from budget.models import BudgetLine
from budget.selectors import budget_line_figures
from civicbureau import figures
from programs.models import (
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
            ProgramExecutionLine(r.label, r.budget_authority, r.obligations, r.disbursements) for r in program.execution_rows.all()
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
    budgets = {
        (b.centre_id, b.fiscal_year): b.amount
        for b in CentreBudget.objects.filter(fiscal_year__in=[fiscal_year, base_year], centre__in=centres)
    }
    staff = {
        (s.centre_id, s.as_of): s.headcount
        for s in CentreStaffing.objects.filter(as_of__in=[staff_as_of, staff_base_as_of], centre__in=centres)
    }
    rows = [
        CentreRow(
            c.name,
            budgets.get((c.pk, base_year)),
            budgets.get((c.pk, fiscal_year)),
            staff.get((c.pk, staff_base_as_of)),
            staff.get((c.pk, staff_as_of)),
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
        for line in budget_line_figures(lines=BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year), as_of=as_of)
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
                issues.append(Disagreement(f"사업별 예산집행 현황 ({where})", line.name, name, program_value, summary, line_value))
    programs = Program.objects.filter(core_task__direction__bureau=bureau, stated_budget__isnull=False).prefetch_related(
        Prefetch("execution_rows", ProgramExecutionRow.objects.filter(as_of=as_of))
    )
    for program in programs.order_by("core_task__direction__number", "core_task__number", "number"):
        program_rows = list(program.execution_rows.all())
        if not program_rows:
            continue
        authority = figures.total(r.budget_authority for r in program_rows)
        if abs(authority - program.stated_budget) >= STATED_BUDGET_TOLERANCE:
            issues.append(
                Disagreement(
                    f"사업개요 사업예산 ({program.budget_text})", program.title, "사업예산", program.stated_budget, "사업별 예산집행 현황 예산현액", authority
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


def indicator_reading_list(*, program: Program | None = None) -> list[IndicatorReading]:
    """Every indicator's values, grouped by as-of date, in the report's order."""
    indicators = Indicator.objects.order_by("order").prefetch_related(
        Prefetch("values", IndicatorValue.objects.order_by("as_of", "order"))
    )
    if program is not None:
        indicators = indicators.filter(program=program)
    readings = []
    for indicator in indicators:
        by_date: dict = {}
        for value in indicator.values.all():
            by_date.setdefault(value.as_of, []).append((value.category, value.value))
        readings.extend(IndicatorReading(indicator, as_of, values) for as_of, values in by_date.items())
    return readings


def centre_staffing_dates(*, on_or_before: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The two latest dates with centre staff counts at or before a date: (latest, the one before it)."""
    latest = CentreStaffing.objects.filter(as_of__lte=on_or_before).aggregate(latest=Max("as_of"))["latest"]
    if latest is None:
        return None, None
    previous = CentreStaffing.objects.filter(as_of__lt=latest).aggregate(previous=Max("as_of"))["previous"]
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
    items = items.filter(
        Q(start_month__gte=this_month, start_month__lte=until)
        | Q(end_month__gte=this_month, end_month__lte=until)
        | (Q(end_month__lt=this_month) & ~Q(status=ScheduleItem.Status.DONE))
    ).select_related("program__division").order_by("end_month", "start_month", "program__number", "order")
    due, overdue = [], []
    for item in items:
        row = ScheduleRow(
            item,
            starts_soon=this_month <= item.start_month <= until,
            ends_soon=item.end_month is not None and this_month <= item.end_month <= until,
            overdue=item.end_month is not None and item.end_month < this_month and item.status != ScheduleItem.Status.DONE,
        )
        (overdue if row.overdue else due).append(row)
    due.sort(key=lambda r: (r.item.start_month if r.starts_soon else r.item.end_month, r.item.program.number, r.item.order))
    return ScheduleAttention(as_of, until, due, overdue)
