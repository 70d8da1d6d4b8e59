"""The frame of the signed-in pages in Chromium (issue 17): the dashboards, the entry board and the month entry
grid at 390 and 1280 px in both languages, without sideways page scroll; their tables scroll in their own region
with the row names in place; Korean words whole; headline cards not cut off; on paper, no menu or forms."""

import pytest
from django.conf import settings

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.layout import BROKEN_WORDS, CLIPPED_CARDS, PAGE_OVERFLOW, SCROLL_TABLES, SHOWN
from tests.e2e.test_english_browser import STAFF_PAGES

pytestmark = pytest.mark.django_db(transaction=True)

# the demo login that sees each page (demo/logins.py), and the page; July's grid is open for entry (inputs)
PAGES = {
    "bureau dashboard": ("bureau", "/dashboards/bureau/"),
    "bureau changes": ("bureau", "/dashboards/bureau/changes/"),
    "bureau progress": ("bureau", "/dashboards/bureau/progress/"),
    "division dashboard": ("director", "/dashboards/division/participation/"),
    "division changes": ("director", "/dashboards/division/participation/changes/"),
    "entry board": ("staff", "/staff/entry/"),
    "entry grid": ("staff", "/staff/entry/participation/2022-07-31/"),
}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def signed_in(browser, server, username, language, viewport):
    context = browser.new_context(viewport=viewport, locale="ko-KR", device_scale_factor=1)
    host = server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-demo-2022")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_signed_in_pages_fit_a_phone_and_a_desktop_in_both_languages(demo_server, browser):
    problems = {}
    scrolled = set()
    for language in ("ko", "en"):
        for device, viewport in VIEWPORTS.items():
            contexts = {}
            for name, (username, url) in PAGES.items():
                if username not in contexts:
                    contexts[username] = signed_in(browser, demo_server, username, language, viewport)
                page = contexts[username][1]
                assert page.goto(demo_server.url + url).status == 200, url
                if name == "entry grid":
                    assert page.locator("#grid input[name$='disbursements']").count() == 6  # open for entry
                found = {}
                overflow = page.evaluate(PAGE_OVERFLOW)
                if overflow > 0:
                    found["page overflow (px)"] = overflow
                for table in page.evaluate(SCROLL_TABLES, 200):
                    scrolled.add((name, device))
                    if abs(table["name"]) > 1 or table["figure"] >= 0:  # (half a collapsed border)
                        found.setdefault("row names not in place", []).append(table)
                if broken := page.evaluate(BROKEN_WORDS):
                    found["Korean words broken"] = broken
                if clipped := page.evaluate(CLIPPED_CARDS):
                    found["headline cards cut off"] = clipped
                if found:
                    problems[(language, device, name)] = found
                page.screenshot(path=ARTIFACTS / f"layout-{name.replace(' ', '-')}-{language}-{device}.png")
            for context, _ in contexts.values():
                context.close()
    assert problems == {}
    # on a phone every page here has a table wider than the screen, scrolled in its region
    assert {name for name, device in scrolled if device == "phone"} == set(PAGES)


def test_every_other_staff_page_fits_a_phone_and_a_desktop_in_both_languages(demo_server, browser):
    """The rest of what staff and planning open (the English test's list, tests/e2e/test_english_browser.py):
    no sideways page scroll at 390 or 1280 px, Korean words whole."""
    others = [url for url in STAFF_PAGES if url not in {url for _, url in PAGES.values()}]
    assert len(others) >= 14
    problems = {}
    for language in ("ko", "en"):
        for device, viewport in VIEWPORTS.items():
            context, page = signed_in(browser, demo_server, "planning", language, viewport)
            for url in others:
                assert page.goto(demo_server.url + url).status == 200, url
                found = {}
                if (overflow := page.evaluate(PAGE_OVERFLOW)) > 0:
                    found["page overflow (px)"] = overflow
                if broken := page.evaluate(BROKEN_WORDS):
                    found["Korean words broken"] = broken
                if found:
                    problems[(language, device, url)] = found
            context.close()
    assert problems == {}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_dashboards_print_without_menu_forms_or_buttons(demo_server, browser, language):
    context, page = signed_in(browser, demo_server, "director", language, {"width": 1280, "height": 900})
    for url in ("/dashboards/division/participation/", "/dashboards/division/participation/changes/"):
        page.goto(demo_server.url + url)
        hidden = ["header.site nav", ".skip", "main form", "main button"]
        kept = ["main h1", "table.figures caption", "#site-footer"]
        on_screen = page.evaluate(SHOWN, hidden + kept)
        assert all(on_screen[s][0] > 0 and on_screen[s][1] > 0 for s in ["header.site nav", "main form"]), on_screen
        page.emulate_media(media="print")
        printed = page.evaluate(SHOWN, hidden + kept)
        assert {s: printed[s][1] for s in hidden} == dict.fromkeys(hidden, 0), url
        assert all(printed[s][1] == printed[s][0] > 0 for s in kept), (url, printed)
        # tables full width, not cut: nothing sticks or scrolls on paper
        widths = page.evaluate(
            "() => [...document.querySelectorAll('table.figures')].map(t => [t.scrollWidth, t.clientWidth,"
            " (t.closest('.table-scroll') || t).scrollWidth - (t.closest('.table-scroll') || t).clientWidth])"
        )
        assert widths and all(cut <= 0 for _, _, cut in widths), (url, widths)
        page.screenshot(
            path=ARTIFACTS / f"layout-print-{url.strip('/').replace('/', '-')}-{language}.png", full_page=True
        )
        page.emulate_media(media="screen")
    context.close()
