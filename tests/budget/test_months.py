"""Division-months: the demo's are approved, public reads see approved figures only, and the audited
models refuse writes that would skip the history."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from budget.models import BudgetAdjustment, DivisionMonth, ExecutionSnapshot
from budget.selectors.execution import execution_latest_date, execution_table
from budget.selectors.public import public_execution_table
from civicbureau.audit import AuditBypassError
from demo.loader import load_demo
from staffing.models import Division, HeadcountEntry
from staffing.permissions import APPROVE, EDIT, VIEW, can_approve, can_edit_division, restrict

pytestmark = pytest.mark.django_db
JULY_1 = datetime.date(2022, 7, 1)


def user(name):
    return get_user_model().objects.get(username=name)


def test_the_loader_creates_one_approved_month_per_division_and_a_second_load_changes_nothing(bureau):
    months = DivisionMonth.objects.filter(as_of=JULY_1)
    assert months.count() == bureau.divisions.count() == 5
    assert set(months.values_list("status", "revision", "approved_revision")) == {("approved", 1, 1)}
    before = DivisionMonth.history.count()
    load_demo()
    assert DivisionMonth.history.count() == before


def test_public_reads_see_published_figures_only(bureau):
    line = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY_1).budget_line
    draft = ExecutionSnapshot(
        budget_line=line, as_of=datetime.date(2022, 7, 31), obligations=90_000_000, disbursements=90_000_000
    )
    draft.save()
    assert execution_latest_date(bureau=bureau, fiscal_year=2022) == datetime.date(2022, 7, 31)
    everything = execution_table(bureau=bureau, fiscal_year=2022, as_of=datetime.date(2022, 7, 31))
    published = public_execution_table(bureau=bureau, fiscal_year=2022, on_or_before=datetime.date(2022, 7, 31))
    row = {r.code: r for r in everything.rows}["PA-01"]
    published_row = {r.code: r for r in published.rows}["PA-01"]
    assert published.as_of == JULY_1
    assert (row.disbursements, published_row.disbursements) == (90_000_000, 83_765_000)


@pytest.mark.parametrize(
    "url",
    [
        "/execution/?year=2022",
        "/execution/?year=2022&as_of=2022-07",
        "/execution.csv?year=2022",
        "/execution.json?year=2022",
        "/",
    ],
)
def test_public_pages_do_not_show_a_month_before_it_is_approved(client, bureau, url):
    """A draft month (a staff save of July) stays off every public table: the date and the figures
    shown are still those of the last approved month (’22. 7. 1.), in the page and in the files."""
    line = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY_1).budget_line
    ExecutionSnapshot(
        budget_line=line, as_of=datetime.date(2022, 7, 31), obligations=90_123_000, disbursements=90_123_000
    ).save()
    body = client.get(url).content.decode("utf-8-sig")
    assert "90,123" not in body and "90123" not in body  # the draft's figures, in 천원 or in 원
    assert "83,765" in body or "83765" in body  # PA-01's approved 지출액 as of ’22. 7. 1.
    assert "2022-07-31" not in body and "7. 31.기준" not in body  # (’22. 7. 31. may name the limit asked for)


def test_permissions_by_role():
    participation, community = (
        Division.objects.get(code="participation"),
        Division.objects.exclude(code="participation").first(),
    )
    assert can_edit_division(user("staff"), participation) and not can_edit_division(user("staff"), community)
    assert not can_approve(user("staff"), participation)
    assert can_approve(user("director"), participation) and not can_approve(user("director"), community)
    for name in ("bureau", "planning"):
        assert can_approve(user(name), community) and not can_edit_division(user(name), community)
    assert not can_edit_division(user("admin"), participation) and not can_approve(user("admin"), participation)
    months = DivisionMonth.objects.all()
    assert set(restrict(months, user("staff"), EDIT).values_list("division__code", flat=True)) == {"participation"}
    assert restrict(months, user("staff"), VIEW).count() == 5
    assert restrict(months, user("planning"), APPROVE).count() == 5
    assert restrict(months, user("director"), APPROVE).count() == 1
    from django.contrib.auth.models import AnonymousUser

    assert restrict(months, AnonymousUser(), VIEW).count() == 0


def _audited_models():
    """Every model of ours that keeps a history: all of them must refuse writes that skip it."""
    from django.apps import apps

    return [
        model
        for app in ("staffing", "budget", "programs")
        for model in apps.get_app_config(app).get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    ]


def test_the_money_and_people_models_are_all_audited():
    assert {ExecutionSnapshot, BudgetAdjustment, DivisionMonth, HeadcountEntry} <= set(_audited_models())
    assert len(_audited_models()) >= 15


@pytest.mark.parametrize("model", _audited_models(), ids=lambda m: m.__name__)
def test_audited_models_refuse_writes_without_history(model):
    with pytest.raises(AuditBypassError):
        model.objects.all().update(pk=1)
    with pytest.raises(AuditBypassError):
        model.objects.bulk_update(list(model.objects.all()[:1]), ["pk"])


def test_bulk_create_records_each_row():
    line = ExecutionSnapshot.objects.get(budget_line__code="PA-02", as_of=JULY_1).budget_line
    rows = [
        ExecutionSnapshot(budget_line=line, as_of=datetime.date(2022, m, 28), obligations=None, disbursements=m)
        for m in (8, 9)
    ]
    created = ExecutionSnapshot.objects.bulk_create(rows)
    for snapshot in created:
        assert list(snapshot.history.values_list("history_change_reason", flat=True)) == ["bulk"]
