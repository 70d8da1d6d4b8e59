"""/execution/city/ sorts: the totals (the city's 합계 kept first) and the lines over every page, each on
its own parameter; the pager keeps the order."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    FISCAL_YEAR,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    publish,
)
from tests.html_tables import table

pytestmark = pytest.mark.django_db
URL = reverse("city:execution")
JULY = datetime.date(FISCAL_YEAR, 7, 31)
# Per bureau, the won paid by 31 July on each of its three lines of 100,000,000 won
PAID = {"가": [10_000_000, 70_000_000, 40_000_000], "나": [90_000_000, 20_000_000, 50_000_000]}


@pytest.fixture
def city():
    for label, paid in PAID.items():
        bureau = BureauFactory(name=f"시험정렬국{label}")
        division = DivisionFactory(bureau=bureau)
        for amount in paid:
            line = BudgetLineFactory(division=division)
            ExecutionSnapshotFactory(
                budget_line=line, as_of=JULY, obligations=amount, disbursements=amount, approved=True
            )
        DivisionMonthFactory(division=division, as_of=JULY, approved=True)
        publish(bureau, JULY)


def rates(rows):
    return [Decimal(row[-1]) for row in rows]


def test_the_totals_sort_with_the_city_total_first(client, city):
    html = client.get(URL, {"year": FISCAL_YEAR, "totals-sort": "rate"}).content.decode()
    rows = table(html, "city-totals")["rows"]
    assert [row[0] for row in rows] == ["합계", "시험정렬국가", "시험정렬국나"]  # 40.0 % before 53.3 %
    assert rates(rows) == [Decimal("46.7"), Decimal("40.0"), Decimal("53.3")]
    html = client.get(URL, {"year": FISCAL_YEAR, "totals-sort": "-rate"}).content.decode()
    assert [row[0] for row in table(html, "city-totals")["rows"]] == ["합계", "시험정렬국나", "시험정렬국가"]


def test_the_lines_sort_over_every_page(client, city, monkeypatch):
    monkeypatch.setattr("city.views.CITY_PAGE_SIZE", 2)
    query = {"year": FISCAL_YEAR, "lines-sort": "-rate"}
    client.get(URL, {"year": FISCAL_YEAR})  # the unsorted page, kept for anonymous readers: not served for a sort
    found, page = [], 1
    while True:
        html = client.get(URL, {**query, "page": page}).content.decode()
        found += table(html, "city-lines")["rows"]
        if f"lines-sort=-rate&amp;page={page + 1}" not in html:  # the pager keeps the order
            break
        page += 1
    assert page == 3
    paid = sorted((amount for amounts in PAID.values() for amount in amounts), reverse=True)
    assert rates(found) == [Decimal(amount) / 1_000_000 for amount in paid]  # of 100,000,000 won each
    assert [row[1] for row in found] == [
        "시험정렬국나",
        "시험정렬국가",
        "시험정렬국나",
        "시험정렬국가",
        "시험정렬국나",
        "시험정렬국가",
    ]


def test_without_a_sort_the_lines_keep_the_city_order_and_a_bad_sort_is_ignored(client, city):
    plain = table(client.get(URL, {"year": FISCAL_YEAR}).content.decode(), "city-lines")["rows"]
    assert [row[1] for row in plain] == ["시험정렬국가"] * 3 + ["시험정렬국나"] * 3
    assert rates(plain[:3]) == [Decimal("10.0"), Decimal("70.0"), Decimal("40.0")]
    response = client.get(URL, {"year": FISCAL_YEAR, "lines-sort": "nonsense"})
    assert response.status_code == 200 and table(response.content.decode(), "city-lines")["rows"] == plain
