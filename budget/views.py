"""Public budget pages and their open data: 예산 집행 현황 at /execution/ (+ .csv, .json) and the
Fiscal Data Package at /datapackage.json. Views read the period, call a selector, hand over a table."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from budget.exports.briefing import BriefingError, briefing_build
from budget.exports.open_data import execution_dataset, fiscal_data_package
from budget.exports.xlsx import briefing_workbook
from budget.forms import ExecutionPeriodForm
from budget.selectors import execution_latest_date, fiscal_year_latest, public_execution_table, public_fiscal_years
from budget.tables import ExecutionStatusTable
from civicbureau import display, open_data
from civicbureau.publication import public_cacheable
from staffing.models import Membership
from staffing.selectors import bureau_default


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
