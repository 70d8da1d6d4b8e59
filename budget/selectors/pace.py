"""The city's pace targets (시 집행 목표), as the budget office keeps them on /city/pace/: the months set for a
fiscal year, the version of that set (optimistic locking), and which bureaus follow it. How a bureau's pace
is drawn from its own targets or the city's: budget.selectors.execution.pace_curve."""

from dataclasses import dataclass
from decimal import Decimal

from budget.models import BudgetLine, BudgetPaceTarget
from civicbureau import audit
from staffing.models import Bureau


def city_pace_targets(*, fiscal_year: int) -> dict[int, Decimal]:
    """The city's targets of the year by month (only the months set)."""
    return dict(
        BudgetPaceTarget.objects.filter(bureau__isnull=True, fiscal_year=fiscal_year).values_list(
            "month", "target_rate"
        )
    )


def city_pace_version(*, fiscal_year: int) -> int:
    """The version of the city's targets of the year: the id of their latest history row (0 when none)."""
    return audit.history_version(BudgetPaceTarget.history.filter(bureau__isnull=True, fiscal_year=fiscal_year))


@dataclass(frozen=True)
class BureauPaceSource:
    """Whether a bureau follows the city's targets for the year or set its own (how many months)."""

    bureau: Bureau
    own_months: int

    @property
    def follows_city(self) -> bool:
        return self.own_months == 0


def bureau_pace_sources(*, fiscal_year: int) -> list[BureauPaceSource]:
    """Every bureau, by name, with the number of months of its own targets for the year (two queries)."""
    own: dict[int, int] = {}
    for bureau_id in BudgetPaceTarget.objects.filter(bureau__isnull=False, fiscal_year=fiscal_year).values_list(
        "bureau_id", flat=True
    ):
        own[bureau_id] = own.get(bureau_id, 0) + 1
    bureaus = Bureau.objects.order_by("name").only("pk", "name", "slug")
    return [BureauPaceSource(bureau, own.get(bureau.pk, 0)) for bureau in bureaus]


def city_pace_years() -> list[int]:
    """The fiscal years the page offers: those with budget lines or city targets, latest first."""
    years = set(BudgetLine.objects.values_list("fiscal_year", flat=True).distinct())
    years |= set(BudgetPaceTarget.objects.filter(bureau__isnull=True).values_list("fiscal_year", flat=True))
    return sorted(years, reverse=True)
