import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from budget.exports.briefing import BriefingError, briefing_build
from budget.exports.xlsx import briefing_workbook
from budget.selectors import execution_latest_date, fiscal_year_latest
from staffing.models import Membership
from staffing.selectors import bureau_default

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BRIEFING_ROLES = (Membership.Role.DIRECTOR, Membership.Role.PLANNING, Membership.Role.BUREAU_DIRECTOR)


def can_export_briefing(user) -> bool:
    """Directors (division and bureau) and the bureau's planning staff download the council briefing."""
    if user.is_superuser:
        return True
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role in BRIEFING_ROLES


@login_required
def briefing_export(request):
    """The council briefing workbook: ?year=2022&as_of=2022-07-01 (default: the latest figures)."""
    if not can_export_briefing(request.user):
        raise PermissionDenied
    bureau = bureau_default()
    try:
        year = int(request.GET.get("year") or fiscal_year_latest(bureau=bureau))
        as_of_text = request.GET.get("as_of")
        as_of = datetime.date.fromisoformat(as_of_text) if as_of_text else execution_latest_date(bureau=bureau, fiscal_year=year)
        if as_of is None:
            raise BriefingError(f"{year}년 예산 집행 실적이 없습니다.")
        briefing = briefing_build(bureau=bureau, fiscal_year=year, as_of=as_of)
    except (ValueError, BriefingError) as exc:
        return render(request, "budget/briefing_error.html", {"message": str(exc)}, status=400)
    filename = f"{bureau.name}-업무보고-{briefing.as_of:%Y-%m-%d}.xlsx"
    return HttpResponse(
        briefing_workbook(briefing),
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )
