"""The reads of the job pages: a job is its creator's (and a superuser's) only; anyone else gets a 404."""

from django.shortcuts import get_object_or_404

from jobs.models import Job


def _visible(user):
    jobs = Job.objects.all()
    return jobs if user.is_superuser else jobs.filter(created_by=user)


def job_detail(*, user, job_id) -> Job:
    """The job for its page, without its file's bytes."""
    return get_object_or_404(_visible(user).defer("content"), pk=job_id)


def job_file(*, user, job_id) -> Job:
    """The finished job with its file (404 while it is not done)."""
    return get_object_or_404(_visible(user), pk=job_id, status=Job.Status.DONE)
