"""Public budget pages and their open data: 예산 집행 현황 at /execution/ (+ .csv, .json) and the Fiscal
Data Package at /datapackage.json. Published periods only; views read the period, call a public selector,
hand over a table."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from budget import charts
from budget.exports.open_data import execution_dataset, fiscal_data_package
from budget.forms import ExecutionPeriodForm, period_choices, period_query
from budget.selectors import periods, public
from budget.selectors.execution import RowLevel
from budget.tables import ExecutionStatusTable
from civicbureau import display, notes, open_data
from civicbureau.publication import public_cacheable
from staffing.selectors import request_bureau


def _period(request):
    """(bureau, form, table): the period the request asks for and the table for it (None: no figures)."""
    bureau = request_bureau(request)
    if bureau is None:
        raise Http404(_("아직 자료가 없습니다."))
    form = ExecutionPeriodForm(request.GET, fiscal_years=public.public_fiscal_years(bureau=bureau))
    table = None
    if form.is_valid() and form.cleaned_data["year"]:
        table = public.public_execution_table(
            bureau=bureau,
            fiscal_year=form.cleaned_data["year"],
            on_or_before=form.cleaned_data["as_of"],
            edition=form.cleaned_data["edition"],
        )
    return bureau, form, table


@public_cacheable
def execution(request):
    """예산 집행 현황 for a fiscal year as of a published period (default: the latest), in an edition: the
    headline figures against the pace and each division's rate as a chart with its table, then the table."""
    bureau, form, table = _period(request)
    context = {"bureau": bureau, "form": form, "execution": table}
    year = form.cleaned_data.get("year") if form.is_valid() else None
    if year:
        context["period_choices"] = period_choices(periods.published_dates(fiscal_year=year, bureau=bureau))
        context["chosen"] = form.cleaned_data["as_of"]
    if table is not None:
        context["editions"] = periods.period_editions(table.publication)
        headline = public.public_execution_headline(bureau=bureau, table=table)
        context["headline"] = headline
        context["rate_chart"] = headline and charts.division_rate_chart(headline, chart_id="division-rates-chart")
        caption = _("%(year)s 예산 집행 현황 %(line)s %(edition)s") % {
            "year": table.fiscal_year,
            "line": display.as_of_line(table.as_of, display.THOUSAND_WON, display.PERCENT),
            "edition": display.edition_line(table.publication),
        }
        status_table = ExecutionStatusTable(table.rows, caption=caption)
        RequestConfig(request, paginate=False).configure(status_table)
        context["table"] = status_table
        context["query"] = period_query(request)
        # What apps above budget know of this edition's figures (programs: program sections that differ).
        context["notes"] = notes.notes_for("budget:execution", bureau=bureau, publication=table.publication)
    status = 400 if form.errors else 200
    return render(request, "budget/execution.html", context, status=status)


def _file_table(request):
    """(refusal, table) for a file: a bad period is a 400 in plain text; nothing published by then, a 404."""
    _bureau, form, table = _period(request)
    if form.errors:
        return open_data.refusal(form.errors), None
    if table is None:
        raise Http404(_("선택한 기준일까지 공표된 집행 실적이 없습니다."))
    return None, table


def _execution_file(request, fmt, *, levels=tuple(RowLevel)):
    refusal, table = _file_table(request)
    return refusal or open_data.response(execution_dataset(table, levels=levels), fmt)


@public_cacheable
def execution_csv(request):
    return _execution_file(request, "csv")


@public_cacheable
def execution_json(request):
    return _execution_file(request, "json")


@public_cacheable
def execution_lines_csv(request):
    """Budget lines only (no total or division rows): the Fiscal Data Package's resource."""
    return _execution_file(request, "csv", levels=(RowLevel.LINE,))


@public_cacheable
def datapackage(request):
    """The Fiscal Data Package of the request's bureau describing its execution-lines.csv for the same
    ?year=&as_of=, with the files apps above register for the same period
    (civicbureau.open_data.register_resources)."""
    refusal, table = _file_table(request)
    if refusal:
        return refusal
    query = period_query(request)
    # relative to the package's own address, so /b/<slug>/datapackage.json lists /b/<slug>/ files
    path = "execution-lines.csv" + (f"?{query}" if query else "")
    package = fiscal_data_package(
        execution_dataset(table, levels=(RowLevel.LINE,)), bureau=request_bureau(request), resource_path=path
    )
    package["resources"] += open_data.package_resources(query)  # apps above: the measures' files
    return open_data.json_response(package, "datapackage.json")
