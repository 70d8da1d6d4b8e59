"""Writes a Briefing as a print-ready xlsx workbook (openpyxl write-only mode, so memory stays flat).

Numbers stay numbers: separators and the △ for negatives come from number formats, never from text.
A4, fitted to one page wide, header rows repeated on every page, a header naming the period and its
edition (or 미확정 for a preview), a footer with the bureau, the as-of date and page / pages, cell borders
as the report draws its tables, and a Korean font.
"""

import datetime
from copy import copy
from decimal import Decimal
from io import BytesIO

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from civicbureau import display
from reports.rows import AMOUNT, COUNT, HEADER, MONTH, NOTE, QUANTITY, RATE, TITLE, UNIT_LINE, Briefing, Cell, Sheet

FONT_NAME = "맑은 고딕"  # Malgun Gothic: the Korean font every Office installation prints with
AMOUNT_FORMAT = '#,##0;"△"#,##0;0'
RATE_FORMAT = '0.0;"△"0.0;0.0'
QUANTITY_FORMAT = '#,##0.##;"△"#,##0.##;0'
MONTH_FORMAT = 'yyyy"."mm'
DATE_FORMAT = 'yyyy"."mm"."dd'

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")

NUMBER_FORMATS = {
    AMOUNT: AMOUNT_FORMAT,
    RATE: RATE_FORMAT,
    COUNT: AMOUNT_FORMAT,
    QUANTITY: QUANTITY_FORMAT,
    MONTH: MONTH_FORMAT,
    "date": DATE_FORMAT,
}
NUMERIC = {AMOUNT, RATE, COUNT, QUANTITY}


def _width(cell: Cell | None) -> float:
    """Roughly how many character widths a cell needs (Hangul is twice as wide as a digit)."""
    if cell is None or cell.value is None or cell.kind in (TITLE, UNIT_LINE, NOTE):
        return 0
    if cell.kind in NUMERIC:
        text = display.number(cell.value) if cell.kind != RATE else display.rate(cell.value)
    elif isinstance(cell.value, datetime.date):
        text = "2022.07.01"
    else:
        text = max(str(cell.value).split("\n"), key=len)
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)
    return len(text) + wide + 2 + 2 * cell.indent


def _column_widths(sheet: Sheet, merged_starts: set) -> list[float]:
    widths = [6.0] * sheet.columns
    for r, row in enumerate(sheet.rows, start=1):
        for c, cell in enumerate(row, start=1):
            if (r, c) in merged_starts:
                continue  # a merged cell spreads over several columns
            widths[c - 1] = max(widths[c - 1], _width(cell))
    return [min(w, 48) for w in widths]


def _style(ws, kind: str, bold: bool, indent: int, has_value: bool, centred: bool) -> WriteOnlyCell:
    """A cell carrying the style for its kind; styles are built once per kind and copied (fast)."""
    out = WriteOnlyCell(ws)
    if kind == TITLE:
        out.font = Font(name=FONT_NAME, size=14, bold=True)
        return out
    if kind == UNIT_LINE:
        out.font = Font(name=FONT_NAME, size=9)
        out.alignment = Alignment(horizontal="right")
        return out
    if kind == NOTE:
        out.font = Font(name=FONT_NAME, size=10)
        return out
    out.font = Font(name=FONT_NAME, size=10, bold=bold or kind == HEADER)
    out.border = BORDER
    if kind == HEADER:
        out.fill = HEADER_FILL
        out.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    elif kind in NUMBER_FORMATS and has_value:
        out.number_format = NUMBER_FORMATS[kind]
        out.alignment = Alignment(horizontal="right" if kind in NUMERIC else "center", vertical="center")
    elif kind in NUMERIC or centred:  # a figure that cannot be computed, or a lone '-'
        out.alignment = Alignment(horizontal="center", vertical="center")
    else:
        out.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=indent)
    return out


def _styled(ws, cell: Cell | None, styles: dict):
    if cell is None:
        return None
    value = cell.value
    if isinstance(value, Promise):  # a translated label such as 계
        value = str(value)
    if isinstance(value, Decimal):
        value = float(value)  # a rate already rounded half up to one decimal by civicbureau.figures
    has_value = value is not None
    if value is None:
        value = display.NOT_AVAILABLE
    centred = value in (display.NOT_AVAILABLE, str(display.NOT_REPORTED))  # a lone '-' or 미보고 in a figures column
    key = (cell.kind, cell.bold, cell.indent, has_value, centred)
    if key not in styles:
        styles[key] = _style(ws, *key)
    out = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        out.data_type = "s"  # text stays text: a name starting with = + - @ never becomes a live formula
    out._style = copy(styles[key]._style)
    return out


def _write_sheet(wb: Workbook, sheet: Sheet, briefing: Briefing):
    ws = wb.create_sheet(sheet.name)
    merged_starts = {(r, c) for r, c, r2, c2 in sheet.merges if c2 > c}
    for index, width in enumerate(_column_widths(sheet, merged_starts), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = False
    ws.print_options.horizontalCentered = True
    if sheet.header_end:
        ws.print_title_rows = f"1:{sheet.header_end}"
    ws.oddHeader.right.text = briefing.period_line
    ws.oddFooter.left.text = briefing.bureau.name
    ws.oddFooter.center.text = f"{display.report_date(sheet.as_of)} 기준"
    ws.oddFooter.right.text = "&P / &N"
    for part in (ws.oddHeader.right, ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.font = FONT_NAME
        part.size = 9
    for r, c, r2, c2 in sheet.merges:
        ws.merged_cells.add(f"{get_column_letter(c)}{r}:{get_column_letter(c2)}{r2}")
    styles: dict = {}
    for index, row in enumerate(sheet.rows, start=1):
        lines = max(
            (str(c.value).count("\n") + 1 for c in row if c is not None and isinstance(c.value, str)), default=1
        )
        if lines > 1:  # wrapped header text: a row only grows by itself in a spreadsheet program, not in print
            ws.row_dimensions[index].height = 14 * lines
        ws.append([_styled(ws, cell, styles) for cell in row])


def briefing_workbook(briefing: Briefing) -> bytes:
    """The workbook as bytes, one sheet per table, in the report's order."""
    wb = Workbook(write_only=True)
    wb.properties.title = f"{briefing.bureau.name} 업무보고 {briefing.fiscal_year} ({briefing.period_line})"
    wb.properties.creator = "CivicBureau"
    for sheet in briefing.sheets:
        _write_sheet(wb, sheet, briefing)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
