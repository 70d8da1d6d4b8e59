"""The writes of a job's life: started (queued once the transaction that made it commits), claimed by a
worker, its progress, done with its file or failed with a message for the person, and pruned after the
retention period. Each is one short transaction, so the job page shows progress while the job runs."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from civicbureau.locks import ROW_LOCK
from jobs import process
from jobs.models import Job
from jobs.registry import KINDS

logger = logging.getLogger(__name__)


def job_start(user, kind: str, params: dict, *, upload: bytes | None = None, upload_name: str = "") -> Job:
    """The person's job of this kind with these params: the one already waiting or running if there is one
    (a second click starts nothing more), else a new one, sent to the queue once it is committed. An import's
    uploaded file goes with the job's row (`upload`), not its params: give its digest in the params, so that
    the same file uploaded twice joins the job already running."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    unfinished = Job.objects.filter(
        created_by=user, kind=kind, params=params, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).defer("content", "upload")
    if (job := unfinished.first()) is not None:
        return job
    job = Job.objects.create(created_by=user, kind=kind, params=params, upload=upload, upload_name=upload_name,
                             language=translation.get_language() or settings.LANGUAGE_CODE)  # fmt: skip
    transaction.on_commit(lambda: _job_enqueue(job))
    return job


def _job_enqueue(job: Job) -> None:
    """Send the committed job to the queue; a broker that cannot be reached fails the job, saying so, rather
    than the request (the job would otherwise wait for ever)."""
    from jobs.tasks import job_run  # the task module imports this one

    try:
        job_run.delay(str(job.pk))
    except OperationalError:
        logger.exception("job %s could not be queued", job.pk)
        job_fail(job, _("작업 대기열에 연결할 수 없어 시작하지 못했습니다. 잠시 후 다시 요청해 주세요."))


def job_claim(job_id: str) -> Job | None:
    """A worker takes the job: queued, or running when an earlier attempt was interrupted (its worker killed:
    the job stopped beating, or the queue delivered it again), it starts again from scratch. None: nothing to
    do, because the job is finished (a second delivery), gone (pruned), running in another worker that still
    beats (a delivery again of a job in hand: it is not run twice at once), or has now been tried
    JOB_MAX_ATTEMPTS times (failed)."""
    with transaction.atomic():
        job = Job.objects.select_for_update(**ROW_LOCK).defer("content", "upload").filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        if job.status == Job.Status.RUNNING and not job.beat_lost() and not process.gone(job.holder):
            logger.info("job %s is running in another worker (beat at %s): not started again", job.pk, job.heartbeat_at)
            return None
        job.attempts += 1
        if job.attempts > settings.JOB_MAX_ATTEMPTS:
            job.attempts = settings.JOB_MAX_ATTEMPTS
            job.status = Job.Status.FAILED
            job.error = _("작업이 %(count)s번 중단되어 멈췄습니다. 다시 요청해 주세요.") % {
                "count": settings.JOB_MAX_ATTEMPTS
            }
            job.finished_at = timezone.now()
            job.save(update_fields=["attempts", "status", "error", "finished_at"])
            return None
        job.status = Job.Status.RUNNING
        job.progress, job.progress_text = 0, _("시작했습니다.")
        job.started_at = job.heartbeat_at = timezone.now()
        job.holder = process.this_process()
        job.save(
            update_fields=["attempts", "status", "progress", "progress_text", "started_at", "heartbeat_at", "holder"]
        )
    return job


def _held(job: Job):
    """The job's row while this attempt still holds it: unfinished and not taken over by a later attempt (a
    worker thought lost that was only slow must not overwrite the attempt that replaced it)."""
    return Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING], attempts=job.attempts)


def job_heartbeat(job: Job) -> bool:
    """The running job's worker is alive (jobs.tasks beats every JOB_HEARTBEAT_SECONDS while the job runs);
    False once this attempt no longer holds the job."""
    return bool(_held(job).filter(status=Job.Status.RUNNING).update(heartbeat_at=timezone.now()))


def job_progress(job: Job, percent: int, text: str) -> None:
    """How far the running job is (0–100) and what it is doing, in a few words (a beat, too)."""
    job.progress, job.progress_text = max(0, min(100, int(percent))), text[:200]
    job.heartbeat_at = timezone.now()
    _held(job).filter(status=Job.Status.RUNNING).update(
        progress=job.progress, progress_text=job.progress_text, heartbeat_at=job.heartbeat_at
    )


def _end(job: Job, what: str, **fields) -> bool:
    """The job's last write (done or failed), in one transaction, only while this attempt still holds it:
    False, and nothing written, once another attempt took it over."""
    with transaction.atomic():
        if not _held(job).select_for_update(**ROW_LOCK).exists():
            logger.warning("job %s attempt %s %s after it was taken over: not written", job.pk, job.attempts, what)
            return False
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(update_fields=list(fields))
    return True


def job_finish(job: Job, content: bytes, filename: str, content_type: str) -> bool:
    """Done: the whole file and status=done in one write, so the file is offered only complete."""
    return _end(job, "finished", status=Job.Status.DONE, progress=100, progress_text=_("완료했습니다."),
                content=content, filename=filename, content_type=content_type, error="",
                finished_at=timezone.now())  # fmt: skip


def job_finish_result(job: Job, result: dict) -> bool:
    """Done with a result that is not a file (an import's counts, or its problems), in one write."""
    return _end(job, "finished", status=Job.Status.DONE, progress=100, progress_text=_("완료했습니다."),
                result=result, error="", finished_at=timezone.now())  # fmt: skip


def job_upload(job: Job) -> bytes:
    """The file uploaded with the job (read only by the worker that runs it: the job's page never loads it)."""
    return bytes(Job.objects.values_list("upload", flat=True).get(pk=job.pk) or b"")


def job_fail(job: Job, message: str) -> bool:
    """Failed, with the reason for the person; no file is kept, neither made nor uploaded."""
    return _end(job, f"failed ({message})", status=Job.Status.FAILED, error=message, finished_at=timezone.now(),
                content=None, filename="", content_type="", upload=None)  # fmt: skip


def jobs_requeue_stale(*, now: datetime.datetime | None = None) -> int:
    """Queue again the running jobs whose worker is gone: no beat within JOB_STALE_SECONDS, or a holder this
    process sees gone (jobs.process: a worker on the same machine); returns how many were sent. Each is sent to
    the queue first, then marked queued if nothing beat or claimed it meanwhile (its page says it was
    interrupted and waits; the next sweep does not send it twice): a job the queue cannot take stays running,
    for the next sweep. The message Redis gives back later (its visibility timeout) finds the job finished, or
    held by a worker that beats (job_claim refuses both), or still queued (it is taken, and this message is
    then refused)."""
    from jobs.tasks import job_run  # the task module imports this one

    running = Job.objects.filter(status=Job.Status.RUNNING).only("status", "attempts", "heartbeat_at", "holder")
    requeued = 0
    for job in running:
        if not (job.beat_lost(now) or process.gone(job.holder)):
            continue
        try:
            job_run.delay(str(job.pk))
        except OperationalError:
            logger.exception("job %s lost its worker but could not be queued again", job.pk)
            continue
        requeued += 1
        # only as it was read: a worker may have taken the message already (or run it: eager mode)
        Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts, heartbeat_at=job.heartbeat_at
        ).update(status=Job.Status.QUEUED)
        logger.warning(
            "job %s lost its worker (beat at %s, held by %s): queued again", job.pk, job.heartbeat_at, job.holder
        )
    return requeued


def jobs_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the jobs (and their files) started more than JOB_RETENTION_DAYS ago; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.JOB_RETENTION_DAYS)
    deleted, _by_model = Job.objects.filter(created_at__lt=cutoff).delete()
    return deleted
