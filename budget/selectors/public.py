"""What the public sees: approved figures only (a division-month in draft, submitted or returned is not
public; only its last approved revision is), for one bureau and for the whole city."""

import datetime

from django.db.models import Max

from budget.models import BudgetLine, DivisionBudget, RevenueAmount
from budget.selectors.execution import (
    ComparisonRow,
    ExecutionTable,
    execution_latest_date,
    execution_table,
    expenditure_summary,
    revenue_summary,
)
from civicbureau import figures
from staffing.models import Bureau


def public_execution_date(
    *, bureau: Bureau, fiscal_year: int, month: datetime.date | None = None
) -> datetime.date | None:
    """The as-of date the public sees for a fiscal year and an as-of month: the latest approved snapshot at or
    before that month's end (default: the latest approved snapshot of the year). None: no figures yet.
    A division-month in draft, submitted or returned is not public (only its last approved revision is)."""
    limit = figures.month_end(month) if month is not None else None
    return execution_latest_date(bureau=bureau, fiscal_year=fiscal_year, on_or_before=limit, approved_only=True)


def public_execution_table(
    *, bureau: Bureau, fiscal_year: int, month: datetime.date | None = None
) -> ExecutionTable | None:
    """예산 집행 현황 as the public sees it for a year and as-of month; None when no approved figures exist by then."""
    as_of = public_execution_date(bureau=bureau, fiscal_year=fiscal_year, month=month)
    if as_of is None:
        return None
    return execution_table(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of, approved_only=True)


def public_fiscal_years(*, bureau: Bureau) -> list[int]:
    """The fiscal years with budget lines, latest first."""
    return list(
        BudgetLine.objects.filter(division__bureau=bureau)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def public_revenue_summary(*, bureau: Bureau, fiscal_year: int) -> tuple[datetime.date | None, list[ComparisonRow]]:
    """세입총괄 against the previous year, as of the latest approved date of the revenue figures."""
    as_of = RevenueAmount.objects.filter(fiscal_year=fiscal_year).aggregate(latest=Max("as_of"))["latest"]
    if as_of is None:
        return None, []
    return as_of, revenue_summary(fiscal_year=fiscal_year, base_year=fiscal_year - 1, as_of=as_of)


def public_expenditure_summary(*, bureau: Bureau, fiscal_year: int) -> tuple[datetime.date | None, list[ComparisonRow]]:
    """세출총괄 against the previous year's final budget, dated like the comparison figures it reads."""
    as_of = DivisionBudget.objects.filter(division__bureau=bureau, fiscal_year=fiscal_year - 1).aggregate(
        latest=Max("as_of")
    )["latest"]
    return as_of, expenditure_summary(bureau=bureau, fiscal_year=fiscal_year, base_year=fiscal_year - 1)
