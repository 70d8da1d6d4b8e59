"""The dashboards in Chromium, as the division director and the bureau director see them, under a
Content-Security-Policy that allows no inline script and nothing from another origin."""

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


@pytest.fixture
def strict_page(page, demo_server):
    """A page whose every response from the server carries a strict CSP; requests elsewhere are recorded."""
    outside, errors = [], []

    def add_csp(route):
        response = route.fetch(max_redirects=0)  # let the browser follow redirects itself
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route(demo_server.url + "/**", add_csp)
    page.on("request", lambda request: None if request.url.startswith(demo_server.url) else outside.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.outside, page.errors = outside, errors
    yield page
    # a request still in flight when the test ends (the page is closed next) must not fail the teardown:
    # its route's response is disposed with the page ("Route.fulfill: Fetch response has been disposed")
    page.unroute_all(behavior="ignoreErrors")


def log_in(page, server, username, password):
    page.goto(server.url + "/dashboards/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def headline(page):
    return {
        figure: page.locator(f'#headline [data-figure="{figure}"] .value').inner_text()
        for figure in ["authority", "obligations", "disbursements", "balance", "obligation_rate", "rate", "pace_gap"]
    }


def row_cells(page, table_id, name):
    row = page.locator(f"#{table_id} tbody tr").filter(has=page.locator("th", has_text=name)).first
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def charts_drawn(page):
    page.wait_for_function("document.querySelectorAll('canvas[data-rendered=true]').length >= 2")
    return page.locator("canvas[data-rendered=true]").count()


def test_the_division_director_sees_the_division_dashboard(demo_server, strict_page):
    page = strict_page
    log_in(page, demo_server, "director", "director-demo-2022")
    assert page.url.endswith("/dashboards/division/participation/")
    assert page.locator("h1").inner_text() == "시민참여과 대시보드"
    assert headline(page) == {
        "authority": "1,977,413",
        "obligations": "-",
        "disbursements": "901,178",
        "balance": "1,076,235",
        "obligation_rate": "-",
        "rate": "45.6",
        "pace_gap": "△4.4",
    }
    assert page.locator("#as-of-note").inner_text().startswith("자료 기준일 : ’22. 7. 1.")
    assert page.locator("#lagging tbody tr").count() == 4
    assert row_cells(page, "lines", "민주시민교육 추진")[-3:] == ["94.5", "94.5", "44.5"]
    assert charts_drawn(page) == 2
    assert "점 하나로" in page.locator("#pace-chart-note").inner_text()
    page.screenshot(path=ARTIFACTS / "dashboard-division.png", full_page=True)
    page.locator("#pace-chart").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "dashboard-division-charts.png")

    page.select_option("#id_pace", "lagging")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#lines tbody tr").count() == 4
    page.click("#lines thead th >> text=집행률(지출)")
    page.wait_for_load_state()
    assert page.locator("#lines tbody tr th").first.inner_text().startswith("서울시민 행복증진")

    page.goto(demo_server.url + "/dashboards/division/participation/changes/")
    assert "’22. 6. 1. 이전에 기록된 집행 실적이 없습니다." in page.locator("#earlier-missing").inner_text()
    page.screenshot(path=ARTIFACTS / "dashboard-division-changes.png", full_page=True)

    assert page.outside == [] and page.errors == []
    response = page.goto(demo_server.url + "/dashboards/bureau/")
    assert response.status == 403  # a division director does not open the bureau dashboard
    assert "접근 권한이 없습니다" in page.locator("h1").inner_text()


def test_the_bureau_director_sees_every_division_and_opens_one(demo_server, strict_page):
    page = strict_page
    log_in(page, demo_server, "bureau", "bureau-demo-2022")
    assert page.url.endswith("/dashboards/bureau/")
    # the report's 합계 row of 2022 예산 집행 현황: 49,535,101 / 31,734,467 / 17,800,634 / 64.1
    figures = headline(page)
    assert (figures["authority"], figures["disbursements"], figures["balance"], figures["rate"]) == (
        "49,535,101",
        "31,734,467",
        "17,800,634",
        "64.1",
    )
    names = [name.strip() for name in page.locator("#divisions tbody th").all_inner_texts()]
    assert names == ["시민숙의예산과", "시민참여과", "사회협력과", "지역공동체과", "갈등관리협치과"]
    assert row_cells(page, "divisions", "시민숙의예산과")[-2:] == ["8.0", "△42.0"]
    assert charts_drawn(page) == 2
    assert page.locator("#pace-table thead th").count() == 7  # month, target, five divisions
    page.screenshot(path=ARTIFACTS / "dashboard-bureau.png", full_page=True)
    page.locator("#pace-chart").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "dashboard-bureau-charts.png")

    page.click("#divisions a >> text=지역공동체과")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "지역공동체과 대시보드"
    figures = headline(page)
    assert (figures["authority"], figures["disbursements"], figures["balance"], figures["rate"]) == (
        "16,894,804",
        "10,289,466",
        "6,605,338",
        "60.9",
    )
    assert page.locator("#centres tbody tr").count() == 3
    assert page.outside == [] and page.errors == []
