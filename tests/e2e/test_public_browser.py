"""The public pages in Chromium: both languages, a desktop and a phone (390 px), axe-core on each, the frame
(no sideways page scroll, row names in place while a table scrolls, Korean words whole, the footer, the language
menu, print without menu or forms), and the execution figures against the report (its slip corrected), read
back from CSV and JSON."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings

from civicbureau import display
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.layout import BROKEN_WORDS, PAGE_OVERFLOW, SCROLL_TABLES, SHOWN

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "/",
    "execution": "/execution/",
    "city execution": "/execution/city/",
    "schedule": "/schedule/",
    "programs": "/programs/",
    "program": "/programs/civic-activity-facilities/",
    "program with a target": "/programs/seoul-timebank/",
    "program with measure charts": "/programs/npo-grants/",
    "organisation": "/organisation/",
    "glossary": "/glossary/",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def axe_violations(page):
    # loaded from the portal's own static files: an inline copy would be (rightly) refused by the CSP
    assert AXE.exists()
    page.add_script_tag(url=f"/{settings.STATIC_URL.strip('/')}/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result]


def test_every_public_page_passes_axe_in_both_languages_and_on_a_phone(demo_server, browser):
    failures = {}
    frame = {}
    scrolled = set()
    for language in ("ko", "en"):
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale="ko-KR", device_scale_factor=1)
            host = demo_server.url.split("//")[1].split(":")[0]
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
            )
            page = context.new_page()
            for name, url in PAGES.items():
                response = page.goto(demo_server.url + url)
                assert response.status == 200, url
                assert page.locator("html").get_attribute("lang") == language
                assert page.locator("table:not(:has(caption))").count() == 0, url  # every table has a caption
                # nothing wider than the screen but the tables' own scroll regions, where the names stay in place
                found = {}
                if (overflow := page.evaluate(PAGE_OVERFLOW)) > 0:
                    found["page overflow (px)"] = overflow
                for table in page.evaluate(SCROLL_TABLES, 200):
                    scrolled.add((name, device))
                    if abs(table["name"]) > 1 or table["figure"] >= 0:  # (half a collapsed border)
                        found.setdefault("row names not in place", []).append(table)
                if broken := page.evaluate(BROKEN_WORDS):
                    found["Korean words broken"] = broken
                options = page.locator("#language option")
                if [options.nth(i).inner_text() for i in range(options.count())] != ["한국어", "English"]:
                    found["language menu"] = options.all_inner_texts()
                if not page.locator("#site-footer").is_visible():
                    found["footer"] = "missing"
                if found:
                    frame[(language, device, name)] = found
                violations = axe_violations(page)
                if violations:
                    failures[(language, device, name)] = violations
                page.screenshot(
                    path=ARTIFACTS / f"public-{name}-{language}-{device}.png",
                    full_page=device == "phone" or name != "schedule",
                )
            if device == "phone":  # a wrong address: the site's own 404, which fits a phone too
                response = page.goto(demo_server.url + "/no-such-page/")
                assert response.status == 404 and page.locator("#site-footer").is_visible()
                assert page.evaluate(PAGE_OVERFLOW) <= 0
            context.close()
    assert failures == {}
    assert frame == {}
    # on a phone the execution tables are wider than the screen and scroll in their region
    assert {"home", "execution", "city execution", "program"} <= {
        name for name, device in scrolled if device == "phone"
    }


@pytest.mark.parametrize("language", ["ko", "en"])
def test_public_pages_print_without_menu_forms_or_buttons(demo_server, browser, language):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    host = demo_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}])
    page = context.new_page()
    hidden = ["header.site nav", ".skip", "main form", "main button"]
    kept = ["main h1", "table.figures caption", "#site-footer #footer-licence"]
    for name, url in PAGES.items():
        page.goto(demo_server.url + url)
        page.emulate_media(media="print")
        printed = page.evaluate(SHOWN, hidden + kept)
        assert {s: printed[s][1] for s in hidden} == dict.fromkeys(hidden, 0), name
        assert all(printed[s][1] == printed[s][0] > 0 for s in kept if s != "table.figures caption"), (name, printed)
        assert printed["table.figures caption"][1] == printed["table.figures caption"][0], name  # (tables of its own)
        links = page.evaluate(
            "() => [...document.querySelectorAll('main a')].map(a => getComputedStyle(a).textDecorationLine)"
        )
        assert set(links) <= {"none"}, name  # links are not underlined noise on paper
        if name == "execution":  # (while print media is emulated: page.pdf follows the emulated media)
            page.pdf(path=ARTIFACTS / f"public-execution-print-{language}.pdf", format="A4")
        page.emulate_media(media="screen")
    context.close()


def row_cells(page, name):
    row = page.locator("#execution tbody tr").filter(has=page.locator("th", has_text=name)).first
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def test_execution_in_chromium_matches_the_report_and_its_open_data(demo_server, demo_edition, page):
    page.goto(demo_server.url + "/execution/?year=2022&as_of=2022-07")
    assert (
        page.locator("#execution caption").inner_text()
        == f"2022 예산 집행 현황 (’22. 7. 1.기준, 단위 : 천원, %) {demo_edition['ko']}"
    )
    assert row_cells(page, "합계") == ["48,912,754", "49,535,101", "31,734,467", "17,800,634", "64.1"]
    assert row_cells(page, "갈등관리협치과") == [
        "21,425,639",
        "21,447,639",
        "16,785,481",
        "4,662,158",
        "78.3",
    ]  # report: 78.2
    assert row_cells(page, "커뮤니티 공간 운영지원") == ["3,214,758", "3,775,505", "400,444", "3,375,061", "10.6"]
    shown = [
        [row.locator("th").inner_text().strip(), *[t.strip() for t in row.locator("td").all_inner_texts()]]
        for row in page.locator("#execution tbody tr").all()
    ]
    assert len(shown) == 40
    csv_text = page.request.get(demo_server.url + "/execution.csv?year=2022&as_of=2022-07").body().decode("utf-8")
    assert csv_text.startswith("\ufeff")
    records = list(csv.DictReader(io.StringIO(csv_text[1:])))
    data = json.loads(page.request.get(demo_server.url + "/execution.json?year=2022&as_of=2022-07").body())
    for rows in (records, data["rows"]):
        rebuilt = [
            [
                str(r["name"]),
                display.amount(int(r["original_budget"])),
                display.amount(int(r["budget_authority"])),
                display.amount(int(r["disbursements"])),
                display.amount(int(r["balance"])),
                display.rate(
                    None
                    if r["execution_rate"] in ("", None)
                    else __import__("decimal").Decimal(str(r["execution_rate"]))
                ),
            ]
            for r in rows
        ]
        assert rebuilt == shown
    # sorting by a header keeps the total first
    page.click("#execution thead th:last-child a")
    page.wait_for_load_state()
    assert page.locator("#execution tbody tr th").first.inner_text() == "합계"
    assert page.locator("#execution thead th:last-child").get_attribute("aria-sort") == "ascending"
    # one arrow: the template's (aria-hidden, with the order in words), none drawn by the stylesheet
    sorted_header = page.locator("#execution thead th:last-child a")
    assert sorted_header.locator("span[aria-hidden=true]").inner_text().strip() == "▲"
    assert sorted_header.evaluate("a => getComputedStyle(a, '::after').content") == "none"
    # the period selector offers the published periods only (and the latest); a month without published
    # figures, asked for by its address, says so
    options = page.locator("#id_as_of option")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == ["", "2022-07-01"]
    page.goto(demo_server.url + "/execution/?year=2022&as_of=2022-03")
    assert "’22. 3. 31.까지 공표된 집행 실적이 없습니다" in page.locator("main").inner_text()
    assert page.locator("#execution").count() == 0
    page.screenshot(path=ARTIFACTS / "public-execution-no-data.png")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_program_page_draws_its_measures_with_their_tables(demo_server, browser, language):
    """Each measure with a series gets a drawn chart and its table (the accessible alternative), at 390 and
    1280 px; a measure with a target shows it, one without says so, in the page's language."""
    words = {"ko": ("목표 미설정", "5개"), "en": ("No target set", "5 items")}[language]
    errors = []
    for device, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, locale="ko-KR", device_scale_factor=1)
        host = demo_server.url.split("//")[1].split(":")[0]
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}])
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        assert page.goto(demo_server.url + "/programs/npo-grants/").status == 200
        charts = page.locator("#measures canvas")
        assert charts.count() == 3  # the three measures the report gives for three dates
        for i in range(charts.count()):
            canvas = charts.nth(i)
            canvas.scroll_into_view_if_needed()
            assert canvas.get_attribute("data-rendered") == "true"
            assert canvas.bounding_box()["width"] <= viewport["width"]
            rows = page.locator(f"#{canvas.get_attribute('id')}-table tbody td").all_inner_texts()
            assert len(rows) == 3
            # the chart draws what its table says
            drawn = page.evaluate(
                f"document.getElementById('{canvas.get_attribute('id')}').chart.data.datasets[0].data"
            )
            assert [f"{value:,.0f}" for value in drawn] == [text.strip() for text in rows]
        page.screenshot(path=ARTIFACTS / f"public-program-measures-{language}-{device}.png", full_page=True)
        assert page.goto(demo_server.url + "/programs/seoul-timebank/").status == 200
        cells = page.locator("#program-measures td[data-figure=target]").all_inner_texts()
        assert words[0] in cells and words[1] in cells
        assert page.evaluate(PAGE_OVERFLOW) <= 0
        page.locator("#measures").screenshot(path=ARTIFACTS / f"public-program-target-{language}-{device}.png")
        assert errors == []
        context.close()
