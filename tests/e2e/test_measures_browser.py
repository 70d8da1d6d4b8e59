"""A measure's year in Chromium, as the bureau's people live it (issue 18's story).

시민참여과 answers for a measure with no target yet (made for this test: the demo states no figure it could
take). Its staff see it counted on 내 할 일, propose a year's target of 1,000명 with 500명 by the end of June;
the director sees the proposal waiting and approves it, and the target is locked. Staff enter the result,
400명 as of ’22. 6. 30.: 400 ÷ 500 (the June part in force) = 80.0% of what was expected, 주의 at the
bureau's 90/70, and 40.0% of the year's target. The measure is then on staff's 내 할 일, and among the
off-track measures of the division's and the bureau's dashboards. The public program page shows nothing of it
until planning publishes a second edition of ’22. 7. 1.; then it shows the target, the result, its date and
주의, in Korean and in English, at 1280 and 390 px. Screenshots go to test-artifacts/."""

import pytest
from django.conf import settings

from programs.models import Indicator, Program
from staffing.models import Division
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_entry_browser import log_in
from tests.e2e.test_public_browser import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "e2e-democracy-graduates"
YEAR = 2022
MEASURE = f"/staff/measures/{CODE}/{YEAR}/"
VALUES = f"/staff/indicators/{CODE}/"
PROGRAM = "/programs/democratic-citizenship-education/"
PERIOD = "/staff/periods/2022-07-01/"
REASON = "민주시민교육 이수자 지표의 목표와 6월 말 실적을 반영합니다."
SOURCE = "시험용 목표: 교육 이수자 연 1,000명, 6월 말까지 500명"


@pytest.fixture
def measure(demo_server):
    """A measure of 시민참여과's program with no target and no result (made before the browser starts)."""
    program = Program.objects.get(slug="democratic-citizenship-education")
    return Indicator.objects.create(
        code=CODE,
        name="민주시민교육 이수자 (시험)",
        unit="명",
        program=program,
        division=Division.objects.get(code="participation"),
        order=999,
    )


def cells(page, selector) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_a_measure_proposed_approved_entered_off_track_and_published(measure, demo_server, browser):
    base = demo_server.url
    staff = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="ko-KR")
    log_in(staff, base, "staff", "staff-demo-2022", "/my/")
    assert "목표를 제안하지 않은 지표" in staff.locator("#targets-missing").inner_text()

    # staff propose the year's target and the June part; the measure waits for the director
    staff.goto(base + MEASURE)
    assert staff.locator("#measure-status").inner_text() == "목표 미설정"
    staff.fill("#id_value", "1000")
    staff.fill("#id_q2", "500")
    staff.fill("#id_source", SOURCE)
    staff.click("#propose")
    staff.wait_for_url("**" + MEASURE)
    assert "1,000" in staff.locator("#pending").inner_text() and "500" in staff.locator("#pending").inner_text()
    assert staff.locator("#approve").count() == 0  # staff do not approve
    staff.screenshot(path=ARTIFACTS / "measures-1-proposed.png", full_page=True)

    director = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="ko-KR")
    log_in(director, base, "director", "director-demo-2022", "/my/")
    assert measure.name in director.locator("#targets-awaiting").inner_text()
    director.goto(base + MEASURE)
    director.click("#approve")
    director.wait_for_url("**" + MEASURE)
    assert "1,000" in director.locator("#in-force").inner_text()
    assert director.locator("#pending").count() == 0
    director.screenshot(path=ARTIFACTS / "measures-2-approved.png", full_page=True)

    # staff enter the result as of 30 June: 400 of the 500 expected by then
    staff.goto(base + VALUES)
    staff.fill("#id_as_of", "2022-06-30")
    staff.fill("#id_value", "400")
    staff.click("#save")
    staff.wait_for_url("**" + VALUES)
    staff.goto(base + MEASURE)
    assert staff.locator("#measure-status").inner_text() == "주의"
    staff.goto(base + "/my/")
    off_track = staff.locator(f"#measures-off-track li[data-code='{CODE}']").inner_text()
    assert "주의" in off_track and "40.0" in off_track and "400명" in off_track, off_track
    staff.screenshot(path=ARTIFACTS / "measures-3-my-work.png", full_page=True)

    # both dashboards list it among the off-track measures, beside the lagging lines
    director.goto(base + "/dashboards/division/participation/?as_of=2022-07-01")
    row = cells(director, f"#off-track tr[data-code='{CODE}'] td")
    assert row[0] == "40.0" and row[3] == "주의", row
    director.screenshot(path=ARTIFACTS / "measures-4-division-dashboard.png", full_page=True)
    bureau = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="ko-KR")
    log_in(bureau, base, "bureau", "bureau-demo-2022", "/dashboards/bureau/?as_of=2022-07-01")
    assert cells(bureau, f"#off-track tr[data-code='{CODE}'] td")[3] == "주의"
    bureau.screenshot(path=ARTIFACTS / "measures-5-bureau-dashboard.png", full_page=True)

    # the public sees nothing of it before the bureau publishes
    anonymous = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="ko-KR")
    anonymous.goto(base + PROGRAM)
    before = cells(anonymous, f"#program-measures tr[data-code='{CODE}'] td")
    assert "목표 미설정" in before[0] and "400" not in " ".join(before), before

    planning = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="ko-KR")
    log_in(planning, base, "planning", "planning-demo-2022", PERIOD)
    planning.fill("#publish textarea[name=reason]", REASON)
    planning.click("#publish button[type=submit]")
    planning.wait_for_url("**" + PERIOD)
    assert "제2판으로 공표했습니다" in planning.locator("#messages").inner_text()

    host = base.split("//")[1].split(":")[0]
    shown = {}
    for language in ("ko", "en"):
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale="ko-KR")
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
            )
            public = context.new_page()
            public.goto(base + PROGRAM)
            assert public.locator("html").get_attribute("lang") == language
            row = public.locator(f"#program-measures tr[data-code='{CODE}']")
            shown[(language, device)] = row.locator("td[data-figure=status]").inner_text().strip()
            text = row.inner_text()
            assert "1,000" in text and "400" in text and "40.0" in text, (language, device, text)
            overflow = public.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (language, device, overflow)
            public.screenshot(path=ARTIFACTS / f"measures-6-public-{language}-{device}.png", full_page=True)
            context.close()
    assert shown == {
        ("ko", "desktop"): "주의",
        ("ko", "phone"): "주의",
        ("en", "desktop"): "Caution",
        ("en", "phone"): "Caution",
    }, shown
