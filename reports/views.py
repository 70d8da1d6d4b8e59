"""The council briefing workbook, for directors and planning staff."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from budget.selectors import execution
from civicbureau import open_data
from reports.rows import BriefingError, briefing_build
from reports.writer import briefing_workbook
from staffing.permissions import can_export_briefing
from staffing.selectors import bureau_default


@login_required
def briefing_export(request):
    """The council briefing workbook: ?year=2022&as_of=2022-07-01 (default: the latest figures)."""
    if not can_export_briefing(request.user):
        raise PermissionDenied
    bureau = bureau_default()
    try:
        year = int(request.GET.get("year") or execution.fiscal_year_latest(bureau=bureau))
        as_of_text = request.GET.get("as_of")
        as_of = (
            datetime.date.fromisoformat(as_of_text)
            if as_of_text
            else execution.execution_latest_date(bureau=bureau, fiscal_year=year)
        )
        if as_of is None:
            raise BriefingError(f"{year}년 예산 집행 실적이 없습니다.")
        briefing = briefing_build(bureau=bureau, fiscal_year=year, as_of=as_of)
    except (ValueError, BriefingError) as exc:
        return render(request, "reports/briefing_error.html", {"message": str(exc)}, status=400)
    filename = f"{bureau.name}-업무보고-{briefing.as_of:%Y-%m-%d}.xlsx"
    return HttpResponse(
        briefing_workbook(briefing),
        content_type=open_data.XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )
