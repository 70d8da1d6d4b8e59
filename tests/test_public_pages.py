"""/schedule/, /programs/…, /organisation/: what citizens read, with its as-of date, and its open data."""

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from budget.models import BudgetLine
from programs.models import Indicator, Program, ProgramExecutionRow, ScheduleItem
from programs.selectors.schedule import public_schedule, schedule_default_date, schedule_publication
from tests.html_tables import all_tables, table

pytestmark = pytest.mark.django_db


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# -- schedule ----------------------------------------------------------------------------------------


def test_schedule_defaults_to_the_date_of_the_latest_figures_when_today_is_later(bureau):
    assert schedule_default_date(bureau=bureau, today=datetime.date(2030, 1, 1)) == datetime.date(2022, 7, 1)
    assert schedule_default_date(bureau=bureau, today=datetime.date(2022, 5, 3)) == datetime.date(2022, 5, 3)


def test_schedule_groups_by_month_from_the_chosen_date(bureau):
    months = public_schedule(bureau=bureau, items=ScheduleItem.objects.all(), from_day=datetime.date(2022, 7, 1))
    assert [m.month for m in months] == [datetime.date(2022, m, 1) for m in (7, 8, 9, 12)] + [datetime.date(2023, 1, 1)]
    assert sum(len(m.entries) for m in months) == 23
    later = public_schedule(bureau=bureau, items=ScheduleItem.objects.all(), from_day=datetime.date(2022, 11, 15))
    first = later[0]
    assert first.month == datetime.date(2022, 11, 1)
    # items still running in November are listed there, marked as begun before; those planned to end
    # earlier are gone when done or not yet late at the edition's date ('22. 7. 1.: July–August's was under
    # way), and listed as delayed when the status is taken at the chosen day (no edition)
    assert all(e.started_before for e in first.entries)
    edition = schedule_publication(bureau=bureau)
    published = public_schedule(
        bureau=bureau, items=ScheduleItem.objects.all(), from_day=datetime.date(2022, 11, 15), publication=edition
    )
    assert "시민 참가자 모집, 의제선정" not in [e.item.text for m in published for e in m.entries]
    late = {e.item.text: e.status for e in first.entries}
    assert late["시민 참가자 모집, 의제선정"] == ScheduleItem.Status.DELAYED


def test_schedule_page_shows_dates_programs_divisions_and_ongoing(client):
    html = client.get(reverse("programs:schedule")).content.decode()
    tables = all_tables(html)
    assert [t["caption"] for t in tables] == [
        "’22. 7월 추진일정",
        "’22. 8월 추진일정",
        "’22. 9월 추진일정",
        "’22. 12월 추진일정",
        "’23. 1월 추진일정",
    ]
    assert "(’22. 7. 1.기준)" in html
    rows = {r[0]: r for t in tables for r in t["rows"]}
    assert rows["서울시 NPO지원센터 재위탁 절차 추진"][1:] == [
        "’22. 7월~",
        "계속 ’22. 7월부터 (종료 시점 없음)",
        "시민공익활동 지원시설 내실화",
        "갈등관리협치과",
        "추진 중",  # at ’22. 7. 1., the edition's date: its month has begun
        "-",  # no actual dates recorded
    ]
    assert rows["사업 진행상황 중간점검"][2] == "’22. 7월 ~ ’22. 10월"
    # the program draws on no budget line: its division is the one the report's 부서별 주요업무 names
    assert rows["서울시간은행 전용 플랫폼 전환 추진"][4] == "지역공동체과"


def test_schedule_filters_by_division(client):
    html = client.get(reverse("programs:schedule"), {"division": "community"}).content.decode()
    rows = [r for t in all_tables(html) for r in t["rows"]]
    assert len(rows) == 3 and {r[4] for r in rows} == {"지역공동체과"}
    assert client.get(reverse("programs:schedule"), {"division": "nope"}).status_code == 400


def test_schedule_open_data_equals_the_page(client):
    html = client.get(reverse("programs:schedule"), {"date": "2022-08-15"}).content.decode()
    shown = [(t["caption"], r[0], r[1]) for t in all_tables(html) for r in t["rows"]]
    rows = read_csv(client.get(reverse("programs:schedule_csv"), {"date": "2022-08-15"}))
    data = json.loads(client.get(reverse("programs:schedule_json"), {"date": "2022-08-15"}).content)
    assert [(r["text"], r["date_text"]) for r in rows] == [(s[1], s[2]) for s in shown]
    assert [(r["text"], r["date_text"]) for r in data["rows"]] == [(s[1], s[2]) for s in shown]
    assert data["as_of"] == "2022-07-01" and data["from_date"] == "2022-08-15"
    ongoing = [r for r in data["rows"] if r["ongoing"]]
    assert ongoing and all(r["end_month"] is None for r in ongoing)


# -- programs ----------------------------------------------------------------------------------------


def test_every_program_has_a_page(client):
    html = client.get(reverse("programs:program_list")).content.decode()
    for program in Program.objects.all():
        assert program.get_absolute_url() in html
        assert client.get(program.get_absolute_url()).status_code == 200
    assert client.get(reverse("programs:program_detail", args=["nope"])).status_code == 404


def test_program_page_is_laid_out_like_the_report(client):
    html = client.get(reverse("programs:program_detail", args=["civic-activity-facilities"])).content.decode()
    for heading in ("사업개요", "추진근거", "사업내용", "사업예산", "예산집행 현황", "향후계획"):
        assert heading in html
    assert "서울특별시 시민사회 활성화와 공익활동 증진에 관한 조례" in html
    found = table(html, "program-execution")
    assert found["caption"] == "예산집행 현황 (’22. 7. 1.기준, 단위 : 천원, %)"
    assert found["rows"][0] == ["계", "3,102,139", "1,608,451", "1,600,947", "51.8", "51.6"]
    # the report prints 54.6 for this row; the arithmetic is 57.6
    assert found["rows"][2] == ["권역별NPO지원센터조성및운영", "1,311,000", "755,131", "755,131", "57.6", "57.6"]
    assert "서울시 NPO지원센터 재위탁 절차 추진 : ’22. 7월~" in html


def test_program_open_data_equals_the_page(client):
    html = client.get(reverse("programs:program_detail", args=["civic-activity-facilities"])).content.decode()
    shown = table(html, "program-execution")["rows"]
    rows = read_csv(client.get(reverse("programs:program_csv", args=["civic-activity-facilities"])))
    assert [r["label"] for r in rows] == [s[0] for s in shown]
    assert [int(r["obligations"]) // 1000 for r in rows] == [int(s[2].replace(",", "")) for s in shown]
    data = json.loads(client.get(reverse("programs:program_json", args=["civic-activity-facilities"])).content)
    assert [r["disbursement_rate"] for r in data["rows"]] == [float(s[5]) for s in shown]
    assert data["rows"][0]["is_total"] is True and data["as_of"] == "2022-07-01"
    assert client.get(reverse("programs:program_csv", args=["seoul-timebank"])).status_code == 404  # no table


STATUS_WORDS = {"achieved": "달성", "normal": "정상", "caution": "주의", "poor": "미흡", "": "-"}


@pytest.mark.parametrize("slug", ["seoul-timebank", "civic-activity-facilities", "npo-grants"])
def test_program_measures_equal_the_open_data(client, slug):
    """Each measure of the page is the row measures.csv gives for it, as the page writes it (unit, date, word)."""
    found = table(client.get(reverse("programs:program_detail", args=[slug])).content.decode(), "program-measures")
    assert found["caption"].startswith("2022년 성과지표 (’22. 7. 1.기준) 제1판")
    rows = [
        r
        for r in read_csv(client.get(reverse("portal:measures_file", args=["measures", "csv"])))
        if r["program"] == slug
    ]
    assert len(rows) == len(found["rows"]) > 0

    def shown(value, unit):
        return "-" if value == "" else f"{int(value):,}{unit}" if value.isdigit() else f"{value}{unit}"

    expected = [
        [
            r["name"],
            "목표 미설정" if r["status"] == "no_target" else shown(r["target"], r["unit"]),
            shown(r["result"], r["unit"]),
            "-" if not r["result_as_of"] else "’{}. {}. {}.".format(*map(int, r["result_as_of"].split("-"))),
            r["achievement"] or "-",
            "-" if r["status"] == "no_target" else STATUS_WORDS[r["status"]],
        ]
        for r in rows
    ]
    for row in expected:  # '’2022.' → '’22.' as the report writes years
        row[3] = row[3].replace("’20", "’")
    assert found["rows"] == expected


def test_a_program_with_a_target_shows_it_and_one_without_says_so(client):
    timebank = table(
        client.get(reverse("programs:program_detail", args=["seoul-timebank"])).content.decode(), "program-measures"
    )
    branches = next(row for row in timebank["rows"] if row[0] == "서울시간은행 시범사업 지점 개시")
    assert branches[1] == "5개"  # the report's five pilot branches (demo_data/indicators.yaml)
    untargeted = Indicator.objects.filter(program__isnull=False).exclude(targets__status="approved").first()
    html = client.get(untargeted.program.get_absolute_url()).content.decode()
    row = next(row for row in table(html, "program-measures")["rows"] if row[0] == untargeted.name)
    assert (row[1], row[5]) == ("목표 미설정", "-")


# -- organisation ------------------------------------------------------------------------------------


def test_organisation_page(client):
    html = client.get(reverse("portal:organisation")).content.decode()
    headcount = table(html, "headcount")
    assert headcount["caption"] == "인력 (정원/현원) (’22. 7. 1.기준, 단위 : 명)"
    assert headcount["rows"][0][:3] == ["계", "104/102", "1/1"]
    assert "서울혁신파크 관리·운영" in html and "시민참여과 다급 1명" in html
    revenue = table(html, "revenue")
    assert revenue["rows"][0] == ["계", "7,210,287", "5,834,259", "1,376,028", "23.6"]
    assert {r[0]: r for r in revenue["rows"]}["기타수입"][3:] == ["△720,390", "△99.7"]
    expenditure = table(html, "expenditure")
    assert expenditure["head"][1:4] == ["2022년(A) (천원)", "2021년 본예산 (천원)", "2021년 최종예산(B) (천원)"]
    # 갈등관리협치과: the report prints △8,092,719 and △26.6; the arithmetic is shown
    assert expenditure["rows"][-1] == [
        "갈등관리협치과",
        "21,425,639",
        "30,463,117",
        "30,469,067",
        "△9,043,428",
        "△29.7",
    ]


def test_organisation_open_data_equals_the_page(client):
    html = client.get(reverse("portal:organisation")).content.decode()
    shown = table(html, "headcount")["rows"]
    rows = read_csv(client.get(reverse("portal:organisation_file", args=["headcount", "csv"])))
    rebuilt = {}
    for r in rows:
        rebuilt.setdefault(r["row"], []).append(
            "-" if r["grade"] != "계" and r["quota"] == r["current"] == "0" else f"{r['quota']}/{r['current']}"
        )
    assert [[name, *cells] for name, cells in rebuilt.items()] == shown
    revenue = json.loads(client.get(reverse("portal:organisation_file", args=["revenue", "json"])).content)
    assert revenue["rows"][0]["current"] == 7_210_287_000 and revenue["rows"][0]["change_rate"] == 23.6
    expenditure = read_csv(client.get(reverse("portal:organisation_file", args=["expenditure", "csv"])))
    assert expenditure[-1]["change"] == "-9043428000" and expenditure[-1]["change_rate"] == "-29.7"  # numbers, not '△'


# -- query counts ------------------------------------------------------------------------------------


def test_query_counts_stay_flat_as_programs_and_schedule_grow(client, django_assert_max_num_queries):
    urls = [
        reverse("programs:schedule"),
        reverse("programs:schedule_csv"),
        reverse("programs:program_list"),
        reverse("programs:program_detail", args=["civic-activity-facilities"]),
        reverse("portal:organisation"),
        reverse("portal:measures_file", args=["measures", "csv"]),
        reverse("portal:measures_file", args=["measure_targets", "csv"]),
    ]
    counts = {}
    for url in urls:
        cache.clear()  # the computing path, not a response kept for anonymous readers
        with django_assert_max_num_queries(20) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    program = Program.objects.get(slug="civic-activity-facilities")
    line = BudgetLine.objects.get(fiscal_year=2022, code="CG-04")
    for n in range(100):
        ScheduleItem.objects.create(
            program=program,
            order=100 + n,
            text=f"추가 일정 {n}",
            date_text="’22. 9월",
            start_month="2022-09-01",
            end_month="2022-09-01",
        )
        ProgramExecutionRow.objects.create(
            program=program,
            budget_line=line,
            order=100 + n,
            label=f"추가 행 {n}",
            as_of="2022-07-01",
            budget_authority=10,
            obligations=5,
            disbursements=5,
        )
        Program.objects.create(core_task=program.core_task, number=100 + n, slug=f"extra-{n}", title=f"추가 사업 {n}")
    for url in urls:
        cache.clear()
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
