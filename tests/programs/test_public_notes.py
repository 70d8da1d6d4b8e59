"""Where two public pages give different figures for one thing (a program's section table against 예산 집행
현황), both pages say so, with both figures and their source; the notes follow the edition the public reads
and the pages stay cacheable."""

import datetime
import re

import pytest
from django.urls import reverse

from civicbureau import notes
from staffing.models import Division
from tests.budget.test_entry import participation_month
from tests.factories import publish
from tests.html_tables import table

pytestmark = pytest.mark.django_db

AUGUST = datetime.date(2022, 8, 31)
COMMUNITY = "/programs/community-spaces/"
PLATFORM = "/programs/civic-participation-platform/"
ASSEMBLY = "/programs/seoul-citizens-assembly/"
EDITION_1 = "/execution/?year=2022&amp;as_of=2022-07-01&amp;edition=1"


def note_items(html, notes_id):
    """Each note of the block as (text, [(link text, href)]), tags stripped."""
    block = re.search(rf'<div class="public-notes" id="{notes_id}" role="note">(.*?)</div>', html, re.S)
    if block is None:
        return []
    items = []
    for item in re.findall(r"<li>(.*?)</li>", block.group(1), re.S):
        links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', item)
        items.append((re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip(), [(t, h) for h, t in links]))
    return items


def test_the_program_page_notes_its_figure_that_the_execution_table_gives_otherwise(client):
    html = client.get(COMMUNITY).content.decode()
    rows = table(html, "program-execution")["rows"]
    assert rows == [["커뮤니티공간운영지원", "3,214,758", "400,444", "400,444", "12.5", "12.5"]]
    assert note_items(html, "program-execution-notes") == [
        (
            "이 표의 예산현액 3,214,758천원은 예산 집행 현황(’22. 7. 1. 기준 제1판)의 커뮤니티 공간 운영지원 "
            "3,775,505천원과 다릅니다. 보고서의 두 표가 다르게 적었습니다. 바로 가기: 예산 집행 현황(’22. 7. 1. 기준 제1판)",
            [("예산 집행 현황(’22. 7. 1. 기준 제1판)", EDITION_1)],
        )
    ]


def test_a_line_split_between_two_programs_is_noted_on_both_with_the_other(client):
    platform = note_items(client.get(PLATFORM).content.decode(), "program-execution-notes")
    assert [text.split(" 바로 가기")[0] for text, _links in platform] == [
        "이 표와 다른 주요사업의 표에 나뉘어 실린 시민제안 발굴 및 실행의 지출액 합계 293,342천원은 "
        "예산 집행 현황(’22. 7. 1. 기준 제1판)의 시민제안 발굴 및 실행 291,942천원과 다릅니다. "
        "보고서의 두 표가 다르게 적었습니다."
    ]
    assert platform[0][1] == [
        ("서울시민회의 구성․운영", ASSEMBLY),
        ("예산 집행 현황(’22. 7. 1. 기준 제1판)", EDITION_1),
    ]
    assembly = note_items(client.get(ASSEMBLY).content.decode(), "program-execution-notes")
    assert assembly[0][1][0] == ("시민참여플랫폼 운영", PLATFORM)


def test_a_program_whose_table_agrees_has_no_note(client):
    html = client.get("/programs/npo-grants/").content.decode()
    assert 'id="program-execution"' in html and "public-notes" not in html


def test_the_execution_page_lists_each_line_whose_program_section_differs(client):
    html = client.get(reverse("budget:execution")).content.decode()
    rows = {row[0]: row[1:] for row in table(html, "execution")["rows"]}
    assert rows["커뮤니티 공간 운영지원"] == ["3,214,758", "3,775,505", "400,444", "3,375,061", "10.6"]
    assert "이 표와 다른 공개 화면의 수치가 다른 곳" in html
    assert note_items(html, "execution-notes") == [
        (
            "커뮤니티 공간 운영지원의 예산현액: 이 표는 3,775,505천원, 주요사업의 예산집행 현황(’22. 7. 1. 기준)은 "
            "3,214,758천원입니다. 보고서의 두 표가 다르게 적었습니다. 바로 가기: 지역커뮤니티 공간 조성 ·운영지원 내실화",
            [("지역커뮤니티 공간 조성 ·운영지원 내실화", COMMUNITY)],
        ),
        (
            "시민제안 발굴 및 실행의 지출액: 이 표는 291,942천원, 두 주요사업의 예산집행 현황(’22. 7. 1. 기준)을 "
            "합하면 293,342천원입니다. 보고서의 두 표가 다르게 적었습니다. 바로 가기: 시민참여플랫폼 운영, 서울시민회의 구성․운영",
            [("시민참여플랫폼 운영", PLATFORM), ("서울시민회의 구성․운영", ASSEMBLY)],
        ),
    ]


def test_the_notes_follow_the_published_edition_not_staff_work(client):
    """August saved, approved, then published for 시민참여과 alone: until it is published, both pages are as
    before; once published, they cite the August edition, where 예산현액 still differs, and 시민제안's August
    지출액 is not set against the July program tables."""
    participation_month(AUGUST, approved=True)
    assert len(note_items(client.get("/execution/").content.decode(), "execution-notes")) == 2
    publish(Division.objects.get(code="participation").bureau, AUGUST, reason="시민참여과만 먼저 공표")
    execution = note_items(client.get("/execution/").content.decode(), "execution-notes")
    assert [text.split(":")[0] for text, _ in execution] == ["커뮤니티 공간 운영지원의 예산현액"]
    community = note_items(client.get(COMMUNITY).content.decode(), "program-execution-notes")
    assert "예산 집행 현황(’22. 8. 31. 기준 제1판)의 커뮤니티 공간 운영지원 3,775,505천원" in community[0][0]
    assert note_items(client.get(PLATFORM).content.decode(), "program-execution-notes") == []
    july = client.get("/execution/", {"year": 2022, "as_of": "2022-07-01"}).content.decode()
    assert len(note_items(july, "execution-notes")) == 2  # the report's edition keeps both


@pytest.mark.parametrize("url", ["/execution/", COMMUNITY])
def test_pages_with_notes_stay_cacheable(client, url):
    response = client.get(url)
    assert "public-notes" in response.content.decode()
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"public", "no-cache"}
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_kernel_registry_keeps_one_provider_once_and_knows_no_app():
    def provider(**shown):
        return [notes.Note(f"{shown['x']}")]

    notes.register("tests:page", provider)
    notes.register("tests:page", provider)
    try:
        assert notes.notes_for("tests:page", x=1) == [notes.Note("1")]
        assert notes.notes_for("tests:nothing", x=1) == []
    finally:
        notes._providers.pop("tests:page")
