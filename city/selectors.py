"""The whole city's execution: every bureau's latest published period, the city's and each bureau's totals
over every line, and the lines a page at a time. The city budget office's view."""

import datetime

from django.utils.translation import gettext_lazy as _

from budget.models import BudgetLine, Publication
from budget.selectors.execution import PART, ExecutionRow, RowLevel, budget_line_figures, line_row, sum_rows
from civicbureau import figures
from civicbureau.publication import figures_cached


def city_fiscal_years() -> list[int]:
    """The fiscal years with budget lines in any bureau, latest first."""
    return list(BudgetLine.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


def city_publications(*, fiscal_year: int, on_or_before: datetime.date | None = None) -> list[Publication]:
    """Each bureau's edition the public sees: the latest edition of its latest period of the year published
    at or before a date (default: the year's latest). A bureau with nothing published is absent."""
    editions = Publication.objects.filter(as_of__year=fiscal_year)
    if on_or_before is not None:
        editions = editions.filter(as_of__lte=on_or_before)
    latest: dict = {}
    for edition in editions.order_by("bureau", "-as_of", "-edition"):
        latest.setdefault(edition.bureau_id, edition)
    return list(latest.values())


def city_execution_totals(*, fiscal_year: int, publications: list[Publication]) -> list[ExecutionRow]:
    """The city's 합계, then each bureau's total as of its own published period: one query reading the base
    figures of every line in the database, summed in Python, where they cannot overflow however many lines
    there are (budget.selectors.execution's note); 예산현액 and the rates are derived from the sums by
    civicbureau.figures. A bureau with a division not reported (미보고) has no execution total, as
    figures.total: no partial sum.

    That query reads every line's published figures, so its result is kept until the figures change
    (publication.figures_cached)."""
    key = ("city-execution-totals", fiscal_year, tuple(sorted(p.pk for p in publications)))
    return figures_cached(key, lambda: _city_execution_totals(fiscal_year, publications), public=True)


def _city_execution_totals(fiscal_year: int, publications: list[Publication]) -> list[ExecutionRow]:
    if not publications:
        return []
    dates = {p.bureau_id: p.as_of for p in publications}
    lines = budget_line_figures(
        lines=BudgetLine.objects.filter(fiscal_year=fiscal_year, division__bureau__in=list(dates)),
        as_of=max(dates.values()),
        publications=publications,
    )
    names: dict[int, str] = {}
    by_bureau: dict[int, list[tuple]] = {}
    for bureau, name, original, high, low, obligations, disbursements in lines.order_by("division__bureau").values_list(
        "division__bureau",
        "division__bureau__name",
        "original_budget",
        "adjustment_high",
        "adjustment_low",
        "obligations_to_date",
        "disbursements_to_date",
    ):
        names[bureau] = name
        by_bureau.setdefault(bureau, []).append((original, high * PART + low, obligations, disbursements))
    bureaus = [
        ExecutionRow(
            level=RowLevel.DIVISION,  # a bureau is a group of the city's table as a division is of a bureau's
            name=names[bureau],
            code=str(bureau),
            original=figures.total(r[0] for r in rows),
            authority=figures.budget_authority(figures.total(r[0] for r in rows), [figures.total(r[1] for r in rows)]),
            obligations=figures.total(r[2] for r in rows),  # None where a line has none: no partial sum
            disbursements=figures.total(r[3] for r in rows),
            snapshot_as_of=dates[bureau],
        )
        for bureau, rows in by_bureau.items()
    ]
    if not bureaus:
        return []
    return [sum_rows(RowLevel.TOTAL, _("합계"), bureaus), *bureaus]


def city_execution_lines(*, fiscal_year: int, publications: list[Publication]):
    """Every budget line of the bureaus that published, with its published figures, in order (bureau,
    division, line): a queryset, so that a page of it is read with LIMIT/OFFSET; `city_execution_rows`
    turns a page into rows."""
    lines = BudgetLine.objects.filter(
        fiscal_year=fiscal_year, division__bureau__in=[p.bureau_id for p in publications]
    ).select_related("division__bureau")
    as_of = max(p.as_of for p in publications)
    return budget_line_figures(lines=lines, as_of=as_of, publications=publications).order_by(
        "division__bureau", "division__order", "order", "pk"
    )


def city_execution_rows_all(*, fiscal_year: int, publications: list[Publication]) -> list[ExecutionRow]:
    """Every line of the bureaus that published, as rows, for a sort over every page: reading them takes
    about 1.4 s for 5,400 lines on SQLite (three subqueries a line), so the rows are kept until the
    figures change (publication.figures_cached), as the totals are."""
    key = ("city-execution-rows", fiscal_year, tuple(sorted(p.pk for p in publications)))
    return figures_cached(
        key,
        lambda: city_execution_rows(city_execution_lines(fiscal_year=fiscal_year, publications=publications)),
        public=True,
    )


def city_execution_rows(lines) -> list[ExecutionRow]:
    return [line_row(line, bureau_name=line.division.bureau.name, division_name=line.division.name) for line in lines]
