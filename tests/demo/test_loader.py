"""load_demo: idempotent, all or nothing, and a bad row named by file, row and field."""

import re
import shutil

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from budget.models import BudgetLine, DivisionMonth, ExecutionSnapshot
from demo.loader import DEMO_DATA_DIR, load_demo
from demo.rows import DemoDataError
from programs.models import ScheduleItem

pytestmark = pytest.mark.django_db

APPS = ("staffing", "budget", "programs")


def fingerprint():
    """Every row of every table the loader writes (history included), to compare before and after."""
    state = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [f.attname for f in model._meta.concrete_fields if f.attname != "history_date"]
            state[model._meta.label] = sorted(map(repr, model.objects.values_list(*fields)))
    return state


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "demo_data"
    shutil.copytree(DEMO_DATA_DIR, target)
    return target


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_second_load_changes_nothing():
    before = fingerprint()
    loader = load_demo()
    assert loader.written == 0
    assert loader.unchanged > 400
    assert fingerprint() == before


def test_a_changed_figure_goes_into_the_month_the_report_approves(data_copy):
    """The report is the approved record: its months are loaded approved, and a corrected figure reloads into
    its approved month (a service would refuse: the month is locked)."""
    edit(data_copy / "execution.csv", "PA-03,2022,2022-07-01,,37729", "PA-03,2022,2022-07-01,,37728")
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-03", as_of="2022-07-01")
    assert DivisionMonth.objects.get(division=snapshot.budget_line.division, as_of=snapshot.as_of).is_locked
    loader = load_demo(data_copy)
    assert loader.written == 1
    snapshot.refresh_from_db()
    assert (snapshot.disbursements, snapshot.approved_disbursements) == (37_728_000, 37_728_000)


@pytest.mark.django_db(transaction=True)
def test_load_into_an_empty_database_then_again():
    call_command("flush", interactive=False, verbosity=0)
    first = load_demo()
    assert BudgetLine.objects.count() == 34
    assert ExecutionSnapshot.objects.count() == 34
    assert ExecutionSnapshot.history.count() == 34  # one creation record each, saying how it was made
    assert set(ExecutionSnapshot.history.values_list("history_change_reason", flat=True)) == {"load_demo"}
    before = fingerprint()
    second = load_demo()
    assert (second.written, second.unchanged) == (0, first.written)
    assert fingerprint() == before


BAD_ROWS = [
    (
        "execution.csv",
        "PA-03,2022,2022-07-01,,37729",
        "PA-03,2022,2022-07-01,,abc",
        "execution.csv",
        "4",
        "disbursements_thousand_won",
        "not a number",
    ),
    (
        "execution.csv",
        "PA-03,2022,2022-07-01,,37729",
        "PA-03,2022,2022-07-01,,-5",
        "execution.csv",
        "4",
        "disbursements_thousand_won",
        "must be 0 or more",
    ),
    (
        "execution.csv",
        "PA-03,2022,2022-07-01,,37729",
        "PA-03,2022,2022-07-01,,37729.5",
        "execution.csv",
        "4",
        "disbursements_thousand_won",
        "not a whole number",
    ),
    (
        "execution.csv",
        "CO-04,2022,2022-07-01,3019200,3019200",
        "CO-04,2022,2022-07-01,3019200,3019201",
        "execution.csv",
        "17",
        "disbursements_thousand_won",
        "지출액 누계가 원인행위 누계를 넘을 수 없습니다",
    ),
    (
        "execution.csv",
        "CO-03,2022,2022-07-01,982628,982628",
        "CO-03,2022,2022-07-01,2810001,982628",
        "execution.csv",
        "16",
        "obligations_thousand_won",
        "마을공동체종합지원센터 운영의 예산현액(2,810,000,000원)을 넘습니다",
    ),
    (
        "execution.csv",
        "PA-01,2022,2022-07-01,,83765",
        "PA-01,2022,2023-01-31,,83765",
        "execution.csv",
        "2",
        "as_of",
        "기준일이 회계연도(2022) 밖입니다",
    ),
    (
        "execution.csv",
        "PA-01,2022,2022-07-01,,83765",
        "PA-99,2022,2022-07-01,,83765",
        "execution.csv",
        "2",
        "budget_line",
        "unknown budget line",
    ),
    (
        "budget_lines.csv",
        "PA-02,participation",
        "PA-02,nowhere",
        "budget_lines.csv",
        "3",
        "division",
        "unknown reference",
    ),
    (
        "budget_lines.csv",
        "PA-02,participation",
        "PA-01,participation",
        "budget_lines.csv",
        "3",
        "code",
        "duplicate budget line code",
    ),
    (
        "headcount.csv",
        "participation,grade-5,2022-07-01,5,5",
        "participation,grade-5,2022-07-01,1.5,5",
        "headcount.csv",
        "4",
        "quota",
        "not a whole number",
    ),
    (
        "headcount.csv",
        "participation,grade-5,2022-07-01,5,5",
        "participation,grade-4,2022-07-01,5,5",
        "headcount.csv",
        "4",
        "grade",
        "duplicate of row 3",
    ),
    (
        "revenue.csv",
        "property-rent,2022",
        "recurring,2022",
        "revenue.csv",
        "2",
        "category",
        "sum of its sub-categories",
    ),
    (
        "revenue.csv",
        "category,fiscal_year,as_of,amount_thousand_won",
        "category,fiscal_year,as_of,amount",
        "revenue.csv",
        "1",
        "amount_thousand_won",
        "missing column",
    ),
    (
        "programs.yaml",
        'date_text: "’22. 하반기"',
        'date_text: "’22. 가을"',
        "programs.yaml",
        "schedule[0]",
        "date_text",
        "알 수 없는 일정 표기",
    ),
    (
        "programs.yaml",
        "budget_line: CO-03",
        "budget_line: CO-33",
        "programs.yaml",
        "execution[0]",
        "budget_line",
        "unknown budget line",
    ),
    ("programs.yaml", "vision: 참여는", "vision: [참여는", "programs.yaml", "", "-", "not valid YAML"),
    ("indicators.yaml", "value: 81", "value: many", "indicators.yaml", "values[0]", "value", "not a number"),
]


@pytest.mark.parametrize(
    "file, old, new, error_file, row, field, message", BAD_ROWS, ids=[f"{b[0]}:{b[5]}:{b[6]}" for b in BAD_ROWS]
)
def test_a_bad_row_stops_the_load_and_leaves_the_database_as_it_was(
    data_copy, file, old, new, error_file, row, field, message
):
    # A change early in the load (a budget line's original budget) proves the rollback covers earlier files.
    edit(
        data_copy / "budget_lines.csv",
        "PA-01,participation,2022,1,시민참여 활성화 추진,no,281650",
        "PA-01,participation,2022,1,시민참여 활성화 추진,no,281651",
    )
    edit(data_copy / file, old, new)
    before = fingerprint()
    with pytest.raises(DemoDataError) as error:
        load_demo(data_copy)
    assert error.value.file == error_file
    assert row in str(error.value.row)
    assert error.value.field == field
    assert message in error.value.message
    assert fingerprint() == before


def test_the_command_names_file_row_and_field(data_copy):
    edit(data_copy / "execution.csv", "PA-03,2022,2022-07-01,,37729", "PA-03,2022,2022-07-01,,abc")
    with pytest.raises(CommandError, match=re.escape("execution.csv, row 4, field 'disbursements_thousand_won'")):
        call_command("load_demo", data_dir=data_copy)


def test_the_command_reports_what_it_wrote(capsys):
    call_command("load_demo")
    assert re.search(r"0 records written, \d+ unchanged", capsys.readouterr().out)


def test_a_record_taken_out_of_a_file_is_deleted_and_the_history_says_load_demo(data_copy):
    taken_out = "서남권 NPO지원센터종료협의완료및후속절차진행"
    edit(data_copy / "programs.yaml", f'          - text: {taken_out}\n            date_text: "’22. 7월~"\n', "")
    count = ScheduleItem.objects.count()
    last_history = ScheduleItem.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    load_demo(data_copy)
    assert ScheduleItem.objects.count() == count - 1
    assert not ScheduleItem.objects.filter(text=taken_out).exists()
    written = ScheduleItem.history.filter(history_id__gt=last_history)
    assert sorted(written.values_list("history_type", "history_change_reason")) == sorted(
        [("-", "load_demo")] + [("~", "load_demo")] * (written.count() - 1)
    )
