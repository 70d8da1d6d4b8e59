"""The council briefing workbook, read back cell by cell and held against the report."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget.models import BudgetLine
from civicbureau import display
from reports.rows import AMOUNT, RATE, briefing_build
from tests.test_report import assert_in_report, printed_row, squash

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 7, 1)


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "briefing.xlsx"
    call_command("export_briefing", year=2022, as_of=AS_OF, output=path)
    return load_workbook(path)


def data_rows(ws, header_end, key_column=1):
    """The table body: rows after the header until the first row with nothing in `key_column`."""
    for row in ws.iter_rows(min_row=header_end + 1):
        if row[key_column].value in (None, ""):
            return
        yield row


def header_end(ws):
    return int(ws.print_title_rows.split(":")[1].lstrip("$"))


def number_text(cell):
    if cell.value == "-":
        return "-"
    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), (
        f"{cell.coordinate}: {cell.value!r} is not a number"
    )
    if cell.number_format.startswith("0.0"):
        return display.rate(Decimal(str(cell.value)))
    return display.number(cell.value)


def check_table(ws, table, columns, suffixes=None):
    checked = 0
    for row in data_rows(ws, header_end(ws)):
        cells = [(column, number_text(cell)) for column, cell in zip(columns, row[1:], strict=True)]
        assert_in_report(printed_row(table, str(row[0].value).strip(), cells, suffixes=suffixes))
        checked += 1
    return checked


def test_sheets_follow_the_report(workbook):
    assert workbook.sheetnames == [
        "표지",
        "조직 및 인력",
        "세입총괄",
        "세출총괄",
        "예산 집행 현황",
        "사업별 집행",  # the 11 programs that print an execution table, one after another
        "민간위탁 운영 현황",
        "향후 추진일정",
        "지표",
        "성과지표",  # each program's measures: target, result, achievement, status
    ]


def test_the_cover_names_the_edition_and_links_every_sheet(workbook):
    ws = workbook["표지"]
    facts = {row[0].value: row[1].value for row in ws.iter_rows(min_row=3, max_row=6)}
    assert facts["부서"] == "시민협력국"
    assert facts["기간"] == "2022 회계연도, ’22. 7. 1. 기준"
    assert re.fullmatch(r"제1판, \d{4}-\d{2}-\d{2} 공표", facts["판"])
    assert facts["출력일"] == display.report_date(timezone.localdate())  # the day it was written, in Seoul
    links = {c.value: c.hyperlink.location for c in ws["B"] if c.hyperlink is not None}
    assert links == {name: f"'{name}'!A1" for name in workbook.sheetnames[1:]}


def test_every_sheet_has_title_as_of_line_and_repeated_headers(workbook):
    for ws in workbook.worksheets:
        assert ws["A1"].value, ws.title
        assert "’22. 7. 1." in ws["A2"].value, ws.title
        if ws.title != "표지":
            assert ws.print_title_rows.startswith("$1:$"), ws.title
    assert workbook["세출총괄"]["A2"].value == "(’22. 7. 1.기준, 단위 : 천원, %)"
    assert workbook["예산 집행 현황"]["A1"].value == "2022 예산 집행 현황"


def test_execution_sheet_equals_the_report(workbook):
    columns = ["예산편성액(당초예산)", "예산현액(A)", "집행액(B)", "집행잔액(A-B)", "집행률(B/A)"]
    assert check_table(workbook["예산 집행 현황"], "2022 예산 집행 현황", columns) == 40


def test_revenue_and_expenditure_sheets_equal_the_report(workbook):
    assert check_table(workbook["세입총괄"], "세입총괄", ["2022년(A)", "2021년(B)", "증감(A-B)", "증감률"]) == 12
    columns = ["2022년(A)", "2021년 본예산", "2021년 최종예산(B)", "증감(A-B)", "증감률"]
    assert check_table(workbook["세출총괄"], "세출총괄", columns) == 6
    assert workbook["세출총괄"]["E5"].value == -28_916_456  # a real negative number, △ from the format


def program_tables(ws):
    """The program sheet's tables: (the row of each title, the program's title), from the sheet's cells."""
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        found = re.fullmatch(r"\d-\d\. (.*) ‣ 예산집행 현황", str(cell.value or ""))
        if found:
            yield cell.row, found.group(1)


def test_program_sheet_equals_the_report(workbook):
    columns = ["예산현액", "원인행위", "지출액", "집행률 원인행위", "집행률 지출액"]
    suffixes = {"집행률 원인행위": "%", "집행률 지출액": "%"}
    ws = workbook["사업별 집행"]
    tables, rows = list(program_tables(ws)), 0
    for title_row, title in tables:
        assert [ws.cell(title_row + 1, c).value for c in (1, 2, 3, 5)] == ["사업명", "예산현액", "집행액", "집행률(%)"]
        for row in data_rows(ws, title_row + 2, key_column=0):
            cells = [(column, number_text(cell)) for column, cell in zip(columns, row[1:], strict=True)]
            assert_in_report(
                printed_row(f"예산집행 현황: {title}", str(row[0].value).strip(), cells, suffixes=suffixes)
            )
            rows += 1
    assert (len(tables), rows) == (11, 16)


def test_centre_sheet_equals_the_report(workbook):
    columns = ["’21년", "’22년", "운영예산 증감액", "’21.4월", "’22.6월", "조정인원"]
    assert check_table(workbook["민간위탁 운영 현황"], "민간위탁 운영 현황", columns) == 6


def test_headcount_sheet_equals_the_report(workbook):
    ws = workbook["조직 및 인력"]
    assert ws["A3"].value == "조 직 : 5과 22팀 (조직 신설 : ’21. 7. 25.)"
    rows = 0
    for row in data_rows(ws, header_end(ws)):
        values = [c.value for c in row[1:]]
        pairs = ["-" if q == "-" else f"{q}/{c}" for q, c in zip(values[::2], values[1::2], strict=True)]
        assert all(isinstance(v, int) or v == "-" for v in values)
        assert_in_report(squash(str(row[0].value) + "".join(pairs)))
        rows += 1
    assert rows == 6
    notes = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("※")]
    assert_in_report(squash(notes[0]))


def test_schedule_and_indicator_sheets_hold_the_report_text(workbook):
    ws = workbook["향후 추진일정"]
    items = list(data_rows(ws, header_end(ws), key_column=2))
    assert len(items) == 23
    for row in items:
        text = row[2].value.split("\n")[0]
        assert_in_report(squash(f"{text} : {row[3].value}"))
        assert isinstance(row[4].value, datetime.datetime)
    ws = workbook["지표"]
    values = [row[3].value for row in data_rows(ws, header_end(ws))]
    assert len(values) >= 115
    assert all(isinstance(v, (int, float)) for v in values)


def test_print_setup(workbook):
    for ws in workbook.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == 9, ws.title  # A4
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
        landscape = ("조직 및 인력", "향후 추진일정", "지표", "성과지표")
        assert setup.orientation == ("landscape" if ws.title in landscape else "portrait"), ws.title
        footer = ws.oddFooter
        assert footer.left.text == "시민협력국"
        assert footer.center.text == "’22. 7. 1. 기준"
        assert footer.right.text == "&P / &N"
        assert ws["A1"].font.name == "맑은 고딕"


def test_numbers_use_formats_and_fit_their_columns(workbook):
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert "△" in cell.number_format or cell.number_format.startswith("yyyy"), (
                        ws.title,
                        cell.coordinate,
                    )
                    shown = (
                        display.number(cell.value) if not cell.number_format.startswith("0.0") else f"{cell.value:.1f}"
                    )
                    width = ws.column_dimensions[cell.column_letter].width
                    assert len(shown) + 1 <= width, (ws.title, cell.coordinate, shown, width)
                if isinstance(cell.value, str):
                    assert not re.fullmatch(r"[△-]?[\d,]+(\.\d+)?", cell.value), (
                        f"{ws.title} {cell.coordinate}: number as text"
                    )


def test_merged_headers_as_in_the_report(workbook):
    merged = {str(r) for r in workbook["세출총괄"].merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:D3", "E3:F3"} <= merged
    ws = workbook["사업별 집행"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    for title_row, _title in program_tables(ws):
        top, bottom = title_row + 1, title_row + 2
        assert {f"A{top}:A{bottom}", f"B{top}:B{bottom}", f"C{top}:D{top}", f"E{top}:F{top}"} <= merged


def test_a_draft_reaches_only_a_marked_preview_and_a_publication_the_briefing(tmp_path, bureau, people):
    """The issue's story: a draft for 2022-08-31 leaves the briefing at the published ’22. 7. 1.; its
    preview says 미확정 on every sheet and in its printed header, with each division's status first; once
    the month is approved and published (the others 미보고), the briefing is that edition."""
    from budget.services import division_month_approve, division_month_submit, execution_month_save
    from tests.budget.test_entry import july_rows
    from tests.factories import publish

    line = BudgetLine.objects.get(code="PA-01", fiscal_year=2022)
    participation, august = line.division, datetime.date(2022, 8, 31)
    rows = july_rows(**{"PA-01": (100_000_000, 100_000_000)})
    month = execution_month_save(user=people["staff_a"], division=participation, as_of=august, rows=rows, version=0)
    published = briefing_build(bureau=bureau, fiscal_year=2022, as_of=datetime.date(2022, 9, 15))
    assert (published.as_of, published.publication.edition, published.is_preview) == (AS_OF, 1, False)
    assert published.filename == "시민협력국-업무보고-2022-07-01-제1판.xlsx"

    def disbursed(briefing):
        sheet = next(s for s in briefing.sheets if s.name == "예산 집행 현황")
        row = next(r for r in sheet.rows if r[0] and r[0].value == "시민참여 활성화 추진")
        assert row[3].kind == AMOUNT and row[5].kind == RATE
        return row[3].value

    assert disbursed(published) == 83_765
    preview = briefing_build(bureau=bureau, fiscal_year=2022, as_of=august, preview=True)
    assert (preview.as_of, preview.is_preview, disbursed(preview)) == (august, True, 100_000)
    assert preview.filename == "시민협력국-업무보고-2022-08-31-미확정.xlsx"
    assert all(sheet.rows[0][0].value.endswith("(미확정)") for sheet in preview.sheets)
    path = tmp_path / "preview.xlsx"
    call_command("export_briefing", year=2022, as_of=august, preview=True, output=path)
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["표지", "공표 상태"]
    assert book["표지"]["B5"].value.startswith("미확정")
    statuses = {r[0]: r[1] for r in book["공표 상태"].iter_rows(min_row=4, max_col=2, values_only=True) if r[1]}
    assert statuses == {"시민참여과": "작성 중", "시민숙의예산과": "미입력", "지역공동체과": "미입력",
                        "사회협력과": "미입력", "갈등관리협치과": "미입력"}  # fmt: skip
    assert all("미확정" in ws.oddHeader.right.text for ws in book.worksheets)

    month = division_month_submit(user=people["staff_a"], month=month, version=month.version)
    division_month_approve(user=people["director_a"], month=month, version=month.version)
    assert briefing_build(bureau=bureau, fiscal_year=2022).as_of == AS_OF  # approved is not published
    publish(bureau, august, reason="시민참여과만 보고")
    edition = briefing_build(bureau=bureau, fiscal_year=2022, as_of=datetime.date(2022, 9, 15))
    assert (edition.as_of, disbursed(edition)) == (august, 100_000)
    sheet = next(s for s in edition.sheets if s.name == "예산 집행 현황")
    cells = {r[0].value: r[3].value for r in sheet.rows[sheet.header_end :] if r[3] is not None}
    assert cells["시민숙의예산과"] == "미보고" and cells["합계"] is None  # never an older figure, no partial sum
    note = sheet.rows[-1][0].value
    assert note.startswith("※ 미보고 : 시민숙의예산과, 지역공동체과") and note.endswith(
        "(공표 사유 : 시민참여과만 보고)"
    )


def test_a_date_without_a_published_period_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="2021-12-31까지 공표된 2022년 기준일이 없습니다"):
        call_command("export_briefing", year=2022, as_of=datetime.date(2021, 12, 31), output=tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(CommandError, match="2022-08-31 기준 2022년 실적이 아직 없습니다"):
        call_command(
            "export_briefing", year=2022, as_of=datetime.date(2022, 8, 31), preview=True, output=tmp_path / "x.xlsx"
        )


def test_the_command_names_the_period_it_used(tmp_path):
    from io import StringIO

    out = StringIO()
    call_command(
        "export_briefing", year=2022, as_of=datetime.date(2022, 12, 31), output=tmp_path / "x.xlsx", stdout=out
    )
    assert "period 2022-07-01, edition 1" in out.getvalue()


def test_directors_download_it_from_the_portal(director_client):
    response = director_client.get(reverse("reports:briefing_export"), {"year": 2022, "as_of": "2022-07-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook["예산 집행 현황"]["B4"].value == 48_912_754


def test_the_workbook_is_korean_whichever_language_the_page_was_read_in(director_client):
    """The council's workbook is the report's language: downloaded from an English session it holds the same
    cells as from a Korean one (its as-of lines were English before)."""

    def cells(language):
        director_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = director_client.get(reverse("reports:briefing_export"), {"year": 2022, "as_of": "2022-07-01"})
        assert response.status_code == 200
        book = load_workbook(BytesIO(response.content))
        return {(ws.title, c.coordinate): c.value for ws in book for row in ws.iter_rows() for c in row if c.value}

    korean, english = cells("ko"), cells("en")
    assert any("기준" in str(v) for v in english.values())
    assert english == korean


def test_division_staff_and_anonymous_visitors_cannot(staff_client, client):
    assert staff_client.get(reverse("reports:briefing_export")).status_code == 403
    response = client.get(reverse("reports:briefing_export"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_bad_date_gives_a_page_with_the_reason(director_client):
    response = director_client.get(reverse("reports:briefing_export"), {"year": 2022, "as_of": "2021-01-01"})
    assert response.status_code == 400
    assert "2021-01-01까지 공표된 2022년 기준일이 없습니다" in response.content.decode()
    assert director_client.get(reverse("reports:briefing_export"), {"as_of": "not-a-date"}).status_code == 400


def test_home_offers_the_download_to_directors_only(director_client, staff_client):
    assert "briefing-download" in director_client.get(reverse("portal:home")).content.decode()
    assert "briefing-download" not in staff_client.get(reverse("portal:home")).content.decode()


def test_user_text_never_becomes_a_formula(tmp_path, bureau):
    from programs.models import Program

    program = Program.objects.get(slug="seoul-timebank")
    program.title = '=HYPERLINK("http://evil.example","click")'
    program.save()
    path = tmp_path / "b.xlsx"
    call_command("export_briefing", year=2022, as_of=AS_OF, output=path)
    workbook = load_workbook(path)
    cells = [
        c
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")
    ]
    assert cells, "the title should stand alone in some cell (the indicator sheet's program column)"
    assert all(c.data_type == "s" for c in cells)
