"""The job queue (jobs/) in eager mode, as the suite runs it (no Redis): a job's life (done with its file,
failed with its message and no file, started again after its worker was lost, given up after
JOB_MAX_ATTEMPTS), its pages (its creator's and a superuser's only) and the pruning of old jobs."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from jobs.models import Job
from jobs.registry import KINDS, JobFile, JobResult, Kind
from jobs.services import job_start, jobs_prune
from jobs.tasks import job_run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CONTENT = b"PK\x03\x04 the whole file"


class WorkerLost(BaseException):
    """What a killed worker looks like from inside the job: it stops, and nothing after it runs."""


@pytest.fixture
def builds(monkeypatch):
    """Test kinds: "ok" (reports 50 %, then a file), "refused" (a ValueError for the person), "broken" (a bug),
    "lost_once" (its first attempt is interrupted as a killed worker's would be), "always_lost". Returns the
    progress each build saw in the database half-way (a list per call)."""
    seen = []

    def ok(params, progress):
        progress(50, "절반")
        seen.append(
            Job.objects.filter(kind="ok", status="running").values_list("status", "progress", "progress_text").get()
        )
        return JobFile(CONTENT + str(params["n"]).encode(), f"file-{params['n']}.bin", "application/octet-stream")

    def refused(params, progress):
        progress(30, "읽는 중")
        raise ValueError("2099-01-01까지 공표된 기준일이 없습니다.")

    def broken(params, progress):
        raise ZeroDivisionError("a bug")

    def lost_once(params, progress):
        progress(40, "읽는 중")
        if len(seen) == 0:
            seen.append("lost")
            raise WorkerLost
        return JobFile(CONTENT, "whole.bin", "application/octet-stream")

    def always_lost(params, progress):
        raise WorkerLost

    for name, build in [("ok", ok), ("refused", refused), ("broken", broken), ("lost_once", lost_once)]:
        monkeypatch.setitem(KINDS, name, Kind(build, (ValueError,)))
    monkeypatch.setitem(KINDS, "always_lost", Kind(always_lost, (ValueError,)))
    return seen


def _start(user, kind, params, capture):
    with capture(execute=True):  # the job is queued once its transaction commits: here, eagerly run
        return job_start(user, kind, params)


def test_a_job_runs_reports_its_progress_and_keeps_its_file(builds, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = _start(user, "ok", {"n": 1}, django_capture_on_commit_callbacks)
    assert builds == [("running", 50, "절반")]
    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.progress, job.attempts, job.error) == ("done", 100, 1, "")
    assert (bytes(job.content), job.filename, job.content_type) == (
        CONTENT + b"1",
        "file-1.bin",
        "application/octet-stream",
    )
    assert job.created_by == user and job.finished_at >= job.started_at >= job.created_at


def test_a_refused_job_says_why_and_keeps_nothing(builds, django_capture_on_commit_callbacks):
    job = _start(UserFactory(), "refused", {}, django_capture_on_commit_callbacks)
    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.error, job.content, job.filename) == (
        "failed",
        "2099-01-01까지 공표된 기준일이 없습니다.",
        None,
        "",
    )


def test_a_bug_fails_the_job_with_a_general_message_not_the_request(builds, django_capture_on_commit_callbacks, caplog):
    job = _start(UserFactory(), "broken", {}, django_capture_on_commit_callbacks)
    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.error, job.content) == ("failed", "작업 중 오류가 났습니다. 관리자에게 알려 주세요.", None)
    assert "ZeroDivisionError" in caplog.text  # logged for the administrator, with its traceback


def test_a_job_whose_worker_was_lost_starts_again_from_scratch(builds):
    """The queue delivers the task again after its worker was killed: the second attempt starts over."""
    job = job_start(UserFactory(), "lost_once", {})  # not committed in the test: the task is called by hand
    with pytest.raises(WorkerLost):
        job_run(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.content) == ("running", 1, 40, None)
    job_run(str(job.pk))  # the delivery again
    job.refresh_from_db()
    assert (job.status, job.attempts, bytes(job.content)) == ("done", 2, CONTENT)
    job_run(str(job.pk))  # a third delivery of a finished job changes nothing
    job.refresh_from_db()
    assert (job.status, job.attempts, bytes(job.content)) == ("done", 2, CONTENT)


def test_a_job_lost_every_time_is_failed_after_its_attempts(builds):
    job = job_start(UserFactory(), "always_lost", {})
    for _ in range(settings.JOB_MAX_ATTEMPTS):
        with pytest.raises(WorkerLost):
            job_run(str(job.pk))
    job_run(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.attempts, job.content) == ("failed", settings.JOB_MAX_ATTEMPTS, None)
    assert job.error == f"작업이 {settings.JOB_MAX_ATTEMPTS}번 중단되어 멈췄습니다. 다시 요청해 주세요."


def test_a_second_click_joins_the_unfinished_job(builds):
    user = UserFactory()
    first = job_start(user, "ok", {"n": 1})
    assert job_start(user, "ok", {"n": 1}) == first
    assert job_start(user, "ok", {"n": 2}) != first
    assert job_start(UserFactory(), "ok", {"n": 1}) != first
    with pytest.raises(ValueError, match="unknown job kind"):
        job_start(user, "no_such_kind", {})


def test_the_pages_are_the_creators_and_a_superusers_only(client, builds, django_capture_on_commit_callbacks):
    creator, other, admin = UserFactory(), UserFactory(), UserFactory(is_superuser=True, is_staff=True)
    job = _start(creator, "ok", {"n": 7}, django_capture_on_commit_callbacks)
    page, download = reverse("jobs:job", args=[job.pk]), reverse("jobs:download", args=[job.pk])
    for url in (page, download):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(other)
    assert (client.get(page).status_code, client.get(download).status_code) == (404, 404)
    for user in (creator, admin):
        client.force_login(user)
        response = client.get(page)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        html = response.content.decode()
        assert f'href="{download}"' in html and "file-7.bin 내려받기" in html
        assert 'http-equiv="refresh"' not in html  # finished: the page stops refreshing itself
        response = client.get(download)
        assert response.status_code == 200 and response.content == CONTENT + b"7"
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == 'attachment; filename="file-7.bin"'


def test_an_unfinished_job_page_refreshes_itself_and_offers_no_file(client, builds):
    user = UserFactory()
    job = job_start(user, "ok", {"n": 1})  # queued: not committed, so not run
    client.force_login(user)
    html = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html and "대기 중" in html
    assert reverse("jobs:download", args=[job.pk]) not in html
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_failed_job_page_says_why(client, builds, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = _start(user, "refused", {}, django_capture_on_commit_callbacks)
    client.force_login(user)
    html = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert "2099-01-01까지 공표된 기준일이 없습니다." in html and 'http-equiv="refresh"' not in html
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_jobs_older_than_the_retention_are_pruned(builds, django_capture_on_commit_callbacks):
    user = UserFactory()
    old = _start(user, "ok", {"n": 1}, django_capture_on_commit_callbacks)
    recent = _start(user, "ok", {"n": 2}, django_capture_on_commit_callbacks)
    Job.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.JOB_RETENTION_DAYS, seconds=1)
    )
    assert jobs_prune() == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    Job.objects.filter(pk=recent.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    call_command("jobs_prune")
    assert not Job.objects.exists()


def test_a_job_the_queue_cannot_take_fails_saying_so_not_the_request(
    builds, monkeypatch, django_capture_on_commit_callbacks
):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(job_run, "delay", unreachable)
    job = _start(UserFactory(), "ok", {"n": 1}, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.content) == ("failed", 0, None)
    assert job.error == "작업 대기열에 연결할 수 없어 시작하지 못했습니다. 잠시 후 다시 요청해 주세요."


def test_an_upload_job_gets_its_file_and_keeps_a_result_not_a_file(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []

    def echo(params, progress, upload):
        seen.append(upload)
        return JobResult({"bytes": len(upload.content)})

    monkeypatch.setitem(KINDS, "echo", Kind(echo, (ValueError,), takes_input=True))
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(user, "echo", {"file": "a.csv"}, upload=b"a,b\n1,2\n", upload_name="a.csv")
    job.refresh_from_db()
    assert (job.status, job.result, job.content) == (Job.Status.DONE, {"bytes": 8}, None)
    assert [(u.user, u.content, u.filename) for u in seen] == [(user, b"a,b\n1,2\n", "a.csv")]
    client.force_login(user)
    assert client.get(reverse("jobs:job", args=[job.pk])).status_code == 200
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404  # no file to offer


def test_a_done_job_has_its_file_or_its_result():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(created_by=user, kind="ok", status=Job.Status.DONE)
    assert Job.objects.create(created_by=user, kind="ok", status=Job.Status.DONE, result={}).result == {}
    assert Job.objects.create(created_by=user, kind="ok", status=Job.Status.DONE, content=b"").content == b""
