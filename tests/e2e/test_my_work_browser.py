"""내 할 일 (/my/) in Chromium, for each role as they sign in: staff find their division's late months and
overdue milestones and open one; the director finds the month staff submitted; planning and the bureau
director find who is late by period. Nothing of another division's work reaches division staff. The page
passes axe in both languages on a desktop and a phone, with nothing wider than the screen."""

import datetime

import pytest
from django.conf import settings

from budget.services import division_month_submit
from tests.budget.test_entry import participation_month, user
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_public_browser import VIEWPORTS, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

JULY = datetime.date(2022, 7, 31)
PASSWORDS = {name: f"{name}-demo-2022" for name in ("staff", "director", "bureau", "planning")}


@pytest.fixture
def july_submitted(demo_server):
    """시민참여과 has saved and submitted July (done before the browser starts: the ORM is refused inside it)."""
    month = participation_month(JULY)
    division_month_submit(user=user("staff"), month=month, version=month.version)
    return demo_server


def sign_in(page, base, username):
    """Through the login form with no ?next=: where everyone lands."""
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("main button[type=submit]")
    page.wait_for_url("**/my/")


def test_each_role_lands_on_its_own_work(july_submitted, browser):
    base = july_submitted.url
    seen = {}
    for username in PASSWORDS:
        page = browser.new_page(viewport=VIEWPORTS["desktop"], locale="ko-KR")
        sign_in(page, base, username)
        seen[username] = {
            section: page.locator(f"#{section}").inner_text() if page.locator(f"#{section}").count() else ""
            for section in ("due", "milestones", "awaiting", "late", "pending", "publishable", "returned")
        }
        page.screenshot(path=ARTIFACTS / f"my-work-{username}.png", full_page=True)
        if username == "staff":
            main = page.locator("main").inner_text()
            assert "지역공동체과" not in main and "시민협력과" not in main  # nothing of another division
            page.locator("#due a").first.click()  # each item opens where it is done
            page.wait_for_url("**/staff/entry/participation/2022-08-31/")
            assert page.locator("#month-status").inner_text() == "미입력"
        page.close()

    staff = seen["staff"]
    # August onwards is still to enter (July is submitted), each past its deadline; milestones to record
    assert "시민참여과 ’22. 8. 31." in staff["due"] and "’22. 7. 31." not in staff["due"]
    assert "지연" in staff["due"] and "마감 ’22. 9. 7." in staff["due"]  # the 5th working day after 8/31
    assert staff["milestones"] and not staff["awaiting"] and not staff["late"]
    assert "시민참여과 ’22. 7. 31." in seen["director"]["awaiting"]  # waiting for its director
    for role in ("bureau", "planning"):
        assert "시민참여과 ’22. 7. 31." in seen[role]["awaiting"]  # they approve for every division
        assert "’22. 8. 31." in seen[role]["late"] and "지역공동체과" in seen[role]["late"]  # who is late, by period
        assert not seen[role]["milestones"] and not seen[role]["due"]


def test_my_work_reads_in_both_languages_on_a_phone_and_a_desktop(july_submitted, browser):
    base = july_submitted.url
    host = base.split("//")[1].split(":")[0]
    failures = {}
    for language in ("ko", "en"):
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale="ko-KR", device_scale_factor=1)
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
            )
            page = context.new_page()
            sign_in(page, base, "planning")
            assert page.locator("html").get_attribute("lang") == language
            title = page.locator("h1").inner_text()
            assert title == {"ko": "내 할 일", "en": "My work"}[language]
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (language, device, overflow)
            violations = axe_violations(page)
            if violations:
                failures[(language, device)] = violations
            page.screenshot(path=ARTIFACTS / f"my-work-planning-{language}-{device}.png", full_page=True)
            context.close()
    assert failures == {}
