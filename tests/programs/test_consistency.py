"""Where two tables of the report disagree on a base figure, both values are listed, never one picked."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.selectors.consistency import consistency_disagreement_list

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 7, 1)

# (row, field, the program section's value, the other table's value), in won
EXPECTED = [
    ("커뮤니티 공간 운영지원", "예산현액", 3_214_758_000, 3_775_505_000),
    ("시민제안 발굴 및 실행", "지출액", 291_942_000 + 1_400_000, 291_942_000),
    ("자치구 마을생태계 조성 및 주민자치 지원사업 개선", "사업예산", 10_045_000_000, 3_140_000_000 + 6_931_522_000),
]


def test_the_disagreements_of_the_2022_report(bureau):
    issues = consistency_disagreement_list(bureau=bureau, fiscal_year=2022, as_of=AS_OF)
    assert [(i.row, i.field, i.value, i.other_value) for i in issues] == EXPECTED
    assert "지역커뮤니티 공간 조성" in issues[0].table and issues[0].other_table == "2022 예산 집행 현황"
    assert "시민참여플랫폼 운영" in issues[1].table and "서울시민회의" in issues[1].table


def test_the_command_lists_table_row_and_both_values(capsys):
    call_command("check_consistency", year=2022, as_of=AS_OF)
    out = capsys.readouterr().out
    assert "3 disagreement(s)" in out
    assert "| 커뮤니티 공간 운영지원 | 예산현액: 3,214,758 ≠ 2022 예산 집행 현황: 3,775,505" in out
    assert "| 시민제안 발굴 및 실행 | 지출액: 293,342 ≠ 2022 예산 집행 현황: 291,942" in out
    assert "사업예산: 10,045,000 ≠ 사업별 예산집행 현황 예산현액: 10,071,522" in out


def test_the_staff_page_shows_the_same_list(staff_client):
    response = staff_client.get(reverse("programs:consistency"))
    assert response.status_code == 200
    page = response.content.decode()
    for value in ("3,214,758", "3,775,505", "293,342", "291,942", "10,045,000", "10,071,522"):
        assert value in page
    assert "(’22. 7. 1.기준, 단위 : 천원)" in page


def test_the_staff_page_needs_a_login(client):
    response = client.get(reverse("programs:consistency"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
