"""The web font in Chromium: "｢민주주의 서울｣" and "민･관" are drawn by the vendored fonts (the fonts Chromium
reports having used for the text, through the DevTools protocol), and a page downloads only the subsets its
text uses."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

FONTS_CSS = Path(settings.BASE_DIR) / "static" / "css" / "fonts.css"
FONT_FILES = len(re.findall(r"@font-face", FONTS_CSS.read_text()))


def fonts_used(page, cdp, selector):
    """The fonts Chromium drew the element's text with: [(family, is a web font, glyph count)]."""
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return sorted((font["familyName"], font["isCustomFont"], font["glyphCount"]) for font in fonts)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_reports_halfwidth_brackets_and_dot_are_drawn_by_the_web_font(demo_server, browser, language):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
    host = demo_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}])
    page = context.new_page()
    fonts = []
    page.on("response", lambda response: fonts.append(response) if response.url.endswith(".woff2") else None)
    assert page.goto(demo_server.url + "/organisation/").status == 200
    page.evaluate("document.fonts.ready")
    page.wait_for_load_state("networkidle")
    # the division duties hold the report's words as it writes them
    for text, element_id in (("｢민주주의 서울｣", "brackets"), ("민･관", "dot")):
        handle = page.locator("li", has_text=text).first
        handle.evaluate("(element, id) => { element.id = id }", element_id)
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        used = fonts_used(page, cdp, f"#{element_id}")
        # every glyph from a web font: Noto Sans KR, and Noto Sans JP's files (declared as Noto Sans KR)
        # for ｢ ｣ ･; a system font here would mean the boxes the issue saw
        assert used and all(is_web_font for _family, is_web_font, _glyphs in used), (text, used)
        # (the files' own names say "Noto Sans KR Thin Regular": Fontsource cut them from the variable font;
        # their weight class is 400 or 700 as fonts.css declares)
        families = {family.removesuffix(" Thin") for family, _web, _glyphs in used}
        assert families == {"Noto Sans KR", "Noto Sans JP"}, (text, used)
        cdp.detach()
    assert page.evaluate("document.fonts.check('16px \"Noto Sans KR\"', '｢민주주의 서울｣ 민･관')")
    # unicode-range: only the subsets this page's text needs come down, all from the vendored folder
    assert fonts and all(response.status == 200 for response in fonts)
    assert all("/vendor/fonts/" in response.url for response in fonts)
    assert len(fonts) < FONT_FILES / 4, (len(fonts), FONT_FILES)
    page.locator("li", has_text="｢민주주의 서울｣").first.screenshot(
        path=str(ARTIFACTS / f"fonts-brackets-{language}.png")
    )
    context.close()


def test_the_favicon_is_served(demo_server, page):
    page.goto(demo_server.url + "/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(demo_server.url + icon)
    assert response.status == 200 and response.headers["content-type"] == "image/svg+xml"
    assert "#0b4f8a" in response.text()
    response = page.request.get(demo_server.url + "/favicon.ico")  # follows the redirect
    assert response.status == 200 and response.body()[:4] == b"\x00\x00\x01\x00"  # an icon file's header
