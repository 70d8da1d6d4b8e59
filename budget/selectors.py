"""Reads of money figures for pages, exports and checks. Sums of base figures run here; every derived
figure (예산현액, balance, rates, changes) comes from civicbureau.figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.db.models import BigIntegerField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from budget.models import BudgetAdjustment, BudgetLine, DivisionBudget, ExecutionSnapshot, RevenueAmount, RevenueCategory
from civicbureau import figures
from staffing.models import Bureau


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
    snapshots = ExecutionSnapshot.objects.filter(budget_line__division__bureau=bureau, budget_line__fiscal_year=fiscal_year)
    if approved_only:
        snapshots = snapshots.filter(approved_disbursements__isnull=False)
    if on_or_before:
        snapshots = snapshots.filter(as_of__lte=on_or_before)
    return snapshots.aggregate(latest=Max("as_of"))["latest"]


def budget_line_figures(*, lines, as_of: datetime.date, approved_only: bool = False):
    """Annotate budget lines with their adjustments up to `as_of` and their latest snapshot at or before it.

    With `approved_only`, the snapshot figures are those of the last approved revision of their
    division-month (what public pages may show); a month never approved counts as not reported.
    """
    adjustments = (
        BudgetAdjustment.objects.filter(budget_line=OuterRef("pk"), effective_on__lte=as_of)
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    latest = ExecutionSnapshot.objects.filter(budget_line=OuterRef("pk"), as_of__lte=as_of).order_by("-as_of")
    obligations, disbursements = "obligations", "disbursements"
    if approved_only:
        latest = latest.filter(approved_disbursements__isnull=False)
        obligations, disbursements = "approved_obligations", "approved_disbursements"
    return lines.annotate(
        adjustment_total=Coalesce(Subquery(adjustments, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField()),
        obligations_to_date=Subquery(latest.values(obligations)[:1], output_field=BigIntegerField()),
        disbursements_to_date=Coalesce(
            Subquery(latest.values(disbursements)[:1], output_field=BigIntegerField()), Value(0), output_field=BigIntegerField()
        ),
    )


def execution_table(
    *, bureau: Bureau, fiscal_year: int, as_of: datetime.date | None = None, approved_only: bool = False
) -> ExecutionTable:
    """예산 집행 현황: bureau total, then each division followed by its lines, as of a date (default: latest).

    Public pages pass `approved_only=True`: only figures of approved division-months count.
    """
    as_of = as_of or execution_latest_date(bureau=bureau, fiscal_year=fiscal_year, approved_only=approved_only)
    table = ExecutionTable(as_of=as_of, fiscal_year=fiscal_year)
    if as_of is None:
        return table
    lines = budget_line_figures(
        lines=BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year).select_related("division"),
        as_of=as_of,
        approved_only=approved_only,
    ).order_by("division__order", "order")
    by_division: dict = {}
    for line in lines:
        row = ExecutionRow(
            level="line",
            name=line.name,
            code=line.code,
            division_code=line.division.code,
            original=line.original_budget,
            authority=figures.budget_authority(line.original_budget, [line.adjustment_total]),
            obligations=line.obligations_to_date,
            disbursements=line.disbursements_to_date,
        )
        by_division.setdefault(line.division, []).append(row)
    division_rows = []
    for division, line_rows in by_division.items():
        division_rows.append(_sum_rows("division", division.name, line_rows, code=division.code, division_code=division.code))
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
        _("계"), 0, figures.total(amount(c, fiscal_year) for c in roots), figures.total(amount(c, base_year) for c in roots)
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


# -- staff entry: a division's month, the year's board, the trail --------------------------------------


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
        budget_line_figures(lines=BudgetLine.objects.filter(division=division, fiscal_year=as_of.year), as_of=as_of).order_by("order")
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
            cells.append(BoardCell(division, as_of, status, DivisionMonth.Status(status).label, month and month.revision))
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
        for field in fields:
            old, new = _value_text(previous, field), _value_text(record, field)
            if record.history_type == "-":
                new = str(_("(삭제)"))
            if old != new or (previous is None and new != "-"):
                entries.append(
                    HistoryEntry(
                        when=record.history_date,
                        who=record.history_user.username if record.history_user else "-",
                        how=record.history_change_reason or "-",
                        subject=subject(record),
                        field=str(record._meta.get_field(field).verbose_name),
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
        BudgetAdjustment.history.filter(budget_line=line.pk).select_related("history_user").order_by("history_date", "history_id"),
        ["kind", "amount", "effective_on", "reason"],
        lambda r: f"{_('예산 변경')} {display.report_date(r.effective_on)}",
    )
    entries += _history_entries(
        ExecutionSnapshot.history.filter(budget_line=line.pk).select_related("history_user").order_by("history_date", "history_id"),
        SNAPSHOT_FIELDS,
        lambda r: f"{_('집행 실적')} {display.report_date(r.as_of)}",
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)
