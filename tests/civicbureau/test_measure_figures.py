"""The arithmetic of measures (civicbureau.figures): achievement by direction, a target met, the part of
the year in force, the status from the bureau's thresholds, and the roll-up helpers; '-' (None) wherever a
value or a target is missing, never an exception."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicbureau import figures as f

NORMAL, CAUTION = D(90), D(70)


@pytest.mark.parametrize(
    ("result", "target", "direction", "low", "high", "expected"),
    [
        (D(45), D(60), f.HIGHER, None, None, D("75.0")),  # 실적 ÷ 목표 × 100
        (D(2), D(3), f.HIGHER, None, None, D("66.7")),  # half up
        (D(120), D(100), f.HIGHER, None, None, D("120.0")),
        (D(40), D(32), f.LOWER, None, None, D("80.0")),  # 목표 ÷ 실적 × 100: 40 people against a ceiling of 32
        (D(30), D(32), f.LOWER, None, None, D("106.7")),
        (D(5), None, f.RANGE, D(4), D(6), D("100.0")),
        (D(2), None, f.RANGE, D(4), D(6), D("50.0")),  # under the range: 실적 ÷ 하한
        (D(8), None, f.RANGE, D(4), D(6), D("75.0")),  # over it: 상한 ÷ 실적
        (D(1), D(1), f.YES_NO, None, None, D("100.0")),
        (D(0), D(1), f.YES_NO, None, None, D("0.0")),
    ],
)
def test_achievement_by_direction(result, target, direction, low, high, expected):
    assert f.achievement(result, target, direction=direction, low=low, high=high) == expected


@pytest.mark.parametrize(
    ("result", "target", "direction"),
    [
        (None, D(10), f.HIGHER),
        (D(10), None, f.HIGHER),
        (D(10), D(0), f.HIGHER),  # a zero target has no achievement
        (D(0), D(10), f.LOWER),  # nor a zero result of a lower-is-better measure
        (D(5), None, f.RANGE),  # a range without its ends
        (None, D(1), f.YES_NO),
    ],
)
def test_achievement_is_blank_where_it_cannot_be_computed(result, target, direction):
    assert f.achievement(result, target, direction=direction) is None


def test_target_met_by_direction():
    assert f.target_met(D(60), D(60), direction=f.HIGHER) is True
    assert f.target_met(D(59), D(60), direction=f.HIGHER) is False
    assert f.target_met(D(0), D(32), direction=f.LOWER) is True
    assert f.target_met(D(33), D(32), direction=f.LOWER) is False
    assert f.target_met(D(6), direction=f.RANGE, low=D(4), high=D(6)) is True
    assert f.target_met(D(1), direction=f.YES_NO) is True
    assert f.target_met(None, D(1), direction=f.HIGHER) is None
    assert f.target_met(D(1), None, direction=f.HIGHER) is None


def test_expected_part_is_the_latest_part_ended_by_the_date():
    parts = [(datetime.date(2022, 3, 31), "Q1"), (datetime.date(2022, 6, 30), "Q2"), (datetime.date(2022, 9, 30), "Q3")]
    assert f.expected_part(parts, datetime.date(2022, 2, 28)) is None  # the year's target applies
    assert f.expected_part(parts, datetime.date(2022, 3, 31)) == "Q1"
    assert f.expected_part(parts, datetime.date(2022, 7, 1)) == "Q2"
    assert f.expected_part([], datetime.date(2022, 7, 1)) is None


def status(result, year, expected=None, direction=f.HIGHER):
    return f.measure_status(
        result, direction=direction, year=year, expected=expected, normal_from=NORMAL, caution_from=CAUTION
    )


def test_status_from_the_thresholds():
    year = (D(100), None, None)
    assert status(D(100), year) == f.ACHIEVED
    assert status(D(90), year) == f.NORMAL  # 90% of the year's target
    assert status(D("89.9"), year) == f.CAUTION
    assert status(D(70), year) == f.CAUTION
    assert status(D("69.9"), year) == f.POOR
    # judged against the part in force: 45 of an expected 50 by June is 90%, 정상
    assert status(D(45), year, expected=(D(50), None, None)) == f.NORMAL
    assert status(D(30), year, expected=(D(50), None, None)) == f.POOR


def test_status_of_other_directions():
    assert status(D(40), (D(32), None, None), direction=f.LOWER) == f.CAUTION  # 80%
    assert status(D(3), (None, D(4), D(6)), direction=f.RANGE) == f.CAUTION  # 75%
    assert status(D(0), (D(1), None, None), expected=(D(0), None, None), direction=f.YES_NO) == f.NORMAL
    assert status(D(0), (D(1), None, None), direction=f.YES_NO) == f.POOR


def test_status_is_blank_without_a_result_or_a_target():
    assert status(None, (D(100), None, None)) is None
    assert status(D(10), (None, None, None)) is None
    assert status(D(10), (D(0), None, None)) == f.ACHIEVED  # met a zero target
    assert status(D(0), (D(10), None, None), direction=f.LOWER) == f.ACHIEVED


def test_roll_up_helpers_leave_blanks_out():
    assert f.mean([D(100), None, D(50)]) == D("75.0")  # not 50.0: a blank is not a zero (decidim PR #5026)
    assert f.mean([None, None]) is None
    assert f.worst_status([f.NORMAL, None, f.CAUTION, f.ACHIEVED]) == f.CAUTION
    assert f.worst_status([None]) is None
    assert f.capped(D(250)) == D(100) and f.capped(None) is None


values = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**13, places=2))
directions = st.sampled_from([f.HIGHER, f.LOWER, f.RANGE, f.YES_NO])


@given(values, values, values, values, directions)
def test_never_raises(result, target, low, high, direction):
    """Any mix of blanks and values gives a figure or '-', never an exception."""
    if low is not None and high is not None and low > high:
        low, high = high, low
    f.achievement(result, target, direction=direction, low=low, high=high)
    outcome = f.measure_status(
        result, direction=direction, year=(target, low, high), expected=None, normal_from=NORMAL, caution_from=CAUTION
    )
    assert outcome in (None, *f.STATUS_ORDER)
