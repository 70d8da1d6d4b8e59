from django.shortcuts import render

from budget.selectors import execution_table, fiscal_year_latest
from budget.views import can_export_briefing
from staffing.selectors import bureau_default, division_list, headcount_table


def home(request):
    """The bureau as of its latest figures: divisions, headcount and the execution table (approved figures only)."""
    bureau = bureau_default()
    context = {"bureau": bureau, "can_export_briefing": can_export_briefing(request.user)}
    fiscal_year = bureau and fiscal_year_latest(bureau=bureau)
    if fiscal_year:
        context.update(
            divisions=division_list(bureau=bureau),
            headcount=headcount_table(bureau=bureau),
            execution=execution_table(bureau=bureau, fiscal_year=fiscal_year, approved_only=True),
        )
    return render(request, "home.html", context)
