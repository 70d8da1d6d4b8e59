"""The schedule (향후 추진일정): the public months ahead, and what is due or overdue for the dashboards."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from programs.models import Program, ScheduleItem
from programs.selectors.programs import program_divisions, public_program_as_of
from staffing.models import Bureau, Division

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
