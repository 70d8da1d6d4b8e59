"""Public budget pages and their open data: 예산 집행 현황 at /execution/ (+ .csv, .json) and the
Fiscal Data Package at /datapackage.json. Views read the period, call a selector, hand over a table.

The managers' dashboards. Each view checks the user's right (civicbureau.permissions), reads through
selectors and hands the result to a table or a template; no figure is computed here."""

import base64
import datetime
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from budget import charts, selectors, services
from budget.exports.briefing import BriefingError, briefing_build
from budget.exports.open_data import execution_dataset, fiscal_data_package
from budget.exports.xlsx import briefing_workbook
from budget.filters import LineFilterForm
from budget.forms import (
    AsOfForm,
    BudgetAdjustmentForm,
    ExecutionChangeForm,
    ExecutionPeriodForm,
    ExecutionRowFormSet,
    ImportForm,
    ReasonForm,
    VersionForm,
)
from budget.importers.monthly import execution_import, template_csv, template_xlsx
from budget.models import BudgetLine, DivisionMonth
from budget.selectors import (
    budget_line_history,
    city_execution_date,
    city_execution_lines,
    city_execution_rows,
    city_execution_totals,
    city_fiscal_years,
    division_month_grid,
    division_month_history,
    execution_latest_date,
    fiscal_year_latest,
    public_execution_table,
    public_fiscal_years,
)
from budget.selectors import (
    entry_board as entry_board_build,
)
from budget.tables import (
    CityLineTable,
    DivisionExecutionTable,
    ExecutionChangeTable,
    ExecutionLineTable,
    ExecutionStatusTable,
    HistoryTable,
)
from civicbureau import display, open_data
from civicbureau.entry import EntryError, form_problems, formset_problems
from civicbureau.permissions import (
    VIEW,
    can_approve,
    can_edit_division,
    can_export_briefing,
    can_view_bureau,
    can_view_division,
    can_view_internal,
    home_dashboard,
    membership_of,
    restrict,
)
from civicbureau.publication import figures_cached, public_cacheable
from programs.selectors import (
    division_centre_table,
    schedule_attention,
)
from staffing.models import Division
from staffing.selectors import bureau_default, division_headcount


def period_query(request) -> str:
    """The period parameters alone (no sort order), for the download links next to the page."""
    return urlencode([(key, request.GET[key]) for key in ("year", "as_of") if request.GET.get(key)])


def _period(request):
    """(bureau, form, table): the period the request asks for and the table for it (None: no figures)."""
    bureau = bureau_default()
    if bureau is None:
        raise Http404(_("아직 자료가 없습니다."))
    form = ExecutionPeriodForm(request.GET, fiscal_years=public_fiscal_years(bureau=bureau))
    table = None
    if form.is_valid() and form.cleaned_data["year"]:
        table = public_execution_table(
            bureau=bureau, fiscal_year=form.cleaned_data["year"], month=form.cleaned_data["as_of"]
        )
    return bureau, form, table


@public_cacheable
def execution(request):
    """예산 집행 현황 for a fiscal year as of a month (default: the latest approved figures)."""
    bureau, form, table = _period(request)
    context = {"bureau": bureau, "form": form, "execution": table}
    year = form.cleaned_data.get("year") if form.is_valid() else None
    if year:
        context["month_choices"] = form.month_choices(year)
        context["chosen_month"] = form.cleaned_data["as_of"]
    if table is not None:
        caption = _("%(year)s 예산 집행 현황 %(line)s") % {
            "year": table.fiscal_year,
            "line": display.as_of_line(table.as_of, display.THOUSAND_WON, display.PERCENT),
        }
        status_table = ExecutionStatusTable(table.rows, caption=caption)
        RequestConfig(request, paginate=False).configure(status_table)
        context["table"] = status_table
        context["query"] = period_query(request)
    status = 400 if form.errors else 200
    return render(request, "budget/execution.html", context, status=status)


CITY_PAGE_SIZE = 100


@public_cacheable
def city_execution(request):
    """The whole city's 예산 집행 현황: the city's and each bureau's totals over every line, then the lines,
    100 a page. Approved figures only; the same period choices as /execution/."""
    form = ExecutionPeriodForm(request.GET, fiscal_years=city_fiscal_years())
    context = {"form": form}
    year = form.cleaned_data.get("year") if form.is_valid() else None
    if year:
        month = form.cleaned_data["as_of"]
        context.update(month_choices=form.month_choices(year), chosen_month=month, fiscal_year=year)
        as_of = city_execution_date(fiscal_year=year, month=month)
        if as_of is not None:
            unit_line = display.as_of_line(as_of, display.THOUSAND_WON, display.PERCENT)
            page = Paginator(city_execution_lines(fiscal_year=year, as_of=as_of), CITY_PAGE_SIZE).get_page(
                request.GET.get("page")
            )
            totals_caption = _("%(year)s 시 전체 합계와 국별 합계 %(line)s") % {"year": year, "line": unit_line}
            lines_caption = _("%(year)s 세부사업별 (%(number)s/%(pages)s쪽) %(line)s") % {
                "year": year, "number": page.number, "pages": page.paginator.num_pages, "line": unit_line,
            }  # fmt: skip
            context.update(
                as_of=as_of,
                totals=ExecutionStatusTable(
                    city_execution_totals(fiscal_year=year, as_of=as_of), caption=totals_caption, orderable=False
                ),
                lines=CityLineTable(city_execution_rows(page.object_list), caption=lines_caption),
                page=page,
                query=period_query(request),
            )
    return render(request, "budget/city_execution.html", context, status=400 if form.errors else 200)


def _execution_file(request, fmt, *, levels=("total", "division", "line")):
    _bureau, form, table = _period(request)
    if form.errors:
        return HttpResponseBadRequest(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            content_type="text/plain; charset=utf-8",
        )
    if table is None:
        raise Http404(_("선택한 기준월까지 승인된 집행 실적이 없습니다."))
    return open_data.response(execution_dataset(table, levels=levels), fmt)


@public_cacheable
def execution_csv(request):
    return _execution_file(request, "csv")


@public_cacheable
def execution_json(request):
    return _execution_file(request, "json")


@public_cacheable
def execution_lines_csv(request):
    """Budget lines only (no total or division rows): the Fiscal Data Package's resource."""
    return _execution_file(request, "csv", levels=("line",))


@public_cacheable
def datapackage(request):
    """The Fiscal Data Package describing execution-lines.csv for the same ?year=&as_of=."""
    _bureau, form, table = _period(request)
    if form.errors:
        return HttpResponseBadRequest(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            content_type="text/plain; charset=utf-8",
        )
    if table is None:
        raise Http404(_("선택한 기준월까지 승인된 집행 실적이 없습니다."))
    query = period_query(request)
    path = "execution-lines.csv" + (f"?{query}" if query else "")
    package = fiscal_data_package(execution_dataset(table, levels=("line",)), resource_path=path)
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def briefing_export(request):
    """The council briefing workbook: ?year=2022&as_of=2022-07-01 (default: the latest figures)."""
    if not can_export_briefing(request.user):
        raise PermissionDenied
    bureau = bureau_default()
    try:
        year = int(request.GET.get("year") or fiscal_year_latest(bureau=bureau))
        as_of_text = request.GET.get("as_of")
        as_of = (
            datetime.date.fromisoformat(as_of_text)
            if as_of_text
            else execution_latest_date(bureau=bureau, fiscal_year=year)
        )
        if as_of is None:
            raise BriefingError(f"{year}년 예산 집행 실적이 없습니다.")
        briefing = briefing_build(bureau=bureau, fiscal_year=year, as_of=as_of)
    except (ValueError, BriefingError) as exc:
        return render(request, "budget/briefing_error.html", {"message": str(exc)}, status=400)
    filename = f"{bureau.name}-업무보고-{briefing.as_of:%Y-%m-%d}.xlsx"
    return HttpResponse(
        briefing_workbook(briefing),
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


def _caption(day, *units):
    return display.as_of_line(day, *units) if day else ""


@login_required
def dashboard_home(request):
    """/dashboards/: the bureau dashboard for bureau roles, the own division's for division roles."""
    where = home_dashboard(request.user)
    if where is None:
        raise PermissionDenied
    kind, code = where
    return redirect("budget:bureau_dashboard") if kind == "bureau" else redirect("budget:division_dashboard", code)


def _division_for(request, code) -> Division:
    division = get_object_or_404(Division.objects.select_related("bureau"), code=code)
    if not can_view_division(request.user, division):
        raise PermissionDenied
    return division


def _bureau_for(request):
    bureau = bureau_default()
    if bureau is None or not can_view_bureau(request.user, bureau):
        raise PermissionDenied
    return bureau


@login_required
def division_dashboard(request, code):
    """A division's money, lagging lines, what is due, its people and its consigned centres, at a date;
    computed and drawn once per version of the figures for each address and language (figures_cached)."""
    division = _division_for(request, code)
    key = ("division-dashboard", division.pk, request.get_full_path(), get_language())
    content = figures_cached(key, lambda: _division_dashboard_content(request, division))
    return render(request, "budget/division_dashboard.html", {"division": division, "content": content})


def _division_dashboard_content(request, division) -> str:
    as_of_form = AsOfForm(request.GET)
    money = selectors.division_dashboard(division=division, as_of=as_of_form.requested())
    context = {"division": division, "as_of_form": as_of_form, "money": money}
    if money.as_of:
        filters = LineFilterForm(request.GET, programs=money.programs)
        table = ExecutionLineTable(
            filters.apply(money.rows), caption=_caption(money.as_of, display.THOUSAND_WON, display.PERCENT)
        )
        RequestConfig(request, paginate=False).configure(table)
        centres = division_centre_table(division=division, fiscal_year=money.date.fiscal_year, on_or_before=money.as_of)
        context.update(
            filters=filters,
            table=table,
            schedule=schedule_attention(bureau=division.bureau, division=division, as_of=money.as_of),
            people=division_headcount(division=division, on_or_before=money.as_of),
            centres=centres.rows,
            centre_dates=(centres.staff_base_as_of, centres.staff_as_of),
            pace_chart=charts.pace_chart(money),
            bar_chart=charts.rate_bar_chart(money.rows, chart_id="line-rates-chart"),
        )
    return render_to_string("budget/_division_dashboard_content.html", context, request)


@login_required
def bureau_dashboard(request):
    """All divisions side by side at a date, ranked by the gap to the pace, each linking to its dashboard.

    The content is computed and drawn once per version of the figures for each address, language and
    set of divisions the person may open (publication.figures_cached): most of a request's time went
    into drawing the tables and charts, not into the database."""
    bureau = _bureau_for(request)
    linked = tuple(restrict(Division.objects.filter(bureau=bureau), request.user).values_list("code", flat=True))
    key = ("bureau-dashboard", bureau.pk, request.get_full_path(), get_language(), linked)
    content = figures_cached(key, lambda: _bureau_dashboard_content(request, bureau, linked))
    return render(request, "budget/bureau_dashboard.html", {"bureau": bureau, "content": content})


def _bureau_dashboard_content(request, bureau, linked) -> str:
    as_of_form = AsOfForm(request.GET)
    money = selectors.bureau_dashboard(bureau=bureau, as_of=as_of_form.requested())
    context = {"bureau": bureau, "as_of_form": as_of_form, "money": money}
    if money.as_of:
        table = DivisionExecutionTable(
            money.rows,
            caption=_caption(money.as_of, display.THOUSAND_WON, display.PERCENT),
            linked=linked,
            as_of=money.date.requested,
        )
        RequestConfig(request, paginate=False).configure(table)
        bar_rows = sorted(money.rows, key=lambda r: r.division_order)  # the report's order, as the legend reads
        context.update(
            table=table,
            schedule=schedule_attention(bureau=bureau, as_of=money.as_of),
            pace_chart=charts.pace_chart(money),
            bar_rows=bar_rows,
            bar_chart=charts.rate_bar_chart(bar_rows, chart_id="division-rates-chart"),
        )
    return render_to_string("budget/_bureau_dashboard_content.html", context, request)


def _changes(request, *, bureau, division, back_url):
    form = ExecutionChangeForm(request.GET)
    latest = selectors.dashboard_date(bureau=bureau).as_of
    earlier, later = form.dates(latest)
    change = (
        selectors.execution_change(bureau=bureau, earlier=earlier, later=later, division=division) if later else None
    )
    table = None
    if change and change.rows:
        table = ExecutionChangeTable(
            change.rows, caption=_caption(change.later.as_of, display.THOUSAND_WON, display.PERCENT)
        )
        RequestConfig(request, paginate=False).configure(table)
    if form.is_valid() and later:
        form = ExecutionChangeForm(initial={"earlier": earlier, "later": later})  # show the dates compared
    context = {
        "form": form,
        "change": change,
        "table": table,
        "division": division,
        "bureau": bureau,
        "back_url": back_url,
    }
    return render(request, "budget/execution_changes.html", context)


@login_required
def division_changes(request, code):
    """Month against month for a division: each line at two dates and the change."""
    division = _division_for(request, code)
    return _changes(
        request, bureau=division.bureau, division=division, back_url=reverse("budget:division_dashboard", args=[code])
    )


@login_required
def bureau_changes(request):
    """Month against month for the bureau: each division and line at two dates and the change."""
    bureau = _bureau_for(request)
    return _changes(request, bureau=bureau, division=None, back_url=reverse("budget:bureau_dashboard"))


CSV = "text/csv; charset=utf-8"


IMPORT_SESSION_KEY = "execution_import"


def _internal(request):
    if not can_view_internal(request.user):
        raise PermissionDenied


def _division(request, code) -> Division:
    """The division named in the URL, among those the person may read (another bureau's is a 404)."""
    return get_object_or_404(restrict(Division.objects.all(), request.user, VIEW), code=code)


def _month_url(division, as_of) -> str:
    return reverse("budget:month_detail", args=[division.code, as_of])


@login_required
def entry_board(request):
    """The year's board: every division × month, missing → draft → submitted → returned/approved."""
    _internal(request)
    membership = membership_of(request.user)
    bureau = membership.bureau if membership else bureau_default()
    try:
        year = int(request.GET.get("year") or fiscal_year_latest(bureau=bureau) or datetime.date.today().year)
    except ValueError:
        raise Http404 from None
    board = entry_board_build(bureau=bureau, fiscal_year=year)
    return render(
        request, "budget/board.html", {"board": board, "statuses": DivisionMonth.Status, "membership": membership}
    )


@login_required
def month_detail(request, division, as_of):
    """One division's month: every budget line as a grid; its staff save it here (all rows or none)."""
    _internal(request)
    division = _division(request, division)
    grid = division_month_grid(division=division, as_of=as_of)
    if not grid.rows:
        raise Http404
    may_edit = can_edit_division(request.user, division) and grid.status not in DivisionMonth.LOCKED
    problems = []
    if request.method == "POST":
        if not can_edit_division(request.user, division):
            raise PermissionDenied
        formset, version_form = ExecutionRowFormSet(request.POST, prefix="rows"), VersionForm(request.POST)
        if version_form.is_valid() and formset.is_valid():
            names = {row.line.code: f"{row.line.code} {row.line.name}" for row in grid.rows}
            rows = [
                services.ExecutionInput(
                    code=f["code"],
                    obligations=f["obligations"],
                    disbursements=f["disbursements"],
                    row=names.get(f["code"], ""),
                )
                for f in formset.cleaned_data
            ]
            try:
                services.execution_month_save(
                    user=request.user,
                    division=division,
                    as_of=as_of,
                    rows=rows,
                    version=version_form.cleaned_data["version"],
                )
            except EntryError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("%(division)s %(date)s 실적을 저장했습니다.")
                    % {"division": division.name, "date": as_of.isoformat()},
                )
                return redirect(_month_url(division, as_of))
        else:
            names = {row.line.code: f"{row.line.code} {row.line.name}" for row in grid.rows}
            problems = formset_problems(
                formset,
                version_form,
                key_field="code",
                row_of=lambda form: names.get(
                    form.data.get(f"{form.prefix}-code", ""), form.data.get(f"{form.prefix}-code", "")
                ),
            )
    else:
        formset = ExecutionRowFormSet(prefix="rows", initial=[_initial(row) for row in grid.rows])
        version_form = VersionForm(initial={"version": grid.version})
    return render(
        request,
        "budget/month.html",
        {
            "grid": grid,
            "rows": list(zip(grid.rows, formset.forms, strict=False)),
            "formset": formset,
            "version_form": version_form,
            "problems": problems,
            "may_edit": may_edit,
            "may_submit": can_edit_division(request.user, division) and grid.status in DivisionMonth.EDITABLE,
            "may_approve": can_approve(request.user, division) and grid.status == DivisionMonth.Status.SUBMITTED,
            "may_correct": can_edit_division(request.user, division) and grid.status == DivisionMonth.Status.APPROVED,
            "reason_form": ReasonForm(initial={"version": grid.version}),
        },
        status=400 if problems else 200,
    )


def _initial(row) -> dict:
    """A month not yet entered starts from the previous period's cumulative figures."""
    if row.disbursements is not None:
        return {"code": row.line.code, "obligations": row.obligations, "disbursements": row.disbursements}
    return {"code": row.line.code, "obligations": row.previous_obligations, "disbursements": row.previous_disbursements}


def _transition(request, division, as_of, action, success: str, *, with_reason=False):
    """Submit, approve, return or correct: the service decides; the page shows its answer."""
    _internal(request)
    division = _division(request, division)
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
    return _transition(
        request, division, as_of, services.division_month_submit, _("제출했습니다. 과장의 승인을 기다립니다.")
    )


@login_required
@require_POST
def month_approve(request, division, as_of):
    return _transition(
        request,
        division,
        as_of,
        services.division_month_approve,
        _("승인했습니다. 이 달의 실적이 공개 화면에 반영됩니다."),
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
        _("정정을 열었습니다. 새 차수가 승인될 때까지 공개 화면에는 승인된 실적이 그대로 보입니다."),
        with_reason=True,
    )


@login_required
def month_template(request, division, as_of, fmt):
    """The month's sheet to fill in and upload again (xlsx or csv): the template is the export."""
    _internal(request)
    division = _division(request, division)
    grid = division_month_grid(division=division, as_of=as_of)
    if not grid.rows or fmt not in ("xlsx", "csv"):
        raise Http404
    content, content_type = (template_xlsx(grid), XLSX) if fmt == "xlsx" else (template_csv(grid), CSV)
    filename = f"{division.code}-{as_of.isoformat()}-실적.{fmt}"
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


@login_required
def import_upload(request):
    """Upload the sheet: the preview lists every change (old → new) and every problem by row and column."""
    _internal(request)
    membership = membership_of(request.user)
    if membership is None or membership.division is None or not can_edit_division(request.user, membership.division):
        raise PermissionDenied
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
    _internal(request)
    membership = membership_of(request.user)
    if membership is None or membership.division is None or not can_edit_division(request.user, membership.division):
        raise PermissionDenied
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("미리보기가 만료되었습니다. 파일을 다시 올리세요."))
        return redirect("budget:import_upload")
    result = execution_import(
        user=request.user, content=base64.b64decode(stored["content"]), filename=stored["name"], dry_run=False
    )
    del request.session[IMPORT_SESSION_KEY]
    if not result.ok:
        form = ImportForm()
        return render(
            request,
            "budget/import.html",
            {"form": form, "result": result, "token": None, "division": membership.division},
            status=400,
        )
    messages.success(request, _("%(count)s개 세부사업의 실적을 올렸습니다.") % {"count": result.changed_count})
    return redirect(_month_url(result.division, result.as_of))


@login_required
def month_history(request, division, as_of):
    """Who changed what in the division-month, when, and how (form, import, admin)."""
    _internal(request)
    division = _division(request, division)
    month = get_object_or_404(DivisionMonth, division=division, as_of=as_of)
    table = HistoryTable(division_month_history(month=month))
    return render(
        request,
        "budget/history.html",
        {"table": table, "title": f"{division.name} {as_of.isoformat()}", "month": month},
    )


@login_required
def line_history(request, year, code):
    """Who changed what in the budget line: the line, its adjustments and its execution at every date."""
    _internal(request)
    line = get_object_or_404(
        restrict(BudgetLine.objects.select_related("division"), request.user, VIEW), fiscal_year=year, code=code
    )
    table = HistoryTable(budget_line_history(line=line))
    return render(request, "budget/history.html", {"table": table, "title": f"{line.code} {line.name}", "line": line})


@login_required
def adjustment_list(request):
    """The year's budget lines the person may read, each with its 예산현액 today and its adjustments' page."""
    _internal(request)
    membership = membership_of(request.user)
    bureau = membership.bureau if membership else bureau_default()
    try:
        year = int(request.GET.get("year") or fiscal_year_latest(bureau=bureau) or datetime.date.today().year)
    except ValueError:
        raise Http404 from None
    lines = selectors.budget_line_authority_list(
        lines=restrict(BudgetLine.objects.filter(fiscal_year=year, division__bureau=bureau), request.user, VIEW)
    )
    return render(request, "budget/adjustment_list.html", {"lines": lines, "year": year, "membership": membership})


@login_required
def line_adjustments(request, year, code):
    """One line's 예산 변경: the list, and for its division's staff a form to record one (budget_adjustment_create)."""
    _internal(request)
    line = get_object_or_404(
        restrict(BudgetLine.objects.select_related("division"), request.user, VIEW), fiscal_year=year, code=code
    )
    may_edit = can_edit_division(request.user, line.division)
    problems = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = BudgetAdjustmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.budget_adjustment_create(
                    user=request.user,
                    line=line,
                    kind=data["kind"],
                    amount=data["amount"],
                    effective_on=data["effective_on"],
                    reason=data["reason"],
                )
            except EntryError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("%(line)s의 예산 변경을 기록했습니다.") % {"line": line.name})
                return redirect("budget:line_adjustments", year, code)
        else:
            problems = form_problems(form, f"{line.code} {line.name}")
    else:
        form = BudgetAdjustmentForm(initial={"effective_on": min(datetime.date.today(), datetime.date(year, 12, 31))})
    adjustments = line.adjustments.order_by("effective_on", "pk")
    return render(
        request,
        "budget/line_adjustments.html",
        {
            "line": line,
            "adjustments": adjustments,
            "authority_now": line.budget_authority_on(datetime.date(year, 12, 31)),
            "form": form,
            "may_edit": may_edit,
            "problems": problems,
        },
        status=400 if problems else 200,
    )
