"""Reads of money figures for pages, exports and checks. Sums of base figures run here; every derived
figure (예산현액, balance, rates, changes) comes from civicbureau.figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    DateField,
    Max,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from budget.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetPaceTarget,
    DivisionBudget,
    ExecutionSnapshot,
    RevenueAmount,
    RevenueCategory,
)
from civicbureau import figures
from civicbureau.publication import approved_through, figures_cached
from staffing.models import Bureau, Division


@dataclass(frozen=True)
class ProgramRef:
    """A program a budget line belongs to (주요사업), as a dashboard names and filters it."""

    pk: int
    title: str

    def __str__(self) -> str:
        return self.title


@dataclass
class ExecutionRow:
    """A row of the execution table: the bureau total, a division or a budget line."""

    level: str  # "total", "division" or "line"
    name: str
    original: int
    authority: int
    obligations: int | None
    disbursements: int
    code: str = ""
    division_code: str = ""
    line_id: int | None = None
    is_basic_expense: bool = False
    snapshot_as_of: datetime.date | None = None  # the line's own latest snapshot at or before the table's date
    pace: Decimal | None = None  # the expected rate at the table's date, where a page compares against it
    programs: list["ProgramRef"] = field(default_factory=list)  # the programs a line is part of (division dashboard)
    division_order: int = 0
    bureau_name: str = ""  # the city-wide table's lines name their bureau and division
    division_name: str = ""

    @property
    def balance(self) -> int:
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

    @property
    def total(self) -> ExecutionRow | None:
        return self.rows[0] if self.rows else None


def _sum_rows(level: str, name: str, rows: list[ExecutionRow], **extra) -> ExecutionRow:
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
    *, bureau: Bureau, fiscal_year: int, on_or_before: datetime.date | None = None, approved_only: bool = False
) -> datetime.date | None:
    """The latest date with execution figures for the bureau's lines of the year (approved ones only when asked)."""
    snapshots = ExecutionSnapshot.objects.filter(
        budget_line__division__bureau=bureau, budget_line__fiscal_year=fiscal_year
    )
    if approved_only:
        snapshots = snapshots.filter(approved_disbursements__isnull=False)
    if on_or_before:
        snapshots = snapshots.filter(as_of__lte=on_or_before)
    return snapshots.aggregate(latest=Max("as_of"))["latest"]  # one bureau: its lines' snapshots, by their index


def budget_line_adjustments(*, lines, as_of: datetime.date):
    """Annotate budget lines with the sum of their adjustments effective up to `as_of` (adjustment_total, 0
    when none): with the original budget, what 예산현액 at that date is derived from."""
    adjustments = (
        BudgetAdjustment.objects.filter(budget_line=OuterRef("pk"), effective_on__lte=as_of)
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return lines.annotate(
        adjustment_total=Coalesce(
            Subquery(adjustments, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField()
        ),
    )


def budget_line_figures(*, lines, as_of: datetime.date, approved_only: bool = False):
    """Annotate budget lines with their adjustments up to `as_of` and their latest snapshot at or before it.

    With `approved_only`, the snapshot figures are those of the last approved revision of their
    division-month (what public pages may show); a month never approved counts as not reported.
    """
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


def _line_row(line, **extra) -> ExecutionRow:
    """A budget line annotated by budget_line_figures (with its division) as a row of an execution table."""
    return ExecutionRow(
        level="line",
        name=line.name,
        code=line.code,
        division_code=line.division.code,
        original=line.original_budget,
        authority=figures.budget_authority(line.original_budget, [line.adjustment_total]),
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
    approved_only: bool = False,
) -> ExecutionTable:
    """예산 집행 현황: bureau total, then each division followed by its lines, as of a date (default: latest).

    With `division`, only that division and its lines (the first row is then the division's total).
    Public pages pass `approved_only=True`: only figures of approved division-months count.
    """
    as_of = as_of or execution_latest_date(bureau=bureau, fiscal_year=fiscal_year, approved_only=approved_only)
    table = ExecutionTable(as_of=as_of, fiscal_year=fiscal_year)
    if as_of is None:
        return table
    lines = BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year).select_related("division")
    if division is not None:
        lines = lines.filter(division=division)
    lines = budget_line_figures(lines=lines, as_of=as_of, approved_only=approved_only).order_by(
        "division__order", "order"
    )
    by_division: dict = {}
    for line in lines:
        by_division.setdefault(line.division, []).append(_line_row(line))
    division_rows = []
    for line_division, line_rows in by_division.items():
        division_rows.append(
            _sum_rows(
                "division",
                line_division.name,
                line_rows,
                code=line_division.code,
                division_code=line_division.code,
                division_order=line_division.order,
            )
        )
        division_rows.extend(line_rows)
    table.rows = [_sum_rows("total", _("합계"), [r for r in division_rows if r.level == "division"]), *division_rows]
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
    this_year = dict(
        BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year)
        .values_list("division")
        .annotate(total=Sum("original_budget"))
    )
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


def public_execution_date(
    *, bureau: Bureau, fiscal_year: int, month: datetime.date | None = None
) -> datetime.date | None:
    """The as-of date the public sees for a fiscal year and an as-of month: the latest approved snapshot at or
    before that month's end (default: the latest approved snapshot of the year). None: no figures yet.
    A division-month in draft, submitted or returned is not public (only its last approved revision is)."""
    limit = approved_through(bureau=bureau)
    if month is not None:
        limit = min(limit, figures.month_end(month))
    return execution_latest_date(bureau=bureau, fiscal_year=fiscal_year, on_or_before=limit, approved_only=True)


def public_execution_table(
    *, bureau: Bureau, fiscal_year: int, month: datetime.date | None = None
) -> ExecutionTable | None:
    """예산 집행 현황 as the public sees it for a year and as-of month; None when no approved figures exist by then."""
    as_of = public_execution_date(bureau=bureau, fiscal_year=fiscal_year, month=month)
    if as_of is None:
        return None
    return execution_table(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of, approved_only=True)


# -- the whole city: every bureau's lines, paginated, with the city's and each bureau's totals -------------


def city_fiscal_years() -> list[int]:
    """The fiscal years with budget lines in any bureau, latest first."""
    return list(BudgetLine.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


def city_execution_date(*, fiscal_year: int, month: datetime.date | None = None) -> datetime.date | None:
    """The latest approved snapshot of the year in any bureau, at or before the month's end (default: the
    year's latest). Each line is then taken at its own latest approved snapshot at or before that date."""
    snapshots = ExecutionSnapshot.objects.filter(
        budget_line__fiscal_year=fiscal_year, approved_disbursements__isnull=False
    )
    if month is not None:
        snapshots = snapshots.filter(as_of__lte=figures.month_end(month))
    # ORDER BY … LIMIT 1 rather than MAX(): over the whole city PostgreSQL reads the as_of index backwards
    # and stops at the first match, where MAX() scans every snapshot of the year (1 ms against 150 ms on the
    # benchmark's 648,000 snapshots). For one bureau MAX() is the fast form: later dates of other bureaus
    # would be read first.
    return snapshots.order_by("-as_of").values_list("as_of", flat=True).first()


def city_execution_totals(*, fiscal_year: int, as_of: datetime.date) -> list[ExecutionRow]:
    """The city's 합계, then each bureau's total, from approved figures: one query summing the base figures
    of every line in the database (예산현액 and the rates are derived from the sums by civicbureau.figures).

    That query reads every line's latest snapshot (about 95 ms for the benchmark's 5,400 lines a year on
    PostgreSQL), so its result is kept until the figures change (publication.figures_cached)."""
    return figures_cached(
        ("city-execution-totals", fiscal_year, as_of), lambda: _city_execution_totals(fiscal_year, as_of), public=True
    )


def _city_execution_totals(fiscal_year: int, as_of: datetime.date) -> list[ExecutionRow]:
    lines = budget_line_figures(
        lines=BudgetLine.objects.filter(fiscal_year=fiscal_year), as_of=as_of, approved_only=True
    )
    sums = (
        lines.values("division__bureau", "division__bureau__name")
        .annotate(
            original=Sum("original_budget"),
            adjustments=Sum("adjustment_total"),
            obligations=Sum("obligations_to_date"),
            reported=Count("obligations_to_date"),
            disbursements=Sum("disbursements_to_date"),
            count=Count("pk"),
        )
        .order_by("division__bureau")
    )
    bureaus = [
        ExecutionRow(
            level="division",  # a bureau is a group of the city's table as a division is of a bureau's
            name=s["division__bureau__name"],
            code=str(s["division__bureau"]),
            original=s["original"],
            authority=figures.budget_authority(s["original"], [s["adjustments"]]),
            obligations=s["obligations"] if s["reported"] == s["count"] else None,  # as figures.total: no partial sum
            disbursements=s["disbursements"],
        )
        for s in sums
    ]
    if not bureaus:
        return []
    return [_sum_rows("total", _("합계"), bureaus), *bureaus]


def city_execution_lines(*, fiscal_year: int, as_of: datetime.date):
    """Every budget line of the city with its approved figures, in order (bureau, division, line): a
    queryset, so that a page of it is read with LIMIT/OFFSET; `city_execution_rows` turns a page into rows."""
    lines = BudgetLine.objects.filter(fiscal_year=fiscal_year).select_related("division__bureau")
    return budget_line_figures(lines=lines, as_of=as_of, approved_only=True).order_by(
        "division__bureau", "division__order", "order", "pk"
    )


def city_execution_rows(lines) -> list[ExecutionRow]:
    return [_line_row(line, bureau_name=line.division.bureau.name, division_name=line.division.name) for line in lines]


def public_fiscal_years(*, bureau: Bureau) -> list[int]:
    """The fiscal years with budget lines, latest first."""
    return list(
        BudgetLine.objects.filter(division__bureau=bureau)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def public_revenue_summary(*, bureau: Bureau, fiscal_year: int) -> tuple[datetime.date | None, list[ComparisonRow]]:
    """세입총괄 against the previous year, as of the latest approved date of the revenue figures."""
    as_of = RevenueAmount.objects.filter(fiscal_year=fiscal_year, as_of__lte=approved_through(bureau=bureau)).aggregate(
        latest=Max("as_of")
    )["latest"]
    if as_of is None:
        return None, []
    return as_of, revenue_summary(fiscal_year=fiscal_year, base_year=fiscal_year - 1, as_of=as_of)


def public_expenditure_summary(*, bureau: Bureau, fiscal_year: int) -> tuple[datetime.date | None, list[ComparisonRow]]:
    """세출총괄 against the previous year's final budget, dated like the comparison figures it reads."""
    as_of = DivisionBudget.objects.filter(
        division__bureau=bureau, fiscal_year=fiscal_year - 1, as_of__lte=approved_through(bureau=bureau)
    ).aggregate(latest=Max("as_of"))["latest"]
    return as_of, expenditure_summary(bureau=bureau, fiscal_year=fiscal_year, base_year=fiscal_year - 1)


@dataclass
class PaceCurve:
    """The cumulative disbursement rate the bureau expects at the end of each month of a fiscal year."""

    fiscal_year: int
    points: list[Decimal]  # months 1 … 12
    set_months: list[int]  # the months the bureau set; the others lie on a straight line between them

    @property
    def is_straight_line(self) -> bool:
        return not self.set_months

    def at(self, months: int) -> Decimal:
        return figures.pace_at(self.points, months)

    @property
    def months(self) -> list[tuple[int, Decimal, bool]]:
        """(month, expected rate, set by the bureau) for each month, for the pace table."""
        return [(m, rate, m in self.set_months) for m, rate in enumerate(self.points, start=1)]


def pace_curve(*, bureau: Bureau, fiscal_year: int) -> PaceCurve:
    """The bureau's pace for a year: its monthly targets (BudgetPaceTarget), else month × 100 ÷ 12."""
    targets = dict(
        BudgetPaceTarget.objects.filter(bureau=bureau, fiscal_year=fiscal_year).values_list("month", "target_rate")
    )
    return PaceCurve(fiscal_year, figures.pace_curve(targets), sorted(targets))


@dataclass(frozen=True)
class DashboardDate:
    """The date a person asked for and the date of the figures shown: the latest recorded at or before it."""

    fiscal_year: int | None
    requested: datetime.date | None
    as_of: datetime.date | None

    @property
    def months_elapsed(self) -> int | None:
        return None if self.as_of is None else figures.months_elapsed(self.as_of)

    @property
    def is_earlier_than_requested(self) -> bool:
        return self.requested is not None and self.as_of is not None and self.as_of != self.requested


def dashboard_date(*, bureau: Bureau, requested: datetime.date | None = None) -> DashboardDate:
    """With a date, its fiscal year (the calendar year) and the latest execution date at or before it;
    without one, the latest fiscal year and its latest execution date."""
    fiscal_year = requested.year if requested else fiscal_year_latest(bureau=bureau)
    if fiscal_year is None:
        return DashboardDate(None, requested, None)
    return DashboardDate(
        fiscal_year, requested, execution_latest_date(bureau=bureau, fiscal_year=fiscal_year, on_or_before=requested)
    )


@dataclass
class SeriesPoint:
    """The cumulative position at the end of a month, taken from a real snapshot (its date is `as_of`)."""

    month: int
    as_of: datetime.date
    authority: int
    disbursements: int
    pace: Decimal

    @property
    def rate(self) -> Decimal | None:
        return figures.execution_rate(self.disbursements, self.authority)

    @property
    def pace_gap(self) -> Decimal | None:
        return figures.percentage_points(self.rate, self.pace)


@dataclass
class Series:
    """One line of the pace chart: a division (or the bureau) month by month, only where snapshots exist."""

    code: str
    name: str
    points: list[SeriesPoint]


def execution_series(*, table: ExecutionTable, until: datetime.date, pace: PaceCurve) -> list[Series]:
    """Cumulative disbursement rate by month for each division of an execution table, from the snapshots.

    A month has a point only when a snapshot is dated in the span it covers (figures.months_elapsed); the
    point is the latest such snapshot, each line taken at its latest snapshot at or before that date, and
    예산현액 at that date. No monthly split is ever made up: with one snapshot there is one point.
    Two queries (snapshots, adjustments), whatever the number of lines and months.
    """
    lines = [row for row in table.rows if row.level == "line"]
    line_ids = [row.line_id for row in lines]
    snapshots: dict[int, list] = {}
    for line_id, as_of, disbursements in (
        ExecutionSnapshot.objects.filter(budget_line__in=line_ids, as_of__lte=until)
        .order_by("as_of")
        .values_list("budget_line_id", "as_of", "disbursements")
    ):
        snapshots.setdefault(line_id, []).append((as_of, disbursements))
    adjustments: dict[int, list] = {}
    for line_id, effective_on, amount in BudgetAdjustment.objects.filter(budget_line__in=line_ids).values_list(
        "budget_line_id", "effective_on", "amount"
    ):
        adjustments.setdefault(line_id, []).append((effective_on, amount))

    groups: dict[str, list[ExecutionRow]] = {}
    for line in lines:
        groups.setdefault(line.division_code, []).append(line)
    names = {row.code: row.name for row in table.rows if row.level == "division"}
    series = []
    for code, group_lines in groups.items():
        dates = sorted({as_of for line in group_lines for as_of, _ in snapshots.get(line.line_id, [])})
        month_dates: dict[int, datetime.date] = {}
        for day in dates:  # the latest snapshot date within each month's span
            month_dates[figures.months_elapsed(day)] = day
        points = []
        for month, day in sorted(month_dates.items()):
            if month == 0:
                continue  # January's first days: no month has closed yet
            disbursed = [
                next((amount for as_of, amount in reversed(snapshots.get(line.line_id, [])) if as_of <= day), 0)
                for line in group_lines
            ]
            authority = [
                figures.budget_authority(line.original, [a for on, a in adjustments.get(line.line_id, []) if on <= day])
                for line in group_lines
            ]
            points.append(SeriesPoint(month, day, figures.total(authority), figures.total(disbursed), pace.at(month)))
        series.append(Series(code, names[code], points))
    return series


@dataclass
class ExecutionDashboard:
    """What a manager sees of the money at a date: the headline row, the rows under it, the pace."""

    date: DashboardDate
    pace: PaceCurve | None
    total: ExecutionRow | None
    rows: list[ExecutionRow]  # lines (division dashboard) or divisions (bureau dashboard)
    series: list[Series]
    programs: list[ProgramRef] = field(default_factory=list)  # the division's programs, in the report's order

    @property
    def as_of(self) -> datetime.date | None:
        return self.date.as_of

    @property
    def pace_now(self) -> Decimal | None:
        return self.total.pace if self.total else None

    @property
    def lagging(self) -> list[ExecutionRow]:
        """The rows behind the pace, the furthest behind first."""
        return sorted((r for r in self.rows if r.is_lagging), key=lambda r: (r.pace_gap, r.division_order))

    @property
    def obligations_reported(self) -> int:
        return sum(1 for r in self.rows if r.obligations is not None)

    @property
    def older_rows(self) -> list[ExecutionRow]:
        """Lines whose latest figures are older than the dashboard's date (or missing)."""
        return [r for r in self.rows if r.level == "line" and r.snapshot_as_of != self.as_of]


def _dashboard(*, bureau: Bureau, requested: datetime.date | None, division: Division | None) -> ExecutionDashboard:
    date = dashboard_date(bureau=bureau, requested=requested)
    if date.as_of is None:
        return ExecutionDashboard(date, None, None, [], [])
    pace = pace_curve(bureau=bureau, fiscal_year=date.fiscal_year)
    table = execution_table(bureau=bureau, fiscal_year=date.fiscal_year, as_of=date.as_of, division=division)
    expected = pace.at(date.months_elapsed)
    for row in table.rows:
        row.pace = expected
    series = execution_series(table=table, until=date.as_of, pace=pace)
    if division is None:
        return ExecutionDashboard(date, pace, table.total, [r for r in table.rows if r.level == "division"], series)
    programs: dict[int, list[ProgramRef]] = {}
    order: list[ProgramRef] = []  # the query's order: direction, then program number
    for line_id, program_id, title in (
        BudgetLine.objects.filter(division=division, fiscal_year=date.fiscal_year, program_rows__isnull=False)
        .order_by("program_rows__program__core_task__direction__number", "program_rows__program__number")
        .values_list("pk", "program_rows__program", "program_rows__program__title")
        .distinct()
    ):
        programs.setdefault(line_id, []).append(ProgramRef(program_id, title))
        order.append(ProgramRef(program_id, title))
    lines = [r for r in table.rows if r.level == "line"]
    for row in lines:
        row.programs = programs.get(row.line_id, [])
    total = next((r for r in table.rows if r.level == "division"), None)
    return ExecutionDashboard(date, pace, total, lines, series, list(dict.fromkeys(order)))


def division_dashboard(*, division: Division, as_of: datetime.date | None = None) -> ExecutionDashboard:
    """A division's money at a date: its total, each of its lines with both rates and the gap to the pace,
    and its cumulative disbursement rate month by month. Query count is flat in lines and months."""
    return _dashboard(bureau=division.bureau, requested=as_of, division=division)


def bureau_dashboard(*, bureau: Bureau, as_of: datetime.date | None = None) -> ExecutionDashboard:
    """The bureau's money at a date: its total (the report's 합계), each division with the gap to the pace
    (ranked, furthest behind first), and each division's cumulative rate month by month."""
    dashboard = _dashboard(bureau=bureau, requested=as_of, division=None)
    dashboard.rows.sort(
        key=lambda r: (r.pace_gap is None, r.pace_gap if r.pace_gap is not None else 0, r.division_order)
    )
    return dashboard


@dataclass
class ExecutionChangeRow:
    """A line (or division, or total) at two dates; the change is None where the earlier date has no figure."""

    later: ExecutionRow
    earlier: ExecutionRow | None

    @property
    def name(self) -> str:
        return self.later.name

    @property
    def level(self) -> str:
        return self.later.level

    def _earlier(self, attribute):
        return None if self.earlier is None else getattr(self.earlier, attribute)

    @property
    def authority_change(self) -> int | None:
        return figures.change(self.later.authority, self._earlier("authority"))

    @property
    def obligations_change(self) -> int | None:
        return figures.change(self.later.obligations, self._earlier("obligations"))

    @property
    def disbursements_change(self) -> int | None:
        return figures.change(self.later.disbursements, self._earlier("disbursements"))

    @property
    def obligation_rate_change(self) -> Decimal | None:
        return figures.percentage_points(self.later.obligation_rate, self._earlier("obligation_rate"))

    @property
    def rate_change(self) -> Decimal | None:
        return figures.percentage_points(self.later.rate, self._earlier("rate"))


@dataclass
class ExecutionChange:
    """What changed between two dates of one fiscal year (each the latest recorded at or before it)."""

    earlier: DashboardDate
    later: DashboardDate
    rows: list[ExecutionChangeRow]

    @property
    def earlier_missing(self) -> bool:
        return self.earlier.as_of is None

    @property
    def same_snapshot(self) -> bool:
        return self.earlier.as_of is not None and self.earlier.as_of == self.later.as_of


def execution_change(
    *, bureau: Bureau, earlier: datetime.date, later: datetime.date, division: Division | None = None
) -> ExecutionChange:
    """Per line (and division, and total): 예산현액, obligations, disbursements and both rates at two dates
    of the same fiscal year, with the change in won and in percentage points. A line with no snapshot at
    or before the earlier date has no change (not a change from zero): the snapshots are cumulative, so
    the missing figure is unknown, not nil."""
    later_date = dashboard_date(bureau=bureau, requested=later)
    earlier_as_of = execution_latest_date(bureau=bureau, fiscal_year=later_date.fiscal_year, on_or_before=earlier)
    earlier_date = DashboardDate(later_date.fiscal_year, earlier, earlier_as_of)
    if later_date.as_of is None:
        return ExecutionChange(earlier_date, later_date, [])
    later_rows = execution_table(
        bureau=bureau, fiscal_year=later_date.fiscal_year, as_of=later_date.as_of, division=division
    ).rows
    earlier_rows = {}
    if earlier_as_of is not None:
        earlier_table = execution_table(
            bureau=bureau, fiscal_year=later_date.fiscal_year, as_of=earlier_as_of, division=division
        )
        earlier_lines = [r for r in earlier_table.rows if r.level == "line"]
        unknown = {r.division_code for r in earlier_lines if r.snapshot_as_of is None}
        for row in earlier_table.rows:
            if row.level == "line" and row.snapshot_as_of is None:
                continue  # no figure yet at the earlier date: unknown, so no change is shown
            if row.level == "division" and row.code in unknown or row.level == "total" and unknown:
                continue  # a sum over an unknown figure would mislead
            earlier_rows[(row.level, row.code)] = row
    rows = [ExecutionChangeRow(row, earlier_rows.get((row.level, row.code))) for row in later_rows]
    if division is not None:
        rows = [r for r in rows if r.level != "total"]
    return ExecutionChange(earlier_date, later_date, rows)


@dataclass
class MonthGridRow:
    """One budget line in a division's month: what was entered (cumulative to date) beside the budget
    authority, the previous period's cumulative figures, and what follows from them."""

    line: BudgetLine
    authority: int
    previous_obligations: int | None
    previous_disbursements: int | None
    obligations: int | None
    disbursements: int | None
    approved_obligations: int | None = None
    approved_disbursements: int | None = None
    first_of_year: bool = False  # no earlier figures this year: the month's amounts are the cumulative ones

    @property
    def month_obligations(self) -> int | None:
        return figures.period_amount(self.obligations, self.previous_obligations, first_of_year=self.first_of_year)

    @property
    def month_disbursements(self) -> int | None:
        return figures.period_amount(self.disbursements, self.previous_disbursements, first_of_year=self.first_of_year)

    @property
    def obligation_rate(self) -> Decimal | None:
        return figures.execution_rate(self.obligations, self.authority)

    @property
    def rate(self) -> Decimal | None:
        return figures.execution_rate(self.disbursements, self.authority)

    @property
    def balance(self) -> int | None:
        return figures.balance(self.authority, self.disbursements)


@dataclass
class MonthGrid:
    division: object
    as_of: datetime.date
    month: object  # DivisionMonth or None (missing)
    previous_as_of: datetime.date | None
    rows: list[MonthGridRow]

    @property
    def status(self) -> str:
        from budget.models import DivisionMonth

        return self.month.status if self.month else DivisionMonth.Status.MISSING

    @property
    def status_label(self):
        from budget.models import DivisionMonth

        return DivisionMonth.Status(self.status).label

    @property
    def version(self) -> int:
        return self.month.version if self.month else 0

    @property
    def total(self) -> MonthGridRow:
        """The division's sums in won (rounded only when shown, so the shown total is the sum in won)."""
        rows = self.rows
        return MonthGridRow(
            line=None,
            authority=figures.total(r.authority for r in rows),
            previous_obligations=figures.total(r.previous_obligations for r in rows),
            previous_disbursements=figures.total(r.previous_disbursements for r in rows),
            obligations=figures.total(r.obligations for r in rows),
            disbursements=figures.total(r.disbursements for r in rows),
            first_of_year=all(r.first_of_year for r in rows),
        )


def division_month_grid(*, division, as_of: datetime.date) -> MonthGrid:
    """Every budget line of the division for the as-of date's year, with its figures at and before it."""
    from budget.models import DivisionMonth

    lines = list(
        budget_line_figures(
            lines=BudgetLine.objects.filter(division=division, fiscal_year=as_of.year), as_of=as_of
        ).order_by("order")
    )
    current, previous = {}, {}
    previous_as_of = None
    for snapshot in ExecutionSnapshot.objects.filter(budget_line__in=lines, as_of__lte=as_of).order_by("as_of"):
        if snapshot.as_of == as_of:
            current[snapshot.budget_line_id] = snapshot
        else:
            previous[snapshot.budget_line_id] = snapshot
            previous_as_of = snapshot.as_of
    rows = []
    for line in lines:
        now, before = current.get(line.pk), previous.get(line.pk)
        rows.append(
            MonthGridRow(
                line=line,
                authority=figures.budget_authority(line.original_budget, [line.adjustment_total]),
                previous_obligations=before and before.obligations,
                previous_disbursements=before and before.disbursements,
                obligations=now and now.obligations,
                disbursements=now and now.disbursements,
                approved_obligations=now and now.approved_obligations,
                approved_disbursements=now and now.approved_disbursements,
                first_of_year=before is None,
            )
        )
    month = DivisionMonth.objects.filter(division=division, as_of=as_of).select_related("changed_by").first()
    return MonthGrid(division=division, as_of=as_of, month=month, previous_as_of=previous_as_of, rows=rows)


@dataclass
class BoardCell:
    division: object
    as_of: datetime.date
    status: str
    label: str
    revision: int | None = None


@dataclass
class Board:
    fiscal_year: int
    dates: list[datetime.date]
    rows: list[tuple[object, list[BoardCell]]]

    @property
    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for _division, cells in self.rows:
            for cell in cells:
                result[cell.status] = result.get(cell.status, 0) + 1
        return result


def entry_board(*, bureau: Bureau, fiscal_year: int) -> Board:
    """Every division × every month end of the year (and any other date a month was opened for, such as
    the report's 2022-07-01): missing, draft, submitted, returned or approved."""
    import calendar

    from budget.models import DivisionMonth

    months = {
        (m.division_id, m.as_of): m
        for m in DivisionMonth.objects.filter(division__bureau=bureau, as_of__year=fiscal_year)
    }
    dates = {datetime.date(fiscal_year, m, calendar.monthrange(fiscal_year, m)[1]) for m in range(1, 13)}
    dates |= {as_of for _d, as_of in months}
    dates = sorted(dates)
    rows = []
    for division in bureau.divisions.order_by("order"):
        cells = []
        for as_of in dates:
            month = months.get((division.pk, as_of))
            status = month.status if month else DivisionMonth.Status.MISSING
            cells.append(
                BoardCell(division, as_of, status, DivisionMonth.Status(status).label, month and month.revision)
            )
        rows.append((division, cells))
    return Board(fiscal_year=fiscal_year, dates=dates, rows=rows)


@dataclass(frozen=True)
class HistoryEntry:
    """One changed value: when, who, how (form, import, admin, load_demo, bulk), what, old → new."""

    when: datetime.datetime
    who: str
    how: str
    subject: str
    field: str
    old: str
    new: str


def _value_text(record, field: str) -> str:
    from civicbureau import display

    if record is None:
        return display.NOT_AVAILABLE
    value = getattr(record, field)
    display_method = getattr(record, f"get_{field}_display", None)
    if display_method is not None and value is not None:
        return str(display_method())
    if isinstance(value, int) and not isinstance(value, bool):
        return display.number(value)
    return display.NOT_AVAILABLE if value in (None, "") else str(value)


def _history_entries(records, fields: list[str], subject) -> list[HistoryEntry]:
    entries = []
    for record in records:
        previous = record.prev_record if record.history_type != "+" else None
        for name in fields:
            old, new = _value_text(previous, name), _value_text(record, name)
            if record.history_type == "-":
                new = str(_("(삭제)"))
            if old != new or (previous is None and new != "-"):
                entries.append(
                    HistoryEntry(
                        when=record.history_date,
                        who=record.history_user.username if record.history_user else "-",
                        how=record.history_change_reason or "-",
                        subject=subject(record),
                        field=str(record._meta.get_field(name).verbose_name),
                        old=old,
                        new=new,
                    )
                )
    return entries


SNAPSHOT_FIELDS = ["obligations", "disbursements", "approved_obligations", "approved_disbursements"]


def division_month_history(*, month) -> list[HistoryEntry]:
    """The trail of a division-month: its status, revisions and reasons, and every line's figures."""
    from budget.models import DivisionMonth

    entries = _history_entries(
        DivisionMonth.history.filter(id=month.pk).select_related("history_user").order_by("history_date", "history_id"),
        ["status", "revision", "approved_revision", "reason"],
        lambda r: str(_("과별 월 실적")),
    )
    snapshots = (
        ExecutionSnapshot.history.filter(budget_line__division=month.division_id, as_of=month.as_of)
        .select_related("history_user", "budget_line")
        .order_by("history_date", "history_id")
    )
    entries += _history_entries(snapshots, SNAPSHOT_FIELDS, lambda r: f"{r.budget_line.code} {r.budget_line.name}")
    return sorted(entries, key=lambda e: e.when, reverse=True)


def budget_line_history(*, line) -> list[HistoryEntry]:
    """The trail of a budget line: the line itself, its adjustments and its execution at every date."""
    from civicbureau import display

    entries = _history_entries(
        BudgetLine.history.filter(id=line.pk).select_related("history_user").order_by("history_date", "history_id"),
        ["name", "original_budget", "division"],
        lambda r: str(_("세부사업")),
    )
    entries += _history_entries(
        BudgetAdjustment.history.filter(budget_line=line.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        ["kind", "amount", "effective_on", "reason"],
        lambda r: f"{_('예산 변경')} {display.report_date(r.effective_on)}",
    )
    entries += _history_entries(
        ExecutionSnapshot.history.filter(budget_line=line.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        SNAPSHOT_FIELDS,
        lambda r: f"{_('집행 실적')} {display.report_date(r.as_of)}",
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)


@dataclass(frozen=True)
class LineAuthority:
    line: BudgetLine
    adjustment_count: int
    adjusted: int
    authority: int


def budget_line_authority_list(*, lines) -> list[LineAuthority]:
    """Each line with its adjustments summed in SQL and its 예산현액 at the year's end (figures.budget_authority)."""
    rows = (
        lines.select_related("division")
        .annotate(adjustment_count=Count("adjustments"), adjusted=Sum("adjustments__amount"))
        .order_by("division__order", "order")
    )
    return [
        LineAuthority(
            line=line,
            adjustment_count=line.adjustment_count,
            adjusted=line.adjusted or 0,
            authority=figures.budget_authority(line.original_budget, [line.adjusted or 0]),
        )
        for line in rows
    ]
