"""Working days in Seoul: Monday to Friday, except Korean public holidays.

The holidays come from the `holidays` library (holidays.country_holidays("KR")): 신정, 설날 and 추석 with
their eves and substitute days, 삼일절, 어린이날, 부처님오신날, 현충일, 광복절, 개천절, 한글날, 성탄절 and
election days, kept up to date by the library's maintainers rather than by a list of our own.
"""

import datetime

import holidays

KOREAN_HOLIDAYS = holidays.country_holidays("KR")  # fills in each year as a date of it is asked


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a Korean public holiday."""
    return day.weekday() < 5 and day not in KOREAN_HOLIDAYS


def working_day_after(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (not counting `day` itself): the 5th working day after
    2022-09-30 is 2022-10-11, past 개천절 (10. 3.) and 한글날's substitute day (10. 10.)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
