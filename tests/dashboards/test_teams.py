"""The division dashboard by team (issue 19): where the division has teams, its lines under their teams, each
team's subtotal row first (sums of 예산현액, 원인행위, 지출액; rates from the sums, never averaged), the lines
of no team last under 팀 미지정; where it has none, the table as before. The figures below are worked out by
hand from the factories' amounts."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.selectors.execution import RowLevel
from dashboards.selectors import division_dashboard
from tests.factories import (
    BudgetAdjustmentFactory,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    ExecutionSnapshotFactory,
    TeamFactory,
    member,
)
from tests.html_tables import table

pytestmark = pytest.mark.django_db

M = 1_000_000


def line(division, name, order, original, obligations, disbursements, team=None):
    budget_line = BudgetLineFactory(division=division, name=name, order=order, original_budget=original, team=team)
    ExecutionSnapshotFactory(budget_line=budget_line, obligations=obligations, disbursements=disbursements)
    return budget_line


@pytest.fixture
def teams_division(db):
    """Two teams (나팀 made first, 가팀 first in order) and a line of no team, ordered before the others."""
    division = DivisionFactory(bureau=BureauFactory(), name="시험과")
    second = TeamFactory(division=division, name="나팀", order=2)
    first = TeamFactory(division=division, name="가팀", order=1)
    line(division, "무소속 사업", 0, 80 * M, 8 * M, 4 * M)
    line(division, "나 사업", 1, 100 * M, 40 * M, 30 * M, team=second)
    line(division, "가 사업 1", 2, 200 * M, 50 * M, 20 * M, team=first)
    adjusted = line(division, "가 사업 2", 3, 50 * M, 30 * M, 15 * M, team=first)
    BudgetAdjustmentFactory(budget_line=adjusted, amount=10 * M)  # 예산현액 60백만원
    return division


def figures_of(rows):
    return [
        (r.level, str(r.name), r.authority, r.obligations, r.disbursements, r.obligation_rate, r.rate) for r in rows
    ]


D, L = RowLevel.DIVISION, RowLevel.LINE
GROUPED = [
    # 가팀: 260 · 80 · 35 → 80/260 = 30.8 %, 35/260 = 13.5 % (the average of its lines' rates would be 37.5, 17.5)
    (D, "가팀", 260 * M, 80 * M, 35 * M, Decimal("30.8"), Decimal("13.5")),
    (L, "가 사업 1", 200 * M, 50 * M, 20 * M, Decimal("25.0"), Decimal("10.0")),
    (L, "가 사업 2", 60 * M, 30 * M, 15 * M, Decimal("50.0"), Decimal("25.0")),
    (D, "나팀", 100 * M, 40 * M, 30 * M, Decimal("40.0"), Decimal("30.0")),
    (L, "나 사업", 100 * M, 40 * M, 30 * M, Decimal("40.0"), Decimal("30.0")),
    (D, "팀 미지정", 80 * M, 8 * M, 4 * M, Decimal("10.0"), Decimal("5.0")),
    (L, "무소속 사업", 80 * M, 8 * M, 4 * M, Decimal("10.0"), Decimal("5.0")),
]


def test_the_lines_are_grouped_by_team_with_subtotals_and_no_team_last(teams_division):
    money = division_dashboard(division=teams_division)
    assert money.as_of == datetime.date(2023, 7, 31)
    assert figures_of(money.grouped_by_team(money.rows)) == GROUPED
    # the dashboard's own rows (headline, lagging list, charts) are still the lines only, total unchanged
    assert [r.level for r in money.rows] == [L, L, L, L]
    assert (money.total.authority, money.total.disbursements) == (440 * M, 69 * M)


def dashboard_rows(client, division, query=""):
    html = client.get(reverse("dashboards:division_dashboard", args=[division.code]) + query).content.decode()
    return table(html, "lines")["rows"], html


def test_the_page_shows_each_teams_subtotal_above_its_lines_whatever_the_sort(teams_division):
    client = Client()
    client.force_login(member("director", division=teams_division))
    rows, html = dashboard_rows(client, teams_division)
    # name, 기준일, 당초예산, 예산현액, 원인행위, 지출액, 잔액 (천원), both rates (%)
    assert [r[:9] for r in rows] == [
        ["가팀 소계", "’23. 7. 31.", "250,000", "260,000", "80,000", "35,000", "225,000", "30.8", "13.5"],
        ["가 사업 1", "’23. 7. 31.", "200,000", "200,000", "50,000", "20,000", "180,000", "25.0", "10.0"],
        ["가 사업 2", "’23. 7. 31.", "50,000", "60,000", "30,000", "15,000", "45,000", "50.0", "25.0"],
        ["나팀 소계", "’23. 7. 31.", "100,000", "100,000", "40,000", "30,000", "70,000", "40.0", "30.0"],
        ["나 사업", "’23. 7. 31.", "100,000", "100,000", "40,000", "30,000", "70,000", "40.0", "30.0"],
        ["팀 미지정 소계", "’23. 7. 31.", "80,000", "80,000", "8,000", "4,000", "76,000", "10.0", "5.0"],
        ["무소속 사업", "’23. 7. 31.", "80,000", "80,000", "8,000", "4,000", "76,000", "10.0", "5.0"],
    ]
    assert html.count('class="level-division team-subtotal') == 3
    cache.clear()
    sorted_rows, _html = dashboard_rows(client, teams_division, "?sort=-rate")
    assert sorted_rows == rows  # grouped rows do not sort across teams: the order stays the teams'
    cache.clear()
    filtered, _html = dashboard_rows(client, teams_division, "?q=가 사업 2")
    assert [r[:6] for r in filtered] == [  # a team's subtotal is the sum of the lines shown
        ["가팀 소계", "’23. 7. 31.", "50,000", "60,000", "30,000", "15,000"],
        ["가 사업 2", "’23. 7. 31.", "50,000", "60,000", "30,000", "15,000"],
    ]


def test_a_division_without_teams_is_shown_as_before():
    division = DivisionFactory(bureau=BureauFactory())
    TeamFactory(division=DivisionFactory(bureau=division.bureau))  # another division's team changes nothing here
    line(division, "첫 사업", 1, 100 * M, 40 * M, 30 * M)
    line(division, "둘째 사업", 2, 200 * M, 90 * M, 80 * M)
    money = division_dashboard(division=division)
    assert money.teams is None
    assert money.grouped_by_team(money.rows) == money.rows
    client = Client()
    client.force_login(member("director", division=division))
    rows, html = dashboard_rows(client, division)
    assert [r[0] for r in rows] == ["첫 사업", "둘째 사업"]
    assert "team-subtotal" not in html and "팀 미지정" not in html
    cache.clear()
    sorted_rows, _html = dashboard_rows(client, division, "?sort=-rate")
    assert [r[0] for r in sorted_rows] == ["둘째 사업", "첫 사업"]  # 40.0 % before 30.0 %: still sortable


def test_a_division_whose_lines_have_no_team_yet_shows_them_under_no_team(teams_division):
    division = DivisionFactory(bureau=teams_division.bureau)
    TeamFactory(division=division, name="다팀")
    line(division, "사업", 1, 100 * M, 40 * M, 30 * M)
    money = division_dashboard(division=division)
    assert figures_of(money.grouped_by_team(money.rows)) == [
        (D, "팀 미지정", 100 * M, 40 * M, 30 * M, Decimal("40.0"), Decimal("30.0")),
        (L, "사업", 100 * M, 40 * M, 30 * M, Decimal("40.0"), Decimal("30.0")),
    ]


def page_queries(client, division) -> int:
    cache.clear()  # the computing path, not a page kept by publication.figures_cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboards:division_dashboard", args=[division.code])).status_code == 200
    return len(captured.captured_queries)


def test_the_dashboards_queries_do_not_grow_with_teams_or_lines(teams_division):
    """The same count for a division without teams, with teams, and with ten times the lines and teams: a
    line's team is read with its programs."""
    plain = DivisionFactory(bureau=teams_division.bureau)
    line(plain, "사업", 1, 100 * M, 40 * M, 30 * M)
    client = Client()
    client.force_login(member("bureau_director", bureau=teams_division.bureau))
    client.get(reverse("dashboards:division_dashboard", args=[plain.code]))  # the login's session saved
    without_teams = page_queries(client, plain)
    with_teams = page_queries(client, teams_division)
    for n in range(10):
        team = TeamFactory(division=teams_division, name=f"추가{n}팀", order=10 + n)
        line(teams_division, f"추가 사업 {n}", 10 + n, 10 * M, M, M, team=team)
        line(teams_division, f"추가 무소속 {n}", 50 + n, 10 * M, M, M)
    grown = page_queries(client, teams_division)
    assert without_teams == with_teams == grown
    rows, _html = dashboard_rows(client, teams_division)
    assert len(rows) == 7 + 2 * 10 + 10  # every team's subtotal and line, the added ones among them
    assert ["추가9팀 소계", "추가 사업 9"] == [r[0] for r in rows[-14:-12]]  # before 팀 미지정 and its 11 lines
