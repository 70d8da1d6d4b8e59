"""Entering a division's month: the grid, the rules with named rows and fields, submission and approval,
optimistic locking, and the trail."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from budget.models import DivisionMonth, ExecutionSnapshot
from budget.selectors.public import public_execution_table
from budget.services import ExecutionInput, division_month_approve, execution_month_save
from civicbureau.entry import EntryError
from staffing.models import Division
from tests.factories import publish

pytestmark = pytest.mark.django_db
JULY = datetime.date(2022, 7, 31)
JULY_URL = "/staff/entry/participation/2022-07-31/"


def post_data(client, url=JULY_URL, **changes):
    """The grid as the page sends it, with some cells changed: {"PA-01": ("100", "50")}."""
    response = client.get(url)
    formset = response.context["formset"]
    data = {"version": response.context["version_form"].initial["version"]}
    data.update({f"rows-{k}": v for k, v in formset.management_form.initial.items()})
    for form in formset.forms:
        code = form.initial["code"]
        obligations, disbursements = changes.get(code, (form.initial["obligations"], form.initial["disbursements"]))
        data.update(
            {
                f"{form.prefix}-code": code,
                f"{form.prefix}-obligations": "" if obligations is None else obligations,
                f"{form.prefix}-disbursements": "" if disbursements is None else disbursements,
            }
        )
    return data


FILLED = {
    "PA-01": ("100000000", "90000000"),
    "PA-02": ("300000000", "291942000"),
    "PA-03": ("40000000", "37729000"),
    "PA-05": ("7000000", "7000000"),
    "PA-06": ("90,000,000", "86,062,000"),  # thousands separators are accepted
}


def july_rows(**overrides):
    lines = Division.objects.get(code="participation").budget_lines.filter(fiscal_year=2022).order_by("order")
    rows = []
    for line in lines:
        snapshot = line.snapshots.get(as_of="2022-07-01")
        obligations = snapshot.obligations if snapshot.obligations is not None else snapshot.disbursements
        rows.append(ExecutionInput(code=line.code, obligations=obligations, disbursements=snapshot.disbursements))
    return [ExecutionInput(r.code, *overrides.get(r.code, (r.obligations, r.disbursements))) for r in rows]


def user(name):
    return get_user_model().objects.get(username=name)


def participation_month(as_of, *, approved=False, **overrides):
    """시민참여과's month at `as_of` as its staff save it (the report's figures, with `overrides` by code),
    then, with `approved`, submit it and its director approves it, through the services."""
    from budget.services import division_month_submit

    division = Division.objects.get(code="participation")
    month = execution_month_save(
        user=user("staff"), division=division, as_of=as_of, rows=july_rows(**overrides), version=0
    )
    if approved:
        month = division_month_submit(user=user("staff"), month=month, version=month.version)
        month = division_month_approve(user=user("director"), month=month, version=month.version)
    return month


def test_the_grid_shows_every_line_with_authority_and_previous_figures(staff_client):
    response = staff_client.get(JULY_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-code="PA-') == Division.objects.get(code="participation").budget_lines.count()
    assert "작성 중" not in html and "미입력" in html
    row = response.context["grid"].rows[0]
    assert (row.line.code, row.previous_disbursements) == ("PA-01", 83_765_000)


def test_the_grid_is_typed_in_won_with_separators_and_shows_the_reports_thousand_won_beside(staff_client):
    html = staff_client.get(JULY_URL).content.decode()
    # PA-01 opens from the previous period's 83,765,000 won: in won with separators, 83,765 천원 beside it
    assert re.search(r'<input[^>]*value="83,765,000"[^>]*id="id_rows-0-disbursements"', html)
    assert '<output for="id_rows-0-disbursements">83,765</output><span class="u"> 천원</span>' in html
    assert "원으로 입력, 아래는 천원" in html and "단위 : 원, 천원, %" in html
    data = post_data(staff_client, **{**FILLED, "PA-01": ("100,000,000", "90000500")})  # both forms accepted
    assert staff_client.post(JULY_URL, data).status_code == 302
    assert ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY).disbursements == 90_000_500
    saved = staff_client.get(JULY_URL).content.decode()
    assert re.search(r'value="90,000,500"[^>]*id="id_rows-0-disbursements"', saved)
    assert (
        '<output for="id_rows-0-disbursements">90,001</output><span class="u"> 천원</span>' in saved
    )  # half up, as the report


def test_a_locked_month_names_its_unit_as_thousand_won(staff_client):
    participation_month(JULY, approved=True)
    html = staff_client.get(JULY_URL).content.decode()
    assert 'name="rows-0-disbursements"' not in html
    header = re.search(r'<th scope="colgroup" colspan="2" id="entry-unit">(.*?)</th>', html, re.S).group(1)
    assert "천원" in header and "원으로 입력" not in header  # the figures shown there are 천원, and say so
    assert "<td>37,729</td>" in html  # PA-03's disbursements, 37,729,000 won


def test_a_save_then_submit_then_approve_then_publish_reaches_the_public_table(staff_client, director_client, bureau):
    data = post_data(staff_client, **FILLED)
    response = staff_client.post(JULY_URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    month = DivisionMonth.objects.get(division__code="participation", as_of=JULY)
    assert (month.status, month.version, month.revision) == ("draft", 1, 1)
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY)
    assert (snapshot.obligations, snapshot.disbursements, snapshot.approved_disbursements) == (
        100_000_000,
        90_000_000,
        None,
    )
    assert snapshot.history.first().history_change_reason == "form"
    summary = staff_client.post(JULY_URL + "submit/", {"version": 1})  # asks first, with the month's summary
    assert summary.status_code == 200 and 'id="submit-summary"' in summary.content.decode()
    assert DivisionMonth.objects.get(division__code="participation", as_of=JULY).status == "draft"
    assert staff_client.post(JULY_URL + "submit/", {"version": 1, "confirmed": "1"}).status_code == 302
    assert public_execution_table(bureau=bureau, fiscal_year=2022).as_of == datetime.date(2022, 7, 1)
    assert director_client.post(JULY_URL + "approve/", {"version": 2}).status_code == 302
    month.refresh_from_db()
    assert (month.status, month.approved_revision) == ("approved", 1)
    assert public_execution_table(bureau=bureau, fiscal_year=2022).as_of == datetime.date(2022, 7, 1)
    assert "90,000" not in staff_client.get("/").content.decode()  # approved is not yet published
    publish(bureau, JULY, reason="시민참여과만 먼저 공표")
    table = public_execution_table(bureau=bureau, fiscal_year=2022)
    assert table.as_of == JULY
    rows = {r.code: r for r in table.rows}
    assert rows["PA-01"].disbursements == 90_000_000
    assert rows["deliberative-budget"].disbursements is None and not rows["deliberative-budget"].is_reported  # 미보고
    assert "90,000" in staff_client.get("/").content.decode()


def test_a_bad_cell_names_the_line_and_field_keeps_what_was_typed_and_saves_nothing(staff_client):
    data = post_data(staff_client, **{**FILLED, "PA-02": ("100", "200")})
    response = staff_client.post(JULY_URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "PA-02 시민제안 발굴 및 실행 · 지출액 누계(원): 지출액 누계가 원인행위 누계를 넘을 수 없습니다." in html
    assert 'value="90,000,000"' in html  # PA-01 as typed, with separators
    assert not DivisionMonth.objects.filter(as_of=JULY).exists()
    assert not ExecutionSnapshot.objects.filter(as_of=JULY).exists()


@pytest.mark.parametrize(
    "cell, message",
    [
        (("abc", "1"), "원 단위 정수를 입력하세요."),
        (("-5", "0"), "금액은 0원 이상이어야 합니다."),
        (("999999999999", "1"), "예산현액"),
        (("1", ""), "값이 필요합니다"),
    ],
)
def test_each_rule_is_named_on_the_form(staff_client, cell, message):
    response = staff_client.post(JULY_URL, post_data(staff_client, **{**FILLED, "PA-03": cell}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "PA-03 시민참여 플랫폼 운영·관리 · " in html
    assert message in html
    assert not ExecutionSnapshot.objects.filter(as_of=JULY).exists()


def test_a_save_without_a_version_is_refused(staff_client):
    data = post_data(staff_client, **FILLED)
    del data["version"]
    response = staff_client.post(JULY_URL, data)
    assert response.status_code == 400
    assert "어느 버전에서 시작한 수정인지" in response.content.decode()
    assert not ExecutionSnapshot.objects.filter(as_of=JULY).exists()
    with pytest.raises(EntryError):
        execution_month_save(
            user=user("staff"),
            division=Division.objects.get(code="participation"),
            as_of=JULY,
            rows=july_rows(),
            version=None,
        )


def test_the_second_of_two_editors_is_refused_with_what_changed(staff_client, director_client):
    first = post_data(staff_client, **FILLED)
    second = post_data(director_client, **{**FILLED, "PA-01": ("100000000", "95000000")})
    assert staff_client.post(JULY_URL, first).status_code == 302
    month = DivisionMonth.objects.get(as_of=JULY)
    # both started from version 1 of the draft
    staff_again = post_data(staff_client, **{**FILLED, "PA-02": ("300000000", "299000000")})
    director_again = post_data(director_client, **{**FILLED, "PA-01": ("100000000", "95000000")})
    assert staff_client.post(JULY_URL, staff_again).status_code == 302
    response = director_client.post(JULY_URL, director_again)
    assert response.status_code == 400
    html = response.content.decode()
    assert "다른 사람이 그 사이에 이 달을 바꿨습니다 (버전 1 → 2)" in html
    assert "staff: PA-02 지출액 누계(원) 291,942,000 → 299,000,000" in html
    assert ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY).disbursements == 90_000_000
    month.refresh_from_db()
    assert month.version == 2
    assert second["version"] == 0  # the director's first page started before the month existed
    assert director_client.post(JULY_URL, second).status_code == 400


def test_approved_month_is_locked_and_a_correction_is_a_new_revision(staff_client, director_client, bureau):
    participation = Division.objects.get(code="participation")
    month = execution_month_save(user=user("staff"), division=participation, as_of=JULY, rows=july_rows(), version=0)
    from budget.services import division_month_correct, division_month_return, division_month_submit

    month = division_month_submit(user=user("staff"), month=month, version=1)
    with pytest.raises(EntryError, match="제출됨 상태의 달은 고칠 수 없습니다"):
        execution_month_save(user=user("staff"), division=participation, as_of=JULY, rows=july_rows(), version=2)
    month = division_month_return(user=user("bureau"), month=month, version=2, reason="PA-01 확인 바랍니다")
    assert (month.status, month.reason) == ("returned", "PA-01 확인 바랍니다")
    month = division_month_submit(user=user("staff"), month=month, version=3)
    month = division_month_approve(user=user("planning"), month=month, version=4)
    publish(bureau, JULY, reason="시민참여과만 먼저 공표")
    with pytest.raises(EntryError, match="승인됨 상태의 달은 고칠 수 없습니다"):
        execution_month_save(user=user("staff"), division=participation, as_of=JULY, rows=july_rows(), version=5)
    with pytest.raises(EntryError, match="사유"):
        division_month_correct(user=user("staff"), month=month, version=5, reason=" ")
    month = division_month_correct(user=user("staff"), month=month, version=5, reason="PA-01 지출 누락")
    assert (month.status, month.revision, month.approved_revision) == ("draft", 2, 1)
    rows = july_rows(**{"PA-01": (100_000_000, 99_000_000)})
    execution_month_save(user=user("staff"), division=participation, as_of=JULY, rows=rows, version=6)
    # the public still sees revision 1 until revision 2 is approved and published
    public = {r.code: r for r in public_execution_table(bureau=bureau, fiscal_year=2022).rows}
    assert public["PA-01"].disbursements == 83_765_000
    assert DivisionMonth.history.filter(id=month.pk).count() == 7


def test_history_pages_show_who_when_how_old_and_new(staff_client):
    assert staff_client.post(JULY_URL, post_data(staff_client, **FILLED)).status_code == 302
    html = staff_client.get(JULY_URL + "history/").content.decode()
    assert "PA-01 시민참여 활성화 추진" in html and "90,000,000" in html and "form" in html and "staff" in html
    html = staff_client.get(reverse("budget:line_history", args=[2022, "PA-01"])).content.decode()
    assert "load_demo" in html and "90,000,000" in html and "83,765,000" in html


def test_the_board_shows_every_division_and_month(client):
    client.force_login(get_user_model().objects.get(username="planning"))
    response = client.get(reverse("budget:entry_board"))
    board = response.context["board"]
    assert len(board.rows) == 5 and len(board.dates) == 13  # 12 month ends and the report's 2022-07-01
    assert board.counts == {"approved": 5, "missing": 60}


def test_staff_withdraw_a_submitted_month_until_the_director_acts(staff_client, people):
    month = participation_month(JULY)
    from budget.services import division_month_submit, division_month_withdraw

    month = division_month_submit(user=user("staff"), month=month, version=month.version)
    html = staff_client.get(JULY_URL).content.decode()
    assert 'id="withdraw-month"' in html
    assert staff_client.post(JULY_URL + "withdraw/", {"version": month.version}).status_code == 302
    month.refresh_from_db()
    assert (month.status, month.history.first().history_change_reason) == ("draft", "form")
    month = division_month_submit(user=user("staff"), month=month, version=month.version)
    division_month_approve(user=user("director"), month=month, version=month.version)
    with pytest.raises(EntryError, match="승인됨 상태에서는 할 수 없습니다"):
        division_month_withdraw(user=user("staff"), month=month, version=month.version + 1)
    with pytest.raises(PermissionDenied):
        division_month_withdraw(user=people["staff_b"], month=month, version=month.version + 1)
