"""A month of reporting periods in Chromium, as the bureau's people live it (the issue's story).

시민참여과's staff enter ’22. 8. 31. in the grid and submit; the public pages still show the published
’22. 7. 1. The director approves; still nothing public changes. Planning opens the year's periods and
’22. 8. 31., is refused without a reason (the four other divisions named with their status), publishes with
one: the execution page shows ’22. 8. 31. 제1판 with the four as 미보고 (never their ’22. 7. 1. figures), the
lines file says reported=false for them and each row's own as_of, and the bureau dashboard marks each
division's own date and status. Then a correction: staff reopen the approved month with a reason, change a
figure and submit, the director approves, planning publishes 제2판; the execution page shows 제2판 and links
제1판, which still shows the first figures. The new pages are checked in Korean and English at 390 px and
1280 px (no page-wide horizontal overflow, axe-core). Screenshots go to test-artifacts/.

Everything happens in the browser: no database work is needed once it has started."""

import csv
import datetime
import io
import re
from pprint import pformat
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_entry_browser import fill, log_in
from tests.e2e.test_public_browser import VIEWPORTS, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

ENTRY = "/staff/entry/participation/2022-08-31/"
PERIODS = "/staff/periods/?year=2022"
PERIOD = "/staff/periods/2022-08-31/"
EXECUTION = "/execution/"
# 시민참여과's cumulative figures to 2022-08-31, in won: (obligations, disbursements)
FIGURES = {
    "PA-01": ("120000000", "100000000"),
    "PA-02": ("320000000", "300000000"),
    "PA-03": ("40000000", "37729000"),
    "PA-04": ("394680000", "394680000"),
    "PA-05": ("7000000", "7000000"),
    "PA-06": ("100000000", "96062000"),
}
# what the execution table shows for them: 집행액(B), 집행잔액(A-B) in thousand won and 집행률(B/A) (예산현액
# unchanged since ’22. 7. 1.: PA-01 281,650,000, PA-02 790,300,000, PA-03 214,411,000, PA-04 417,450,000,
# PA-05 119,000,000, PA-06 154,602,000; the division 1,977,413,000)
SHOWN = {
    "PA-01": ["100,000", "181,650", "35.5"],
    "PA-02": ["300,000", "490,300", "38.0"],
    "PA-03": ["37,729", "176,682", "17.6"],
    "PA-04": ["394,680", "22,770", "94.5"],
    "PA-05": ["7,000", "112,000", "5.9"],
    "PA-06": ["96,062", "58,540", "62.1"],
    "participation": ["935,471", "1,041,942", "47.3"],
}
# the correction: PA-01's disbursements 100,000,000 → 110,000,000 (the division 945,471,000)
CORRECTED = {"PA-01": ["110,000", "171,650", "39.1"], "participation": ["945,471", "1,031,942", "47.8"]}
OTHERS = {
    "deliberative-budget": "시민숙의예산과",
    "community": "지역공동체과",
    "social-cooperation": "사회협력과",
    "conflict-governance": "갈등관리협치과",
}
OTHER_PREFIXES = ("DB-", "CO-", "SC-", "CG-")
REASON_1 = "시민참여과 8월 실적을 먼저 공표합니다. 다른 과는 아직 입력하지 않았습니다."
REASON_2 = "시민참여과 PA-01 지출액 정정을 반영합니다."


def figures_table(page, table="#execution") -> dict[str, list[str]]:
    """Each row of a public execution table by its code ('' for the total): its cells as shown."""
    return page.evaluate(
        """(table) => Object.fromEntries(Array.from(document.querySelectorAll(table + ' tbody tr')).map(
            tr => [tr.dataset.code || '', Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim())]))""",
        table,
    )


def numbers_by_row(page, table) -> list[tuple[str, list[list[str]]]]:
    """A table's rows as (key, the numbers in each cell): what must not depend on the language. Dates and
    times are left out, as each language writes them its own way ('2026-12-01 14:05', '1 Dec 2026, 14:05')."""
    return page.evaluate(
        """(table) => Array.from(document.querySelectorAll(table + ' tbody tr')).map(tr => [
            tr.dataset.code || tr.dataset.division || tr.dataset.asOf || '',
            Array.from(tr.querySelectorAll('td')).map(td => td.innerText
                .replace(/\\d{4}-\\d\\d-\\d\\d( \\d\\d:\\d\\d)?|\\d{1,2} [A-Z][a-z]{2} \\d{4}(, \\d\\d:\\d\\d)?/g, '')
                .match(/\\d[\\d,.]*/g) || [])])""",
        table,
    )


def public_state(page, base) -> dict:
    """What the public sees now: the execution page's caption and table, the home page's, the lines file's period."""
    page.goto(base + EXECUTION)
    execution = (page.locator("#execution caption").inner_text(), figures_table(page))
    page.goto(base + "/")
    home = (page.locator("#execution caption").inner_text(), figures_table(page))
    lines = list(csv.DictReader(io.StringIO(page.request.get(base + "/execution-lines.csv").text().lstrip("\ufeff"))))
    return {"execution": execution, "home": home, "periods": {(r["period"], r["edition"]) for r in lines}}


def month_status(page) -> str:
    return page.locator("#month-status").inner_text()


def period_row(page, code) -> list[str]:
    return [t.strip() for t in page.locator(f"#period-divisions tr[data-division='{code}'] td").all_inner_texts()]


# The elements that make the page wider than the window (outside any scroll area of their own).
STICKING_OUT = """() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (e) => {
        for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== 'visible') return true;
        }
        return false;
    };
    return Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > width + 1 && !scrolls(e))
        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : ''))
        .slice(0, 5);
}"""


def check_layout(browser, base, state, pages, *, tag) -> dict:
    """Each page in Korean and English, at 1280 px and 390 px: its status, language, page-wide overflow and
    axe-core's violations; the numbers of its tables are the same in both languages. Returns the failures."""
    host = base.split("//")[1].split(":")[0]
    failures, numbers = {}, {}
    for language in ("ko", "en"):
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale="ko-KR", storage_state=state)
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
            )
            page = context.new_page()
            for name, (url, tables) in pages.items():
                response = page.goto(base + url)
                assert response.status == 200, (language, url)
                assert page.locator("html").get_attribute("lang") == language
                assert page.locator("table:not(:has(caption))").count() == 0, url  # every table has a caption
                for table in tables:
                    assert page.locator(f"{table} tbody tr").count() > 0, (language, url, table)
                    numbers.setdefault((name, table, device), {})[language] = numbers_by_row(page, table)
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 0:
                    failures[(language, device, name, "overflow px")] = (overflow, page.evaluate(STICKING_OUT))
                violations = axe_violations(page)
                if violations:
                    failures[(language, device, name, "axe")] = violations
                page.screenshot(path=ARTIFACTS / f"periods-{tag}-{name}-{language}-{device}.png", full_page=True)
            context.close()
    for key, by_language in numbers.items():
        assert by_language["en"] == by_language["ko"], key
    return failures


def test_a_month_of_reporting_periods_from_entry_to_a_second_edition(demo_server, browser):
    base = demo_server.url
    today = timezone.localdate().isoformat()  # the day an edition published now names (no database needed)
    anonymous = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    before = public_state(anonymous, base)
    assert before["execution"][0].startswith("2022 예산 집행 현황 (’22. 7. 1.기준, 단위 : 천원, %) 제1판, ")
    assert before["home"][0].startswith("(’22. 7. 1.기준, 단위 : 천원, %)")
    assert before["execution"][1]["PA-01"] == ["281,650", "281,650", "83,765", "197,885", "29.7"]
    assert before["periods"] == {("2022-07-01", "1")}
    july = before["execution"][1]

    # staff enter and save ’22. 8. 31., then submit: nothing public changes
    staff = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    log_in(staff, base, "staff", "staff-demo-2022", ENTRY)
    assert month_status(staff) == "미입력"
    for code, (obligations, disbursements) in FIGURES.items():
        fill(staff, code, obligations, disbursements)
    staff.click("#save")
    staff.wait_for_url("**" + ENTRY)
    assert month_status(staff) == "작성 중"
    # 계: obligations and disbursements to date; this month's (’22. 7. 1. gave no obligations, so '-'; the
    # disbursements 935,471 − 901,178); both rates
    total = [t.strip() for t in staff.locator("#grid tfoot td").all_inner_texts()]
    assert total[3:] == ["981,680", "935,471", "-", "34,293", "49.6", "47.3"]
    assert public_state(anonymous, base) == before  # a draft is not public
    staff.click("#submit-month")
    staff.wait_for_load_state()
    staff.click("#confirm-submit")  # after the summary
    staff.wait_for_load_state()
    assert month_status(staff) == "제출됨"
    assert public_state(anonymous, base) == before

    # the director approves: approved is not public either
    director = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    log_in(director, base, "director", "director-demo-2022", ENTRY)
    director.click("#approve-month")
    director.wait_for_load_state()
    assert month_status(director) == "승인됨"
    assert "국이 이 기준일을 공표하면 공개 화면에 반영됩니다" in director.locator("#messages").inner_text()
    assert public_state(anonymous, base) == before

    # planning: the year's periods, then ’22. 8. 31.
    planning_context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    planning = planning_context.new_page()
    log_in(planning, base, "planning", "planning-demo-2022", PERIODS)
    august_row = planning.locator("#periods tr[data-as-of='2022-08-31']")
    statuses = [t.strip() for t in august_row.locator("td.status-cell").all_inner_texts()]
    assert statuses == ["승인됨", "미입력", "미입력", "미입력", "미입력"]  # 시민참여과 first, in the report's order
    assert [t.strip() for t in august_row.locator("td:not(.status-cell)").all_inner_texts()] == [
        "미공표",
        "미승인 4개 과",
    ]
    july_row = planning.locator("#periods tr[data-as-of='2022-07-01']")
    assert july_row.locator("td:not(.status-cell)").first.inner_text().startswith("제1판 (")
    planning.screenshot(path=ARTIFACTS / "periods-1-list.png", full_page=True)
    august_row.locator("th a").click()
    planning.wait_for_url("**" + PERIOD)
    assert planning.locator("h1").inner_text() == "’22. 8. 31. 기준 실적 공표"
    assert planning.locator("#period-state").inner_text().startswith("아직 공표되지 않았습니다")
    assert period_row(planning, "participation") == ["승인됨", "1", "-", "반영"]
    for code in OTHERS:
        assert period_row(planning, code) == ["미입력", "-", "-", "미보고"]
    assert "승인되지 않은 과 4개는 이 판에 미보고로 실립니다" in planning.locator("#publish").inner_text()

    planning.click("#publish button[type=submit]")  # no reason
    planning.wait_for_url("**" + PERIOD)
    refusals = planning.locator("#messages li.message-error").all_inner_texts()
    assert refusals == [
        f"{name} · 상태: ’22. 8. 31. 실적이 미입력 상태입니다: 승인되지 않은 과를 미보고로 두고 공표하려면 사유를 적어 주세요."
        for name in OTHERS.values()
    ]
    assert planning.locator("#period-state").inner_text().startswith("아직 공표되지 않았습니다")
    planning.screenshot(path=ARTIFACTS / "periods-2-refused.png", full_page=True)
    assert public_state(anonymous, base) == before

    planning.fill("#publish textarea[name=reason]", REASON_1)
    planning.click("#publish button[type=submit]")
    planning.wait_for_url("**" + PERIOD)
    assert "제1판으로 공표했습니다" in planning.locator("#messages").inner_text()
    state = re.fullmatch(rf"제1판 공표됨 \(({today} \d\d:\d\d)\)", planning.locator("#period-state").inner_text())
    assert state, planning.locator("#period-state").inner_text()
    published_at = state.group(1)  # the site's time
    assert planning.locator("#editions li[data-edition='1']").inner_text().endswith(f"planning · 사유: {REASON_1}")
    planning.screenshot(path=ARTIFACTS / "periods-3-published.png", full_page=True)

    # the public: ’22. 8. 31. 제1판, the four other divisions 미보고 and no older figure under the new date
    anonymous.goto(base + EXECUTION)
    caption = anonymous.locator("#execution caption").inner_text()
    assert caption == f"2022 예산 집행 현황 (’22. 8. 31.기준, 단위 : 천원, %) 제1판, {today} 공표"
    notes = anonymous.locator(".edition-notes").inner_text()
    assert "’22. 8. 31. 기준 공표 자료, 제1판입니다." in notes
    assert f"미보고 과: {', '.join(OTHERS.values())}." in notes and f"공표 사유: {REASON_1}" in notes
    first_edition = figures_table(anonymous)
    assert len(first_edition) == len(july) == 40
    for code, cells in first_edition.items():
        assert cells[:2] == july[code][:2], code  # 당초예산 and 예산현액 as before
        if code == "":
            assert cells[2:] == ["-", "-", "-"]  # the total gives no partial sum
        elif code in SHOWN:
            assert cells[2:] == SHOWN[code], code
        else:
            assert code in OTHERS or code.startswith(OTHER_PREFIXES), code
            assert cells[2:] == ["미보고", "-", "-"], code
    anonymous.screenshot(path=ARTIFACTS / "periods-4-execution-first-edition.png", full_page=True)
    options = anonymous.locator("#id_as_of option")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == ["", "2022-08-31", "2022-07-01"]

    lines = list(
        csv.DictReader(io.StringIO(anonymous.request.get(base + "/execution-lines.csv").text().lstrip("\ufeff")))
    )
    assert len(lines) == 34
    for row in lines:
        assert (row["period"], row["edition"]) == ("2022-08-31", "1")
        when = datetime.datetime.fromisoformat(row["published_at"])  # UTC
        assert when.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M") == published_at
        if row["division_code"] == "participation":
            expected = (row["code"], "true", "2022-08-31", *FIGURES[row["code"]])
        else:
            assert row["division_code"] in OTHERS
            expected = (row["code"], "false", "", "", "")
        assert (row["code"], row["reported"], row["as_of"], row["obligations"], row["disbursements"]) == expected

    anonymous.goto(base + "/")  # the home page reads the same edition
    assert anonymous.locator("#execution caption").inner_text().startswith("(’22. 8. 31.기준, 단위 : 천원, %)")
    home = figures_table(anonymous)
    assert home["PA-01"][2:] == SHOWN["PA-01"] and home["participation"][2:] == SHOWN["participation"]
    for code in OTHERS:  # no older figure: the cell says the division did not report
        assert not re.search(r"\d", home[code][2]), home[code]

    # the bureau director's dashboard: each division's own date and status
    bureau = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    log_in(bureau, base, "bureau", "bureau-demo-2022", "/dashboards/bureau/")
    assert bureau.locator("#as-of-note").inner_text().startswith("자료 기준일 : ’22. 8. 31.")
    rows = {
        row.locator("th").inner_text().strip(): [t.strip() for t in row.locator("td").all_inner_texts()]
        for row in bureau.locator("#divisions tbody tr").all()
    }
    assert list(rows)[0] == "시민참여과"  # ranked; the divisions without ’22. 8. 31. figures after it, unranked
    assert rows["시민참여과"][:2] == ["’22. 8. 31.", "공표됨"]
    assert rows["시민참여과"][2:4] == ["1,977,413", "1,977,413"]  # 당초예산, 예산현액 (thousand won)
    assert rows["시민참여과"][5] == "935,471"
    for name in OTHERS.values():
        assert rows[name][:2] == ["’22. 7. 1.", "공표됨"], rows[name]  # their own date: the edition of ’22. 7. 1.
    note = bureau.locator("#not-reported").inner_text()
    assert note.startswith("’22. 8. 31. 실적을 보고하지 않은 과: ")
    for name in OTHERS.values():
        assert f"{name} (’22. 7. 1. 기준)" in note
    bureau.screenshot(path=ARTIFACTS / "periods-5-bureau-dashboard.png", full_page=True)
    bureau.check("#id_published")  # published figures only: the edition, as the public sees it
    bureau.click("form.as-of button[type=submit]")
    bureau.wait_for_load_state()
    assert "공표된 실적만 (제1판)" in bureau.locator("#as-of-note").inner_text()
    rows = {
        row.locator("th").inner_text().strip(): [t.strip() for t in row.locator("td").all_inner_texts()]
        for row in bureau.locator("#divisions tbody tr").all()
    }
    assert rows["시민참여과"][:2] == ["’22. 8. 31.", "공표됨"] and rows["시민참여과"][5] == "935,471"
    for name in OTHERS.values():
        assert rows[name][:2] == ["-", "미입력"] and rows[name][5] == "-", rows[name]
    bureau.close()

    # a correction: staff reopen the approved month with a reason, change a figure and submit
    staff.goto(base + ENTRY)
    assert month_status(staff) == "승인됨"
    staff.fill("#correct-reason", "PA-01 지출액 누계 오기")
    staff.click("#correct-month")
    staff.wait_for_url("**" + ENTRY)
    assert month_status(staff) == "작성 중"
    assert "2차" in staff.locator("p.lead").inner_text()
    fill(staff, "PA-01", "120000000", "110000000")
    staff.click("#save")
    staff.wait_for_url("**" + ENTRY)
    assert month_status(staff) == "작성 중"
    staff.click("#submit-month")
    staff.wait_for_load_state()
    staff.click("#confirm-submit")  # after the summary
    staff.wait_for_load_state()
    assert month_status(staff) == "제출됨"
    staff.close()
    director.goto(base + ENTRY)
    director.click("#approve-month")
    director.wait_for_load_state()
    assert month_status(director) == "승인됨"
    director.close()
    anonymous.goto(base + EXECUTION)  # the approved correction is not public until published
    assert figures_table(anonymous) == first_edition

    planning.goto(base + PERIODS)
    august_row = planning.locator("#periods tr[data-as-of='2022-08-31']")
    assert [t.strip() for t in august_row.locator("td:not(.status-cell)").all_inner_texts()] == [
        f"제1판 ({today})",
        "새 판 공표 대기",
    ]
    planning.goto(base + PERIOD)
    assert period_row(planning, "participation") == ["승인됨", "2", "1", "반영"]
    preview = [
        [t.strip() for t in row.locator("th, td").all_inner_texts()]
        for row in planning.locator("#preview tbody tr").all()
    ]
    assert preview == [
        ["시민참여과", "PA-01 시민참여 활성화 추진", "120,000,000 / 100,000,000", "120,000,000 / 110,000,000"]
    ]
    planning.screenshot(path=ARTIFACTS / "periods-6-second-edition-preview.png", full_page=True)

    # the new pages in both languages and both widths, as they stand with a new edition waiting (judged at
    # the end: the rest of the story runs whatever they show)
    layout_failures = check_layout(
        browser,
        base,
        planning_context.storage_state(),
        {
            "list": (PERIODS, ["#periods"]),
            "period": (PERIOD, ["#period-divisions", "#preview table"]),
            "execution": (EXECUTION, ["#execution"]),
        },
        tag="open",
    )

    planning.fill("#publish textarea[name=reason]", REASON_2)
    planning.click("#publish button[type=submit]")
    planning.wait_for_url("**" + PERIOD)
    assert "제2판으로 공표했습니다" in planning.locator("#messages").inner_text()
    assert planning.locator("#editions li[data-edition='2']").inner_text().count("PA-01 시민참여 활성화 추진") == 1
    planning_context.close()

    # the public: 제2판, and 제1판 still citable with its own figures
    anonymous.goto(base + EXECUTION)
    assert anonymous.locator("#execution caption").inner_text().endswith(f" 제2판, {today} 공표")
    second_edition = figures_table(anonymous)
    for code, cells in second_edition.items():
        assert cells[2:] == CORRECTED.get(code, first_edition[code][2:]), code
    notes = anonymous.locator(".edition-notes")
    assert "제2판입니다." in notes.inner_text()
    anonymous.screenshot(path=ARTIFACTS / "periods-7-execution-second-edition.png", full_page=True)
    notes.get_by_role("link", name="제1판").click()
    anonymous.wait_for_load_state()
    assert anonymous.url.endswith("?year=2022&as_of=2022-08-31&edition=1")
    assert anonymous.locator("#execution caption").inner_text() == caption
    assert figures_table(anonymous) == first_edition
    assert "제1판입니다." in anonymous.locator(".edition-notes").inner_text()
    anonymous.goto(base + "/execution/?year=2022&as_of=2022-07-01&edition=1")  # the report's edition, unchanged
    assert figures_table(anonymous) == july
    anonymous.close()
    assert layout_failures == {}, pformat(layout_failures)
