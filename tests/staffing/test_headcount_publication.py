"""Headcount reaches the public only through a published period: a staff save changes no public page or
file until the bureau publishes; a date far outside any fiscal year is refused at entry; and a division
that entered a later date never empties the others' rows (each row says its own date)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from staffing.models import HeadcountEntry
from tests.budget.test_entry import participation_month
from tests.factories import publish
from tests.staffing.test_headcount_entry import URL, first_cell, grid

pytestmark = pytest.mark.django_db
AUGUST = datetime.date(2022, 8, 31)


def public_headcount(client):
    text = client.get(reverse("portal:organisation_file", args=["headcount", "csv"])).content.decode("utf-8-sig")
    return {(r["row"], r["grade"]): (r["as_of"], r["quota"], r["current"]) for r in csv.DictReader(io.StringIO(text))}


def test_a_date_far_outside_the_years_is_refused_and_nothing_is_saved(staff_client):
    before = HeadcountEntry.objects.count()
    cell = first_cell()
    data = grid(staff_client, "9999-12-31", **{cell.grade.code: (cell.quota, 32767)})
    response = staff_client.post(f"{URL}?as_of=9999-12-31", data)
    assert response.status_code == 400
    assert "기준일 9999-12-31이 입력할 수 있는 범위(2000년 ~" in response.content.decode()
    assert HeadcountEntry.objects.count() == before


def test_a_staff_save_is_public_only_once_its_period_is_published(client, staff_client, people, bureau):
    before = public_headcount(client)
    home = client.get(reverse("portal:home")).content.decode()
    cell = first_cell()
    data = grid(staff_client, AUGUST.isoformat(), **{cell.grade.code: (cell.quota, cell.current + 1)})
    assert staff_client.post(f"{URL}?as_of={AUGUST}", data).status_code == 302
    assert public_headcount(client) == before  # saved, not published
    assert client.get(reverse("portal:home")).content.decode() == home

    participation_month(AUGUST, approved=True)
    publish(bureau, AUGUST, reason="시민참여과만 보고")
    after = public_headcount(client)
    key = ("시민참여과", cell.grade.name)
    assert after[key] == ("2022-08-31", str(cell.quota), str(cell.current + 1))
    assert after[("시민숙의예산과", "계")][0] == "2022-07-01"  # its own date, never emptied to 0/0
    assert after[("시민숙의예산과", "계")][1:] == before[("시민숙의예산과", "계")][1:]
    html = client.get(reverse("portal:organisation")).content.decode()
    assert "(과별 기준일, 단위 : 명)" in html and "’22. 8. 31." in html and "’22. 7. 1." in html


def test_a_headcount_correction_after_publication_waits_for_the_next_edition(client, staff_client, bureau):
    from budget.selectors.periods import bureau_period

    report = datetime.date(2022, 7, 1)
    before = public_headcount(client)
    assert not bureau_period(bureau=bureau, as_of=report).has_changes
    cell = first_cell()
    data = grid(staff_client, report.isoformat(), **{cell.grade.code: (cell.quota, cell.current - 1)})
    assert staff_client.post(f"{URL}?as_of={report}", data).status_code == 302
    period = bureau_period(bureau=bureau, as_of=report)
    assert (period.other_changes, period.has_changes) == ([("정원·현원", 1)], True)
    assert public_headcount(client) == before
    publish(bureau, report, reason="현원 정정")
    assert public_headcount(client)[("시민참여과", cell.grade.name)][2] == str(cell.current - 1)
