"""A bureau's money figures as of a date: the execution table (bureau, divisions, lines), 세입총괄 and
세출총괄 against an earlier year, and the pace the bureau set. Sums of base figures run here; every derived
figure (예산현액, balance, rates, changes) comes from civicbureau.figures.

No sum of amounts can overflow. Each stored amount is within figures.MAX_WON, but nothing bounds how many
rows a sum reads (a line's adjustments, a division's or a bureau's lines), and SQLite's SUM() of integers
stops with "integer overflow" past 2⁶³ (PostgreSQL's turns to numeric), which once made every public page
fail. So sums over lines are taken in Python, whose int has no bound, from rows read anyway; a line's
adjustments, summed in SQL inside the lines' query, are summed in two parts that cannot overflow (PART).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db.models import BigIntegerField, DateField, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from budget.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetPaceTarget,
    DivisionBudget,
    ExecutionSnapshot,
    Publication,
    PublishedFigure,
    RevenueAmount,
    RevenueCategory,
)
from civicbureau import figures
from staffing.models import Bureau, Division


class RowLevel(StrEnum):
    """A row of an execution table: the total, a group of lines (a division in a bureau's table, a bureau
    in the city's), or a budget line. The values are the open data's `level`."""

    TOTAL = "total"
    DIVISION = "division"
    LINE = "line"


@dataclass
class ExecutionRow:
    """A row of the execution table: the bureau total, a division or a budget line."""

    level: RowLevel
    name: str
    original: int
    authority: int
    obligations: int | None
    disbursements: int | None  # None: not reported (미보고) for a published period; for a total, some part is not
    code: str = ""
    division_code: str = ""
    line_id: int | None = None
    is_basic_expense: bool = False
    snapshot_as_of: datetime.date | None = None  # the row's own date: a line's latest snapshot at or before the
    # table's date, a division's latest among its lines (None: no figures)
    status: str = ""  # the division-month's status at the row's own date, where a page shows it (periods.STATUS)
    pace: Decimal | None = None  # the expected rate at the table's date, where a page compares against it
    programs: list = field(default_factory=list)  # the programs a line is part of (set by the division dashboard)
    division_order: int = 0
    bureau_name: str = ""  # the city-wide table's lines name their bureau and division
    division_name: str = ""

    @property
    def is_reported(self) -> bool:
        return self.disbursements is not None

    @property
    def is_not_reported_part(self) -> bool:
        """A division or line without figures in the edition shown: 미보고 (a total with such a part has no
        sum, '-', and is not itself 미보고)."""
        return not self.is_reported and self.level != RowLevel.TOTAL

    @property
    def balance(self) -> int | None:
        return figures.balance(self.authority, self.disbursements)

    @property
    def rate(self) -> Decimal | None:
        """집행률 on disbursements (the report's summary table)."""
        return figures.execution_rate(self.disbursements, self.authority)

    @property
    def obligation_rate(self) -> Decimal | None:
        return figures.execution_rate(self.obligations, self.authority)

    @property
    def pace_gap(self) -> Decimal | None:
        """Disbursement rate − pace, in percentage points (negative: behind)."""
        return figures.percentage_points(self.rate, self.pace)

    @property
    def is_lagging(self) -> bool:
        return self.pace is not None and figures.is_lagging(self.rate, self.pace)


@dataclass
class ExecutionTable:
    as_of: datetime.date | None
    fiscal_year: int
    rows: list[ExecutionRow] = field(default_factory=list)
    publication: Publication | None = None  # the edition a public table shows

    @property
    def not_reported(self) -> list[ExecutionRow]:
        """The divisions without figures in the edition (미보고)."""
        return [r for r in self.rows if r.level == RowLevel.DIVISION and not r.is_reported]

    @property
    def total(self) -> ExecutionRow | None:
        return self.rows[0] if self.rows else None


def sum_rows(level: RowLevel, name: str, rows: list[ExecutionRow], **extra) -> ExecutionRow:
    return ExecutionRow(
        level=level,
        name=name,
        original=figures.total(r.original for r in rows),
        authority=figures.total(r.authority for r in rows),
        obligations=figures.total(r.obligations for r in rows),
        disbursements=figures.total(r.disbursements for r in rows),
        **extra,
    )


def execution_latest_date(
    *, bureau: Bureau, fiscal_year: int, on_or_before: datetime.date | None = None
) -> datetime.date | None:
    """The latest date with execution figures (of any status) for the bureau's lines of the year."""
    snapshots = ExecutionSnapshot.objects.filter(
        budget_line__division__bureau=bureau, budget_line__fiscal_year=fiscal_year
    )
    if on_or_before:
        snapshots = snapshots.filter(as_of__lte=on_or_before)
    return snapshots.aggregate(latest=Max("as_of"))["latest"]  # one bureau: its lines' snapshots, by their index


# A line's adjustments are summed in SQL in two parts, so that the sum cannot overflow (the module's note):
# each amount a (|a| ≤ figures.MAX_WON < 2⁵⁰) as its high part h = a ÷ 2²⁵ (truncated toward zero on
# both backends) and its low part a − h × 2²⁵, each below 2²⁵ in size. Either sum would pass 2⁶³ only over
# more than 2³⁸ (about 270 billion) rows; Python adds them (adjustment_total), where int has no bound.
PART = 2**25


def _sum_of(rows, expression):
    """The SUM() of `expression` over `rows` (a values() queryset correlated to the line), 0 when none."""
    return Coalesce(
        Subquery(rows.annotate(total=Sum(expression)).values("total"), output_field=BigIntegerField()),
        Value(0),
        output_field=BigIntegerField(),
    )


def budget_line_adjustments(*, lines, as_of: datetime.date, publications: list[Publication] | None = None):
    """Annotate budget lines with the sum of their adjustments effective up to `as_of`, in two parts
    (adjustment_high, adjustment_low): adjustment_total(line) is the sum, with the original budget what
    예산현액 at that date is derived from. With `publications`, only the adjustments those editions (or
    earlier ones) made public count."""
    adjustments = BudgetAdjustment.objects.filter(budget_line=OuterRef("pk"), effective_on__lte=as_of)
    if publications is not None:
        adjustments = adjustments.filter(
            published_in__isnull=False, published_in__published_at__lte=max(p.published_at for p in publications)
        )
    by_line = adjustments.values("budget_line")
    high = F("amount") / PART
    return lines.annotate(
        adjustment_high=_sum_of(by_line, high), adjustment_low=_sum_of(by_line, F("amount") - high * PART)
    )


def adjustment_total(line) -> int:
    """The sum of a line's adjustments, from the two parts budget_line_adjustments annotated it with."""
    return line.adjustment_high * PART + line.adjustment_low


def budget_line_figures(
    *, lines, as_of: datetime.date, approved_only: bool = False, publications: list[Publication] | None = None
):
    """Annotate budget lines with their adjustments up to `as_of` and their latest snapshot at or before it.

    With `approved_only`, the snapshot figures are those of the last approved revision of their
    division-month (what an edition would publish); a month never approved counts as not reported.
    With `publications` (at most one edition per bureau: what the public sees), the figures those editions
    published, and none (disbursements None: 미보고) for a line whose division they did not publish.
    """
    if publications is not None:
        published = PublishedFigure.objects.filter(
            publication__in=[p.pk for p in publications], budget_line=OuterRef("pk")
        )
        return budget_line_adjustments(lines=lines, as_of=as_of, publications=publications).annotate(
            obligations_to_date=Subquery(published.values("obligations")[:1], output_field=BigIntegerField()),
            disbursements_to_date=Subquery(published.values("disbursements")[:1], output_field=BigIntegerField()),
            snapshot_as_of=Subquery(published.values("as_of")[:1], output_field=DateField()),
        )
    latest = ExecutionSnapshot.objects.filter(budget_line=OuterRef("pk"), as_of__lte=as_of).order_by("-as_of")
    obligations, disbursements = "obligations", "disbursements"
    if approved_only:
        latest = latest.filter(approved_disbursements__isnull=False)
        obligations, disbursements = "approved_obligations", "approved_disbursements"
    return budget_line_adjustments(lines=lines, as_of=as_of).annotate(
        obligations_to_date=Subquery(latest.values(obligations)[:1], output_field=BigIntegerField()),
        disbursements_to_date=Coalesce(
            Subquery(latest.values(disbursements)[:1], output_field=BigIntegerField()),
            Value(0),
            output_field=BigIntegerField(),
        ),
        snapshot_as_of=Subquery(latest.values("as_of")[:1], output_field=DateField()),
    )


def line_row(line, **extra) -> ExecutionRow:
    """A budget line annotated by budget_line_figures (with its division) as a row of an execution table."""
    return ExecutionRow(
        level=RowLevel.LINE,
        name=line.name,
        code=line.code,
        division_code=line.division.code,
        original=line.original_budget,
        authority=figures.budget_authority(line.original_budget, [adjustment_total(line)]),
        obligations=line.obligations_to_date,
        disbursements=line.disbursements_to_date,
        line_id=line.pk,
        is_basic_expense=line.is_basic_expense,
        snapshot_as_of=line.snapshot_as_of,
        division_order=line.division.order,
        **extra,
    )


def execution_table(
    *,
    bureau: Bureau,
    fiscal_year: int,
    as_of: datetime.date | None = None,
    division: Division | None = None,
    publication: Publication | None = None,
) -> ExecutionTable:
    """예산 집행 현황: bureau total, then each division followed by its lines, as of a date (default: latest).

    With `division`, only that division and its lines (the first row is then the division's total).
    Public pages pass the `publication` (an edition of a period) whose figures they show, and its date.
    """
    if publication is not None:
        as_of = publication.as_of
    as_of = as_of or execution_latest_date(bureau=bureau, fiscal_year=fiscal_year)
    table = ExecutionTable(as_of=as_of, fiscal_year=fiscal_year, publication=publication)
    if as_of is None:
        return table
    lines = BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year).select_related("division")
    if division is not None:
        lines = lines.filter(division=division)
    published = [publication] if publication is not None else None
    lines = budget_line_figures(lines=lines.order_by("division__order", "order"), as_of=as_of, publications=published)
    by_division: dict = {}
    for line in lines:
        by_division.setdefault(line.division, []).append(line_row(line))
    division_rows = []
    for line_division, line_rows in by_division.items():
        division_rows.append(
            sum_rows(
                RowLevel.DIVISION,
                line_division.name,
                line_rows,
                code=line_division.code,
                division_code=line_division.code,
                division_order=line_division.order,
                snapshot_as_of=max((r.snapshot_as_of for r in line_rows if r.snapshot_as_of), default=None),
            )
        )
        division_rows.extend(line_rows)
    table.rows = [
        sum_rows(RowLevel.TOTAL, _("합계"), [r for r in division_rows if r.level == RowLevel.DIVISION]),
        *division_rows,
    ]
    return table


@dataclass
class ComparisonRow:
    """A row of a year-on-year table (세입총괄, 세출총괄): this year (A) against a comparison year (B)."""

    name: str
    depth: int
    current: int | None
    base: int | None
    base_original: int | None = None

    @property
    def change(self) -> int | None:
        return figures.change(self.current, self.base)

    @property
    def change_rate(self) -> Decimal | None:
        return figures.change_rate(self.current, self.base)


def revenue_latest_date(*, fiscal_year: int, on_or_before: datetime.date | None = None) -> datetime.date | None:
    """The latest date with revenue figures for the fiscal year."""
    amounts = RevenueAmount.objects.filter(fiscal_year=fiscal_year)
    if on_or_before:
        amounts = amounts.filter(as_of__lte=on_or_before)
    return amounts.aggregate(latest=Max("as_of"))["latest"]


def revenue_summary(*, fiscal_year: int, base_year: int, as_of: datetime.date) -> list[ComparisonRow]:
    """세입총괄: the revenue tree with each node's amount (leaves stored, parents summed) for both years."""
    categories = list(RevenueCategory.objects.order_by("order"))
    amounts = {
        (a.category_id, a.fiscal_year): a.amount
        for a in RevenueAmount.objects.filter(fiscal_year__in=[fiscal_year, base_year], as_of=as_of)
    }
    children: dict = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)

    def amount(category, year):
        if category.pk in children:
            return figures.total(amount(child, year) for child in children[category.pk])
        return amounts.get((category.pk, year))

    rows = []

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            rows.append(ComparisonRow(category.name, depth, amount(category, fiscal_year), amount(category, base_year)))
            walk(category.pk, depth + 1)

    walk(None, 1)
    roots = children.get(None, [])
    total = ComparisonRow(
        _("계"),
        0,
        figures.total(amount(c, fiscal_year) for c in roots),
        figures.total(amount(c, base_year) for c in roots),
    )
    return [total, *rows] if rows else []


def expenditure_summary(*, bureau: Bureau, fiscal_year: int, base_year: int) -> list[ComparisonRow]:
    """세출총괄: each division's budget this year (sum of its lines' 당초예산) against the comparison
    year's 최종예산 (B), with that year's 본예산 beside it."""
    this_year: dict[int, int] = {}
    for division_id, original in BudgetLine.objects.filter(
        division__bureau=bureau, fiscal_year=fiscal_year
    ).values_list("division", "original_budget"):
        this_year[division_id] = this_year.get(division_id, 0) + original
    base = {b.division_id: b for b in DivisionBudget.objects.filter(division__bureau=bureau, fiscal_year=base_year)}
    rows = []
    for division in bureau.divisions.order_by("order"):
        prior = base.get(division.pk)
        rows.append(
            ComparisonRow(
                division.name,
                1,
                this_year.get(division.pk),
                prior and prior.final_budget,
                base_original=prior and prior.original_budget,
            )
        )
    if not rows:
        return []
    total = ComparisonRow(
        _("계"),
        0,
        figures.total(r.current for r in rows),
        figures.total(r.base for r in rows),
        base_original=figures.total(r.base_original for r in rows),
    )
    return [total, *rows]


def fiscal_year_latest(*, bureau: Bureau) -> int | None:
    """The latest fiscal year for which the bureau has budget lines."""
    return BudgetLine.objects.filter(division__bureau=bureau).aggregate(latest=Max("fiscal_year"))["latest"]


@dataclass
class PaceCurve:
    """The cumulative disbursement rate the bureau expects at the end of each month of a fiscal year."""

    fiscal_year: int
    points: list[Decimal]  # months 1 … 12
    set_months: list[int]  # the months set; the others lie on a straight line between them
    set_by_city: bool = False  # the months set are the city's (the bureau set none of its own for the year)

    @property
    def is_straight_line(self) -> bool:
        return not self.set_months

    def at(self, months: int) -> Decimal:
        return figures.pace_at(self.points, months)

    @property
    def months(self) -> list[tuple[int, Decimal, bool]]:
        """(month, expected rate, set by the bureau) for each month, for the pace table."""
        return [(m, rate, m in self.set_months) for m, rate in enumerate(self.points, start=1)]


def pace_curve(*, bureau: Bureau | None, fiscal_year: int) -> PaceCurve:
    """The bureau's pace for a year: its own monthly targets (BudgetPaceTarget) if it set any for the year,
    else the city's (set by the budget office), else month × 100 ÷ 12. One query. With no bureau: the
    city's pace."""
    rows = BudgetPaceTarget.objects.filter(
        Q(bureau__isnull=True) | Q(bureau=bureau) if bureau is not None else Q(bureau__isnull=True),
        fiscal_year=fiscal_year,
    ).values_list("bureau_id", "month", "target_rate")
    own: dict[int, Decimal] = {}
    city: dict[int, Decimal] = {}
    for bureau_id, month, rate in rows:
        (city if bureau_id is None else own)[month] = rate
    return _pace_curve(fiscal_year, own, city)


def _pace_curve(fiscal_year: int, own: dict[int, Decimal], city: dict[int, Decimal]) -> PaceCurve:
    targets = own or city
    return PaceCurve(fiscal_year, figures.pace_curve(targets), sorted(targets), set_by_city=bool(city) and not own)


def pace_curves(*, bureaus: list[Bureau], fiscal_years: set[int]) -> dict[tuple[int, int], PaceCurve]:
    """pace_curve of each bureau for each of the years, keyed (bureau pk, year), in one query whatever the
    number of bureaus (the city home)."""
    rows = BudgetPaceTarget.objects.filter(
        Q(bureau__isnull=True) | Q(bureau__in=bureaus), fiscal_year__in=fiscal_years
    ).values_list("bureau_id", "fiscal_year", "month", "target_rate")
    targets: dict[tuple[int | None, int], dict[int, Decimal]] = {}
    for bureau_id, year, month, rate in rows:
        targets.setdefault((bureau_id, year), {})[month] = rate
    return {
        (bureau.pk, year): _pace_curve(year, targets.get((bureau.pk, year), {}), targets.get((None, year), {}))
        for bureau in bureaus
        for year in fiscal_years
    }
