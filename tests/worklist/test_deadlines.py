"""Deadlines on 내 할 일: each month to enter carries the bureau's deadline (its n-th working day after the
month end) and is late (지연) once that has passed; planning's late list means past the deadline."""

import datetime

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from civicbureau import figures
from tests.factories import FISCAL_YEAR, BudgetLineFactory, DivisionFactory, member
from worklist.selectors import my_work

pytestmark = pytest.mark.django_db
TODAY = datetime.date(FISCAL_YEAR, 8, 3)  # July's deadline (5th working day) is 8. 7., June's was 7. 7.
JUNE, JULY = datetime.date(FISCAL_YEAR, 6, 30), datetime.date(FISCAL_YEAR, 7, 31)


@pytest.fixture
def bureau_of_two():
    first = DivisionFactory()
    second = DivisionFactory(bureau=first.bureau)
    for division in (first, second):
        BudgetLineFactory(division=division)
    return first, second


def section_lines(user, section_id):
    client = Client()
    client.force_login(user)
    tree = lxml.html.fromstring(client.get(reverse("worklist:my_work")).content.decode())
    return [" ".join(li.text_content().split()) for li in tree.get_element_by_id(section_id).iter("li")]


def test_staff_see_each_month_with_its_deadline_and_late_once_it_passed(bureau_of_two):
    first, _second = bureau_of_two
    staff = member("staff", division=first)
    work = my_work(user=staff, today=TODAY)
    assert [(m.division, m.as_of, m.deadline, m.late) for m in work.due[-2:]] == [
        (first, JUNE, datetime.date(FISCAL_YEAR, 7, 7), True),
        (first, JULY, datetime.date(FISCAL_YEAR, 8, 7), False),
    ]
    assert [m.as_of.month for m in work.due] == list(range(1, 8))  # January to July, own division only
    assert {m.division for m in work.due} == {first}


def test_the_page_says_late_or_due_with_the_deadline(bureau_of_two, monkeypatch):
    first, _second = bureau_of_two
    monkeypatch.setattr("worklist.views.timezone.localdate", lambda: TODAY)
    lines = section_lines(member("staff", division=first), "due")
    assert lines[-2:] == [
        f"{first.name} ’23. 6. 30. 미입력 지연 마감 ’23. 7. 7.",
        f"{first.name} ’23. 7. 31. 미입력 마감 전 마감 ’23. 8. 7.",
    ]


def test_a_bureau_with_a_longer_deadline_is_not_late_yet(bureau_of_two):
    first, _second = bureau_of_two
    first.bureau.entry_deadline_working_days = 10
    first.bureau.save()
    june = my_work(user=member("staff", division=first), today=datetime.date(FISCAL_YEAR, 7, 13)).due[-1]
    assert (june.as_of, june.deadline, june.late) == (JUNE, datetime.date(FISCAL_YEAR, 7, 14), False)


def test_planning_sees_late_months_past_the_deadline_and_pending_ones_by_period(bureau_of_two):
    first, second = bureau_of_two
    work = my_work(user=member("planning", bureau=first.bureau), today=TODAY)
    assert [(g.as_of, [m.division for m in g.items]) for g in work.late_by_period] == [
        (figures.month_end(datetime.date(FISCAL_YEAR, month, 1)), [first, second]) for month in range(1, 7)
    ]
    assert [(g.as_of, g.deadline, [m.division for m in g.items]) for g in work.pending_by_period] == [
        (JULY, datetime.date(FISCAL_YEAR, 8, 7), [first, second])
    ]
    assert all(m.late for m in work.late) and not any(m.late for m in work.pending)
