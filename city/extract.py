"""The budget office's city extract page: upload the finance system's extract for a month end, see what it
would do per bureau and division (rows, changes, lines the file does not hold, rows of no line, cautions,
problems), confirm the cautions and apply. Every write goes through budget.importers.city_extract. A file of
more than IMPORT_JOB_ROWS rows is previewed and applied as jobs (budget.jobs): the upload sends the person
to the preview job's page, whose apply form (with the cautions to confirm) comes back here."""

import base64
import datetime
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from budget.forms import ImportForm
from budget.importers.city_extract import LAYOUT, city_extract_import
from budget.jobs import CITY_EXTRACT_APPLY, CITY_EXTRACT_PREVIEW, apply_start, runs_as_job, upload_params
from jobs.selectors import job_of_kind
from jobs.services import job_start
from staffing.permissions import can_import_city_extract

SESSION_KEY = "city_extract"


class CityExtractForm(ImportForm):
    as_of = forms.DateField(
        label=gettext_lazy("기준일 (월말)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("재정시스템에서 추출한 누계의 기준일: 그달의 마지막 날"),
    )


def _importer(request) -> None:
    if not can_import_city_extract(request.user):
        raise PermissionDenied


@login_required
def extract_upload(request):
    """Upload the extract: a preview of every bureau and division, nothing written."""
    _importer(request)
    result = token = None
    if request.method == "POST":
        form = CityExtractForm(request.POST, request.FILES)
        if form.is_valid():
            upload, as_of = form.cleaned_data["file"], form.cleaned_data["as_of"]
            content = upload.read()
            if runs_as_job(content, upload.name, LAYOUT):
                params = upload_params(content, upload.name, as_of=as_of.isoformat())
                job = job_start(request.user, CITY_EXTRACT_PREVIEW, params, upload=content, upload_name=upload.name)
                return redirect("jobs:job", job_id=job.pk)
            result = city_extract_import(
                user=request.user, content=content, filename=upload.name, as_of=as_of, dry_run=True
            )
            if result.ok:
                token = uuid.uuid4().hex
                request.session[SESSION_KEY] = {
                    "token": token,
                    "name": upload.name,
                    "as_of": as_of.isoformat(),
                    "versions": result.plan.versions,
                    "content": base64.b64encode(content).decode(),
                }
    else:
        form = CityExtractForm()
    return render(
        request,
        "city/extract.html",
        {"form": form, "result": result, "token": token},
        status=400 if result is not None and not result.ok else 200,
    )


@login_required
@require_POST
def extract_apply(request):
    """Apply the previewed file: checked again, written only if no division changed since the preview."""
    _importer(request)
    if request.POST.get("job"):
        return _apply_as_job(request)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("미리보기가 만료되었습니다. 파일을 다시 올리세요."))
        return redirect("city:extract")
    confirmed = request.POST.getlist("confirm")
    result = city_extract_import(
        user=request.user,
        content=base64.b64decode(stored["content"]),
        filename=stored["name"],
        as_of=datetime.date.fromisoformat(stored["as_of"]),
        dry_run=False,
        confirmed=confirmed,
        versions=stored["versions"],
    )
    if not result.applied:  # refused, or cautions not all confirmed: the preview again, the file kept if it can pass
        token = stored["token"] if result.ok else None
        if token is None:
            del request.session[SESSION_KEY]
        context = {"form": CityExtractForm(), "result": result, "token": token, "confirmed": confirmed}
        return render(request, "city/extract.html", context, status=400)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("%(count)s개 세부사업의 실적을 각 과의 작성 중 실적으로 넣었습니다. 각 과가 검토해 제출합니다.")
        % {"count": result.plan.changed_count},
    )
    return redirect("city:extract")


def _apply_as_job(request):
    """Apply a file previewed by a job (its page's form, with the cautions confirmed): the apply is a job
    too, with the preview's file, month end and divisions' versions."""
    preview = job_of_kind(user=request.user, job_id=request.POST["job"], kind=CITY_EXTRACT_PREVIEW)
    if not (preview.result or {}).get("ok"):
        messages.error(request, _("미리보기에 문제가 있어 적용할 수 없습니다. 파일을 고쳐 다시 올리세요."))
        return redirect("jobs:job", job_id=preview.pk)
    job = apply_start(
        request.user,
        preview,
        CITY_EXTRACT_APPLY,
        as_of=preview.params["as_of"],
        confirmed=sorted(request.POST.getlist("confirm")),
        versions=preview.result["plan"]["versions"],
    )
    return redirect("jobs:job", job_id=job.pk)
