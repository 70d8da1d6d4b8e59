"""The reports' work that runs as a job of the queue (jobs/): the city briefing, whose whole city's workbook
takes seconds (README, "The city briefing"). Registered when the app is ready (reports.apps)."""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from civicbureau import open_data
from jobs.registry import JobFile, Progress, register
from reports.city import city_briefing_build
from reports.rows import BriefingError
from reports.writer import briefing_workbook

CITY_BRIEFING = "city_briefing"


def city_briefing_params(*, fiscal_year: int, as_of: datetime.date | None) -> dict:
    return {"year": fiscal_year, "as_of": as_of.isoformat() if as_of else None}


@register(CITY_BRIEFING, user_errors=(ValueError, BriefingError))
def city_briefing_job(params: dict, progress: Progress) -> JobFile:
    """The city briefing's workbook: 5 % to 90 % while the bureaus are read, then the file is written."""
    as_of = datetime.date.fromisoformat(params["as_of"]) if params["as_of"] else None

    def bureau_read(done: int, count: int, name: str) -> None:
        progress(
            5 + 85 * done // count,
            _("%(name)s 읽는 중 (%(done)s/%(count)s)") % {"name": name, "done": done, "count": count},
        )

    with translation.override("ko"):  # the workbook is Korean, as the bureaus' briefings are
        briefing = city_briefing_build(fiscal_year=params["year"], as_of=as_of, progress=bureau_read)
        progress(90, _("엑셀 파일을 쓰는 중"))
        workbook = briefing_workbook(briefing)
    return JobFile(workbook, briefing.filename, open_data.XLSX_TYPE)
