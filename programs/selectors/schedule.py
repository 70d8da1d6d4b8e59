"""The schedule (향후 추진일정): the public months ahead with each milestone's status and actual dates, and
what is due or overdue for the dashboards.

The staff's progress (status, actual start and end) reaches the public the way the other figures without an
approval of their own do (headcount, indicator values): as recorded when the bureau's latest period was
published, and the status is derived at that period's date. A progress save after it shows with the next
edition, so the public pages never show work in progress (programs.apps: such a save changes nothing public).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from budget.models import Publication
from budget.selectors.execution import fiscal_year_latest
from budget.selectors.periods import publication_on
from civicbureau import figures
from civicbureau.audit import as_recorded
from programs.models import Program, ScheduleItem
from programs.selectors.programs import program_divisions, public_program_as_of
from staffing.models import Bureau, Division

Status = ScheduleItem.Status


@dataclass(frozen=True)
class Progress:
    """What the program's division recorded of a milestone (ScheduleItem's status and actual dates)."""

    status: str = Status.PLANNED
    actual_start: datetime.date | None = None
    actual_end: datetime.date | None = None


def milestone_status(
    *, start_month: datetime.date, end_month: datetime.date | None, progress: Progress, on: datetime.date
) -> Status:
    """A milestone's status at a date, from its planned months and what staff recorded by then:

    - 완료 (done): recorded done, or its actual end is on or before the date;
    - 지연 (delayed): recorded delayed, or its planned end month is over before the date and it is not done
      (an open-ended milestone, `’22. 7월~`, has no planned end and is never late by the plan);
    - 추진 중 (in progress): recorded in progress, started (actual start on or before the date), or its
      planned start month has begun;
    - 예정 (planned): none of these.
    """
    if progress.status == Status.DONE or (progress.actual_end is not None and progress.actual_end <= on):
        return Status.DONE
    if progress.status == Status.DELAYED or (end_month is not None and figures.month_end(end_month) < on):
        return Status.DELAYED
    if (
        progress.status == Status.IN_PROGRESS
        or (progress.actual_start is not None and progress.actual_start <= on)
        or start_month <= on
    ):
        return Status.IN_PROGRESS
    return Status.PLANNED


def schedule_publication(*, bureau: Bureau) -> Publication | None:
    """The edition whose date and recording time the public schedule's progress is read at: the latest
    edition of the bureau's latest published period (None: nothing published, so no recorded progress)."""
    year = fiscal_year_latest(bureau=bureau)
    return year and publication_on(bureau=bureau, fiscal_year=year)


def published_progress(*, items: list[ScheduleItem], publication: Publication | None) -> dict[int, Progress]:
    """Each milestone's progress as recorded when the edition was published (one query; none without one)."""
    if publication is None:
        return {}
    return {
        pk: Progress(status, start, end)
        for pk, status, start, end in as_recorded(ScheduleItem, publication.published_at)
        .filter(id__in=[i.pk for i in items])
        .values_list("id", "status", "actual_start", "actual_end")
    }


SCHEDULE_HORIZON_DAYS = 60


def schedule_item_list(*, bureau: Bureau, fiscal_year: int) -> list[ScheduleItem]:
    """The programs' 향후계획 in the report's order (direction, program, item)."""
    return list(
        ScheduleItem.objects.filter(
            program__core_task__direction__bureau=bureau, program__core_task__direction__fiscal_year=fiscal_year
        )
        .select_related("program__core_task__direction")
        .order_by("program__core_task__direction__number", "program__core_task__number", "program__number", "order")
    )


@dataclass
class ScheduleEntry:
    """An item of the upcoming schedule, with its program's divisions."""

    item: ScheduleItem
    divisions: list
    started_before: bool  # it began before the chosen month and is still running
    status: Status = Status.PLANNED  # at the published period's date (milestone_status)
    progress: Progress = Progress()  # as published

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


def public_schedule(
    *, bureau: Bureau, items, from_day: datetime.date, publication: Publication | None = None
) -> list[ScheduleMonth]:
    """The upcoming schedule from `from_day`'s month on, grouped by month: an item still running then is
    listed under that month, a later one under its start month. `items` is a ScheduleItem queryset
    (already filtered, e.g. by division). Each entry has its progress as `publication` published it and
    its status at that edition's date (at `from_day` without one); a milestone whose planned end is before
    that month is listed under it too when it is delayed (late and not done), so that no delay drops out of
    sight. Three queries."""
    first = from_day.replace(day=1)
    items = list(
        items.filter(program__core_task__direction__bureau=bureau)
        .select_related("program__division")
        .order_by(
            "start_month",
            "program__core_task__direction__number",
            "program__core_task__number",
            "program__number",
            "order",
        )
    )
    progress = published_progress(items=items, publication=publication)
    on = publication.as_of if publication else from_day
    divisions = program_divisions(programs={i.program_id: i.program for i in items}.values())
    months: dict[datetime.date, list[ScheduleEntry]] = {}
    for item in items:
        month = max(item.start_month, first)
        recorded = progress.get(item.pk, Progress())
        status = milestone_status(start_month=item.start_month, end_month=item.end_month, progress=recorded, on=on)
        if item.end_month is not None and item.end_month < first and status != Status.DELAYED:
            continue  # over before the chosen month, and done or not late: not ahead
        months.setdefault(month, []).append(
            ScheduleEntry(item, divisions.get(item.program_id, []), item.start_month < first, status, recorded)
        )
    return [ScheduleMonth(month, entries) for month, entries in sorted(months.items())]


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
