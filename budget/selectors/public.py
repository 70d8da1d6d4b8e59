"""What the public sees: published periods only. A period's figures reach the public when the bureau
publishes an edition of it (budget.models.periods); a draft, a submitted month or an approved month of an
open period is not public, nor is a correction until it is published as the next edition."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, Max

from budget.models import BudgetLine, DivisionBudget, RevenueAmount
from budget.selectors.execution import (
    ComparisonRow,
    ExecutionRow,
    ExecutionTable,
    PaceCurve,
    RowLevel,
    execution_table,
    expenditure_summary,
    pace_curve,
    revenue_summary,
)
from budget.selectors.periods import publication_on
from civicbureau import figures
from staffing.models import Bureau


def public_execution_table(
    *, bureau: Bureau, fiscal_year: int, on_or_before: datetime.date | None = None, edition: int | None = None
) -> ExecutionTable | None:
    """예산 집행 현황 as the public sees it: the latest published period of the year at or before a date
    (default: the year's latest), in its latest edition or the one asked for; None when nothing is
    published by then (or no such edition)."""
    publication = publication_on(bureau=bureau, fiscal_year=fiscal_year, on_or_before=on_or_before, edition=edition)
    if publication is None:
        return None
    return execution_table(bureau=bureau, fiscal_year=fiscal_year, publication=publication)


@dataclass
class PublicHeadline:
    """The figures a citizen reads first on /execution/: the published total against the pace of its date,
    and each division's rate for the chart, all from one published edition's table."""

    table: ExecutionTable
    total: ExecutionRow  # the table's total, with the pace at the table's date
    divisions: list[ExecutionRow]  # in the report's order, each with the same pace
    pace: PaceCurve

    @property
    def rows(self) -> list[ExecutionRow]:
        """The total, then each division: the chart's bars and its table's rows."""
        return [self.total, *self.divisions]

    @property
    def months_elapsed(self) -> int:
        return figures.months_elapsed(self.table.as_of)

    @property
    def pace_now(self) -> Decimal:
        return self.total.pace


def public_execution_headline(*, bureau: Bureau, table: ExecutionTable) -> PublicHeadline | None:
    """예산현액, 집행액 (지출액) and 집행률 of a published table's total, against the bureau's pace at the
    table's date (the same curve the dashboards compare against: budget.selectors.execution.pace_curve), and
    each division's rate. One query (the pace targets); None for a table without figures."""
    if table.total is None or table.as_of is None:
        return None
    pace = pace_curve(bureau=bureau, fiscal_year=table.fiscal_year)
    now = pace.at(figures.months_elapsed(table.as_of))
    return PublicHeadline(
        table=table,
        total=dataclasses.replace(table.total, pace=now),
        divisions=[dataclasses.replace(r, pace=now) for r in table.rows if r.level == RowLevel.DIVISION],
        pace=pace,
    )


def public_fiscal_years(*, bureau: Bureau) -> list[int]:
    """The fiscal years with budget lines, latest first."""
    return list(
        BudgetLine.objects.filter(division__bureau=bureau)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def public_revenue_summary(*, bureau: Bureau, fiscal_year: int) -> tuple[datetime.date | None, list[ComparisonRow]]:
    """세입총괄 against the previous year, as of the latest approved date of the revenue figures. Revenue
    amounts name no bureau: they are the report's, the default bureau's (the first made); another bureau
    has none (in the same query)."""
    as_of = RevenueAmount.objects.filter(
        ~Exists(Bureau.objects.filter(pk__lt=bureau.pk)), fiscal_year=fiscal_year
    ).aggregate(latest=Max("as_of"))["latest"]
    if as_of is None:
        return None, []
    return as_of, revenue_summary(fiscal_year=fiscal_year, base_year=fiscal_year - 1, as_of=as_of)


def public_expenditure_summary(*, bureau: Bureau, fiscal_year: int) -> tuple[datetime.date | None, list[ComparisonRow]]:
    """세출총괄 against the previous year's final budget, dated like the comparison figures it reads."""
    as_of = DivisionBudget.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year - 1).aggregate(
        latest=Max("as_of")
    )["latest"]
    return as_of, expenditure_summary(bureau=bureau, fiscal_year=fiscal_year, base_year=fiscal_year - 1)
