"""Browser tests: the system Chromium driven by Playwright against a live server with the demo loaded.

Database work happens before the browser starts: ORM calls inside sync_playwright() are refused.
Screenshots go to test-artifacts/ for a person to look at.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import sync_playwright

from budget.models import Publication
from civicbureau import display
from demo.loader import load_demo
from demo.logins import demo_users_ensure

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def demo_server(live_server):
    """A live server whose database holds the demo (live_server tests empty the database afterwards)."""
    load_demo()
    demo_users_ensure()
    return live_server


@pytest.fixture
def demo_edition(demo_server):
    """The demo's 2022-07-01 as captions name its edition, by language ({'ko': '제1판, <day loaded> 공표',
    'en': 'edition 1, published <day loaded>'}), read before the browser starts (the ORM is refused inside it)."""
    publication = Publication.objects.get(bureau__name="시민협력국", as_of=datetime.date(2022, 7, 1))
    assert publication.edition == 1
    editions = {}
    for language in ("ko", "en"):
        with translation.override(language):
            editions[language] = display.edition_line(publication)
    return editions


@pytest.fixture
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: bin/test installs it"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    yield page
    page.close()
