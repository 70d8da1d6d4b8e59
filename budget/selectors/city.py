"""Every bureau of the city as of its latest published period: its total against its pace at that date, in
a few queries whatever the number of bureaus. Read by the city home (city) and the budget office's
내 할 일 (worklist), which may not import each other."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Subquery, Sum

from budget.models import BudgetAdjustment, BudgetLine, Publication, PublishedFigure
from budget.selectors.execution import PART, pace_curves
from civicbureau import figures
from staffing.selectors import bureau_list


@dataclass
class CityBureauRow:
    """A bureau on the city home: the total of its latest published edition against its pace at that
    edition's date (the bureau's own targets for the year, else the city's: pace_curve). Without a
    publication every figure is None (미공표)."""

    name: str
    slug: str
    publication: Publication | None = None
    authority: int | None = None
    disbursements: int | None = None  # None in an edition with a division not reported (미보고): no partial sum
    pace: Decimal | None = None
    pace_set_by_city: bool = False

    @property
    def as_of(self) -> datetime.date | None:
        return self.publication.as_of if self.publication else None

    @property
    def edition(self) -> int | None:
        return self.publication.edition if self.publication else None

    @property
    def rate(self) -> Decimal | None:
        """집행률 on disbursements, as 예산 집행 현황's total."""
        return figures.execution_rate(self.disbursements, self.authority)

    @property
    def pace_gap(self) -> Decimal | None:
        """집행률 − pace, in percentage points (negative: behind)."""
        return figures.percentage_points(self.rate, self.pace)


def latest_publications() -> list[Publication]:
    """Each bureau's latest edition of its latest published period, of any year: one query, one row a
    bureau that published (the others are absent)."""
    latest = Publication.objects.filter(bureau=OuterRef("bureau")).order_by("-as_of", "-edition").values("pk")[:1]
    return list(Publication.objects.filter(pk=Subquery(latest)).order_by("bureau"))


def _sum_in_parts(field: str) -> dict:
    """SUM(field) in two parts that cannot overflow (budget.selectors.execution.PART), added in Python."""
    high = F(field) / PART
    return {"high": Sum(high), "low": Sum(F(field) - high * PART)}


def _parts(row) -> int:
    """The sum from its two parts (PostgreSQL's SUM of bigint is numeric: read back as Decimal)."""
    return int(row["high"] or 0) * PART + int(row["low"] or 0)


def edition_totals(publications: list[Publication]) -> dict[int, tuple[int, int | None]]:
    """(예산현액, 지출액) of each bureau's total in its edition, by bureau pk, as its 예산 집행 현황 shows it:
    its lines of the edition's year, with the adjustments published by the edition and effective by its
    date, and the figures the edition published; 지출액 None when a line has none (a division not reported,
    미보고: no partial sum). Three grouped queries (lines, figures, adjustments), whatever the number of
    bureaus or lines: the sums run in SQL, in two parts each, so that they cannot overflow. Each query
    filters with IN on the bureaus and years and groups by them (an OR of each bureau's own conditions
    made SQLite scan every line: 50 ms at the benchmark's scale against 8); the groups that are not an
    edition's, and the adjustments after its date, are left out here."""
    if not publications:
        return {}
    editions = {p.bureau_id: p for p in publications}
    years = {p.as_of.year for p in publications}
    lines = {
        row["division__bureau"]: row
        for row in BudgetLine.objects.filter(division__bureau__in=list(editions), fiscal_year__in=years)
        .values("division__bureau", "fiscal_year")
        .annotate(**_sum_in_parts("original_budget"), count=Count("pk"))
        if row["fiscal_year"] == editions[row["division__bureau"]].as_of.year
    }
    paid = {
        row["publication__bureau"]: row
        for row in PublishedFigure.objects.filter(publication__in=[p.pk for p in publications])
        .values("publication__bureau")
        .annotate(**_sum_in_parts("disbursements"), count=Count("pk"))
    }
    adjusted: dict[int, int] = {}
    for row in (
        BudgetAdjustment.objects.filter(
            budget_line__division__bureau__in=list(editions),
            budget_line__fiscal_year__in=years,
            published_in__isnull=False,
        )
        .values(
            "budget_line__division__bureau", "budget_line__fiscal_year", "effective_on", "published_in__published_at"
        )
        .annotate(**_sum_in_parts("amount"))
    ):
        edition = editions[row["budget_line__division__bureau"]]
        if (
            row["budget_line__fiscal_year"] == edition.as_of.year
            and row["effective_on"] <= edition.as_of
            and row["published_in__published_at"] <= edition.published_at
        ):
            adjusted[edition.bureau_id] = adjusted.get(edition.bureau_id, 0) + _parts(row)
    totals = {}
    for bureau, row in lines.items():
        figures_row = paid.get(bureau)
        reported = figures_row is not None and figures_row["count"] == row["count"]
        totals[bureau] = (
            figures.budget_authority(_parts(row), [adjusted.get(bureau, 0)]),
            _parts(figures_row) if reported else None,
        )
    return totals


def city_home_rows() -> list[CityBureauRow]:
    """Every bureau (by name) with the total of its latest published edition and its pace at that date:
    six queries (bureaus, editions, their totals in three, paces) whatever the number of bureaus."""
    bureaus = bureau_list()
    publications = {p.bureau_id: p for p in latest_publications()}
    totals = edition_totals(list(publications.values()))
    years = {p.as_of.year for p in publications.values()}
    paces = pace_curves(bureaus=bureaus, fiscal_years=years) if years else {}
    rows = []
    for bureau in bureaus:
        publication = publications.get(bureau.pk)
        if publication is None:
            rows.append(CityBureauRow(bureau.name, bureau.slug))
            continue
        authority, disbursements = totals.get(bureau.pk, (None, None))
        pace = paces[(bureau.pk, publication.as_of.year)]
        rows.append(
            CityBureauRow(
                bureau.name,
                bureau.slug,
                publication,
                authority=authority,
                disbursements=disbursements,
                pace=pace.at(figures.months_elapsed(publication.as_of)),
                pace_set_by_city=pace.set_by_city,
            )
        )
    return rows
