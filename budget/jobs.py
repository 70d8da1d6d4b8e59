"""Big uploads run as jobs of the queue (jobs/; README "Long work: the job queue"): the budget book and the
city extract, when the file has more than IMPORT_JOB_ROWS data rows. The preview (the dry run) is a job and
so is the apply: at the whole city's size either takes seconds to a minute, too long for a request. The file
is kept in the job's row (not in the session, not in the params), so whichever worker runs it reads it, and
an apply takes up its preview's file. Each builder runs the same import as the page, as the person who
started it (the importer checks their permission again), so the history records who and how as the page
would. Registered when the app is ready (budget.apps)."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from budget.importers import budget_book, city_extract
from civicbureau import display
from civicbureau.uploads import SheetLayout, row_count
from jobs.models import Job
from jobs.registry import JobInput, JobResult, Progress, register
from jobs.services import job_start

BUDGET_BOOK_PREVIEW = "budget_book_preview"
BUDGET_BOOK_APPLY = "budget_book_apply"
CITY_EXTRACT_PREVIEW = "city_extract_preview"
CITY_EXTRACT_APPLY = "city_extract_apply"
CHANGES_SHOWN = 200  # a city's first book creates 54,000 lines: the preview lists the first ones


def runs_as_job(content: bytes, filename: str, layout: SheetLayout) -> bool:
    """Whether an upload has more data rows than IMPORT_JOB_ROWS (counted without reading it: about 0.2 s for
    the city's 54,000-row xlsx)."""
    return row_count(content, filename, layout) - 1 > settings.IMPORT_JOB_ROWS


def upload_params(content: bytes, filename: str, **more) -> dict:
    """A job's params for an upload: the file's name and digest (the same file twice joins the job already
    running), never its bytes."""
    return {"file": filename, "sha256": hashlib.sha256(content).hexdigest(), **more}


def apply_start(user, preview: Job, kind: str, **more) -> Job:
    """The apply job of an upload previewed by a job: the preview's file, its id and what else the apply
    needs (the extract's month end, cautions confirmed and versions)."""
    content = bytes(preview.upload)
    params = upload_params(content, preview.upload_name, preview=str(preview.pk), **more)
    return job_start(user, kind, params, upload=content, upload_name=preview.upload_name)


def _problems(problems) -> list[dict]:
    return [{"row": p.row, "field": p.field, "message": str(p.message)} for p in problems]


def _cautions(cautions) -> list[dict]:
    return [{"key": c.key, "text": str(c)} for c in cautions]


# -- the budget book ------------------------------------------------------------------------------------


def _budget_book_result(result: budget_book.BudgetBookResult) -> dict:
    return {
        "rows": result.rows,
        "ok": result.ok,
        "applied": result.applied,
        "tally_rows": [[str(label), vars(tally)] for label, tally in result.tally_rows],
        "changes": [
            {"row": c.row, "name": c.name, "created": c.created, "detail": str(c.detail)}
            for c in result.changes[:CHANGES_SHOWN]
        ],
        "changes_total": len(result.changes),
        "changes_shown": CHANGES_SHOWN,
        "changed_count": result.changed_count,
        "problems": _problems(result.problems),
    }


@register(
    BUDGET_BOOK_PREVIEW,
    user_errors=(PermissionDenied,),
    takes_input=True,
    result_template="budget/budget_book_job.html",
)
def budget_book_preview_job(params: dict, progress: Progress, upload: JobInput) -> JobResult:
    """The budget book's dry run: what would be created, updated and left unchanged, or every problem."""
    result = budget_book.budget_book_import(
        content=upload.content, filename=upload.filename, user=upload.user, dry_run=True, progress=progress
    )
    return JobResult(_budget_book_result(result))


@register(
    BUDGET_BOOK_APPLY, user_errors=(PermissionDenied,), takes_input=True, result_template="budget/budget_book_job.html"
)
def budget_book_apply_job(params: dict, progress: Progress, upload: JobInput) -> JobResult:
    """The budget book applied, all or nothing (one transaction: a failure writes nothing)."""
    result = budget_book.budget_book_import(
        content=upload.content, filename=upload.filename, user=upload.user, dry_run=False, progress=progress
    )
    data = _budget_book_result(result)
    if result.applied:
        data["message"] = _("예산서 %(rows)s행을 적용했습니다: %(count)s건을 만들거나 고쳤습니다.") % {
            "rows": display.number(result.rows),
            "count": display.number(result.changed_count),
        }
    return JobResult(data)


# -- the city extract -----------------------------------------------------------------------------------


def _city_extract_result(result: city_extract.CityExtractResult) -> dict:
    """The result as the page's template reads it (city/_extract_result.html), in JSON."""
    plan = result.plan
    return {
        "as_of_label": display.report_date(result.as_of),
        "rows_read": result.rows_read,
        "ok": result.ok,
        "applied": result.applied,
        "plan": plan
        and {
            "divisions": [
                {
                    "division": {"name": item.division.name, "bureau": {"name": item.division.bureau.name}},
                    "status": str(item.status),
                    "rows": item.rows,
                    "to_save": [snapshot.budget_line_id for snapshot in item.to_save],
                    "missing_lines": [{"code": line.code, "name": line.name} for line in item.missing_lines],
                    "cautions": [caution.key for caution in item.cautions],
                }
                for item in plan.divisions
            ],
            "unknown_codes": [{"where": row.where, "code": row.code} for row in plan.unknown_codes],
            "changed_count": plan.changed_count,
            "versions": plan.versions,
        },
        "problems": _problems(result.problems),
        "cautions": _cautions(result.cautions),
    }


@register(
    CITY_EXTRACT_PREVIEW, user_errors=(PermissionDenied,), takes_input=True, result_template="city/extract_job.html"
)
def city_extract_preview_job(params: dict, progress: Progress, upload: JobInput) -> JobResult:
    """The city extract's dry run at the month end of the params: per bureau and division, cautions, problems."""
    progress(10, _("파일을 읽고 확인하는 중"))
    result = city_extract.city_extract_import(
        user=upload.user,
        content=upload.content,
        filename=upload.filename,
        as_of=datetime.date.fromisoformat(params["as_of"]),
        dry_run=True,
    )
    return JobResult(_city_extract_result(result))


@register(
    CITY_EXTRACT_APPLY, user_errors=(PermissionDenied,), takes_input=True, result_template="city/extract_job.html"
)
def city_extract_apply_job(params: dict, progress: Progress, upload: JobInput) -> JobResult:
    """The city extract applied with the cautions confirmed, only if no division changed since the preview
    (its versions); all or nothing."""
    progress(10, _("파일을 읽고 확인하는 중"))
    result = city_extract.city_extract_import(
        user=upload.user,
        content=upload.content,
        filename=upload.filename,
        as_of=datetime.date.fromisoformat(params["as_of"]),
        dry_run=False,
        confirmed=params["confirmed"],
        versions=params["versions"],
    )
    data = _city_extract_result(result)
    if result.applied:
        data["message"] = _(
            "%(count)s개 세부사업의 실적을 각 과의 작성 중 실적으로 넣었습니다. 각 과가 검토해 제출합니다."
        ) % {"count": result.plan.changed_count}
    return JobResult(data)
