"""The bureau's arithmetic: every derived figure the portal shows or exports comes from here.

Base figures (budgets, adjustments, obligations, disbursements, headcounts, revenue) are whole numbers
stored in the database; rates, balances, totals, changes and change rates are computed from them by these
functions, with Decimal and half-up rounding, and never stored. A rate or change rate whose denominator
is zero is None (the pages show it as '-'); a total over a figure that was not reported is None too.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

RATE_PLACES = 1


def quantize(value: Decimal, places: int = RATE_PLACES) -> Decimal:
    """Round half up (away from zero for .5, as Korean public tables do) to `places` decimals."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(part: int | None, whole: int | None, places: int = RATE_PLACES) -> Decimal | None:
    """part × 100 ÷ whole, rounded half up; None when either is unknown or whole is zero."""
    if part is None or whole is None or whole == 0:
        return None
    return quantize(Decimal(part) * 100 / Decimal(whole), places)


def execution_rate(executed: int | None, budget_authority: int | None) -> Decimal | None:
    """집행률 = executed ÷ 예산현액 × 100, one decimal (on obligations or on disbursements)."""
    return percent(executed, budget_authority)


def balance(budget_authority: int | None, executed: int | None) -> int | None:
    """집행잔액 = 예산현액 − 집행액."""
    if budget_authority is None or executed is None:
        return None
    return budget_authority - executed


def budget_authority(original: int, adjustments: Iterable[int]) -> int:
    """예산현액 = 당초예산 ± 추경, 이월, 전용, 예비비 … (each adjustment signed)."""
    return original + sum(adjustments, 0)


def total(values: Iterable[int | None]) -> int | None:
    """Sum of base figures; None if any of them was not reported (a partial sum would mislead)."""
    result = 0
    for value in values:
        if value is None:
            return None
        result += value
    return result


def change(current: int | None, base: int | None) -> int | None:
    """증감 = this year − comparison year (A − B)."""
    if current is None or base is None:
        return None
    return current - base


def change_rate(current: int | None, base: int | None) -> Decimal | None:
    """증감률 = (A − B) × 100 ÷ B, one decimal."""
    return percent(change(current, base), base)


def vacancy(quota: int, current: int) -> int:
    """Vacancies against the quota (정원 − 현원); negative when more people are in post than the quota."""
    return quota - current


def in_unit(won: int | None, unit_won: int) -> Decimal | None:
    """A won amount expressed in a display unit (1,000 for 천원), rounded half up to a whole unit."""
    if won is None:
        return None
    return quantize(Decimal(won) / Decimal(unit_won), 0)


def period_amount(cumulative: int | None, previous_cumulative: int | None, *, first_of_year: bool = False) -> int | None:
    """A month's own amount from two cumulative-to-date figures (staff enter the cumulative ones).

    The first period of a fiscal year has no earlier figure: its amount is its cumulative figure. Otherwise
    an earlier figure that was not reported (the 2022 report gives some lines no obligations) leaves the
    month's amount unknown (None). A correction that lowers a cumulative figure gives a negative month.
    """
    if cumulative is None:
        return None
    if first_of_year:
        return cumulative
    if previous_cumulative is None:
        return None
    return cumulative - previous_cumulative
