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


def test_months_elapsed_counts_the_months_a_cumulative_figure_covers():
    import datetime

    assert figures.months_elapsed(datetime.date(2022, 7, 1)) == 6  # ’22. 7. 1. 기준: January to June
    assert figures.months_elapsed(datetime.date(2022, 6, 30)) == 6
    assert figures.months_elapsed(datetime.date(2022, 7, 15)) == 6
    assert figures.months_elapsed(datetime.date(2022, 7, 31)) == 7
    assert figures.months_elapsed(datetime.date(2022, 1, 1)) == 0
    assert figures.months_elapsed(datetime.date(2022, 12, 31)) == 12
    assert figures.months_elapsed(datetime.date(2024, 2, 29)) == 2  # a leap day is February's last


def test_with_no_target_the_pace_is_a_straight_line():
    curve = figures.pace_curve({})
    assert len(curve) == 12
    assert curve[0] == Decimal("8.3")  # 8.333…
    assert curve[1] == Decimal("16.7")  # 16.666… rounds half up
    assert curve[5] == Decimal("50.0")
    assert curve[6] == Decimal("58.3")
    assert curve[11] == Decimal("100.0")
    assert curve == [figures.percent(m, 12) for m in range(1, 13)]


def test_a_first_half_target_bends_the_curve_between_the_months_set():
    curve = figures.pace_curve({6: Decimal("60")})
    assert curve[5] == Decimal("60.0")
    assert curve[2] == Decimal("30.0")  # 0 → 60 over six months
    assert curve[8] == Decimal("80.0")  # 60 → 100 over the second half
    assert curve[11] == Decimal("100.0")
    full = figures.pace_curve({m: Decimal(m * 5) for m in range(1, 13)})
    assert full[11] == Decimal("60.0")  # a December target set below 100 is kept


def test_pace_at_a_number_of_months():
    curve = figures.pace_curve({})
    assert figures.pace_at(curve, 0) == Decimal("0.0")
    assert figures.pace_at(curve, 6) == Decimal("50.0")
    assert figures.pace_at(curve, 12) == Decimal("100.0")


def test_gaps_in_percentage_points_and_lagging():
    assert figures.percentage_points(Decimal("29.7"), Decimal("50.0")) == Decimal("-20.3")
    assert figures.percentage_points(Decimal("96.2"), Decimal("50.0")) == Decimal("46.2")
    assert figures.percentage_points(None, Decimal("50.0")) is None
    assert figures.is_lagging(Decimal("49.9"), Decimal("50.0")) is True
    assert figures.is_lagging(Decimal("50.0"), Decimal("50.0")) is False
    assert figures.is_lagging(None, Decimal("50.0")) is False


def test_period_amount_is_the_difference_of_cumulative_figures():
    from civicbureau.figures import period_amount

    assert period_amount(100, 60) == 40
    assert period_amount(50, 60) == -10  # a correction lowered the cumulative figure
    assert period_amount(100, None, first_of_year=True) == 100
    assert period_amount(100, None) is None  # the earlier figure was not reported
    assert period_amount(None, 60) is None
