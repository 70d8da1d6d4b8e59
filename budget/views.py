"""The managers' dashboards. Each view checks the user's right (civicbureau.permissions), reads through
selectors and hands the result to a table or a template; no figure is computed here."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_tables2 import RequestConfig

from budget import charts, selectors
from budget.filters import BudgetLineFilterSet
from budget.forms import AsOfForm, ExecutionChangeForm
from budget.models import BudgetLine
from budget.tables import DivisionExecutionTable, ExecutionChangeTable, ExecutionLineTable
from civicbureau import display
from civicbureau.permissions import can_view_bureau, can_view_division, home_dashboard, restrict
from programs.models import Program
from programs.selectors import centre_staffing_dates, consigned_centre_table, schedule_attention
from staffing.models import Division
from staffing.selectors import bureau_default, division_headcount


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
