"""The administrator's pages open for every model, and an edit there is recorded with its user."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from budget.models import BudgetPaceTarget, DivisionMonth, ExecutionSnapshot
from budget.services import division_month_correct
from staffing.models import Bureau, Division, Team

pytestmark = pytest.mark.django_db


def reopen(line_code):
    """Open a correction of the (approved, locked) demo month the line belongs to, as a director of its division."""
    from django.contrib.auth import get_user_model

    from staffing.models import Membership

    line_division = ExecutionSnapshot.objects.get(budget_line__code=line_code, as_of="2022-07-01").budget_line.division
    user, _ = get_user_model().objects.get_or_create(username=f"director-{line_division.code}")
    Membership.objects.update_or_create(
        user=user, defaults={"role": "director", "division": line_division, "bureau": line_division.bureau}
    )
    month = DivisionMonth.objects.get(division=line_division, as_of="2022-07-01")
    return division_month_correct(user=user, month=month, version=month.version, reason="관리자 정정 시험")


@pytest.fixture
def admin_client_demo():
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


PROJECT_MODELS = [m for m in admin.site._registry if m._meta.app_label in ("staffing", "budget", "programs")]


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_change_page_open(admin_client_demo, model):
    info = (model._meta.app_label, model._meta.model_name)
    if model is BudgetPaceTarget:  # the report sets no target, so the demo holds none
        BudgetPaceTarget.objects.create(bureau=Bureau.objects.get(), fiscal_year=2022, month=6, target_rate="60.0")
    if model is Team:  # the report gives the number of teams, not their names: the demo registers none
        Team.objects.create(division=Division.objects.get(code="participation"), name="시험팀")
    assert admin_client_demo.get(reverse(f"admin:{info[0]}_{info[1]}_changelist")).status_code == 200
    obj = model.objects.first()
    assert obj is not None, f"the demo holds no {model._meta.label}"
    assert admin_client_demo.get(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])).status_code == 200


def test_an_admin_edit_is_recorded_with_who_and_the_old_value(admin_client_demo):
    reopen("PA-01")
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of="2022-07-01")
    url = reverse("admin:budget_executionsnapshot_change", args=[snapshot.pk])
    response = admin_client_demo.post(
        url,
        {"budget_line": snapshot.budget_line_id, "as_of": "2022-07-01", "obligations": "", "disbursements": "90000000"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest, previous = snapshot.history.order_by("-history_id")[:2]
    assert latest.history_user.username == "admin"
    assert latest.history_change_reason == "admin"
    assert (previous.disbursements, latest.disbursements) == (83_765_000, 90_000_000)
    assert (latest.approved_disbursements) == 83_765_000  # the public figure waits for approval


def test_the_admin_refuses_to_change_an_approved_month(admin_client_demo):
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of="2022-07-01")
    url = reverse("admin:budget_executionsnapshot_change", args=[snapshot.pk])
    response = admin_client_demo.post(
        url,
        {"budget_line": snapshot.budget_line_id, "as_of": "2022-07-01", "obligations": "", "disbursements": "90000000"},
    )
    assert response.status_code == 200
    assert "승인됨 상태여서 고칠 수 없습니다" in response.content.decode()
    snapshot.refresh_from_db()
    assert snapshot.disbursements == 83_765_000


def test_the_admin_refuses_disbursements_above_obligations(admin_client_demo):
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="CO-03", as_of="2022-07-01")
    url = reverse("admin:budget_executionsnapshot_change", args=[snapshot.pk])
    response = admin_client_demo.post(
        url,
        {"budget_line": snapshot.budget_line_id, "as_of": "2022-07-01", "obligations": "100", "disbursements": "200"},
    )
    assert response.status_code == 200
    assert "지출액 누계가 원인행위 누계를 넘을 수 없습니다." in response.content.decode()
    snapshot.refresh_from_db()
    assert snapshot.disbursements == 982_628_000


def test_the_admin_refuses_obligations_above_the_budget_authority(admin_client_demo):
    # 커뮤니티 공간 운영지원: 당초 3,214,758천원 + 560,747천원 adjustment = 예산현액 3,775,505천원
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="CO-01", as_of="2022-07-01")
    url = reverse("admin:budget_executionsnapshot_change", args=[snapshot.pk])
    data = {"budget_line": snapshot.budget_line_id, "as_of": "2022-07-01", "disbursements": "400444000"}
    refused = admin_client_demo.post(url, {**data, "obligations": "3775505001"})
    assert refused.status_code == 200
    assert "예산현액(3,775,505,000원)을 넘습니다" in refused.content.decode()
    reopen("CO-01")
    accepted = admin_client_demo.post(url, {**data, "obligations": "3775505000"})
    assert accepted.status_code == 302


def test_the_admin_sets_a_pace_target_and_refuses_one_that_falls(admin_client_demo):
    bureau = Bureau.objects.get()
    url = reverse("admin:budget_budgetpacetarget_add")
    data = {"bureau": bureau.pk, "fiscal_year": 2022, "month": 6, "target_rate": "60.0"}
    assert admin_client_demo.post(url, data).status_code == 302
    response = admin_client_demo.post(url, {**data, "month": 9, "target_rate": "55.0"})
    assert response.status_code == 200
    assert "누적 목표는 줄어들 수 없습니다: 6월 목표가 60.0%입니다." in response.content.decode()
    response = admin_client_demo.post(url, {**data, "target_rate": "70.0"})
    assert "같은 연도·월의 집행 목표가 이미 있습니다." in response.content.decode()
    assert BudgetPaceTarget.objects.count() == 1


def test_the_admin_holds_a_caution_until_it_is_confirmed_and_records_it(admin_client_demo):
    """The admin is one more entry path: a figure 1,000 times off its previous one waits for '경고 확인'."""
    line = ExecutionSnapshot.objects.get(budget_line__code="PA-03", as_of="2022-07-01").budget_line
    url = reverse("admin:budget_executionsnapshot_add")
    data = {"budget_line": line.pk, "as_of": "2022-07-31", "obligations": "", "disbursements": "40000"}
    held = admin_client_demo.post(url, data)
    assert held.status_code == 200
    assert "확인이 필요합니다" in held.content.decode() and "1,000분의 1" in held.content.decode()
    assert not ExecutionSnapshot.objects.filter(budget_line=line, as_of="2022-07-31").exists()
    assert admin_client_demo.post(url, {**data, "confirm": "on"}).status_code == 302
    saved = ExecutionSnapshot.objects.get(budget_line=line, as_of="2022-07-31")
    record = saved.history.get()
    assert (saved.disbursements, saved.confirmed) == (40_000, "thousandfold:disbursements")
    assert (record.history_user.username, record.history_change_reason) == ("admin", "admin")
    month = DivisionMonth.objects.get(division=line.division, as_of="2022-07-31")
    assert (month.status, month.version) == ("draft", 1)  # through the month, like the grid


def test_an_admin_edit_moves_the_months_version_so_an_open_grid_is_stale(admin_client_demo):
    reopen("PA-01")
    month = DivisionMonth.objects.get(division__code="participation", as_of="2022-07-01")
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of="2022-07-01")
    url = reverse("admin:budget_executionsnapshot_change", args=[snapshot.pk])
    data = {
        "budget_line": snapshot.budget_line_id,
        "as_of": "2022-07-01",
        "obligations": "",
        "disbursements": "90000000",
    }
    assert admin_client_demo.post(url, data).status_code == 302
    assert DivisionMonth.objects.get(pk=month.pk).version == month.version + 1
