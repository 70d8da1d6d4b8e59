"""What a citizen comes for, in Chromium, in Korean and English: /execution/ opens with the headline
figures and a chart drawn with its table beside it (the headline's figures are the table's), and a term's
first use takes them to its glossary entry."""

import pytest
from django.conf import settings

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)


def in_language(browser, server, language, viewport):
    context = browser.new_context(viewport=viewport, locale="ko-KR")
    host = server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}])
    return context


@pytest.mark.parametrize("language", ["ko", "en"])
def test_execution_opens_with_headline_figures_and_a_chart_with_its_table(demo_server, browser, language):
    context = in_language(browser, demo_server, language, {"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(demo_server.url + "/execution/")
    canvas = page.locator("canvas#division-rates-chart")
    canvas.wait_for()
    page.wait_for_function("document.getElementById('division-rates-chart').dataset.rendered === 'true'")
    box = canvas.bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    chart_table = page.locator("#division-rates-chart-table")
    assert chart_table.locator("caption").inner_text().strip() != ""
    total = [t.strip() for t in chart_table.locator("tbody tr").first.locator("td").all_inner_texts()]
    headline = {
        figure: page.locator(f'#headline [data-figure="{figure}"] .value').inner_text().strip()
        for figure in ("authority", "disbursements", "rate", "pace_gap")
    }
    assert [headline["authority"], headline["disbursements"], headline["rate"], headline["pace_gap"]] == total
    # the same figures as the report's table below (its 합계 row: 당초, 현액, 집행액, 잔액, 집행률)
    status_total = [t.strip() for t in page.locator("#execution tbody tr").first.locator("td").all_inner_texts()]
    assert [status_total[1], status_total[2], status_total[4]] == total[:3]
    assert chart_table.locator("tbody tr").count() == 1 + 5  # the total and the five divisions
    # the chart draws what the table says: its bars are the table's rates
    bars = page.evaluate("document.getElementById('division-rates-chart').chart.data.datasets[0].data")
    rates = [t.strip() for t in chart_table.locator("tbody td[data-figure='rate']").all_inner_texts()]
    assert [f"{value:.1f}" for value in bars] == rates
    assert page.locator("#headline-as-of").inner_text().strip() != ""
    page.screenshot(path=ARTIFACTS / f"citizens-execution-{language}.png", full_page=True)
    assert errors == []
    context.close()


def test_a_terms_first_use_leads_to_its_glossary_entry(demo_server, browser):
    context = in_language(browser, demo_server, "en", {"width": 390, "height": 844})
    page = context.new_page()
    page.goto(demo_server.url + "/execution/")
    link = page.locator("main a.term").first
    assert link.inner_text() == "Executed amount"
    link.click()
    page.wait_for_url("**/glossary/#executed")
    entry = page.locator("#executed")
    assert entry.is_visible() and "disbursement" in entry.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.screenshot(path=ARTIFACTS / "citizens-glossary-en-phone.png", full_page=False)
    context.close()
