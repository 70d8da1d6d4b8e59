"""Nothing typed is lost, in Chromium, with a session shortened to 20 seconds and its warning 10 seconds
before the end: the warning appears on the month grid and 연장 extends the session (the server sends a
cookie that lives longer); then the session lapses and the notice says so; the figures typed after that
are saved with 저장, which sends to the login page holding them; signing in again brings back the grid
with the typed figures in its inputs, not saved, and saving them saves them."""

import datetime
import re

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_entry_browser import FIGURES, JULY, fill, log_in

pytestmark = pytest.mark.django_db(transaction=True)

SESSION_SECONDS = 20
WARNING_SECONDS = 10


@pytest.fixture
def short_session(settings):
    settings.SESSION_COOKIE_AGE = SESSION_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS
    settings.SESSION_RENEW_SECONDS = 1  # every request renews, as the minute does with 30 minutes


def session_cookie_expires(page) -> float:
    return next(c["expires"] for c in page.context.cookies() if c["name"] == "sessionid")


def test_the_warning_extends_and_a_save_after_the_end_keeps_the_figures(demo_server, short_session, browser):
    base = demo_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    log_in(page, base, "staff", "staff-demo-2022", JULY)
    notice = page.locator("#session-notice")
    assert notice.get_attribute("role") == "alertdialog" and not notice.is_visible()

    # the warning, 10 seconds before the end, saying that figures typed are not lost
    warning = notice.locator("[data-session-state='warning']")
    warning.wait_for(state="visible", timeout=(SESSION_SECONDS - WARNING_SECONDS + 5) * 1000)
    text = warning.inner_text()
    assert "곧 로그아웃됩니다" in text and "저장을 누르면 보관되었다가, 다시 로그인하면 이 화면에 채워집니다" in text
    assert page.evaluate("document.activeElement.textContent") == "연장"
    page.screenshot(path=ARTIFACTS / "session-1-warning.png", full_page=False)

    before = session_cookie_expires(page)
    warning.get_by_role("button", name="연장").click()
    notice.wait_for(state="hidden", timeout=5_000)
    extended = session_cookie_expires(page)
    assert extended - before >= WARNING_SECONDS - 3, (before, extended)  # renewed by the server

    # no activity: the warning comes back, then the end
    ended = notice.locator("[data-session-state='ended']")
    ended.wait_for(state="visible", timeout=(SESSION_SECONDS + 5) * 1000)
    assert "세션이 끝났습니다" in ended.inner_text()
    page.screenshot(path=ARTIFACTS / "session-2-ended.png", full_page=False)
    page.wait_for_timeout(1_500)  # the server's end is a moment before the page's
    assert datetime.datetime.now().timestamp() > extended

    # typed after the end, saved: sent to sign in, the figures held
    ended.get_by_role("button", name="닫기").click()
    for code, (obligations, disbursements) in FIGURES.items():
        fill(page, code, obligations, disbursements)
    page.click("#save")
    page.wait_for_url(re.compile(r".*/accounts/login/\?next=.*"))
    assert "입력한 값은 보관해 두었습니다" in page.locator("#messages").inner_text()
    page.screenshot(path=ARTIFACTS / "session-3-login.png", full_page=True)

    page.fill("#id_username", "staff")
    page.fill("#id_password", "staff-demo-2022")
    page.click("main button[type=submit]")
    page.wait_for_url("**" + JULY)
    assert "세션이 끝나기 전에 입력한 값을 채워 두었습니다" in page.locator("#messages").inner_text()
    assert page.locator("#month-status").inner_text() == "미입력"  # filled in, not saved
    for code, (obligations, disbursements) in FIGURES.items():
        row = page.locator(f"#grid tr[data-code='{code}']")
        # as typed, shown in won with separators
        assert row.locator("input[name$='-obligations']").input_value() == f"{int(obligations):,}", code
        assert row.locator("input[name$='-disbursements']").input_value() == f"{int(disbursements):,}", code
    page.screenshot(path=ARTIFACTS / "session-4-figures-back.png", full_page=True)

    page.click("#save")
    page.wait_for_url("**" + JULY)
    assert "실적을 저장했습니다" in page.locator("#messages").inner_text()
    assert page.locator("#month-status").inner_text() == "작성 중"
    row = page.locator("#grid tr[data-code='PA-01']")
    assert row.locator("input[name$='-disbursements']").input_value() == f"{int(FIGURES['PA-01'][1]):,}"
    page.goto(base + JULY)  # shown once: a fresh page has no held figures, only what was saved
    assert page.locator("#messages").count() == 0
    assert (
        page.locator("#grid tr[data-code='PA-01'] input[name$='-disbursements']").input_value()
        == f"{int(FIGURES['PA-01'][1]):,}"
    )
    page.close()
