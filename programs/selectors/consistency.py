"""Where the program sections and the budget summary disagree (the consistency check), period by period.

A check is of one reporting period of the bureau (budget.models.periods); by default its latest published
one, the period the public reads. The program sections' rows (ProgramExecutionRow) are dated by the report
that printed them, so a period is compared with the latest program rows at or before its date. The other
side is what the budget summary (예산 집행 현황) gives for the period: the figures of its latest edition
when it is published, the latest internal figures (drafts included) when it is not.

예산현액 changes only by an adjustment, so it is compared whatever the dates; 원인행위 and 지출액 are
cumulative, so they are compared only where the line's figures are dated like the program rows (a later
month differs from an earlier table by nature, not by a slip). The portal shows both values and picks
neither.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from budget.models import BudgetLine, Publication
from budget.selectors.execution import adjustment_total, budget_line_figures, execution_latest_date
from budget.selectors.periods import publication_on
from civicbureau import figures
from programs.models import Program, ProgramExecutionRow
from programs.selectors.programs import program_rows_latest_date
from staffing.models import Bureau

STATED_BUDGET_TOLERANCE = 1_000_000  # a 사업예산 is written in 백만원, so a gap under one million won is rounding
REPORT_ORDER = ("program__core_task__direction__number", "program__core_task__number", "program__number", "order")


@dataclass(frozen=True)
class Disagreement:
    """Two tables of the report giving different base figures for the same thing."""

    table: str
    row: str
    field: str
    value: int
    other_table: str
    other_value: int
    unit: str = "원"
    rows: tuple = ()  # the program rows whose sum is `value`, where the other table is 예산 집행 현황

    @property
    def programs(self) -> list[Program]:
        """The programs whose tables give `value` (two when a line is split between programs)."""
        found = []
        for row in self.rows:
            if row.program not in found:
                found.append(row.program)
        return found


@dataclass
class ConsistencyCheck:
    """The consistency check of one reporting period."""

    fiscal_year: int
    as_of: datetime.date | None  # the period; None: no date asked for and nothing published
    publication: Publication | None = None  # its latest edition; None: not published (internal figures)
    program_as_of: datetime.date | None = None  # the program rows compared; None: no figures to compare
    issues: list[Disagreement] = field(default_factory=list)

    @property
    def has_figures(self) -> bool:
        return self.program_as_of is not None


def consistency_check(*, bureau: Bureau, fiscal_year: int, as_of: datetime.date | None = None) -> ConsistencyCheck:
    """Where the program sections disagree with the budget summary or with their stated budget, for the
    period `as_of` (default: the latest published period of the year)."""
    publication = publication_on(bureau=bureau, fiscal_year=fiscal_year, on_or_before=as_of)
    if as_of is None:
        as_of = publication.as_of if publication else None
    elif publication is not None and publication.as_of != as_of:
        publication = None  # an earlier period is published, this one is not
    check = ConsistencyCheck(fiscal_year, as_of, publication)
    if as_of is None or as_of.year != fiscal_year:
        return check
    if (
        publication is None
        and execution_latest_date(bureau=bureau, fiscal_year=fiscal_year, on_or_before=as_of) is None
    ):
        return check
    program_as_of = compared_program_date(bureau=bureau, as_of=as_of)
    if program_as_of is None:
        return check
    check.program_as_of = program_as_of
    lines = BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year)
    check.issues = line_disagreements(
        lines=lines, as_of=as_of, publication=publication, program_as_of=program_as_of
    ) + stated_budget_disagreements(bureau=bureau, program_as_of=program_as_of)
    return check


def compared_program_date(*, bureau: Bureau, as_of: datetime.date) -> datetime.date | None:
    """The date of the program rows a period is compared with: the latest at or before it, in its year."""
    day = program_rows_latest_date(bureau=bureau, on_or_before=as_of)
    return day if day is not None and day.year == as_of.year else None


def line_disagreements(
    *, lines, as_of: datetime.date, publication: Publication | None, program_as_of: datetime.date
) -> list[Disagreement]:
    """Where the program rows dated `program_as_of` of `lines` disagree with 예산 집행 현황 of the period
    `as_of`: the edition `publication` (what the public reads), or, for a period not yet published (None),
    the approved figures an edition would publish (never a draft). In the report's order of the programs
    (three queries)."""
    summary = _("%(year)s 예산 집행 현황") % {"year": as_of.year}
    published = [publication] if publication is not None else None
    by_pk = {
        line.pk: line
        for line in budget_line_figures(lines=lines, as_of=as_of, approved_only=True, publications=published)
    }
    rows = (
        ProgramExecutionRow.objects.filter(budget_line__in=by_pk.keys(), as_of=program_as_of)
        .select_related("program")
        .order_by(*REPORT_ORDER)
    )
    by_line: dict = {}
    for row in rows:
        by_line.setdefault(row.budget_line_id, []).append(row)
    issues = []
    for line_id, line_rows in by_line.items():
        line = by_pk[line_id]
        same_date = line.snapshot_as_of == program_as_of
        where = " + ".join(f"{r.program.title}: {r.label}" for r in line_rows)
        compared = [
            (
                _("예산현액"),
                figures.total(r.budget_authority for r in line_rows),
                figures.budget_authority(line.original_budget, [adjustment_total(line)]),
            ),
            (
                _("원인행위"),
                figures.total(r.obligations for r in line_rows),
                line.obligations_to_date if same_date else None,
            ),
            (
                _("지출액"),
                figures.total(r.disbursements for r in line_rows),
                line.disbursements_to_date if same_date else None,
            ),
        ]
        for name, program_value, line_value in compared:
            if line_value is not None and program_value is not None and line_value != program_value:
                issues.append(
                    Disagreement(
                        _("사업별 예산집행 현황 (%(where)s)") % {"where": where},
                        line.name,
                        name,
                        program_value,
                        summary,
                        line_value,
                        rows=tuple(line_rows),
                    )
                )
    return issues


def stated_budget_disagreements(*, bureau: Bureau, program_as_of: datetime.date) -> list[Disagreement]:
    """Where a program's stated budget (사업예산, in 백만원) is not its execution table's 예산현액."""
    programs = Program.objects.filter(
        core_task__direction__bureau=bureau, stated_budget__isnull=False
    ).prefetch_related(Prefetch("execution_rows", ProgramExecutionRow.objects.filter(as_of=program_as_of)))
    issues = []
    for program in programs.order_by("core_task__direction__number", "core_task__number", "number"):
        program_rows = list(program.execution_rows.all())
        if not program_rows:
            continue
        authority = figures.total(r.budget_authority for r in program_rows)
        if abs(authority - program.stated_budget) >= STATED_BUDGET_TOLERANCE:
            issues.append(
                Disagreement(
                    _("사업개요 사업예산 (%(text)s)") % {"text": program.budget_text},
                    program.title,
                    _("사업예산"),
                    program.stated_budget,
                    _("사업별 예산집행 현황 예산현액"),
                    authority,
                )
            )
    return issues
