from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from budget.selectors import execution_latest_date, fiscal_year_latest
from programs.selectors import consistency_disagreement_list
from staffing.selectors import bureau_default


@login_required
def consistency(request):
    """For staff: where the report's tables disagree on a base figure (the same list as check_consistency)."""
    bureau = bureau_default()
    fiscal_year = bureau and fiscal_year_latest(bureau=bureau)
    as_of = fiscal_year and execution_latest_date(bureau=bureau, fiscal_year=fiscal_year)
    issues = consistency_disagreement_list(bureau=bureau, fiscal_year=fiscal_year, as_of=as_of) if as_of else []
    return render(request, "programs/consistency.html", {"issues": issues, "as_of": as_of, "fiscal_year": fiscal_year})
