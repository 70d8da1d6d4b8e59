"""/execution/: the report's 예산 집행 현황 for the public, its period choice, sorting and open data."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import BudgetLine, DivisionMonth, ExecutionSnapshot
from civicbureau import display
from programs.models import Program, ProgramExecutionRow
from staffing.models import Division
from tests.factories import publish
from tests.html_tables import table

pytestmark = pytest.mark.django_db

# The report's 2022 예산 집행 현황 as printed, with its slip corrected (갈등관리협치과: 78.2 → 78.3).
REPORT_ROWS = {
    "합계": ["48,912,754", "49,535,101", "31,734,467", "17,800,634", "64.1"],
    "시민참여과": ["1,977,413", "1,977,413", "901,178", "1,076,235", "45.6"],
    "시민숙의예산과": ["1,228,329", "1,228,329", "97,767", "1,130,562", "8.0"],
    "지역공동체과": ["16,334,057", "16,894,804", "10,289,466", "6,605,338", "60.9"],
    "커뮤니티 공간 운영지원": ["3,214,758", "3,775,505", "400,444", "3,375,061", "10.6"],
    "사회협력과": ["7,947,316", "7,986,916", "3,660,575", "4,326,341", "45.8"],
    "갈등관리협치과": ["21,425,639", "21,447,639", "16,785,481", "4,662,158", "78.3"],
    "예산학교 운영": ["160,000", "160,000", "0", "160,000", "0.0"],
}


def page_rows(html):
    return {row[0]: row[1:] for row in table(html, "execution")["rows"]}


def test_execution_page_shows_the_report_with_unit_and_date(client):
    html = client.get(reverse("budget:execution")).content.decode()
    found = table(html, "execution")
    assert found["caption"].startswith("2022 예산 집행 현황 (’22. 7. 1.기준, 단위 : 천원, %) 제1판, ")
    assert found["caption"].endswith(" 공표")
    assert found["head"] == [
        "구분", "예산편성액(당초예산) (천원)", "예산현액(A) (천원)", "집행액(B) (천원)", "집행잔액(A-B) (천원)", "집행률(B/A) (%)",
    ]  # fmt: skip
    rows = page_rows(html)
    for name, cells in REPORT_ROWS.items():
        assert rows[name] == cells, name
    assert len(found["rows"]) == 40
    assert '<th scope="col"' in html and '<th scope="row"' in html


def test_a_month_without_figures_says_so(client):
    response = client.get(reverse("budget:execution"), {"year": 2022, "as_of": "2022-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "’22. 3. 31.까지 공표된 집행 실적이 없습니다" in html
    assert 'id="execution"' not in html


def test_a_later_month_shows_the_latest_snapshot_before_its_end(client):
    html = client.get(reverse("budget:execution"), {"year": 2022, "as_of": "2022-12"}).content.decode()
    assert "(’22. 7. 1.기준, 단위 : 천원, %) 제1판" in table(html, "execution")["caption"]
    assert "’22. 12. 31.까지 공표된 가장 최근 자료입니다" in html


def test_the_as_of_month_picks_the_published_period_at_or_before_its_end(client):
    """May published for one division (the others 미보고): asked for May, the May edition; for June, still
    May's (nothing later is published by then); for July, the report's ’22. 7. 1."""
    participation = Division.objects.get(code="participation")
    for line in participation.budget_lines.filter(fiscal_year=2022):
        paid = 50_000_000 if line.code == "PA-01" else 0
        ExecutionSnapshot.objects.create(
            budget_line=line, as_of="2022-05-31", disbursements=paid, approved_disbursements=paid
        )
    DivisionMonth.objects.create(
        division=participation, as_of="2022-05-31", status="approved", revision=1, approved_revision=1
    )
    publish(participation.bureau, datetime.date(2022, 5, 31), reason="시민참여과만 보고")
    for month in ("2022-05", "2022-06"):
        may = page_rows(client.get(reverse("budget:execution"), {"year": 2022, "as_of": month}).content.decode())
        assert may["시민참여 활성화 추진"][2] == "50,000" and may["시민참여과"][2] == "50,000"
        assert may["시민숙의예산과"][2] == "미보고" and may["합계"][2] == "-", month  # no older figure, no partial sum
    july = page_rows(client.get(reverse("budget:execution"), {"year": 2022, "as_of": "2022-07"}).content.decode())
    assert july["시민참여 활성화 추진"][2] == "83,765"


@pytest.mark.parametrize(
    "params", [{"as_of": "2022-13"}, {"as_of": "July"}, {"year": "1999"}, {"year": 2022, "as_of": "2021-07"}]
)
def test_a_bad_period_is_a_clear_error(client, params):
    response = client.get(reverse("budget:execution"), params)
    assert response.status_code == 400
    assert "요청을 읽을 수 없습니다" in response.content.decode()
    assert client.get(reverse("budget:execution_csv"), params).status_code == 400


def test_sorting_keeps_the_total_first_and_lines_under_their_division(client):
    html = client.get(reverse("budget:execution"), {"sort": "-rate"}).content.decode()
    names = [row[0] for row in table(html, "execution")["rows"]]
    assert names[0] == "합계"
    assert names[1] == "갈등관리협치과"  # the divisions by rate, highest first
    assert names[2] == "지역사회혁신계획 (구단위계획형) 지원"  # its lines by rate under it (the name corrected)
    assert names.index("시민숙의예산과") == len(names) - 7  # lowest division last, with its 6 lines
    assert 'aria-sort="descending"' in html
    ascending = [
        row[0]
        for row in table(client.get(reverse("budget:execution"), {"sort": "name"}).content.decode(), "execution")[
            "rows"
        ]
    ]
    assert ascending[0] == "합계" and ascending[1] == "갈등관리협치과"


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_and_json_read_back_equal_the_page(client):
    html = client.get(reverse("budget:execution")).content.decode()
    shown = [[row[0], *row[1:]] for row in table(html, "execution")["rows"]]
    csv_rows = read_csv(client.get(reverse("budget:execution_csv")))
    data = json.loads(client.get(reverse("budget:execution_json")).content)
    assert data["as_of"] == "2022-07-01" and data["fiscal_year"] == 2022
    for records, number in (
        (csv_rows, lambda v: None if v == "" else Decimal(v)),
        (data["rows"], lambda v: None if v is None else Decimal(str(v))),
    ):
        rebuilt = [
            [
                r["name"],
                display.amount(int(number(r["original_budget"]))),
                display.amount(int(number(r["budget_authority"]))),
                display.amount(int(number(r["disbursements"]))),
                display.amount(int(number(r["balance"]))),
                display.rate(number(r["execution_rate"])),
            ]
            for r in records
        ]
        assert rebuilt == shown
        assert all(r["as_of"] == "2022-07-01" for r in records)
    assert isinstance(data["rows"][0]["original_budget"], int) and data["rows"][0]["original_budget"] == 48_912_754_000
    assert data["rows"][0]["execution_rate"] == 64.1
    assert [c["name"] for c in data["columns"]][:3] == ["fiscal_year", "as_of", "level"]


def test_files_take_the_same_period_parameters(client):
    assert client.get(reverse("budget:execution_csv"), {"year": 2022, "as_of": "2022-03"}).status_code == 404
    rows = read_csv(client.get(reverse("budget:execution_csv"), {"year": 2022, "as_of": "2022-09"}))
    assert rows[0]["as_of"] == "2022-07-01"
    lines = read_csv(client.get(reverse("budget:execution_lines_csv")))
    assert {r["level"] for r in lines} == {"line"} and len(lines) == 34
    assert sum(int(r["disbursements"]) for r in lines) == 31_734_467_000


def test_a_name_that_a_spreadsheet_would_run_is_neutralised(client):
    division = Division.objects.get(code="participation")
    BudgetLine.objects.create(
        division=division,
        fiscal_year=2022,
        code="PA-XF",
        name='=HYPERLINK("http://x","y")',
        order=99,
        original_budget=5,
    )
    text = client.get(reverse("budget:execution_csv")).content.decode()
    assert "'=HYPERLINK" in text
    assert (
        # a line added after the edition: no figures in it (reported=false), never a 0
        '\n2022,,line,participation,시민참여과,PA-XF,"\'=HYPERLINK(""http://x"",""y"")",5,5,,,,,false,2022-07-01,1,'
        in text.replace("\r\n", "\n")
    )
    json_name = [
        r["name"]
        for r in json.loads(client.get(reverse("budget:execution_json")).content)["rows"]
        if r["code"] == "PA-XF"
    ]
    assert json_name == ['=HYPERLINK("http://x","y")']  # JSON is data, not a spreadsheet: kept as written


def test_query_counts_stay_flat_as_lines_grow(client, django_assert_max_num_queries):
    urls = [reverse("budget:execution"), reverse("budget:execution_csv"), reverse("budget:execution_json")]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(12) as captured:
            client.get(url, {"sort": "rate"} if url.endswith("/") else {})
        counts[url] = len(captured.captured_queries)
    division = Division.objects.get(code="community")
    program = Program.objects.get(slug="community-spaces")
    for n in range(200):
        line = BudgetLine.objects.create(
            division=division,
            fiscal_year=2022,
            code=f"CO-X{n}",
            name=f"추가 {n}",
            order=100 + n,
            original_budget=1_000_000,
        )
        ExecutionSnapshot.objects.create(budget_line=line, as_of="2022-07-01", disbursements=1_000)
        # a program section giving another 예산현액: a note under the page's table for each such line
        ProgramExecutionRow.objects.create(
            program=program,
            budget_line=line,
            order=100 + n,
            label=f"추가 {n}",
            as_of="2022-07-01",
            budget_authority=1_000,
            obligations=0,
            disbursements=0,
        )
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url, {"sort": "rate"} if url.endswith("/") else {})
        assert "추가 199" in response.content.decode()
    assert "추가 199의 예산현액: 이 표는 1,000천원" in client.get(urls[0]).content.decode()
