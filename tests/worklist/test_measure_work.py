"""내 할 일 for measures (issue 18): the division sees how many of its measures have no target for the year
(one item), its returned targets with the reason and its results due; approvers see proposed targets."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from programs.services import measure_targets_version, targets_propose, targets_return
from tests.factories import (
    FISCAL_YEAR,
    BudgetLineFactory,
    DivisionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureTargetFactory,
    ProgramFactory,
    member,
)
from worklist.selectors import my_work
from worklist.services import _unsent, item_key

pytestmark = pytest.mark.django_db
FY = FISCAL_YEAR
TODAY = datetime.date(FY, 8, 10)


@pytest.fixture
def division():
    division = DivisionFactory()
    BudgetLineFactory(division=division, fiscal_year=FY)  # the bureau's latest fiscal year
    return division


def test_the_division_sees_one_item_for_its_measures_without_targets(division):
    program = ProgramFactory(division=division)
    bare = [IndicatorFactory(program=program) for _ in range(3)]
    MeasureTargetFactory(indicator=IndicatorFactory(program=program), fiscal_year=FY)  # approved: not counted
    proposed = IndicatorFactory(program=program)
    staff = member("staff", division=division)
    targets_propose(user=staff, indicator=proposed, fiscal_year=FY, value="5", version=0)
    IndicatorFactory(program=ProgramFactory(division=DivisionFactory(bureau=division.bureau)))  # not theirs
    work = my_work(user=staff, today=TODAY)
    assert [(item.division, item.fiscal_year, item.count) for item in work.targets_missing] == [
        (division, FY, len(bare))
    ]
    assert work.targets_missing[0].url == reverse("programs:measure_list") + f"?status=unproposed&year={FY}"
    page = Client()
    page.force_login(staff)
    html = page.get(reverse("worklist:my_work")).content.decode()
    assert f"{FY}년 목표를 제안하지 않은 지표 3개" in html
    listed = page.get(work.targets_missing[0].url).context["rows"]
    assert sorted(row.indicator.pk for row in listed) == sorted(i.pk for i in bare)


def test_returned_targets_with_the_reason_and_proposals_waiting_for_the_approver(division):
    measure = IndicatorFactory(program=ProgramFactory(division=division))
    staff, director = member("staff", division=division), member("director", division=division)
    planning = member("planning", bureau=division.bureau)
    targets_propose(user=staff, indicator=measure, fiscal_year=FY, value="10", parts=[], version=0)
    for approver in (director, planning):
        (item,) = my_work(user=approver, today=TODAY).targets_awaiting
        assert (item.indicator, item.fiscal_year, item.count) == (measure, FY, 1)
        assert item.url == reverse("programs:measure_targets", args=[measure.code, FY])
        assert item_key("targets_awaiting", item) == f"targets_awaiting:{measure.code}:{FY}"
    assert my_work(user=staff, today=TODAY).targets_awaiting == []
    assert (
        my_work(user=member("director", division=DivisionFactory(bureau=division.bureau)), today=TODAY).targets_awaiting
        == []
    )
    targets_return(
        user=director,
        indicator=measure,
        fiscal_year=FY,
        reason="근거를 적어 주세요",
        version=measure_targets_version(indicator=measure, fiscal_year=FY),
    )
    work = my_work(user=staff, today=TODAY)
    assert [(i.indicator, i.reason) for i in work.targets_returned] == [(measure, "근거를 적어 주세요")]
    assert my_work(user=director, today=TODAY).targets_awaiting == []


def test_a_result_is_due_once_an_approved_targets_period_has_ended_without_a_value(division):
    program = ProgramFactory(division=division)
    due, entered, ahead = (IndicatorFactory(program=program) for _ in range(3))
    for measure in (due, entered, ahead):
        MeasureTargetFactory(indicator=measure, fiscal_year=FY)  # the year's, 12-31
    MeasureTargetFactory(indicator=due, fiscal_year=FY, period_end=datetime.date(FY, 3, 31), value=Decimal(10))
    MeasureTargetFactory(indicator=due, fiscal_year=FY, period_end=datetime.date(FY, 6, 30), value=Decimal(40))
    IndicatorValueFactory(indicator=due, as_of=datetime.date(FY, 3, 31), value=Decimal(12))  # Q1's, not Q2's
    MeasureTargetFactory(indicator=entered, fiscal_year=FY, period_end=datetime.date(FY, 6, 30), value=Decimal(40))
    IndicatorValueFactory(indicator=entered, as_of=datetime.date(FY, 6, 30), value=Decimal(41))
    MeasureTargetFactory(indicator=ahead, fiscal_year=FY, period_end=datetime.date(FY, 9, 30), value=Decimal(40))
    work = my_work(user=member("staff", division=division), today=TODAY)
    assert [(i.indicator, i.due_on) for i in work.results_due] == [(due, datetime.date(FY, 6, 30))]
    assert work.results_due[0].url == reverse("programs:indicator_values", args=[due.code])
    assert work.targets_missing == []


def test_measures_off_track_are_listed_for_the_division_and_never_mailed(division):
    """A measure at 80% of its target (주의 at the default 90/70) and one at 50% (미흡) are on the division's
    list with their status and achievement; one on track and another division's are not."""
    program = ProgramFactory(division=division)
    caution, poor, fine = (IndicatorFactory(program=program) for _ in range(3))
    for measure, result in ((caution, "80"), (poor, "50"), (fine, "95")):
        MeasureTargetFactory(indicator=measure, fiscal_year=FY, value=Decimal(100))
        IndicatorValueFactory(indicator=measure, as_of=datetime.date(FY, 7, 31), value=Decimal(result))
    other = IndicatorFactory(program=ProgramFactory(division=DivisionFactory(bureau=division.bureau)))
    MeasureTargetFactory(indicator=other, fiscal_year=FY, value=Decimal(100))
    IndicatorValueFactory(indicator=other, as_of=datetime.date(FY, 7, 31), value=Decimal(10))
    staff = member("staff", division=division)
    work = my_work(user=staff, today=TODAY)
    assert [(i.indicator, i.row.status_label, i.row.achievement) for i in work.off_track] == [
        (caution, "주의", Decimal("80.0")),
        (poor, "미흡", Decimal("50.0")),
    ]
    page = Client()
    page.force_login(staff)
    html = page.get(reverse("worklist:my_work")).content.decode()
    assert 'id="measures-off-track"' in html and caution.name in html and poor.name in html
    assert fine.name not in html.split('id="measures-off-track"')[1].split("</section>")[0]
    assert _unsent(work, set()).off_track == []
