"""Public budget pages and their open data: 예산 집행 현황 at /execution/ (+ .csv, .json) and the
Fiscal Data Package at /datapackage.json. Views read the period, call a selector, hand over a table.

The managers' dashboards. Each view checks the user's right (civicbureau.permissions), reads through
selectors and hands the result to a table or a template; no figure is computed here."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from budget import charts, selectors
from budget.exports.briefing import BriefingError, briefing_build
from budget.exports.open_data import execution_dataset, fiscal_data_package
from budget.exports.xlsx import briefing_workbook
from budget.filters import BudgetLineFilterSet
from budget.forms import AsOfForm, ExecutionChangeForm, ExecutionPeriodForm
from budget.models import BudgetLine
from budget.selectors import (
    execution_latest_date,
    fiscal_year_latest,
    public_execution_table,
    public_fiscal_years,
)
from budget.tables import (
    DivisionExecutionTable,
    ExecutionChangeTable,
    ExecutionLineTable,
    ExecutionStatusTable,
)
from civicbureau import display, open_data
from civicbureau.permissions import (
    can_view_bureau,
    can_view_division,
    home_dashboard,
    restrict,
)
from civicbureau.publication import public_cacheable
from programs.models import Program
from programs.selectors import (
    centre_staffing_dates,
    consigned_centre_table,
    schedule_attention,
)
from staffing.models import Division, Membership
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
        table = public_execution_table(bureau=bureau, fiscal_year=form.cleaned_data["year"], month=form.cleaned_data["as_of"])
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
        caption = _("%(year)s 예산 집행 현황 %(line)s") % {"year": table.fiscal_year, "line": display.as_of_line(table.as_of, display.THOUSAND_WON, display.PERCENT)}
        status_table = ExecutionStatusTable(table.rows, caption=caption)
        RequestConfig(request, paginate=False).configure(status_table)
        context["table"] = status_table
        context["query"] = period_query(request)
    status = 400 if form.errors else 200
    return render(request, "budget/execution.html", context, status=status)


def _execution_file(request, fmt, *, levels=("total", "division", "line")):
    _bureau, form, table = _period(request)
    if form.errors:
        return HttpResponseBadRequest("; ".join(str(e) for errors in form.errors.values() for e in errors), content_type="text/plain; charset=utf-8")
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
        return HttpResponseBadRequest("; ".join(str(e) for errors in form.errors.values() for e in errors), content_type="text/plain; charset=utf-8")
    if table is None:
        raise Http404(_("선택한 기준월까지 승인된 집행 실적이 없습니다."))
    query = period_query(request)
    path = "execution-lines.csv" + (f"?{query}" if query else "")
    package = fiscal_data_package(execution_dataset(table, levels=("line",)), resource_path=path)
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})


# -- the council briefing (for directors and planning staff) ------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BRIEFING_ROLES = (Membership.Role.DIRECTOR, Membership.Role.PLANNING, Membership.Role.BUREAU_DIRECTOR)


def can_export_briefing(user) -> bool:
    """Directors (division and bureau) and the bureau's planning staff download the council briefing."""
    if user.is_superuser:
        return True
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role in BRIEFING_ROLES


@login_required
def briefing_export(request):
    """The council briefing workbook: ?year=2022&as_of=2022-07-01 (default: the latest figures)."""
    if not can_export_briefing(request.user):
        raise PermissionDenied
    bureau = bureau_default()
    try:
        year = int(request.GET.get("year") or fiscal_year_latest(bureau=bureau))
        as_of_text = request.GET.get("as_of")
        as_of = datetime.date.fromisoformat(as_of_text) if as_of_text else execution_latest_date(bureau=bureau, fiscal_year=year)
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
    """A division's money, lagging lines, what is due, its people and its consigned centres, at a date."""
    division = _division_for(request, code)
    as_of_form = AsOfForm(request.GET)
    money = selectors.division_dashboard(division=division, as_of=as_of_form.requested())
    context = {"division": division, "as_of_form": as_of_form, "money": money}
    if money.as_of:
        lines = BudgetLine.objects.filter(division=division, fiscal_year=money.date.fiscal_year)
        programs = Program.objects.filter(execution_rows__budget_line__in=lines).distinct().order_by("core_task__direction__number", "number")
        filterset = BudgetLineFilterSet(request.GET, queryset=lines, rows=money.rows, programs=programs)
        kept = set(filterset.qs.values_list("pk", flat=True))
        table = ExecutionLineTable(
            [row for row in money.rows if row.line_id in kept], caption=_caption(money.as_of, display.THOUSAND_WON, display.PERCENT)
        )
        RequestConfig(request, paginate=False).configure(table)
        staff_as_of, staff_base_as_of = centre_staffing_dates(on_or_before=money.as_of)
        centres = (
            consigned_centre_table(
                fiscal_year=money.date.fiscal_year,
                base_year=money.date.fiscal_year - 1,
                staff_as_of=staff_as_of,
                staff_base_as_of=staff_base_as_of,
                division=division,
            )
            if staff_as_of
            else []
        )
        context.update(
            filterset=filterset,
            table=table,
            schedule=schedule_attention(bureau=division.bureau, division=division, as_of=money.as_of),
            people=division_headcount(division=division, on_or_before=money.as_of),
            centres=centres,
            centre_dates=(staff_base_as_of, staff_as_of),
            pace_chart=charts.pace_chart(money),
            bar_chart=charts.rate_bar_chart(money.rows, chart_id="line-rates-chart"),
        )
    return render(request, "budget/division_dashboard.html", context)


@login_required
def bureau_dashboard(request):
    """All divisions side by side at a date, ranked by the gap to the pace, each linking to its dashboard."""
    bureau = _bureau_for(request)
    as_of_form = AsOfForm(request.GET)
    money = selectors.bureau_dashboard(bureau=bureau, as_of=as_of_form.requested())
    context = {"bureau": bureau, "as_of_form": as_of_form, "money": money}
    if money.as_of:
        linked = restrict(Division.objects.filter(bureau=bureau), request.user).values_list("code", flat=True)
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
    return render(request, "budget/bureau_dashboard.html", context)


def _changes(request, *, bureau, division, back_url):
    form = ExecutionChangeForm(request.GET)
    latest = selectors.dashboard_date(bureau=bureau).as_of
    earlier, later = form.dates(latest)
    change = selectors.execution_change(bureau=bureau, earlier=earlier, later=later, division=division) if later else None
    table = None
    if change and change.rows:
        table = ExecutionChangeTable(change.rows, caption=_caption(change.later.as_of, display.THOUSAND_WON, display.PERCENT))
        RequestConfig(request, paginate=False).configure(table)
    if form.is_valid() and later:
        form = ExecutionChangeForm(initial={"earlier": earlier, "later": later})  # show the dates compared
    context = {"form": form, "change": change, "table": table, "division": division, "bureau": bureau, "back_url": back_url}
    return render(request, "budget/execution_changes.html", context)


@login_required
def division_changes(request, code):
    """Month against month for a division: each line at two dates and the change."""
    division = _division_for(request, code)
    return _changes(request, bureau=division.bureau, division=division, back_url=reverse("budget:division_dashboard", args=[code]))


@login_required
def bureau_changes(request):
    """Month against month for the bureau: each division and line at two dates and the change."""
    bureau = _bureau_for(request)
    return _changes(request, bureau=bureau, division=None, back_url=reverse("budget:bureau_dashboard"))
