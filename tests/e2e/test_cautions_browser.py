"""The 1,000-times slip in Chromium: staff type 40000 (천원 in their head) where the grid asks for won; the save
is held with the caution beside the marked cell and nothing is saved; ticking it saves, and the history says
what was confirmed. A bad save names every problem in one answer, each linking to its marked cell."""

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_entry_browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)

JULY = "/staff/entry/participation/2022-07-31/"


def cell(page, code, field):
    return page.locator(f"#grid tr[data-code='{code}'] input[name$='-{field}']")


def test_a_thousandfold_slip_is_held_until_confirmed(demo_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    log_in(page, demo_server.url, "staff", "staff-demo-2022", JULY)

    # every problem in one answer, each a link to its marked cell
    cell(page, "PA-01", "obligations").fill("abc")
    cell(page, "PA-02", "obligations").fill("100")
    cell(page, "PA-02", "disbursements").fill("200")
    page.click("#save")
    page.wait_for_load_state()
    links = page.locator("#problems a")
    assert links.count() == 2
    assert cell(page, "PA-01", "obligations").get_attribute("aria-invalid") == "true"
    assert cell(page, "PA-02", "disbursements").get_attribute("aria-invalid") == "true"
    links.nth(1).click()
    assert page.evaluate("document.activeElement.name") == cell(page, "PA-02", "disbursements").get_attribute("name")
    page.screenshot(path=ARTIFACTS / "cautions-1-problems.png", full_page=True)

    page.goto(demo_server.url + JULY)  # a fresh grid: the report's figures, in won with separators
    typed = cell(page, "PA-03", "disbursements")
    beside = page.locator("#grid tr[data-code='PA-03'] output[for$='-disbursements']")
    assert (typed.input_value(), beside.inner_text()) == ("37,729,000", "37,729")  # won, and the report's 천원
    typed.fill("")
    typed.press_sequentially("40000")  # separators appear as it is typed; the 천원 beside it follows
    assert (typed.input_value(), beside.inner_text()) == ("40,000", "40")
    page.click("#save")
    page.wait_for_load_state()
    assert page.locator("#month-status").inner_text() == "미입력"  # nothing saved
    caution = page.locator("#cautions li")
    assert caution.count() == 1 and "약 1,000분의 1" in caution.inner_text()
    assert "caution" in cell(page, "PA-03", "disbursements").get_attribute("class")
    assert cell(page, "PA-03", "disbursements").input_value() == "40,000"  # kept as typed
    page.screenshot(path=ARTIFACTS / "cautions-2-held.png", full_page=True)
    page.check("#cautions input[name=confirm]")
    page.click("#save")
    page.wait_for_load_state()
    assert page.locator("#month-status").inner_text() == "작성 중"
    page.goto(demo_server.url + JULY + "history/")
    history = page.locator("#history").inner_text()
    assert "확인한 경고" in history and "전기 누계의 약 1,000배 또는 1,000분의 1" in history
    page.screenshot(path=ARTIFACTS / "cautions-3-history.png", full_page=True)
    page.close()
