"""The managers' dashboards: a division's and the bureau's, and month against month. Each view checks the
user's right (staffing.permissions), reads through selectors and hands the result to a table or a
template; no figure is computed here."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django_tables2 import RequestConfig

from budget.selectors.periods import publication_on
from civicbureau import display
from civicbureau.publication import figures_cached
from dashboards import charts, selectors
from dashboards.filters import LineFilterForm, MeasureFilterSet
from dashboards.forms import AsOfForm, ExecutionChangeForm
from dashboards.tables import DivisionExecutionTable, ExecutionChangeTable, ExecutionLineTable, MeasureTable
from programs.selectors.centres import division_centre_table
from programs.selectors.schedule import schedule_attention
from staffing.models import Division
from staffing.permissions import can_view_bureau, can_view_division, home_dashboard, restrict
from staffing.selectors import division_headcount, internal_bureau


def _caption(day, *units):
    return display.as_of_line(day, *units) if day else ""


@login_required
def dashboard_home(request):
    """/dashboards/: the bureau dashboard for bureau roles, the own division's for division roles."""
    where = home_dashboard(request.user)
    if where is None:
        raise PermissionDenied
    kind, code = where
    return (
        redirect("dashboards:bureau_dashboard") if kind == "bureau" else redirect("dashboards:division_dashboard", code)
    )


def _measures(request, *, bureau, date, division=None) -> dict:
    """The measures table (filtered, sorted) and the off-track measures of a dashboard, for its context."""
    measures = selectors.dashboard_measures(bureau=bureau, date=date, division=division)
    filters = MeasureFilterSet(request.GET, entries=measures.entries, one_division=division is not None)
    table = MeasureTable(
        filters.keep(measures.entries), caption=_caption(date.as_of, display.PERCENT), division=division
    )
    RequestConfig(request, paginate=False).configure(table)
    return {"measures": measures, "measure_filters": filters, "measure_table": table}


def _division_for(request, code) -> Division:
    division = get_object_or_404(Division.objects.select_related("bureau"), code=code)
    if not can_view_division(request.user, division):
        raise PermissionDenied
    return division


def _bureau_for(request):
    bureau = internal_bureau(request)
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
    return render(request, "dashboards/division_dashboard.html", {"division": division, "content": content})


def _division_dashboard_content(request, division) -> str:
    as_of_form = AsOfForm(request.GET)
    money = selectors.division_dashboard(
        division=division, as_of=as_of_form.requested(), published_only=as_of_form.published_only()
    )
    context = {"division": division, "as_of_form": as_of_form, "money": money}
    if money.as_of:
        filters = LineFilterForm(request.GET, programs=money.programs)
        table = ExecutionLineTable(  # grouped by team: each team's lines under its subtotal, not sortable
            money.grouped_by_team(filters.apply(money.rows)),
            caption=_caption(money.as_of, display.THOUSAND_WON, display.PERCENT),
            orderable=money.teams is None,
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
            **_measures(request, bureau=division.bureau, date=money.date, division=division),
        )
    return render_to_string("dashboards/_division_dashboard_content.html", context, request)


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
    return render(request, "dashboards/bureau_dashboard.html", {"bureau": bureau, "content": content})


def _bureau_dashboard_content(request, bureau, linked) -> str:
    as_of_form = AsOfForm(request.GET)
    money = selectors.bureau_dashboard(
        bureau=bureau, as_of=as_of_form.requested(), published_only=as_of_form.published_only()
    )
    briefing = money.as_of and publication_on(
        bureau=bureau, fiscal_year=money.date.fiscal_year, on_or_before=money.as_of
    )
    context = {"bureau": bureau, "as_of_form": as_of_form, "money": money, "briefing": briefing}
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
            **_measures(request, bureau=bureau, date=money.date),
        )
    return render_to_string("dashboards/_bureau_dashboard_content.html", context, request)


@login_required
def bureau_progress(request):
    """The roll-up: direction → core task → program → budget line → milestone → measure at the dashboard's
    date, each level with its execution, milestones, measures' statuses and average achievement."""
    bureau = _bureau_for(request)
    as_of_form = AsOfForm(request.GET)
    date, tree = selectors.bureau_progress(
        bureau=bureau, as_of=as_of_form.requested(), published_only=as_of_form.published_only()
    )
    money = selectors.ExecutionDashboard(date, None, None, [], [])  # the date form and note read `money`
    context = {"bureau": bureau, "as_of_form": as_of_form, "money": money, "tree": tree}
    return render(request, "dashboards/bureau_progress.html", context)


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
    refused = bool(form.errors)
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
    return render(request, "dashboards/execution_changes.html", context, status=400 if refused else 200)


@login_required
def division_changes(request, code):
    """Month against month for a division: each line at two dates and the change."""
    division = _division_for(request, code)
    return _changes(
        request,
        bureau=division.bureau,
        division=division,
        back_url=reverse("dashboards:division_dashboard", args=[code]),
    )


@login_required
def bureau_changes(request):
    """Month against month for the bureau: each division and line at two dates and the change."""
    bureau = _bureau_for(request)
    return _changes(request, bureau=bureau, division=None, back_url=reverse("dashboards:bureau_dashboard"))
