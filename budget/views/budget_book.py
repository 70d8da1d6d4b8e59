"""The administrator's page for onboarding a bureau from its budget book: upload, a preview of what would
be created, updated or left unchanged (and every refusal by row and column), then apply. The import is
budget.importers.budget_book; the writes budget.services.budget_book, which checks the administrator again.
A book of more than IMPORT_JOB_ROWS rows is previewed and applied as jobs (budget.jobs): the upload sends the
administrator to the preview job's page, whose apply button comes back here."""

import base64
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.forms import BudgetBookForm
from budget.importers.budget_book import LAYOUT, budget_book_import
from budget.jobs import BUDGET_BOOK_APPLY, BUDGET_BOOK_PREVIEW, CHANGES_SHOWN, apply_start, runs_as_job, upload_params
from civicbureau import display
from jobs.selectors import job_of_kind
from jobs.services import job_start

SESSION_KEY = "budget_book_import"


def _administrator_only(request) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


def _page(request, form, result=None, token=None, status=200):
    context = {
        "form": form,
        "result": result,
        "token": token,
        "layout": LAYOUT,
        "changes_shown": CHANGES_SHOWN,
        "changes_total": len(result.changes) if result is not None else 0,
    }
    return render(request, "budget/budget_book.html", context, status=status)


@login_required
def budget_book_upload(request):
    """Upload a book: the dry run's counts per kind and its changes, or every problem by row and column."""
    _administrator_only(request)
    if request.method != "POST":
        return _page(request, BudgetBookForm())
    form = BudgetBookForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    if runs_as_job(content, upload.name, LAYOUT):
        params = upload_params(content, upload.name)
        job = job_start(request.user, BUDGET_BOOK_PREVIEW, params, upload=content, upload_name=upload.name)
        return redirect("jobs:job", job_id=job.pk)
    result = budget_book_import(content=content, filename=upload.name, user=request.user, dry_run=True)
    if not result.ok:
        return _page(request, form, result, status=400)
    token = uuid.uuid4().hex
    request.session[SESSION_KEY] = {"token": token, "name": upload.name, "content": base64.b64encode(content).decode()}
    return _page(request, BudgetBookForm(), result, token)


@login_required
@require_POST
def budget_book_apply(request):
    """Apply the previewed book: the same import, not rolled back (the records are read again: what changed
    since the preview is checked again)."""
    _administrator_only(request)
    if request.POST.get("job"):
        return _apply_as_job(request)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("미리보기가 만료되었습니다. 파일을 다시 올리세요."))
        return redirect("budget:budget_book")
    del request.session[SESSION_KEY]
    result = budget_book_import(
        content=base64.b64decode(stored["content"]), filename=stored["name"], user=request.user, dry_run=False
    )
    if not result.applied:
        return _page(request, BudgetBookForm(), result, status=400)
    messages.success(
        request,
        _("예산서 %(rows)s행을 적용했습니다: %(count)s건을 만들거나 고쳤습니다.")
        % {"rows": display.number(result.rows), "count": display.number(result.changed_count)},
    )
    return redirect("budget:budget_book")


def _apply_as_job(request):
    """Apply a book previewed by a job (its page's button): the apply is a job too, with the preview's file."""
    preview = job_of_kind(user=request.user, job_id=request.POST["job"], kind=BUDGET_BOOK_PREVIEW)
    if not (preview.result or {}).get("ok"):
        messages.error(request, _("미리보기에 문제가 있어 적용할 수 없습니다. 파일을 고쳐 다시 올리세요."))
        return redirect("jobs:job", job_id=preview.pk)
    job = apply_start(request.user, preview, BUDGET_BOOK_APPLY)
    return redirect("jobs:job", job_id=job.pk)
