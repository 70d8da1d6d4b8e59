"""예산 변경 (추경, 이월, 전용, 예비비): the year's lines with their 예산현액, and one line's adjustments with
the form its division records one in (budget.services.budget_adjustment_create)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from budget import services
from budget.forms import BudgetAdjustmentForm
from budget.models import BudgetLine
from budget.selectors import entry
from budget.views.access import bureau_and_year, internal_only
from civicbureau import held
from civicbureau.entry import EntryError, form_problems
from staffing.permissions import VIEW, can_edit_division, restrict


@login_required
def adjustment_list(request):
    """The year's budget lines the person may read, each with its 예산현액 today and its adjustments' page."""
    membership, bureau, year = bureau_and_year(request)
    lines = entry.budget_line_authority_list(
        lines=restrict(BudgetLine.objects.filter(fiscal_year=year, division__bureau=bureau), request.user, VIEW)
    )
    return render(request, "budget/adjustment_list.html", {"lines": lines, "year": year, "membership": membership})


@held.holds_expired_post
@login_required
def line_adjustments(request, year, code):
    """One line's 예산 변경: the list, and for its division's staff a form to record one (budget_adjustment_create)."""
    internal_only(request)
    line = get_object_or_404(
        restrict(BudgetLine.objects.select_related("division"), request.user, VIEW), fiscal_year=year, code=code
    )
    may_edit = can_edit_division(request.user, line.division)
    problems = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = BudgetAdjustmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.budget_adjustment_create(
                    user=request.user,
                    line=line,
                    kind=data["kind"],
                    amount=data["amount"],
                    effective_on=data["effective_on"],
                    reason=data["reason"],
                )
            except EntryError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("%(line)s의 예산 변경을 기록했습니다.") % {"line": line.name})
                return redirect("budget:line_adjustments", year, code)
        else:
            problems = form_problems(form, f"{line.code} {line.name}")
    else:
        form = BudgetAdjustmentForm(
            held.held_post_take(request),  # what was typed before the session ended, to check and save
            initial={"effective_on": min(datetime.date.today(), datetime.date(year, 12, 31))},
        )
    adjustments = line.adjustments.order_by("effective_on", "pk")
    return render(
        request,
        "budget/line_adjustments.html",
        {
            "line": line,
            "adjustments": adjustments,
            "authority_now": line.budget_authority_on(datetime.date(year, 12, 31)),
            "form": form,
            "may_edit": may_edit,
            "problems": problems,
        },
        status=400 if problems else 200,
    )
