"""Every date form of the glossary, and the refusal of what is not one."""

import datetime

import pytest

from programs.schedule_dates import ScheduleDateError, parse_schedule_date


def month(y, m):
    return datetime.date(y, m, 1)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("’22. 7월", month(2022, 7), month(2022, 7)),
        ("’22. 7월~", month(2022, 7), None),
        ("’22. 7월 ~", month(2022, 7), None),
        ("’22. 7~10월", month(2022, 7), month(2022, 10)),
        ("’22. 7월~8월", month(2022, 7), month(2022, 8)),
        ("’22. 9월~12월", month(2022, 9), month(2022, 12)),
        ("’22. 하반기", month(2022, 7), month(2022, 12)),
        ("’22. 상반기", month(2022, 1), month(2022, 6)),
        ("’23.~", month(2023, 1), None),
        ("’23년~", month(2023, 1), None),
        ("연중(월 1회)", month(2022, 1), month(2022, 12)),
        ("연중", month(2022, 1), month(2022, 12)),
        ("’22. 12월", month(2022, 12), month(2022, 12)),
        ("’22. 11월~’23. 2월", month(2022, 11), month(2023, 2)),
        ("`22. 5. 2.", month(2022, 5), month(2022, 5)),
    ],
)
def test_known_forms(text, start, end):
    span = parse_schedule_date(text, fiscal_year=2022)
    assert (span.start, span.end) == (start, end)
    assert span.ongoing is (end is None)


@pytest.mark.parametrize("text", ["", "곧", "’22. 13월", "’22. 9~7월", "2022년 7월쯤", "’22. 0월"])
def test_unknown_forms_are_errors_that_name_the_text(text):
    with pytest.raises(ScheduleDateError) as error:
        parse_schedule_date(text, fiscal_year=2022)
    assert repr(text) in str(error.value)
