"""The first page: the bureau as of its latest date, from the database."""

import re

import pytest
from django.urls import reverse

from budget.models import BudgetLine, ExecutionSnapshot
from staffing.models import Division

pytestmark = pytest.mark.django_db


def cells(html, table_id, row_name):
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, table_id
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{re.escape(row_name)}</th>(.*?)</tr>", table.group(0), re.S)
    assert row, row_name
    return [c.strip() for c in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def test_home_shows_the_execution_table_with_unit_and_date(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert "2022 예산 집행 현황" in html
    assert "(’22. 7. 1.기준, 단위 : 천원, %)" in html
    assert cells(html, "execution", "합계") == ["48,912,754", "49,535,101", "31,734,467", "17,800,634", "64.1"]
    assert cells(html, "execution", "갈등관리협치과")[-1] == "78.3"  # the arithmetic, not the report's 78.2


def test_home_shows_headcount_and_duties(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert cells(html, "headcount", "계")[:3] == ["104/102", "1/1", "5/4"]
    assert cells(html, "headcount", "사회협력과") == ["29/28", "-", "1/1", "5/5", "11/14", "11/6", "-", "0/1", "1/1"]
    assert "시민참여과 다급 1명" in html
    assert "서울혁신파크 관리·운영" in html


def test_home_query_count_does_not_grow_with_the_lines(client, django_assert_max_num_queries, bureau):
    with django_assert_max_num_queries(13) as small:  # 12, and the header's list of bureaus (read once, then kept)
        client.get(reverse("portal:home"))
    division = Division.objects.get(code="participation")
    for n in range(300):
        line = BudgetLine.objects.create(
            division=division,
            fiscal_year=2022,
            code=f"PA-X{n}",
            name=f"추가 사업 {n}",
            order=100 + n,
            original_budget=1_000_000,
        )
        ExecutionSnapshot.objects.create(budget_line=line, as_of="2022-07-01", obligations=None, disbursements=1_000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("portal:home")).content.decode()
    assert "추가 사업 299" in html


def test_home_shows_the_organisation_line(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert "조직 : 5과 22팀 (조직 신설 : ’21. 7. 25.)" in html
    assert "인력 : 104명 / 102명(정원/현원)" in html
