"""The execution table (budget.selectors.execution and .public) on a small bureau built by factories: every
row is the factory figures summed by hand, and the approved-only (public) table never shows a month that is
not approved."""

import datetime
from decimal import Decimal

import pytest

from budget.selectors import execution, public
from budget.services import (
    ExecutionInput,
    division_month_approve,
    division_month_correct,
    division_month_submit,
    execution_month_save,
)
from tests.factories import (
    FISCAL_YEAR,
    BudgetAdjustmentFactory,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    member,
    publish,
)

pytestmark = pytest.mark.django_db

JUNE = datetime.date(FISCAL_YEAR, 6, 30)
JULY = datetime.date(FISCAL_YEAR, 7, 31)
AUGUST = datetime.date(FISCAL_YEAR, 8, 31)


def rows(table):
    """Every row of a table, whole: level, name, code and every figure shown for it."""
    return [
        (r.level, str(r.name), r.code, r.original, r.authority, r.obligations, r.disbursements, r.balance, r.rate)
        for r in table.rows
    ]


@pytest.fixture
def small_bureau(db):
    """Two divisions, four lines of the year and one of the next; adjustments and snapshots before, on and
    after the table's date (July 31)."""
    bureau = BureauFactory()
    first = DivisionFactory(bureau=bureau, order=1)
    second = DivisionFactory(bureau=bureau, order=2)
    a1 = BudgetLineFactory(division=first, order=1, original_budget=120_000_000)
    a2 = BudgetLineFactory(division=first, order=2, original_budget=45_500_000, is_basic_expense=True)
    b1 = BudgetLineFactory(division=second, order=1, original_budget=300_000_000)
    b2 = BudgetLineFactory(division=second, order=2, original_budget=7_250_000)
    next_year = BudgetLineFactory(division=first, order=3, fiscal_year=FISCAL_YEAR + 1, original_budget=999_000_000)

    BudgetAdjustmentFactory(budget_line=a1, amount=30_000_000, effective_on=datetime.date(FISCAL_YEAR, 3, 1))
    BudgetAdjustmentFactory(budget_line=a1, amount=-5_000_000, effective_on=datetime.date(FISCAL_YEAR, 9, 1))
    BudgetAdjustmentFactory(budget_line=b1, amount=12_345_000, effective_on=JULY)  # on the date: counts
    BudgetAdjustmentFactory(budget_line=b1, amount=1_000_000, effective_on=datetime.date(FISCAL_YEAR, 8, 1))

    ExecutionSnapshotFactory(budget_line=a1, as_of=JUNE, obligations=50_000_000, disbursements=40_000_000)
    ExecutionSnapshotFactory(budget_line=a1, as_of=JULY, obligations=90_000_000, disbursements=70_000_000)
    ExecutionSnapshotFactory(budget_line=a2, as_of=JUNE, obligations=25_000_000, disbursements=20_000_000)
    ExecutionSnapshotFactory(budget_line=b1, as_of=JULY, obligations=200_000_000, disbursements=150_000_000)
    ExecutionSnapshotFactory(budget_line=b1, as_of=AUGUST, obligations=250_000_000, disbursements=210_000_000)
    ExecutionSnapshotFactory(
        budget_line=next_year, as_of=datetime.date(FISCAL_YEAR + 1, 7, 31), obligations=1, disbursements=1
    )
    return bureau, (first, second), (a1, a2, b1, b2)


def test_every_row_is_the_hand_summed_factory_figures(small_bureau):
    bureau, (first, second), (a1, a2, b1, b2) = small_bureau
    table = execution.execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR, as_of=JULY)
    # 예산현액 = original + adjustments effective by July 31; figures: each line's latest snapshot by then;
    # balance = 예산현액 − disbursed; rate = disbursed ÷ 예산현액 × 100, half up to one decimal.
    # a1: 120,000,000 + 30,000,000 (the −5,000,000 of Sep 1 is later); July's snapshot, not June's
    # a2: no adjustment; June's snapshot is its latest by July 31
    # b1: 300,000,000 + 12,345,000 (effective on the date; Aug 1's is later); August's snapshot is later
    # b2: nothing reported: disbursed 0, obligations unknown, so its division's and the total's are unknown
    assert rows(table) == [
        ("total", "합계", "", 472_750_000, 515_095_000, None, 240_000_000, 275_095_000, Decimal("46.6")),
        ("division", first.name, first.code, 165_500_000, 195_500_000, 115_000_000, 90_000_000, 105_500_000, Decimal("46.0")),
        ("line", a1.name, a1.code, 120_000_000, 150_000_000, 90_000_000, 70_000_000, 80_000_000, Decimal("46.7")),
        ("line", a2.name, a2.code, 45_500_000, 45_500_000, 25_000_000, 20_000_000, 25_500_000, Decimal("44.0")),
        ("division", second.name, second.code, 307_250_000, 319_595_000, None, 150_000_000, 169_595_000, Decimal("46.9")),
        ("line", b1.name, b1.code, 300_000_000, 312_345_000, 200_000_000, 150_000_000, 162_345_000, Decimal("48.0")),
        ("line", b2.name, b2.code, 7_250_000, 7_250_000, None, 0, 7_250_000, Decimal("0.0")),
    ]  # fmt: skip
    assert [r.snapshot_as_of for r in table.rows if r.level == "line"] == [JULY, JUNE, JULY, None]
    assert [r.is_basic_expense for r in table.rows if r.level == "line"] == [False, True, False, False]


def test_one_division_and_a_later_date(small_bureau):
    bureau, (first, second), (a1, a2, b1, b2) = small_bureau
    only_second = execution.execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR, as_of=JULY, division=second)
    # with a division, its own total comes first (the table's total row is the division's sum)
    assert [r[:7] for r in rows(only_second)] == [
        ("total", "합계", "", 307_250_000, 319_595_000, None, 150_000_000),
        ("division", second.name, second.code, 307_250_000, 319_595_000, None, 150_000_000),
        ("line", b1.name, b1.code, 300_000_000, 312_345_000, 200_000_000, 150_000_000),
        ("line", b2.name, b2.code, 7_250_000, 7_250_000, None, 0),
    ]
    # no date given: the latest with figures in the year (b1's August snapshot; the next year's is not counted)
    latest = execution.execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR)
    assert latest.as_of == AUGUST
    by_code = {r.code: r for r in latest.rows if r.level == "line"}
    assert (by_code[b1.code].authority, by_code[b1.code].disbursements) == (313_345_000, 210_000_000)
    assert (by_code[a1.code].authority, by_code[a1.code].disbursements) == (150_000_000, 70_000_000)


def line_figures(table):
    return {r.code: (r.obligations, r.disbursements) for r in table.rows if r.level == "line"}


def test_the_public_table_shows_published_editions_only(db):
    """Staff enter June, the director approves it, planning publishes it; July is then saved as a draft and
    June reopened for a correction: the public table keeps June's first edition until the correction is
    approved and published as edition 2, and edition 1 stays citable."""
    bureau = BureauFactory()
    first = DivisionFactory(bureau=bureau, order=1)
    second = DivisionFactory(bureau=bureau, order=2)
    p1 = BudgetLineFactory(division=first, order=1, original_budget=80_000_000)
    p2 = BudgetLineFactory(division=first, order=2, original_budget=20_000_000)
    q1 = BudgetLineFactory(division=second, order=1, original_budget=50_000_000)
    # the second division's June: approved (snapshot first: an approved month refuses new figures)
    ExecutionSnapshotFactory(budget_line=q1, as_of=JUNE, obligations=9_000_000, disbursements=8_000_000, approved=True)
    DivisionMonthFactory(division=second, as_of=JUNE, approved=True)
    staff = member("staff", division=first)
    director = member("director", division=first)

    def save(as_of, figures, version):
        rows = [ExecutionInput(code=line.code, obligations=o, disbursements=d) for line, (o, d) in figures.items()]
        return execution_month_save(user=staff, division=first, as_of=as_of, rows=rows, version=version)

    june = save(JUNE, {p1: (30_000_000, 25_000_000), p2: (4_000_000, 4_000_000)}, 0)
    june = division_month_submit(user=staff, month=june, version=june.version)
    june = division_month_approve(user=director, month=june, version=june.version)
    approved_june = {
        p1.code: (30_000_000, 25_000_000),
        p2.code: (4_000_000, 4_000_000),
        q1.code: (9_000_000, 8_000_000),
    }

    save(JULY, {p1: (60_000_000, 41_000_000), p2: (7_000_000, 6_500_000)}, 0)  # a draft
    june = division_month_correct(user=staff, month=june, version=june.version, reason="지출액 오기")
    assert public.public_execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR) is None  # approved, not published
    first_edition = publish(bureau, JUNE)
    june = save(JUNE, {p1: (30_000_000, 26_000_000), p2: (4_000_000, 4_000_000)}, june.version)  # not approved yet

    public_table = public.public_execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR)
    assert (public_table.as_of, public_table.publication) == (JUNE, first_edition)
    assert line_figures(public_table) == approved_june
    assert (public_table.total.obligations, public_table.total.disbursements) == (43_000_000, 37_000_000)
    july = public.public_execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR, on_or_before=JULY)
    assert (july.as_of, line_figures(july)) == (JUNE, approved_june)  # asked for July: June's edition
    # staff's own table shows the work in progress
    internal_june = execution.execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR, as_of=JUNE)
    internal_july = execution.execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR, as_of=JULY)
    assert line_figures(internal_june) == {**approved_june, p1.code: (30_000_000, 26_000_000)}
    assert line_figures(internal_july) == {
        p1.code: (60_000_000, 41_000_000),
        p2.code: (7_000_000, 6_500_000),
        q1.code: (9_000_000, 8_000_000),
    }

    # the correction approved: public once published, as edition 2; July, still a draft, is not
    june = division_month_submit(user=staff, month=june, version=june.version)
    division_month_approve(user=director, month=june, version=june.version)
    assert line_figures(public.public_execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR)) == approved_june
    second_edition = publish(bureau, JUNE, reason="지출액 오기 정정")
    public_table = public.public_execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR)
    assert (public_table.as_of, public_table.publication.edition) == (JUNE, 2) and second_edition.edition == 2
    assert line_figures(public_table) == {**approved_june, p1.code: (30_000_000, 26_000_000)}
    cited = public.public_execution_table(bureau=bureau, fiscal_year=FISCAL_YEAR, edition=1)
    assert (cited.publication, line_figures(cited)) == (first_edition, approved_june)  # edition 1 stays citable
