"""The first pages a visitor meets: the bureau at a glance (home) and its organisation (divisions and duties,
headcount by grade, 세입총괄 and 세출총괄) with their open data; published periods only, read through the
same public selectors as every public page."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from budget.exports.open_data import comparison_dataset
from budget.forms import ExecutionPeriodForm
from budget.selectors.execution import fiscal_year_latest
from budget.selectors.periods import publication_on
from budget.selectors.public import (
    public_execution_table,
    public_expenditure_summary,
    public_fiscal_years,
    public_revenue_summary,
)
from budget.tables import ComparisonTable, ExpenditureTable
from civicbureau import display, glossary, open_data
from civicbureau.publication import public_cacheable
from programs.exports.open_data import measure_targets_dataset, measures_dataset
from programs.selectors.programs import public_measures
from staffing.exports.open_data import headcount_dataset
from staffing.permissions import can_export_briefing
from staffing.selectors import division_list, public_headcount_table, request_bureau
from staffing.tables import HeadcountGradeTable


def _headcount(bureau, year, edition=None):
    """The public headcount: as recorded when the year's latest period was published (None before that)."""
    edition = edition or (year and publication_on(bureau=bureau, fiscal_year=year))
    if not edition:
        return None
    return public_headcount_table(bureau=bureau, on_or_before=edition.as_of, recorded_by=edition.published_at)


@public_cacheable
def home(request):
    """The bureau as of its latest published period: divisions, headcount and the execution table."""
    bureau = request_bureau(request)
    context = {"bureau": bureau, "can_export_briefing": can_export_briefing(request.user)}
    fiscal_year = bureau and fiscal_year_latest(bureau=bureau)
    if bureau:  # a new bureau, without budget lines yet, has its divisions (and teams) to show
        context["divisions"] = division_list(bureau=bureau)
    if fiscal_year:
        execution = public_execution_table(bureau=bureau, fiscal_year=fiscal_year)
        context.update(
            headcount=_headcount(bureau, fiscal_year, execution and execution.publication), execution=execution
        )
    return render(request, "portal/home.html", context)


def _bureau_year(request):
    bureau = request_bureau(request)
    if bureau is None:
        raise Http404(_("아직 자료가 없습니다."))
    return bureau, fiscal_year_latest(bureau=bureau)


def _headcount_caption(headcount) -> str:
    if headcount.dates_differ:  # the caption's date must be true of every row: each row then says its own
        return _("인력 (정원/현원) (과별 기준일, 단위 : 명)")
    return _("인력 (정원/현원) %(line)s") % {"line": display.as_of_line(headcount.as_of, display.PERSONS)}


@public_cacheable
def organisation(request):
    bureau, year = _bureau_year(request)
    headcount = _headcount(bureau, year)
    context = {
        "bureau": bureau,
        "divisions": division_list(bureau=bureau),
        "headcount": headcount,
        "headcount_table": HeadcountGradeTable(headcount, caption=_headcount_caption(headcount))
        if headcount and headcount.as_of
        else None,
        "fiscal_year": year,
    }
    if year:
        revenue_as_of, revenue = public_revenue_summary(bureau=bureau, fiscal_year=year)
        expenditure_as_of, expenditure = public_expenditure_summary(bureau=bureau, fiscal_year=year)
        labels = {"current_label": _("%(year)s년(A)") % {"year": year}}
        if revenue:
            context["revenue_table"] = ComparisonTable(
                revenue,
                base_label=_("%(year)s년(B)") % {"year": year - 1},
                caption=_("세입총괄 %(line)s")
                % {"line": display.as_of_line(revenue_as_of, display.THOUSAND_WON, display.PERCENT)},
                **labels,
            )
        if expenditure:
            context["expenditure_table"] = ExpenditureTable(
                expenditure,
                base_year=year - 1,
                caption=_("세출총괄 %(line)s")
                % {"line": display.as_of_line(expenditure_as_of, display.THOUSAND_WON, display.PERCENT)}
                if expenditure_as_of
                else _("세출총괄"),
                **labels,
            )
    return render(request, "portal/organisation.html", context)


def _file(request, name, fmt):
    bureau, year = _bureau_year(request)
    if name == "headcount":
        table = _headcount(bureau, year)
        if table is None or table.as_of is None:
            raise Http404(_("공표된 인력 자료가 없습니다."))
        return open_data.response(headcount_dataset(table, total_label=_("계")), fmt)
    if not year:
        raise Http404(_("아직 자료가 없습니다."))
    if name == "revenue":
        as_of, rows = public_revenue_summary(bureau=bureau, fiscal_year=year)
        dataset = comparison_dataset("revenue", "세입총괄", rows, fiscal_year=year, as_of=as_of)
    else:
        as_of, rows = public_expenditure_summary(bureau=bureau, fiscal_year=year)
        dataset = comparison_dataset("expenditure", "세출총괄", rows, fiscal_year=year, as_of=as_of, expenditure=True)
    return open_data.response(dataset, fmt)


@public_cacheable
def organisation_file(request, name, fmt):
    return _file(request, name, fmt)


MEASURE_FILES = {"measures": measures_dataset, "measure_targets": measure_targets_dataset}


@public_cacheable
def measures_file(request, name, fmt):
    """The measures (measures.csv|json) or every approved revision of their targets (measure_targets.csv|json)
    as the bureau published them with a period: ?year=&as_of=&edition= as on 예산 집행 현황 (default: the
    latest edition of the latest period), so that /datapackage.json?… lists them for the same period."""
    bureau = request_bureau(request)
    if bureau is None:
        raise Http404(_("아직 자료가 없습니다."))
    form = ExecutionPeriodForm(request.GET, fiscal_years=public_fiscal_years(bureau=bureau))
    if not form.is_valid():
        return open_data.refusal(form.errors)
    year = form.cleaned_data["year"]
    publication = year and publication_on(
        bureau=bureau, fiscal_year=year, on_or_before=form.cleaned_data["as_of"], edition=form.cleaned_data["edition"]
    )
    if not publication:
        raise Http404(_("선택한 기준일까지 공표된 성과지표가 없습니다."))
    return open_data.response(MEASURE_FILES[name](public_measures(bureau=bureau, publication=publication)), fmt)


def glossary_page(request):
    """용어 풀이: the report's terms, each with an anchor that a public page's first use of it links to.
    The same for every bureau, but an unknown bureau's address is a 404 as for its other pages."""
    request_bureau(request)
    return render(request, "portal/glossary.html", {"groups": glossary.groups()})
