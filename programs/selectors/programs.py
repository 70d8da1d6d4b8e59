"""A bureau's major programs (주요사업): their execution tables, and the public list and sections."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Prefetch
from django.utils.translation import gettext_lazy as _

from budget.models import Publication
from budget.selectors.periods import publication_on
from civicbureau import figures
from programs.models import Achievement, Program, ProgramExecutionRow, ProgramOutlineItem, ScheduleItem
from programs.outline import OutlineError, OutlineNode, outline_parse, outline_tree
from programs.selectors.indicators import indicator_reading_list
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


def program_divisions(*, programs) -> dict[int, list[Division]]:
    """Each program's divisions (one query; `programs` with their `division` loaded): its own division
    (`Program.division`, the one the report's 부서별 주요업무 names for a program without a table) first, then
    those of the budget lines its execution rows draw on; a program with neither has none (the page says
    부서 미상)."""
    programs = list(programs)
    ids = [program.pk for program in programs]
    found: dict[int, list[Division]] = {p.pk: [p.division] for p in programs if p.division_id is not None}
    rows = (
        ProgramExecutionRow.objects.filter(program__in=ids)
        .select_related("budget_line__division")
        .order_by("budget_line__division__order")
    )
    for row in rows:
        divisions = found.setdefault(row.program_id, [])
        if row.budget_line.division not in divisions:
            divisions.append(row.budget_line.division)
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
    indicators: list
    publication: Publication | None = None  # the bureau's latest published period of the program's year


def public_program_detail(*, bureau: Bureau, slug: str) -> ProgramDetail | None:
    program = (
        Program.objects.filter(core_task__direction__bureau=bureau, slug=slug)
        .select_related("core_task__direction", "division")
        .prefetch_related(
            Prefetch("outline_items", ProgramOutlineItem.objects.order_by("order")),
            Prefetch("achievements", Achievement.objects.order_by("order")),
            Prefetch("schedule_items", ScheduleItem.objects.order_by("order")),
        )
        .first()
    )
    if program is None:
        return None
    as_of = program.execution_rows.aggregate(latest=Max("as_of"))["latest"]
    execution = None
    if as_of is not None:
        execution = next(
            (t for t in program_execution_tables(bureau=bureau, as_of=as_of) if t.program.pk == program.pk), None
        )
    sections = program_outline_sections(items=program.outline_items.all())
    overview_at = next((i for i, section in enumerate(sections) if section.title == OVERVIEW), None)
    edition = publication_on(bureau=bureau, fiscal_year=program.core_task.direction.fiscal_year)
    return ProgramDetail(
        program=program,
        divisions=program_divisions(programs=[program]).get(program.pk, []),
        as_of=as_of,
        leading=sections[:overview_at] if overview_at is not None else [],
        overview=sections[overview_at] if overview_at is not None else None,
        sections=sections[overview_at + 1 :] if overview_at is not None else sections,
        achievements=[achievement_outline(a) for a in program.achievements.all()],
        execution=execution,
        schedule=list(program.schedule_items.all()),
        # indicator values are published with the bureau's period: as recorded then, dated by then
        indicators=indicator_reading_list(program=program, on_or_before=edition.as_of, recorded_by=edition.published_at)
        if edition
        else [],
        publication=edition,
    )


def public_program_outline(*, bureau: Bureau, slug: str) -> tuple[Program, list[ProgramOutlineItem]] | None:
    """A program and its outline items in order (for its open-data files); None when there is no such program."""
    program = Program.objects.filter(core_task__direction__bureau=bureau, slug=slug).first()
    if program is None:
        return None
    return program, list(program.outline_items.order_by("order"))
