"""Progress that rolls up (issue 18): for a bureau's fiscal year at a date, each direction → core task →
program with the program's budget lines, milestones and measures, and what each level adds up to.

The rules (README "Measures and the roll-up"):

- A program: its milestones counted done / on time / late (schedule.milestone_status at the date, from
  what staff recorded); its measures' statuses counted (measures.measure_rows); its average achievement,
  the mean of its measures' achievements each capped at 100 % (figures.capped), blanks left out, never
  counted as zero (figures.mean; decidim PR #5026); its status, the worst of its measures' statuses
  (figures.worst_status), and at least 주의 when a milestone is late; its execution, the sums of its budget
  lines' 예산현액 and 지출액 with the rate of the sums (figures.execution_rate), never an average of rates.
- A core task from its programs, a direction from its core tasks, by the same rules: the mean of the
  children's known averages, the counts summed, the worst status, the execution from the summed amounts of
  the budget lines under it, each line once even where two of its programs share it.
- Nothing known gives None, shown '-': a program with no measures has no average and no status.

Six queries at most for any number of programs (programs, milestones, program ↔ line links, and the
three of measure_rows), plus the execution table's when its lines are not passed in.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from budget.selectors.execution import ExecutionRow, RowLevel, execution_table
from civicbureau import figures
from programs.models import CoreTask, Direction, Indicator, Program, ProgramExecutionRow, ScheduleItem
from programs.selectors.measures import STATUS_LABELS, MeasureRow, measure_rows
from programs.selectors.schedule import Progress, milestone_status
from staffing.models import Bureau

Status = ScheduleItem.Status
NO_STATUS = "none"  # a measure without a status (no target, or no result yet), in status_counts


@dataclass
class Milestone:
    """A milestone (ScheduleItem) with its status at the roll-up's date."""

    item: ScheduleItem
    status: Status

    @property
    def is_done(self) -> bool:
        return self.status == Status.DONE

    @property
    def is_late(self) -> bool:
        return self.status == Status.DELAYED


class RollUp:
    """What every level of the tree reports; a subclass says what its children, lines, milestones and
    measures are."""

    children: list

    @property
    def milestones_done(self) -> int:
        return sum(child.milestones_done for child in self.children)

    @property
    def milestones_late(self) -> int:
        return sum(child.milestones_late for child in self.children)

    @property
    def milestones_on_time(self) -> int:
        return sum(child.milestones_on_time for child in self.children)

    @property
    def status_counts(self) -> dict[str, int]:
        """How many measures are 달성, 정상, 주의, 미흡, and without a status ('none')."""
        counts = dict.fromkeys((*figures.STATUS_ORDER, NO_STATUS), 0)
        for child in self.children:
            for status, count in child.status_counts.items():
                counts[status] += count
        return counts

    @property
    def average(self) -> Decimal | None:
        """The mean of the children's known averages (blanks left out)."""
        return figures.mean(child.average for child in self.children)

    @property
    def status(self) -> str | None:
        return figures.worst_status(child.status for child in self.children)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "-")

    @property
    def lines(self) -> list[ExecutionRow]:
        """The budget lines under this level, each once."""
        seen: dict[int, ExecutionRow] = {}
        for child in self.children:
            for line in child.lines:
                seen.setdefault(line.line_id, line)
        return list(seen.values())

    @property
    def authority(self) -> int | None:
        lines = self.lines
        return figures.total(line.authority for line in lines) if lines else None

    @property
    def disbursements(self) -> int | None:
        lines = self.lines
        return figures.total(line.disbursements for line in lines) if lines else None

    @property
    def rate(self) -> Decimal | None:
        """집행률 of the summed amounts (never an average of the lines' rates)."""
        return figures.execution_rate(self.disbursements, self.authority)


@dataclass
class ProgramProgress(RollUp):
    program: Program
    budget_lines: list[ExecutionRow] = field(default_factory=list)  # its budget lines at the date
    milestones: list[Milestone] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)

    @property
    def children(self) -> list:
        return []

    @property
    def lines(self) -> list[ExecutionRow]:
        return self.budget_lines

    @property
    def milestones_done(self) -> int:
        return sum(1 for m in self.milestones if m.is_done)

    @property
    def milestones_late(self) -> int:
        return sum(1 for m in self.milestones if m.is_late)

    @property
    def milestones_on_time(self) -> int:
        return len(self.milestones) - self.milestones_done - self.milestones_late

    @property
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys((*figures.STATUS_ORDER, NO_STATUS), 0)
        for measure in self.measures:
            counts[measure.status or NO_STATUS] += 1
        return counts

    @property
    def average(self) -> Decimal | None:
        """The mean of its measures' achievements, each capped at 100 %; blanks left out."""
        return figures.mean(figures.capped(measure.achievement) for measure in self.measures)

    @property
    def status(self) -> str | None:
        """The worst of its measures' statuses; a late milestone makes it at least 주의."""
        late = [figures.CAUTION] if self.milestones_late else []
        return figures.worst_status([*(measure.status for measure in self.measures), *late])


@dataclass
class CoreTaskProgress(RollUp):
    core_task: CoreTask
    children: list[ProgramProgress] = field(default_factory=list)


@dataclass
class DirectionProgress(RollUp):
    direction: Direction
    children: list[CoreTaskProgress] = field(default_factory=list)


@dataclass
class ProgressTree(RollUp):
    """The bureau's roll-up at a date: its directions, and the bureau's own figures from them."""

    fiscal_year: int
    as_of: datetime.date
    children: list[DirectionProgress] = field(default_factory=list)


def progress_tree(
    *,
    bureau: Bureau,
    fiscal_year: int,
    as_of: datetime.date,
    lines: list[ExecutionRow] | None = None,
    recorded_by: datetime.datetime | None = None,
) -> ProgressTree:
    """The roll-up of a bureau's fiscal year at a date. `lines`: the budget lines' rows of an execution
    table already read for that date (a dashboard's), else the execution table is read here.
    `recorded_by`: the measures as recorded then, approved targets only (an edition's publication)."""
    if lines is None:
        lines = execution_table(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of).rows
    line_rows = {row.line_id: row for row in lines if row.level == RowLevel.LINE}
    programs = list(
        Program.objects.filter(core_task__direction__bureau=bureau, core_task__direction__fiscal_year=fiscal_year)
        .select_related("core_task__direction", "division")
        .order_by("core_task__direction__number", "core_task__number", "number")
    )
    by_program = {program.pk: ProgramProgress(program) for program in programs}
    links = (
        ProgramExecutionRow.objects.filter(program__in=by_program, budget_line__fiscal_year=fiscal_year)
        .order_by("program", "order")
        .values_list("program_id", "budget_line_id")
    )
    for program_id, line_id in dict.fromkeys(links):  # a line in two rows of one program's table: once
        if line_id in line_rows:
            by_program[program_id].budget_lines.append(line_rows[line_id])
    for item in ScheduleItem.objects.filter(program__in=by_program).order_by("program", "order"):
        progress = Progress(item.status, item.actual_start, item.actual_end)
        status = milestone_status(start_month=item.start_month, end_month=item.end_month, progress=progress, on=as_of)
        by_program[item.program_id].milestones.append(Milestone(item, status))
    indicators = Indicator.objects.filter(program__in=by_program).select_related("division").order_by("order", "pk")
    measures = measure_rows(
        indicators=indicators, bureau=bureau, fiscal_year=fiscal_year, on_or_before=as_of, recorded_by=recorded_by
    )
    for row in measures:
        by_program[row.indicator.program_id].measures.append(row)
    tree = ProgressTree(fiscal_year, as_of)
    directions: dict[int, DirectionProgress] = {}
    core_tasks: dict[int, CoreTaskProgress] = {}
    for program in programs:
        core_task = program.core_task
        if core_task.direction_id not in directions:
            directions[core_task.direction_id] = DirectionProgress(core_task.direction)
            tree.children.append(directions[core_task.direction_id])
        if core_task.pk not in core_tasks:
            core_tasks[core_task.pk] = CoreTaskProgress(core_task)
            directions[core_task.direction_id].children.append(core_tasks[core_task.pk])
        core_tasks[core_task.pk].children.append(by_program[program.pk])
    return tree
