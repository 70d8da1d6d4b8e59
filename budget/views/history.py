"""The trail, for auditors and the bureau: a division-month's and a budget line's history."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from budget.models import BudgetLine, DivisionMonth
from budget.selectors import history
from budget.tables import HistoryTable
from budget.views.access import division_or_404, internal_only
from civicbureau import display
from staffing.permissions import VIEW, restrict


@login_required
def month_history(request, division, as_of):
    """Who changed what in the division-month, when, and how (form, import, admin)."""
    internal_only(request)
    division = division_or_404(request, division)
    month = get_object_or_404(DivisionMonth, division=division, as_of=as_of)
    table = HistoryTable(history.division_month_history(month=month))
    return render(
        request,
        "budget/history.html",
        {"table": table, "title": f"{division.name} {display.report_date(as_of)}", "month": month},
    )


@login_required
def line_history(request, year, code):
    """Who changed what in the budget line: the line, its adjustments and its execution at every date."""
    internal_only(request)
    line = get_object_or_404(
        restrict(BudgetLine.objects.select_related("division"), request.user, VIEW), fiscal_year=year, code=code
    )
    table = HistoryTable(history.budget_line_history(line=line))
    return render(request, "budget/history.html", {"table": table, "title": f"{line.code} {line.name}", "line": line})
