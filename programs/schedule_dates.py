"""Reading the report's date texts (`’22. 7월~`, `’22. 하반기`, `연중(월 1회)` …) into a span of months.

The text itself is always kept; the span is what lets the portal sort and filter. A text that matches
none of the known forms is an error naming it: the portal never guesses a date.
"""

import datetime
import re
from dataclasses import dataclass

_QUOTE = "[’‘'`´]"


class ScheduleDateError(ValueError):
    def __init__(self, text: str):
        super().__init__(f"알 수 없는 일정 표기입니다: {text!r}")
        self.text = text


@dataclass(frozen=True)
class MonthSpan:
    """Months from `start` to `end` inclusive (first days of months); `end` None means ongoing."""

    start: datetime.date
    end: datetime.date | None

    @property
    def ongoing(self) -> bool:
        return self.end is None


def _month(year: int, month: int, text: str) -> datetime.date:
    if not 1 <= month <= 12:
        raise ScheduleDateError(text)
    return datetime.date(year, month, 1)


def _year(two_digits: str) -> int:
    return 2000 + int(two_digits)


_Y = rf"{_QUOTE}\s*(?P<y>\d{{2}})\s*(?:\.|년)"
_Y2 = rf"{_QUOTE}\s*(?P<y2>\d{{2}})\s*(?:\.|년)"
_M = r"(?P<m>\d{1,2})\s*(?:월|\.)"
_M2 = r"(?P<m2>\d{1,2})\s*(?:월|\.)"
_TILDE = r"\s*~\s*"

_FORMS: list[tuple[re.Pattern, str]] = [
    # ’22. 7월~8월, ’22. 7~10월, ’22. 7월 ~ 12월
    (re.compile(rf"^{_Y}\s*(?P<m>\d{{1,2}})\s*월?{_TILDE}{_M2}$"), "range"),
    # ’22. 11월~’23. 2월
    (re.compile(rf"^{_Y}\s*{_M}{_TILDE}{_Y2}\s*{_M2}$"), "range_years"),
    # ’22. 7월~, ’22. 7월 ~
    (re.compile(rf"^{_Y}\s*{_M}{_TILDE}$"), "from_month"),
    # ’22. 7월, ’22. 7.
    (re.compile(rf"^{_Y}\s*{_M}$"), "month"),
    # ’22. 6. 8. (a day: its month)
    (re.compile(rf"^{_Y}\s*{_M}\s*\d{{1,2}}\s*\.?$"), "month"),
    # ’22. 하반기 / 상반기
    (re.compile(rf"^{_Y}\s*(?P<half>상반기|하반기)$"), "half"),
    # ’23.~, ’23년~
    (re.compile(rf"^{_Y}{_TILDE}$"), "from_year"),
    # ’23., ’23년
    (re.compile(rf"^{_Y}$"), "year"),
    # 연중, 연중(월 1회)
    (re.compile(r"^연중\s*(?:\(.*\))?$"), "all_year"),
]


def parse_schedule_date(text: str, fiscal_year: int) -> MonthSpan:
    """Parse a date text of the report; `fiscal_year` is the year of forms that name none (연중)."""
    cleaned = " ".join(text.split())
    for pattern, form in _FORMS:
        match = pattern.match(cleaned)
        if not match:
            continue
        groups = match.groupdict()
        if form == "all_year":
            return MonthSpan(datetime.date(fiscal_year, 1, 1), datetime.date(fiscal_year, 12, 1))
        year = _year(groups["y"])
        if form == "range":
            start, end = _month(year, int(groups["m"]), text), _month(year, int(groups["m2"]), text)
        elif form == "range_years":
            start = _month(year, int(groups["m"]), text)
            end = _month(_year(groups["y2"]), int(groups["m2"]), text)
        elif form == "from_month":
            return MonthSpan(_month(year, int(groups["m"]), text), None)
        elif form == "month":
            start = end = _month(year, int(groups["m"]), text)
        elif form == "half":
            first = 1 if groups["half"] == "상반기" else 7
            start, end = datetime.date(year, first, 1), datetime.date(year, first + 5, 1)
        elif form == "from_year":
            return MonthSpan(datetime.date(year, 1, 1), None)
        else:  # year
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
        if end < start:
            raise ScheduleDateError(text)
        return MonthSpan(start, end)
    raise ScheduleDateError(text)
