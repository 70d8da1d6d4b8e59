"""The reads of the job pages: a job is its creator's (and a superuser's) only; anyone else gets a 404."""

import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404

from jobs.models import Job


def _visible(user):
    jobs = Job.objects.all()
    return jobs if user.is_superuser else jobs.filter(created_by=user)


def job_detail(*, user, job_id) -> Job:
    """The job for its page, without its file's bytes."""
    return get_object_or_404(_visible(user).defer("content", "upload"), pk=job_id)


def job_file(*, user, job_id) -> Job:
    """The finished job with its file (404 while it is not done)."""
    return get_object_or_404(_visible(user).defer("upload"), pk=job_id, status=Job.Status.DONE, content__isnull=False)


def job_of_kind(*, user, job_id, kind: str) -> Job:
    """The person's finished job of this kind (an import's preview, whose file an apply takes up), with its
    uploaded file; 404 if it is not theirs, not of the kind or not done (or the id is no job's: a form's)."""
    try:
        job_id = uuid.UUID(str(job_id))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(
        Job.objects.defer("content"), pk=job_id, kind=kind, created_by=user, status=Job.Status.DONE
    )
