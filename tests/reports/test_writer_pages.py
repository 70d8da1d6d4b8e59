"""The writer's print layout, on small sheets built here: row heights from wrapped text, and page breaks that
fall between tables only, with every page filled as far as the next table allows."""

import datetime
from io import BytesIO

from openpyxl import load_workbook

from reports import writer
from reports.rows import AMOUNT, HEADER, LABEL, SUBTITLE, TEXT, Cell, Sheet

DAY = datetime.date(2022, 7, 1)


def tables_sheet(sizes: list[int]) -> Sheet:
    """A sheet of tables one after another, as the program sheet lays them out, of `sizes` rows each."""
    sheet = Sheet("표", "표들", DAY, 2)
    sheet.add_heading("(단위: 천원)")
    sheet.header_end = 2
    for number, size in enumerate(sizes, start=1):
        first = sheet.add([Cell(f"{number}. 사업", SUBTITLE)])
        sheet.add([Cell("사업명", HEADER), Cell("예산현액", HEADER)])
        for row in range(size):
            sheet.add([Cell(f"세부사업 {row}", LABEL), Cell(1_000 * row, AMOUNT)])
        sheet.add([])
        sheet.blocks.append((first, len(sheet.rows)))
    return sheet


def test_breaks_fall_between_tables_and_pages_fill():
    sheet = tables_sheet([3, 20, 1, 12, 30, 2, 2, 9, 25])
    heights = writer._row_heights(sheet, [30.0, 12.0], set())
    heights = [h or writer.LINE_HEIGHT + writer.ROW_PADDING for h in heights]
    breaks = writer._page_breaks(sheet, heights)
    page_height = writer.A4[1] - 72 * (writer.MARGINS.top + writer.MARGINS.bottom)
    room = page_height - sum(heights[: sheet.header_end])
    assert breaks, "these tables need more than one page"
    starts = {first - 1 for first, _last in sheet.blocks}
    assert set(breaks) <= starts  # a page ends only where a table ends
    edges = [sheet.header_end, *breaks, len(sheet.rows)]
    pages = [sum(heights[a:b]) for a, b in zip(edges, edges[1:], strict=False)]
    assert all(page <= room for page in pages), (pages, room)
    # a page ended early only because the next table would not have fitted on it
    next_table = {first - 1: sum(heights[first - 1 : last]) for first, last in sheet.blocks}
    for page, end in zip(pages, breaks, strict=False):
        assert page + next_table[end] > 0.97 * page_height - sum(heights[: sheet.header_end])


def test_wrapped_text_gets_the_height_of_its_lines():
    sheet = Sheet("일정", "일정", DAY, 2)
    sheet.max_widths = {1: 12}
    sheet.add([Cell("짧은 글", TEXT), Cell(1, AMOUNT)])
    sheet.add([Cell("한 줄에 다 들어가지 않는 아주 긴 추진 내용", TEXT), Cell(2, AMOUNT)])
    sheet.add([Cell("첫째 줄\n둘째 줄\n셋째 줄", TEXT), Cell(3, AMOUNT)])
    widths = writer._column_widths(sheet, set())
    assert widths[0] == 12
    heights = writer._row_heights(sheet, widths, set())
    assert heights[0] is None  # one line: the program's own height
    long_lines = writer._lines(sheet.rows[1][0], widths[0])
    assert long_lines >= 3 and heights[1] == writer.LINE_HEIGHT * long_lines + writer.ROW_PADDING
    assert heights[2] == writer.LINE_HEIGHT * 3 + writer.ROW_PADDING


def test_a_cover_link_points_inside_the_workbook():
    sheet = Sheet("표지", "표지", DAY, 1)
    sheet.add([Cell("세입총괄", TEXT, link="세입총괄")])
    target = Sheet("세입총괄", "세입총괄", DAY, 1)
    target.add([Cell("계", LABEL)])

    class Bureau:
        name = "시민협력국"

    briefing = writer.Briefing(Bureau(), 2022, DAY, [sheet, target], printed_on=DAY)
    book = load_workbook(BytesIO(writer.briefing_workbook(briefing)))
    link = book["표지"]["A1"].hyperlink
    assert (link.location, link.target) == ("'세입총괄'!A1", None)
