"""Issue 16, finding 3: every stored amount and count has a bound no real budget reaches (figures.MAX_WON,
MAX_PEOPLE, MAX_INDICATOR_VALUE), held by the entry forms, the import, the admin, full_clean and the database;
and the public pages sum amounts so that no number of rows at the bound overflows (SQLite's SUM() stops
past 2⁶³). Each test here failed on main before the bounds."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budget.forms import BudgetAdjustmentForm, ExecutionRowForm
from budget.importers.monthly import execution_import
from budget.models import BudgetAdjustment, BudgetLine, ExecutionSnapshot, Publication, PublishedFigure
from budget.selectors.entry import budget_line_authority_list
from budget.selectors.execution import expenditure_summary
from civicbureau import entry, figures
from programs.forms import IndicatorValueForm
from programs.models import IndicatorValue
from staffing.forms import HeadcountRowForm
from staffing.models import Division, HeadcountEntry
from tests import factories
from tests.budget.test_entry import FILLED, JULY, JULY_URL, post_data
from tests.budget.test_import import COL, cell, save, workbook_for
from tests.html_tables import table

pytestmark = pytest.mark.django_db

WON_MESSAGE = "금액은 ±1,000조 원(10¹⁵) 안이어야 합니다."
PEOPLE_MESSAGE = "인원은 100만 명(10⁶) 이하여야 합니다."
ATTACK = 9 * 10**18  # one of the three adjustments that overflowed SUM()
YEAR = factories.FISCAL_YEAR


def admin_client():
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def raw_create(model, **values):
    """A row written without any validation (save() alone, as a bulk path or a bug would)."""
    with transaction.atomic():
        model(**values).save()


# -- a budget adjustment ------------------------------------------------------------------------------


def adjustment_data(amount):
    return {"kind": "supplementary", "amount": amount, "effective_on": f"{YEAR}-03-01", "reason": "시험 추경"}


@pytest.mark.parametrize("amount", [str(ATTACK), f"-{ATTACK}", "1,000,000,000,000,001", "△1000000000000001"])
def test_the_form_refuses_an_adjustment_past_the_bound(amount):
    form = BudgetAdjustmentForm(adjustment_data(amount))
    assert not form.is_valid()
    assert form.errors["amount"] == [WON_MESSAGE]


@pytest.mark.parametrize("amount", ["1,000,000,000,000,000", "△1,000,000,000,000,000"])
def test_the_form_accepts_an_adjustment_at_the_bound(amount):
    form = BudgetAdjustmentForm(adjustment_data(amount))
    assert form.is_valid(), form.errors
    assert abs(form.cleaned_data["amount"]) == figures.MAX_WON


def test_the_staff_page_refuses_an_adjustment_past_the_bound_and_saves_nothing():
    line = BudgetLine.objects.get(code="PA-01")
    client = Client()
    client.force_login(get_user_model().objects.get(username="staff"))
    url = reverse("budget:line_adjustments", args=[line.fiscal_year, line.code])
    before = BudgetAdjustment.objects.count()
    response = client.post(url, {**adjustment_data(str(ATTACK)), "effective_on": "2022-03-01"})
    assert response.status_code == 400
    assert WON_MESSAGE in response.content.decode()
    assert BudgetAdjustment.objects.count() == before


def test_the_admin_refuses_an_adjustment_past_the_bound():
    line = factories.BudgetLineFactory()
    before = BudgetAdjustment.objects.count()
    response = admin_client().post(
        reverse("admin:budget_budgetadjustment_add"), {"budget_line": line.pk, **adjustment_data(str(ATTACK))}
    )
    assert response.status_code == 200
    assert WON_MESSAGE in response.content.decode()
    assert BudgetAdjustment.objects.count() == before


@pytest.mark.parametrize("amount", [ATTACK, -ATTACK, figures.MAX_WON + 1, -figures.MAX_WON - 1])
def test_full_clean_and_the_database_refuse_an_adjustment_past_the_bound(amount):
    line = factories.BudgetLineFactory()
    adjustment = BudgetAdjustment(budget_line=line, kind="supplementary", amount=amount, effective_on=f"{YEAR}-03-01")
    adjustment.reason = "시험"
    with pytest.raises(ValidationError) as refused:
        adjustment.full_clean()
    assert refused.value.message_dict["amount"] == [WON_MESSAGE]
    with pytest.raises(IntegrityError):
        raw_create(
            BudgetAdjustment, budget_line=line, kind="supplementary", amount=amount, effective_on=f"{YEAR}-03-01"
        )
    assert not line.adjustments.exists()


def test_the_database_takes_an_adjustment_at_the_bound():
    line = factories.BudgetLineFactory()
    for amount in (figures.MAX_WON, -figures.MAX_WON):
        raw_create(BudgetAdjustment, budget_line=line, kind="transfer", amount=amount, effective_on=f"{YEAR}-03-01")
    assert line.adjustments.count() == 2


# -- every other amount and count, in the database ---------------------------------------------------


def test_the_database_refuses_each_amount_and_count_past_its_bound():
    """Each bounded column, one past its bound, written without validation: an IntegrityError each."""
    line = factories.BudgetLineFactory()
    division = line.division
    over = figures.MAX_WON + 1
    cases = [
        (BudgetLine, {"division": division, "fiscal_year": YEAR, "code": "T-OVER", "name": "시험 초과", "original_budget": over}),
        (ExecutionSnapshot, {"budget_line": line, "as_of": f"{YEAR}-07-31", "obligations": over, "disbursements": 0}),
        (ExecutionSnapshot, {"budget_line": line, "as_of": f"{YEAR}-07-31", "obligations": None, "disbursements": over}),
        (
            ExecutionSnapshot,
            {"budget_line": line, "as_of": f"{YEAR}-07-31", "disbursements": 0, "approved_disbursements": over},
        ),
        (HeadcountEntry, {"division": division, "grade": factories.GradeFactory(), "as_of": f"{YEAR}-07-01", "quota": figures.MAX_PEOPLE + 1, "current": 0}),
        (HeadcountEntry, {"division": division, "grade": factories.GradeFactory(), "as_of": f"{YEAR}-07-01", "quota": 0, "current": figures.MAX_PEOPLE + 1}),
        (
            IndicatorValue,
            {"indicator": factories.IndicatorFactory(), "as_of": f"{YEAR}-07-01", "value": Decimal(figures.MAX_INDICATOR_VALUE) + 1},
        ),
    ]  # fmt: skip
    for model, values in cases:
        with pytest.raises(IntegrityError):
            raw_create(model, **values)
    publication = Publication.objects.create(
        bureau=division.bureau, as_of=f"{YEAR}-07-31", edition=1, published_at=timezone.now()
    )
    with pytest.raises(IntegrityError):
        raw_create(
            PublishedFigure, publication=publication, budget_line=line, as_of=f"{YEAR}-07-31", disbursements=over
        )


# -- execution figures: the grid, the import, the admin ------------------------------------------------


def test_the_grid_refuses_a_figure_past_the_bound_naming_its_line_and_column(staff_client):
    data = post_data(staff_client, **{**FILLED, "PA-03": ("999,999,999,999,999,999", "1")})
    response = staff_client.post(JULY_URL, data)
    assert response.status_code == 400
    assert f"PA-03 시민참여 플랫폼 운영·관리 · 원인행위 누계(원): {WON_MESSAGE}" in response.content.decode()
    assert not ExecutionSnapshot.objects.filter(as_of=JULY).exists()


def test_the_row_form_takes_the_bound_and_refuses_one_won_more():
    at = ExecutionRowForm({"code": "PA-03", "obligations": "1,000,000,000,000,000", "disbursements": "0"})
    assert at.is_valid(), at.errors
    over = ExecutionRowForm({"code": "PA-03", "obligations": "1,000,000,000,000,001", "disbursements": "0"})
    assert not over.is_valid() and over.errors["obligations"] == [WON_MESSAGE]


def import_csv(changes: dict[str, dict[str, str]]) -> bytes:
    """The July sheet as CSV text, some cells replaced: {"PA-03": {"obligations": "…"}}."""
    workbook = workbook_for()
    sheet = workbook["실적"]
    lines = []
    for row in sheet.iter_rows(values_only=True):
        values = ["" if v is None else str(v) for v in row]
        for key, value in changes.get(values[0], {}).items():
            values[COL[key] - 1] = value
        lines.append(",".join(f'"{v}"' for v in values))
    return "\n".join(lines).encode("utf-8")


def test_the_import_names_a_cell_past_the_bound_with_the_other_problems():
    content = import_csv(
        {"PA-03": {"obligations": "999,999,999,999,999,999"}, "PA-05": {"disbursements": "약 30만"}, "PA-06": {"obligations": "9" * 5000}}
    )  # fmt: skip
    before = ExecutionSnapshot.history.count()
    for dry_run in (True, False):
        result = execution_import(user=get_user_model().objects.get(username="staff"), content=content, filename="july.csv", dry_run=dry_run)  # fmt: skip
        assert not result.applied
        assert [(p.row, p.field, p.message) for p in result.problems] == [
            ("4행", "obligations", WON_MESSAGE),
            ("6행", "disbursements", "숫자가 아닙니다: '약 30만'"),
            ("7행", "obligations", WON_MESSAGE),
        ]
    assert ExecutionSnapshot.history.count() == before
    assert not ExecutionSnapshot.objects.filter(as_of=JULY).exists()


def test_the_import_refuses_an_xlsx_number_past_the_bound():
    workbook = workbook_for()
    cell(workbook, "PA-03", "obligations").value = 999_999_999_999_999_999
    result = execution_import(
        user=get_user_model().objects.get(username="staff"), content=save(workbook), filename="july.xlsx", dry_run=True
    )
    assert [(p.row, p.field, p.message) for p in result.problems] == [("4행", "obligations", WON_MESSAGE)]


def test_the_admin_refuses_a_snapshot_past_the_bound():
    line = factories.BudgetLineFactory()
    before = ExecutionSnapshot.objects.count()
    response = admin_client().post(
        reverse("admin:budget_executionsnapshot_add"),
        {"budget_line": line.pk, "as_of": f"{YEAR}-07-31", "obligations": str(ATTACK), "disbursements": "0"},
    )
    assert response.status_code == 200
    assert WON_MESSAGE in response.content.decode()
    assert ExecutionSnapshot.objects.count() == before


# -- people and indicator values ------------------------------------------------------------------------


def test_headcount_past_the_bound_is_refused_by_the_grid_full_clean_and_the_admin():
    form = HeadcountRowForm({"grade": "x", "quota": str(figures.MAX_PEOPLE + 1), "current": "1000000"})
    assert not form.is_valid()
    assert form.errors == {"quota": [PEOPLE_MESSAGE]}
    entry_row = HeadcountEntry(
        division=factories.DivisionFactory(), grade=factories.GradeFactory(), as_of=f"{YEAR}-07-01"
    )
    entry_row.quota, entry_row.current = 3, figures.MAX_PEOPLE + 1
    with pytest.raises(ValidationError) as refused:
        entry_row.full_clean()
    assert refused.value.message_dict == {"current": [PEOPLE_MESSAGE]}
    division = Division.objects.get(code="participation")
    before = HeadcountEntry.objects.count()
    response = admin_client().post(
        reverse("admin:staffing_headcountentry_add"),
        {
            "division": division.pk,
            "grade": factories.GradeFactory().pk,
            "as_of": "2022-08-01",
            "quota": str(10**9),
            "current": "1",
        },
    )
    assert response.status_code == 200 and PEOPLE_MESSAGE in response.content.decode()
    assert HeadcountEntry.objects.count() == before


def test_an_indicator_value_past_its_bound_is_refused():
    data = {"as_of": f"{YEAR}-07-01", "value": "10000000000000.01"}
    form = IndicatorValueForm(data)
    assert not form.is_valid() and form.errors["value"] == [str(entry.INDICATOR_OUT_OF_BOUNDS)]
    assert IndicatorValueForm({**data, "value": "-9999999999999.99"}).is_valid()


# -- sums that cannot overflow --------------------------------------------------------------------------

MANY = 9_300  # rows at the bound: their sum passes 2⁶³ (9.22 × 10¹⁸), where SQLite's SUM() stops


def rows(html: str, container: str) -> dict[str, list[str]]:
    """A page's table by its first cell: {name: [name, 당초예산, 예산현액, …]}."""
    return {row[0]: row for row in table(html, container)["rows"]}


def thousand_won(won: int) -> str:
    return f"{figures.in_unit(won, 1000):,}"


@pytest.fixture
def bounded_bureau_year(bureau):
    """The demo bureau's next year, published: three lines at the bound, one of them with MANY adjustments at
    the bound, published by that edition (written in bulk, as nobody would type them, but the pages must
    answer however they came to be)."""
    division = Division.objects.get(code="participation")
    lines = [factories.BudgetLineFactory(division=division, original_budget=figures.MAX_WON, order=n) for n in range(3)]
    for line in lines:
        factories.ExecutionSnapshotFactory(
            budget_line=line, obligations=figures.MAX_WON, disbursements=figures.MAX_WON, approved=True
        )
    factories.DivisionMonthFactory(division=division, approved=True)
    publication = factories.publish(bureau, datetime.date(YEAR, 7, 31), reason="시험")
    BudgetAdjustment.objects.bulk_create(
        BudgetAdjustment(
            budget_line=lines[0],
            kind="supplementary",
            amount=figures.MAX_WON,
            effective_on=datetime.date(YEAR, 1, 1) + datetime.timedelta(days=n % 180),
            reason="시험",
            published_in=publication,
        )
        for n in range(MANY)
    )
    return lines


def test_the_public_pages_answer_with_many_adjustments_at_the_bound(client, bounded_bureau_year):
    authority = figures.MAX_WON * (MANY + 1)
    total_authority = authority + 2 * figures.MAX_WON
    for url in (f"/execution/?year={YEAR}", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        table = rows(response.content.decode(), "execution")
        line = table[bounded_bureau_year[0].name]
        assert line[1:3] == [thousand_won(figures.MAX_WON), thousand_won(authority)], url
        assert table["합계"][1:3] == [thousand_won(3 * figures.MAX_WON), thousand_won(total_authority)], url
    assert total_authority > 2**63
    listed = {
        a.line.code: a
        for a in budget_line_authority_list(
            lines=BudgetLine.objects.filter(pk__in=[line.pk for line in bounded_bureau_year])
        )
    }
    first = listed[bounded_bureau_year[0].code]
    assert (first.adjustment_count, first.adjusted, first.authority) == (MANY, MANY * figures.MAX_WON, authority)


def test_the_city_page_and_the_expenditure_summary_sum_many_lines_at_the_bound(client):
    bureau = factories.BureauFactory()
    division = factories.DivisionFactory(bureau=bureau)
    BudgetLine.objects.bulk_create(
        BudgetLine(division=division, fiscal_year=YEAR, code=f"T-MANY-{n}", name=f"시험 한도 {n}", order=n % 1000, original_budget=figures.MAX_WON)
        for n in range(MANY)
    )  # fmt: skip
    reported = factories.BudgetLineFactory(division=division, original_budget=figures.MAX_WON, order=0)
    factories.ExecutionSnapshotFactory(budget_line=reported, approved=True)
    factories.DivisionMonthFactory(division=division, approved=True)
    factories.publish(bureau, datetime.date(YEAR, 7, 31))
    total = (MANY + 1) * figures.MAX_WON
    assert total > 2**63
    response = client.get(f"/execution/city/?year={YEAR}")
    assert response.status_code == 200
    totals = rows(response.content.decode(), "city-totals")
    assert totals[bureau.name][2:4] == [thousand_won(total), thousand_won(total)]
    summary = expenditure_summary(bureau=bureau, fiscal_year=YEAR, base_year=YEAR - 1)
    assert (summary[0].current, summary[1].current) == (total, total)


def test_an_adjustment_that_takes_the_lines_authority_past_the_bound_is_refused():
    line = factories.BudgetLineFactory(original_budget=figures.MAX_WON - 10)
    factories.BudgetAdjustmentFactory(budget_line=line, amount=10, effective_on=datetime.date(YEAR, 3, 1))
    factories.BudgetAdjustmentFactory(budget_line=line, amount=-5, effective_on=datetime.date(YEAR, 6, 1))
    for day, amount in ((datetime.date(YEAR, 2, 1), 1), (datetime.date(YEAR, 9, 1), 6)):
        adjustment = BudgetAdjustment(budget_line=line, kind="supplementary", amount=amount, effective_on=day)
        adjustment.reason = "시험"
        with pytest.raises(ValidationError) as refused:
            adjustment.full_clean()
        assert refused.value.message_dict["amount"] == [
            f"변경 후 {day.isoformat() if amount == 6 else f'{YEAR}-03-01'} 기준 예산현액"
            f"({figures.MAX_WON + 1:,}원)이 ±1,000조 원(10¹⁵)을 넘습니다."
        ]
    factories.BudgetAdjustmentFactory(budget_line=line, amount=5, effective_on=datetime.date(YEAR, 9, 1))
    assert line.budget_authority_on(datetime.date(YEAR, 12, 31)) == figures.MAX_WON
