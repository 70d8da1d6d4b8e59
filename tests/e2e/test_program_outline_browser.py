"""A program page in Chromium keeps the report's outline (issue 17): nested lists per level on a desktop and a
390 px phone in both languages, axe-clean, no page wider than the screen; and the JSON files show their
Hangul in the browser (UTF-8 named in the Content-Type)."""

import pytest
from django.conf import settings

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_public_browser import VIEWPORTS, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

DOT = "’21년 4개 유형(광역제안형, 민주주의서울제안형, 구단위계획형, 동단위계획형) 운영"

# How many lists hold an item, and the marker shown before it, read in the browser.
NESTING = """(text) => {
  const li = [...document.querySelectorAll('ul.outline li')].find(
    (item) => item.firstChild && item.textContent.includes(text) && !item.querySelector('ul'));
  if (!li) return null;
  let depth = 0;
  for (let node = li; node; node = node.parentElement) if (node.matches('ul.outline')) depth += 1;
  return [depth, li.querySelector('.outline-marker').textContent, li.getBoundingClientRect().left];
}"""


def test_the_outline_nests_on_a_phone_and_a_desktop_in_both_languages(demo_server, browser):
    failures = {}
    for language in ("ko", "en"):
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale="ko-KR", device_scale_factor=1)
            host = demo_server.url.split("//")[1].split(":")[0]
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
            )
            page = context.new_page()
            assert page.goto(demo_server.url + "/programs/participatory-budgeting/").status == 200
            depth, marker, left = page.evaluate(NESTING, DOT)
            assert (depth, marker) == (3, "·")  # ○ (사업평가) > － 유사·중복 … > · ’21년 4개 유형 …
            top_left = page.evaluate(NESTING, "(목 적) 시민관심")[2]
            assert left > top_left  # drawn indented under its parents
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (language, device, overflow)
            division = page.locator("dl.overview dd").first.inner_text()
            assert division == "시민숙의예산과"
            violations = axe_violations(page)
            if violations:
                failures[(language, device)] = violations
            page.screenshot(path=ARTIFACTS / f"program-outline-{language}-{device}.png", full_page=True)
            context.close()
    assert failures == {}


def test_json_files_show_hangul_in_the_browser(demo_server, page):
    for url in ("/datapackage.json", "/programs/participatory-budgeting/outline.json", "/execution.json"):
        response = page.goto(demo_server.url + url)
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        text = page.locator("body").inner_text()
        assert "시민" in text and "\\u" not in text, url
