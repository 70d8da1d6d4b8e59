"""The staff entry's reads: a division-month's grid, the year's board of every division-month, and the
authority each line has on each date (for an adjustment's check)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from budget.models import CAUTION_RULES, BudgetAdjustment, BudgetLine, DivisionMonth, ExecutionSnapshot
from budget.selectors.execution import adjustment_total, budget_line_adjustments, budget_line_figures
from civicbureau import figures
from civicbureau.entry import FIELD_LABELS
from staffing.models import Bureau, Team


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
    has_teams: bool = False  # the division has teams: the grid shows its rows by team (groups)

    @property
    def status(self) -> str:
        return self.month.status if self.month else DivisionMonth.Status.MISSING

    @property
    def status_label(self):
        return DivisionMonth.Status(self.status).label

    @property
    def version(self) -> int:
        return self.month.version if self.month else 0

    @property
    def total(self) -> MonthGridRow:
        """The division's sums in won (rounded only when shown, so the shown total is the sum in won)."""
        return rows_total(self.rows)

    @property
    def groups(self) -> list["MonthGridGroup"]:
        """The rows by team, where the division has teams (the rows come in the teams' order, those of no
        team last); none where it has no teams."""
        if not self.has_teams:
            return []
        groups: dict = {}
        for row in self.rows:
            groups.setdefault(row.line.team, []).append(row)
        return [MonthGridGroup(team, rows) for team, rows in groups.items()]


@dataclass
class MonthGridGroup:
    """A team's lines in a division's month (team None: 팀 미지정) and their subtotal."""

    team: Team | None
    rows: list[MonthGridRow]

    @property
    def total(self) -> MonthGridRow:
        return rows_total(self.rows)


def rows_total(rows: list[MonthGridRow]) -> MonthGridRow:
    """The rows' sums in won (rounded only when shown, so the shown total is the sum in won); the rates and
    the month's amounts follow from the sums."""
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
    """Every budget line of the division for the as-of date's year, with its figures at and before it;
    where the division has teams, the lines by team (the teams' order, lines of no team last)."""
    lines = list(
        budget_line_figures(
            lines=BudgetLine.objects.filter(division=division, fiscal_year=as_of.year)
            .select_related("team")
            .annotate(division_has_teams=Exists(Team.objects.filter(division=division))),
            as_of=as_of,
        ).order_by("order")
    )
    has_teams = bool(lines) and lines[0].division_has_teams
    if has_teams:
        lines.sort(key=lambda line: (line.team is None, (line.team.order, line.team.name) if line.team else ()))
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
                authority=figures.budget_authority(line.original_budget, [adjustment_total(line)]),
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
    return MonthGrid(
        division=division, as_of=as_of, month=month, previous_as_of=previous_as_of, rows=rows, has_teams=has_teams
    )


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
class LineAuthority:
    line: BudgetLine
    adjustment_count: int
    adjusted: int
    authority: int


def budget_line_authority_list(*, lines) -> list[LineAuthority]:
    """Each line with its adjustments counted and summed in SQL (budget_line_adjustments: a sum that cannot
    overflow) and its 예산현액 at the year's end (figures.budget_authority)."""
    counts = BudgetAdjustment.objects.filter(budget_line=OuterRef("pk")).values("budget_line").annotate(n=Count("pk"))
    rows = (
        budget_line_adjustments(lines=lines.select_related("division"), as_of=datetime.date.max)
        .annotate(adjustment_count=Coalesce(Subquery(counts.values("n")), 0))
        .order_by("division__order", "order")
    )
    return [
        LineAuthority(
            line=line,
            adjustment_count=line.adjustment_count,
            adjusted=adjustment_total(line),
            authority=figures.budget_authority(line.original_budget, [adjustment_total(line)]),
        )
        for line in rows
    ]


def caution_words(confirmed: str) -> list[str]:
    """A snapshot's confirmed cautions ("rule:field, …") in words: '지출액 누계(원): 전기 누계보다 적음'."""
    words = []
    for item in filter(None, confirmed.split(", ")):
        rule, _sep, field = item.partition(":")
        words.append(f"{FIELD_LABELS.get(field, field)}: {CAUTION_RULES.get(rule, rule)}")
    return words


def month_confirmed_cautions(*, division, as_of: datetime.date) -> list[tuple[BudgetLine, list[str]]]:
    """The month's lines whose figures were saved with cautions confirmed, each with them in words."""
    snapshots = (
        ExecutionSnapshot.objects.filter(budget_line__division=division, as_of=as_of)
        .exclude(confirmed="")
        .select_related("budget_line")
        .order_by("budget_line__order")
    )
    return [(snapshot.budget_line, caution_words(snapshot.confirmed)) for snapshot in snapshots]


def own_newer_save(*, user, division, as_of: datetime.date, version: int | None) -> DivisionMonth | None:
    """The division-month when everything saved after `version` was `user`'s own (and it can still be
    edited): an upload of the person's older download over their own newer save, which they may confirm,
    where someone else's change refuses it."""
    month = DivisionMonth.objects.filter(division=division, as_of=as_of).first()
    if month is None or version is None or not 0 <= version < month.version or month.is_locked:
        return None
    if month.history.filter(version__gt=version).exclude(history_user=user).exists():
        return None
    return month
