"""The monthly sheet: the template round-trips, and every kind of bad cell gives a named (row, column)
error and leaves the database unchanged; the command line says the same and exits non-zero."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from budget.exports.sheet import LAYOUT, template_csv, template_xlsx
from budget.importers.monthly import execution_import
from budget.models import DivisionMonth, ExecutionSnapshot
from budget.selectors.entry import division_month_grid
from staffing.models import Division

pytestmark = pytest.mark.django_db
JULY = datetime.date(2022, 7, 31)
COL = {c.key: i for i, c in enumerate(LAYOUT.columns, start=1)}
OBLIGATIONS = {"PA-01": 100_000_000, "PA-02": 300_000_000, "PA-03": 40_000_000, "PA-05": 7_000_000, "PA-06": 90_000_000}


def staff():
    return get_user_model().objects.get(username="staff")


def workbook_for(as_of=JULY):
    """The template as downloaded, with the obligations the report leaves empty filled in."""
    grid = division_month_grid(division=Division.objects.get(code="participation"), as_of=as_of)
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(grid)))
    sheet = workbook["실적"]
    for row in sheet.iter_rows(min_row=2):
        code = row[0].value
        if code in OBLIGATIONS:
            row[COL["obligations"] - 1].value = OBLIGATIONS[code]
    return workbook


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state():
    return (
        sorted(ExecutionSnapshot.objects.values_list("budget_line__code", "as_of", "obligations", "disbursements")),
        list(DivisionMonth.objects.order_by("pk").values_list("pk", "status", "version")),
        ExecutionSnapshot.history.count(),
    )


def cell(workbook, code, key):
    sheet = workbook["실적"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            return row[COL[key] - 1]
    raise KeyError(code)


def test_the_template_is_prefilled_with_lines_authority_and_last_period():
    workbook = workbook_for()
    sheet = workbook["실적"]
    assert [c.value for c in sheet[1]][:4] == ["사업 코드", "세부사업명", "기준일", "버전"]
    row = [c.value for c in sheet[2]]
    assert row[0] == "PA-01" and row[3] == 0  # version 0: the month does not exist yet
    assert row[COL["authority"] - 1] == 281_650_000
    assert row[COL["previous_disbursements"] - 1] == 83_765_000 == row[COL["disbursements"] - 1]
    assert sheet.max_row == 7


def test_a_good_file_previews_then_applies_row_by_row_with_history():
    workbook = workbook_for()
    cell(workbook, "PA-01", "disbursements").value = 90_000_000
    content = save(workbook)
    before = state()
    preview = execution_import(user=staff(), content=content, filename="july.xlsx", dry_run=True)
    assert preview.ok, preview.problems
    assert state() == before  # the dry run is rolled back
    pa01 = next(r for r in preview.rows if r.code == "PA-01")
    assert (pa01.old_disbursements, pa01.new_disbursements) == (None, 90_000_000)
    result = execution_import(user=staff(), content=content, filename="july.xlsx", dry_run=False)
    assert result.applied
    snapshots = ExecutionSnapshot.objects.filter(as_of=JULY)
    assert snapshots.count() == 6
    for snapshot in snapshots:
        records = list(snapshot.history.all())
        assert (
            len(records) == 1
            and records[0].history_change_reason == "import"
            and records[0].history_user.username == "staff"
        )
    assert DivisionMonth.objects.get(as_of=JULY).history.first().history_change_reason == "import"


def test_the_download_uploaded_again_round_trips_on_the_codes_and_is_stale_after_a_change():
    content = save(workbook_for())
    assert execution_import(user=staff(), content=content, filename="a.xlsx", dry_run=False).applied
    grid = division_month_grid(division=Division.objects.get(code="participation"), as_of=JULY)
    again = template_xlsx(grid)
    result = execution_import(user=staff(), content=again, filename="b.xlsx", dry_run=False)
    assert result.ok and result.changed_count == 0
    csv_again = template_csv(grid)
    assert execution_import(user=staff(), content=csv_again, filename="b.csv", dry_run=True).ok
    # the first file started from version 0: the person saved since, so it asks them first
    stale = execution_import(user=staff(), content=content, filename="a.xlsx", dry_run=False)
    assert not stale.applied and [c.key for c in stale.cautions] == ["version:own_newer:1"]


def bad(workbook_change):
    workbook = workbook_for()
    workbook_change(workbook)
    return save(workbook)


CASES = {
    "text": (
        lambda wb: setattr(cell(wb, "PA-02", "disbursements"), "value", "약 30만"),
        "3행",
        "disbursements",
        "숫자가 아닙니다",
    ),
    "negative": (lambda wb: setattr(cell(wb, "PA-03", "obligations"), "value", -5), "4행", "obligations", "0원 이상"),
    "fraction": (
        lambda wb: setattr(cell(wb, "PA-03", "obligations"), "value", 1.5),
        "4행",
        "obligations",
        "원 단위 정수",
    ),
    "formula": (
        lambda wb: setattr(cell(wb, "PA-01", "disbursements"), "value", "=H2-1"),
        "2행",
        "disbursements",
        "수식은 받지 않습니다",
    ),
    "disbursement_above_obligation": (
        lambda wb: setattr(cell(wb, "PA-05", "disbursements"), "value", 7_000_001),
        "6행",
        "disbursements",
        "지출액 누계가 원인행위 누계를 넘을 수 없습니다",
    ),
    "obligation_above_authority": (
        lambda wb: setattr(cell(wb, "PA-05", "obligations"), "value", 119_000_001),
        "6행",
        "obligations",
        "예산현액(119,000,000원)을 넘습니다",
    ),
    "unknown_code": (
        lambda wb: setattr(cell(wb, "PA-05", "code"), "value", "PA-99"),
        "6행",
        "code",
        "없는 사업 코드입니다: PA-99",
    ),
    "another_division": (
        lambda wb: setattr(cell(wb, "PA-05", "code"), "value", "CO-01"),
        "6행",
        "code",
        "세부사업입니다",
    ),
    "missing_value": (  # obligations never reported may stay blank; disbursements never
        lambda wb: setattr(cell(wb, "PA-06", "disbursements"), "value", None),
        "7행",
        "disbursements",
        "값이 필요합니다",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_bad_cell_is_named_and_nothing_is_written(case):
    change, row, column, message = CASES[case]
    content = bad(change)
    before = state()
    for dry_run in (True, False):
        result = execution_import(user=staff(), content=content, filename="bad.xlsx", dry_run=dry_run)
        assert not result.ok and not result.applied
        assert any(p.row == row and p.field == column and message in p.message for p in result.problems), (
            result.problems
        )
    assert state() == before


def test_a_formula_is_refused_even_with_a_cached_value(tmp_path):
    # openpyxl writes no cached value; a sheet saved by Excel has one. Either way the formula is refused:
    # the file is read with data_only=False, so the cell's formula, not its last computed value, is seen.
    workbook = workbook_for()
    cell(workbook, "PA-02", "obligations").value = "=SUM(1,2)"
    result = execution_import(user=staff(), content=save(workbook), filename="f.xlsx", dry_run=True)
    assert [(p.row, p.field) for p in result.problems] == [("3행", "obligations")]


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"", "empty.xlsx", "빈 파일입니다"),
        (b"", "empty.csv", "빈 파일입니다"),
        (
            "\ufeff사업 코드,기준일,버전,원인행위 누계(원),지출액 누계(원)\n".encode(),
            "header-only.csv",
            "세부사업 행이 없습니다",
        ),
        (b"not a workbook", "x.xlsx", "xlsx 파일로 읽을 수 없습니다"),
        ("사업 코드,기준일\nPA-01,2022-07-31\n".encode(), "short.csv", "머리글에 이 열이 없습니다"),
    ],
)
def test_empty_and_unreadable_files_are_named(content, filename, message):
    before = state()
    result = execution_import(user=staff(), content=content, filename=filename, dry_run=False)
    assert not result.ok and message in str(result.problems[0])
    assert state() == before


def test_a_ten_thousand_row_file_is_refused_at_the_first_row_too_many():
    workbook = workbook_for()
    sheet = workbook["실적"]
    for n in range(10_000):
        sheet.append([f"PA-X{n}", "", JULY, 0, None, None, None, 1, 1])
    before = state()
    result = execution_import(user=staff(), content=save(workbook), filename="big.xlsx", dry_run=False)
    assert [(p.row, p.field) for p in result.problems] == [("502행", "code")]
    assert "500행까지" in result.problems[0].message
    assert state() == before


def test_csv_in_cp949_as_korean_excel_saves_it():
    grid = division_month_grid(division=Division.objects.get(code="participation"), as_of=JULY)
    text = template_csv(grid).decode("utf-8-sig")
    lines = text.splitlines()
    for i, line in enumerate(lines[1:], start=1):
        parts = line.split(",")
        parts[COL["obligations"] - 1] = str(OBLIGATIONS.get(parts[0], parts[COL["obligations"] - 1]))
        lines[i] = ",".join(parts)
    result = execution_import(
        user=staff(), content="\n".join(lines).encode("cp949"), filename="july.csv", dry_run=False
    )
    assert result.applied, result.problems


def test_only_division_staff_may_import():
    from django.core.exceptions import PermissionDenied

    for name in ("bureau", "planning", "admin"):
        with pytest.raises(PermissionDenied):
            execution_import(
                user=get_user_model().objects.get(username=name),
                content=save(workbook_for()),
                filename="x.xlsx",
                dry_run=True,
            )


def test_the_command_line_gives_the_same_messages_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(bad(CASES["text"][0]))
    before = state()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_execution", str(path), "--user", "staff")
    assert "3행 · 지출액 누계(원): 숫자가 아닙니다: '약 30만'" in capsys.readouterr().err
    assert state() == before
    good = tmp_path / "good.xlsx"
    good.write_bytes(save(workbook_for()))
    call_command("import_execution", str(good), "--user", "staff", "--dry-run")
    assert "dry run: nothing written" in capsys.readouterr().out
    assert state() == before
    call_command("import_execution", str(good), "--user", "staff")
    assert ExecutionSnapshot.objects.filter(as_of=JULY).count() == 6


def test_the_command_refuses_a_user_who_may_not_import(tmp_path):
    # CommandError is how a Django command exits non-zero (run_from_argv prints it and exits with 1)
    path = tmp_path / "good.xlsx"
    path.write_bytes(save(workbook_for()))
    with pytest.raises(CommandError, match="주무관과 과장"):
        call_command("import_execution", str(path), "--user", "planning")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_execution", str(tmp_path / "missing.xlsx"), "--user", "staff")


def test_an_upload_of_ones_own_older_download_says_so_and_applies_once_confirmed():
    old_download = workbook_for()  # version 0: before anything was saved
    execution_import(user=staff(), content=save(workbook_for()), filename="a.xlsx", dry_run=False)
    cell(old_download, "PA-01", "disbursements").value = 95_000_000
    content = save(old_download)
    preview = execution_import(user=staff(), content=content, filename="old.xlsx", dry_run=True)
    assert preview.ok and [c.key for c in preview.cautions] == ["version:own_newer:1"]
    message = str(preview.cautions[0])
    assert "버전 0의 서식" in message and "본인이 저장해 지금은 버전 1" in message and "다른 사람" not in message
    row = next(r for r in preview.rows if r.code == "PA-01")
    assert (row.old_disbursements, row.new_disbursements) == (83_765_000, 95_000_000)  # now → file
    held = execution_import(user=staff(), content=content, filename="old.xlsx", dry_run=False)
    assert (held.ok, held.applied) == (True, False)
    assert ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY).disbursements == 83_765_000
    done = execution_import(
        user=staff(), content=content, filename="old.xlsx", dry_run=False, confirmed=["version:own_newer:1"]
    )
    assert done.applied
    assert ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=JULY).disbursements == 95_000_000


def test_an_upload_over_someone_elses_newer_save_is_refused_naming_them_briefly():
    from budget.services import execution_month_save
    from tests.budget.test_entry import july_rows

    content = save(workbook_for())
    director = get_user_model().objects.get(username="director")
    division = Division.objects.get(code="participation")
    execution_month_save(user=director, division=division, as_of=JULY, rows=july_rows(), version=0)
    result = execution_import(user=staff(), content=content, filename="a.xlsx", dry_run=True)
    assert not result.ok and not result.cautions
    message = str(result.problems[0])
    assert "다른 사람이 그 사이에" in message and "director" in message and len(message) < 400


def test_a_whole_column_in_thousand_won_is_refused_saying_the_sheet_takes_won():
    workbook = workbook_for()
    for row in workbook["실적"].iter_rows(min_row=2):  # every line's disbursements typed in 천원
        target = row[COL["disbursements"] - 1]
        target.value = round(target.value / 1000)
    before = state()
    result = execution_import(user=staff(), content=save(workbook), filename="k.xlsx", dry_run=False)
    assert not result.applied
    column = [p for p in result.problems if "다른 단위(천원)" in p.message]
    assert len(column) == 1 and column[0].field == "disbursements" and "원 단위로 적습니다" in column[0].message
    assert column[0].row == "2행 외 5개 행"  # the column named by its first row and how many more
    assert state() == before
