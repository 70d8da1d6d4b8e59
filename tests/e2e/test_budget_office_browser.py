"""The city budget office's day in Chromium (issue 19's story): city home → a bureau → its dashboard → the
city briefing.

Besides the demo's bureau (2022), the city has 가람국 (made for this test: the report knows one bureau),
which published ’23. 7. 31.: 30,000 of 100,000 thousand won disbursed, 30.0%. The budget office signs in and
lands on 내 할 일, opens 시 전체 현황: both bureaus, each against its pace, and the switcher in the header. It
opens 가람국, then the dashboard (the header's link now leads to 가람국's bureau dashboard), and downloads the
city briefing from the city home: its summary holds 가람국's figures, and 가람국 has a sheet of its own. The
city home is drawn in Korean and English at 1280 and 390 px with no page overflow. Screenshots go to
test-artifacts/."""

import io

import openpyxl
import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.layout import PAGE_OVERFLOW
from tests.e2e.test_entry_browser import log_in
from tests.e2e.test_public_browser import VIEWPORTS
from tests.factories import FISCAL_YEAR
from tests.test_bureaus import bureau_with_figures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city(demo_server):
    """The demo's bureau and 가람국, made before the browser starts (the ORM is refused inside it)."""
    return bureau_with_figures("가람국", "garam", budget=100_000_000, paid=30_000_000)


def test_the_budget_office_goes_from_the_city_to_a_bureau_its_dashboard_and_the_city_briefing(
    city, demo_server, browser
):
    base = demo_server.url
    page = browser.new_page(viewport=VIEWPORTS["desktop"], locale="ko-KR", accept_downloads=True)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, base, "budget", "budget-demo-2022", "/my/")

    # 내 할 일 → 시 전체 현황: every bureau against its pace, and the switcher (two bureaus)
    page.click("#city-home-link")
    page.wait_for_url("**/city/")
    rows = {
        row.locator("th").inner_text().strip(): [c.strip() for c in row.locator("td").all_inner_texts()]
        for row in page.locator("#city-bureaus tbody tr").all()
    }
    assert rows["가람국"][:5] == ["’23. 7. 31.", "제1판", "100,000", "30,000", "30.0"]
    assert rows["시민협력국"][:5] == ["’22. 7. 1.", "제1판", "49,535,101", "31,734,467", "64.1"]
    assert page.locator("#bureau-switcher summary").is_visible()
    page.screenshot(path=ARTIFACTS / "budget-office-city-home.png", full_page=True)

    # → 가람국: its home under its own address
    page.locator("#city-bureaus").get_by_role("link", name="가람국", exact=True).click()
    page.wait_for_url("**/b/garam/")
    assert page.locator("main h1").inner_text() == "가람국"

    # → its dashboard: the header's 대시보드 keeps the bureau
    page.locator("header").get_by_role("link", name="대시보드").click()
    page.wait_for_url("**/b/garam/dashboards/bureau/**")
    assert "가람국" in page.locator("main").inner_text()
    assert "시민협력국" not in page.locator("main").inner_text()
    page.screenshot(path=ARTIFACTS / "budget-office-bureau-dashboard.png", full_page=True)

    # → the city briefing, from the city home: its form (the latest year filled in) starts a job (run at once,
    # no Redis), whose page offers the file
    page.goto(base + "/city/")
    page.click("#city-briefing-link")
    page.wait_for_url("**/city/briefing/")
    assert page.input_value("#briefing-year") == str(FISCAL_YEAR)  # 가람국's, the latest year published
    page.click("#city-briefing-start")
    page.wait_for_url("**/jobs/**")
    with page.expect_download() as download:
        page.click("#job-download")
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    summary_rows = [
        [cell for cell in row if cell is not None] for sheet in workbook.worksheets[:2] for row in sheet.values
    ]
    garam = next(row for row in summary_rows if row and row[0] == "가람국")
    assert 100_000 in garam and 30_000 in garam  # 예산현액 and 지출액 in thousand won, as the city home shows
    assert any("가람국" in name for name in workbook.sheetnames[2:])
    assert errors == []
    page.close()


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_city_home_fits_the_screen_in_both_languages(city, demo_server, browser, language, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport], locale="ko-KR" if language == "ko" else "en-US")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo_server.url}])
    page.goto(demo_server.url + "/city/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#city-bureaus tbody tr").count() == 2
    assert page.evaluate(PAGE_OVERFLOW) == 0
    page.screenshot(path=ARTIFACTS / f"city-home-{language}-{viewport}.png", full_page=True)
    page.close()
