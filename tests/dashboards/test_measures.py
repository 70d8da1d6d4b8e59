"""Measures on the dashboards (issue 18): the measures table (target, result, achievement, status, trend),
sorted and filtered; the off-track measures beside the lagging lines; the bureau's roll-up page. On the
demo, with measures of our own (their targets and results made here), so that the demo's own targets may
change without changing what these tests check."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from civicbureau import figures
from programs.models import Program
from staffing.models import Division
from tests.factories import IndicatorFactory, IndicatorValueFactory, MeasureTargetFactory
from tests.html_tables import table

pytestmark = pytest.mark.django_db

JUNE, JULY = datetime.date(2022, 6, 1), datetime.date(2022, 7, 1)
AT = "?as_of=2022-07-01"


def add_measure(slug, name, *, target=None, results=(), direction=figures.HIGHER, unit="건"):
    program = Program.objects.get(slug=slug)
    indicator = IndicatorFactory(program=program, name=name, unit=unit, direction=direction, order=0)
    if target is not None:
        MeasureTargetFactory(indicator=indicator, fiscal_year=2022, value=Decimal(target))
    for day, value in results:
        IndicatorValueFactory(indicator=indicator, as_of=day, value=Decimal(value))
    return indicator


@pytest.fixture
def bureau_client(client):
    client.force_login(get_user_model().objects.get(username="bureau"))
    return client


@pytest.fixture
def measures(db):
    """Five measures of 시민참여과 (민주시민교육 and 시민참여플랫폼) and one of 사회협력과, one of each status."""
    return [
        add_measure("democratic-citizenship-education", "시험 달성", target=10, results=[(JUNE, 6), (JULY, 12)]),
        add_measure("democratic-citizenship-education", "시험 정상", target=100, results=[(JULY, 95)]),
        add_measure("civic-participation-platform", "시험 주의", target=100, results=[(JUNE, 90), (JULY, 80)]),
        add_measure("civic-participation-platform", "시험 미흡", target=100, results=[(JULY, 50)]),
        add_measure("democratic-citizenship-education", "시험 목표 없음", results=[(JULY, 3)]),
        add_measure(
            "sharing-seoul", "시험 낮을수록", target=10, results=[(JUNE, 25), (JULY, 20)], direction=figures.LOWER
        ),
    ]


def ours(rows):
    """Our measures' rows (the first cell starts with 시험), in the order shown."""
    return [row for row in rows if row[0].startswith("시험 ")]


def test_the_bureau_measures_table_has_target_result_achievement_status_and_trend(bureau_client, measures):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard") + AT).content.decode()
    found = table(html, "measures")
    assert found["head"][:8] == ["성과지표", "주요사업", "과", "목표", "실적", "달성률 (%)", "상태", "추세"]
    assert ours(found["rows"]) == [
        [
            "시험 달성",
            "민주시민교육 운영 내실화",
            "시민참여과",
            "10건",
            "12건(’22. 7. 1.기준)",
            "120.0",
            "달성",
            "▲ 6건 (좋아짐)",
        ],
        ["시험 정상", "민주시민교육 운영 내실화", "시민참여과", "100건", "95건(’22. 7. 1.기준)", "95.0", "정상", "-"],
        [
            "시험 주의",
            "시민참여플랫폼 운영",
            "시민참여과",
            "100건",
            "80건(’22. 7. 1.기준)",
            "80.0",
            "주의",
            "▼ 10건 (나빠짐)",
        ],
        ["시험 미흡", "시민참여플랫폼 운영", "시민참여과", "100건", "50건(’22. 7. 1.기준)", "50.0", "미흡", "-"],
        [
            "시험 목표 없음",
            "민주시민교육 운영 내실화",
            "시민참여과",
            "목표 미설정",
            "3건(’22. 7. 1.기준)",
            "-",
            "목표 미설정",
            "-",
        ],
        [
            "시험 낮을수록",
            "시민상생에 기여하는 공유서울 추진",
            "사회협력과",
            "10건",
            "20건(’22. 7. 1.기준)",
            "50.0",
            "미흡",
            "▼ 5건 (좋아짐)",
        ],
    ]
    assert 'class="status status-returned" data-status="poor"' in html  # 미흡 in the red the site already uses


def test_the_measures_table_sorts_by_achievement_and_by_status(bureau_client, measures):
    url = reverse("dashboards:bureau_dashboard") + AT
    rows = table(bureau_client.get(url + "&measures-sort=-achievement").content.decode(), "measures")["rows"]
    assert [r[0] for r in ours(rows)] == [
        "시험 달성",
        "시험 정상",
        "시험 주의",
        "시험 미흡",
        "시험 낮을수록",
        "시험 목표 없음",
    ]
    rows = table(bureau_client.get(url + "&measures-sort=-status").content.decode(), "measures")["rows"]
    names = [r[0] for r in ours(rows)]
    assert names[0] == "시험 목표 없음"  # no status sorts after 미흡
    assert names.index("시험 미흡") < names.index("시험 주의") < names.index("시험 정상") < names.index("시험 달성")
    # sorting the measures leaves the divisions' table in its own order (each table its own parameter)
    html = bureau_client.get(url + "&measures-sort=status").content.decode()
    assert "measures-sort=-status" in html and 'aria-sort="ascending"' in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("measures-status=off_track", ["시험 주의", "시험 미흡", "시험 낮을수록"]),
        ("measures-status=poor", ["시험 미흡", "시험 낮을수록"]),
        ("measures-status=achieved", ["시험 달성"]),
        ("measures-program={platform}", ["시험 주의", "시험 미흡"]),
        ("measures-division={social}", ["시험 낮을수록"]),
        ("measures-division={participation}&measures-status=off_track", ["시험 주의", "시험 미흡"]),
    ],
)
def test_the_measures_table_filters_by_status_division_and_program(bureau_client, measures, query, expected):
    query = query.format(
        platform=Program.objects.get(slug="civic-participation-platform").pk,
        social=Division.objects.get(code="social-cooperation").pk,
        participation=Division.objects.get(code="participation").pk,
    )
    html = bureau_client.get(reverse("dashboards:bureau_dashboard") + AT + "&" + query).content.decode()
    assert [r[0] for r in ours(table(html, "measures")["rows"])] == expected


def test_off_track_measures_stand_beside_the_lagging_divisions(bureau_client, measures):
    html = bureau_client.get(reverse("dashboards:bureau_dashboard") + AT).content.decode()
    side_by_side = html[html.index('id="lagging-and-off-track"') :]
    assert side_by_side.index('id="lagging"') < side_by_side.index('id="off-track"')
    assert side_by_side.index('id="off-track"') < side_by_side.index('id="measures"')  # both before the table
    lagging = table(html, "lagging")["rows"]
    assert [row[0] for row in lagging] == ["시민숙의예산과", "시민참여과", "사회협력과"]
    off_track = ours(table(html, "off-track")["rows"])
    # 미흡 first (the lower achievement first), then 주의; 달성, 정상 and 목표 미설정 are not off track
    assert [(row[0].split("시험 ")[1][:2], row[1], row[4]) for row in off_track] == [
        ("미흡", "50.0", "미흡"),
        ("낮을", "50.0", "미흡"),
        ("주의", "80.0", "주의"),
    ]


def test_the_division_dashboard_shows_its_own_measures_beside_its_lagging_lines(director_client, measures):
    html = director_client.get(reverse("dashboards:division_dashboard", args=["participation"]) + AT).content.decode()
    found = table(html, "measures")
    assert "과" not in found["head"]  # one division: no division column
    assert [r[0] for r in ours(found["rows"])] == ["시험 달성", "시험 정상", "시험 주의", "시험 미흡", "시험 목표 없음"]
    assert [row[4] for row in ours(table(html, "off-track")["rows"])] == ["미흡", "주의"]
    side_by_side = html[html.index('id="lagging-and-off-track"') :]
    assert side_by_side.index('id="lagging"') < side_by_side.index('id="off-track"')


def test_the_roll_up_page_reads_from_direction_down_to_measure(bureau_client, measures):
    dashboard = bureau_client.get(reverse("dashboards:bureau_dashboard") + AT).content.decode()
    assert f'href="{reverse("dashboards:bureau_progress")}?as_of=2022-07-01"' in dashboard
    html = bureau_client.get(reverse("dashboards:bureau_progress") + AT).content.decode()
    rows = table(html, "progress")["rows"]
    names = [row[0] for row in rows]
    education = next(n for n, name in enumerate(names) if name.startswith("민주시민교육 운영 내실화"))
    # the program, its budget line, its milestone, its measures, in that order: 민주시민교육 추진 417,450 천원,
    # 394,680 spent (94.5 %: the report prints 94.6), its one milestone (’22. 7월~) under way; its measures
    # average (100 + 95) ÷ 2, the 120 % capped, the three without a target left out
    assert rows[education][1:] == ["417,450", "394,680", "94.5", "0 / 1 / 0", "1 / 1 / 0 / 0 / 4", "97.5", "정상"]
    assert names[education + 1].startswith("세부사업 ")
    assert names[education + 2].startswith("일정 ")
    assert "성과지표 시험 달성" in names[education + 3 :]
    platform = next(row for row in rows if row[0].startswith("시민참여플랫폼 운영"))
    assert platform[5:] == ["0 / 0 / 1 / 1 / 5", "65.0", "미흡"]  # (80 + 50) ÷ 2; the worst is 미흡
    # no line, no milestone, and one measure (민간위탁 지도점검, 연2회) with a target but no result: counted
    # without a status, and no average or status of its own ('-'), not an error
    nothing = rows[names.index("‘서울시 바로세우기’ 내실있는 추진")]
    assert nothing[1:] == ["-", "-", "-", "0 / 0 / 0", "0 / 0 / 0 / 0 / 1", "-", "-"]


def test_published_figures_only_show_the_measures_as_the_edition_recorded_them(bureau_client, measures):
    """Our targets and results were recorded after the demo's edition was published: with only published
    figures asked for, they are not there yet (목표 미설정, no result), and nothing is off track."""
    url = reverse("dashboards:bureau_dashboard") + AT
    html = bureau_client.get(url + "&published=1").content.decode()
    rows = ours(table(html, "measures")["rows"])
    assert [row[3:7] for row in rows if row[0] == "시험 미흡"] == [["목표 미설정", "-", "-", "목표 미설정"]]
    assert 'id="off-track"' not in html or not ours(table(html, "off-track")["rows"])
    progress = bureau_client.get(reverse("dashboards:bureau_progress") + AT + "&published=1").content.decode()
    platform = next(row for row in table(progress, "progress")["rows"] if row[0].startswith("시민참여플랫폼 운영"))
    assert platform[5:] == ["0 / 0 / 0 / 0 / 7", "-", "-"]  # its five measures of the demo and our two
