"""The bureau's arithmetic: every derived figure the portal shows or exports comes from here.

Base figures (budgets, adjustments, obligations, disbursements, headcounts, revenue) are whole numbers
stored in the database; rates, balances, totals, changes and change rates are computed from them by these
functions, with Decimal and half-up rounding, and never stored. A rate or change rate whose denominator
is zero is None (the pages show it as '-'); a total over a figure that was not reported is None too.
"""

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

RATE_PLACES = 1

# -- bounds: no real figure comes near them, so a figure beyond one is a slip or an attack ----------------
# Every stored amount and count is held within them, by the models' validators (forms, the admin, imports,
# full_clean) and by the database's CheckConstraints; civicbureau.entry holds the words of the refusal.

MAX_WON = 10**15  # ±1,000조 원 per stored amount: Seoul's whole yearly budget is about 5×10¹³ won
MAX_PEOPLE = 10**6  # people in one headcount cell: the city employs about 5×10⁴
# An indicator's value (Decimal(18, 2)): at most 15 significant digits with its two decimals, which every
# backend keeps exactly (SQLite keeps a decimal as a double and Django reads it back to 15 digits).
MAX_INDICATOR_VALUE = 10**13


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


# -- execution pace ---------------------------------------------------------------------------------

MONTHS = 12


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month `day` falls in."""
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def months_elapsed(day: datetime.date) -> int:
    """Months of the fiscal year a cumulative figure as of `day` covers: the months fully past.

    The report's `’22. 7. 1. 기준` is the position at the start of July, so it covers January to June (6);
    a date on a month's last day covers that month too (2022-06-30 → 6, 2022-07-15 → 6, 2022-07-31 → 7).
    """
    if (day + datetime.timedelta(days=1)).month != day.month:
        return day.month
    return day.month - 1


def pace_curve(targets: dict[int, Decimal]) -> list[Decimal]:
    """The cumulative disbursement rate expected at the end of each month 1…12 (one decimal).

    `targets` are the months the bureau set ({6: Decimal('60.0')} for a first-half target); months
    between them follow a straight line from the previous set month to the next, starting from 0 at the
    start of the year and ending at 100 at the end of December unless December is set. With no target
    at all this is the straight line month × 100 ÷ 12.
    """
    known = {
        0: Decimal(0),
        **({MONTHS: Decimal(100)} if MONTHS not in targets else {}),
        **{m: Decimal(v) for m, v in targets.items()},
    }
    months = sorted(known)
    curve = []
    for month in range(1, MONTHS + 1):
        if month in known:
            curve.append(quantize(known[month]))
            continue
        before = max(m for m in months if m < month)
        after = min(m for m in months if m > month)
        share = Decimal(month - before) / Decimal(after - before)
        curve.append(quantize(known[before] + (known[after] - known[before]) * share))
    return curve


def pace_at(curve: list[Decimal], months: int) -> Decimal:
    """The expected rate after `months` months (0 before the end of January)."""
    if months <= 0:
        return quantize(Decimal(0))
    return curve[min(months, MONTHS) - 1]


def percentage_points(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    """The gap between two rates in percentage points (%p), from the rates as shown (one decimal):
    a line at 29.7% against a pace of 50.0% is △20.3%p behind."""
    if current is None or base is None:
        return None
    return quantize(Decimal(current) - Decimal(base))


def is_lagging(rate: Decimal | None, pace: Decimal) -> bool:
    """A line lags when its disbursement rate is below the pace; a line with no rate (no budget) does not."""
    gap = percentage_points(rate, pace)
    return gap is not None and gap < 0


def period_amount(
    cumulative: int | None, previous_cumulative: int | None, *, first_of_year: bool = False
) -> int | None:
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


# -- cautions of entry: figures that may be slips (civicbureau.entry.Caution) ---------------------------

THOUSANDFOLD_BAND = (Decimal("0.5"), Decimal(2))  # "about 1,000 times": from half to twice that
SPIKE_FACTOR = 10


def looks_thousandfold(value: int | None, previous: int | None) -> bool:
    """A figure about 1,000 times smaller or larger than the previous one (value × 1,000 ÷ previous, or the
    reverse, from half to twice): a figure typed in 천원 where won is asked for, or the reverse."""
    if not value or not previous or value < 0 or previous < 0:
        return False
    low, high = THOUSANDFOLD_BAND
    return any(low <= ratio <= high for ratio in (Decimal(value) * 1000 / previous, Decimal(previous) * 1000 / value))


def average_month(cumulative: int | None, months: int) -> Decimal | None:
    """A cumulative figure's average month over the months it covers (None when it covers none)."""
    if cumulative is None or months < 1:
        return None
    return Decimal(cumulative) / months


def is_spike(month_amount: int | None, average: Decimal | None) -> bool:
    """A month's amount more than ten times the average month so far."""
    return month_amount is not None and bool(average) and month_amount > SPIKE_FACTOR * average
