"""The managers' dashboards: figures against the report, pace and lagging, time, the month-against-month
view, schedule, people, centres, filters and sorting. Permissions are in test_permissions.py and query
counts in tests/dashboards/test_queries.py."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from budget.models import BudgetLine, BudgetPaceTarget, ExecutionSnapshot
from budget.selectors.execution import execution_table
from dashboards.selectors import bureau_dashboard, division_dashboard, execution_change
from programs.models import Program, ScheduleItem
from programs.selectors.schedule import schedule_attention
from staffing.models import Division
from staffing.selectors import division_headcount

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 7, 1)


def table_html(html, table_id):
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, table_id
    return match.group(0)


def row_cells(html, table_id, name):
    """The cells of the row whose header starts with `name` (tags stripped)."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table_html(html, table_id), re.S):
        header = re.search(r"<th scope=\"row\"[^>]*>(.*?)</th>", row, re.S)
        if (
            header
            and re.sub(r"<[^>]+>", " ", header.group(1)).split()
            and re.sub(r"<[^>]+>", "", header.group(1)).strip().startswith(name)
        ):
            return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    raise AssertionError(f"no row {name!r} in #{table_id}")


def row_names(html, table_id):
    names = re.findall(r"<th scope=\"row\"[^>]*>\s*(?:<a[^>]*>)?([^<]+)", table_html(html, table_id))
    return [n.strip() for n in names]


def headline(html):
    return dict(re.findall(r'data-figure="(\w+)"[^>]*>.*?<span class="value">([^<]*)</span>', html, re.S))


@pytest.fixture
def bureau_client(client):
    client.force_login(get_user_model().objects.get(username="bureau"))
    return client


@pytest.fixture
def participation():
    return Division.objects.get(code="participation")


def add_snapshots(day, share, codes=None):
    """Snapshots at `day` with `share` of each line's 2022-07-01 figures (whole won), for the lines `codes`."""
    snapshots = ExecutionSnapshot.objects.filter(as_of=AS_OF).select_related("budget_line")
    if codes:
        snapshots = snapshots.filter(budget_line__code__in=codes)
    ExecutionSnapshot.objects.bulk_create(
        ExecutionSnapshot(
            budget_line=s.budget_line,
            as_of=day,
            obligations=None if s.obligations is None else int(s.obligations * share),
            disbursements=int(s.disbursements * share),
        )
        for s in snapshots
    )


# -- the bureau dashboard -------------------------------------------------------------------------------


def test_bureau_totals_are_the_reports_total_row(bureau_client):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard")).content.decode()
    assert headline(html) == {
        "authority": "49,535,101",
        "obligations": "-",  # most lines have no obligations in the report: no partial sum
        "disbursements": "31,734,467",
        "balance": "17,800,634",
        "obligation_rate": "-",
        "rate": "64.1",
        "pace_gap": "14.1",  # 64.1 against the straight line's 50.0 after six months
    }
    assert "(’22. 7. 1.기준, 단위 : 천원, %)" in html
    assert "자료 기준일 : ’22. 7. 1." in html


def test_bureau_ranks_divisions_by_pace_gap_and_links_each(bureau_client):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard")).content.decode()
    assert row_names(html, "divisions") == [
        "시민숙의예산과",
        "시민참여과",
        "사회협력과",
        "지역공동체과",
        "갈등관리협치과",
    ]
    assert row_cells(html, "divisions", "시민숙의예산과") == [
        "’22. 7. 1.",  # its own date and status
        "공표됨",
        "1,228,329",
        "1,228,329",
        "-",
        "97,767",
        "1,130,562",
        "-",
        "8.0",
        "△42.0",
    ]
    assert row_cells(html, "divisions", "지역공동체과")[3:] == [
        "16,894,804",
        "-",
        "10,289,466",
        "6,605,338",
        "-",
        "60.9",
        "10.9",
    ]
    assert f'href="{reverse("dashboards:division_dashboard", args=["community"])}"' in html
    assert '<tr class="lagging even" data-code="deliberative-budget">' in html


def test_bureau_dashboard_sorts_by_a_column(bureau_client):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard") + "?sort=-rate").content.decode()
    assert row_names(html, "divisions") == [
        "갈등관리협치과",
        "지역공동체과",
        "사회협력과",
        "시민참여과",
        "시민숙의예산과",
    ]
    assert 'aria-sort="descending"' in html


def test_bureau_dashboard_offers_the_briefing_for_its_date(bureau_client):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard"), {"as_of": "2022-07-01"}).content.decode()
    assert 'id="briefing-download"' in html
    assert reverse("reports:briefing_export") + "?year=2022&amp;as_of=2022-07-01" in html
    response = bureau_client.get(reverse("reports:briefing_export"), {"year": 2022, "as_of": "2022-07-01"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_bureau_selector_total_equals_the_execution_table(bureau):
    dashboard = bureau_dashboard(bureau=bureau)
    table_total = execution_table(bureau=bureau, fiscal_year=2022).total
    table_total.pace = Decimal("50.0")
    assert dashboard.total == table_total
    assert [s.points[0].rate for s in dashboard.series] == [
        r.rate for r in sorted(dashboard.rows, key=lambda r: r.division_order)
    ]


# -- the division dashboard -----------------------------------------------------------------------------


def test_division_headline_and_lagging_lines(director_client):
    html = director_client.get(reverse("dashboards:division_dashboard", args=["participation"])).content.decode()
    figures = headline(html)
    assert figures["authority"] == "1,977,413"
    assert figures["disbursements"] == "901,178"
    assert figures["balance"] == "1,076,235"
    assert figures["rate"] == "45.6"
    assert figures["obligations"] == "-"
    assert figures["pace_gap"] == "△4.4"
    assert "원인행위는 6개 중 1개 행만 기록되어 합계를 낼 수 없습니다" in html
    assert row_names(html, "lagging") == [
        "서울시민 행복증진",
        "시민참여 플랫폼 운영·관리",
        "시민참여 활성화 추진",
        "시민제안 발굴 및 실행",
    ]
    assert row_cells(html, "lagging", "시민참여 활성화 추진") == ["29.7", "50.0", "△20.3", "197,885"]


def test_division_lines_table_has_every_line_with_both_rates(director_client):
    html = director_client.get(reverse("dashboards:division_dashboard", args=["participation"])).content.decode()
    assert len(row_names(html, "lines")) == 6
    assert row_cells(html, "lines", "민주시민교육 추진") == [
        "’22. 7. 1.",
        "417,450",
        "417,450",
        "394,680",
        "394,680",
        "22,770",
        "94.5",
        "94.5",
        "44.5",
    ]
    assert row_cells(html, "lines", "시민참여 활성화 추진") == [
        "’22. 7. 1.",
        "281,650",
        "281,650",
        "-",
        "83,765",
        "197,885",
        "-",
        "29.7",
        "△20.3",
    ]
    assert "시민참여플랫폼 운영, 서울시민회의 구성․운영" in table_html(
        html, "lines"
    )  # the programs drawing on the line


def test_community_line_with_an_adjustment_shows_original_and_authority(bureau_client):
    html = bureau_client.get(reverse("dashboards:division_dashboard", args=["community"])).content.decode()
    assert row_cells(html, "lines", "커뮤니티 공간 운영지원")[1:6] == [
        "3,214,758",
        "3,775,505",
        "400,444",
        "400,444",
        "3,375,061",
    ]
    assert headline(html)["rate"] == "60.9"


@pytest.mark.parametrize(
    "query, names",
    [
        (
            "pace=lagging",
            ["시민참여 활성화 추진", "시민제안 발굴 및 실행", "시민참여 플랫폼 운영·관리", "서울시민 행복증진"],
        ),
        ("pace=on_pace", ["민주시민교육 추진", "기본경비"]),
        ("kind=basic", ["기본경비"]),
        ("q=플랫폼", ["시민참여 플랫폼 운영·관리"]),
        (
            "pace=lagging&sort=pace_gap",
            ["서울시민 행복증진", "시민참여 플랫폼 운영·관리", "시민참여 활성화 추진", "시민제안 발굴 및 실행"],
        ),
        (
            "sort=-rate",
            [
                "민주시민교육 추진",
                "기본경비",
                "시민제안 발굴 및 실행",
                "시민참여 활성화 추진",
                "시민참여 플랫폼 운영·관리",
                "서울시민 행복증진",
            ],
        ),
    ],
)
def test_division_lines_filter_and_sort(director_client, query, names):
    html = director_client.get(
        reverse("dashboards:division_dashboard", args=["participation"]) + "?" + query
    ).content.decode()
    assert row_names(html, "lines") == names


def test_division_lines_filter_by_program(director_client):
    program = Program.objects.get(slug="democratic-citizenship-education")
    html = director_client.get(
        reverse("dashboards:division_dashboard", args=["participation"]) + f"?program={program.pk}"
    ).content.decode()
    assert row_names(html, "lines") == ["민주시민교육 추진"]


def test_division_people_vacancies_and_part_time_apart(director_client, participation):
    people = division_headcount(division=participation, on_or_before=AS_OF)
    assert [(g.grade.name, g.vacancy) for g in people.vacancies] == [("8·9급", 1)]
    assert (people.total.quota, people.total.current) == (23, 23)
    html = director_client.get(reverse("dashboards:division_dashboard", args=["participation"])).content.decode()
    assert row_cells(html, "people", "8·9급")[:2] == ["1", "0"]
    assert "결원" in row_cells(html, "people", "8·9급")[2]
    assert "정원 초과" in row_cells(html, "people", "7급")[2]
    assert "다급 1명" in re.search(r'<ul id="part-time">.*?</ul>', html, re.S).group(0)


def test_division_consigned_centres_with_budget_and_staff_change(director_client):
    html = director_client.get(reverse("dashboards:division_dashboard", args=["participation"])).content.decode()
    assert row_cells(html, "centres", "민주주의학습지원센터") == ["639", "414", "△225", "5", "4", "△1"]
    assert "인력 (’21. 4. 1.)" in html and "인력 (’22. 6. 1.)" in html


def test_community_centres_have_their_total(bureau_client):
    html = bureau_client.get(reverse("dashboards:division_dashboard", args=["community"])).content.decode()
    assert row_names(html, "centres") == ["합계", "마을공동체종합지원센터", "마을배움터/마을활력소"]
    assert row_cells(html, "centres", "합계") == ["4,855", "3,450", "△1,405", "62", "37", "△25"]


# -- pace -----------------------------------------------------------------------------------------------


def test_a_bureau_target_replaces_the_straight_line(bureau_client, bureau):
    BudgetPaceTarget.objects.create(bureau=bureau, fiscal_year=2022, month=6, target_rate=Decimal("60.0"))
    dashboard = bureau_dashboard(bureau=bureau)
    assert dashboard.pace_now == Decimal("60.0")
    assert dashboard.pace.points[2] == Decimal("30.0")
    gaps = {r.code: r.pace_gap for r in dashboard.rows}
    assert gaps["community"] == Decimal("0.9")  # 60.9 − 60.0
    assert gaps["participation"] == Decimal("-14.4")
    html = bureau_client.get(reverse("dashboards:bureau_dashboard")).content.decode()
    assert "목표(60.0%) 대비" in html
    assert "국이 정한 월별 누적 집행 목표" in html
    assert row_cells(html, "pace-table", "6월 말")[0].startswith("60.0")


def test_a_division_with_no_budget_has_no_rate_and_does_not_lag(bureau):
    division = Division.objects.create(bureau=bureau, code="new", name="신설과", order=9)
    line = BudgetLine.objects.create(
        division=division, fiscal_year=2022, code="NW-01", name="신규 사업", original_budget=0
    )
    ExecutionSnapshot.objects.create(budget_line=line, as_of=AS_OF, disbursements=0)
    row = next(r for r in bureau_dashboard(bureau=bureau).rows if r.code == "new")
    assert row.rate is None and row.pace_gap is None and not row.is_lagging
    assert bureau_dashboard(bureau=bureau).rows[-1].code == "new"  # no gap: ranked last


# -- time -----------------------------------------------------------------------------------------------


def test_a_later_date_shows_the_latest_figures_before_it_and_says_so(bureau_client):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard") + "?as_of=2022-12-31").content.decode()
    assert headline(html)["disbursements"] == "31,734,467"
    assert "자료 기준일 : ’22. 7. 1." in html
    assert "’22. 12. 31. 이전에 기록된 가장 최근 자료입니다." in html


def test_a_date_before_any_figure_says_there_are_none(bureau_client):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard") + "?as_of=2022-06-30").content.decode()
    assert "’22. 6. 30. 이전에 기록된 집행 실적이 없습니다." in html
    assert 'id="headline"' not in html


def test_a_bad_date_falls_back_to_the_latest(bureau_client):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard") + "?as_of=yesterday").content.decode()
    assert "YYYY-MM-DD" in html
    assert headline(html)["rate"] == "64.1"


def test_the_chart_has_one_point_from_the_one_snapshot_and_says_so(director_client, participation):
    dashboard = division_dashboard(division=participation)
    assert [(p.month, p.as_of, p.rate) for p in dashboard.series[0].points] == [(6, AS_OF, Decimal("45.6"))]
    html = director_client.get(reverse("dashboards:division_dashboard", args=["participation"])).content.decode()
    assert "집행 실적은 ’22. 7. 1. 하나뿐이어서 점 하나로 나타냅니다." in html
    assert '<script id="pace-chart-data" type="application/json">' in html
    assert "<script>" not in html  # no inline script: data in JSON, code in static files
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") or not s.startswith(("http", "//")) for s in sources)  # no CDN


def test_the_chart_takes_each_month_from_real_snapshots_only(participation):
    add_snapshots(datetime.date(2022, 3, 31), Decimal("0.2"))
    add_snapshots(datetime.date(2022, 6, 1), Decimal("0.5"))  # covers May
    add_snapshots(datetime.date(2022, 6, 15), Decimal("0.6"))  # also May: the later one is the month's
    points = division_dashboard(division=participation).series[0].points
    assert [(p.month, p.as_of) for p in points] == [
        (3, datetime.date(2022, 3, 31)),
        (5, datetime.date(2022, 6, 15)),
        (6, AS_OF),
    ]
    assert points[1].disbursements == sum(
        int(d * Decimal("0.6")) for d in [83_765_000, 291_942_000, 37_729_000, 394_680_000, 7_000_000, 86_062_000]
    )
    assert points[0].pace == Decimal("25.0")


def test_the_figures_at_an_earlier_date_use_the_snapshots_of_that_date(bureau_client):
    add_snapshots(datetime.date(2022, 6, 1), Decimal("0.5"))
    html = bureau_client.get(
        reverse("dashboards:division_dashboard", args=["participation"]) + "?as_of=2022-06-10"
    ).content.decode()
    assert "자료 기준일 : ’22. 6. 1." in html
    assert headline(html)["disbursements"] == "450,589"  # each line's half, in won, summed, then rounded
    assert "목표(41.7%) 대비" in html  # ’22. 6. 1. covers January to May


# -- month against month ---------------------------------------------------------------------------------


def test_month_against_month_says_when_the_earlier_date_has_no_figures(director_client, participation):
    change = execution_change(
        bureau=participation.bureau, earlier=datetime.date(2022, 6, 1), later=AS_OF, division=participation
    )
    assert change.earlier_missing
    assert all(r.disbursements_change is None and r.rate_change is None for r in change.rows)
    html = director_client.get(reverse("dashboards:division_changes", args=["participation"])).content.decode()
    assert "’22. 6. 1. 이전에 기록된 집행 실적이 없습니다." in html
    assert row_cells(html, "changes", "시민참여 활성화 추진") == [
        "-",
        "-",
        "-",
        "-",
        "-",
        "83,765",
        "-",
        "-",
        "29.7",
        "-",
    ]


def test_month_against_month_per_line_in_won_and_points(director_client, participation):
    add_snapshots(
        datetime.date(2022, 6, 1), Decimal("0.5"), codes=["PA-01", "PA-02", "PA-03", "PA-04", "PA-05", "PA-06"]
    )
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-04", as_of="2022-06-01")
    snapshot.obligations, snapshot.disbursements = 300_000_000, 100_000_000
    snapshot.save()
    change = execution_change(
        bureau=participation.bureau, earlier=datetime.date(2022, 6, 1), later=AS_OF, division=participation
    )
    row = next(r for r in change.rows if r.later.code == "PA-04")
    assert row.obligations_change == 94_680_000
    assert row.disbursements_change == 294_680_000
    assert row.rate_change == Decimal("70.5")  # 94.5 − 24.0
    assert row.obligation_rate_change == Decimal("22.6")  # 94.5 − 71.9
    division_row = next(r for r in change.rows if r.level == "division")
    assert division_row.disbursements_change is not None
    url = reverse("dashboards:division_changes", args=["participation"]) + "?earlier=2022-06-01&later=2022-07-01"
    html = director_client.get(url).content.decode()
    assert row_cells(html, "changes", "민주시민교육 추진") == [
        "0",
        "300,000",
        "394,680",
        "94,680",
        "100,000",
        "394,680",
        "294,680",
        "24.0",
        "94.5",
        "70.5",
    ]
    assert "이전: ’22. 6. 1. 실적, 이후: ’22. 7. 1. 실적" in html


def test_month_against_month_leaves_lines_without_an_earlier_figure_blank(bureau_client, bureau):
    add_snapshots(datetime.date(2022, 6, 1), Decimal("0.5"), codes=["PA-01"])
    change = execution_change(bureau=bureau, earlier=datetime.date(2022, 6, 1), later=AS_OF)
    by_code = {(r.level, r.later.code): r for r in change.rows}
    assert by_code[("line", "PA-01")].disbursements_change == 83_765_000 - 41_882_500
    assert by_code[("line", "PA-02")].disbursements_change is None  # unknown, not a change from zero
    assert by_code[("division", "participation")].disbursements_change is None
    assert by_code[("total", "")].disbursements_change is None
    html = bureau_client.get(
        reverse("dashboards:bureau_changes") + "?earlier=2022-06-01&later=2022-07-01"
    ).content.decode()
    assert row_cells(html, "changes", "시민참여 활성화 추진")[6] == "41,883"


def test_month_against_month_refuses_dates_across_years(bureau_client):
    html = bureau_client.get(
        reverse("dashboards:bureau_changes") + "?earlier=2021-12-31&later=2022-07-01"
    ).content.decode()
    assert "두 날짜는 같은 회계연도 안에 있어야 합니다" in html


# -- schedule ----------------------------------------------------------------------------------------------


def test_due_next_for_the_division(director_client, participation):
    attention = schedule_attention(bureau=participation.bureau, division=participation, as_of=AS_OF)
    assert attention.until == datetime.date(2022, 8, 30)
    assert attention.overdue == []
    assert {r.item.text for r in attention.due} == {
        "생활속민주주의학습지원센터 향후 개선방향 검토",
        "시민참여플랫폼 인지도 제고를 위한 브랜드 공모 추진",
        "시민 참가자 모집, 의제선정",
    }
    html = director_client.get(reverse("dashboards:division_dashboard", args=["participation"])).content.decode()
    assert "시민 참가자 모집, 의제선정" in table_html(html, "due")
    assert 'id="no-overdue"' in html


def test_overdue_items_are_past_their_end_and_not_done(bureau_client, participation):
    as_of = datetime.date(2022, 9, 15)
    attention = schedule_attention(bureau=participation.bureau, division=participation, as_of=as_of)
    assert [r.item.text for r in attention.overdue] == ["시민 참가자 모집, 의제선정"]  # ’22. 7월~8월
    assert "권역별토론 / 종합토론 운영" in [r.item.text for r in attention.due]  # starts in September
    item = ScheduleItem.objects.get(text="시민 참가자 모집, 의제선정")
    item.status = ScheduleItem.Status.DONE
    item.save()
    assert schedule_attention(bureau=participation.bureau, division=participation, as_of=as_of).overdue == []


def test_bureau_schedule_names_the_division(bureau_client):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard")).content.decode()
    assert "시민숙의예산과" in table_html(html, "due")  # 시민참여예산: a program without a budget table of its own


def test_every_program_with_an_execution_table_belongs_to_the_division_of_its_lines():
    for program in Program.objects.prefetch_related("execution_rows__budget_line"):
        divisions = {row.budget_line.division_id for row in program.execution_rows.all()}
        if divisions:
            assert divisions == {program.division_id}, program.title
    assert Program.objects.filter(division__isnull=True).count() == 1  # ‘서울시 바로세우기’, bureau-wide


# -- language ----------------------------------------------------------------------------------------------


@pytest.fixture
def back_to_korean():
    """LocaleMiddleware leaves the language of the last request active in the thread; later tests expect Korean."""
    from django.utils import translation

    yield
    translation.activate("ko")


def test_the_dashboards_in_english(bureau_client, back_to_korean):
    from django.conf import settings

    bureau_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = bureau_client.get(reverse("dashboards:bureau_dashboard")).content.decode()
    assert "시민협력국 dashboard" in html
    assert "Budget authority" in html and "Rate on disbursements" in html
    assert "Against pace (50.0%)" in html
    assert "(as of 1 Jul 2022, unit: thousand won, %)" in html  # dates in English form on English pages
    assert "end Jun" in html and "6월 말" not in html  # the chart's labels, in its JSON
    html = bureau_client.get(reverse("dashboards:division_dashboard", args=["participation"])).content.decode()
    assert "Lagging budget lines" in html
    assert "Obligations are recorded for only 1 of 6 rows, so they have no total (-)." in html
