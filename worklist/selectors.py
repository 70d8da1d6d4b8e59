"""내 할 일: what is waiting for a person, by role, each item linking to where it is done.

- Division staff and directors: the division's milestones past their planned month and not marked done
  (their progress to record), the division's months due (past month ends of the year after the latest
  published period, not yet submitted) and its returned months, with the reason; each with its deadline
  (the bureau's n-th working day after the month end, Bureau.entry_deadline) and late (지연) once it passed.
- Approvers (a division's director; the bureau director and planning for every division): submitted months
  waiting for them, with how long they have waited.
- The bureau director and planning: who is late (not submitted by the deadline) and who has not submitted
  yet before it, by period, and which periods can be published. A month already covered by a published
  period is never "missing".

send_reminders mails each person what this selector gives them (worklist.services).
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from budget.models import DivisionMonth
from budget.selectors.execution import fiscal_year_latest
from budget.selectors.periods import STATUS_LABELS, bureau_periods, publication_on, reporting_divisions
from civicbureau import figures
from programs.models import ScheduleItem
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

    @property
    def is_empty(self) -> bool:
        lists = (self.due, self.returned, self.awaiting, self.late, self.pending, self.publishable, self.milestones)
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


def my_work(*, user, today: datetime.date) -> MyWork:
    membership = membership_of(user)
    work = MyWork(membership)
    if membership is None:
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
