"""Working days: weekends and Korean public holidays (holidays.KR) are skipped, real dates checked against
the 2022–2023 calendar."""

import datetime

import pytest

from civicbureau.calendar import is_working_day, working_day_after

D = datetime.date


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2022, 6, 30), 5, D(2022, 7, 7)),  # Thu: Fri 7/1, Mon 7/4 … Thu 7/7, no holiday
        (D(2022, 8, 31), 5, D(2022, 9, 7)),  # Wed: 9/1, 9/2, 9/5, 9/6, 9/7, before 추석
        (D(2022, 8, 31), 7, D(2022, 9, 13)),  # 추석 9/9 (eve) … 9/12 (substitute day) skipped
        (D(2022, 9, 8), 1, D(2022, 9, 13)),
        (D(2022, 9, 30), 5, D(2022, 10, 11)),  # 개천절 10/3 and 한글날's substitute day 10/10 skipped
        (D(2022, 12, 31), 5, D(2023, 1, 6)),  # Sat: 신정 1/1 is a Sunday anyway; Mon 1/2 … Fri 1/6
        (D(2023, 1, 20), 1, D(2023, 1, 25)),  # 설날 1/21–1/23 and its substitute day 1/24
        (D(2023, 2, 28), 1, D(2023, 3, 2)),  # 삼일절 (Wed 3/1)
    ],
)
def test_working_day_after_counts_weekdays_that_are_not_korean_public_holidays(day, n, expected):
    assert working_day_after(day, n) == expected


def test_holidays_and_weekends_are_not_working_days():
    assert [is_working_day(D(2022, 9, day)) for day in range(8, 14)] == [True, False, False, False, False, True]
    assert not is_working_day(D(2022, 10, 3)) and is_working_day(D(2022, 10, 4))


def test_at_least_one_working_day():
    with pytest.raises(ValueError):
        working_day_after(D(2022, 9, 30), 0)
