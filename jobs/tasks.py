"""The queue's one task: run a job of a registered kind (jobs.registry).

Delivered again after its worker was killed (acks_late, reject_on_worker_lost: civicbureau/settings.py), it
starts the job again from scratch (jobs.services.job_claim counts the attempts and fails the job after
JOB_MAX_ATTEMPTS). A builder's error of the kind's user_errors fails the job with its text; any other error
fails it with a general message (and is logged); a job over its time limit fails saying so. Nothing of a
failed job is kept. A builder's JobResult (an import's counts or problems) is kept as the job's result."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import translation
from django.utils.translation import gettext as _

from jobs.registry import KINDS, JobInput, JobResult
from jobs.services import job_claim, job_fail, job_finish, job_finish_result, job_progress, job_upload

logger = logging.getLogger(__name__)


@shared_task(name="jobs.run")
def job_run(job_id: str) -> None:
    job = job_claim(job_id)
    if job is None:
        return
    with translation.override("ko"):  # progress and messages are Korean, whoever's request started the job
        kind = KINDS.get(job.kind)
        if kind is None:
            job_fail(job, _("알 수 없는 작업입니다."))
            return
        args = [job.params, lambda percent, text: job_progress(job, percent, text)]
        if kind.takes_input:  # an upload: the person who started it and the file kept with the job
            args.append(JobInput(job.created_by, job_upload(job), job.upload_name))
        try:
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
