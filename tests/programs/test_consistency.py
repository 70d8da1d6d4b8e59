"""Where two tables of the report disagree on a base figure, both values are listed, never one picked; the
check is of a reporting period (default: the latest published), so a later month never hides the report's."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from budget.services import division_month_approve, division_month_submit
from programs.selectors.consistency import consistency_check
from tests.budget.test_entry import participation_month, user
from tests.factories import publish
from tests.html_tables import table

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 7, 1)
AUGUST = datetime.date(2022, 8, 31)

# (row, field, the program section's value, the other table's value), in won
EXPECTED = [
    ("커뮤니티 공간 운영지원", "예산현액", 3_214_758_000, 3_775_505_000),
    ("시민제안 발굴 및 실행", "지출액", 291_942_000 + 1_400_000, 291_942_000),
    ("자치구 마을생태계 조성 및 주민자치 지원사업 개선", "사업예산", 10_045_000_000, 3_140_000_000 + 6_931_522_000),
]
REPORT_LINES = [
    "| 커뮤니티 공간 운영지원 | 예산현액: 3,214,758 ≠ 2022 예산 집행 현황: 3,775,505",
    "| 시민제안 발굴 및 실행 | 지출액: 293,342 ≠ 2022 예산 집행 현황: 291,942",
    "사업예산: 10,045,000 ≠ 사업별 예산집행 현황 예산현액: 10,071,522",
]


def found(check):
    return [(i.row, i.field, i.value, i.other_value) for i in check.issues]


def august(status):
    """시민참여과's 2022-08-31 month, its figures those of July: saved as a draft, or also submitted and approved."""
    month = participation_month(AUGUST, approved=status == "approved")
    assert month.status == status
    return month


def test_the_disagreements_of_the_2022_report(bureau):
    check = consistency_check(bureau=bureau, fiscal_year=2022)
    assert (check.as_of, check.publication.edition, check.program_as_of) == (AS_OF, 1, AS_OF)
    assert found(check) == EXPECTED
    assert "지역커뮤니티 공간 조성" in check.issues[0].table and check.issues[0].other_table == "2022 예산 집행 현황"
    assert "시민참여플랫폼 운영" in check.issues[1].table and "서울시민회의" in check.issues[1].table
    assert [p.slug for p in check.issues[1].programs] == ["civic-participation-platform", "seoul-citizens-assembly"]


def test_the_command_lists_table_row_and_both_values_and_names_the_period(capsys):
    call_command("check_consistency", year=2022)
    out = capsys.readouterr().out
    assert "period 2022-07-01, edition 1 (제1판, " in out
    assert "program sections as of 2022-07-01: 3 disagreement(s)" in out
    for line in REPORT_LINES:
        assert line in out


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_a_later_month_never_hides_the_reports_disagreements(bureau, staff_client, capsys, status):
    """August saved (or approved) for one division: by default the check is still of the latest published
    period, ’22. 7. 1., edition 1, and lists the report's disagreements on the command and on the page."""
    august(status)
    assert found(consistency_check(bureau=bureau, fiscal_year=2022)) == EXPECTED
    call_command("check_consistency")
    out = capsys.readouterr().out
    assert "period 2022-07-01, edition 1" in out and "3 disagreement(s)" in out
    for line in REPORT_LINES:
        assert line in out
    html = staff_client.get(reverse("programs:consistency")).content.decode()
    rows = table(html, "disagreements")["rows"]
    assert [row[1:4] + row[5:] for row in rows] == [
        ["커뮤니티 공간 운영지원", "예산현액", "3,214,758", "3,775,505"],
        ["시민제안 발굴 및 실행", "지출액", "293,342", "291,942"],
        ["자치구 마을생태계 조성 및 주민자치 지원사업 개선", "사업예산", "10,045,000", "10,071,522"],
    ]
    assert "불일치가 없습니다" not in html
    assert "기준일 ’22. 7. 1.: 공표된 제1판(" in html
    assert '<option value="2022-08-31">’22. 8. 31. — 미공표</option>' in html
    assert '<option value="2022-07-01">’22. 7. 1. — 제1판</option>' in html


def test_an_unpublished_period_is_compared_with_its_approved_figures_never_drafts(bureau, staff_client, capsys):
    """August, not published: the figures an edition would publish (approved) against the program rows of
    ’22. 7. 1.; 예산현액 is still the report's disagreement, 지출액 of August is not compared with a July table.
    A draft of August is not among them: with it alone, the period reads the approved ’22. 7. 1. figures."""
    month = august("draft")
    draft = consistency_check(bureau=bureau, fiscal_year=2022, as_of=AUGUST)
    assert (draft.as_of, draft.publication, draft.program_as_of) == (AUGUST, None, AS_OF)
    assert found(draft) == EXPECTED  # as ’22. 7. 1. approved: the draft changes nothing
    month = division_month_submit(user=user("staff"), month=month, version=month.version)
    division_month_approve(user=user("director"), month=month, version=month.version)
    check = consistency_check(bureau=bureau, fiscal_year=2022, as_of=AUGUST)
    assert found(check) == [EXPECTED[0], EXPECTED[2]]
    call_command("check_consistency", as_of=AUGUST)
    out = capsys.readouterr().out
    assert "period 2022-08-31, 미공표 (not published)" in out and "2 disagreement(s)" in out
    html = staff_client.get(reverse("programs:consistency"), {"as_of": "2022-08-31"}).content.decode()
    assert "기준일 ’22. 8. 31.: 미공표, 승인된 실적" in html
    assert "사업별 예산집행 현황은 ’22. 7. 1. 기준입니다." in html
    assert [row[1] for row in table(html, "disagreements")["rows"]] == [EXPECTED[0][0], EXPECTED[2][0]]
    assert '<option value="2022-08-31" selected>' in html


def test_a_later_published_period_becomes_the_default_and_the_report_period_stays_choosable(bureau, capsys):
    august("approved")
    publish(bureau, AUGUST, reason="시민참여과만 먼저 공표")
    check = consistency_check(bureau=bureau, fiscal_year=2022)
    assert (check.as_of, check.publication.as_of, check.program_as_of) == (AUGUST, AUGUST, AS_OF)
    assert found(check) == [EXPECTED[0], EXPECTED[2]]
    call_command("check_consistency", as_of=AS_OF)
    out = capsys.readouterr().out
    assert "period 2022-07-01, edition 1" in out and "3 disagreement(s)" in out


def test_a_date_without_figures_is_a_clear_refusal(staff_client):
    with pytest.raises(CommandError, match="no figures to compare for the period 2022-03-31"):
        call_command("check_consistency", as_of=datetime.date(2022, 3, 31))
    response = staff_client.get(reverse("programs:consistency"), {"as_of": "2022-03-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "’22. 3. 31. 기준으로 비교할 실적이 없습니다" in html and 'id="disagreements"' not in html
    assert staff_client.get(reverse("programs:consistency"), {"as_of": "July"}).status_code == 400


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
