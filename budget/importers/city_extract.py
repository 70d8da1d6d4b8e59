"""The city extract's import: one sheet (xlsx or csv) from the city's finance system with every bureau's
cumulative figures at one month end, read by the budget office (budget.services.extract writes it).

Columns: 세부사업 코드, 회계연도, 원인행위 누계(원), 지출액 누계(원); 세부사업명 (for reading, not read back)
and 기준일 (if the system writes one) are optional. The month end is given with the file (the form's field,
the command's --as-of), not read from it: the finance system's extract is run for a date, and a file of the
wrong month (July's uploaded as August's) must not pass on the strength of what it says about itself. Each
row's 회계연도 must be that date's year, and a 기준일 column, when there is one, that date.

parse → each cell checked as the staff import checks it (won_cell: whole won, not negative, no formulas)
→ every row through the staff entry's rules (budget.services.extract) → all problems named by row and
column at once → all rows in one transaction or none. A dry run (the preview) checks the same way and
writes nothing.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.importers.monthly import date_cell
from budget.services.entry import ExecutionInput
from budget.services.extract import (
    ExtractPlan,
    city_extract_plan,
    city_extract_save,
    extract_date_check,
    extract_reason,
)
from civicbureau.entry import Caution, EntryError, Problem
from civicbureau.uploads import FileError, SheetColumn, SheetLayout, SheetRow, is_empty, read_rows_logged, won_cell
from staffing.permissions import can_import_city_extract

LAYOUT = SheetLayout(
    sheet="추출",
    columns=(
        SheetColumn("code", "세부사업 코드", read=True),
        SheetColumn("name", "세부사업명"),
        SheetColumn("fiscal_year", "회계연도", read=True),
        SheetColumn("as_of", "기준일"),
        SheetColumn("obligations", "원인행위 누계(원)", read=True),
        SheetColumn("disbursements", "지출액 누계(원)", read=True),
    ),
    max_rows=20_000,  # the city has about 5,400 lines a year
    empty_message=gettext_lazy("빈 파일입니다: 머리글과 세부사업 행이 없습니다."),
    no_rows_message=gettext_lazy("세부사업 행이 없습니다."),
)


@dataclass
class CityExtractResult:
    as_of: datetime.date
    filename: str
    rows_read: int = 0
    plan: ExtractPlan | None = None
    problems: list[Problem] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)  # held until confirmed
    applied: bool = False
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems


def _formula(row: SheetRow, key: str, problems: list[Problem]) -> bool:
    if key in row.formulas:
        message = _("수식은 받지 않습니다: %(formula)s (값으로 넣으세요).") % {"formula": str(row.cells[key])[:40]}
        problems.append(Problem(f"{row.number}행", key, message))
        return True
    return False


def _year(row: SheetRow, as_of: datetime.date, problems: list[Problem]) -> None:
    if _formula(row, "fiscal_year", problems):
        return
    value = row.cells.get("fiscal_year")
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value or "").strip()
    if text != str(as_of.year):
        message = _("회계연도가 기준일(%(date)s)의 연도 %(year)s이어야 합니다: %(value)s")
        problems.append(
            Problem(
                f"{row.number}행",
                "fiscal_year",
                message % {"date": as_of.isoformat(), "year": as_of.year, "value": text or "-"},
            )
        )


def _date(row: SheetRow, as_of: datetime.date, problems: list[Problem]) -> None:
    """A 기준일 column is optional; where a row has one, it must be the date the file is imported for."""
    if is_empty(row.cells.get("as_of")) or _formula(row, "as_of", problems):
        return
    day = date_cell(row, problems)
    if day is not None and day != as_of:
        message = _("이 파일은 %(date)s 기준으로 올리고 있습니다: 이 행의 기준일은 %(day)s입니다.")
        problems.append(
            Problem(f"{row.number}행", "as_of", message % {"date": as_of.isoformat(), "day": day.isoformat()})
        )


def extract_rows(rows: list[SheetRow], as_of: datetime.date) -> tuple[list[ExecutionInput], list[Problem]]:
    """Each sheet row as an entry, and every bad cell named by row and column."""
    inputs, problems = [], []
    for row in rows:
        row_problems: list[Problem] = []
        _formula(row, "code", row_problems)
        _year(row, as_of, row_problems)
        _date(row, as_of, row_problems)
        obligations = won_cell(row, "obligations", row_problems)
        disbursements = won_cell(row, "disbursements", row_problems)
        code = "" if is_empty(row.cells.get("code")) else str(row.cells["code"]).strip()
        problems += row_problems
        if not row_problems:
            inputs.append(ExecutionInput(code, obligations, disbursements, row=f"{row.number}행"))
    return inputs, problems


def city_extract_import(
    *,
    user,
    content: bytes,
    filename: str,
    as_of: datetime.date,
    dry_run: bool,
    confirmed: Collection[str] = (),
    versions: dict[str, int] | None = None,
) -> CityExtractResult:
    """Import the city extract at `as_of`: every row or none. The dry run lists what would change, the lines
    and rows the file and the portal do not share, the problems and the cautions; the real import applies
    once every caution is `confirmed` (and, with `versions`, only if no division changed since the preview)."""
    if not can_import_city_extract(user):
        raise PermissionDenied(_("시 재정시스템 추출은 예산담당관과 관리자만 올릴 수 있습니다."))
    result = CityExtractResult(as_of=as_of, filename=filename, dry_run=dry_run)
    try:
        extract_date_check(as_of)
    except EntryError as exc:
        result.problems = exc.problems
        return result
    try:
        rows = read_rows_logged(content, filename, LAYOUT, user=user)
    except FileError as exc:
        result.problems.append(exc.problem)
        return result
    result.rows_read = len(rows)
    inputs, problems = extract_rows(rows, as_of)
    if dry_run or problems:
        result.plan = city_extract_plan(as_of=as_of, rows=inputs)
        result.problems = problems + result.plan.problems
        result.cautions = result.plan.cautions
        return result
    try:
        result.plan = city_extract_save(
            user=user, as_of=as_of, rows=inputs, source=extract_reason(filename), confirmed=confirmed, versions=versions
        )
    except EntryError as exc:  # NeedsConfirmation and StaleVersion too: the preview again, as it is now
        result.plan = city_extract_plan(as_of=as_of, rows=inputs)
        result.problems = [p for p in exc.problems if not isinstance(p, Caution)]
        result.cautions = exc.cautions
        return result
    result.cautions = result.plan.cautions
    result.applied = True
    return result
