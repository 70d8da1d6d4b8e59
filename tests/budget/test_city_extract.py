"""The city extract (budget.importers.city_extract, budget.services.extract, city/extract.py, the command):
the finance system's figures of every bureau at a month end land as each division's draft, named in the
history as the extract, never submitted; what the file and the portal do not share is listed; a bad cell,
a submitted month or an unconfirmed caution writes nothing; only the budget office and the administrator
may import; the queries do not grow with the rows; a SIGKILL mid-import leaves nothing."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.extract import budget_office
from budget.importers.city_extract import city_extract_import
from budget.models import DivisionMonth, ExecutionSnapshot
from budget.services.extract import extract_reason
from staffing.models import Membership
from tests.databases import manage, own_database
from tests.factories import (
    FISCAL_YEAR,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    member,
)
from tests.test_kill import enough, kill_at_random_moments

pytestmark = pytest.mark.django_db
AUGUST = datetime.date(FISCAL_YEAR, 8, 31)
JULY = datetime.date(FISCAL_YEAR, 7, 31)
HEADER = ["세부사업 코드", "세부사업명", "회계연도", "원인행위 누계(원)", "지출액 누계(원)"]


def city(lines_per_division: int = 2, prefix: str = "X"):
    """Two bureaus of one division each, every line with July's figures (what cautions compare with)."""
    divisions = []
    for b in (1, 2):
        bureau = BureauFactory(name=f"추출국{b}{prefix.strip('X')}", slug=f"extract-{prefix.lower()}{b}")
        division = DivisionFactory(bureau=bureau, name=f"추출과{b}{prefix.strip('X')}")
        for n in range(1, lines_per_division + 1):
            line = BudgetLineFactory(division=division, code=f"{prefix}{b}-{n:03d}", original_budget=1_000_000_000)
            ExecutionSnapshotFactory(budget_line=line, as_of=JULY, obligations=300_000_000, disbursements=200_000_000)
        divisions.append(division)
    return divisions


def rows_of(divisions, disbursements=230_000_000, obligations=330_000_000):
    return [
        [line.code, line.name, FISCAL_YEAR, obligations, disbursements]
        for division in divisions
        for line in division.budget_lines.order_by("code")
    ]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def state():
    return (
        sorted(ExecutionSnapshot.objects.values_list("budget_line__code", "as_of", "obligations", "disbursements")),
        sorted(DivisionMonth.objects.values_list("division_id", "as_of", "status", "version")),
        ExecutionSnapshot.history.count(),
        DivisionMonth.history.count(),
    )


def run(user, content, *, filename="extract.xlsx", dry_run=False, **options):
    return city_extract_import(user=user, content=content, filename=filename, as_of=AUGUST, dry_run=dry_run, **options)


@pytest.fixture
def office(db):
    return budget_office("t-budget-office")


def test_drafts_land_in_each_division_of_two_bureaus_with_the_file_named_in_the_history(office):
    divisions = city()
    result = run(office, xlsx(rows_of(divisions)), filename="2023-08 집행.xlsx")
    assert result.applied, (result.problems, result.cautions)
    for division in divisions:
        month = DivisionMonth.objects.get(division=division, as_of=AUGUST)
        assert (month.status, month.version, month.changed_by) == (DivisionMonth.Status.DRAFT, 1, office)
        figures = sorted(
            ExecutionSnapshot.objects.filter(budget_line__division=division, as_of=AUGUST).values_list(
                "budget_line__code", "obligations", "disbursements"
            )
        )
        assert figures == [(line.code, 330_000_000, 230_000_000) for line in division.budget_lines.order_by("code")]
        records = list(ExecutionSnapshot.history.filter(budget_line__division=division, as_of=AUGUST))
        records += list(month.history.all())
        assert len(records) == 3
        assert {(r.history_user, r.history_change_reason) for r in records} == {
            (office, "시 재정시스템 추출 2023-08 집행.xlsx")
        }
    assert not DivisionMonth.objects.filter(as_of=AUGUST).exclude(status=DivisionMonth.Status.DRAFT).exists()


def test_a_csv_extract_with_a_date_column_lands_too_and_a_second_extract_is_the_next_version(office):
    divisions = city()
    assert run(office, csv_bytes(rows_of(divisions)), filename="extract.csv").applied
    header = [*HEADER, "기준일"]
    rows = [[*row, AUGUST.isoformat()] for row in rows_of(divisions, disbursements=240_000_000)]
    assert run(office, xlsx(rows, header)).applied
    month = DivisionMonth.objects.get(division=divisions[0], as_of=AUGUST)
    assert (month.status, month.version) == (DivisionMonth.Status.DRAFT, 2)
    assert set(ExecutionSnapshot.objects.filter(as_of=AUGUST).values_list("disbursements", flat=True)) == {240_000_000}


def test_lines_the_file_lacks_and_rows_of_no_line_are_listed_and_left_alone(office):
    divisions = city(lines_per_division=3)
    rows = rows_of(divisions)
    left_out = rows.pop(1)  # 추출국1's second line
    rows.append(["NO-SUCH", "없는 사업", FISCAL_YEAR, 1_000, 500])
    result = run(office, xlsx(rows))
    assert result.applied, result.problems
    missing = {
        (d.division.bureau.name, d.division.name): [line.code for line in d.missing_lines]
        for d in result.plan.divisions
        if d.division in divisions
    }
    assert missing == {("추출국1", "추출과1"): [left_out[0]], ("추출국2", "추출과2"): []}
    assert [(row.where, row.code) for row in result.plan.unknown_codes] == [(f"{len(rows) + 1}행", "NO-SUCH")]
    assert not ExecutionSnapshot.objects.filter(budget_line__code=left_out[0], as_of=AUGUST).exists()
    assert ExecutionSnapshot.objects.filter(as_of=AUGUST).count() == 5


@pytest.mark.parametrize(
    ("column", "value", "field", "words"),
    [
        (4, -5, "disbursements", "0원 이상"),
        (4, 1234.5, "disbursements", "정수"),
        (4, "=B2*2", "disbursements", "수식"),
        (3, "많음", "obligations", "숫자가 아닙니다"),
        (3, None, "obligations", "값이 필요합니다"),
        (2, FISCAL_YEAR - 1, "fiscal_year", "회계연도"),
        (0, "=A1", "code", "수식"),
        (4, 400_000_000, "disbursements", "원인행위 누계를 넘을 수 없습니다"),  # above the obligations (330,000,000)
        (3, 2_000_000_000, "obligations", "예산현액"),  # above the line's authority (1,000,000,000)
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_written(office, column, value, field, words):
    divisions = city()
    rows = rows_of(divisions)
    rows[2][column] = value  # sheet row 4: 추출국2's first line
    before = state()
    for dry_run in (True, False):
        result = run(office, xlsx(rows), dry_run=dry_run)
        assert not result.applied and not result.ok
        assert [(p.row, p.field) for p in result.problems] == [("4행", field)], result.problems
        assert words in result.problems[0].message
        assert state() == before


def test_a_submitted_month_the_file_would_change_refuses_the_whole_file_naming_it(office):
    divisions = city()
    for line in divisions[1].budget_lines.all():
        ExecutionSnapshotFactory(budget_line=line, as_of=AUGUST, obligations=330_000_000, disbursements=210_000_000)
    DivisionMonthFactory(division=divisions[1], as_of=AUGUST, status=DivisionMonth.Status.SUBMITTED)
    before = state()
    result = run(office, xlsx(rows_of(divisions)))
    assert not result.applied
    assert [(p.row, p.field) for p in result.problems] == [("추출국2 추출과2", "status")]
    assert "제출됨" in result.problems[0].message and "2개 행" in result.problems[0].message
    assert state() == before  # 추출국1's draft was not written either


def test_an_approved_month_that_already_holds_the_files_figures_is_left_as_it_is(office):
    divisions = city()
    for line in divisions[1].budget_lines.all():
        ExecutionSnapshotFactory(
            budget_line=line, as_of=AUGUST, obligations=330_000_000, disbursements=230_000_000, approved=True
        )
    month = DivisionMonthFactory(division=divisions[1], as_of=AUGUST, approved=True)
    result = run(office, xlsx(rows_of(divisions)))
    assert result.applied, result.problems
    month.refresh_from_db()
    assert (month.status, month.version) == (DivisionMonth.Status.APPROVED, 1)
    assert DivisionMonth.objects.get(division=divisions[0], as_of=AUGUST).status == DivisionMonth.Status.DRAFT


def test_a_returned_month_becomes_a_draft_again_and_a_code_twice_is_named(office):
    divisions = city()
    for line in divisions[0].budget_lines.all():
        ExecutionSnapshotFactory(budget_line=line, as_of=AUGUST, obligations=330_000_000, disbursements=210_000_000)
    month = DivisionMonthFactory(division=divisions[0], as_of=AUGUST, status=DivisionMonth.Status.RETURNED, version=3)
    rows = rows_of(divisions)
    before = state()
    twice = run(office, xlsx([*rows, rows[0]]))
    assert [(p.row, p.field) for p in twice.problems] == [(f"{len(rows) + 2}행", "code")]
    assert "2행" in twice.problems[0].message and state() == before
    assert run(office, xlsx(rows)).applied
    month.refresh_from_db()
    assert (month.status, month.version) == (DivisionMonth.Status.DRAFT, 4)


def test_a_caution_holds_the_file_until_confirmed_and_is_recorded_with_the_row(office):
    divisions = city()
    rows = rows_of(divisions)
    rows[0][4] = 200_000  # 200,000,000 in July: typed in 천원 (one row: a caution, not a whole column)
    rows[0][3] = 300_000  # and the obligations too, below July's
    before = state()
    preview = run(office, xlsx(rows), dry_run=True)
    assert preview.ok and not preview.applied
    keys = sorted(c.key for c in preview.cautions)
    code = rows[0][0]
    assert keys == [f"{code}:thousandfold:disbursements", f"{code}:thousandfold:obligations"]
    held = run(office, xlsx(rows))
    assert not held.applied and held.ok and sorted(c.key for c in held.cautions) == keys
    assert state() == before
    assert run(office, xlsx(rows), confirmed=keys).applied
    snapshot = ExecutionSnapshot.objects.get(budget_line__code=code, as_of=AUGUST)
    assert (snapshot.disbursements, snapshot.confirmed) == (
        200_000,
        "thousandfold:obligations, thousandfold:disbursements",
    )


def test_the_month_must_be_a_month_end():
    office = budget_office("t-office-date")
    city()
    result = city_extract_import(
        user=office, content=xlsx([]), filename="x.xlsx", as_of=datetime.date(FISCAL_YEAR, 8, 30), dry_run=True
    )
    assert [(p.field, "월말" in p.message) for p in result.problems] == [("as_of", True)]


@pytest.mark.parametrize("role", ["staff", "director", "planning", "bureau_director"])
def test_only_the_budget_office_and_the_administrator_open_the_page(client, role, office, django_user_model):
    division = DivisionFactory()
    user = member(role, division=division, bureau=division.bureau)
    client.force_login(user)
    assert client.get(reverse("city:extract")).status_code == 403
    assert client.post(reverse("city:extract_apply"), {"token": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        run(user, xlsx(rows_of(city())))
    client.force_login(office)
    assert client.get(reverse("city:extract")).status_code == 200
    client.force_login(django_user_model.objects.create_superuser("t-admin-extract"))
    assert client.get(reverse("city:extract")).status_code == 200


def test_the_page_previews_per_division_then_applies_after_confirming(client, office):
    divisions = city()
    rows = rows_of(divisions)
    rows[0][4] = 200_000
    client.force_login(office)
    upload = io.BytesIO(xlsx(rows))
    upload.name = "extract.xlsx"
    preview = client.post(reverse("city:extract"), {"as_of": AUGUST.isoformat(), "file": upload})
    assert preview.status_code == 200
    token = preview.context["token"]
    table = [
        (d.division.name, d.rows, len(d.to_save), len(d.cautions)) for d in preview.context["result"].plan.divisions
    ]
    assert [row for row in table if row[0] in ("추출과1", "추출과2")] == [("추출과1", 2, 2, 1), ("추출과2", 2, 2, 0)]
    assert not DivisionMonth.objects.filter(as_of=AUGUST).exists()
    held = client.post(reverse("city:extract_apply"), {"token": token})
    assert held.status_code == 400 and not DivisionMonth.objects.filter(as_of=AUGUST).exists()
    key = held.context["result"].cautions[0].key
    applied = client.post(reverse("city:extract_apply"), {"token": token, "confirm": [key]})
    assert applied.status_code == 302
    assert DivisionMonth.objects.filter(as_of=AUGUST, status=DivisionMonth.Status.DRAFT).count() == 2


def test_an_apply_after_a_division_changed_its_month_is_refused(client, office):
    divisions = city()
    client.force_login(office)
    upload = io.BytesIO(xlsx(rows_of(divisions)))
    upload.name = "extract.xlsx"
    token = client.post(reverse("city:extract"), {"as_of": AUGUST.isoformat(), "file": upload}).context["token"]
    DivisionMonthFactory(division=divisions[0], as_of=AUGUST)  # the division opened its month meanwhile
    before = state()
    refused = client.post(reverse("city:extract_apply"), {"token": token})
    assert refused.status_code == 400
    assert [p.field for p in refused.context["result"].problems] == ["version"]
    assert state() == before


def test_the_command_dry_run_writes_nothing_and_the_run_writes_drafts(tmp_path, office):
    divisions = city()
    path = tmp_path / "extract.xlsx"
    path.write_bytes(xlsx(rows_of(divisions)))
    before = state()
    out = io.StringIO()
    call_command(
        "import_city_extract",
        str(path),
        "--as-of",
        AUGUST.isoformat(),
        "--user",
        office.username,
        "--dry-run",
        stdout=out,
    )
    assert "4 would change" in out.getvalue() and state() == before
    call_command("import_city_extract", str(path), "--as-of", AUGUST.isoformat(), "--user", office.username, stdout=out)
    assert DivisionMonth.objects.filter(as_of=AUGUST, status=DivisionMonth.Status.DRAFT).count() == 2
    staff = member(Membership.Role.STAFF, division=divisions[0])
    with pytest.raises(CommandError, match="예산담당관"):
        call_command("import_city_extract", str(path), "--as-of", AUGUST.isoformat(), "--user", staff.username)


def test_the_history_reason_fits_its_column():
    reason = extract_reason("C:\\exports\\" + "가" * 200 + ".xlsx")
    assert reason.startswith("시 재정시스템 추출 가") and len(reason) == 100


def queries_of_an_import(office, lines_per_division: int, prefix: str) -> int:
    content = xlsx(rows_of(city(lines_per_division, prefix)))
    with CaptureQueriesContext(connection) as queries:
        assert run(office, content).applied
    return len(queries)


def test_the_queries_do_not_grow_with_the_rows(office):
    few = queries_of_an_import(office, 2, "X")
    many = queries_of_an_import(office, 20, "Y")  # ten times the rows, beside the first city's drafts
    # PostgreSQL writes each model's new rows by COPY (civicbureau.audit.save_many): the keys' query, the rows'
    # COPY and their history's, one statement more than two INSERTs, for the months and the snapshots
    assert few == many <= (19 if connection.vendor == "postgresql" else 17), (few, many)


# -- a SIGKILL mid-import -------------------------------------------------------------------------

KILL_AS_OF = datetime.date(2022, 8, 31)
# A synthetic city of 540 lines (bench/city.py) with August's figures as drafts, a login of the budget
# office, and the finance system's extract of every line, each corrected (bench/extract.py).
KILL_SETUP = """
import datetime
from bench.city import Scale, city_generate
from bench.extract import budget_office, extract_sheet
city_generate(Scale(bureaus=3, divisions_per_bureau=6, lines_per_division=30, years=1, programs_per_year=3, items_per_program=1))
budget_office("kill-office")
content, rows = extract_sheet({as_of!r})
assert rows == 540, rows
open({path!r}, "wb").write(content)
"""


def test_an_extract_killed_at_any_moment_leaves_the_database_as_it_was(tmp_path):
    """As tests/test_kill.py: the import killed at random moments (half of them once it has begun writing);
    each kill leaves the database as before or fully changed, never a partial batch or orphan history."""
    url = own_database(tmp_path, "kill_extract")
    manage(url, "migrate", "-v", "0")
    sheet = tmp_path / "extract.xlsx"
    manage(url, "shell", "-c", KILL_SETUP.format(as_of=KILL_AS_OF, path=str(sheet)))
    kills = kill_at_random_moments(
        url,
        "import_city_extract",
        str(sheet),
        "--as-of",
        KILL_AS_OF.isoformat(),
        "--user",
        "kill-office",
        attempts=10,
        seed=19,
    )
    assert kills.changes == 540 + 18  # every line's figures and each division's month, opened as a draft
    assert enough(kills), kills
