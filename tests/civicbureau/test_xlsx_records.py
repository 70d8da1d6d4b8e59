"""civicbureau.uploads.xlsx_records, the sheet XML read with lxml, against openpyxl's read-only reader on the
same files: numbers, numbers as text, dates by number format, booleans, empty cells and rows, formulas,
shared strings (as Excel saves), inline and rich-text strings, cells without a reference."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest

from civicbureau.uploads import xlsx_records

ROWS = [
    ["국", "과", "세부사업 코드", "회계연도", "당초예산(원)", "비고"],
    ["가국", "가과", "A-01", 2024, 1_000_000, None],
    ["가국", None, "0012", "2024", "2,500,000", "  앞뒤 공백  "],
    [None, None, None, None, None, None],
    ["나국", "나과", 12.0, 2024.5, 1e15, True],
    ["다국", "다과", "=A1", datetime.datetime(2024, 3, 1, 9, 30), datetime.date(2025, 1, 2), False],
    ["라국", "", "x005F_x", -3, 0, "=SUM(D2:D3)"],
]


def _openpyxl(content: bytes, sheet: str) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        chosen = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        return _trimmed(enumerate(chosen.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _trimmed(records) -> list[tuple]:
    """The rows with a value, without their trailing empty cells (openpyxl pads rows to the sheet's width)."""
    rows = []
    for number, values in records:
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, values))
    return rows


def _workbook(rows, *, sheets=("안내", "예산서"), write_only=False) -> bytes:
    workbook = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    for title in sheets:
        sheet = workbook.create_sheet(title)
        for values in rows if title == "예산서" else [["다른 시트"]]:
            sheet.append(values)
        if not write_only and title == "예산서":
            sheet["B9"] = "건너뛴 행"
            sheet["C9"] = datetime.time(12, 30)
            sheet["D9"].number_format = "0.00"
            sheet["D9"] = 1.5
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewritten(content: bytes, change, parts=("xl/worksheets/sheet",)) -> bytes:
    """The workbook with its sheets' XML (or the `parts` named) passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith(parts):
                data = (change(info.filename, data.decode()) if len(parts) > 1 else change(data.decode())).encode()
            target.writestr(info, data)
    return buffer.getvalue()


def _shared_strings(content: bytes) -> bytes:
    """The workbook with its strings in a shared table, as Excel saves them (openpyxl writes inline ones):
    the first a rich-text item with a phonetic run, which openpyxl leaves out."""
    strings: list[str] = []

    def shared(match) -> str:
        strings.append(match.group(2))
        return f'<c{match.group(1) or ""} t="s"><v>{len(strings) - 1}</v></c>'

    def change(name: str, xml: str) -> str:
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(r'<c( r="[A-Z]+\d+")? t="inlineStr"><is><t>(.*?)</t></is></c>', shared, xml)
        if name == "[Content_Types].xml":
            part = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
            return xml.replace("</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{part}"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
            return xml.replace(
                "</Relationships>",
                f'<Relationship Type="{kind}" Target="sharedStrings.xml" Id="rId99"/></Relationships>',
            )
        return xml

    content = _rewritten(content, change, ("xl/worksheets/sheet", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"))
    head, tail = strings[0].split(";", 1)  # after its first character, written as a reference (&#44397;)
    items = [f"<si><r><t>{head};</t></r><r><t>{tail}</t></r><rPh sb='0' eb='1'><t>カ</t></rPh></si>"]
    items += [f"<si><t>{text}</t></si>" for text in strings[1:]]
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "".join(items) + "</sst>",
        )
    return buffer.getvalue()


def _without_references(xml: str) -> str:
    return re.sub(r' r="[A-Z]+\d+"', "", xml)


def _rich_and_inline(xml: str) -> str:
    """A shared string made an inline rich-text one with a phonetic run (left out), and a row of an inline
    string added (the sheet's dimension with it: openpyxl reads no row past it)."""
    xml = re.sub(r'<dimension ref="A1:([A-Z]+)\d+"', r'<dimension ref="A1:\g<1>12"', xml)
    xml = xml.replace(
        '<c r="A2" t="s"><v>',
        '<c r="A2" t="inlineStr"><is><r><t>가</t></r><r><t>국</t></r><rPh><t>カ</t></rPh></is><v>',
    )
    return xml.replace(
        "</sheetData>", '<row r="12"><c r="B12" t="inlineStr"><is><t>인라인</t></is></c></row></sheetData>'
    )


CASES = {
    "openpyxl's workbook": lambda: _workbook(ROWS),
    "write-only workbook": lambda: _workbook(ROWS, write_only=True),
    "cells and rows without references": lambda: _rewritten(_workbook(ROWS), _without_references),
    "inline and rich-text strings": lambda: _rewritten(_workbook(ROWS), _rich_and_inline),
    "no sheet of that name: the first": lambda: _workbook(ROWS, sheets=("첫 시트", "둘째")),
    "shared strings": lambda: _shared_strings(_workbook(ROWS)),
    "shared strings without references": lambda: _shared_strings(_rewritten(_workbook(ROWS), _without_references)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_xlsx_records_reads_what_openpyxl_reads(case):
    content = CASES[case]()
    expected = _openpyxl(content, "예산서")
    assert len(expected) >= 1
    assert _trimmed(xlsx_records(content, "예산서")) == expected


def test_the_test_files_hold_every_kind_of_cell():
    """The files above exercise what they claim: shared strings, inline strings, dates, booleans, formulas."""
    content = _rewritten(_shared_strings(_workbook(ROWS)), _rich_and_inline)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet2.xml").decode() + archive.read("xl/sharedStrings.xml").decode()
    for marker in ('t="s"', 't="inlineStr"', 't="b"', "<f>", "<rPh>", "<si><r>"):
        assert marker in xml, marker
    values = [v for _n, row in xlsx_records(content, "예산서") for v in row]
    assert {type(v) for v in values} >= {str, int, float, bool, datetime.datetime, datetime.time}
    assert "=A1" in values and "=SUM(D2:D3)" in values and "가국" in values and "인라인" in values
