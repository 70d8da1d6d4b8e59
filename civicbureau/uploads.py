"""Uploaded spreadsheets, for every import: screened before anything parses them (a file over the size
limit, and an xlsx, a zip of XML, that would unpack to too much or whose XML has a DTD: entity expansion,
external entities), then read into rows of cells keyed by column (read_rows), refusing formulas and
files past a row limit, with a message naming the row. An xlsx's sheet is read by xlsx_records with lxml,
which resolves no entity and fetches nothing (a second line behind the DTD check); openpyxl writes the
templates."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field, replace

import openpyxl
from django.utils.translation import gettext as _
from lxml import etree
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
from openpyxl.worksheet._reader import _cast_number

from civicbureau import entry, figures, security
from civicbureau.entry import Problem
from civicbureau.open_data import neutralise

# An xlsx is a zip of XML: a hostile one is small on the wire and huge (or endless) once unpacked. These
# are checked on the zip's directory before openpyxl opens it; the template is a few kB in ~10 entries.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class FileError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class HostileFile(FileError):
    """A file refused before parsing because it could exhaust the server (size, entries, unpacked size)
    or reach outside it (a DTD: entity expansion, external entities). Logged as a security event."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(Problem("1행", "code", message))


def check_size(size: int, limit: int = MAX_FILE_BYTES) -> None:
    if size > limit:
        raise HostileFile("file_too_large", _("파일이 너무 큽니다 (최대 %(max)sMB).") % {"max": limit // 2**20})


def _xml_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The start of an XML entry (where a DTD would be), as ASCII-compatible bytes."""
    with archive.open(info) as entry:
        head = entry.read(4096)
    if (
        head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:64]
    ):  # UTF-16 hides "<!DOCTYPE" from a byte search
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                return head[: len(head) // 2 * 2].decode(encoding).encode("utf-8", "replace")
            except UnicodeDecodeError:
                continue
    return head


def check_zip(content: bytes, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse an xlsx that would blow up when unpacked or parsed, using only the zip's directory and the
    first bytes of each XML entry; raises HostileFile. zipfile never reads an entry past the size its
    directory states, so the stated sizes bound what openpyxl can unpack."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileError(Problem("1행", "code", _("xlsx 파일로 읽을 수 없습니다."))) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise HostileFile(
                "too_many_entries",
                _("xlsx 파일 안의 항목이 너무 많습니다 (%(n)s개, 최대 %(max)s개).")
                % {"n": len(entries), "max": MAX_ZIP_ENTRIES},
            )
        unpacked = sum(info.file_size for info in entries)
        if unpacked > max_unpacked:
            raise HostileFile(
                "unpacked_too_large",
                _("xlsx 파일을 풀면 너무 큽니다 (%(size)sMB, 최대 %(max)sMB).")
                % {"size": unpacked // 2**20, "max": max_unpacked // 2**20},
            )
        for info in entries:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                try:
                    prolog = _xml_prolog(archive, info)
                except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError):
                    raise FileError(Problem("1행", "code", _("xlsx 파일로 읽을 수 없습니다."))) from None
                if _DTD.search(prolog):
                    raise HostileFile(
                        "xml_dtd",
                        _("xlsx 파일에 DTD(엔터티 선언)가 있어 받지 않습니다: %(entry)s")
                        % {"entry": info.filename[:80]},
                    )


# -- reading a sheet into rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetColumn:
    """A column of a template: its key, its header, whether the import reads it back, whether people fill
    it in (highlighted in the template), and how the template shows it."""

    key: str
    header: str
    read: bool = False
    input: bool = False
    width: int = 16
    number_format: str | None = None


@dataclass(frozen=True)
class SheetLayout:
    """A template and what its import expects: the sheet, the columns (the first read column names a
    problem of the whole file), how many rows at most, what to say when the file has no rows, the notes
    the template's second sheet gives, and how large a file (and an xlsx once unpacked) may be: a
    division's month sheet is small, a city's budget book is not."""

    sheet: str
    columns: tuple[SheetColumn, ...]
    max_rows: int
    empty_message: str
    no_rows_message: str
    notes: tuple[str, ...] = ()
    max_bytes: int = MAX_FILE_BYTES
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES

    @property
    def headers(self) -> dict[str, str]:
        """A header as the template writes it, or its key, → the key."""
        return {c.header: c.key for c in self.columns} | {c.key: c.key for c in self.columns}

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.read)


@dataclass
class SheetRow:
    number: int  # the spreadsheet's own row number (the header is row 1)
    cells: dict  # column key → raw value (None for empty)
    formulas: set = field(default_factory=set)  # column keys whose cell holds a formula


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_formula_text(value) -> bool:
    return isinstance(value, str) and value.strip().startswith("=")


def formula_refused(row: SheetRow, key: str) -> Problem:
    """A cell holding a formula: imports take values only (a formula's result may be stale or missing)."""
    return Problem(
        f"{row.number}행",
        key,
        _("수식은 받지 않습니다: %(formula)s (값으로 넣으세요).") % {"formula": str(row.cells.get(key))[:40]},
    )


_NUMBER = re.compile(r"^-?\d+(\.0+)?$", re.ASCII)  # '٣' is a digit to Unicode, not a won figure


def won_cell(row: SheetRow, key: str, problems: list[Problem], *, required: bool = True) -> int | None:
    """A cell's whole won figure, from 0 to figures.MAX_WON, typed as a number or as text with or without
    separators; None with a problem named by row and column when it is not one (or empty, if required)."""
    value = row.cells.get(key)
    where = f"{row.number}행"
    if key in row.formulas:
        problems.append(formula_refused(row, key))
        return None
    if is_empty(value):
        if required:
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
        try:
            value = int(text.split(".")[0])
        except ValueError:  # more digits than Python reads (4,300): far past the bound
            problems.append(Problem(where, key, str(entry.WON_OUT_OF_BOUNDS)))
            return None
    if value < 0:
        problems.append(Problem(where, key, _("금액은 0원 이상이어야 합니다: %(value)s") % {"value": value}))
        return None
    if value > figures.MAX_WON:
        problems.append(Problem(where, key, str(entry.WON_OUT_OF_BOUNDS)))
        return None
    return int(value)


def _file_problem(layout: SheetLayout, row: str, message) -> FileError:
    return FileError(Problem(row, layout.required[0], str(message)))


def _header_map(layout: SheetLayout, header: list, row_number: int) -> dict[int, str]:
    mapping = {}
    for index, value in enumerate(header):
        key = layout.headers.get(str(value).strip()) if value is not None else None
        if key:
            mapping[index] = key
    missing = [key for key in layout.required if key not in mapping.values()]
    if missing:
        message = _("머리글에 이 열이 없습니다 (내려받은 서식의 머리글을 그대로 두세요).")
        raise FileError(Problem(f"{row_number}행", missing[0], message))
    return mapping


def _rows(layout: SheetLayout, records) -> list[SheetRow]:
    """records: an iterator of (row number, list of values); stops with an error past the layout's maximum."""
    header = None
    rows = []
    for number, values in records:
        if all(is_empty(v) for v in values):
            continue
        if header is None:
            header = _header_map(layout, values, number)
            continue
        if len(rows) >= layout.max_rows:
            message = _("행이 너무 많습니다: 한 파일에 %(max)s행까지 받습니다.") % {"max": layout.max_rows}
            raise _file_problem(layout, f"{number}행", message)
        cells, formulas = {}, set()
        for index, key in header.items():
            value = values[index] if index < len(values) else None
            cells[key] = value
            if _is_formula_text(value):
                formulas.add(key)
        rows.append(SheetRow(number, cells, formulas))
    if header is None:
        raise _file_problem(layout, "1행", layout.empty_message)
    if not rows:
        raise _file_problem(layout, "2행", layout.no_rows_message)
    return rows


# -- reading an xlsx's sheet XML ------------------------------------------------------------------------
# openpyxl's read-only parser builds a cell object per cell: 9 s of the city's budget book (378,000 cells)
# on top of a 2 s import. xlsx_records reads the same values from the sheet's XML with lxml's iterparse,
# a row at a time, with openpyxl's own conversions (numbers, dates by the cell's number format, ISO dates,
# booleans, shared and inline strings); tests/civicbureau/test_xlsx_records.py compares it with openpyxl.
# The file is screened (check_zip: sizes, entries, DTD) before; the parser resolves no entity and reads
# nothing from the network besides.

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_XML_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _xml(archive: zipfile.ZipFile, name: str):
    return etree.fromstring(archive.read(name), etree.XMLParser(**_XML_OPTIONS))


_T, _R, _F, _V, _IS = (f"{_MAIN}t", f"{_MAIN}r", f"{_MAIN}f", f"{_MAIN}v", f"{_MAIN}is")


def _text(node) -> str:
    """A string item's text as openpyxl gives it: its plain text, then its runs' (phonetic runs left out)."""
    if len(node) == 1 and node[0].tag == _T:  # a plain string, nearly all of them
        return node[0].text or ""
    plain = [child.text or "" for child in node if child.tag == _T][:1]
    runs = [t.text or "" for run in node if run.tag == _R for t in run if t.tag == _T]
    return "".join(plain + runs)


def _parts(archive: zipfile.ZipFile) -> dict[str, list[tuple[str, str]]]:
    """The workbook's parts by kind (the end of their relationship type: worksheet, sharedStrings, styles),
    each as (relationship id, path in the zip)."""
    parts: dict[str, list[tuple[str, str]]] = {}
    for rel in _xml(archive, "xl/_rels/workbook.xml.rels").iter(f"{_PACKAGE_REL}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], []).append((rel.get("Id"), path))
    return parts


def _sheet_path(workbook, parts: dict, sheet: str) -> str:
    """The part of the worksheet named `sheet`, or of the first worksheet when none is."""
    targets = dict(parts.get("worksheet", []))
    sheets = [
        (node.get("name"), targets[node.get(f"{_REL}id")])
        for node in workbook.iter(f"{_MAIN}sheet")
        if node.get(f"{_REL}id") in targets
    ]
    return dict(sheets).get(sheet) or sheets[0][1]


def _styles(archive: zipfile.ZipFile, parts: dict) -> tuple[set, set]:
    """The cell styles whose number format is a date, and those that are a duration (as openpyxl finds them)."""
    if not parts.get("styles"):
        return set(), set()
    styles = _xml(archive, parts["styles"][0][1])
    custom = {int(n.get("numFmtId")): n.get("formatCode") for n in styles.iter(f"{_MAIN}numFmt")}
    dates, durations = set(), set()
    for index, xf in enumerate(styles.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
        number_format = int(xf.get("numFmtId", 0))
        code = custom.get(number_format) or builtin_format_code(number_format)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def xlsx_records(content: bytes, sheet: str):
    """(row number, values by column from A) of a screened xlsx's sheet named `sheet` (or its first),
    as openpyxl's read-only iter_rows(values_only=True) gives them with data_only=False: a formula is its
    text with "=" before it. Raises on a file that is not a workbook (the caller names it unreadable)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = _parts(archive)
        workbook = _xml(archive, "xl/workbook.xml")
        strings = []
        for _id, path in parts.get("sharedStrings", [])[:1]:
            with archive.open(path) as stream:
                for _event, node in etree.iterparse(stream, tag=f"{_MAIN}si", **_XML_OPTIONS):
                    strings.append(_text(node).replace("x005F_", ""))
                    node.clear()
        epoch = CALENDAR_WINDOWS_1900
        properties = workbook.find(f"{_MAIN}workbookPr")
        if properties is not None and properties.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        dates, durations = _styles(archive, parts)
        columns: dict[str, int] = {}
        row_tag, cell_tag = f"{_MAIN}row", f"{_MAIN}c"
        last = 0
        with archive.open(_sheet_path(workbook, parts, sheet)) as stream:
            for _event, row in etree.iterparse(stream, tag=row_tag, **_XML_OPTIONS):
                number = int(row.get("r") or last + 1)
                last = number
                values: list = []
                for cell in row.iterchildren(cell_tag):
                    reference = cell.get("r")
                    if reference:
                        letters = reference.rstrip("0123456789")
                        column = columns.get(letters) or columns.setdefault(letters, column_index_from_string(letters))
                    else:
                        column = len(values) + 1
                    if column > len(values):
                        values.extend([None] * (column - len(values)))
                    values[column - 1] = _cell_value(cell, strings, epoch, dates, durations)
                yield number, values
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]


def _cell_value(cell, strings: list, epoch, dates: set, durations: set):
    """A cell's value as openpyxl's reader gives it (openpyxl.worksheet._reader.WorkSheetParser.parse_cell),
    its children read once: a cell is read 378,000 times in a city's budget book."""
    kind = cell.get("t", "n")
    value = inline = None
    for child in cell:
        tag = child.tag
        if tag == _F:
            return "=" + (child.text or "")
        if tag == _V:
            value = child.text
        elif tag == _IS:
            inline = child
    if kind == "inlineStr":
        return _text(inline) if inline is not None else None
    if not value:
        return None
    if kind == "n":
        value = _cast_number(value)
        style = int(cell.get("s") or 0)
        if style in dates:
            try:
                return from_excel(value, epoch, timedelta=style in durations)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return value
    if kind == "s":
        return strings[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind == "d":
        return from_ISO8601(value)
    return value  # "str" (a formula's text result), "e" (an error such as #N/A)


def _read_xlsx(layout: SheetLayout, content: bytes) -> list[SheetRow]:
    """Formulas are read as formulas (data_only=False): a formula is refused, not its cached result,
    which may be stale or missing in a file not saved by Excel."""
    check_zip(content, layout.max_unpacked_bytes)
    unreadable = _file_problem(layout, "1행", _("xlsx 파일로 읽을 수 없습니다."))
    try:
        return _rows(layout, xlsx_records(content, layout.sheet))
    except FileError:
        raise
    except Exception:  # a file that is not a workbook, or a broken sheet, fails while it is read
        raise unreadable from None


def _read_csv(layout: SheetLayout, content: bytes) -> list[SheetRow]:
    for encoding in ("utf-8-sig", "cp949"):  # Korean Excel saves CSV as cp949
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _file_problem(layout, "1행", _("CSV 파일의 문자 인코딩을 알 수 없습니다 (UTF-8로 저장하세요)."))
    return _rows(layout, _csv_records(layout, text))


def _csv_records(layout: SheetLayout, text: str):
    """(row number, cells) of a CSV text, whatever its line ends (CR LF, LF, or CR alone as Excel for Mac's
    'CSV (Macintosh)' writes them); a cell over the csv module's limit or a broken quote is a named problem."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [value if value != "" else None for value in row]
    except csv.Error as exc:
        if "field limit" in str(exc):
            message = _("한 칸이 너무 깁니다 (최대 %(limit)s자).") % {"limit": f"{csv.field_size_limit():,}"}
        else:
            message = _("CSV로 읽을 수 없습니다 (따옴표가 닫히지 않았거나 줄 구분이 섞였습니다).")
        raise _file_problem(layout, f"{reader.line_num}행", message) from None


def read_rows_logged(content: bytes, filename: str, layout: SheetLayout, *, user) -> list[SheetRow]:
    """read_rows for a person's upload: a refused file is written to the security log (who, the file, why)
    before its FileError goes up to the caller, which shows its problem."""
    try:
        return read_rows(content, filename, layout)
    except FileError as exc:
        security.log(
            "import_rejected",
            user=user.get_username() if user is not None else "-",
            reason=getattr(exc, "reason", "invalid_file"),
            file=filename[:100],
            size=len(content),
            message=str(exc.problem.message)[:200],
        )
        raise


def read_rows(content: bytes, filename: str, layout: SheetLayout) -> list[SheetRow]:
    """An uploaded xlsx or csv as rows of cells keyed by column, after screening it; raises FileError."""
    if not content:
        raise _file_problem(layout, "1행", layout.empty_message)
    try:
        check_size(len(content), layout.max_bytes)  # the upload form checks too; this covers the commands
        if filename.lower().endswith(".csv"):
            return _read_csv(layout, content)
        if filename.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
            return _read_xlsx(layout, content)
    except HostileFile as exc:  # a problem of the whole file: named by the layout's first column, as the others
        exc.problem = replace(exc.problem, field=layout.required[0])
        raise
    raise _file_problem(layout, "1행", _("xlsx 또는 csv 파일만 받습니다."))


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def _xlsx_row_count(content: bytes, layout: SheetLayout) -> int:
    """How many <row> elements the layout's sheet holds, counted in the unpacked XML without parsing it
    (screened first: check_zip bounds what is unpacked)."""
    check_zip(content, layout.max_unpacked_bytes)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = _parts(archive)
        path = _sheet_path(_xml(archive, "xl/workbook.xml"), parts, layout.sheet)
        count, tail = 0, b""
        with archive.open(path) as stream:
            while chunk := stream.read(1 << 20):
                text = tail + chunk
                # a tag that straddles two chunks is in `tail` and counted once, in the chunk it ends in
                count += sum(1 for match in _ROW_TAG.finditer(text) if match.end() > len(tail))
                tail = text[-64:]
    return count


def row_count(content: bytes, filename: str, layout: SheetLayout) -> int:
    """About how many rows an upload has, header included, at a fraction of the cost of reading it (a CSV's
    line ends, an xlsx sheet's <row> tags): to choose between the request and a job (budget.jobs), never to
    check anything. 0 for a file that cannot be counted: the import itself refuses it, naming why."""
    try:
        if filename.lower().endswith(".csv"):
            check_size(len(content), layout.max_bytes)
            return content.count(b"\n") or content.count(b"\r")
        if filename.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
            check_size(len(content), layout.max_bytes)
            return _xlsx_row_count(content, layout)
    except Exception:  # a refused or broken file: read_rows names its problem, in the request (it is quick)
        return 0
    return 0


# -- writing a template --------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")


def template_xlsx(layout: SheetLayout, rows: list[list]) -> bytes:
    """The template people fill in: the header, the rows, the input columns highlighted, the notes apart."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = layout.sheet
    sheet.append([c.header for c in layout.columns])
    for values in rows:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: a line name starting with = never runs as a formula
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, column in enumerate(layout.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.number_format:
                cell.number_format = column.number_format
            if column.input:
                cell.fill = INPUT_FILL
    sheet.freeze_panes = "C2"
    notes = workbook.create_sheet("안내")
    for line in layout.notes:
        notes.append([str(line)])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(layout: SheetLayout, rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in layout.columns])
    for values in rows:  # a text starting with = + - @ gets an apostrophe, as in the public CSV files
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, datetime.date) else neutralise(v) for v in values]
        )
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel open Korean text correctly
