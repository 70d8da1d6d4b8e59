"""The queue's one task: run a job of a registered kind (jobs.registry).

While the builder runs, a thread beats (jobs.services.job_heartbeat) every JOB_HEARTBEAT_SECONDS: a job whose
beat stops (its worker killed) is sent again by a worker's sweep (jobs.worker). Delivered again after its
worker was killed (acks_late, reject_on_worker_lost: civicbureau/settings.py), or sent again by the sweep, it
starts the job again from scratch (jobs.services.job_claim counts the attempts and fails the job after
JOB_MAX_ATTEMPTS; it refuses a job that another worker still beats for). A builder's error of the kind's
user_errors fails the job with its text; any other error fails it with a general message (and is logged); a
job over its time limit fails saying so. Nothing of a failed job is kept. A builder's JobResult (an import's
counts or problems) is kept as the job's result."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import Error, connections
from django.utils import translation
from django.utils.translation import gettext as _

from jobs import worker  # noqa: F401  the worker's sweep of stale jobs (registered on import)
from jobs.models import Job
from jobs.registry import KINDS, JobInput, JobResult
from jobs.services import job_claim, job_fail, job_finish, job_finish_result, job_heartbeat, job_progress, job_upload

logger = logging.getLogger(__name__)


@shared_task(name="jobs.run")
def job_run(job_id: str) -> None:
    job = job_claim(job_id)
    if job is None:
        return
    with translation.override(job.language):  # progress, messages and results in the asker's language
        kind = KINDS.get(job.kind)
        if kind is None:
            job_fail(job, _("알 수 없는 작업입니다."))
            return
        args = [job.params, lambda percent, text: job_progress(job, percent, text)]
        if kind.takes_input:  # an upload: the person who started it and the file kept with the job
            args.append(JobInput(job.created_by, job_upload(job), job.upload_name))
        try:
            with beating(job):
                result = kind.build(*args)
        except SoftTimeLimitExceeded:
            job_fail(job, _("작업이 제한 시간을 넘겨 멈췄습니다. 조건을 줄여 다시 요청해 주세요."))
            return
        except kind.user_errors as exc:
            job_fail(job, str(exc))
            return
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job_fail(job, _("작업 중 오류가 났습니다. 관리자에게 알려 주세요."))
            return
        if isinstance(result, JobResult):
            job_finish_result(job, result.data)
        else:
            job_finish(job, result.content, result.filename, result.content_type)


@contextmanager
def beating(job: Job) -> Iterator[None]:
    """A thread beats for the job every JOB_HEARTBEAT_SECONDS while the block runs (the builder may spend
    longer than that between two progress reports). A beat the database refuses is tried again at the next,
    on a new connection; the thread stops when the block ends or the job is no longer this attempt's, and
    closes its connection."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    if not job_heartbeat(job):
                        return
                except Error:  # the database restarted or unreachable for a while: a new connection next time
                    logger.warning("job %s: a beat failed", job.pk, exc_info=True)
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"job-heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
