"""The council briefing printed through LibreOffice, as a council clerk would print it, and read back from
the PDF with poppler-utils: the pages, the smallest type, the cover and its contents."""

import re
import shutil
import subprocess
from collections import defaultdict

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.reports.test_briefing import AS_OF
from tests.test_report import squash

pytestmark = pytest.mark.django_db

ZOOM = 3  # pdftohtml reports whole numbers (and zooms 3 times at most): a third of a point
TOOLS = ("soffice", "pdfinfo", "pdftohtml", "pdftotext")


def run(*args, cwd=None) -> str:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.fixture
def printed(tmp_path):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"printing the briefing needs {', '.join(missing)} (apt: libreoffice-calc, poppler-utils)")
    path = tmp_path / "briefing.xlsx"
    call_command("export_briefing", year=2022, as_of=AS_OF, output=path)
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: tests running side by side do not collide
    run("soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", path.name, cwd=tmp_path)
    pdf = tmp_path / "briefing.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))
    texts = [run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-") for n in range(1, pages + 1)]
    return {"pdf": pdf, "pages": pages, "texts": texts, "sizes": font_sizes(pdf), "book": load_workbook(path)}


def font_sizes(pdf) -> dict[int, list[tuple[float, str]]]:
    """Each page's pieces of text with their size in points (pdftohtml at zoom ZOOM, calibrated below)."""
    xml = run("pdftohtml", "-xml", "-i", "-zoom", str(ZOOM), "-stdout", str(pdf))
    specs, pieces = {}, defaultdict(list)
    for page in re.split(r"<page ", xml)[1:]:
        number = int(re.match(r'number="(\d+)"', page).group(1))
        specs.update(
            {k: round(float(v) / ZOOM, 2) for k, v in re.findall(r'<fontspec id="(\d+)" size="([\d.]+)"', page)}
        )
        for font, text in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', page):
            text = re.sub(r"<[^>]+>", "", text).strip()
            if text:
                pieces[number].append((specs[font], text))
    return pieces


def test_the_printed_briefing_is_readable_and_has_no_lonely_pages(printed):
    pages, texts, sizes = printed["pages"], printed["texts"], printed["sizes"]
    sheets = printed["book"].sheetnames

    # Calibrate: the revenue sheet is narrow enough to print at full size, its title set in 14 pt.
    revenue_page = next(n for n, text in enumerate(texts, start=1) if re.search(r"^\s*세입총괄\s*$", text, re.M))
    assert (14.0, "세입총괄") in sizes[revenue_page], sizes[revenue_page][:5]

    # Every page counted, and numbered as the footer says (page / pages); fewer pages than sheets' tables.
    assert len(texts) == pages and sheets and pages < 26, pages
    for number, text in enumerate(texts, start=1):
        assert f"{number} / {pages}" in text, f"page {number} has no footer '{number} / {pages}'"

    # No text below 8 pt anywhere; the indicator pages at 9 pt or more.
    smallest = min(size for page in sizes.values() for size, _text in page)
    assert smallest >= 8.0, [(n, s, t) for n, page in sizes.items() for s, t in page if s < 8.0][:5]
    indicator_pages = [n for n, text in enumerate(texts, start=1) if re.search(r"^\s*주요 지표\s*$", text, re.M)]
    assert indicator_pages
    for number in indicator_pages:
        assert min(size for size, _text in sizes[number]) >= 9.0, number
    # ... with units in a column of their own, apart from the figures (the issue saw "11,401백만원")
    indicators = "\n".join(texts[n - 1] for n in indicator_pages)
    figure_then_unit = re.findall(r"([\d,]+) +(백만원|개소|억원|건|명)\s", indicators)
    assert ("11,401", "백만원") in figure_then_unit and len(figure_then_unit) > 50
    assert not re.search(r"\d{2},\d{3}(백만원|억원)", indicators)

    # The cover and its table of contents on page 1, naming every other sheet.
    cover = squash(texts[0])  # the text without its spaces: the layout spaces out 목 차 and the names
    assert all(words in cover for words in ("시민협력국2022년업무보고", "제1판", "출력일", "목차")), cover
    assert all(squash(name) in cover for name in sheets[1:]), [name for name in sheets[1:] if squash(name) not in cover]

    # No page holds a single one-row table (such a page printed 8 or 9 lines of text: header, title, unit
    # line, two header rows, one row, footer): every page carries at least twelve.
    for number, text in enumerate(texts, start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) >= 12, f"page {number} holds only {len(lines)} lines: {lines}"

    # The program tables share their pages: every program table printed, more than one to a page.
    titles = [len(re.findall(r"\d-\d\. .* ‣ 예산집행 현황", text)) for text in texts]
    assert sum(titles) == 11 and all(count != 1 for count in titles), titles


def test_the_measures_sheet_prints_at_nine_points_with_its_pages_as_counted(printed):
    """The 성과지표 sheet: its title and header row on each of its pages, the pages LibreOffice prints exactly
    those the writer's page breaks make (no table run over onto a page of its own), type at 9 pt or more,
    and every program with measures printed, in the report's order, its heading on one page with its rows."""
    texts, sizes, book = printed["texts"], printed["sizes"], printed["book"]
    title = "2022 주요 사업별 성과지표 현황"
    pages = [n for n, text in enumerate(texts, start=1) if re.search(rf"^\s*{title}\s*$", text, re.M)]
    ws = book["성과지표"]
    assert len(pages) == len(ws.row_breaks.brk) + 1 >= 2, (pages, [b.id for b in ws.row_breaks.brk])
    assert pages == list(range(pages[0], pages[-1] + 1)) and pages[-1] == printed["pages"]  # the last sheet
    for number in pages:
        assert min(size for size, _text in sizes[number]) >= 9.0, (number, sorted(sizes[number])[:3])
        assert (14.0 * 0.9) <= max(size for size, _text in sizes[number]), number  # the title barely shrunk
        assert all(word in squash(texts[number - 1]) for word in ("지표명", "목표치", "달성률", "상태")), number
    headings = [c.value for c in ws["A"] if isinstance(c.value, str) and re.match(r"\d-\d\. ", c.value)]
    printed_headings = [
        line.strip() for n in pages for line in texts[n - 1].splitlines() if re.match(r"\s*\d-\d\. ", line)
    ]
    assert [squash(h) for h in printed_headings] == [squash(h) for h in headings] and len(headings) == 12
    # each program's measures printed on its heading's page: the names that fit on one line, found there
    for heading_row in (c.row for c in ws["A"] if c.value in headings):
        page = next(n for n in pages if squash(ws.cell(heading_row, 1).value) in squash(texts[n - 1]))
        row = heading_row + 1
        while ws.cell(row, 2).value not in (None, ""):
            name = ws.cell(row, 1).value
            if len(name) <= 16:
                assert squash(name) in squash(texts[page - 1]), (name, page)
            row += 1
