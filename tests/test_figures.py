"""The arithmetic module: half-up rounding, zero denominators, negatives, totals with gaps."""

from decimal import Decimal

from civicbureau import figures


def test_rates_round_half_up_to_one_decimal():
    assert figures.percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3 (banker's rounding would give 6.2)
    assert figures.percent(1, 8) == Decimal("12.5")
    assert figures.percent(5, 400) == Decimal("1.3")  # 1.25 → 1.3
    assert figures.execution_rate(394_680_000, 417_450_000) == Decimal("94.5")  # 94.545… is below 94.55


def test_negative_change_rate_rounds_away_from_zero_at_half():
    assert figures.percent(-1, 16) == Decimal("-6.3")
    assert figures.change_rate(2_526, 722_916) == Decimal("-99.7")


def test_zero_or_unknown_denominator_gives_none():
    assert figures.percent(10, 0) is None
    assert figures.execution_rate(0, 0) is None
    assert figures.change_rate(5, 0) is None
    assert figures.execution_rate(None, 100) is None
    assert figures.execution_rate(0, 100) == Decimal("0.0")


def test_balance_change_and_vacancy():
    assert figures.balance(49_535_101, 31_734_467) == 17_800_634
    assert figures.balance(None, 1) is None
    assert figures.change(48_912_754, 77_829_210) == -28_916_456
    assert figures.vacancy(104, 102) == 2
    assert figures.vacancy(11, 14) == -3


def test_budget_authority_adds_signed_adjustments():
    assert figures.budget_authority(3_214_758_000, [560_747_000]) == 3_775_505_000
    assert figures.budget_authority(100, [50, -30]) == 120
    assert figures.budget_authority(100, []) == 100


def test_total_is_unknown_when_any_part_is_unknown():
    assert figures.total([1, 2, 3]) == 6
    assert figures.total([]) == 0
    assert figures.total([1, None, 3]) is None


def test_amount_in_a_display_unit_rounds_half_up():
    assert figures.in_unit(1_500, 1_000) == Decimal(2)
    assert figures.in_unit(1_499, 1_000) == Decimal(1)
    assert figures.in_unit(-1_500, 1_000) == Decimal(-2)
    assert figures.in_unit(2_810_000_000, 1_000_000) == Decimal(2_810)
    assert figures.in_unit(None, 1_000) is None


def test_period_amount_is_the_difference_of_cumulative_figures():
    from civicbureau.figures import period_amount

    assert period_amount(100, 60) == 40
    assert period_amount(50, 60) == -10  # a correction lowered the cumulative figure
    assert period_amount(100, None, first_of_year=True) == 100
    assert period_amount(100, None) is None  # the earlier figure was not reported
    assert period_amount(None, 60) is None
