"""The city extract's upload over IMPORT_JOB_ROWS runs as jobs (budget.jobs): the preview per division on the
job's page, the cautions confirmed in its apply form, the apply a job too; a refused apply writes nothing;
the jobs are their creator's. Under the threshold the page works as before (tests/budget/test_city_extract.py)."""

import io

import pytest
from django.test import TestCase
from django.urls import reverse

from budget.jobs import CITY_EXTRACT_APPLY, CITY_EXTRACT_PREVIEW
from budget.models import DivisionMonth, ExecutionSnapshot
from jobs.models import Job
from tests.budget.test_city_extract import AUGUST, budget_office, city, rows_of, state, xlsx
from tests.factories import DivisionMonthFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return budget_office("t-budget-office")


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_JOB_ROWS = 2  # the test city's 4 rows go to the queue


def _post(client, url, data):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job is queued once its row is committed
        return client.post(url, data)


def _preview(client, rows):
    upload = io.BytesIO(xlsx(rows))
    upload.name = "extract.xlsx"
    response = _post(client, reverse("city:extract"), {"as_of": AUGUST.isoformat(), "file": upload})
    job = Job.objects.get(kind=CITY_EXTRACT_PREVIEW)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job", args=[job.pk])
    assert job.status == Job.Status.DONE, job.error
    return job


def _apply(client, preview, confirm=()):
    response = _post(client, reverse("city:extract_apply"), {"job": str(preview.pk), "confirm": list(confirm)})
    job = Job.objects.filter(kind=CITY_EXTRACT_APPLY).order_by("-created_at").first()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job", args=[job.pk])
    return job


def test_the_preview_and_the_apply_are_jobs_and_the_cautions_are_confirmed_on_the_job_page(client, office):
    divisions = city()
    rows = rows_of(divisions)
    rows[0][4] = 200_000  # a thousandfold caution
    client.force_login(office)
    before = state()
    preview = _preview(client, rows)
    assert state() == before
    assert preview.params == {"file": "extract.xlsx", "sha256": preview.params["sha256"], "as_of": AUGUST.isoformat()}
    page = client.get(reverse("jobs:job", args=[preview.pk])).content.decode()
    assert "추출과1" in page and "추출과2" in page and 'name="confirm"' in page
    key = preview.result["cautions"][0]["key"]

    held = _apply(client, preview)  # the caution not confirmed: nothing written, the form again
    assert held.result["ok"] and not held.result["applied"] and state() == before
    page = client.get(reverse("jobs:job", args=[held.pk])).content.decode()
    assert f'value="{key}"' in page and f'name="job" value="{preview.pk}"' in page

    applied = _apply(client, preview, [key])
    assert applied.result["applied"], applied.result
    page = client.get(reverse("jobs:job", args=[applied.pk])).content.decode()
    assert "4개 세부사업의 실적을 각 과의 작성 중 실적으로 넣었습니다" in page
    assert DivisionMonth.objects.filter(as_of=AUGUST, status=DivisionMonth.Status.DRAFT).count() == 2
    snapshot = ExecutionSnapshot.objects.get(budget_line__code=rows[0][0], as_of=AUGUST)
    record = snapshot.history.get()
    assert (record.history_user, record.history_change_reason) == (office, "시 재정시스템 추출 extract.xlsx")


def test_a_file_with_problems_lists_them_by_row_and_column(client, office):
    rows = rows_of(city())
    rows[1][3] = -5
    rows[2][2] = 1999
    client.force_login(office)
    preview = _preview(client, rows)
    assert [(p["row"], p["field"]) for p in preview.result["problems"]] == [
        ("3행", "obligations"),
        ("4행", "fiscal_year"),
    ]
    page = client.get(reverse("jobs:job", args=[preview.pk])).content.decode()
    assert "3행" in page and "원인행위 누계(원)" in page and "4행" in page and 'id="apply"' not in page


def test_an_apply_after_a_division_changed_its_month_writes_nothing(client, office):
    divisions = city()
    client.force_login(office)
    preview = _preview(client, rows_of(divisions))
    DivisionMonthFactory(division=divisions[0], as_of=AUGUST)  # the division opened its month meanwhile
    before = state()
    refused = _apply(client, preview)
    assert refused.status == Job.Status.DONE and not refused.result["applied"]
    assert [p["field"] for p in refused.result["problems"]] == ["version"]
    assert state() == before
    assert 'id="problems"' in client.get(reverse("jobs:job", args=[refused.pk])).content.decode()


def test_another_person_neither_sees_nor_applies_the_job(client, office):
    client.force_login(office)
    preview = _preview(client, rows_of(city()))
    client.force_login(UserFactory())
    assert client.get(reverse("jobs:job", args=[preview.pk])).status_code == 404
    client.force_login(budget_office("t-another-office"))
    assert client.get(reverse("jobs:job", args=[preview.pk])).status_code == 404
    assert _post(client, reverse("city:extract_apply"), {"job": str(preview.pk)}).status_code == 404
    assert not Job.objects.filter(kind=CITY_EXTRACT_APPLY).exists()


def test_under_the_threshold_nothing_changes(client, office, settings):
    settings.IMPORT_JOB_ROWS = 4
    client.force_login(office)
    upload = io.BytesIO(xlsx(rows_of(city())))
    upload.name = "extract.xlsx"
    response = client.post(reverse("city:extract"), {"as_of": AUGUST.isoformat(), "file": upload})
    assert response.status_code == 200 and response.context["token"]
    assert not Job.objects.exists()
