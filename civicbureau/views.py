from django.shortcuts import render

from civicbureau import security

from budget.selectors import execution_table, fiscal_year_latest
from budget.views import can_export_briefing
from staffing.selectors import bureau_default, division_list, headcount_table


def home(request):
    """The bureau as of its latest figures: divisions, headcount and the execution table."""
    bureau = bureau_default()
    context = {"bureau": bureau, "can_export_briefing": can_export_briefing(request.user)}
    fiscal_year = bureau and fiscal_year_latest(bureau=bureau)
    if fiscal_year:
        context.update(
            divisions=division_list(bureau=bureau),
            headcount=headcount_table(bureau=bureau),
            execution=execution_table(bureau=bureau, fiscal_year=fiscal_year),
        )
    return render(request, "home.html", context)


def permission_denied(request, exception=None):
    """403 in the visitor's language, and a security event in the log."""
    security.log("forbidden", request, path=request.path)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    security.log("csrf_failed", request, path=request.path, reason=reason)
    return render(request, "403.html", {"csrf": True}, status=403)
