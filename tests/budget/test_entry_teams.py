"""The staff entry grid by team (issue 19): where the division has teams, each team's subtotal row (read
only: the sums of 예산현액, the previous and the entered cumulative figures, the month's amounts and the
rates from the sums) above its lines, lines of no team last under 팀 미지정; each line keeps its own input.
The figures below are worked out by hand from the factories' amounts."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from budget.models import ExecutionSnapshot
from budget.selectors.entry import division_month_grid
from tests.budget.test_entry import post_data
from tests.factories import (
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
JUNE, JULY = datetime.date(2023, 6, 30), datetime.date(2023, 7, 31)


def line(division, name, order, original, previous=None, current=None, team=None):
    budget_line = BudgetLineFactory(division=division, name=name, order=order, original_budget=original, team=team)
    for as_of, figures in ((JUNE, previous), (JULY, current)):
        if figures:
            ExecutionSnapshotFactory(
                budget_line=budget_line, as_of=as_of, obligations=figures[0], disbursements=figures[1]
            )
    return budget_line


@pytest.fixture
def division(db):
    division = DivisionFactory(bureau=BureauFactory())
    second = TeamFactory(division=division, name="나팀", order=2)
    first = TeamFactory(division=division, name="가팀", order=1)
    line(division, "무소속 사업", 0, 30 * M, previous=(3 * M, 3 * M))
    line(division, "나 사업", 1, 200 * M, current=(60 * M, 50 * M), team=second)
    line(division, "가 사업 1", 2, 100 * M, previous=(20 * M, 10 * M), current=(40 * M, 30 * M), team=first)
    line(division, "가 사업 2", 3, 50 * M, previous=(5 * M, 5 * M), current=(10 * M, 9 * M), team=first)
    return division


def test_the_grids_rows_come_by_team_with_their_sums(division):
    grid = division_month_grid(division=division, as_of=JULY)
    assert [(str(g.team) if g.team else None, [r.line.name for r in g.rows]) for g in grid.groups] == [
        ("가팀", ["가 사업 1", "가 사업 2"]),
        ("나팀", ["나 사업"]),
        (None, ["무소속 사업"]),
    ]
    assert [r.line.name for r in grid.rows] == ["가 사업 1", "가 사업 2", "나 사업", "무소속 사업"]
    first = grid.groups[0].total
    assert (
        first.authority,
        first.previous_obligations,
        first.previous_disbursements,
        first.obligations,
        first.disbursements,
        first.month_obligations,
        first.month_disbursements,
        str(first.obligation_rate),
        str(first.rate),
    ) == (150 * M, 25 * M, 15 * M, 50 * M, 39 * M, 25 * M, 24 * M, "33.3", "26.0")


def test_the_grid_page_shows_each_teams_subtotal_above_its_lines(division):
    client = Client()
    client.force_login(member("staff", division=division))
    url = reverse("budget:month_detail", args=[division.code, JULY])
    html = client.get(url).content.decode()
    rows = table(html, "grid")["rows"][1:]  # after the header's second row
    subtotals = [r for r in rows if r[0].endswith("소계")]
    # 예산현액, 전기 누계 (원인행위, 지출액), 기준일 누계, 이번 달, 집행률 (원인행위, 지출): 천원 and %
    assert subtotals[:3] == [
        ["가팀 소계", "150,000", "25,000", "15,000", "50,000", "39,000", "25,000", "24,000", "33.3", "26.0"],
        ["나팀 소계", "200,000", "-", "-", "60,000", "50,000", "60,000", "50,000", "30.0", "25.0"],
        ["팀 미지정 소계", "30,000", "3,000", "3,000", "-", "-", "-", "-", "-", "-"],
    ]
    names = [re.sub(r"^T-\d+ ", "", r[0]) for r in rows[:-1]]  # the last row is the grid's total (계)
    assert names == ["가팀 소계", "가 사업 1", "가 사업 2", "나팀 소계", "나 사업", "팀 미지정 소계", "무소속 사업"]
    # each line's row carries its own line's input
    pairs = re.findall(r'<tr data-code="([^"]+)".*?name="rows-\d+-code" value="([^"]+)"', html, re.S)
    assert len(pairs) == 4 and all(code == posted for code, posted in pairs)


def test_a_save_from_the_grouped_grid_saves_each_line_its_own_figures(division):
    client = Client()
    client.force_login(member("staff", division=division))
    url = reverse("budget:month_detail", args=[division.code, JULY])
    no_team = division.budget_lines.get(name="무소속 사업")
    first = division.budget_lines.get(name="가 사업 1")
    response = client.post(url, post_data(client, url, **{no_team.code: ("4000000", "3500000")}))
    assert response.status_code == 302
    saved = {
        s.budget_line.name: (s.obligations, s.disbursements)
        for s in ExecutionSnapshot.objects.filter(budget_line__division=division, as_of=JULY).select_related(
            "budget_line"
        )
    }
    assert saved == {
        "무소속 사업": (4 * M, 3_500_000),
        "가 사업 1": (40 * M, 30 * M),
        "가 사업 2": (10 * M, 9 * M),
        "나 사업": (60 * M, 50 * M),
    }
    assert first.snapshots.get(as_of=JULY).history.count() == 1  # unchanged lines are not written again


def test_a_division_without_teams_has_its_grid_as_before(division):
    plain = DivisionFactory(bureau=division.bureau)
    line(plain, "둘째", 2, 10 * M, current=(M, M))
    line(plain, "첫째", 1, 10 * M, current=(M, M))
    grid = division_month_grid(division=plain, as_of=JULY)
    assert (grid.has_teams, grid.groups) == (False, [])
    client = Client()
    client.force_login(member("staff", division=plain))
    html = client.get(reverse("budget:month_detail", args=[plain.code, JULY])).content.decode()
    assert "소계" not in html and "팀 미지정" not in html
    assert [re.sub(r"^T-\d+ ", "", r[0]) for r in table(html, "grid")["rows"][1:]] == ["첫째", "둘째", "계"]
