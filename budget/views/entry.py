"""Division staff's monthly entry: the year's board, a division-month's grid and its transitions (submit,
approve, return, correct), the template and its import. Every write goes through budget.services."""

import base64
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget import services
from budget.exports.sheet import template_csv, template_xlsx
from budget.forms import ExecutionRowFormSet, ImportForm, ReasonForm
from budget.importers.monthly import execution_import
from budget.models import DivisionMonth
from budget.selectors import entry
from budget.views.access import bureau_and_year, division_or_404, internal_only
from civicbureau import display, held, open_data
from civicbureau.entry import Caution, EntryError, Problem, formset_problems
from civicbureau.forms import VersionForm
from staffing.permissions import can_approve, can_edit_division, membership_of

IMPORT_SESSION_KEY = "execution_import"


def _month_url(division, as_of) -> str:
    return reverse("budget:month_detail", args=[division.code, as_of])


@login_required
def entry_board(request):
    """The year's board: every division × month, missing → draft → submitted → returned/approved."""
    membership, bureau, year = bureau_and_year(request)
    board = entry.entry_board(bureau=bureau, fiscal_year=year)
    return render(
        request, "budget/board.html", {"board": board, "statuses": DivisionMonth.Status, "membership": membership}
    )


@held.holds_expired_post
@login_required
def month_detail(request, division, as_of):
    """One division's month: every budget line as a grid; its staff save it here (all rows or none)."""
    internal_only(request)
    division = division_or_404(request, division)
    grid = entry.division_month_grid(division=division, as_of=as_of)
    if not grid.rows:
        raise Http404
    may_edit = can_edit_division(request.user, division) and grid.status not in DivisionMonth.LOCKED
    problems = []
    if request.method == "POST":
        if not can_edit_division(request.user, division):
            raise PermissionDenied
        formset, version_form = ExecutionRowFormSet(request.POST, prefix="rows"), VersionForm(request.POST)
        names = {row.line.code: f"{row.line.code} {row.line.name}" for row in grid.rows}
        rows = [  # the rows that could be read: their rules are checked even where others could not be read
            services.ExecutionInput(
                code=form.cleaned_data["code"],
                obligations=form.cleaned_data["obligations"],
                disbursements=form.cleaned_data["disbursements"],
                row=names.get(form.cleaned_data["code"], ""),
            )
            for form in formset.forms
            if form.is_valid()
        ]
        if version_form.is_valid() and formset.is_valid():
            try:
                services.execution_month_save(
                    user=request.user,
                    division=division,
                    as_of=as_of,
                    rows=rows,
                    version=version_form.cleaned_data["version"],
                    confirmed=request.POST.getlist("confirm"),
                )
            except EntryError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("%(division)s %(date)s 실적을 저장했습니다.")
                    % {"division": division.name, "date": display.calendar_date(as_of)},
                )
                return redirect(_month_url(division, as_of))
        else:
            # every problem at once: what could not be read, and the rules of the rows that could
            problems = formset_problems(
                formset, version_form, key_field="code", row_name=lambda code: names.get(code, code)
            )
            if rows:
                problems += services.execution_month_validate(division=division, as_of=as_of, rows=rows)
    else:
        typed = held.held_post_take(request)  # what was typed before the session ended, to check and save
        formset = ExecutionRowFormSet(typed, prefix="rows", initial=[_initial(row) for row in grid.rows])
        version_form = VersionForm(typed, initial={"version": grid.version})
    return render(
        request,
        "budget/month.html",
        {
            "grid": grid,
            "sections": _sections(grid, formset.forms),
            "formset": formset,
            "version_form": version_form,
            "problems": _mark_cells([p for p in problems if not isinstance(p, Caution)], formset),
            "cautions": _mark_cells([p for p in problems if isinstance(p, Caution)], formset),
            "confirmed": request.POST.getlist("confirm") if request.method == "POST" else [],
            "may_edit": may_edit,
            "may_submit": can_edit_division(request.user, division) and grid.status in DivisionMonth.EDITABLE,
            "may_withdraw": can_edit_division(request.user, division) and grid.status == DivisionMonth.Status.SUBMITTED,
            "may_approve": can_approve(request.user, division) and grid.status == DivisionMonth.Status.SUBMITTED,
            "may_correct": can_edit_division(request.user, division) and grid.status == DivisionMonth.Status.APPROVED,
            "reason_form": ReasonForm(initial={"version": grid.version}),
        },
        status=400 if problems else 200,
    )


def _sections(grid, forms) -> list[tuple]:
    """The grid's rows, each with its form, as (team group, [(row, form), …]) by team where the division has
    teams (entry.MonthGrid.groups, each shown with its subtotal), else one section of every row (group None)."""
    paired = list(zip(grid.rows, forms, strict=False))
    if not grid.has_teams:
        return [(None, paired)]
    form_of = {row.line.pk: form for row, form in paired}
    return [
        (group, [(row, form_of[row.line.pk]) for row in group.rows if row.line.pk in form_of]) for group in grid.groups
    ]


def _mark_cells(problems, formset) -> list[tuple[Problem, str]]:
    """Each problem with the id of the cell it names ('' for none), for a summary that links to it; the
    named inputs are marked: a refusal with aria-invalid and the 'invalid' style, a caution with 'caution'."""
    forms = {(form.data.get(f"{form.prefix}-code") or form.initial.get("code")): form for form in formset.forms}
    linked = []
    for problem in problems:
        form = forms.get(problem.row.split(" ")[0])
        if form is None or problem.field not in ("obligations", "disbursements"):
            linked.append((problem, ""))
            continue
        attrs = form.fields[problem.field].widget.attrs
        if isinstance(problem, Caution):
            if attrs.get("aria-invalid") != "true":
                attrs["class"] = "won caution"
        else:
            attrs.update({"aria-invalid": "true", "class": "won invalid"})
        linked.append((problem, form[problem.field].id_for_label))
    return linked


def _initial(row) -> dict:
    """A month not yet entered starts from the previous period's cumulative figures."""
    if row.disbursements is not None:
        return {"code": row.line.code, "obligations": row.obligations, "disbursements": row.disbursements}
    return {"code": row.line.code, "obligations": row.previous_obligations, "disbursements": row.previous_disbursements}


def _transition(request, division, as_of, action, success: str, *, with_reason=False):
    """Submit, approve, return or correct: the service decides; the page shows its answer."""
    internal_only(request)
    division = division_or_404(request, division)
    month = get_object_or_404(DivisionMonth, division=division, as_of=as_of)
    form = (ReasonForm if with_reason else VersionForm)(request.POST)
    form.is_valid()  # the service judges the values; an empty or bad version arrives as None
    version = form.cleaned_data.get("version")
    kwargs = {"reason": request.POST.get("reason", "")} if with_reason else {}
    try:
        action(user=request.user, month=month, version=version, **kwargs)
    except EntryError as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    else:
        messages.success(request, success)
    return redirect(_month_url(division, as_of))


@login_required
@require_POST
def month_submit(request, division, as_of):
    """Submitting asks first: the month's totals, its change against the previous period and the cautions
    confirmed with its figures; submitted only when the person confirms that (`confirmed`)."""
    if request.POST.get("confirmed") != "1":
        internal_only(request)
        division = division_or_404(request, division)
        grid = entry.division_month_grid(division=division, as_of=as_of)
        if grid.month is None or not can_edit_division(request.user, division):
            raise Http404
        context = {"grid": grid, "confirmed": entry.month_confirmed_cautions(division=division, as_of=as_of)}
        return render(request, "budget/month_submit.html", context)
    return _transition(
        request, division, as_of, services.division_month_submit, _("제출했습니다. 과장의 승인을 기다립니다.")
    )


@login_required
@require_POST
def month_withdraw(request, division, as_of):
    return _transition(
        request, division, as_of, services.division_month_withdraw, _("회수했습니다. 다시 고쳐 제출할 수 있습니다.")
    )


@login_required
@require_POST
def month_approve(request, division, as_of):
    return _transition(
        request,
        division,
        as_of,
        services.division_month_approve,
        _("승인했습니다. 국이 이 기준일을 공표하면 공개 화면에 반영됩니다."),
    )


@login_required
@require_POST
def month_return(request, division, as_of):
    return _transition(request, division, as_of, services.division_month_return, _("반려했습니다."), with_reason=True)


@login_required
@require_POST
def month_correct(request, division, as_of):
    return _transition(
        request,
        division,
        as_of,
        services.division_month_correct,
        _("정정을 열었습니다. 새 차수가 승인되고 공표될 때까지 공개 화면에는 공표된 실적이 그대로 보입니다."),
        with_reason=True,
    )


@login_required
def month_template(request, division, as_of, fmt):
    """The month's sheet to fill in and upload again (xlsx or csv): the template is the export."""
    internal_only(request)
    division = division_or_404(request, division)
    grid = entry.division_month_grid(division=division, as_of=as_of)
    if not grid.rows or fmt not in ("xlsx", "csv"):
        raise Http404
    content, content_type = (
        (template_xlsx(grid), open_data.XLSX_TYPE) if fmt == "xlsx" else (template_csv(grid), open_data.CSV_TYPE)
    )
    filename = f"{division.code}-{as_of.isoformat()}-실적.{fmt}"
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


def _importer(request):
    """The membership of someone who may import their own division's sheet."""
    internal_only(request)
    membership = membership_of(request.user)
    if membership is None or membership.division is None or not can_edit_division(request.user, membership.division):
        raise PermissionDenied
    return membership


@login_required
def import_upload(request):
    """Upload the sheet: the preview lists every change (old → new) and every problem by row and column."""
    membership = _importer(request)
    result = token = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            result = execution_import(user=request.user, content=content, filename=upload.name, dry_run=True)
            if result.ok:
                token = uuid.uuid4().hex
                request.session[IMPORT_SESSION_KEY] = {
                    "token": token,
                    "name": upload.name,
                    "content": base64.b64encode(content).decode(),
                }
    else:
        form = ImportForm()
    return render(
        request,
        "budget/import.html",
        {"form": form, "result": result, "token": token, "division": membership.division},
        status=400 if result is not None and not result.ok else 200,
    )


@login_required
@require_POST
def import_apply(request):
    """Apply the previewed file: the same import, not rolled back."""
    membership = _importer(request)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("미리보기가 만료되었습니다. 파일을 다시 올리세요."))
        return redirect("budget:import_upload")
    result = execution_import(
        user=request.user,
        content=base64.b64decode(stored["content"]),
        filename=stored["name"],
        dry_run=False,
        confirmed=request.POST.getlist("confirm"),
    )
    if not result.applied:  # refused, or cautions not all confirmed: the preview again, the file kept
        token = stored["token"] if result.ok else None
        if token is None:
            del request.session[IMPORT_SESSION_KEY]
        context = {"form": ImportForm(), "result": result, "token": token, "division": membership.division}
        context["confirmed"] = request.POST.getlist("confirm")
        return render(request, "budget/import.html", context, status=400)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(request, _("%(count)s개 세부사업의 실적을 올렸습니다.") % {"count": result.changed_count})
    return redirect(_month_url(result.division, result.as_of))
