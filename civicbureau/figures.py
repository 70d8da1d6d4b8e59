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


# -- performance measures (성과지표): achievement, expected value, status ------------------------------
# A measure's direction says which results are good (programs.models.Indicator.Direction holds the same
# words): the higher the better, the lower the better, within a range, or done / not done (1 / 0).

HIGHER, LOWER, RANGE, YES_NO = "higher", "lower", "range", "yes_no"
ACHIEVED, NORMAL, CAUTION, POOR = "achieved", "normal", "caution", "poor"
STATUS_ORDER = (ACHIEVED, NORMAL, CAUTION, POOR)  # best first: a roll-up takes the worst of its children


def achievement(
    result: Decimal | None,
    target: Decimal | None = None,
    *,
    direction: str,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> Decimal | None:
    """달성률 (%, one decimal, half up) of a result against a target; None where either is missing or the
    division has no meaning (a zero target, a zero result of a lower-is-better measure).

    - higher is better: 실적 ÷ 목표 × 100
    - lower is better: 목표 ÷ 실적 × 100 (a result at or under the target is 100 or more)
    - within a range [하한, 상한]: 100 inside it; under it 실적 ÷ 하한 × 100; over it 상한 ÷ 실적 × 100
    - done / not done: 100 when the result is 1 (done), 0 when it is 0
    """
    if result is None:
        return None
    if direction == YES_NO:
        return quantize(Decimal(100) if result >= 1 else Decimal(0))
    if direction == RANGE:
        if low is None or high is None:
            return None
        if low <= result <= high:
            return quantize(Decimal(100))
        return percent(result, low) if result < low else percent(high, result)
    if direction == LOWER:
        return percent(target, result)
    return percent(result, target)


def target_met(
    result: Decimal | None,
    target: Decimal | None = None,
    *,
    direction: str,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> bool | None:
    """Whether a result meets its target (None when either is missing): at or over it, at or under it,
    within the range, or done."""
    if result is None:
        return None
    if direction == RANGE:
        return None if low is None or high is None else low <= result <= high
    if direction == YES_NO:
        return result >= 1
    if target is None:
        return None
    return result <= target if direction == LOWER else result >= target


def expected_part(parts: Iterable[tuple[datetime.date, object]], on: datetime.date):
    """The part of the year's targets in force at a date: of the targets set for parts of the year (each
    with the last day of its quarter or month, cumulative from the start of the year), the latest whose
    period has ended on or before `on`; None when none has (the year's target applies then)."""
    ended = [(end, part) for end, part in parts if end <= on]
    return max(ended, key=lambda pair: pair[0])[1] if ended else None


def measure_status(
    result: Decimal | None,
    *,
    direction: str,
    year: tuple[Decimal | None, Decimal | None, Decimal | None],
    expected: tuple[Decimal | None, Decimal | None, Decimal | None] | None,
    normal_from: Decimal,
    caution_from: Decimal,
) -> str | None:
    """달성, 정상, 주의 or 미흡 of a result (None, shown '-', when the result or the year's target is missing).

    `year` and `expected` are (target, low, high): the year's target, and the part of it in force at the
    result's date (None: the year's target is the expectation). 달성 when the result meets the year's
    target; otherwise its achievement against the expectation: at or over `normal_from` % 정상, at or over
    `caution_from` % 주의, else 미흡 (a done / not-done measure not yet done is 정상 while the part in force
    expects nothing (0), 미흡 once it expects it done)."""
    met = target_met(result, year[0], direction=direction, low=year[1], high=year[2])
    if met is None:
        return None
    if met:
        return ACHIEVED
    target, low, high = expected if expected is not None else year
    if direction == YES_NO and target is not None and target < 1:
        return NORMAL
    score = achievement(result, target, direction=direction, low=low, high=high)
    if score is None:
        return None
    if score >= normal_from:
        return NORMAL
    return CAUTION if score >= caution_from else POOR


def worst_status(statuses: Iterable[str | None]) -> str | None:
    """The worst of some statuses, blanks left out (None when every one is blank)."""
    known = [status for status in statuses if status is not None]
    return max(known, key=STATUS_ORDER.index) if known else None


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """The average of the known values, one decimal, half up; blanks are left out, not counted as zero
    (None when every value is blank)."""
    known = [Decimal(value) for value in values if value is not None]
    return quantize(sum(known, Decimal(0)) / len(known)) if known else None


def capped(value: Decimal | None, cap: Decimal = Decimal(100)) -> Decimal | None:
    """A value no higher than `cap` (an achievement of 250% counts as 100% in an average: one measure far
    over its target must not hide another far under)."""
    return None if value is None else min(Decimal(value), cap)
