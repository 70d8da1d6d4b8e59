"""내 할 일 (/my/): every role lands there after signing in and sees what waits for it, and nothing of
another division's work."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from budget.services import division_month_return, division_month_submit
from tests.budget.test_entry import participation_month, user
from worklist.selectors import my_work

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)
JULY, AUGUST = datetime.date(2022, 7, 31), datetime.date(2022, 8, 31)
LATER = ["2022-07-31", "2022-08-31", "2022-09-30", "2022-10-31", "2022-11-30", "2022-12-31"]


def page(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.get(reverse("worklist:my_work")).content.decode()


def test_signing_in_lands_on_my_work(client):
    response = client.post(reverse("login"), {"username": "staff", "password": "staff-demo-2022"})
    assert response.status_code == 302 and response["Location"] == reverse("worklist:my_work")


def test_staff_see_their_divisions_months_due_and_returned_ones_with_the_reason(people):
    work = my_work(user=user("staff"), today=TODAY)
    # every month end after the published ’22. 7. 1., none of another division
    assert [(m.division.code, m.as_of.isoformat(), m.status) for m in work.due] == [
        ("participation", day, "missing") for day in LATER
    ]
    month = participation_month(AUGUST)
    month = division_month_submit(user=user("staff"), month=month, version=month.version)
    division_month_return(user=user("director"), month=month, version=month.version, reason="PA-01 확인")
    work = my_work(user=user("staff"), today=TODAY)
    assert [(m.as_of, m.reason) for m in work.returned] == [(AUGUST, "PA-01 확인")]
    assert AUGUST not in [m.as_of for m in work.due] and not work.awaiting and not work.late
    html = page("staff")
    assert "PA-01 확인" in html and "/staff/entry/participation/2022-08-31/" in html
    assert "지역공동체과" not in html.split('id="due"')[1]


def test_approvers_see_submitted_months_and_planning_sees_who_is_late_and_what_to_publish(people):
    month = participation_month(JULY)
    division_month_submit(user=user("staff"), month=month, version=month.version)
    for name in ("director", "bureau", "planning"):
        assert [(m.division.code, m.as_of) for m in my_work(user=user(name), today=TODAY).awaiting] == [
            ("participation", JULY)
        ], name
    assert my_work(user=people["director_b"], today=TODAY).awaiting == []  # another division's director
    assert "/staff/entry/participation/" not in page("staff_b")  # its own months only
    planning = my_work(user=user("planning"), today=TODAY)
    assert len(planning.late) == 5 * len(LATER) - 1  # 시민참여과's July is submitted, not late
    assert planning.publishable == []  # nothing approved since ’22. 7. 1.
    from budget.services import division_month_approve

    month.refresh_from_db()
    division_month_approve(user=user("director"), month=month, version=month.version)
    planning = my_work(user=user("planning"), today=TODAY)
    assert [p.as_of for p in planning.publishable] == [JULY]
    html = page("planning")
    assert 'id="publishable"' in html and reverse("budget:period_detail", args=[JULY]) in html


def test_a_login_without_a_role_has_no_work(people):
    assert "맡은 일이 없습니다" in page("admin")


def test_staff_see_their_divisions_milestones_past_their_month_and_not_done(people):
    from programs.models import ScheduleItem

    own = ScheduleItem.objects.filter(program__division__code="participation")
    assert own.exists()
    autumn = datetime.date(2022, 10, 15)
    work = my_work(user=user("staff"), today=autumn)
    expected = sorted(
        item.pk
        for item in own.exclude(status="done")
        if (item.end_month or item.start_month) < datetime.date(2022, 10, 1)  # its month ended before 10/15
    )
    assert len(expected) >= 2 and sorted(item.pk for item in work.milestones) == expected
    assert {item.program.division.code for item in work.milestones} <= {"participation"}
    first = work.milestones[0]
    first.status = "done"
    first.save()
    assert first.pk not in [i.pk for i in my_work(user=user("staff"), today=autumn).milestones]
    html = page("staff")
    assert 'id="milestones"' in html and f"/staff/schedule/{work.milestones[1].pk}/" in html
    assert 'id="milestones"' not in page("planning")  # the division answers for its milestones
