"""The budget book import (budget.importers.budget_book): bureaus, divisions, teams and lines created or
updated from one sheet, all rows or none, every problem named by row and column."""

import csv
import datetime
import io
import logging

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.importers.budget_book import (
    LAYOUT,
    MAX_BYTES,
    Kind,
    budget_book_import,
    derived_division_code,
    derived_slug,
)
from budget.models import BudgetLine
from civicbureau import audit
from staffing.models import Bureau, Division, Team
from tests.budget.test_hostile_files import FIXTURES, rejections
from tests.factories import BudgetLineFactory, BureauFactory, DivisionFactory, TeamFactory
from tests.fingerprint import database_fingerprint

pytestmark = pytest.mark.django_db

HEADER = ["국", "과", "팀", "세부사업 코드", "세부사업명", "회계연도", "당초예산(원)"]
BOOK = [
    ["예산서국", "가과", "가1팀", "BK-01", "첫 사업", 2024, 1_000_000],
    ["예산서국", "가과", "가1팀", "BK-02", "둘째 사업", 2024, "2,500,000"],
    ["예산서국", "가과", "", "BK-03", "기본경비", 2024, 300_000],
    ["예산서국", "나과", "나1팀", "BK-04", "넷째 사업", 2024, 0],
    ["예산서국", "가과", "가1팀", "BK-01", "첫 사업", 2025, 1_100_000],
    ["다른국", "다과", "다1팀", "OT-01", "다른 사업", 2025, 700_000],
]


def book_csv(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def book_xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = LAYOUT.sheet
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(rows, *, fmt="csv", dry_run=False, user=None, header=HEADER):
    content = book_csv(rows, header) if fmt == "csv" else book_xlsx(rows, header)
    return budget_book_import(content=content, filename=f"book.{fmt}", user=user, dry_run=dry_run)


def admin():
    return get_user_model().objects.get(username="admin")


def line_rows(*codes):
    """Each line as the book would give it back: (bureau, division, team, code, name, year, budget)."""
    return sorted(
        (
            line.division.bureau.name,
            line.division.name,
            line.team.name if line.team else "",
            line.code,
            line.name,
            line.fiscal_year,
            line.original_budget,
        )
        for line in BudgetLine.objects.filter(code__in=codes).select_related("division__bureau", "team")
    )


def tallies(result):
    return {kind.value: (t.created, t.updated, t.unchanged) for kind, t in result.tallies.items()}


# -- creating and updating ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_book_creates_its_bureaus_divisions_teams_and_lines(fmt):
    result = run(BOOK, fmt=fmt)
    assert result.ok and result.applied, result.problems
    assert line_rows("BK-01", "BK-02", "BK-03", "BK-04", "OT-01") == sorted(
        (*row[:6], 2_500_000 if row[3] == "BK-02" else row[6]) for row in BOOK
    )
    assert tallies(result) == {"bureau": (2, 0, 0), "division": (3, 0, 0), "team": (3, 0, 0), "line": (6, 0, 0)}
    bureau = Bureau.objects.get(name="예산서국")
    assert (bureau.slug, bureau.established_on) == (derived_slug("예산서국"), datetime.date(2024, 1, 1))
    assert derived_slug("예산서국") == derived_slug("예산서국") != derived_slug("다른국")
    assert list(Division.objects.filter(bureau=bureau).values_list("name", "code", "order")) == [
        ("가과", derived_division_code("예산서국", "가과"), 1),
        ("나과", derived_division_code("예산서국", "나과"), 2),
    ]
    assert list(BudgetLine.objects.filter(fiscal_year=2024, division__name="가과").values_list("code", "order")) == [
        ("BK-01", 1),
        ("BK-02", 2),
        ("BK-03", 3),
    ]


def test_every_write_is_in_the_history_with_who_and_how():
    run(BOOK)
    for model, lookup in ((BudgetLine, {"code__in": ["BK-01", "OT-01"]}), (Team, {"name__in": ["가1팀", "다1팀"]})):
        records = model.history.filter(**lookup)
        assert records.count() == len(model.objects.filter(**lookup)) > 0
        assert set(records.values_list("history_type", "history_user", "history_change_reason")) == {
            ("+", None, audit.How.IMPORT)
        }


def _written(model, **lookup) -> dict:
    """Every row of an audited model and of its history, keys replaced by what they point to (the two runs
    take different keys from the sequences)."""
    names = {"division": "division__name", "team": "team__name", "history_user": "history_user__username"}
    rows = {}
    for manager in (model.objects, model.history):
        fields = [f.attname for f in manager.model._meta.concrete_fields if f.attname not in ("id", "history_id")]
        fields = [names.get(f.removesuffix("_id"), f) for f in fields]
        rows[manager.model.__name__] = sorted(
            (tuple(sorted(row.items())) for row in manager.filter(**lookup).values(*fields)), key=str
        )
    return rows


@pytest.mark.postgresql_only  # COPY is PostgreSQL's path; SQLite has one path (deselected and named there, not skipped)
def test_copy_writes_the_same_rows_and_history_rows_as_bulk_create(monkeypatch):
    """On PostgreSQL save_many writes new rows by COPY: the same rows, and history rows with the same who,
    when, how and values, as bulk_create and simple-history's bulk_history_create write."""
    at = datetime.datetime(2026, 3, 4, 5, 6, 7, 890_123, tzinfo=datetime.UTC)
    monkeypatch.setattr(audit.timezone, "now", lambda: at)
    written = {}
    for copies in (True, False):
        monkeypatch.setattr(audit, "copies", lambda copies=copies: copies)
        with transaction.atomic():
            assert run(BOOK, user=admin()).applied
            written[copies] = {
                BudgetLine: _written(BudgetLine, code__in={row[3] for row in BOOK}),
                Team: _written(Team, name__in={row[2] for row in BOOK}),
            }
            transaction.set_rollback(True)
    assert written[True] == written[False]
    histories = written[True][BudgetLine]["HistoricalBudgetLine"]
    assert len(histories) == len(BOOK) and len(written[True][Team]["HistoricalTeam"]) == 3
    assert {(dict(r)["history_user__username"], dict(r)["history_change_reason"]) for r in histories} == {
        ("admin", "import")
    }
    assert {dict(r)["history_date"] for r in histories} == {at}


def test_a_book_updates_a_lines_name_team_and_budget_and_records_each_change():
    division = DivisionFactory(name="기존과", bureau=BureauFactory(name="기존국"))
    old_team, new_team = TeamFactory(division=division, name="옛팀"), TeamFactory(division=division, name="새팀")
    line = BudgetLineFactory(division=division, team=old_team, code="EX-01", name="옛 이름", original_budget=5_000)
    result = run([["기존국", "기존과", "새팀", "EX-01", "새 이름", line.fiscal_year, 6_000]], user=admin())
    assert result.ok and result.applied, result.problems
    assert tallies(result) == {"bureau": (0, 0, 1), "division": (0, 0, 1), "team": (0, 0, 1), "line": (0, 1, 0)}
    assert line_rows("EX-01") == [("기존국", "기존과", "새팀", "EX-01", "새 이름", line.fiscal_year, 6_000)]
    latest = line.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == ("~", admin(), "import")
    assert (latest.name, latest.team_id, latest.original_budget) == ("새 이름", new_team.pk, 6_000)
    assert [c.detail for c in result.changes] == [
        "당초예산(원) 5,000 → 6,000; 세부사업명 옛 이름 → 새 이름; 팀 옛팀 → 새팀"
    ]


def test_a_second_run_of_the_same_book_changes_nothing_and_writes_no_history():
    first = run(BOOK)
    assert first.applied
    before = database_fingerprint()
    second = run(BOOK, fmt="xlsx")
    assert second.ok and second.applied
    assert tallies(second) == {"bureau": (0, 0, 2), "division": (0, 0, 3), "team": (0, 0, 3), "line": (0, 0, 6)}
    assert second.changes == []
    assert database_fingerprint() == before  # history tables included


def test_a_dry_run_reports_the_changes_and_writes_nothing():
    before = database_fingerprint()
    result = run(BOOK, dry_run=True, user=admin())
    assert result.ok and not result.applied
    assert tallies(result)["line"] == (6, 0, 0)
    assert [(c.kind, c.row) for c in result.changes if c.kind == Kind.BUREAU] == [(Kind.BUREAU, 2), (Kind.BUREAU, 7)]
    assert database_fingerprint() == before
    assert not LogEntry.objects.filter(change_message="예산서로 등록").exists()


def test_the_optional_address_column_names_a_new_bureau():
    header = [*HEADER, "국 주소"]
    result = run([[*BOOK[0], ""], [*BOOK[1], "budget-book"], [*BOOK[2], "budget-book"]], header=header)
    assert result.ok, result.problems
    assert Bureau.objects.get(name="예산서국").slug == "budget-book"


# -- refusals, by row and column ------------------------------------------------------------------------

GOOD = ["예산서국", "가과", "가1팀", "BK-01", "첫 사업", 2024, 1_000_000]


def bad(**cells):
    keys = ["bureau", "division", "team", "line_code", "line_name", "fiscal_year", "original_budget"]
    return [cells.get(key, value) for key, value in zip(keys, GOOD, strict=True)]


BAD_ROWS = {
    "no bureau": (bad(bureau=""), "bureau", "값이 필요합니다"),
    "division name too long": (bad(division="과" * 101), "division", "100자 이하"),
    "code with a space": (bad(line_code="BK 01"), "line_code", "영문자, 숫자"),
    "no line name": (bad(line_name=" "), "line_name", "값이 필요합니다"),
    "year 1999": (bad(fiscal_year=1999), "fiscal_year", "2000년부터"),
    "year as a word": (bad(fiscal_year="올해"), "fiscal_year", "연도"),
    "negative budget": (bad(original_budget=-1), "original_budget", "0원 이상"),
    "budget in words": (bad(original_budget="백만원"), "original_budget", "숫자가 아닙니다"),
    "budget with decimals": (bad(original_budget="1000.5"), "original_budget", "숫자가 아닙니다"),
    "budget past the bound": (bad(original_budget=10**16), "original_budget", "1,000조"),
    "line break in a name": (bad(line_name="첫 줄\n둘째 줄"), "line_name", "제어 문자"),
    "formula": (bad(line_name='=HYPERLINK("x")'), "line_name", "수식은 받지 않습니다"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_cell_is_named_by_row_and_column(case):
    row, column, words = BAD_ROWS[case]
    before = database_fingerprint()
    result = run([GOOD[:3] + ["BK-00", "앞 사업", 2024, 1], row], fmt="xlsx")
    assert [(p.row, p.field) for p in result.problems] == [("3행", column)]
    assert words in result.problems[0].message
    header = next(c.header for c in LAYOUT.columns if c.key == column)
    assert str(result.problems[0]).startswith(f"3행 · {header}: ")
    assert database_fingerprint() == before


def test_a_row_with_many_bad_cells_names_each():
    result = run([["", "", "", "bad code", "", "", ""]])
    assert [(p.row, p.field) for p in result.problems] == [
        ("2행", "bureau"),
        ("2행", "division"),
        ("2행", "line_name"),
        ("2행", "line_code"),
        ("2행", "fiscal_year"),
        ("2행", "original_budget"),
    ]


def test_rows_that_contradict_each_other_are_refused():
    result = run(
        [
            GOOD,
            bad(line_name="다른 이름"),  # the same year and code again
            bad(line_code="BK-02"),  # another code under the same name in the division's year
        ]
    )
    assert [(p.row, p.field, p.message) for p in result.problems] == [
        ("3행", "line_code", "2행와 연도·사업 코드가 같습니다."),
        ("4행", "line_name", "2행와 같은 과·연도에 이름이 같습니다."),
    ]


def test_a_code_of_another_division_is_refused_not_moved():
    line = BudgetLineFactory(code="MV-01", fiscal_year=2024)
    result = run([bad(line_code="MV-01")])
    assert [(p.row, p.field) for p in result.problems] == [("2행", "line_code")]
    assert f"{line.division.bureau.name} {line.division.name}" in result.problems[0].message
    assert BudgetLine.objects.get(pk=line.pk).division == line.division


def test_a_published_years_budget_is_not_changed_and_gets_no_new_line(bureau):
    line = BudgetLine.objects.filter(division__bureau=bureau, fiscal_year=2022).select_related("division").first()
    row = [bureau.name, line.division.name, "", line.code, line.name, 2022]
    result = run(
        [[*row, line.original_budget + 1], [bureau.name, line.division.name, "", "NEW-22", "새 사업", 2022, 1]]
    )
    assert [(p.row, p.field) for p in result.problems] == [("2행", "original_budget"), ("3행", "line_code")]
    assert "공표된 판" in result.problems[0].message
    assert run([[*row, line.original_budget]]).ok  # the same budget again is no change


def test_a_stored_lines_name_is_not_taken_and_a_stored_bureaus_address_not_changed():
    division = DivisionFactory(name="기존과", bureau=BureauFactory(name="기존국", slug="kept"))
    BudgetLineFactory(division=division, code="KP-01", name="있는 사업", fiscal_year=2024)
    result = run(
        [
            ["기존국", "기존과", "", "KP-02", "있는 사업", 2024, 1],
            ["기존국", "기존과", "", "KP-03", "새 사업", 2024, 1, "other"],
        ],
        header=[*HEADER, "국 주소"],
    )
    assert [(p.row, p.field) for p in result.problems] == [("2행", "line_name"), ("3행", "bureau_slug")]


def test_a_new_bureaus_address_taken_by_another_is_refused():
    BureauFactory(slug="taken")
    result = run([[*GOOD, "taken"]], header=[*HEADER, "국 주소"])
    assert [(p.row, p.field) for p in result.problems] == [("2행", "bureau_slug")]


def test_a_missing_column_is_named():
    result = run([GOOD[:6]], header=HEADER[:6])
    assert [(p.row, p.field) for p in result.problems] == [("1행", "original_budget")]


def test_a_bad_last_row_leaves_everything_as_it_was():
    rows = [[*GOOD[:3], f"BK-{n:03d}", f"사업 {n}", 2024, n] for n in range(1, 200)]
    before = database_fingerprint()
    result = run([*rows, bad(line_code="BK-999", original_budget="x")])
    assert [(p.row, p.field) for p in result.problems] == [("201행", "original_budget")]
    assert database_fingerprint() == before


# -- hostile files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(k for k in FIXTURES if not k.startswith("file over")))
def test_a_hostile_file_is_refused_and_logged(kind, caplog):
    build, reason = FIXTURES[kind]
    caplog.set_level(logging.INFO, logger="security")
    before = database_fingerprint()
    result = budget_book_import(content=build(book_xlsx([GOOD])), filename="hostile.xlsx", user=admin(), dry_run=False)
    assert [(p.row, p.field) for p in result.problems] == [("1행", "bureau")]
    assert database_fingerprint() == before
    assert [r["reason"] for r in rejections(caplog)] == [reason]


def test_a_file_past_the_books_limits_is_refused():
    big = book_csv([GOOD]) + b"\n" * (MAX_BYTES + 1)
    result = budget_book_import(content=big, filename="big.csv", user=None, dry_run=True)
    assert "파일이 너무 큽니다 (최대 20MB)" in result.problems[0].message
    rows = [[*GOOD[:3], f"R{n}", f"사업 {n}", 2024, 1] for n in range(LAYOUT.max_rows + 1)]
    result = run(rows, dry_run=True)
    assert [(p.row, p.field) for p in result.problems] == [(f"{LAYOUT.max_rows + 2}행", "bureau")]


def test_a_city_sized_book_fits_the_limits():
    assert LAYOUT.max_rows >= 54_000 * 1.5
    assert len(book_csv([GOOD] * 54_000)) < MAX_BYTES


# -- queries --------------------------------------------------------------------------------------------


def _book(lines: int, start: int = 0):
    return [
        [
            f"쿼리국{start}-{n % 3}",
            f"쿼리과{n % 5}",
            f"팀{n % 2}" if n % 4 else "",
            f"Q-{n:05d}",
            f"사업 {n}",
            2024 + n % 2,
            n * 1000,
        ]
        for n in range(start, start + lines)
    ]


def _statements(queries) -> list[str]:
    """The statements run, a bulk INSERT counted once: SQLite takes 999 variables a statement, so Django
    splits one into batches there (PostgreSQL gets it whole)."""
    statements = [query["sql"] for query in queries]
    return [
        sql
        for n, sql in enumerate(statements)
        if not (sql.startswith("INSERT") and n and statements[n - 1].split(" (")[0] == sql.split(" (")[0])
    ]


def test_the_number_of_queries_does_not_grow_with_the_rows():
    counts = {}
    for size in (30, 300):
        book = _book(size, start=size)
        for run_name in ("new", "again", "changed"):
            if run_name == "changed":
                book = [[*row[:6], row[6] + 1] for row in book]
            with CaptureQueriesContext(connection) as queries:
                assert run(book).applied
            counts[(size, run_name)] = len(_statements(queries))
    for run_name in ("new", "again", "changed"):
        assert counts[(30, run_name)] == counts[(300, run_name)], counts


# -- the command and the page -----------------------------------------------------------------------------


def test_the_command_imports_and_its_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "book.csv"
    path.write_bytes(book_csv(BOOK))
    out = io.StringIO()
    call_command("import_budget_book", str(path), "--dry-run", stdout=out)
    assert "line: 6 created, 0 updated, 0 unchanged" in out.getvalue()
    assert not Bureau.objects.filter(name="예산서국").exists()
    call_command("import_budget_book", str(path), stdout=io.StringIO())
    assert BudgetLine.objects.filter(code__startswith="BK-").count() == 5


def test_the_command_lists_the_problems_and_fails(tmp_path):
    path = tmp_path / "book.csv"
    path.write_bytes(book_csv([bad(fiscal_year=1999)]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_budget_book", str(path), stderr=err)
    assert err.getvalue().startswith("2행 · 회계연도: ")


def upload(rows, name="book.csv"):
    file = io.BytesIO(book_csv(rows) if name.endswith(".csv") else book_xlsx(rows))
    file.name = name
    return file


@pytest.mark.parametrize("login", [None, "staff", "director", "bureau", "planning"])
def test_the_page_is_the_administrators_only(login, client):
    if login:
        client.force_login(get_user_model().objects.get(username=login))
    url = reverse("budget:budget_book")
    for response in (client.get(url), client.post(url, {"file": upload(BOOK)})):
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or "/accounts/login/" in response["Location"]
    assert not Bureau.objects.filter(name="예산서국").exists()


def test_the_page_previews_then_applies(client):
    client.force_login(admin())
    assert client.get(reverse("budget:budget_book")).status_code == 200
    before = database_fingerprint()
    response = client.post(reverse("budget:budget_book"), {"file": upload(BOOK, "book.xlsx")})
    assert response.status_code == 200
    assert tallies(response.context["result"])["line"] == (6, 0, 0)
    assert "예산서국" in response.content.decode()
    assert database_fingerprint() == before
    response = client.post(reverse("budget:budget_book_apply"), {"token": response.context["token"]})
    assert response.status_code == 302
    line = BudgetLine.objects.get(code="OT-01")
    assert line.history.get().history_user == admin()
    assert set(LogEntry.objects.filter(change_message="예산서로 등록").values_list("object_repr", flat=True)) == {
        "예산서국",
        "다른국",
        "가과",
        "나과",
        "다과",
    }


def test_the_page_lists_the_refusals_and_never_fails_on_any_file(client):
    client.force_login(admin())
    response = client.post(reverse("budget:budget_book"), {"file": upload([bad(original_budget=-5)])})
    assert response.status_code == 400
    assert [(p.row, p.field) for p in response.context["result"].problems] == [("2행", "original_budget")]
    assert "당초예산(원)" in response.content.decode()
    for name, content in (("x.xlsx", b"PK\x03\x04garbage"), ("x.csv", b"\xff\xfe\x00bad"), ("x.pdf", b"%PDF")):
        file = io.BytesIO(content)
        file.name = name
        assert client.post(reverse("budget:budget_book"), {"file": file}).status_code == 400


def test_the_admin_index_links_the_page_for_the_administrator(client):
    client.force_login(admin())
    assert f'href="{reverse("budget:budget_book")}"' in client.get(reverse("admin:index")).content.decode()
