"""A bureau's major programs (주요사업): their execution tables, and the public list and sections."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Min, Prefetch
from django.utils.translation import gettext_lazy as _

from budget.models import Publication
from budget.selectors.periods import publication_on
from civicbureau import figures
from civicbureau.audit import as_recorded
from programs.models import (
    Achievement,
    Indicator,
    MeasureTarget,
    Program,
    ProgramExecutionRow,
    ProgramOutlineItem,
    ScheduleItem,
)
from programs.outline import OutlineError, OutlineNode, outline_parse, outline_tree
from programs.selectors.indicators import IndicatorReading, indicator_reading_list
from programs.selectors.measures import MeasureRow, bureau_indicators, measure_rows
from staffing.models import Bureau, Division


@dataclass
class ProgramExecutionLine:
    """A row of a program's 예산집행 현황 table, with both rates (on obligations and on disbursements)."""

    label: str
    authority: int | None
    obligations: int | None
    disbursements: int | None

    @property
    def obligation_rate(self) -> Decimal | None:
        return figures.execution_rate(self.obligations, self.authority)

    @property
    def disbursement_rate(self) -> Decimal | None:
        return figures.execution_rate(self.disbursements, self.authority)


@dataclass
class ProgramExecutionTable:
    program: Program
    as_of: datetime.date | None
    rows: list[ProgramExecutionLine]

    @property
    def total(self) -> ProgramExecutionLine | None:
        """The 계 row, where the program's table shows one (as the report does for some programs)."""
        if not self.program.execution_total_shown:
            return None
        return ProgramExecutionLine(
            _("계"),
            figures.total(r.authority for r in self.rows),
            figures.total(r.obligations for r in self.rows),
            figures.total(r.disbursements for r in self.rows),
        )


def program_rows_latest_date(*, bureau: Bureau, on_or_before: datetime.date | None = None) -> datetime.date | None:
    """The latest date for which the program sections report their execution tables."""
    rows = ProgramExecutionRow.objects.filter(program__core_task__direction__bureau=bureau)
    if on_or_before:
        rows = rows.filter(as_of__lte=on_or_before)
    return rows.aggregate(latest=Max("as_of"))["latest"]


def program_execution_tables(*, bureau: Bureau, as_of: datetime.date) -> list[ProgramExecutionTable]:
    """Every program's own execution table as of a date, in the report's order (programs without one are left out)."""
    programs = (
        Program.objects.filter(core_task__direction__bureau=bureau)
        .select_related("core_task__direction")
        .prefetch_related(Prefetch("execution_rows", ProgramExecutionRow.objects.filter(as_of=as_of).order_by("order")))
        .order_by("core_task__direction__number", "core_task__number", "number")
    )
    tables = []
    for program in programs:
        rows = [
            ProgramExecutionLine(r.label, r.budget_authority, r.obligations, r.disbursements)
            for r in program.execution_rows.all()
        ]
        if rows:
            tables.append(ProgramExecutionTable(program, as_of, rows))
    return tables


def _add_divisions(divisions: list[Division], rows) -> list[Division]:
    """The divisions of the budget lines the rows draw on (rows with `budget_line__division` read), added in
    the divisions' order to those already there."""
    for row in sorted(rows, key=lambda r: r.budget_line.division.order):
        if row.budget_line.division not in divisions:
            divisions.append(row.budget_line.division)
    return divisions


def program_divisions(*, programs) -> dict[int, list[Division]]:
    """Each program's divisions (one query; `programs` with their `division` loaded): its own division
    (`Program.division`, the one the report's 부서별 주요업무 names for a program without a table) first, then
    those of the budget lines its execution rows draw on; a program with neither has none (the page says
    부서 미상)."""
    programs = list(programs)
    ids = [program.pk for program in programs]
    found: dict[int, list[Division]] = {p.pk: [p.division] for p in programs if p.division_id is not None}
    rows: dict[int, list[ProgramExecutionRow]] = {}
    for row in ProgramExecutionRow.objects.filter(program__in=ids).select_related("budget_line__division"):
        rows.setdefault(row.program_id, []).append(row)
    for pk, program_rows in rows.items():
        found[pk] = _add_divisions(found.get(pk, []), program_rows)
    return found


@dataclass
class ProgramSummary:
    program: Program
    divisions: list


def public_program_list(*, bureau: Bureau) -> list[ProgramSummary]:
    """The major programs in the report's order, each with its core task, direction and divisions."""
    programs = list(
        Program.objects.filter(core_task__direction__bureau=bureau)
        .select_related("core_task__direction", "division")
        .order_by("core_task__direction__fiscal_year", "core_task__direction__number", "core_task__number", "number")
    )
    divisions = program_divisions(programs=programs)
    return [ProgramSummary(p, divisions.get(p.pk, [])) for p in programs]


def public_program_as_of(*, bureau: Bureau) -> datetime.date | None:
    """The date of the latest approved program figures (the program sections' as-of date)."""
    return ProgramExecutionRow.objects.filter(program__core_task__direction__bureau=bureau).aggregate(
        latest=Max("as_of")
    )["latest"]


OVERVIEW = "사업개요"  # the section whose items the page shows among the overview's 부서, 추진근거 and 사업예산


@dataclass
class OutlineSection:
    """A □ heading of a program's section with its items as nested lists (programs.outline.OutlineNode)."""

    title: str
    items: list[OutlineNode]


def program_outline_sections(*, items) -> list[OutlineSection]:
    """A program's outline items (in order) as its sections, each a tree, in the order the report gives them."""
    grouped: list[tuple[str, list]] = []
    for item in items:
        if not grouped or grouped[-1][0] != item.section:
            grouped.append((item.section, []))
        grouped[-1][1].append(item)
    return [OutlineSection(title, outline_tree(section_items)) for title, section_items in grouped]


def achievement_outline(achievement: Achievement) -> OutlineNode:
    """An achievement as the report writes it: a ○ item (with its date) and the lines under it nested as
    the text indents them (programs.outline); lines that do not parse as an outline are listed flat."""
    head, _, rest = achievement.text.partition("\n")
    try:
        children = outline_tree(outline_parse(rest))
    except OutlineError:
        children = [OutlineNode("", line.strip(), []) for line in rest.splitlines() if line.strip()]
    text = f"{head} ({achievement.date_text})" if achievement.date_text else head
    return OutlineNode("○", text, children)


@dataclass
class ProgramMeasure:
    """A measure (성과지표) of a program on its public page: its target, result, achievement and status in the
    program's year as the bureau published them, and its readings (with their breakdowns) by date."""

    row: MeasureRow
    readings: list[IndicatorReading]

    @property
    def indicator(self) -> Indicator:
        return self.row.indicator

    @property
    def has_chart(self) -> bool:
        """A chart where there is a series: two dated results or more."""
        return len(self.row.series) >= 2


@dataclass
class ProgramDetail:
    """A major program laid out like its section of the report."""

    program: Program
    divisions: list
    as_of: datetime.date | None
    leading: list[OutlineSection]  # □ headings the report puts before 사업개요 (도입배경)
    overview: OutlineSection | None  # the 사업개요 items, shown with the overview's other entries
    sections: list[OutlineSection]  # the □ headings after it (추진계획, 주요 개선방향 …)
    achievements: list[OutlineNode]  # 추진실적, each a ○ item with the lines under it
    execution: ProgramExecutionTable | None
    schedule: list
    measures: list[ProgramMeasure]  # empty before the bureau published a period of the program's year
    publication: Publication | None = None  # the bureau's latest published period of the program's year


def public_program_detail(*, bureau: Bureau, slug: str) -> ProgramDetail | None:
    """A program's page: the program with its sections, execution table, schedule and measures. The same
    number of queries whatever the number of programs, rows or measures: the program's own execution rows
    (all dates, each with its budget line's division) give its latest table and its divisions; its measures
    and their readings are read as recorded when the bureau's period was published, dated by then, approved
    targets only (programs.selectors.measures)."""
    program = (
        Program.objects.filter(core_task__direction__bureau=bureau, slug=slug)
        .select_related("core_task__direction", "division")
        .prefetch_related(
            Prefetch("outline_items", ProgramOutlineItem.objects.order_by("order")),
            Prefetch("achievements", Achievement.objects.order_by("order")),
            Prefetch("schedule_items", ScheduleItem.objects.order_by("order")),
            Prefetch(
                "execution_rows",
                ProgramExecutionRow.objects.select_related("budget_line__division").order_by("as_of", "order"),
            ),
            Prefetch("indicators", Indicator.objects.select_related("division").order_by("order", "pk")),
        )
        .first()
    )
    if program is None:
        return None
    all_rows = list(program.execution_rows.all())
    as_of = all_rows[-1].as_of if all_rows else None
    execution = None
    if as_of is not None:
        execution = ProgramExecutionTable(
            program,
            as_of,
            [
                ProgramExecutionLine(r.label, r.budget_authority, r.obligations, r.disbursements)
                for r in all_rows
                if r.as_of == as_of
            ],
        )
    sections = program_outline_sections(items=program.outline_items.all())
    overview_at = next((i for i, section in enumerate(sections) if section.title == OVERVIEW), None)
    fiscal_year = program.core_task.direction.fiscal_year
    edition = publication_on(bureau=bureau, fiscal_year=fiscal_year)
    measures = []
    if edition is not None:
        indicators = list(program.indicators.all())
        # published with the bureau's period: as recorded then, dated by then, approved targets only
        published = {"on_or_before": edition.as_of, "recorded_by": edition.published_at}
        readings: dict[int, list[IndicatorReading]] = {}
        for reading in indicator_reading_list(indicators=indicators, **published):
            readings.setdefault(reading.indicator.pk, []).append(reading)
        measures = [
            ProgramMeasure(row, readings.get(row.indicator.pk, []))
            for row in measure_rows(indicators=indicators, bureau=bureau, fiscal_year=fiscal_year, **published)
        ]
    return ProgramDetail(
        program=program,
        divisions=_add_divisions([program.division] if program.division_id else [], all_rows),
        as_of=as_of,
        leading=sections[:overview_at] if overview_at is not None else [],
        overview=sections[overview_at] if overview_at is not None else None,
        sections=sections[overview_at + 1 :] if overview_at is not None else sections,
        achievements=[achievement_outline(a) for a in program.achievements.all()],
        execution=execution,
        schedule=list(program.schedule_items.all()),
        measures=measures,
        publication=edition,
    )


def public_program_outline(*, bureau: Bureau, slug: str) -> tuple[Program, list[ProgramOutlineItem]] | None:
    """A program and its outline items in order (for its open-data files); None when there is no such program."""
    program = Program.objects.filter(core_task__direction__bureau=bureau, slug=slug).first()
    if program is None:
        return None
    return program, list(program.outline_items.order_by("order"))


@dataclass
class PublishedTarget:
    """An approved revision of a measure's target, as recorded when the period was published, with the
    moment it was first recorded as approved."""

    target: MeasureTarget
    approved_at: datetime.datetime | None


@dataclass
class PublicMeasures:
    """The bureau's measures as the public sees them in one published period: each measure's row in the
    period's fiscal year, and every approved revision of every target (all years) recorded by then."""

    publication: Publication
    rows: list[MeasureRow]
    targets: list[PublishedTarget]


def public_measures(*, bureau: Bureau, publication: Publication) -> PublicMeasures:
    """What the bureau published of its measures with a period: results dated by its as-of date and targets
    approved, both as recorded when it was published (six queries, whatever the number of measures)."""
    indicators = list(bureau_indicators(bureau=bureau, fiscal_year=publication.fiscal_year))
    rows = measure_rows(
        indicators=indicators,
        bureau=bureau,
        fiscal_year=publication.fiscal_year,
        on_or_before=publication.as_of,
        recorded_by=publication.published_at,
    )
    by_pk = {indicator.pk: indicator for indicator in indicators}
    approved = MeasureTarget.Status.APPROVED
    targets = list(
        as_recorded(MeasureTarget, publication.published_at)
        .filter(indicator__in=list(by_pk), status=approved)
        .order_by("fiscal_year", "period_end", "revision")
    )
    approved_at = dict(
        MeasureTarget.history.filter(
            id__in=[t.pk for t in targets], status=approved, history_date__lte=publication.published_at
        )
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    order = {indicator.pk: place for place, indicator in enumerate(indicators)}
    targets.sort(key=lambda t: (order[t.indicator_id], t.fiscal_year, t.period_end, t.revision))
    for target in targets:
        target.indicator = by_pk[target.indicator_id]  # already read, with its program and division
    return PublicMeasures(
        publication, rows, [PublishedTarget(target, approved_at.get(target.pk)) for target in targets]
    )
