"""The whole city's execution: every bureau's approved figures, the city's and each bureau's totals over
every line, and the lines a page at a time. The city budget office's view."""

import datetime

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetLine, ExecutionSnapshot
from budget.selectors.execution import ExecutionRow, RowLevel, budget_line_figures, line_row, sum_rows
from civicbureau import figures
from civicbureau.publication import figures_cached


def city_fiscal_years() -> list[int]:
    """The fiscal years with budget lines in any bureau, latest first."""
    return list(BudgetLine.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


def city_execution_date(*, fiscal_year: int, month: datetime.date | None = None) -> datetime.date | None:
    """The latest approved snapshot of the year in any bureau, at or before the month's end (default: the
    year's latest). Each line is then taken at its own latest approved snapshot at or before that date."""
    snapshots = ExecutionSnapshot.objects.filter(
        budget_line__fiscal_year=fiscal_year, approved_disbursements__isnull=False
    )
    if month is not None:
        snapshots = snapshots.filter(as_of__lte=figures.month_end(month))
    # ORDER BY … LIMIT 1 rather than MAX(): over the whole city PostgreSQL reads the as_of index backwards
    # and stops at the first match, where MAX() scans every snapshot of the year (1 ms against 150 ms on the
    # benchmark's 648,000 snapshots). For one bureau MAX() is the fast form: later dates of other bureaus
    # would be read first.
    return snapshots.order_by("-as_of").values_list("as_of", flat=True).first()


def city_execution_totals(*, fiscal_year: int, as_of: datetime.date) -> list[ExecutionRow]:
    """The city's 합계, then each bureau's total, from approved figures: one query summing the base figures
    of every line in the database (예산현액 and the rates are derived from the sums by civicbureau.figures).

    That query reads every line's latest snapshot (about 95 ms for the benchmark's 5,400 lines a year on
    PostgreSQL), so its result is kept until the figures change (publication.figures_cached)."""
    return figures_cached(
        ("city-execution-totals", fiscal_year, as_of), lambda: _city_execution_totals(fiscal_year, as_of), public=True
    )


def _city_execution_totals(fiscal_year: int, as_of: datetime.date) -> list[ExecutionRow]:
    lines = budget_line_figures(
        lines=BudgetLine.objects.filter(fiscal_year=fiscal_year), as_of=as_of, approved_only=True
    )
    sums = (
        lines.values("division__bureau", "division__bureau__name")
        .annotate(
            original=Sum("original_budget"),
            adjustments=Sum("adjustment_total"),
            obligations=Sum("obligations_to_date"),
            reported=Count("obligations_to_date"),
            disbursements=Sum("disbursements_to_date"),
            count=Count("pk"),
        )
        .order_by("division__bureau")
    )
    bureaus = [
        ExecutionRow(
            level=RowLevel.DIVISION,  # a bureau is a group of the city's table as a division is of a bureau's
            name=s["division__bureau__name"],
            code=str(s["division__bureau"]),
            original=s["original"],
            authority=figures.budget_authority(s["original"], [s["adjustments"]]),
            obligations=s["obligations"] if s["reported"] == s["count"] else None,  # as figures.total: no partial sum
            disbursements=s["disbursements"],
        )
        for s in sums
    ]
    if not bureaus:
        return []
    return [sum_rows(RowLevel.TOTAL, _("합계"), bureaus), *bureaus]


def city_execution_lines(*, fiscal_year: int, as_of: datetime.date):
    """Every budget line of the city with its approved figures, in order (bureau, division, line): a
    queryset, so that a page of it is read with LIMIT/OFFSET; `city_execution_rows` turns a page into rows."""
    lines = BudgetLine.objects.filter(fiscal_year=fiscal_year).select_related("division__bureau")
    return budget_line_figures(lines=lines, as_of=as_of, approved_only=True).order_by(
        "division__bureau", "division__order", "order", "pk"
    )


def city_execution_rows(lines) -> list[ExecutionRow]:
    return [line_row(line, bureau_name=line.division.bureau.name, division_name=line.division.name) for line in lines]
