"""The whole city, public: its home (/city/: every bureau as of its latest published edition against its
pace) and its 예산 집행 현황 (/execution/city/: each bureau's latest published period, the same period
choices as /execution/)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from budget.forms import ExecutionPeriodForm, period_choices, period_query
from budget.selectors.city import city_home_rows
from budget.selectors.periods import published_dates
from city import charts, selectors
from city.tables import CityHomeTable, CityLineTable, CityTotalsTable, rows_in_order
from civicbureau import display
from civicbureau.publication import public_cacheable
from staffing.middleware import city_url
from staffing.permissions import can_export_city_briefing

CITY_PAGE_SIZE = 100
# Both tables sort on their own parameter (?totals-sort=rate, ?lines-sort=-rate)
TOTALS_PREFIX, LINES_PREFIX = "totals-", "lines-"
LINES_SORT = f"{LINES_PREFIX}sort"


@public_cacheable
def execution(request):
    """The whole city's 예산 집행 현황: the city's and each bureau's totals over every line, then the lines,
    100 a page. Each bureau as of its latest published period by the month asked for. Both tables sort
    by any column; the lines sort over every line (read all of them only when a sort is asked for)."""
    form = ExecutionPeriodForm(request.GET, fiscal_years=selectors.city_fiscal_years())
    context = {"form": form, "city_home_url": city_url(reverse("city:home"))}
    year = form.cleaned_data.get("year") if form.is_valid() else None
    if year:
        limit = form.cleaned_data["as_of"]
        dates = published_dates(fiscal_year=year)
        context.update(period_choices=period_choices(dates), chosen=limit, fiscal_year=year)
        publications = selectors.city_publications(fiscal_year=year, on_or_before=limit)
        if publications:
            as_of = max(p.as_of for p in publications)
            unit_line = display.as_of_line(as_of, display.THOUSAND_WON, display.PERCENT)
            sort = request.GET.get(LINES_SORT, "").strip()
            if sort:  # sorted over every line, then paged
                lines = rows_in_order(
                    selectors.city_execution_rows_all(fiscal_year=year, publications=publications), sort
                )
            else:  # a page of the query, read with LIMIT/OFFSET
                lines = selectors.city_execution_lines(fiscal_year=year, publications=publications)
            page = Paginator(lines, CITY_PAGE_SIZE).get_page(request.GET.get("page"))
            rows = page.object_list if sort else selectors.city_execution_rows(page.object_list)
            totals_caption = _("%(year)s 시 전체 합계와 국별 합계 %(line)s") % {"year": year, "line": unit_line}
            lines_caption = _("%(year)s 세부사업별 (%(number)s/%(pages)s쪽) %(line)s") % {
                "year": year, "number": page.number, "pages": page.paginator.num_pages, "line": unit_line,
            }  # fmt: skip
            totals = CityTotalsTable(
                selectors.city_execution_totals(fiscal_year=year, publications=publications),
                caption=totals_caption,
                prefix=TOTALS_PREFIX,
            )
            lines_table = CityLineTable(rows, caption=lines_caption, prefix=LINES_PREFIX)
            for table in (totals, lines_table):
                RequestConfig(request, paginate=False).configure(table)
            query = period_query(request)
            context.update(
                as_of=as_of,
                totals=totals,
                lines=lines_table,
                page=page,
                query=query,
                # the pager keeps the lines' order
                page_query="&".join(q for q in (query, sort and urlencode({LINES_SORT: sort})) if q),
            )
    return render(request, "city/execution.html", context, status=400 if form.errors else 200)


@public_cacheable
def home(request):
    """시 전체 현황: every bureau with the total of its latest published edition (its date and edition),
    집행률 against its pace at that date and the gap, 미공표 for a bureau with none; sortable by every
    column, with the rates as a chart. Each bureau links to its home and its 예산 집행 현황."""
    rows = city_home_rows()
    table = CityHomeTable(
        rows,
        caption=_("국별 최근 공표 실적 (국마다 기준일 열, 단위 : %(units)s)")
        % {
            "units": ", ".join(str(u.label) for u in (display.THOUSAND_WON, display.PERCENT, display.PERCENTAGE_POINTS))
        },
    )
    RequestConfig(request, paginate=False).configure(table)
    context = {
        "table": table,
        "rate_chart": charts.bureau_rate_chart(rows, chart_id="bureau-rates-chart"),
        "published": [row for row in rows if row.publication is not None],
        "city_execution_url": city_url(reverse("city:execution")),
        # the budget office's own links: the city briefing and the city's pace targets
        "budget_office_links": can_export_city_briefing(request.user)
        and {"briefing": city_url(reverse("reports:city_briefing")), "pace": city_url(reverse("city:pace"))},
    }
    return render(request, "city/home.html", context)
