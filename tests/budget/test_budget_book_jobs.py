"""The budget book's upload over IMPORT_JOB_ROWS runs as jobs (budget.jobs): the preview and the apply, each
on the job's page (eager mode: the job runs inside the request), with the file kept in the job's row; under
it, the page works as before (tests/budget/test_budget_book.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from budget.importers.budget_book import LAYOUT
from budget.jobs import BUDGET_BOOK_APPLY, BUDGET_BOOK_PREVIEW, runs_as_job
from budget.models import BudgetLine
from civicbureau import audit
from jobs.models import Job
from staffing.models import Bureau, Division, Team
from tests.budget.test_budget_book import BOOK, admin, bad, book_csv, book_xlsx, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_JOB_ROWS = 3  # BOOK's 6 rows go to the queue


def _post(client, url, data):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job is queued once its row is committed
        return client.post(url, data)


def _preview(client, rows=BOOK, name="book.csv"):
    response = _post(client, reverse("budget:budget_book"), {"file": upload(rows, name)})
    assert response.status_code == 302
    job = Job.objects.get(kind=BUDGET_BOOK_PREVIEW)
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    return job


def _counts():
    return {model.__name__: model.objects.count() for model in (Bureau, Division, Team, BudgetLine)} | {
        "team history": Team.history.count(),
        "line history": BudgetLine.history.count(),
    }


@pytest.mark.parametrize("name", ["book.csv", "book.xlsx"])
def test_over_the_threshold_the_preview_and_the_apply_are_jobs(client, name):
    client.force_login(admin())
    before = _counts()
    job = _preview(client, name=name)
    assert _counts() == before  # the preview is a dry run
    assert job.status == Job.Status.DONE and job.result["ok"]
    assert bytes(job.upload) == upload(BOOK, name).read() and job.upload_name == name
    assert set(job.params) == {"file", "sha256"}  # the file is in the row, not the params
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert "6행을 읽었습니다" in page and 'name="job"' in page

    response = _post(client, reverse("budget:budget_book_apply"), {"job": str(job.pk)})
    applied = Job.objects.get(kind=BUDGET_BOOK_APPLY)
    assert response["Location"] == reverse("jobs:job", args=[applied.pk])
    assert applied.status == Job.Status.DONE and applied.params["preview"] == str(job.pk)
    page = client.get(reverse("jobs:job", args=[applied.pk])).content.decode()
    assert "예산서 6행을 적용했습니다" in page
    assert BudgetLine.objects.filter(code__startswith="BK-").count() == 5
    record = BudgetLine.objects.get(code="OT-01").history.get()
    assert (record.history_user, record.history_change_reason) == (admin(), audit.How.IMPORT)


def test_a_book_with_problems_lists_them_by_row_and_column_on_the_job_page(client):
    client.force_login(admin())
    rows = [*BOOK, bad(original_budget=-5), bad(fiscal_year=1999)]
    job = _preview(client, rows)
    assert not job.result["ok"]
    assert [(p["row"], p["field"]) for p in job.result["problems"]] == [
        ("8행", "original_budget"),
        ("9행", "fiscal_year"),
    ]
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert "8행" in page and "당초예산(원)" in page and "9행" in page and "회계연도" in page
    assert 'name="job"' not in page  # nothing to apply
    response = _post(client, reverse("budget:budget_book_apply"), {"job": str(job.pk)})
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert not Job.objects.filter(kind=BUDGET_BOOK_APPLY).exists()


def test_a_failed_apply_writes_nothing(client, monkeypatch):
    client.force_login(admin())
    job = _preview(client)
    before = _counts()
    real_save_many = audit.save_many

    def save_many(model, objects, **kwargs):  # the teams are written, then the lines fail
        if model is BudgetLine:
            raise RuntimeError("the database went away")
        return real_save_many(model, objects, **kwargs)

    monkeypatch.setattr("budget.services.budget_book.audit.save_many", save_many)
    _post(client, reverse("budget:budget_book_apply"), {"job": str(job.pk)})
    applied = Job.objects.get(kind=BUDGET_BOOK_APPLY)
    assert applied.status == Job.Status.FAILED and applied.error
    assert _counts() == before
    assert applied.error in client.get(reverse("jobs:job", args=[applied.pk])).content.decode()


def test_another_person_neither_sees_nor_applies_the_job(client):
    client.force_login(admin())
    job = _preview(client)
    client.force_login(UserFactory())
    assert client.get(reverse("jobs:job", args=[job.pk])).status_code == 404
    other_admin = get_user_model().objects.create_superuser("other-admin", password=None)
    client.force_login(other_admin)
    assert _post(client, reverse("budget:budget_book_apply"), {"job": str(job.pk)}).status_code == 404
    assert _post(client, reverse("budget:budget_book_apply"), {"job": "not-a-job"}).status_code == 404
    assert not Job.objects.filter(kind=BUDGET_BOOK_APPLY).exists()


def test_under_the_threshold_nothing_changes(client, settings):
    settings.IMPORT_JOB_ROWS = len(BOOK)
    client.force_login(admin())
    response = client.post(reverse("budget:budget_book"), {"file": upload(BOOK)})
    assert response.status_code == 200 and response.context["token"]
    assert not Job.objects.exists()


def test_the_row_count_counts_data_rows_without_reading_the_file(settings):
    for content, name in ((book_csv(BOOK), "b.csv"), (book_xlsx(BOOK), "b.xlsx")):
        settings.IMPORT_JOB_ROWS = len(BOOK)
        assert not runs_as_job(content, name, LAYOUT)
        settings.IMPORT_JOB_ROWS = len(BOOK) - 1
        assert runs_as_job(content, name, LAYOUT)
    assert not runs_as_job(b"PK\x03\x04garbage", "b.xlsx", LAYOUT)  # refused in the request, at once


def test_a_job_asked_for_in_english_answers_in_english(client):
    """The job runs in the language of the request that started it (Job.language): its labels and its
    message, kept in the result, read in English on the English page."""
    client.force_login(admin())
    client.cookies["django_language"] = "en"
    job = _preview(client)
    assert job.language == "en"
    response = _post(client, reverse("budget:budget_book_apply"), {"job": str(job.pk)})
    page = client.get(response["Location"]).content.decode()
    applied = Job.objects.get(kind=BUDGET_BOOK_APPLY)
    assert applied.language == "en"
    labels = [label for label, _tally in applied.result["tally_rows"]]
    assert labels and not any("\uac00" <= ch <= "\ud7a3" for label in labels for ch in label), labels
    assert "예산서" not in applied.result["message"] and "6" in applied.result["message"]
    assert applied.result["message"] in page
