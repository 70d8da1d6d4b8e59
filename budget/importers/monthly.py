"""The monthly execution sheet: the template staff download (xlsx or CSV), and its import.

The template is the export: one row per budget line of a division, keyed by the line's stable code,
with the as-of date and the version of the division-month it was taken from, the budget authority and the
previous period's cumulative figures for reference, and the two cumulative figures to fill in (pre-filled
with the month's figures if it has any, else the previous period's). Edited and uploaded again, it
round-trips on the codes.

The import: parse → each row through the same service rules as the web form (budget.services) → every
problem as (row, column, message) → all rows in one transaction or none. A dry run takes the same path
and rolls back.

openpyxl and csv directly rather than django-import-export: the sheet is keyed on (division, date,
code) with a version for optimistic locking, the rules are those of execution_month_save (which a
Resource would duplicate), and formulas must be refused cell by cell, which needs the raw cell types.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from budget.models import ExecutionSnapshot
from budget.services import ExecutionInput, execution_month_save
from civicbureau import audit, security
from civicbureau.entry import EntryError, Problem
from civicbureau.uploads import FileError, check_size, check_zip
from staffing.permissions import can_edit_division, membership_of

MAX_ROWS = 500  # a division has a few dozen lines; a bigger file is a mistake, refused before reading on
SHEET = "실적"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    read: bool = False


COLUMNS = [
    Column("code", "사업 코드", read=True),
    Column("name", "세부사업명"),
    Column("as_of", "기준일", read=True),
    Column("version", "버전", read=True),
    Column("authority", "예산현액(원)"),
    Column("previous_obligations", "전기 원인행위 누계(원)"),
    Column("previous_disbursements", "전기 지출액 누계(원)"),
    Column("obligations", "원인행위 누계(원)", read=True),
    Column("disbursements", "지출액 누계(원)", read=True),
]
HEADERS = {c.header: c.key for c in COLUMNS} | {c.key: c.key for c in COLUMNS}
LABELS = {c.key: gettext_lazy(c.header) for c in COLUMNS}


# -- the template -------------------------------------------------------------------------------------


def template_rows(grid) -> list[list]:
    """The template's rows (header first) for a division-month: plain values, no formatting."""
    rows = [[c.header for c in COLUMNS]]
    for row in grid.rows:
        obligations = row.obligations if row.disbursements is not None else row.previous_obligations
        disbursements = row.disbursements if row.disbursements is not None else row.previous_disbursements
        rows.append(
            [
                row.line.code,
                row.line.name,
                grid.as_of,
                grid.version,
                row.authority,
                row.previous_obligations,
                row.previous_disbursements,
                obligations,
                disbursements,
            ]
        )
    return rows


def template_xlsx(grid) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    for values in template_rows(grid):
        sheet.append(values)
    header_fill = PatternFill("solid", fgColor="E8EEF5")
    input_fill = PatternFill("solid", fgColor="FFF7D6")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 30 if column.key == "name" else 16
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.key == "as_of":
                cell.number_format = "yyyy-mm-dd"
            elif column.key not in ("code", "name", "version"):
                cell.number_format = "#,##0"
            if column.key in ("obligations", "disbursements"):
                cell.fill = input_fill
    sheet.freeze_panes = "C2"
    notes = workbook.create_sheet("안내")
    for line in (
        _(
            "노란 칸에 기준일까지의 누계(원 단위 정수)를 넣습니다. 이번 달 금액은 포털이 전기 누계와의 차이로 계산합니다."
        ),
        _("사업 코드, 기준일, 버전은 고치지 마세요. 수식은 받지 않습니다 (값으로 붙여 넣으세요)."),
        _("지출액 누계는 원인행위 누계를, 원인행위 누계는 예산현액을 넘을 수 없습니다."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(grid) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in template_rows(grid):
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, datetime.date) else v for v in values])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel open Korean text correctly


# -- reading a file -----------------------------------------------------------------------------------


@dataclass
class SheetRow:
    number: int  # the spreadsheet's own row number (the header is row 1)
    cells: dict  # column key → raw value (None for empty)
    formulas: set = field(default_factory=set)  # column keys whose cell holds a formula


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_map(header: list, row_number: int = 1) -> dict[int, str]:
    mapping = {}
    for index, value in enumerate(header):
        key = HEADERS.get(str(value).strip()) if value is not None else None
        if key:
            mapping[index] = key
    missing = [c for c in COLUMNS if c.read and c.key not in mapping.values()]
    if missing:
        raise FileError(
            Problem(
                f"{row_number}행",
                missing[0].key,
                _("머리글에 이 열이 없습니다 (내려받은 서식의 머리글을 그대로 두세요)."),
            )
        )
    return mapping


def _rows(records, *, formula_of) -> list[SheetRow]:
    """records: an iterator of (row number, list of values); stops with an error past MAX_ROWS."""
    header = None
    rows = []
    for number, values in records:
        if header is None:
            if all(_is_empty(v) for v in values):
                continue
            header = _header_map(values, number)
            continue
        if all(_is_empty(v) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileError(
                Problem(
                    f"{number}행",
                    "code",
                    _("행이 너무 많습니다: 한 파일에 %(max)s행까지 받습니다.") % {"max": MAX_ROWS},
                )
            )
        cells, formulas = {}, set()
        for index, key in header.items():
            value = values[index] if index < len(values) else None
            cells[key] = value
            if formula_of(value):
                formulas.add(key)
        rows.append(SheetRow(number, cells, formulas))
    if header is None:
        raise FileError(Problem("1행", "code", _("빈 파일입니다: 머리글과 세부사업 행이 없습니다.")))
    if not rows:
        raise FileError(Problem("2행", "code", _("세부사업 행이 없습니다.")))
    return rows


def _is_formula_text(value) -> bool:
    return isinstance(value, str) and value.strip().startswith("=")


def read_xlsx(content: bytes) -> list[SheetRow]:
    """Formulas are read as formulas (data_only=False): a formula is refused, not its cached result,
    which may be stale or missing in a file not saved by Excel."""
    check_zip(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileError(Problem("1행", "code", _("xlsx 파일로 읽을 수 없습니다."))) from None
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        records = ((number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1))
        try:
            return _rows(records, formula_of=_is_formula_text)
        except FileError:
            raise
        except Exception:  # read_only parses the sheet while iterating: a broken sheet fails here, not above
            raise FileError(Problem("1행", "code", _("xlsx 파일로 읽을 수 없습니다."))) from None
    finally:
        workbook.close()


def read_csv(content: bytes) -> list[SheetRow]:
    for encoding in ("utf-8-sig", "cp949"):  # Korean Excel saves CSV as cp949
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(Problem("1행", "code", _("CSV 파일의 문자 인코딩을 알 수 없습니다 (UTF-8로 저장하세요).")))
    reader = csv.reader(io.StringIO(text))
    return _rows(
        ((n, [v if v != "" else None for v in row]) for n, row in enumerate(reader, start=1)),
        formula_of=_is_formula_text,
    )


def read_file(content: bytes, filename: str) -> list[SheetRow]:
    if not content:
        raise FileError(Problem("1행", "code", _("빈 파일입니다: 머리글과 세부사업 행이 없습니다.")))
    check_size(len(content))  # the upload form checks too; this covers import_execution
    if filename.lower().endswith(".csv"):
        return read_csv(content)
    if filename.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        return read_xlsx(content)
    raise FileError(Problem("1행", "code", _("xlsx 또는 csv 파일만 받습니다.")))


# -- from cells to an entry ---------------------------------------------------------------------------

_NUMBER = re.compile(r"^-?\d+(\.0+)?$")


def _won(row: SheetRow, key: str, problems: list[Problem]) -> int | None:
    value = row.cells.get(key)
    where = f"{row.number}행"
    if key in row.formulas:
        problems.append(
            Problem(
                where, key, _("수식은 받지 않습니다: %(formula)s (값으로 넣으세요).") % {"formula": str(value)[:40]}
            )
        )
        return None
    if _is_empty(value):
        problems.append(Problem(where, key, _("값이 필요합니다.")))
        return None
    if isinstance(value, bool) or isinstance(value, (datetime.date, datetime.time)):
        problems.append(Problem(where, key, _("숫자가 아닙니다: %(value)s") % {"value": value}))
        return None
    if isinstance(value, float):
        if not value.is_integer():
            problems.append(Problem(where, key, _("원 단위 정수여야 합니다: %(value)s") % {"value": value}))
            return None
        value = int(value)
    if isinstance(value, str):
        text = value.replace(",", "").strip()
        if not _NUMBER.match(text):
            problems.append(Problem(where, key, _("숫자가 아닙니다: '%(value)s'") % {"value": value[:40]}))
            return None
        value = int(text.split(".")[0])
    if value < 0:
        problems.append(Problem(where, key, _("금액은 0원 이상이어야 합니다: %(value)s") % {"value": value}))
        return None
    return int(value)


def _date(row: SheetRow, problems: list[Problem]) -> datetime.date | None:
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
    applied: bool = False
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed_count(self) -> int:
        return sum(1 for r in self.rows if r.changed)


def execution_import(*, user, content: bytes, filename: str, dry_run: bool) -> ImportResult:
    """Import one division-month's sheet for the user's division: all rows or none.

    The dry run (the preview) goes the same way as the real import and is rolled back at the end.
    """
    membership = membership_of(user)
    division = membership and membership.division
    if division is None or not can_edit_division(user, division):
        raise PermissionDenied(_("실적을 올릴 수 있는 사람은 과의 주무관과 과장입니다."))
    result = ImportResult(division=division, dry_run=dry_run)
    try:
        rows = read_file(content, filename)
    except FileError as exc:
        security.log(
            "import_rejected",
            user=user.get_username(),
            reason=getattr(exc, "reason", "invalid_file"),
            file=filename[:100],
            size=len(content),
            message=str(exc.problem.message)[:200],
        )
        result.problems.append(exc.problem)
        return result
    problems: list[Problem] = []
    inputs = []
    for row in rows:
        as_of = _date(row, problems)
        version = _version(row, problems)
        if as_of is not None:
            if result.as_of is None:
                result.as_of = as_of
            elif as_of != result.as_of:
                problems.append(
                    Problem(
                        f"{row.number}행",
                        "as_of",
                        _("한 파일에는 한 기준일만 넣습니다 (%(first)s).") % {"first": result.as_of},
                    )
                )
        if version is not None:
            if result.version is None:
                result.version = version
            elif version != result.version:
                problems.append(
                    Problem(
                        f"{row.number}행",
                        "version",
                        _("한 파일의 버전은 하나여야 합니다 (%(first)s).") % {"first": result.version},
                    )
                )
        for key in ("code", "as_of", "version"):
            if key in row.formulas:
                problems.append(
                    Problem(
                        f"{row.number}행",
                        key,
                        _("수식은 받지 않습니다: %(formula)s (값으로 넣으세요).")
                        % {"formula": str(row.cells[key])[:40]},
                    )
                )
        row_problems: list[Problem] = []
        obligations = _won(row, "obligations", row_problems)
        disbursements = _won(row, "disbursements", row_problems)
        problems += row_problems
        code = "" if _is_empty(row.cells.get("code")) else str(row.cells["code"]).strip()
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
    try:
        with transaction.atomic():
            execution_month_save(
                user=user, division=division, as_of=result.as_of, rows=inputs, version=result.version, how=audit.IMPORT
            )
            if dry_run:
                transaction.set_rollback(True)
    except EntryError as exc:
        result.problems = exc.problems
        return result
    result.applied = not dry_run
    return result
