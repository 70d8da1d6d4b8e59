"""A month from entry to the public table, as people do it in Chromium: staff enter July, meet the named
error for a bad cell, fix it and submit; the director approves, and the public home page still shows the
published ’22. 7. 1.; planning publishes ’22. 7. 31. (with a reason: the other divisions have not reported)
and the home page's execution table shows the new figures. Screenshots of each step go to test-artifacts/."""

import pytest
from django.utils import timezone

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_home_browser import row_cells

pytestmark = pytest.mark.django_db(transaction=True)

JULY = "/staff/entry/participation/2022-07-31/"
# cumulative to 2022-07-31, in won: (obligations, disbursements)
FIGURES = {
    "PA-01": ("120000000", "100000000"),
    "PA-02": ("320000000", "300000000"),
    "PA-03": ("40000000", "37729000"),
    "PA-04": ("394680000", "394680000"),
    "PA-05": ("7000000", "7000000"),
    "PA-06": ("100000000", "96062000"),
}


def log_in(page, base, username, password, then):
    page.goto(base + "/accounts/login/?next=" + then)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**" + then)


def fill(page, code, obligations, disbursements):
    row = page.locator(f"#grid tr[data-code='{code}']")
    row.locator("input[name$='-obligations']").fill(obligations)
    row.locator("input[name$='-disbursements']").fill(disbursements)


def test_staff_enter_a_month_the_director_approves_and_the_public_table_shows_it(demo_server, browser):
    base = demo_server.url
    staff = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    log_in(staff, base, "staff", "staff-demo-2022", "/staff/entry/")
    assert staff.locator("#board tr[data-division='participation'] .status-approved").count() == 1
    staff.screenshot(path=ARTIFACTS / "entry-1-board.png", full_page=True)

    staff.click("#board tr[data-division='participation'] a[href$='/2022-07-31/']")
    staff.wait_for_url("**" + JULY)
    assert staff.locator("#month-status").inner_text() == "미입력"
    for code, (obligations, disbursements) in FIGURES.items():
        fill(staff, code, obligations, disbursements)
    fill(staff, "PA-02", "320000000", "330000000")  # the bad cell: disbursed more than obligated
    staff.click("#save")
    staff.wait_for_load_state()
    problems = staff.locator("#problems").inner_text()
    assert "PA-02 시민제안 발굴 및 실행 · 지출액 누계(원): 지출액 누계가 원인행위 누계를 넘을 수 없습니다." in problems
    assert (
        staff.locator("#grid tr[data-code='PA-01'] input[name$='-disbursements']").input_value() == "100,000,000"
    )  # kept as typed, with separators
    staff.screenshot(path=ARTIFACTS / "entry-2-named-error.png", full_page=True)

    fill(staff, "PA-02", "320000000", "300000000")
    staff.click("#save")
    staff.wait_for_url("**" + JULY)
    assert staff.locator("#month-status").inner_text() == "작성 중"
    cells = [t.strip() for t in staff.locator("#grid tr[data-code='PA-01'] td").all_inner_texts()]
    # this month's own amounts (천원; obligations unknown: the report gave none for July 1) and both rates
    assert cells[5:] == ["-", "16,235", "42.6", "35.5"]
    staff.click("#submit-month")  # a summary first: totals, against the previous period, cautions confirmed
    staff.wait_for_load_state()
    summary = staff.locator("#submit-summary").inner_text()
    assert "전기 누계 (’22. 7. 1.)" in summary and "이번 달" in summary
    staff.screenshot(path=ARTIFACTS / "entry-3-submit-summary.png", full_page=True)
    staff.click("#confirm-submit")
    staff.wait_for_load_state()
    assert staff.locator("#month-status").inner_text() == "제출됨"
    staff.click("#withdraw-month")  # taken back before the director acts, then submitted again
    staff.wait_for_load_state()
    assert staff.locator("#month-status").inner_text() == "작성 중"
    staff.click("#submit-month")
    staff.wait_for_load_state()
    staff.click("#confirm-submit")
    staff.wait_for_load_state()
    assert staff.locator("#month-status").inner_text() == "제출됨"
    staff.screenshot(path=ARTIFACTS / "entry-3-submitted.png", full_page=True)
    staff.close()

    director = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    log_in(director, base, "director", "director-demo-2022", JULY)
    director.screenshot(path=ARTIFACTS / "entry-4-director-sees-submitted.png", full_page=True)
    director.click("#approve-month")
    director.wait_for_load_state()
    assert director.locator("#month-status").inner_text() == "승인됨"
    assert "승인했습니다" in director.locator("#messages").inner_text()
    director.close()

    public = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    public.goto(base + "/")  # approved is not public: the published period is still the report's
    assert public.locator("#execution caption").inner_text().startswith("(’22. 7. 1.기준, 단위 : 천원, %) 제1판, ")
    assert row_cells(public, "execution", "시민참여 활성화 추진") == ["281,650", "281,650", "83,765", "197,885", "29.7"]

    planning = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    log_in(planning, base, "planning", "planning-demo-2022", "/staff/periods/2022-07-31/")
    planning.fill("#publish textarea[name=reason]", "시민참여과 7월 실적 우선 공표, 다른 과는 미제출")
    planning.click("#publish button[type=submit]")
    planning.wait_for_load_state()
    assert "제1판으로 공표했습니다" in planning.locator("#messages").inner_text()
    planning.screenshot(path=ARTIFACTS / "entry-5-planning-published.png", full_page=True)
    planning.close()

    public.goto(base + "/")
    published_on = timezone.localdate().isoformat()  # the day planning just published (the site's time zone)
    assert (
        public.locator("#execution caption").inner_text()
        == f"(’22. 7. 31.기준, 단위 : 천원, %) 제1판, {published_on} 공표"
    )
    # 시민참여 활성화 추진: 예산현액 281,650천원, 지출 100,000천원 → 35.5%
    assert row_cells(public, "execution", "시민참여 활성화 추진") == [
        "281,650",
        "281,650",
        "100,000",
        "181,650",
        "35.5",
    ]
    public.screenshot(path=ARTIFACTS / "entry-6-public-table.png", full_page=True)
    public.close()
