"""Browser tests: the system Chromium driven by Playwright against a live server with the demo loaded.

Database work happens before the browser starts: ORM calls inside sync_playwright() are refused.
Screenshots go to test-artifacts/ for a person to look at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

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
