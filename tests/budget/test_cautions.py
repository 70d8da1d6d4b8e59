"""Entry that prevents mistakes: the grid saves as it opens (obligations never reported may stay blank),
every problem of a save comes in one answer with its cells marked, and figures that may be slips (the
40000-for-37,729,000 slip) hold the save until the person confirms each; the confirmation is in the
history with the save. The same on the import."""

import re
from decimal import Decimal

import pytest

from budget.importers.monthly import execution_import
from budget.models import DivisionMonth, ExecutionSnapshot
from civicbureau import figures
from tests.budget.test_entry import JULY, JULY_URL, post_data, user
from tests.budget.test_import import cell, save, workbook_for

pytestmark = pytest.mark.django_db


def test_the_arithmetic_of_the_cautions():
    assert figures.looks_thousandfold(40_000, 37_729_000)  # 천원 typed where won is asked for
    assert figures.looks_thousandfold(37_729_000_000, 37_729_000)
    assert not figures.looks_thousandfold(37_000_000, 37_729_000)
    assert not figures.looks_thousandfold(0, 37_729_000) and not figures.looks_thousandfold(40_000, None)
    assert figures.average_month(60_000_000, 6) == Decimal(10_000_000) and figures.average_month(1, 0) is None
    assert figures.is_spike(100_000_001, Decimal(10_000_000)) and not figures.is_spike(100_000_000, Decimal(10_000_000))
    assert not figures.is_spike(5, None)


def test_the_grid_saves_as_it_opens(staff_client):
    """Five of 시민참여과's six lines never had their obligations reported: blank, and saved as blank."""
    response = staff_client.post(JULY_URL, post_data(staff_client))
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY)
    assert (saved.obligations, saved.disbursements, saved.confirmed) == (None, 83_765_000, "")


def test_every_problem_in_one_answer_with_its_cell_marked(staff_client):
    data = post_data(
        staff_client, **{"PA-01": ("abc", "1"), "PA-02": ("100", "200"), "PA-04": ("", "394680000"), "PA-05": ("1", "")}
    )
    response = staff_client.post(JULY_URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    shown = re.findall(r'<li><a href="#(id_rows-\d-\w+)">([^<]+)</a></li>', html)
    assert [(cell_id, text.split(" · ")[0]) for cell_id, text in shown] == [
        ("id_rows-0-obligations", "PA-01 시민참여 활성화 추진"),  # not a number
        ("id_rows-1-disbursements", "PA-02 시민제안 발굴 및 실행"),  # above its obligations
        ("id_rows-3-obligations", "PA-04 민주시민교육 추진"),  # reported before, so needed now
        ("id_rows-4-disbursements", "PA-05 서울시민 행복증진"),  # always needed
    ]
    for cell_id, _text in shown:
        assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*id="{cell_id}"', html), cell_id
    assert not DivisionMonth.objects.filter(as_of=JULY).exists()


def test_a_thousandfold_slip_is_held_until_confirmed_and_the_confirmation_is_recorded(staff_client):
    data = post_data(staff_client, **{"PA-03": ("", "40000")})  # 37,729 (천원) typed as 40000: won asked for
    held = staff_client.post(JULY_URL, data)
    assert held.status_code == 400
    html = held.content.decode()
    assert (
        "PA-03 시민참여 플랫폼 운영·관리 · 지출액 누계(원): 40,000원은 전기(’22. 7. 1.) 누계 37,729,000원의 약 1,000분의 1"
        in html
    )
    assert 'name="confirm" value="PA-03:thousandfold:disbursements"' in html
    assert re.search(r'<input[^>]*class="won caution"[^>]*id="id_rows-2-disbursements"', html)
    assert 'value="40,000"' in html  # kept as typed, with separators
    assert not ExecutionSnapshot.objects.filter(as_of=JULY).exists()

    data["confirm"] = ["PA-03:thousandfold:disbursements"]
    assert staff_client.post(JULY_URL, data).status_code == 302
    saved = ExecutionSnapshot.objects.get(budget_line__code="PA-03", as_of=JULY)
    assert (saved.disbursements, saved.confirmed) == (40_000, "thousandfold:disbursements")
    record = saved.history.first()
    assert (record.confirmed, record.history_user.username, record.history_change_reason) == (
        "thousandfold:disbursements",
        "staff",
        "form",
    )
    assert ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY).confirmed == ""
    history = staff_client.get(JULY_URL + "history/").content.decode()
    assert "확인한 경고" in history and "지출액 누계(원): 전기 누계의 약 1,000배 또는 1,000분의 1" in history


def test_a_lower_cumulative_figure_and_a_spike_and_full_obligations_are_cautions(staff_client):
    data = post_data(
        staff_client,
        **{
            "PA-01": ("", "80000000"),  # below 83,765,000
            "PA-02": ("", "290000000"),
            "PA-04": ("417450000", "417450000"),  # obligations reach 예산현액 this month
            "PA-05": ("", "19000000"),  # a month of 12,000,000: over ten times the average month (1,166,667)
            "PA-06": ("", "154602000"),  # a month of 68,540,000: under ten times its average (14,343,667)
        },
    )
    held = staff_client.post(JULY_URL, data)
    keys = set(re.findall(r'name="confirm" value="([^"]+)"', held.content.decode()))
    assert keys == {
        "PA-01:below_previous:disbursements",
        "PA-02:below_previous:disbursements",
        "PA-04:full_authority:obligations",
        "PA-05:spike:disbursements",
    }


def test_an_import_holds_its_cautions_until_confirmed(people):
    workbook = workbook_for()
    cell(workbook, "PA-03", "disbursements").value = 40_000
    content = save(workbook)
    preview = execution_import(user=people["staff_a"], content=content, filename="m.xlsx", dry_run=True)
    assert preview.ok and [c.key for c in preview.cautions] == ["PA-03:thousandfold:disbursements"]
    held = execution_import(user=people["staff_a"], content=content, filename="m.xlsx", dry_run=False)
    assert (held.ok, held.applied) == (True, False)
    assert not ExecutionSnapshot.objects.filter(as_of=JULY).exists()
    done = execution_import(
        user=people["staff_a"],
        content=content,
        filename="m.xlsx",
        dry_run=False,
        confirmed=["PA-03:thousandfold:disbursements"],
    )
    assert done.applied
    saved = ExecutionSnapshot.objects.get(budget_line__code="PA-03", as_of=JULY)
    assert (saved.confirmed, saved.history.first().history_change_reason) == ("thousandfold:disbursements", "import")
    assert user("staff") == saved.history.first().history_user


def test_the_command_lists_cautions_with_their_keys_and_applies_only_confirmed(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    workbook = workbook_for()
    cell(workbook, "PA-03", "disbursements").value = 40_000
    path = tmp_path / "m.xlsx"
    path.write_bytes(save(workbook))
    with pytest.raises(CommandError, match="1 caution"):
        call_command("import_execution", str(path), user="staff")
    assert "[--confirm PA-03:thousandfold:disbursements]" in capsys.readouterr().err
    assert not ExecutionSnapshot.objects.filter(as_of=JULY).exists()
    call_command("import_execution", str(path), user="staff", confirm=["PA-03:thousandfold:disbursements"])
    assert (
        ExecutionSnapshot.objects.get(budget_line__code="PA-03", as_of=JULY).confirmed == "thousandfold:disbursements"
    )
