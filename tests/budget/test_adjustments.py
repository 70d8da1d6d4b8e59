"""Budget adjustments (추경, 이월, 전용, 예비비 …): the rules with the named field, the 예산현액 that
follows, the trail and who may record one."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from budget.models import BudgetAdjustment, BudgetLine, ExecutionSnapshot
from budget.services import budget_adjustment_create
from civicbureau.entry import EntryError

pytestmark = pytest.mark.django_db
URL = "/staff/lines/2022/PA-01/adjustments/"
REPORT_DATE = datetime.date(2022, 7, 1)


def user(name):
    return get_user_model().objects.get(username=name)


def line(code="PA-01"):
    return BudgetLine.objects.get(fiscal_year=2022, code=code)


def adjustments():
    return sorted(BudgetAdjustment.objects.values_list("pk", "amount", "effective_on", "reason"))


def test_a_recorded_adjustment_raises_the_budget_authority_and_is_in_the_history(staff_client):
    before = line().budget_authority_on(datetime.date(2022, 12, 31))
    response = staff_client.post(
        URL, {"kind": "supplementary", "amount": "12,000,000", "effective_on": "2022-09-01", "reason": "2회 추경"}
    )
    assert response.status_code == 302
    adjustment = BudgetAdjustment.objects.get(budget_line=line(), reason="2회 추경")
    assert adjustment.amount == 12_000_000
    assert line().budget_authority_on(datetime.date(2022, 12, 31)) == before + 12_000_000
    assert line().budget_authority_on(datetime.date(2022, 8, 31)) == before  # not yet effective
    record = adjustment.history.get()
    assert record.history_user.username == "staff" and record.history_change_reason == "form"
    page = staff_client.get(URL).content.decode()
    assert "2회 추경" in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"amount": "0"}, "금액(원)", "0원인 변경은 넣을 수 없습니다"),
        ({"amount": "1.5"}, "금액(원, 감액은 음수)", "원 단위 정수"),
        ({"effective_on": "2023-01-02"}, "적용일", "회계연도(2022) 밖"),
        ({"reason": ""}, "사유", ""),
    ],
)
def test_a_refused_adjustment_names_the_field_keeps_what_was_typed_and_saves_nothing(
    staff_client, data, field, message
):
    posted = {"kind": "transfer", "amount": "5000000", "effective_on": "2022-09-01", "reason": "전용 승인", **data}
    before = adjustments()
    response = staff_client.post(URL, posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert field in html and message in html
    typed = posted["amount"]  # what was typed is still there, with separators where it is a whole number
    assert f'value="{int(typed):,}"' in html if typed.isdecimal() else f'value="{typed}"' in html
    assert adjustments() == before


def test_a_cut_below_what_is_already_committed_is_refused_naming_the_date():
    pa01 = line()
    snapshot = ExecutionSnapshot.objects.get(budget_line=pa01, as_of=REPORT_DATE)
    committed = snapshot.obligations if snapshot.obligations is not None else snapshot.disbursements
    headroom = pa01.budget_authority_on(REPORT_DATE) - committed
    before = adjustments()
    with pytest.raises(EntryError) as refused:
        budget_adjustment_create(
            user=user("staff"),
            line=pa01,
            kind="transfer",
            amount=-(headroom + 1),
            effective_on=datetime.date(2022, 6, 1),
            reason="전용",
        )
    problem = refused.value.problems[0]
    assert problem.field == "amount" and "2022-07-01" in problem.message and "PA-01" in str(problem)
    assert adjustments() == before
    # the same cut after the last recorded date is allowed: nothing recorded is left over budget
    budget_adjustment_create(
        user=user("staff"),
        line=pa01,
        kind="transfer",
        amount=-(headroom + 1),
        effective_on=datetime.date(2022, 7, 2),
        reason="전용",
    )
    # and a cut that leaves exactly what is committed is allowed on the earlier date too
    other = line("PA-02")
    snapshot = ExecutionSnapshot.objects.get(budget_line=other, as_of=REPORT_DATE)
    committed = snapshot.obligations if snapshot.obligations is not None else snapshot.disbursements
    exact = other.budget_authority_on(REPORT_DATE) - committed
    if exact:
        budget_adjustment_create(
            user=user("staff"),
            line=other,
            kind="transfer",
            amount=-exact,
            effective_on=datetime.date(2022, 6, 1),
            reason="전용",
        )
        assert other.budget_authority_on(REPORT_DATE) == committed


def test_only_the_lines_division_may_record(director_client, client):
    other = line("CO-01")
    for name in ("staff", "bureau", "planning", "admin"):
        with pytest.raises(PermissionDenied):
            budget_adjustment_create(
                user=user(name),
                line=other,
                kind="supplementary",
                amount=1000,
                effective_on=datetime.date(2022, 9, 1),
                reason="x",
            )
    before = adjustments()
    data = {"kind": "supplementary", "amount": "1000", "effective_on": "2022-09-01", "reason": "x"}
    assert director_client.post("/staff/lines/2022/CO-01/adjustments/", data).status_code == 403
    assert director_client.get("/staff/lines/2022/CO-01/adjustments/").status_code == 200  # the bureau's members read
    response = client.post(URL, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert adjustments() == before


def test_the_list_and_the_board_link_the_pages(staff_client):
    board = staff_client.get("/staff/entry/").content.decode()
    for url in ("/staff/adjustments/", "/staff/schedule/", "/staff/indicators/", "/staff/headcount/participation/"):
        assert url in board
    listing = staff_client.get("/staff/adjustments/?year=2022").content.decode()
    assert URL in listing


def test_the_admin_refuses_the_same_cut_and_an_edit_that_lowers_the_authority(client):
    from django.urls import reverse

    client.force_login(user("admin"))
    pa01 = line()
    snapshot = ExecutionSnapshot.objects.get(budget_line=pa01, as_of=REPORT_DATE)
    committed = snapshot.obligations if snapshot.obligations is not None else snapshot.disbursements
    headroom = pa01.budget_authority_on(REPORT_DATE) - committed
    before = adjustments()
    data = {
        "budget_line": pa01.pk,
        "kind": "transfer",
        "amount": -(headroom + 1),
        "effective_on": "2022-06-01",
        "reason": "전용",
    }
    response = client.post(reverse("admin:budget_budgetadjustment_add"), data)
    assert response.status_code == 200 and "2022-07-01 기준 예산현액" in response.content.decode()
    assert adjustments() == before
    # an increase recorded before the date, then moved past it, would leave July's figures uncovered
    raise_ = budget_adjustment_create(
        user=user("staff"),
        line=pa01,
        kind="supplementary",
        amount=headroom + 10,
        effective_on=datetime.date(2022, 6, 1),
        reason="추경",
    )
    budget_adjustment_create(
        user=user("staff"),
        line=pa01,
        kind="transfer",
        amount=-(headroom + 5),
        effective_on=datetime.date(2022, 6, 2),
        reason="전용",
    )
    before = adjustments()
    response = client.post(
        reverse("admin:budget_budgetadjustment_change", args=[raise_.pk]),
        {**data, "amount": raise_.amount, "kind": "supplementary", "effective_on": "2022-07-02"},
    )
    assert response.status_code == 200 and "예산현액" in response.content.decode()
    assert adjustments() == before
