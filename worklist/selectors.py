"""내 할 일: what is waiting for a person, by role, each item linking to where it is done.

- Division staff and directors: the division's milestones past their planned month and not marked done
  (their progress to record), the division's months due (past month ends of the year after the latest
  published period, not yet submitted) and its returned months, with the reason; each with its deadline
  (the bureau's n-th working day after the month end, Bureau.entry_deadline) and late (지연) once it passed.
- Approvers (a division's director; the bureau director and planning for every division): submitted months
  waiting for them, with how long they have waited.
- Division staff and directors, for the measures their division answers for (성과지표): how many have no
  target proposed or approved for the year (one item with the count, linking to the list of them), targets
  returned with the reason, and results due (a measure with an approved target whose period has ended
  with no value dated in it since the previous target's date).
- Approvers: proposed targets waiting for them, one item per measure and year.
- The bureau director and planning: who is late (not submitted by the deadline) and who has not submitted
  yet before it, by period, and which periods can be published. A month already covered by a published
  period is never "missing".
- The city budget office (예산담당관, in no bureau): in the city's latest fiscal year, the bureaus whose
  published total is behind their pace (their own targets, else the city's) at their latest published period, and the bureaus that have not
  published the last month end (news, not work: never mailed), each linking to that bureau's page.

send_reminders mails each person what this selector gives them (worklist.services).
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from budget.models import BudgetLine, DivisionMonth
from budget.selectors.city import CityBureauRow, city_home_rows
from budget.selectors.execution import fiscal_year_latest
from budget.selectors.periods import STATUS_LABELS, bureau_periods, publication_on, reporting_divisions
from civicbureau import figures
from programs.models import Indicator, MeasureTarget, ScheduleItem
from programs.selectors.measures import MeasureRow, in_fiscal_year, measure_rows
from programs.selectors.targets import UNPROPOSED, target_unproposed
from staffing.middleware import bureau_url, page_path
from staffing.models import Bureau, Division, Membership
from staffing.permissions import APPROVE, BUREAU_ROLES, membership_of, restrict


@dataclass(frozen=True)
class MonthItem:
    division: Division
    as_of: datetime.date
    status: str
    reason: str = ""
    since: datetime.datetime | None = None  # submitted at (for months waiting for approval)
    deadline: datetime.date | None = None  # the last day to submit (months to enter or correct)
    late: bool = False  # the deadline has passed

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def deadline_label(self) -> str:
        return pgettext_lazy("deadline", "지연") if self.late else pgettext_lazy("deadline", "마감 전")

    @property
    def url(self) -> str:
        return reverse("budget:month_detail", args=[self.division.code, self.as_of])


@dataclass(frozen=True)
class PeriodGroup:
    """The items of one period (기준일), with the period's deadline."""

    as_of: datetime.date
    deadline: datetime.date | None
    items: list[MonthItem]


def by_period(items: list[MonthItem]) -> list[PeriodGroup]:
    """Items grouped by their date, earliest first (the order within a date is kept)."""
    groups = []
    for as_of, grouped in groupby(sorted(items, key=lambda item: item.as_of), key=lambda item: item.as_of):
        group = list(grouped)
        groups.append(PeriodGroup(as_of, group[0].deadline, group))
    return groups


@dataclass(frozen=True)
class MeasureItem:
    """A measure-year with something to do: targets to propose again (returned, with the reason), targets to
    approve (with how many), or a result due for the target's date."""

    indicator: Indicator
    fiscal_year: int
    reason: str = ""
    count: int = 0  # proposed targets waiting (approvers)
    due_on: datetime.date | None = None  # the target's date whose result is due
    row: MeasureRow | None = None  # an off-track measure's figures (status, achievement, result and its date)

    @property
    def url(self) -> str:
        if self.due_on is not None:
            return reverse("programs:indicator_values", args=[self.indicator.code])
        return reverse("programs:measure_targets", args=[self.indicator.code, self.fiscal_year])


@dataclass(frozen=True)
class TargetsMissing:
    """One item for all the division's measures with no target proposed or approved for the year."""

    division: Division
    fiscal_year: int
    count: int

    @property
    def url(self) -> str:
        return reverse("programs:measure_list") + f"?status={UNPROPOSED}&year={self.fiscal_year}"


@dataclass(frozen=True)
class BureauItem:
    """A bureau the budget office looks at: its latest published total against its pace (the city home's
    row) and that period's date if it is of the year watched (None: nothing published this year)."""

    row: CityBureauRow
    as_of: datetime.date | None

    @property
    def dashboard_url(self) -> str:
        return bureau_url(self.row.slug, page_path(reverse("dashboards:bureau_dashboard")))

    @property
    def periods_url(self) -> str:
        return bureau_url(self.row.slug, page_path(reverse("budget:period_list")))


@dataclass
class MyWork:
    membership: Membership | None
    fiscal_year: int | None = None
    due: list[MonthItem] = field(default_factory=list)  # the division's months to enter or submit
    returned: list[MonthItem] = field(default_factory=list)
    awaiting: list[MonthItem] = field(default_factory=list)  # submitted months waiting for this approver
    late: list[MonthItem] = field(default_factory=list)  # the bureau's months not submitted by their deadline
    pending: list[MonthItem] = field(default_factory=list)  # the bureau's months not submitted, deadline ahead
    publishable: list = field(default_factory=list)  # periods with something to publish
    milestones: list[ScheduleItem] = field(default_factory=list)  # the division's, past their month, not done
    targets_missing: list[TargetsMissing] = field(default_factory=list)  # at most one item, with the count
    targets_returned: list[MeasureItem] = field(default_factory=list)
    results_due: list[MeasureItem] = field(default_factory=list)
    targets_awaiting: list[MeasureItem] = field(default_factory=list)  # proposed targets waiting for this approver
    off_track: list[MeasureItem] = field(default_factory=list)  # the division's measures at 주의 or 미흡
    behind_pace: list[BureauItem] = field(default_factory=list)  # budget office: bureaus behind their pace
    unpublished: list[BureauItem] = field(default_factory=list)  # budget office: the last month end unpublished
    last_month_end: datetime.date | None = None  # budget office: the month end every bureau should have published

    @property
    def is_empty(self) -> bool:
        lists = (
            self.due,
            self.returned,
            self.awaiting,
            self.late,
            self.pending,
            self.publishable,
            self.milestones,
            self.targets_missing,
            self.targets_returned,
            self.results_due,
            self.targets_awaiting,
            self.off_track,
            self.behind_pace,
            self.unpublished,
        )
        return not any(lists)

    @property
    def late_by_period(self) -> list[PeriodGroup]:
        return by_period(self.late)

    @property
    def pending_by_period(self) -> list[PeriodGroup]:
        return by_period(self.pending)


def _due_dates(bureau: Bureau, fiscal_year: int, today: datetime.date) -> list[datetime.date]:
    """The month ends of the year that have passed and that no published period covers yet."""
    published = publication_on(bureau=bureau, fiscal_year=fiscal_year)
    after = published.as_of if published else datetime.date(fiscal_year, 1, 1) - datetime.timedelta(days=1)
    ends = [figures.month_end(datetime.date(fiscal_year, month, 1)) for month in range(1, 13)]
    return [day for day in ends if after < day < today]


def _month_item(bureau: Bureau, today: datetime.date, division, as_of, status, reason="") -> MonthItem:
    """A month still to enter or correct, with its deadline and whether that has passed."""
    deadline = bureau.entry_deadline(as_of)
    return MonthItem(division, as_of, status, reason, deadline=deadline, late=today > deadline)


def _open_months(bureau: Bureau, today: datetime.date, divisions, dates) -> list[MonthItem]:
    """Each division × date whose month is not submitted or approved: missing, draft or returned."""
    months = {
        (m.division_id, m.as_of): m for m in DivisionMonth.objects.filter(division__in=divisions, as_of__in=dates)
    }
    items = []
    for day in dates:
        for division in divisions:
            month = months.get((division.pk, day))
            if month is None:
                items.append(_month_item(bureau, today, division, day, DivisionMonth.Status.MISSING))
            elif month.status in (DivisionMonth.Status.DRAFT, DivisionMonth.Status.RETURNED):
                items.append(_month_item(bureau, today, division, day, month.status, month.reason))
    return items


def _milestones_due(division: Division, today: datetime.date) -> list[ScheduleItem]:
    """The division's milestones whose planned month (its end, or its start when it has no end) has ended
    without being marked done: whoever answers for them records their progress."""
    items = ScheduleItem.objects.filter(program__division=division).exclude(status=ScheduleItem.Status.DONE)
    return [
        item
        for item in items.select_related("program").order_by("start_month", "program__number", "order")
        if figures.month_end(item.end_month or item.start_month) < today
    ]


def _result_due_on(row, today: datetime.date) -> datetime.date | None:
    """The date of the latest approved target (a part's or the year's) that has passed, when no value of the
    measure is dated after the target before it (or 1 January) and on or before that date."""
    ends = sorted([part.period_end for part in row.parts] + ([row.target.period_end] if row.target else []))
    ended = [end for end in ends if end < today]
    if not ended:
        return None
    end = ended[-1]
    earlier = [e for e in ends if e < end]
    after = earlier[-1] if earlier else datetime.date(row.fiscal_year, 1, 1) - datetime.timedelta(days=1)
    return None if any(after < day <= end for day, _value in row.series) else end


def _measure_work(work: MyWork, membership: Membership, bureau: Bureau, today: datetime.date) -> None:
    """The division's measures: targets to propose, returned targets, results due, and those off track (주의,
    미흡) to look into (three queries)."""
    measures = in_fiscal_year(Indicator.objects.filter(division=membership.division_id), work.fiscal_year)
    measures = measures.order_by("order", "pk")
    rows = measure_rows(indicators=measures, bureau=bureau, fiscal_year=work.fiscal_year)
    missing = sum(1 for row in rows if target_unproposed(row))
    if missing:
        work.targets_missing = [TargetsMissing(membership.division, work.fiscal_year, missing)]
    for row in rows:
        returned = [p for p in row.pending if p.status == MeasureTarget.Status.RETURNED]
        if returned:
            work.targets_returned.append(MeasureItem(row.indicator, row.fiscal_year, reason=returned[0].reason))
        due_on = _result_due_on(row, today)
        if due_on is not None:
            work.results_due.append(MeasureItem(row.indicator, row.fiscal_year, due_on=due_on))
        if row.off_track:
            work.off_track.append(MeasureItem(row.indicator, row.fiscal_year, row=row))


def _targets_awaiting(user) -> list[MeasureItem]:
    """Proposed targets the person may approve, one item per measure and year (one query)."""
    proposed = restrict(MeasureTarget.objects.filter(status=MeasureTarget.Status.PROPOSED), user, APPROVE)
    items: dict[tuple[int, int], MeasureItem] = {}
    for target in proposed.select_related("indicator").order_by("fiscal_year", "indicator__order", "period_end"):
        key = (target.indicator_id, target.fiscal_year)
        found = items.get(key)
        items[key] = MeasureItem(target.indicator, target.fiscal_year, count=(found.count if found else 0) + 1)
    return list(items.values())


def _city_watch(work: MyWork, today: datetime.date) -> None:
    """The budget office's view of the city in its latest fiscal year, as the city home shows it
    (budget.selectors.city.city_home_rows, a few queries whatever the number of bureaus): the bureaus whose
    latest published total of the year is behind their pace at its date (their own targets, else the
    city's: behind_pace), and those whose latest published period is before the last month end that has
    passed (unpublished)."""
    lines = BudgetLine.objects.filter(fiscal_year__lte=today.year)
    work.fiscal_year = lines.aggregate(latest=Max("fiscal_year"))["latest"]
    if work.fiscal_year is None:
        return
    previous_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    last_month_end = min(datetime.date(work.fiscal_year, 12, 31), previous_month_end)
    work.last_month_end = last_month_end if last_month_end.year == work.fiscal_year else None
    reporting = set(
        Bureau.objects.filter(divisions__budget_lines__fiscal_year=work.fiscal_year).values_list("slug", flat=True)
    )  # a bureau with no line of the year has nothing to publish for it
    for row in city_home_rows():
        if row.slug not in reporting:
            continue
        as_of = row.as_of if row.as_of is not None and row.as_of.year == work.fiscal_year else None
        if work.last_month_end is not None and (as_of is None or as_of < work.last_month_end):
            work.unpublished.append(BureauItem(row, as_of))
        if as_of is not None and figures.is_lagging(row.rate, row.pace):
            work.behind_pace.append(BureauItem(row, as_of))


def my_work(*, user, today: datetime.date) -> MyWork:
    membership = membership_of(user)
    work = MyWork(membership)
    if membership is None:
        return work
    if membership.role == Membership.Role.BUDGET_OFFICE:
        _city_watch(work, today)
        return work
    bureau = membership.bureau
    work.fiscal_year = fiscal_year_latest(bureau=bureau)
    if work.fiscal_year is None:
        return work
    divisions = reporting_divisions(bureau=bureau, fiscal_year=work.fiscal_year)
    dates = _due_dates(bureau, work.fiscal_year, today)
    if membership.role in Membership.DIVISION_ROLES:
        own = [d for d in divisions if d.pk == membership.division_id]
        work.due = [m for m in _open_months(bureau, today, own, dates) if m.status != DivisionMonth.Status.RETURNED]
        returned = DivisionMonth.objects.filter(division__in=own, status=DivisionMonth.Status.RETURNED)
        work.returned = [
            _month_item(bureau, today, m.division, m.as_of, m.status, m.reason)
            for m in returned.select_related("division").order_by("as_of")
        ]
        work.milestones = _milestones_due(membership.division, today)
        _measure_work(work, membership, bureau, today)
    work.targets_awaiting = _targets_awaiting(user)
    submitted_at = (
        DivisionMonth.history.filter(id=OuterRef("pk"), status=DivisionMonth.Status.SUBMITTED)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    waiting = restrict(DivisionMonth.objects.filter(status=DivisionMonth.Status.SUBMITTED), user, APPROVE)
    work.awaiting = [
        MonthItem(m.division, m.as_of, m.status, since=m.submitted_at)
        for m in waiting.annotate(submitted_at=Subquery(submitted_at)).select_related("division").order_by("as_of")
    ]
    if membership.role in BUREAU_ROLES:
        open_months = _open_months(bureau, today, divisions, dates)
        work.late = [m for m in open_months if m.late]
        work.pending = [m for m in open_months if not m.late]
        work.publishable = [p for p in bureau_periods(bureau=bureau, fiscal_year=work.fiscal_year) if p.has_changes]
    return work
