"""The job queue (jobs/) in eager mode, as the suite runs it (no Redis): a job's life (done with its file,
failed with its message and no file, started again after its worker was lost, given up after
JOB_MAX_ATTEMPTS), its pages (its creator's and a superuser's only) and the pruning of old jobs."""

import datetime
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from civicbureau.celery import app as celery_app
from jobs import process, tasks
from jobs.models import Job, heartbeat_cutoff
from jobs.registry import KINDS, JobFile, JobResult, Kind
from jobs.services import (
    job_claim,
    job_fail,
    job_finish,
    job_finish_result,
    job_heartbeat,
    job_progress,
    job_start,
    jobs_prune,
    jobs_requeue_stale,
)
from jobs.tasks import job_run
from jobs.worker import StaleJobSweep, requeue_stale_jobs_on_start, sweep
from tests.factories import JobFactory, UserFactory

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


def lose_beat(job):
    """Moves time on past JOB_STALE_SECONDS for the job: its last beat is older than the bound."""
    Job.objects.filter(pk=job.pk).update(heartbeat_at=heartbeat_cutoff() - datetime.timedelta(seconds=1))


def test_a_job_whose_worker_was_lost_starts_again_from_scratch(builds):
    """The queue delivers the task again after its worker was killed: while the lost attempt's beat is fresh
    the job may be running elsewhere and is not started twice; once it is stale, the next attempt starts over."""
    job = job_start(UserFactory(), "lost_once", {})  # not committed in the test: the task is called by hand
    with pytest.raises(WorkerLost):
        job_run(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.content) == ("running", 1, 40, None)
    job_run(str(job.pk))  # the delivery again, within JOB_STALE_SECONDS of the last beat: refused
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.content) == ("running", 1, 40, None)
    lose_beat(job)
    job_run(str(job.pk))  # the delivery again once the beat is stale
    job.refresh_from_db()
    assert (job.status, job.attempts, bytes(job.content)) == ("done", 2, CONTENT)
    lose_beat(job)
    job_run(str(job.pk))  # a third delivery of a finished job changes nothing, however old its beat
    job.refresh_from_db()
    assert (job.status, job.attempts, bytes(job.content)) == ("done", 2, CONTENT)


def test_a_job_lost_every_time_is_failed_after_its_attempts(builds):
    job = job_start(UserFactory(), "always_lost", {})
    for _ in range(settings.JOB_MAX_ATTEMPTS):
        with pytest.raises(WorkerLost):
            job_run(str(job.pk))
        lose_beat(job)
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


# --- a job whose worker died: its beat, the sweep, and its page (issue 20) ---------------------------------


def test_a_running_job_beats_when_claimed_and_at_each_progress(builds):
    job = job_start(UserFactory(), "ok", {"n": 1})
    assert job.heartbeat_at is None
    claimed = job_claim(str(job.pk))
    job.refresh_from_db()
    assert job.heartbeat_at == claimed.heartbeat_at == claimed.started_at
    lose_beat(job)
    job_progress(claimed, 30, "읽는 중")
    job.refresh_from_db()
    assert (job.progress, job.progress_text) == (30, "읽는 중")
    assert job.heartbeat_at > heartbeat_cutoff() and not job.interrupted


def test_a_thread_beats_while_the_builder_runs_between_two_progress_reports(builds, monkeypatch, settings):
    """The beat's thread (its database write is job_heartbeat's, below: a thread's own connection would not
    see the test's transaction) beats every JOB_HEARTBEAT_SECONDS while the block runs, and stops with it."""
    settings.JOB_HEARTBEAT_SECONDS = 0.01
    beats = []
    monkeypatch.setattr(tasks, "job_heartbeat", lambda job: beats.append(job.pk) or True)
    job = JobFactory(status="running", attempts=1)
    with tasks.beating(job):
        for _ in range(100):  # at most a second
            if len(beats) >= 3:
                break
            time.sleep(0.01)
        assert [thread.name for thread in threading.enumerate()].count(f"job-heartbeat-{job.pk}") == 1
    assert beats[:3] == [job.pk] * 3
    assert f"job-heartbeat-{job.pk}" not in [thread.name for thread in threading.enumerate()]
    after = len(beats)
    time.sleep(0.05)
    assert len(beats) == after  # no beat once the block ended


def test_the_task_beats_while_the_builder_runs(monkeypatch):
    seen = []

    def watched(params, progress):
        seen.append([thread.name for thread in threading.enumerate()])
        return JobFile(CONTENT, "watched.bin", "application/octet-stream")

    monkeypatch.setitem(KINDS, "watched", Kind(watched, (ValueError,)))
    job = JobFactory(kind="watched")
    job_run(str(job.pk))
    assert f"job-heartbeat-{job.pk}" in seen[0]
    assert f"job-heartbeat-{job.pk}" not in [thread.name for thread in threading.enumerate()]


def test_the_beat_stops_when_the_attempt_no_longer_holds_the_job(monkeypatch, settings):
    settings.JOB_HEARTBEAT_SECONDS = 0.01
    beats = []

    def taken_over(job):
        beats.append(job.pk)
        return False

    monkeypatch.setattr(tasks, "job_heartbeat", taken_over)
    job = JobFactory(status="running", attempts=1)
    with tasks.beating(job):
        time.sleep(0.1)
    assert beats == [job.pk]


def test_a_beat_the_database_refuses_is_tried_again_at_the_next(monkeypatch, settings, caplog):
    settings.JOB_HEARTBEAT_SECONDS = 0.01
    beats = []

    def flaky(job):
        beats.append(job.pk)
        if len(beats) == 1:
            raise DatabaseOperationalError("server closed the connection unexpectedly")
        return True

    monkeypatch.setattr(tasks, "job_heartbeat", flaky)
    job = JobFactory(status="running", attempts=1)
    with tasks.beating(job):
        for _ in range(100):  # at most a second
            if len(beats) >= 3:
                break
            time.sleep(0.01)
    assert beats[:3] == [job.pk] * 3 and f"job {job.pk}: a beat failed" in caplog.text


def test_a_beat_moves_heartbeat_at_for_the_attempt_that_holds_the_job():
    job = JobFactory(status="running", attempts=1, heartbeat_at=None)
    assert job_heartbeat(job) is True
    job.refresh_from_db()
    assert job.heartbeat_at > heartbeat_cutoff()
    Job.objects.filter(pk=job.pk).update(attempts=2)  # another attempt holds it now
    assert job_heartbeat(job) is False


def test_a_running_job_without_a_recent_beat_is_stale():
    now = timezone.now()
    old = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    recent = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS - 1)
    stale = JobFactory(status="running", attempts=1, heartbeat_at=old)
    never_beat = JobFactory(status="running", attempts=1, heartbeat_at=None)  # a row from before the beat
    fresh = JobFactory(status="running", attempts=1, heartbeat_at=recent)
    queued = JobFactory(status="queued", heartbeat_at=None)
    failed = JobFactory(status="failed", attempts=1, heartbeat_at=old)
    jobs = (stale, never_beat, fresh, queued, failed)
    assert [job.beat_lost(now) for job in jobs] == [True, True, False, False, False]
    assert [job.interrupted for job in jobs] == [True, True, False, False, False]
    # an hour later the fresh one is stale too
    assert [job.beat_lost(now + datetime.timedelta(hours=1)) for job in jobs] == [True, True, True, False, False]


def test_claim_refuses_a_job_another_worker_beats_for_and_takes_a_stale_one():
    job = JobFactory(status="running", attempts=1, progress=60, heartbeat_at=timezone.now())
    assert job_claim(str(job.pk)) is None  # a delivery again while its worker beats: not run twice at once
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == ("running", 1, 60)
    lose_beat(job)
    claimed = job_claim(str(job.pk))
    job.refresh_from_db()
    assert (claimed.pk, job.status, job.attempts, job.progress) == (job.pk, "running", 2, 0)
    assert job.heartbeat_at > heartbeat_cutoff()
    assert job_claim(str(job.pk)) is None  # a second delivery of the stale job's message meets the new attempt


@pytest.fixture
def sent(monkeypatch):
    """The ids the sweep sends to the queue (the task's delay patched: nothing runs)."""
    ids = []
    monkeypatch.setattr(job_run, "delay", ids.append)
    return ids


@pytest.fixture
def closed(monkeypatch):
    """How many times the sweep closed its database connections (not done here: the test's transaction)."""
    calls = []
    monkeypatch.setattr(connections, "close_all", lambda: calls.append(1))
    return calls


def test_a_worker_that_starts_queues_the_stale_jobs_again_and_nothing_else(builds, sent, closed):
    old = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    stale = JobFactory(status="running", attempts=1, progress=70, progress_text="읽는 중", heartbeat_at=old)
    fresh = JobFactory(kind="refused", status="running", attempts=1, heartbeat_at=timezone.now())
    done = JobFactory(kind="refused", status="done", attempts=1, heartbeat_at=old, content=CONTENT, filename="a.bin")
    failed = JobFactory(kind="refused", status="failed", attempts=1, heartbeat_at=old)
    requeue_stale_jobs_on_start(sender=None)
    assert sent == [str(stale.pk)]
    rows = {
        job.pk: (job.status, job.attempts)
        for job in Job.objects.filter(pk__in=[stale.pk, fresh.pk, done.pk, failed.pk])
    }
    assert rows == {stale.pk: ("queued", 1), fresh.pk: ("running", 1), done.pk: ("done", 1), failed.pk: ("failed", 1)}
    sweep()  # the next sweep does not send it twice: it is queued now, no longer running
    assert sent == [str(stale.pk)]
    assert len(closed) == 2  # the worker's main process forks its pool: it keeps no connection open
    job_run(sent[0])  # the worker takes the message
    stale.refresh_from_db()
    assert (stale.status, stale.attempts, bytes(stale.content)) == ("done", 2, CONTENT + b"0")
    job_run(str(stale.pk))  # Redis's redelivery of the killed worker's message, 20 minutes later
    stale.refresh_from_db()
    assert (stale.status, stale.attempts) == ("done", 2)


def test_the_sweep_leaves_a_job_the_queue_cannot_take_stale_for_the_next_one(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(job_run, "delay", unreachable)
    stale = JobFactory(status="running", attempts=1, heartbeat_at=None)
    assert jobs_requeue_stale() == 0
    stale.refresh_from_db()
    assert (stale.status, stale.attempts) == ("running", 1)


def test_a_job_lost_at_each_attempt_is_swept_at_most_its_attempts(builds, sent):
    job = JobFactory(kind="always_lost")
    for attempt in range(1, settings.JOB_MAX_ATTEMPTS + 1):
        with pytest.raises(WorkerLost):
            job_run(sent.pop() if sent else str(job.pk))
        lose_beat(job)
        assert jobs_requeue_stale() == 1
        job.refresh_from_db()
        assert (job.status, job.attempts) == ("queued", attempt)
    job_run(sent.pop())
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", settings.JOB_MAX_ATTEMPTS)
    assert jobs_requeue_stale() == 0 and sent == []


def test_an_attempt_taken_over_cannot_write_over_the_next(builds):
    """A worker thought lost that was only slow: its progress, file or failure is dropped."""
    job = JobFactory(status="running", attempts=1, heartbeat_at=None)
    slow = job_claim(str(job.pk))
    Job.objects.filter(pk=job.pk).update(heartbeat_at=None)
    job_claim(str(job.pk))  # the next attempt holds it now
    job_progress(slow, 90, "늦은 보고")
    assert job_heartbeat(slow) is False
    assert job_finish(slow, CONTENT, "slow.bin", "application/octet-stream") is False
    assert job_fail(slow, "늦은 실패") is False
    assert job_finish_result(slow, {"rows": 1}) is False
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.content, job.error, job.result) == (
        "running",
        3,
        0,
        None,
        "",
        None,
    )


def test_the_sweep_runs_on_the_workers_timer():
    assert StaleJobSweep in celery_app.steps["worker"]
    calls = []

    class Timer:
        def call_repeatedly(self, seconds, function, priority=0):
            calls.append((seconds, function))
            return mock.Mock()

    parent = mock.Mock(timer=Timer())
    step = StaleJobSweep(parent)
    step.start(parent)
    entry = step.timer_entry
    step.stop(parent)
    assert calls == [(settings.JOB_HEARTBEAT_SECONDS, sweep)] and entry.cancel.called and step.timer_entry is None


def test_the_page_of_a_job_whose_worker_died_says_it_waits_to_be_run_again(client):
    user = UserFactory()
    client.force_login(user)
    waiting = "작업하던 서버가 멈춰 작업이 중단되었습니다. 곧 처음부터 다시 시작합니다."
    job = JobFactory(created_by=user, status="running", attempts=1, progress=40, heartbeat_at=timezone.now())
    html = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert '<progress max="100" value="40">' in html and "진행 중" in html and waiting not in html
    lose_beat(job)  # its worker was killed: no beat for JOB_STALE_SECONDS
    html = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert waiting in html and "중단됨: 다시 시작 대기 중" in html
    assert "<progress" not in html and "진행 중" not in html
    assert '<meta http-equiv="refresh" content="2">' in html  # it keeps looking until the job ends
    Job.objects.filter(pk=job.pk).update(status="queued")  # as the sweep leaves it
    html = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert waiting in html and "<progress" not in html and "대기 중" in html


@pytest.fixture
def dead_holder():
    """The holder name of a process of this machine's that has ended (reaped: its pid is free)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{process.this_process().rpartition('/')[0]}/{child.pid}"


def test_a_holder_is_gone_only_when_this_machine_knows_its_process_ended(dead_holder):
    assert process.this_process().endswith(f"/{os.getpid()}")
    assert process.gone(process.this_process()) is False  # alive
    assert process.gone(dead_holder) is True
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])  # ended, not yet reaped by its parent
    try:
        for _ in range(100):  # at most a second
            if Path(f"/proc/{zombie.pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z":
                break
            time.sleep(0.01)
        assert process.gone(f"{process.this_process().rpartition('/')[0]}/{zombie.pid}") is True
    finally:
        zombie.wait()
    namespace, _, pid = dead_holder.rpartition("/")
    other_machine = f"00000000-0000-0000-0000-000000000000/{namespace.rpartition('/')[2]}/{pid}"
    other_container = f"{namespace.rpartition('/')[0]}/1/{pid}"
    assert [process.gone(holder) for holder in (other_machine, other_container, "", "x")] == [False] * 4


def test_a_job_whose_process_on_this_machine_died_is_run_again_at_once(builds, sent, dead_holder):
    """A pool child killed (or the whole worker, started again on its machine): its beat is still fresh, but the
    worker sees its process gone, so the delivery again, and the sweep, do not wait for the beat to go stale."""
    fresh = timezone.now()
    lost = JobFactory(status="running", attempts=1, heartbeat_at=fresh, holder=dead_holder)
    alive = JobFactory(kind="refused", status="running", attempts=1, heartbeat_at=fresh, holder=process.this_process())
    assert jobs_requeue_stale() == 1 and sent == [str(lost.pk)]
    assert list(Job.objects.filter(pk__in=[lost.pk, alive.pk]).order_by("kind").values_list("status", flat=True)) == [
        "queued",
        "running",
    ]
    assert job_claim(str(alive.pk)) is None  # its process runs: refused
    Job.objects.filter(pk=lost.pk).update(status="running")  # as the delivery Celery makes at once finds it
    claimed = job_claim(str(lost.pk))
    assert (claimed.attempts, claimed.holder) == (2, process.this_process())
