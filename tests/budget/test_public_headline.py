"""/execution/'s headline: the published total against the bureau's pace at the table's date, and each
division's rate for the chart, read from one published edition (never a draft)."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from budget.models import BudgetPaceTarget, DivisionMonth
from budget.selectors.public import public_execution_headline, public_execution_table
from tests.factories import (
    FISCAL_YEAR,
    BudgetAdjustmentFactory,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    publish,
)
from tests.html_tables import table

pytestmark = pytest.mark.django_db
JULY = datetime.date(FISCAL_YEAR, 7, 31)


@pytest.fixture
def bureau():
    """Two divisions, one line each: 100,000,000 won (+10,000,000 추경 on the first), 30,000,000 and
    60,000,000 won paid by 31 July, approved and published."""
    bureau = BureauFactory()
    first, second = DivisionFactory(bureau=bureau, order=1), DivisionFactory(bureau=bureau, order=2)
    line_a, line_b = BudgetLineFactory(division=first), BudgetLineFactory(division=second)
    BudgetAdjustmentFactory(budget_line=line_a, amount=10_000_000)
    ExecutionSnapshotFactory(budget_line=line_a, as_of=JULY, disbursements=30_000_000, approved=True)
    ExecutionSnapshotFactory(
        budget_line=line_b, as_of=JULY, obligations=60_000_000, disbursements=60_000_000, approved=True
    )
    for division in (first, second):
        DivisionMonthFactory(division=division, as_of=JULY, approved=True)
    publish(bureau, JULY)
    return bureau


def headline_of(bureau):
    return public_execution_headline(
        bureau=bureau, table=public_execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR)
    )


def test_headline_is_the_published_total_against_the_straight_line_pace(bureau):
    headline = headline_of(bureau)
    assert (headline.total.authority, headline.total.disbursements) == (210_000_000, 90_000_000)
    assert headline.total.rate == Decimal("42.9")  # 90 ÷ 210 × 100 = 42.857…, half up
    assert headline.months_elapsed == 7  # 31 July covers July
    assert headline.pace_now == Decimal("58.3")  # no target set: 7 × 100 ÷ 12
    assert headline.total.pace_gap == Decimal("-15.4") and headline.total.is_lagging
    assert [(r.authority, r.disbursements, r.rate) for r in headline.divisions] == [
        (110_000_000, 30_000_000, Decimal("27.3")),
        (100_000_000, 60_000_000, Decimal("60.0")),
    ]
    assert [r.pace for r in headline.rows] == [Decimal("58.3")] * 3


def test_headline_uses_the_targets_the_bureau_set(bureau):
    BudgetPaceTarget.objects.create(bureau=bureau, fiscal_year=FISCAL_YEAR, month=6, target_rate="60.0")
    headline = headline_of(bureau)
    # July lies on the line from June's 60.0 to December's 100: 60 + 40 ÷ 6
    assert headline.pace_now == Decimal("66.7") and not headline.pace.is_straight_line
    assert headline.total.pace_gap == Decimal("-23.8")


def test_a_draft_after_the_edition_changes_nothing(bureau):
    before = headline_of(bureau)
    line = bureau.divisions.get(order=1).budget_lines.get()
    ExecutionSnapshotFactory(
        budget_line=line, as_of=datetime.date(FISCAL_YEAR, 8, 31), obligations=100_000_000, disbursements=100_000_000
    )
    DivisionMonthFactory(division=line.division, as_of=datetime.date(FISCAL_YEAR, 8, 31))
    assert DivisionMonth.objects.filter(division=line.division, status="draft").exists()
    after = headline_of(bureau)
    assert (
        (after.table.as_of, after.total.disbursements, after.total.rate)
        == (before.table.as_of, before.total.disbursements, before.total.rate)
        == (JULY, 90_000_000, Decimal("42.9"))
    )


def test_nothing_published_has_no_headline():
    bureau = BureauFactory()
    BudgetLineFactory(division=DivisionFactory(bureau=bureau))
    assert public_execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR) is None


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_page_shows_the_headline_the_chart_table_and_the_status_table_agree(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("budget:execution")).content.decode()
    chart = table(html, "division-rates-chart-table")
    status = table(html, "execution")
    total = {"authority": chart["rows"][0][1], "disbursements": chart["rows"][0][2], "rate": chart["rows"][0][3]}
    assert chart["rows"][0][1:4] == [status["rows"][0][2], status["rows"][0][3], status["rows"][0][5]]
    for figure, value in total.items():
        assert f'<div data-figure="{figure}"' in html
        headline = html.split(f'<div data-figure="{figure}"', 1)[1].split("</div>", 1)[0]
        assert f'<span class="value">{value}</span>' in headline, figure
    divisions = [row[0] for row in status["rows"][1:] if row[0] in {r[0] for r in chart["rows"]}]
    assert [row[0] for row in chart["rows"][1:]] == divisions and len(divisions) == 5
    assert 'id="division-rates-chart-data"' in html and '<canvas id="division-rates-chart"' in html
