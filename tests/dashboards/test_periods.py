"""The issue's month of use on the dashboards: a draft, then one division's approval, then a publication
with the other divisions 미보고. Each division row says its own date and status, is compared with the pace
of its own date, and a division that has not reported for the date shown is listed, not ranked."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dashboards.selectors import bureau_dashboard, division_dashboard
from staffing.models import Division
from tests.budget.test_entry import participation_month
from tests.dashboards.test_dashboards import headline, row_cells, row_names
from tests.factories import publish

pytestmark = pytest.mark.django_db
REPORT = datetime.date(2022, 7, 1)
AUGUST = datetime.date(2022, 8, 31)


def august_month(*, approve: bool):
    return participation_month(AUGUST, approved=approve, **{"PA-01": (100_000_000, 95_000_000)})


def test_a_draft_does_not_move_the_default_date_and_is_marked_where_asked_for(people, bureau):
    august_month(approve=False)
    participation = Division.objects.get(code="participation")
    assert division_dashboard(division=participation).as_of == REPORT  # the latest published period
    asked = division_dashboard(division=participation, as_of=AUGUST)
    assert (asked.as_of, asked.total.snapshot_as_of, asked.total.status) == (AUGUST, AUGUST, "draft")
    client = people_client(people["director_a"])
    html = client.get(
        reverse("dashboards:division_dashboard", args=["participation"]), {"as_of": AUGUST}
    ).content.decode()
    assert '상태: <span class="status status-draft">작성 중</span>' in html


def test_each_division_at_its_own_date_against_the_pace_of_that_date(people, bureau):
    august_month(approve=True)
    dashboard = bureau_dashboard(bureau=bureau, as_of=AUGUST)
    rows = {r.name: r for r in dashboard.rows}
    deliberation = rows["시민숙의예산과"]
    assert (deliberation.snapshot_as_of, deliberation.status, deliberation.pace) == (REPORT, "published", 50)
    assert str(deliberation.pace_gap) == "-42.0"  # 8.0% against the pace of ’22. 7. 1., not of August (66.7%)
    assert (rows["시민참여과"].snapshot_as_of, rows["시민참여과"].status) == (AUGUST, "approved")
    assert {r.name for r in dashboard.not_reported} == {
        "시민숙의예산과",
        "지역공동체과",
        "사회협력과",
        "갈등관리협치과",
    }
    assert [r.name for r in dashboard.lagging] == ["시민참여과"]  # the others are not ranked for August
    assert dashboard.rows[0].name == "시민참여과"

    client = people_client(people["bureau"])
    html = client.get(reverse("dashboards:bureau_dashboard"), {"as_of": AUGUST}).content.decode()
    assert row_cells(html, "divisions", "시민숙의예산과")[:2] == ["’22. 7. 1.", "공표됨"]
    assert row_cells(html, "divisions", "시민참여과")[:2] == ["’22. 8. 31.", "승인됨"]
    assert "’22. 8. 31. 실적을 보고하지 않은 과: 시민숙의예산과 (’22. 7. 1. 기준)" in html
    assert 'id="briefing-preview"' in html and "’22. 7. 1. 기준 제1판" in html  # the briefing offered is published

    # published figures only: the edition of ’22. 7. 1., until August is published
    html = client.get(reverse("dashboards:bureau_dashboard"), {"as_of": AUGUST, "published": 1}).content.decode()
    assert "공표된 실적만 (제1판)" in html and headline(html)["rate"] == "64.1"
    publish(bureau, AUGUST, reason="시민참여과만 보고")
    html = client.get(reverse("dashboards:bureau_dashboard")).content.decode()
    assert row_cells(html, "divisions", "시민참여과")[:2] == ["’22. 8. 31.", "공표됨"]
    assert row_names(html, "divisions")[0] == "시민참여과"


def people_client(user):
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client
