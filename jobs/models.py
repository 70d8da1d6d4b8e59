"""Long work done off the request (the city briefing, big imports): one row per job, with its progress and,
once done, its file or its result (an import's counts or problems). The file's bytes are kept in the
database, written in the same transaction as status=done: every app server, on any machine, offers it, and a
file is never offered unless complete. An import's uploaded file is kept in the row too (`upload`), so that
any worker can read it and it outlives a restart of the app servers."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def heartbeat_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """A running job whose last beat is older than this has lost its worker (JOB_STALE_SECONDS)."""
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)


class Job(models.Model):
    """A job of a registered kind (jobs.registry), started by a person, run by the queue's worker.

    A running job beats (heartbeat_at) while its worker runs it; when the beat stops for JOB_STALE_SECONDS the
    job is stale (its worker was killed) and is queued again (jobs.services.jobs_requeue_stale); so is a job
    whose holder (the process running it) is known to be gone (jobs.process). `attempts` names the attempt
    that holds the job: the writes of an earlier attempt's worker are refused."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기 중")
        RUNNING = "running", _("진행 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("종류"), max_length=50)
    params = models.JSONField(_("조건"), default=dict)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("진행률"), default=0)
    progress_text = models.CharField(_("진행 상황"), max_length=200, blank=True)
    error = models.TextField(_("실패 사유"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("요청한 사람")
    )
    created_at = models.DateTimeField(_("요청 시각"), auto_now_add=True)
    started_at = models.DateTimeField(_("시작 시각"), null=True, blank=True)
    finished_at = models.DateTimeField(_("끝난 시각"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("마지막 응답 시각"), null=True, blank=True)
    holder = models.CharField(_("실행 중인 프로세스"), max_length=100, blank=True)  # jobs.process
    # the language of the request that started it: its progress, messages and results are in it (jobs.tasks)
    language = models.CharField(_("언어"), max_length=10, default="ko")
    content = models.BinaryField(_("파일"), null=True, blank=True)
    filename = models.CharField(_("파일 이름"), max_length=200, blank=True)
    content_type = models.CharField(_("파일 형식"), max_length=200, blank=True)
    result = models.JSONField(_("결과"), null=True, blank=True)
    upload = models.BinaryField(_("올린 파일"), null=True, blank=True)
    upload_name = models.CharField(_("올린 파일 이름"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("작업")
        verbose_name_plural = pgettext_lazy("plural", "작업")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="job_progress_at_most_100",
                violation_error_message=_("진행률은 100을 넘을 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(content__isnull=False) | models.Q(result__isnull=False),
                name="job_done_has_its_file_or_result",
                violation_error_message=_("완료된 작업에는 파일이나 결과가 있어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def beat_lost(self, now: datetime.datetime | None = None) -> bool:
        """Running without a beat within JOB_STALE_SECONDS: its worker is gone (it is stale)."""
        return self.status == self.Status.RUNNING and (
            self.heartbeat_at is None or self.heartbeat_at < heartbeat_cutoff(now)
        )

    @property
    def interrupted(self) -> bool:
        """Its worker was lost and it waits to be started again: running without a recent beat, or queued
        again after an attempt (never shown as progressing)."""
        return self.beat_lost() or (self.status == self.Status.QUEUED and self.attempts > 0)
