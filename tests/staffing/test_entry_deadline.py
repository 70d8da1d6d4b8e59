"""The bureau's monthly entry deadline: its n-th working day after the month end (staffing.Bureau)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import BureauFactory

pytestmark = pytest.mark.django_db


def test_the_deadline_is_the_bureaus_nth_working_day_after_the_month_end():
    assert BureauFactory().entry_deadline(datetime.date(2022, 9, 30)) == datetime.date(2022, 10, 11)  # default 5
    assert BureauFactory(entry_deadline_working_days=7).entry_deadline(datetime.date(2022, 8, 31)) == datetime.date(
        2022, 9, 13
    )


def test_a_deadline_of_no_working_days_is_refused():
    with pytest.raises(ValidationError) as refused:
        BureauFactory(entry_deadline_working_days=0)
    assert list(refused.value.message_dict) == ["entry_deadline_working_days"]
