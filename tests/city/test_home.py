"""/city/: every bureau as of its latest published edition against its pace at that date (its own targets,
else the city's, else the straight line), 미공표 for a bureau with nothing published; sortable by every
column; links to each bureau; queries flat in the number of bureaus."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from budget.models import BudgetPaceTarget
from city.tables import CityHomeTable
from tests.factories import FISCAL_YEAR, BureauFactory, publish
from tests.html_tables import table
from tests.test_bureaus import bureau_with_figures

pytestmark = pytest.mark.django_db
URL = reverse("city:home")


@pytest.fixture
def city():
    """The demo's bureau (’22. 7. 1.), 가람국 (30 of 100 million won by 31 July 2023, following the city's
    pace: 70% by July), 나래국 (240 of 300 million, its own target: 60% by June), 다온국 (nothing published)."""
    bureau_with_figures("가람국", "garam", budget=100_000_000, paid=30_000_000)
    narae = bureau_with_figures("나래국", "narae", budget=300_000_000, paid=240_000_000)
    BureauFactory(name="다온국", slug="daon")
    BudgetPaceTarget.objects.create(bureau=None, fiscal_year=FISCAL_YEAR, month=7, target_rate="70.0")
    BudgetPaceTarget.objects.create(bureau=narae, fiscal_year=FISCAL_YEAR, month=6, target_rate="60.0")


def rows(html):
    return {row[0]: row[1:] for row in table(html, "city-bureaus")["rows"]}


def test_each_bureau_against_its_pace_and_the_unpublished_ones(client, city):
    response = client.get(URL)
    assert response.status_code == 200
    found = table(response.content.decode(), "city-bureaus")
    assert found["caption"] == "국별 최근 공표 실적 (국마다 기준일 열, 단위 : 천원, %, %p)"
    assert found["head"] == [
        "국", "기준일", "판", "예산현액(A) (천원)", "지출액(B) (천원)", "집행률(B/A) (%)", "목표 (%)", "목표 대비 (%p)",
        "예산 집행 현황",
    ]  # fmt: skip
    assert rows(response.content.decode()) == {
        # the city's target for 2023, 70% by July
        "가람국": ["’23. 7. 31.", "제1판", "100,000", "30,000", "30.0", "70.0", "△40.0", "예산 집행 현황"],
        # its own: 60% by June, then a straight line to December's 100: 60 + 40 ÷ 6 = 66.7 in July
        "나래국": ["’23. 7. 31.", "제1판", "300,000", "240,000", "80.0", "66.7", "13.3", "예산 집행 현황"],
        "다온국": ["미공표", "-", "-", "-", "-", "-", "-", "예산 집행 현황"],
        # the report's bureau as of ’22. 7. 1. (no target for 2022: 6 × 100 ÷ 12)
        "시민협력국": ["’22. 7. 1.", "제1판", "49,535,101", "31,734,467", "64.1", "50.0", "14.1", "예산 집행 현황"],
    }


def test_on_a_phone_the_rate_is_the_column_kept_in_view(client, city):
    """The stylesheet keeps a table's last data-rate column at the right edge on a phone: here the bureau's
    집행률, not the target beside it (nor the gap in %p)."""
    html = client.get(URL).content.decode()
    kept = re.findall(r'<th scope="col"[^>]*data-rate[^>]*>(.*?)</th>', html, re.S)
    assert len(kept) == 1 and "집행률(B/A)" in kept[0]
    cells = re.findall(r'<tr data-bureau="garam".*?</tr>', html, re.S)[0]
    assert re.findall(r"<td [^>]*data-rate>([^<]*)</td>", cells) == ["30.0"]


def test_each_bureau_links_to_its_pages_and_the_city_table(client, city):
    html = client.get(URL).content.decode()
    links = re.findall(r'<tr data-bureau="([^"]*)".*?<a href="([^"]*)">.*?<a href="([^"]*)">', html, re.S)
    assert links == [
        ("garam", "/b/garam/", "/b/garam/execution/"),
        ("narae", "/b/narae/", "/b/narae/execution/"),
        ("daon", "/b/daon/", "/b/daon/execution/"),
        ("citizen-cooperation", "/b/citizen-cooperation/", "/b/citizen-cooperation/execution/"),
    ]
    assert f'<a href="{reverse("city:execution")}">' in html
    # from a bureau's address too (the city's pages are the city's)
    prefixed = client.get("/b/narae/city/").content.decode()
    assert '<a href="/execution/city/">' in prefixed and '<a href="/b/garam/">가람국</a>' in prefixed


def test_the_chart_is_the_tables_rates_and_paces(client, city):
    html = client.get(URL).content.decode()
    data = json.loads(
        re.search(r'<script id="bureau-rates-chart-data" type="application/json">(.*?)</script>', html)[1]
    )
    assert data["labels"] == ["가람국", "나래국", "시민협력국"]  # 다온국 has nothing to draw
    assert [d["data"] for d in data["datasets"]] == [["30.0", "80.0", "64.1"], ["70.0", "66.7", "50.0"]]
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html


# every column but the links (orderable=False; the others follow the table's Meta: orderable)
@pytest.mark.parametrize("column", [name for name, c in CityHomeTable.base_columns.items() if c.orderable is not False])
def test_every_column_sorts(client, city, column):
    for descending in (False, True):
        sort = f"-{column}" if descending else column
        html = client.get(URL, {"sort": sort}).content.decode()
        names = list(rows(html))
        assert sorted(names) == ["가람국", "나래국", "다온국", "시민협력국"]
        expected = {
            "name": ["가람국", "나래국", "다온국", "시민협력국"],
            "rate": ["다온국", "가람국", "시민협력국", "나래국"],
            "pace_gap": ["다온국", "가람국", "나래국", "시민협력국"],  # △40.0, 13.3, 14.1
            "authority": ["다온국", "가람국", "나래국", "시민협력국"],
        }.get(column)
        if expected is not None:  # none (미공표) first ascending, last descending
            assert names == (expected[::-1] if descending else expected), sort


def test_queries_do_not_grow_with_the_bureaus(client, django_assert_max_num_queries):
    for n in range(2):
        bureau_with_figures(f"가{n}국", f"ga-{n}", budget=100_000_000, paid=10_000_000)
    with django_assert_max_num_queries(15) as two:
        client.get(URL)
    for n in range(4):
        bureau_with_figures(f"나{n}국", f"na-{n}", budget=100_000_000, paid=10_000_000)
    with django_assert_max_num_queries(len(two.captured_queries)):
        html = client.get(URL).content.decode()
    assert len(rows(html)) == 1 + 6


def test_in_english_and_kept_for_the_public(client, city):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL)
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()
    assert "public" in response["Cache-Control"] and response.has_header("ETag")
    assert client.get(URL, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_later_period_is_the_one_shown(client, city):
    from budget.models import BudgetLine
    from tests.factories import DivisionMonthFactory, ExecutionSnapshotFactory

    august = datetime.date(FISCAL_YEAR, 8, 31)
    line = BudgetLine.objects.get(name="가람국 세부사업")
    ExecutionSnapshotFactory(
        budget_line=line, as_of=august, obligations=50_000_000, disbursements=50_000_000, approved=True
    )
    DivisionMonthFactory(division=line.division, as_of=august, approved=True)
    publish(line.division.bureau, august)
    # 8 months: the city's 70% by July, then a straight line to 100 in December: 70 + 30 ÷ 5 = 76.0
    assert rows(client.get(URL).content.decode())["가람국"][:7] == [
        "’23. 8. 31.", "제1판", "100,000", "50,000", "50.0", "76.0", "△26.0",
    ]  # fmt: skip
