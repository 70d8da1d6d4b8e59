"""The city briefing (/city/briefing.xlsx, reports.city, built by the job queue: reports.jobs): read back cell
by cell for bureaus built by the factories, every figure computed by hand below; who may download it; its
sheets' names."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation
from openpyxl import load_workbook

from budget.models import BudgetPaceTarget
from civicbureau import display
from jobs.models import Job
from reports.city import city_briefing_build, sheet_names
from reports.jobs import city_briefing_job
from reports.writer import AMOUNT_FORMAT, DATE_FORMAT, RATE_FORMAT, briefing_workbook
from staffing.selectors import bureau_list
from tests.factories import (
    FISCAL_YEAR,
    BudgetAdjustmentFactory,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    UserFactory,
    member,
    publish,
)

pytestmark = pytest.mark.django_db
URL = reverse("reports:city_briefing")
JUNE, JULY = datetime.date(FISCAL_YEAR, 6, 30), datetime.date(FISCAL_YEAR, 7, 31)
BUREAUS = ("시험도시가국", "시험도시나국", "시험도시다국")


def _pace_target(bureau, month, rate):
    target = BudgetPaceTarget(bureau=bureau, fiscal_year=FISCAL_YEAR, month=month, target_rate=Decimal(rate))
    target.full_clean()
    target.save()


@pytest.fixture
def city():
    """가국: two lines, 100,000,000 won (+20,000,000 supplementary) and 50,000,000, published for 31 July.
    나국: one line of 80,000,000, published for 30 June, then for 31 July; its own pace target (50.0 % by July).
    다국: a line, nothing published. The city's pace: 60.0 % by June (then a straight line to 100 in December).
    The demo's bureau has nothing published for the year either."""
    ga, na, da = (BureauFactory(name=name) for name in BUREAUS)
    division = DivisionFactory(bureau=ga, name="가국 시험과")
    first = BudgetLineFactory(division=division, name="가국 사업 하나", order=1, original_budget=100_000_000)
    second = BudgetLineFactory(division=division, name="가국 사업 둘", order=2, original_budget=50_000_000)
    BudgetAdjustmentFactory(budget_line=first, amount=20_000_000)
    ExecutionSnapshotFactory(
        budget_line=first, as_of=JULY, obligations=60_000_000, disbursements=48_000_000, approved=True
    )
    ExecutionSnapshotFactory(
        budget_line=second, as_of=JULY, obligations=20_000_000, disbursements=12_000_000, approved=True
    )
    DivisionMonthFactory(division=division, as_of=JULY, approved=True)
    publish(ga, JULY)

    division = DivisionFactory(bureau=na, name="나국 시험과")
    line = BudgetLineFactory(division=division, name="나국 사업", original_budget=80_000_000)
    ExecutionSnapshotFactory(
        budget_line=line, as_of=JUNE, obligations=30_000_000, disbursements=20_000_000, approved=True
    )
    ExecutionSnapshotFactory(
        budget_line=line, as_of=JULY, obligations=70_000_000, disbursements=40_000_000, approved=True
    )
    DivisionMonthFactory(division=division, as_of=JUNE, approved=True)
    DivisionMonthFactory(division=division, as_of=JULY, approved=True)
    publish(na, JUNE)
    publish(na, JULY)
    _pace_target(na, 7, "50.0")

    BudgetLineFactory(division=DivisionFactory(bureau=da))
    _pace_target(None, 6, "60.0")
    return {"가": ga, "나": na, "다": da}


def _start(client, query):
    """Ask for the briefing as a browser does: the form's POST starts the job (run at once: no Redis in the
    tests) and sends the person to the job's page."""
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job is queued once its row is committed
        response = client.post(URL, query)
    assert response.status_code == 302, response.content.decode()
    job = Job.objects.get(pk=resolve(response["Location"]).kwargs["job_id"])
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    return job


def _download(client, **query):
    """The workbook, through the job: its page offers the link, and the link the file."""
    client.force_login(member("budget_office"))
    job = _start(client, {"year": FISCAL_YEAR, **query})
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert f'href="{reverse("jobs:download", args=[job.pk])}"' in page, page
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def _values(book):
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _body(ws):
    """The rows after the repeated header until the first empty row, as values."""
    end = int(ws.print_title_rows.split(":")[1].lstrip("$"))
    rows = []
    for row in ws.iter_rows(min_row=end + 1, values_only=True):
        if row[0] in (None, ""):
            break
        rows.append(list(row))
    return rows


def _day(day):
    return datetime.datetime.combine(day, datetime.time())  # how openpyxl reads a date cell back


UNPUBLISHED = ["-", "미공표", "-", "-", "-", "-", "-", "-"]


def test_the_summary_holds_each_bureaus_latest_published_period(client, city):
    """천원 (half up) and rates to one decimal, by hand:
    가: 예산현액 120,000 + 50,000 = 170,000; 원인행위 80,000; 지출액 60,000; 60,000 ÷ 170,000 = 35.3 %;
        the city's pace at the end of July, 60.0 + (100 − 60.0) ÷ 6 = 66.7; gap 35.3 − 66.7 = △31.4.
    나: 80,000; 70,000; 40,000; 50.0 % against its own 50.0: gap 0.0.
    The city: 250,000; 150,000; 100,000; 40.0 % against the city's 66.7 (both at 31 July): △26.7."""
    ws = _download(client, as_of=JULY.isoformat())["국별 집행 요약"]
    assert ws["A1"].value == f"{FISCAL_YEAR} 국별 예산 집행 현황"
    assert ws["A2"].value == "(’23. 7. 31. 이전 공표분, 국별 기준일, 단위 : 천원, %, %p)"
    assert _body(ws) == [
        ["시 전체 합계", _day(JULY), "-", 250_000, 150_000, 100_000, 40.0, 66.7, -26.7],
        ["시민협력국", *UNPUBLISHED],
        ["시험도시가국", _day(JULY), "제1판", 170_000, 80_000, 60_000, 35.3, 66.7, -31.4],
        ["시험도시나국", _day(JULY), "제1판", 80_000, 70_000, 40_000, 50.0, 50.0, 0.0],
        ["시험도시다국", *UNPUBLISHED],
    ]
    ga = next(row for row in ws.iter_rows() if row[0].value == "시험도시가국")
    assert [cell.number_format for cell in ga[1:]] == [DATE_FORMAT, "General"] + [AMOUNT_FORMAT] * 3 + [RATE_FORMAT] * 3
    notes = [row[0] for row in ws.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("※")]
    assert "※ 미공표 (합계에 넣지 않음) : 시민협력국, 시험도시다국" in notes


def test_an_earlier_date_takes_each_bureaus_period_published_by_then(client, city):
    """As of 15 July: 가 published nothing by then (미공표); 나 its June period: 80,000; 30,000; 20,000;
    25.0 % against its own pace at June's end, 50.0 × 6 ÷ 7 = 42.9 (gap △17.9); the city's total against
    the city's 60.0 % for June (△35.0)."""
    book = _download(client, as_of="2023-07-15")
    ws = book["국별 집행 요약"]
    assert _body(ws) == [
        ["시 전체 합계", _day(JUNE), "-", 80_000, 30_000, 20_000, 25.0, 60.0, -35.0],
        ["시민협력국", *UNPUBLISHED],
        ["시험도시가국", *UNPUBLISHED],
        ["시험도시나국", _day(JUNE), "제1판", 80_000, 30_000, 20_000, 25.0, 42.9, -17.9],
        ["시험도시다국", *UNPUBLISHED],
    ]
    assert book.sheetnames == ["표지", "국별 집행 요약", "시험도시나국"]


def test_the_city_total_has_no_pace_when_the_bureaus_dates_differ(city):
    """가 and 나 at 31 July, a bureau published for 30 June only: one pace cannot stand for all three."""
    bureau = BureauFactory(name="시험도시라국")
    division = DivisionFactory(bureau=bureau)
    line = BudgetLineFactory(division=division, original_budget=10_000_000)
    ExecutionSnapshotFactory(
        budget_line=line, as_of=JUNE, obligations=1_000_000, disbursements=1_000_000, approved=True
    )
    DivisionMonthFactory(division=division, as_of=JUNE, approved=True)
    publish(bureau, JUNE)
    briefing = city_briefing_build(fiscal_year=FISCAL_YEAR, as_of=JULY)
    total = briefing.total
    # 170,000,000 + 80,000,000 + 10,000,000 won; 48,000,000 + 12,000,000 + 40,000,000 + 1,000,000 paid
    assert (total.authority, total.disbursements, total.snapshot_as_of, total.pace) == (
        260_000_000,
        101_000_000,
        None,
        None,
    )
    summary = next(sheet for sheet in briefing.sheets if sheet.name == "국별 집행 요약")
    first = summary.rows[summary.header_end]
    assert [first[1].value, first[7].value, first[8].value] == ["국별 상이", None, None]


def test_one_execution_sheet_per_published_bureau(client, city):
    """Each sheet is the bureau's own 예산 집행 현황 of its edition (천원): 당초, 예산현액, 지출액, 잔액, 집행률."""
    book = _download(client, as_of=JULY.isoformat())
    assert book.sheetnames == ["표지", "국별 집행 요약", "시험도시가국", "시험도시나국"]
    ws = book["시험도시가국"]
    assert ws["A1"].value == f"시험도시가국 {FISCAL_YEAR} 예산 집행 현황"
    assert ws["A2"].value == "(’23. 7. 31.기준, 단위 : 천원, %)"
    assert _body(ws) == [
        ["합계", 150_000, 170_000, 60_000, 110_000, 35.3],
        ["가국 시험과", 150_000, 170_000, 60_000, 110_000, 35.3],
        ["가국 사업 하나", 100_000, 120_000, 48_000, 72_000, 40.0],
        ["가국 사업 둘", 50_000, 50_000, 12_000, 38_000, 24.0],
    ]
    assert ws.oddHeader.right.text.startswith("시험도시가국 ’23. 7. 31. 기준 제1판, ")
    assert ws.oddFooter.center.text == "’23. 7. 31. 기준"
    # each printed page says whose it is: the bureau on its sheet, the city on the summary
    assert (ws.oddFooter.left.text, book["국별 집행 요약"].oddFooter.left.text) == ("시험도시가국", "시 전체")
    assert _body(book["시험도시나국"]) == [
        ["합계", 80_000, 80_000, 40_000, 40_000, 50.0],
        ["나국 시험과", 80_000, 80_000, 40_000, 40_000, 50.0],
        ["나국 사업", 80_000, 80_000, 40_000, 40_000, 50.0],
    ]


def test_the_cover_names_the_city_and_links_every_sheet(client, city):
    ws = _download(client, as_of=JULY.isoformat())["표지"]
    facts = {row[0]: row[1] for row in ws.iter_rows(min_row=3, max_row=6, values_only=True)}
    assert facts["구분"] == "시 전체 (4개 국, 공표 2개 국)"
    assert facts["출력일"].startswith("’")
    contents = [
        [cell.value for cell in row] + [row[1].hyperlink.location if row[1].hyperlink else None]
        for row in ws.iter_rows(min_row=10)
        if row[0].value is not None
    ]
    assert contents == [
        [1, "국별 집행 요약", f"{FISCAL_YEAR} 국별 예산 집행 현황", "’23. 7. 31.", "'국별 집행 요약'!A1"],
        [2, "시험도시가국", f"시험도시가국 {FISCAL_YEAR} 예산 집행 현황", "’23. 7. 31.", "'시험도시가국'!A1"],
        [3, "시험도시나국", f"시험도시나국 {FISCAL_YEAR} 예산 집행 현황", "’23. 7. 31.", "'시험도시나국'!A1"],
    ]


def test_nothing_published_by_the_date_is_a_page_with_the_reason_and_no_job(client, city):
    client.force_login(member("budget_office"))
    response = client.post(URL, {"year": FISCAL_YEAR, "as_of": "2023-05-31"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "2023-05-31까지 공표된 2023년 기준일이 없습니다" in page
    assert 'value="2023-05-31"' in page  # the form again, as it was filled in
    assert "회계연도는 2000년부터" in client.post(URL, {"year": "99999"}).content.decode()
    assert client.post(URL, {"year": FISCAL_YEAR, "as_of": "not-a-date"}).status_code == 400
    assert not Job.objects.exists()  # refused at once: no job was made


def test_the_page_asks_for_the_year_and_date_and_a_link_starts_nothing(client, city):
    """Starting a job writes: the address read (a link, a page of another site) shows the form, prefilled with
    the latest year published, and makes no job; only the form's POST does."""
    client.force_login(member("budget_office"))
    page = client.get(URL, {"as_of": JULY.isoformat()}).content.decode()
    assert '<form method="post" id="city-briefing-form">' in page
    assert f'name="year" value="{FISCAL_YEAR}"' in page and f'name="as_of" value="{JULY.isoformat()}"' in page
    assert not Job.objects.exists()


def test_the_workbook_of_the_job_is_the_one_built_directly(client, city):
    """The job's file, read back, holds every cell the direct build writes (export_briefing's path)."""
    with translation.override("ko"):
        direct = load_workbook(BytesIO(briefing_workbook(city_briefing_build(fiscal_year=FISCAL_YEAR, as_of=JULY))))
    through_the_job = _download(client, as_of=JULY.isoformat())
    assert through_the_job.sheetnames == direct.sheetnames
    assert _values(through_the_job) == _values(direct)
    job = Job.objects.get()
    assert (job.kind, job.params, job.status, job.attempts) == (
        "city_briefing",
        {"year": FISCAL_YEAR, "as_of": JULY.isoformat()},
        "done",
        1,
    )
    assert job.filename == f"시전체-예산집행-{JULY:%Y-%m-%d}.xlsx"


def test_the_job_reports_each_bureau_as_it_reads_it(city):
    """The builder's progress: a step per bureau of the city (the demo's and the three), then the writing."""
    steps = []
    city_briefing_job({"year": FISCAL_YEAR, "as_of": None}, lambda percent, text: steps.append((percent, text)))
    bureaus = [bureau.name for bureau in bureau_list()]
    assert steps == [
        (5 + 85 * done // len(bureaus), f"{name} 읽는 중 ({done}/{len(bureaus)})")
        for done, name in enumerate(bureaus, start=1)
    ] + [(90, "엑셀 파일을 쓰는 중")]


@pytest.mark.parametrize(
    ("role", "status"),
    [("budget_office", 302), ("admin", 302), ("planning", 403), ("bureau_director", 403), ("director", 403)],
)
def test_the_budget_office_and_the_administrator_download_it_and_bureaus_do_not(client, city, role, status):
    """The city briefing is the budget office's: a bureau's people download their own bureau's briefing."""
    if role == "admin":
        user = UserFactory(is_superuser=True, is_staff=True)
    elif role == "director":
        user = member(role, division=city["가"].divisions.get())
    else:
        user = member(role, bureau=city["가"] if role != "budget_office" else None)
    client.force_login(user)
    assert client.get(URL).status_code == (200 if status == 302 else 403)  # the form
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, {"year": FISCAL_YEAR, "as_of": JULY.isoformat()})
    assert response.status_code == status
    assert list(Job.objects.values_list("created_by", "status")) == ([(user.pk, "done")] if status == 302 else [])


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sheet_names_are_unique_and_fit_excel_once_cut():
    long = "가" * 40
    names = sheet_names(
        [long, long + "나", "가" * 31 + "다", "표지", "A/B:C?", "abc", "ABC"], taken=["표지", "국별 집행 요약"]
    )
    assert names == ["가" * 31, "가" * 27 + " (2)", "가" * 27 + " (3)", "표지 (2)", "A_B_C_", "abc", "ABC (2)"]
    assert all(len(name) <= 31 for name in names)


def test_bureaus_whose_names_meet_once_cut_get_sheets_of_their_own(client):
    stem = "시험도시 이름이 아주 길어서 엑셀 시트 이름에 다 들어가지 않는 국"  # 36 characters
    for suffix in ("하나", "둘"):
        bureau = BureauFactory(name=f"{stem} {suffix}")
        division = DivisionFactory(bureau=bureau)
        ExecutionSnapshotFactory(budget_line=BudgetLineFactory(division=division), as_of=JULY, approved=True)
        DivisionMonthFactory(division=division, as_of=JULY, approved=True)
        publish(bureau, JULY)
    book = _download(client, as_of=JULY.isoformat())
    assert book.sheetnames == ["표지", "국별 집행 요약", stem[:31], stem[:27] + " (2)"]
    assert book[stem[:27] + " (2)"]["A1"].value == f"{stem} 하나 {FISCAL_YEAR} 예산 집행 현황"  # 둘 sorts first


def test_queries_stay_flat_as_the_lines_grow(city, django_assert_num_queries):
    """Three queries a bureau (its edition, its table, its pace), the bureaus and the city's pace, whatever
    the number of lines."""
    with CaptureQueriesContext(connection) as before:
        city_briefing_build(fiscal_year=FISCAL_YEAR, as_of=JULY)
    division = city["가"].divisions.get()
    for _ in range(20):
        BudgetLineFactory(division=division)  # lines the edition did not publish: read all the same (미보고)
    with django_assert_num_queries(len(before.captured_queries)):
        briefing = city_briefing_build(fiscal_year=FISCAL_YEAR, as_of=JULY)
    sheet = next(s for s in briefing.sheets if s.name == "시험도시가국")
    assert sum(1 for row in sheet.rows if row[0] is not None and row[0].indent == 1) == 2 + 20


def test_the_command_writes_the_city_briefing(tmp_path, city):
    path = tmp_path / "city.xlsx"
    call_command("export_briefing", year=FISCAL_YEAR, as_of=JULY, output=path, city=True)
    assert load_workbook(path).sheetnames == ["표지", "국별 집행 요약", "시험도시가국", "시험도시나국"]
    with pytest.raises(CommandError, match="--city"):
        call_command("export_briefing", year=FISCAL_YEAR, as_of=JULY, output=path, city=True, preview=True)


def test_every_figure_sheet_names_its_unit_and_date(client, city):
    book = _download(client, as_of=JULY.isoformat())
    for ws in book.worksheets[1:]:
        assert "단위 : 천원, %" in ws["A2"].value
        assert display.report_date(JULY) in ws["A2"].value
