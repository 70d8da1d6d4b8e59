"""The first page and the staff consistency page, as a person sees them in Chromium."""

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)


def row_cells(page, table_id, name):
    row = page.locator(f"#{table_id} tbody tr").filter(has=page.locator("th", has_text=name)).first
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def test_home_shows_the_report_figures(demo_server, demo_edition, page):
    page.goto(demo_server.url + "/")
    assert page.locator("h1").inner_text() == "시민협력국"
    assert page.locator("#execution caption").inner_text() == f"(’22. 7. 1.기준, 단위 : 천원, %) {demo_edition['ko']}"
    assert row_cells(page, "execution", "합계") == ["48,912,754", "49,535,101", "31,734,467", "17,800,634", "64.1"]
    assert row_cells(page, "execution", "지역공동체과") == [
        "16,334,057",
        "16,894,804",
        "10,289,466",
        "6,605,338",
        "60.9",
    ]
    assert row_cells(page, "headcount", "시민숙의예산과")[0] == "15/16"
    assert page.locator("#execution tbody tr").count() == 40
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)


def test_staff_logs_in_and_sees_the_disagreements(demo_server, page):
    page.goto(demo_server.url + "/staff/consistency/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "staff")
    page.fill("#id_password", "staff-demo-2022")
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/consistency/")
    assert page.locator("#disagreements tbody tr").count() == 3
    assert "3,775,505" in page.locator("#disagreements").inner_text()
    page.screenshot(path=ARTIFACTS / "consistency.png", full_page=True)


def test_the_language_switch_shows_english(demo_server, demo_edition, page):
    page.goto(demo_server.url + "/")
    page.select_option("#language", "en")
    page.click("header form[action*='i18n'] button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#execution caption").inner_text() == (
        f"(as of 1 Jul 2022, unit: thousand won, %) {demo_edition['en']}"
    )
    assert row_cells(page, "execution", "Grand total")[-1] == "64.1"
    page.screenshot(path=ARTIFACTS / "home-en.png")
