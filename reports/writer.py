"""Writes a Briefing as a print-ready xlsx workbook (openpyxl write-only mode, so memory stays flat).

Numbers stay numbers: separators and the △ for negatives come from number formats, never from text.
A4, fitted to one page wide, header rows repeated on every page, a header naming the period and its
edition (or 미확정 for a preview), a footer with the bureau (or the city), the as-of date and page / pages, cell borders
as the report draws its tables, and a Korean font.
"""

import datetime
import math
from copy import copy
from decimal import Decimal
from io import BytesIO

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from civicbureau import display
from reports.city import CityBriefing
from reports.rows import (
    AMOUNT,
    COUNT,
    HEADER,
    MONTH,
    NOTE,
    QUANTITY,
    RATE,
    SUBTITLE,
    TITLE,
    UNIT,
    UNIT_LINE,
    Briefing,
    Cell,
    Sheet,
)

FONT_NAME = "맑은 고딕"  # Malgun Gothic: the Korean font every Office installation prints with
AMOUNT_FORMAT = '#,##0;"△"#,##0;0'
RATE_FORMAT = '0.0;"△"0.0;0.0'
QUANTITY_FORMAT = '#,##0.##;"△"#,##0.##;0'
MONTH_FORMAT = 'yyyy"."mm'
DATE_FORMAT = '"’"yy". "m". "d"."'  # a date cell (sortable) written as the report writes dates: ’22. 7. 1.

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


# Page geometry in points (A4, the margins below); the fit-to-width scale is left to the spreadsheet program.
A4 = (595.0, 842.0)
MARGINS = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)  # inches
LINE_HEIGHT = 14.0  # points per line of 10 pt text (Malgun Gothic and its stand-ins need about 13)
ROW_PADDING = 3.0
ROW_HEIGHTS = {TITLE: 24.0, SUBTITLE: 20.0}  # a line of 14 pt and of 11 pt text


def _text_units(text: str, hangul: float = 2) -> float:
    """Roughly how many character widths a text needs (Hangul about twice as wide as a digit)."""
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)
    return len(text) - wide + hangul * wide


HANGUL_WRAPPED = 1.75  # a syllable of 10 pt Malgun Gothic against the width unit (the digit of 11 pt Calibri)


def _width(cell: Cell | None) -> float:
    """Roughly how many character widths a cell needs on one line."""
    if cell is None or cell.value is None or cell.kind in (TITLE, SUBTITLE, UNIT_LINE, NOTE):
        return 0
    if cell.kind in NUMERIC:
        text = display.number(cell.value) if cell.kind != RATE else display.rate(cell.value)
    elif isinstance(cell.value, datetime.date):
        text = "2022.07.01"
    else:
        text = max(str(cell.value).split("\n"), key=_text_units)
    return _text_units(text) + 2 + 2 * cell.indent


def _column_widths(sheet: Sheet, merged: set) -> list[float]:
    widths = [6.0] * sheet.columns
    for r, row in enumerate(sheet.rows, start=1):
        for c, cell in enumerate(row, start=1):
            if (r, c) in merged:
                continue  # a merged cell spreads over several columns
            widths[c - 1] = max(widths[c - 1], _width(cell))
    return [min(w, sheet.max_widths.get(c, 48)) for c, w in enumerate(widths, start=1)]


def _lines(cell: Cell | None, width: float) -> int:
    """How many lines a cell's text wraps to in a column `width` characters wide (1 for figures)."""
    if cell is None or not isinstance(cell.value, str) or cell.kind in (TITLE, SUBTITLE, UNIT_LINE):
        return 1
    room = max(width - 2 - 2 * cell.indent, 1)
    return sum(max(1, math.ceil(_text_units(part, HANGUL_WRAPPED) / room)) for part in cell.value.split("\n"))


def _row_heights(sheet: Sheet, widths: list[float], covered: set) -> list[float | None]:
    """Each row's height in points, from its text wrapped at the column widths (a spreadsheet program grows
    a wrapped row by itself on screen, not always in print). None: the default height of one line. A cell
    merged down several rows shares its height among them."""
    spans = {(r, c): (r2, c2) for r, c, r2, c2 in sheet.merges}
    heights: list[float | None] = [None] * len(sheet.rows)
    tall: list[tuple[int, int, float]] = []  # (first row, last row, points) of cells merged down
    for r, row in enumerate(sheet.rows, start=1):
        kinds = {cell.kind for cell in row if cell is not None}
        if kinds & set(ROW_HEIGHTS):
            heights[r - 1] = max(ROW_HEIGHTS[k] for k in kinds & set(ROW_HEIGHTS))
        for c, cell in enumerate(row, start=1):
            if (r, c) in covered:
                continue
            r2, c2 = spans.get((r, c), (r, c))
            lines = _lines(cell, sum(widths[c - 1 : c2]))
            if lines == 1:
                continue
            points = LINE_HEIGHT * lines + ROW_PADDING
            if r2 > r:
                tall.append((r, r2, points))
            else:
                heights[r - 1] = max(heights[r - 1] or 0, points)
    for first, last, points in tall:
        have = sum(h or LINE_HEIGHT + ROW_PADDING for h in heights[first - 1 : last])
        if have < points:
            extra = (points - have) / (last - first + 1)
            for index in range(first - 1, last):
                heights[index] = (heights[index] or LINE_HEIGHT + ROW_PADDING) + extra
    return heights


def _page_breaks(sheet: Sheet, heights: list[float]) -> list[int]:
    """The rows after which a page ends, so that no block (one program's table, one indicator's reading)
    is split across pages and each page is filled. Counted at full size, less a margin of safety: the
    fit-to-width scale only ever shrinks rows, so a page holds at least what is counted here."""
    page_height = A4[0] if sheet.landscape else A4[1]
    room = 0.97 * (page_height - 72 * (MARGINS.top + MARGINS.bottom)) - sum(heights[: sheet.header_end])
    breaks, used, counted = [], 0.0, sheet.header_end
    for first, last in sheet.blocks:
        block = sum(heights[counted:last])  # with any rows between the last block and this one
        if used + block > room and used > 0:
            breaks.append(first - 1)
            used = sum(heights[first - 1 : last])
        else:
            used += block
        counted = last
    return breaks


def _style(ws, kind: str, bold: bool, indent: int, has_value: bool, centred: bool, link: bool) -> WriteOnlyCell:
    """A cell carrying the style for its kind; styles are built once per kind and copied (fast)."""
    out = WriteOnlyCell(ws)
    if kind == TITLE:
        out.font = Font(name=FONT_NAME, size=14, bold=True)
        return out
    if kind == SUBTITLE:
        out.font = Font(name=FONT_NAME, size=11, bold=True)
        out.alignment = Alignment(vertical="bottom")
        return out
    if kind == UNIT_LINE:
        out.font = Font(name=FONT_NAME, size=10)
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
    elif kind in NUMERIC or kind == UNIT or centred:  # a unit, a figure that cannot be computed, a lone '-'
        out.alignment = Alignment(horizontal="center", vertical="center", wrap_text=kind == UNIT)
    else:
        out.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=indent)
    if link:
        out.font = Font(name=FONT_NAME, size=10, color="0563C1", underline="single")
    return out


def _styled(ws, cell: Cell | None, styles: dict, covered: bool = False):
    """The cell as written; `covered`: hidden under a merge, so it keeps its style (borders) but no value."""
    if cell is None:
        return None
    if covered:
        cell = Cell("", cell.kind if cell.kind in (HEADER, NOTE, TITLE, UNIT_LINE, SUBTITLE) else "text")
    value = cell.value
    if isinstance(value, Promise):  # a translated label such as 계
        value = str(value)
    if isinstance(value, Decimal):
        value = float(value)  # a rate already rounded half up to one decimal by civicbureau.figures
    has_value = value is not None
    if value is None:
        value = display.NOT_AVAILABLE
    centred = value in (display.NOT_AVAILABLE, str(display.NOT_REPORTED))  # a lone '-' or 미보고 in a figures column
    key = (cell.kind, cell.bold, cell.indent, has_value, centred, bool(cell.link))
    if key not in styles:
        styles[key] = _style(ws, *key)
    out = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        out.data_type = "s"  # text stays text: a name starting with = + - @ never becomes a live formula
    out._style = copy(styles[key]._style)
    if cell.link:  # a link inside the workbook, as Excel writes one: no target, a location
        out.hyperlink = Hyperlink(ref="", location=f"{quote_sheetname(cell.link)}!A1", display=value)
    return out


def _write_sheet(wb: Workbook, sheet: Sheet, briefing: Briefing | CityBriefing):
    ws = wb.create_sheet(sheet.name)
    merged = {(r, c) for r, c, r2, c2 in sheet.merges if c2 > c}
    covered = {
        (row, col)
        for r, c, r2, c2 in sheet.merges
        for row in range(r, r2 + 1)
        for col in range(c, c2 + 1)
        if (row, col) != (r, c)
    }
    widths = _column_widths(sheet, merged)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = copy(MARGINS)
    ws.print_options.gridLines = False
    ws.print_options.horizontalCentered = True
    if sheet.header_end:
        ws.print_title_rows = f"1:{sheet.header_end}"
    ws.oddHeader.right.text = sheet.period_line or briefing.period_line
    ws.oddFooter.left.text = sheet.owner or briefing.owner
    ws.oddFooter.center.text = f"{display.report_date(sheet.as_of)} 기준"
    ws.oddFooter.right.text = "&P / &N"
    for part in (ws.oddHeader.right, ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.font = FONT_NAME
        part.size = 10  # 10 pt: above 8 pt on the sheets fitted down to 85 %
    for r, c, r2, c2 in sheet.merges:
        ws.merged_cells.add(f"{get_column_letter(c)}{r}:{get_column_letter(c2)}{r2}")
    heights = _row_heights(sheet, widths, covered)
    if sheet.blocks:  # every height set, so that the page breaks fall where they are counted
        heights = [h or LINE_HEIGHT + ROW_PADDING for h in heights]
        for row in _page_breaks(sheet, heights):
            ws.row_breaks.append(Break(id=row))
    for index, height in enumerate(heights, start=1):
        if height:
            ws.row_dimensions[index].height = height
    styles: dict = {}
    for r, row in enumerate(sheet.rows, start=1):
        ws.append([_styled(ws, cell, styles, (r, c) in covered) for c, cell in enumerate(row, start=1)])


def briefing_workbook(briefing: Briefing | CityBriefing) -> bytes:
    """The workbook as bytes, one sheet per table, in the report's order."""
    wb = Workbook(write_only=True)
    wb.properties.title = briefing.title
    wb.properties.creator = "CivicBureau"
    for sheet in briefing.sheets:
        _write_sheet(wb, sheet, briefing)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
