"""The dashboards' reads: the date a dashboard shows, the headline and the lines or divisions against the
pace, the monthly series for the charts, and month against month. The money comes from budget's
selectors; every derived figure from civicbureau.figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetAdjustment, BudgetLine, ExecutionSnapshot, Publication
from budget.selectors.execution import (
    ExecutionRow,
    ExecutionTable,
    PaceCurve,
    RowLevel,
    execution_latest_date,
    execution_table,
    fiscal_year_latest,
    pace_curve,
    sum_rows,
)
from budget.selectors.periods import division_statuses, publication_on
from civicbureau import figures
from programs.selectors.measures import MeasureRow, bureau_indicators, measure_rows
from programs.selectors.progress import ProgressTree, progress_tree
from staffing.models import Bureau, Division, Team

NO_TEAM = _("팀 미지정")


@dataclass(frozen=True)
class ProgramRef:
    """A program a budget line belongs to (주요사업), as a dashboard names and filters it."""

    pk: int
    title: str

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class TeamRef:
    """The team a budget line belongs to, as the division dashboard groups its lines by it."""

    pk: int
    name: str
    order: int


@dataclass(frozen=True)
class DashboardDate:
    """The date a person asked for and the date of the figures shown: the latest recorded at or before it
    (the latest published period when none is asked for, or when only published figures are asked for)."""

    fiscal_year: int | None
    requested: datetime.date | None
    as_of: datetime.date | None
    publication: Publication | None = None  # the edition shown, when only published figures are shown

    @property
    def months_elapsed(self) -> int | None:
        return None if self.as_of is None else figures.months_elapsed(self.as_of)

    @property
    def is_earlier_than_requested(self) -> bool:
        return self.requested is not None and self.as_of is not None and self.as_of != self.requested


def dashboard_date(
    *, bureau: Bureau, requested: datetime.date | None = None, published_only: bool = False
) -> DashboardDate:
    """With a date, its fiscal year (the calendar year) and the latest execution date at or before it;
    without one, the latest fiscal year and its latest published period (its latest execution date while
    nothing is published). With `published_only`, the latest published period at or before the date."""
    fiscal_year = requested.year if requested else fiscal_year_latest(bureau=bureau)
    if fiscal_year is None:
        return DashboardDate(None, requested, None)
    if published_only or requested is None:
        publication = publication_on(bureau=bureau, fiscal_year=fiscal_year, on_or_before=requested)
        if published_only:
            return DashboardDate(fiscal_year, requested, publication and publication.as_of, publication)
        if publication is not None:
            return DashboardDate(fiscal_year, None, publication.as_of)
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
    lines = [row for row in table.rows if row.level == RowLevel.LINE]
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
    names = {row.code: row.name for row in table.rows if row.level == RowLevel.DIVISION}
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
    # each line's team (None: no team), where the division has teams; None where it has none
    teams: dict[int, TeamRef | None] | None = None

    @property
    def as_of(self) -> datetime.date | None:
        return self.date.as_of

    @property
    def pace_now(self) -> Decimal | None:
        return self.total.pace if self.total else None

    @property
    def lagging(self) -> list[ExecutionRow]:
        """The rows behind the pace (each at its own date against the pace of that date), the furthest behind
        first; divisions that have not reported for the date are not ranked."""
        return sorted(
            (r for r in self.rows if r.is_lagging and r not in self.not_reported),
            key=lambda r: (r.pace_gap, r.division_order),
        )

    @property
    def not_reported(self) -> list[ExecutionRow]:
        """Divisions (the bureau dashboard's rows) whose latest figures are older than the date shown."""
        return [r for r in self.rows if r.level == RowLevel.DIVISION and r.snapshot_as_of != self.as_of]

    @property
    def obligations_reported(self) -> int:
        return sum(1 for r in self.rows if r.obligations is not None)

    @property
    def older_rows(self) -> list[ExecutionRow]:
        """Lines whose latest figures are older than the dashboard's date (or missing)."""
        return [r for r in self.rows if r.level == RowLevel.LINE and r.snapshot_as_of != self.as_of]

    def grouped_by_team(self, lines: list[ExecutionRow]) -> list[ExecutionRow]:
        """The lines given (those the filters kept) under their teams, where the division has teams: each
        team's subtotal row (its lines' sums, the rates derived from the sums, against the pace of its
        latest date) then its lines, in the teams' order, the lines of no team last under 팀 미지정. The
        lines as given where the division has no teams."""
        if self.teams is None:
            return lines
        groups: dict[TeamRef | None, list[ExecutionRow]] = {}
        for line in lines:
            groups.setdefault(self.teams.get(line.line_id), []).append(line)
        rows = []
        for team, team_lines in sorted(
            groups.items(), key=lambda g: (g[0] is None, (g[0].order, g[0].name) if g[0] else ())
        ):
            subtotal = sum_rows(
                RowLevel.DIVISION,
                team.name if team else NO_TEAM,
                team_lines,
                code=f"team-{team.pk}" if team else "team-none",
                snapshot_as_of=max((r.snapshot_as_of for r in team_lines if r.snapshot_as_of), default=None),
            )
            subtotal.pace = self.pace.at(figures.months_elapsed(subtotal.snapshot_as_of or self.as_of))
            rows += [subtotal, *team_lines]
        return rows


def _dashboard(
    *, bureau: Bureau, requested: datetime.date | None, division: Division | None, published_only: bool = False
) -> ExecutionDashboard:
    date = dashboard_date(bureau=bureau, requested=requested, published_only=published_only)
    if date.as_of is None:
        return ExecutionDashboard(date, None, None, [], [])
    pace = pace_curve(bureau=bureau, fiscal_year=date.fiscal_year)
    table = execution_table(
        bureau=bureau, fiscal_year=date.fiscal_year, as_of=date.as_of, division=division, publication=date.publication
    )
    for row in table.rows:  # each row against the pace of its own date
        row.pace = pace.at(figures.months_elapsed(row.snapshot_as_of or date.as_of))
    divisions = [r for r in table.rows if r.level == RowLevel.DIVISION]
    statuses = division_statuses(bureau=bureau, dates={r.code: r.snapshot_as_of for r in divisions if r.snapshot_as_of})
    for row in divisions:
        row.status = statuses.get(row.code, "missing")
    series = execution_series(table=table, until=date.as_of, pace=pace)
    if division is None:
        return ExecutionDashboard(date, pace, table.total, divisions, series)
    programs: dict[int, list[ProgramRef]] = {}
    order: list[ProgramRef] = []  # the query's order: direction, then program number
    teams: dict[int, TeamRef | None] = {}
    division_has_teams = False
    # one query for both: each line with its programs (a row each; none for a line of no program) and its team
    for line_id, program_id, title, team_id, team_name, team_order, has_teams in (
        BudgetLine.objects.filter(division=division, fiscal_year=date.fiscal_year)
        .annotate(has_teams=Exists(Team.objects.filter(division=division)))
        .order_by("program_rows__program__core_task__direction__number", "program_rows__program__number")
        .values_list(
            "pk",
            "program_rows__program",
            "program_rows__program__title",
            "team",
            "team__name",
            "team__order",
            "has_teams",
        )
        .distinct()
    ):
        if program_id is not None:
            programs.setdefault(line_id, []).append(ProgramRef(program_id, title))
            order.append(ProgramRef(program_id, title))
        teams[line_id] = TeamRef(team_id, team_name, team_order) if team_id else None
        division_has_teams = has_teams
    lines = [r for r in table.rows if r.level == RowLevel.LINE]
    for row in lines:
        row.programs = programs.get(row.line_id, [])
    total = next((r for r in table.rows if r.level == RowLevel.DIVISION), None)
    return ExecutionDashboard(
        date, pace, total, lines, series, list(dict.fromkeys(order)), teams if division_has_teams else None
    )


def division_dashboard(
    *, division: Division, as_of: datetime.date | None = None, published_only: bool = False
) -> ExecutionDashboard:
    """A division's money at a date: its total with its date and status, each of its lines with both rates
    and the gap to the pace, and its cumulative disbursement rate month by month. Query count is flat in
    lines and months."""
    return _dashboard(bureau=division.bureau, requested=as_of, division=division, published_only=published_only)


def bureau_dashboard(
    *, bureau: Bureau, as_of: datetime.date | None = None, published_only: bool = False
) -> ExecutionDashboard:
    """The bureau's money at a date: its total (the report's 합계), each division with its own date and
    status and the gap to the pace of that date (ranked, furthest behind first; the divisions that have not
    reported for the date after them, unranked), and each division's cumulative rate month by month."""
    dashboard = _dashboard(bureau=bureau, requested=as_of, division=None, published_only=published_only)
    late = dashboard.not_reported
    dashboard.rows.sort(
        key=lambda r: (r in late, r.pace_gap is None, r.pace_gap if r.pace_gap is not None else 0, r.division_order)
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
        earlier_lines = [r for r in earlier_table.rows if r.level == RowLevel.LINE]
        unknown = {r.division_code for r in earlier_lines if r.snapshot_as_of is None}
        for row in earlier_table.rows:
            if row.level == RowLevel.LINE and row.snapshot_as_of is None:
                continue  # no figure yet at the earlier date: unknown, so no change is shown
            if row.level == RowLevel.DIVISION and row.code in unknown or row.level == RowLevel.TOTAL and unknown:
                continue  # a sum over an unknown figure would mislead
            earlier_rows[(row.level, row.code)] = row
    rows = [ExecutionChangeRow(row, earlier_rows.get((row.level, row.code))) for row in later_rows]
    if division is not None:
        rows = [r for r in rows if r.level != RowLevel.TOTAL]
    return ExecutionChange(earlier_date, later_date, rows)


@dataclass
class MeasureEntry:
    """A measure (programs.selectors.measures.MeasureRow) as a dashboard lists it, with what its table
    sorts on."""

    row: MeasureRow

    @property
    def status_rank(self) -> int:
        """달성 0 … 미흡 3; without a status last."""
        status = self.row.status
        return figures.STATUS_ORDER.index(status) if status else len(figures.STATUS_ORDER)


@dataclass
class DashboardMeasures:
    """A dashboard's measures at its date, in the report's order."""

    entries: list[MeasureEntry]

    @property
    def off_track(self) -> list[MeasureEntry]:
        """주의 and 미흡, the worst first (미흡, then 주의), the lowest achievement first within each."""
        rows = [e for e in self.entries if e.row.off_track]
        return sorted(rows, key=lambda e: (-e.status_rank, e.row.achievement is None, e.row.achievement or 0))


def dashboard_measures(*, bureau: Bureau, date: DashboardDate, division: Division | None = None) -> DashboardMeasures:
    """The measures of a division (those it answers for) or of the whole bureau, in the fiscal year of the
    dashboard's date, with results up to that date; with only published figures asked for, the targets and
    results as recorded when the edition shown was published (approved targets only). Three queries."""
    if date.fiscal_year is None:
        return DashboardMeasures([])
    indicators = bureau_indicators(bureau=bureau, fiscal_year=date.fiscal_year)
    if division is not None:
        indicators = indicators.filter(division=division)
    rows = measure_rows(
        indicators=indicators,
        bureau=bureau,
        fiscal_year=date.fiscal_year,
        on_or_before=date.as_of or date.requested,
        recorded_by=date.publication.published_at if date.publication else None,
    )
    return DashboardMeasures([MeasureEntry(row) for row in rows])


def bureau_progress(
    *, bureau: Bureau, as_of: datetime.date | None = None, published_only: bool = False
) -> tuple[DashboardDate, ProgressTree | None]:
    """The bureau's roll-up (programs.selectors.progress) at the dashboards' date: the budget lines with
    the figures the bureau dashboard shows for that date (the edition's, with `published_only`)."""
    date = dashboard_date(bureau=bureau, requested=as_of, published_only=published_only)
    if date.as_of is None:
        return date, None
    table = execution_table(bureau=bureau, fiscal_year=date.fiscal_year, as_of=date.as_of, publication=date.publication)
    recorded_by = date.publication.published_at if date.publication else None
    tree = progress_tree(
        bureau=bureau, fiscal_year=date.fiscal_year, as_of=date.as_of, lines=table.rows, recorded_by=recorded_by
    )
    return date, tree
