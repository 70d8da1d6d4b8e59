"""A job's page (its progress, refreshing itself until it is finished; its error; the link to its file, or
its result drawn by the kind's template) and its file. Both are the job's creator's (and a superuser's):
anyone else gets a 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from jobs.registry import KINDS
from jobs.selectors import job_detail, job_file

REFRESH_SECONDS = 2


@never_cache  # reloaded every few seconds until done, and a person's own: never kept by a cache
@login_required
def job_page(request, job_id):
    job = job_detail(user=request.user, job_id=job_id)
    kind = KINDS.get(job.kind)
    context = {
        "job": job,
        "refresh_seconds": REFRESH_SECONDS,
        # a result that is not a file (an import's counts or problems) is drawn by its kind's template
        "result_template": kind.result_template if kind is not None else "",
    }
    return render(request, "jobs/job_detail.html", context)


@never_cache
@login_required
def job_download(request, job_id):
    job = job_file(user=request.user, job_id=job_id)
    return HttpResponse(
        bytes(job.content),
        content_type=job.content_type,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=job.filename)},
    )
