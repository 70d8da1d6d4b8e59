"""/execution/city/: the whole city's execution table, paginated, with the city's and each bureau's totals
over every line (not only the page shown), approved figures only, and a query count flat in the city."""

import datetime

import pytest
from django.urls import reverse

from bench.city import Scale, city_generate
from budget.models import BudgetAdjustment, BudgetLine, ExecutionSnapshot
from city.views import CITY_PAGE_SIZE
from civicbureau import display
from tests.budget.test_public_execution import REPORT_ROWS
from tests.factories import publish
from tests.html_tables import table

pytestmark = pytest.mark.django_db
URL = reverse("city:execution")
TWO_BUREAUS = Scale(
    bureaus=2, divisions_per_bureau=3, lines_per_division=40, years=1, programs_per_year=1, items_per_program=1
)


def rows(html, container):
    return [row for row in table(html, container)["rows"]]


def all_lines(client, query):
    """Every line of every page, as a person would page through them."""
    first = client.get(f"{URL}?{query}").content.decode()
    found, page = rows(first, "city-lines"), 2
    while f"page={page}" in first:
        first = client.get(f"{URL}?{query}&page={page}").content.decode()
        found += rows(first, "city-lines")
        page += 1
    return found


def won(text):
    return int(text.replace(",", "").replace("△", "-")) * 1000 if text not in ("", "-") else None


def test_the_demo_city_is_the_report_bureau(client):
    html = client.get(f"{URL}?year=2022&as_of=2022-07").content.decode()
    totals = table(html, "city-totals")
    assert totals["caption"] == "2022 시 전체 합계와 국별 합계 (’22. 7. 1.기준, 단위 : 천원, %)"
    assert table(html, "city-lines")["caption"] == "2022 세부사업별 (1/1쪽) (’22. 7. 1.기준, 단위 : 천원, %)"
    assert {r[0]: r[1:] for r in totals["rows"]} == {
        "합계": ["-", *REPORT_ROWS["합계"]],
        "시민협력국": ["’22. 7. 1.", *REPORT_ROWS["합계"]],  # each bureau says the date of its period
    }
    lines = rows(html, "city-lines")
    assert len(lines) == 34 and lines[0][:3] == ["시민참여 활성화 추진", "시민협력국", "시민참여과"]
    assert {r[0]: r[3:] for r in lines}["예산학교 운영"] == ["’22. 7. 1.", *REPORT_ROWS["예산학교 운영"]]


def test_totals_cover_every_line_of_every_page(client):
    city_generate(TWO_BUREAUS)
    html = client.get(f"{URL}?year=2022&as_of=2022-07").content.decode()
    totals = {r[0]: r[2:] for r in rows(html, "city-totals")}  # after the name and the bureau's date
    assert list(totals) == ["합계", "시민협력국", "합성국 01", "합성국 02"]
    lines = all_lines(client, "year=2022&as_of=2022-07")
    assert len(lines) == 34 + 2 * 3 * 40 == 274
    assert len(rows(html, "city-lines")) == CITY_PAGE_SIZE
    assert "세부사업 274개 중 1/3쪽" in html
    assert (
        len({(r[1], r[2], r[0]) for r in lines}) == 274
    )  # each line on exactly one page (bureau, division, name are unique)
    for bureau in ("시민협력국", "합성국 01", "합성국 02"):
        # the bureau row is the sum of its lines, counted here from the stored snapshots, in won, then shown in 천원
        original, disbursed = expected_sums(bureau, datetime.date(2022, 7, 31))
        assert totals[bureau][0] == display.amount(original) and totals[bureau][2] == display.amount(disbursed), bureau
        assert len([r for r in lines if r[1] == bureau]) == (34 if bureau == "시민협력국" else 120)
    for column in range(3):
        assert won(totals["합계"][column]) - sum(
            won(totals[b][column]) for b in ("시민협력국", "합성국 01", "합성국 02")
        ) in range(-2000, 2001)
    assert (
        "’22. 7. 31." in table(html, "city-totals")["caption"]
    )  # the synthetic lines' date; the demo's lines keep ’22. 7. 1.


def expected_sums(bureau_name, as_of):
    lines = BudgetLine.objects.filter(division__bureau__name=bureau_name, fiscal_year=2022)
    disbursed = 0
    for line in lines:
        approved = [
            s for s in line.snapshots.order_by("as_of") if s.as_of <= as_of and s.approved_disbursements is not None
        ]
        disbursed += approved[-1].approved_disbursements if approved else 0
    return sum(line.original_budget for line in lines), disbursed


def test_a_month_not_yet_approved_stays_off(client):
    line = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of="2022-07-01").budget_line
    ExecutionSnapshot(
        budget_line=line, as_of=datetime.date(2022, 7, 31), obligations=90_123_000, disbursements=90_123_000
    ).save()
    html = client.get(f"{URL}?year=2022").content.decode()
    assert "90,123" not in html and "’22. 7. 1." in html


def test_bad_period_is_a_clear_400(client):
    response = client.get(f"{URL}?year=2022&as_of=2021-05")
    assert response.status_code == 400
    assert "기준일이 회계연도(2022) 밖입니다." in response.content.decode()


def test_query_count_is_flat_as_the_city_grows(client, django_assert_max_num_queries):
    # 8, and the header's list of bureaus (read once, then kept until a bureau is saved: the cache is emptied
    # before each test, so here it is read)
    with django_assert_max_num_queries(9) as small:
        assert client.get(f"{URL}?year=2022&page=1").status_code == 200
    city_generate(TWO_BUREAUS)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "합성국 02" in client.get(f"{URL}?year=2022&page=3").content.decode()


def test_the_kept_totals_follow_a_published_change_only(client):
    """The totals are kept between requests (publication.figures_cached): an approved correction leaves
    them, its publication (edition 2) computes them afresh."""
    before = {r[0]: r[2:] for r in rows(client.get(f"{URL}?year=2022").content.decode(), "city-totals")}
    assert before["합계"][2] == "31,734,467"
    line = BudgetLine.objects.get(code="PA-01")
    BudgetAdjustment.objects.create(
        budget_line=line, kind="supplementary", amount=1_000_000, effective_on="2022-06-01", reason="추경"
    )
    kept = {r[0]: r[2:] for r in rows(client.get(f"{URL}?year=2022").content.decode(), "city-totals")}
    assert kept == before
    publish(line.division.bureau, datetime.date(2022, 7, 1))
    after = {r[0]: r[2:] for r in rows(client.get(f"{URL}?year=2022").content.decode(), "city-totals")}
    assert won(after["합계"][1]) - won(before["합계"][1]) == 1_000_000 and after["합계"][2] == "31,734,467"
