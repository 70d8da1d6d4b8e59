"""The monthly execution sheet's import (the template is budget.exports.sheet).

The import: parse → each row through the same service rules as the web form (budget.services) → every
problem as (row, column, message) → all rows in one transaction or none. A dry run takes the same path
and rolls back.

openpyxl and csv directly rather than django-import-export: the sheet is keyed on (division, date,
code) with a version for optimistic locking, the rules are those of execution_month_save (which a
Resource would duplicate), and formulas must be refused cell by cell, which needs the raw cell types.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from budget.exports.sheet import LAYOUT
from budget.models import DivisionMonth, ExecutionSnapshot
from budget.selectors.entry import own_newer_save
from budget.services import ExecutionInput, execution_month_save
from civicbureau import audit, display
from civicbureau.entry import Caution, EntryError, NeedsConfirmation, Problem
from civicbureau.uploads import FileError, SheetRow, formula_refused, is_empty, read_rows_logged, won_cell
from staffing.permissions import can_edit_division, membership_of

# -- from cells to an entry ---------------------------------------------------------------------------


def date_cell(row: SheetRow, problems: list[Problem]) -> datetime.date | None:
    value = row.cells.get("as_of")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except (TypeError, ValueError):
        problems.append(
            Problem(f"{row.number}행", "as_of", _("날짜(YYYY-MM-DD)가 아닙니다: %(value)s") % {"value": value})
        )
        return None


def _version(row: SheetRow, problems: list[Problem]) -> int | None:
    value = row.cells.get("version")
    try:
        number = int(str(value).strip().split(".")[0]) if not isinstance(value, int) else value
        if number < 0:
            raise ValueError
        return number
    except (TypeError, ValueError):
        problems.append(
            Problem(
                f"{row.number}행",
                "version",
                _("버전은 내려받은 서식의 값 그대로여야 합니다: %(value)s") % {"value": value},
            )
        )
        return None


@dataclass
class PreviewRow:
    number: int
    code: str
    name: str
    old_obligations: int | None
    old_disbursements: int | None
    new_obligations: int | None
    new_disbursements: int | None

    @property
    def changed(self) -> bool:
        return (self.old_obligations, self.old_disbursements) != (self.new_obligations, self.new_disbursements)


@dataclass
class ImportResult:
    division: object = None
    as_of: datetime.date | None = None
    version: int | None = None
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)  # figures that may be slips: applied once confirmed
    applied: bool = False
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed_count(self) -> int:
        return sum(1 for r in self.rows if r.changed)


def execution_import(
    *, user, content: bytes, filename: str, dry_run: bool, confirmed: Collection[str] = ()
) -> ImportResult:
    """Import one division-month's sheet for the user's division: all rows or none.

    The dry run (the preview) goes the same way as the real import and is rolled back at the end; it lists
    the cautions too (figures that may be slips), which the real import applies only once `confirmed`.
    """
    membership = membership_of(user)
    division = membership and membership.division
    if division is None or not can_edit_division(user, division):
        raise PermissionDenied(_("실적을 올릴 수 있는 사람은 과의 주무관과 과장입니다."))
    result = ImportResult(division=division, dry_run=dry_run)
    try:
        rows = read_rows_logged(content, filename, LAYOUT, user=user)
    except FileError as exc:
        result.problems.append(exc.problem)
        return result
    problems: list[Problem] = []
    inputs = []
    for row in rows:
        as_of = date_cell(row, problems)
        version = _version(row, problems)
        for key, value, message in (
            ("as_of", as_of, _("한 파일에는 한 기준일만 넣습니다 (%(first)s).")),
            ("version", version, _("한 파일의 버전은 하나여야 합니다 (%(first)s).")),
        ):
            first = getattr(result, key)
            if value is not None and first is None:
                setattr(result, key, value)
            elif value is not None and value != first:
                problems.append(Problem(f"{row.number}행", key, message % {"first": first}))
        for key in ("code", "as_of", "version"):
            if key in row.formulas:
                problems.append(formula_refused(row, key))
        row_problems: list[Problem] = []
        obligations = won_cell(row, "obligations", row_problems, required=False)  # the service says when it is needed
        disbursements = won_cell(row, "disbursements", row_problems)
        problems += row_problems
        code = "" if is_empty(row.cells.get("code")) else str(row.cells["code"]).strip()
        if not row_problems:
            inputs.append(
                ExecutionInput(code=code, obligations=obligations, disbursements=disbursements, row=f"{row.number}행")
            )
        result.rows.append(
            PreviewRow(row.number, code, str(row.cells.get("name") or ""), None, None, obligations, disbursements)
        )
    if result.as_of is not None:
        existing = {
            s.budget_line.code: s
            for s in ExecutionSnapshot.objects.filter(
                budget_line__division=division, as_of=result.as_of
            ).select_related("budget_line")
        }
        for preview in result.rows:
            snapshot = existing.get(preview.code)
            if snapshot is not None:
                preview.old_obligations, preview.old_disbursements = snapshot.obligations, snapshot.disbursements
    if problems or result.as_of is None:
        result.problems = problems
        return result
    # the person's own download, uploaded after they saved the month on the screen: theirs to confirm
    month = own_newer_save(user=user, division=division, as_of=result.as_of, version=result.version)
    own = [_own_newer_caution(month, result.version)] if month else []
    version = month.version if month else result.version
    held = any(caution.key not in confirmed for caution in own)
    try:
        with transaction.atomic():
            execution_month_save(
                user=user,
                division=division,
                as_of=result.as_of,
                rows=inputs,
                version=version,
                confirmed=confirmed,
                how=audit.How.IMPORT,
            )
            if dry_run or held:
                transaction.set_rollback(True)
    except NeedsConfirmation as exc:
        result.cautions = own + exc.cautions
        return result
    except EntryError as exc:
        result.problems = [p for p in exc.problems if not isinstance(p, Caution)]
        result.cautions = own + exc.cautions
        return result
    result.cautions = own
    result.applied = not (dry_run or held)
    return result


def _own_newer_caution(month: DivisionMonth, file_version: int) -> Caution:
    """The file's version is older than the month only because of the person's own saves: theirs to confirm."""
    message = _(
        "이 파일은 버전 %(file)s의 서식입니다. 그 뒤 %(when)s에 본인이 저장해 지금은 버전 %(current)s입니다. 위 표에서 화살표 왼쪽이 지금 값, 오른쪽이 파일 값입니다: 파일 값으로 바꾸려면 확인하세요."
    ) % {"file": file_version, "when": display.timestamp(month.history.first().history_date), "current": month.version}
    return Caution("", "version", message, f"version:own_newer:{month.version}")
