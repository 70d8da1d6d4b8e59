"""Public budget pages and their open data: 예산 집행 현황 at /execution/ (+ .csv, .json), the whole
city at /execution/city/, and the Fiscal Data Package at /datapackage.json. Approved figures only; views
read the period, call a public selector, hand over a table."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from budget.exports.open_data import execution_dataset, fiscal_data_package
from budget.forms import ExecutionPeriodForm
from budget.selectors import public
from budget.tables import CityLineTable, ExecutionStatusTable
from civicbureau import display, open_data
from civicbureau.publication import public_cacheable
from staffing.selectors import bureau_default


def period_query(request) -> str:
    """The period parameters alone (no sort order), for the download links next to the page."""
    return urlencode([(key, request.GET[key]) for key in ("year", "as_of") if request.GET.get(key)])


def _period(request):
    """(bureau, form, table): the period the request asks for and the table for it (None: no figures)."""
    bureau = bureau_default()
    if bureau is None:
        raise Http404(_("아직 자료가 없습니다."))
    form = ExecutionPeriodForm(request.GET, fiscal_years=public.public_fiscal_years(bureau=bureau))
    table = None
    if form.is_valid() and form.cleaned_data["year"]:
        table = public.public_execution_table(
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
    form = ExecutionPeriodForm(request.GET, fiscal_years=public.city_fiscal_years())
    context = {"form": form}
    year = form.cleaned_data.get("year") if form.is_valid() else None
    if year:
        month = form.cleaned_data["as_of"]
        context.update(month_choices=form.month_choices(year), chosen_month=month, fiscal_year=year)
        as_of = public.city_execution_date(fiscal_year=year, month=month)
        if as_of is not None:
            unit_line = display.as_of_line(as_of, display.THOUSAND_WON, display.PERCENT)
            page = Paginator(public.city_execution_lines(fiscal_year=year, as_of=as_of), CITY_PAGE_SIZE).get_page(
                request.GET.get("page")
            )
            totals_caption = _("%(year)s 시 전체 합계와 국별 합계 %(line)s") % {"year": year, "line": unit_line}
            lines_caption = _("%(year)s 세부사업별 (%(number)s/%(pages)s쪽) %(line)s") % {
                "year": year, "number": page.number, "pages": page.paginator.num_pages, "line": unit_line,
            }  # fmt: skip
            context.update(
                as_of=as_of,
                totals=ExecutionStatusTable(
                    public.city_execution_totals(fiscal_year=year, as_of=as_of), caption=totals_caption, orderable=False
                ),
                lines=CityLineTable(public.city_execution_rows(page.object_list), caption=lines_caption),
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
