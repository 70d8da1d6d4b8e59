"""Where the program sections and the budget summary disagree (the consistency check)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from budget.models import BudgetLine
from budget.selectors.execution import budget_line_figures
from civicbureau import figures
from programs.models import Program, ProgramExecutionRow
from staffing.models import Bureau

STATED_BUDGET_TOLERANCE = 1_000_000  # a 사업예산 is written in 백만원, so a gap under one million won is rounding


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


def consistency_disagreement_list(*, bureau: Bureau, fiscal_year: int, as_of: datetime.date) -> list[Disagreement]:
    """Where a program section's figures disagree with the budget summary (예산 집행 현황) or with the
    program's stated budget (사업예산). The portal shows both values and picks neither."""
    summary = f"{fiscal_year} 예산 집행 현황"
    lines = {
        line.pk: line
        for line in budget_line_figures(
            lines=BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year), as_of=as_of
        )
    }
    rows = list(
        ProgramExecutionRow.objects.filter(budget_line__in=lines.keys(), as_of=as_of)
        .select_related("program")
        .order_by("program__core_task__direction__number", "program__core_task__number", "program__number", "order")
    )
    issues = []
    by_line: dict = {}
    for row in rows:
        by_line.setdefault(row.budget_line_id, []).append(row)
    for line_id, line_rows in by_line.items():
        line = lines[line_id]
        where = " + ".join(f"{r.program.title}: {r.label}" for r in line_rows)
        line_figures = {
            "예산현액": figures.budget_authority(line.original_budget, [line.adjustment_total]),
            "원인행위": line.obligations_to_date,
            "지출액": line.disbursements_to_date,
        }
        program_figures = {
            "예산현액": figures.total(r.budget_authority for r in line_rows),
            "원인행위": figures.total(r.obligations for r in line_rows),
            "지출액": figures.total(r.disbursements for r in line_rows),
        }
        for name, line_value in line_figures.items():
            program_value = program_figures[name]
            if line_value is not None and program_value is not None and line_value != program_value:
                issues.append(
                    Disagreement(f"사업별 예산집행 현황 ({where})", line.name, name, program_value, summary, line_value)
                )
    programs = Program.objects.filter(
        core_task__direction__bureau=bureau, stated_budget__isnull=False
    ).prefetch_related(Prefetch("execution_rows", ProgramExecutionRow.objects.filter(as_of=as_of)))
    for program in programs.order_by("core_task__direction__number", "core_task__number", "number"):
        program_rows = list(program.execution_rows.all())
        if not program_rows:
            continue
        authority = figures.total(r.budget_authority for r in program_rows)
        if abs(authority - program.stated_budget) >= STATED_BUDGET_TOLERANCE:
            issues.append(
                Disagreement(
                    f"사업개요 사업예산 ({program.budget_text})",
                    program.title,
                    "사업예산",
                    program.stated_budget,
                    "사업별 예산집행 현황 예산현액",
                    authority,
                )
            )
    return issues
