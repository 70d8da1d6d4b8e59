"""Reporting periods on a small bureau built by factories: who may publish, what a publication refuses and
writes, editions after a correction, adjustments that become public only through an edition, and the
planning pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from budget.models import BudgetAdjustment, Publication, PublishedFigure, PublishedMonth
from budget.selectors import periods, public
from budget.services import (
    ExecutionInput,
    division_month_approve,
    division_month_correct,
    division_month_submit,
    execution_month_save,
    period_publish,
)
from civicbureau.entry import EntryError, StaleVersion
from tests.factories import FISCAL_YEAR, BudgetLineFactory, BureauFactory, DivisionFactory, member, publish

pytestmark = pytest.mark.django_db

JUNE = datetime.date(FISCAL_YEAR, 6, 30)
JULY = datetime.date(FISCAL_YEAR, 7, 31)


class Bureau:
    """Two divisions of one line each, their staff and directors, and the bureau's planning staff."""

    def __init__(self):
        self.bureau = BureauFactory()
        self.first = DivisionFactory(bureau=self.bureau, order=1, name="시험가과")
        self.second = DivisionFactory(bureau=self.bureau, order=2, name="시험나과")
        self.p1 = BudgetLineFactory(division=self.first, original_budget=80_000_000)
        self.q1 = BudgetLineFactory(division=self.second, original_budget=50_000_000)
        self.planning = member("planning", bureau=self.bureau)
        self.people = {
            division.pk: (member("staff", division=division), member("director", division=division))
            for division in (self.first, self.second)
        }

    def approve(self, division, as_of, obligations, disbursements):
        """Staff save and submit the division's month, its director approves it."""
        staff, director = self.people[division.pk]
        line = self.p1 if division == self.first else self.q1
        current = division.months.filter(as_of=as_of).first()
        month = execution_month_save(
            user=staff,
            division=division,
            as_of=as_of,
            rows=[ExecutionInput(line.code, obligations, disbursements)],
            version=current.version if current else 0,
        )
        month = division_month_submit(user=staff, month=month, version=month.version)
        return division_month_approve(user=director, month=month, version=month.version)


@pytest.fixture
def city():
    return Bureau()


def figures_of(table):
    return {r.code: (r.obligations, r.disbursements) for r in table.rows if r.level == "line"}


def test_a_period_with_a_division_not_approved_needs_a_reason_and_writes_nothing_without_one(city):
    city.approve(city.first, JUNE, 30_000_000, 25_000_000)
    staff, _director = city.people[city.second.pk]
    execution_month_save(
        user=staff, division=city.second, as_of=JUNE, rows=[ExecutionInput(city.q1.code, 1, 1)], version=0
    )
    with pytest.raises(EntryError) as refused:
        period_publish(user=city.planning, bureau=city.bureau, as_of=JUNE, edition_seen=0)
    assert [str(p) for p in refused.value.problems] == [
        f"시험나과 · 상태: ’{JUNE:%y}. 6. 30. 실적이 작성 중 상태입니다: "
        "승인되지 않은 과를 미보고로 두고 공표하려면 사유를 적어 주세요."
    ]
    assert not Publication.objects.filter(bureau=city.bureau).exists()
    assert public.public_execution_table(bureau=city.bureau, fiscal_year=FISCAL_YEAR) is None

    edition = period_publish(
        user=city.planning, bureau=city.bureau, as_of=JUNE, edition_seen=0, reason="시험나과 입력 지연"
    )
    assert (edition.edition, edition.published_by, edition.reason) == (1, city.planning, "시험나과 입력 지연")
    assert dict(PublishedMonth.objects.filter(publication=edition).values_list("division", "revision")) == {
        city.first.pk: 1,
        city.second.pk: None,
    }
    table = public.public_execution_table(bureau=city.bureau, fiscal_year=FISCAL_YEAR)
    assert figures_of(table) == {city.p1.code: (30_000_000, 25_000_000), city.q1.code: (None, None)}
    assert [r.name for r in table.not_reported] == ["시험나과"]
    assert table.total.disbursements is None  # no partial sum over a division not reported
    assert edition.history.first().history_change_reason == "form"


def test_only_the_bureaus_director_and_planning_staff_publish_their_own_bureau(city):
    city.approve(city.first, JUNE, 30_000_000, 25_000_000)
    city.approve(city.second, JUNE, 9_000_000, 8_000_000)
    staff, director = city.people[city.first.pk]
    other_planning = member("planning", bureau=BureauFactory())
    for user in (staff, director, other_planning):
        with pytest.raises(PermissionDenied):
            period_publish(user=user, bureau=city.bureau, as_of=JUNE, edition_seen=0)
    assert not Publication.objects.filter(bureau=city.bureau).exists()
    edition = period_publish(
        user=member("bureau_director", bureau=city.bureau), bureau=city.bureau, as_of=JUNE, edition_seen=0
    )
    assert edition.edition == 1


def test_a_period_is_refused_twice_without_a_change_in_another_year_and_from_a_stale_page(city):
    city.approve(city.first, JUNE, 30_000_000, 25_000_000)
    city.approve(city.second, JUNE, 9_000_000, 8_000_000)
    with pytest.raises(EntryError, match="회계연도"):
        period_publish(user=city.planning, bureau=city.bureau, as_of=JUNE, edition_seen=0, fiscal_year=FISCAL_YEAR - 1)
    with pytest.raises(EntryError, match="승인된 과가 없어"):
        period_publish(user=city.planning, bureau=city.bureau, as_of=JULY, edition_seen=0)
    publish(city.bureau, JUNE, user=city.planning)
    with pytest.raises(StaleVersion, match="제1판으로 공표했습니다"):
        period_publish(user=city.planning, bureau=city.bureau, as_of=JUNE, edition_seen=0)
    with pytest.raises(EntryError, match="달라진 것이 없습니다"):
        period_publish(user=city.planning, bureau=city.bureau, as_of=JUNE, edition_seen=1)
    assert Publication.objects.filter(bureau=city.bureau).count() == 1


def test_a_correction_is_the_next_edition_and_the_first_stays_citable(city):
    city.approve(city.first, JUNE, 30_000_000, 25_000_000)
    city.approve(city.second, JUNE, 9_000_000, 8_000_000)
    first = publish(city.bureau, JUNE, user=city.planning)
    staff, _director = city.people[city.first.pk]
    month = city.first.months.get(as_of=JUNE)
    month = division_month_correct(user=staff, month=month, version=month.version, reason="지출 누락")
    period = periods.bureau_period(bureau=city.bureau, as_of=JUNE)
    assert not period.has_changes  # a correction in progress changes nothing published
    city.approve(city.first, JUNE, 30_000_000, 27_000_000)
    period = periods.bureau_period(bureau=city.bureau, as_of=JUNE)
    assert period.has_changes and [d.is_changed for d in period.divisions] == [True, False]
    preview = periods.edition_changes(period)
    assert [(c.code, c.before, c.after) for c in preview] == [
        (city.p1.code, (30_000_000, 25_000_000), (30_000_000, 27_000_000))
    ]
    second = publish(city.bureau, JUNE, reason="시험가과 지출 누락 정정", user=city.planning)
    assert second.edition == 2
    assert [(c.code, c.before, c.after) for c in periods.edition_differences(second)] == [
        (city.p1.code, (30_000_000, 25_000_000), (30_000_000, 27_000_000))
    ]
    latest = public.public_execution_table(bureau=city.bureau, fiscal_year=FISCAL_YEAR)
    cited = public.public_execution_table(bureau=city.bureau, fiscal_year=FISCAL_YEAR, on_or_before=JUNE, edition=1)
    assert figures_of(latest)[city.p1.code] == (30_000_000, 27_000_000)
    assert (cited.publication, figures_of(cited)[city.p1.code]) == (first, (30_000_000, 25_000_000))
    assert PublishedFigure.objects.filter(publication=first, budget_line=city.p1).get().disbursements == 25_000_000


def test_an_adjustment_is_public_only_once_an_edition_publishes_it(city):
    city.approve(city.first, JUNE, 30_000_000, 25_000_000)
    city.approve(city.second, JUNE, 9_000_000, 8_000_000)
    publish(city.bureau, JUNE, user=city.planning)
    adjustment = BudgetAdjustment.objects.create(
        budget_line=city.p1, kind="supplementary", amount=20_000_000, effective_on=JUNE, reason="추경"
    )
    authority = {
        r.code: r.authority for r in public.public_execution_table(bureau=city.bureau, fiscal_year=FISCAL_YEAR).rows
    }
    assert authority[city.p1.code] == 80_000_000
    period = periods.bureau_period(bureau=city.bureau, as_of=JUNE)
    assert period.unpublished_adjustments == 1 and period.has_changes
    second = publish(city.bureau, JUNE, user=city.planning)
    adjustment.refresh_from_db()
    assert adjustment.published_in == second
    tables = {
        edition: public.public_execution_table(
            bureau=city.bureau, fiscal_year=FISCAL_YEAR, on_or_before=JUNE, edition=edition
        )
        for edition in (1, 2)
    }
    assert {e: {r.code: r.authority for r in t.rows}[city.p1.code] for e, t in tables.items()} == {
        1: 80_000_000,
        2: 100_000_000,
    }


def test_the_planning_pages_list_periods_preview_and_publish(client, city):
    city.approve(city.first, JUNE, 30_000_000, 25_000_000)
    staff, _director = city.people[city.second.pk]
    execution_month_save(
        user=staff, division=city.second, as_of=JUNE, rows=[ExecutionInput(city.q1.code, 1, 1)], version=0
    )
    client.force_login(city.planning)
    html = client.get(reverse("budget:period_list"), {"year": FISCAL_YEAR}).content.decode()
    assert f'data-as-of="{JUNE}"' in html and "미승인 1개 과" in html and "미공표" in html
    url = reverse("budget:period_detail", args=[JUNE])
    html = client.get(url).content.decode()
    assert "아직 공표되지 않았습니다" in html and "사유를 적어야 공표할 수 있습니다" in html
    response = client.post(reverse("budget:period_publish", args=[JUNE]), {"edition_seen": 0, "year": FISCAL_YEAR})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert (
        "시험나과 · 상태: ’23. 6. 30. 실적이 작성 중 상태입니다" in html
    )  # the refusal names the division and its status
    assert not Publication.objects.filter(bureau=city.bureau).exists()
    client.post(
        reverse("budget:period_publish", args=[JUNE]), {"edition_seen": 0, "year": FISCAL_YEAR, "reason": "지연"}
    )
    html = client.get(url).content.decode()
    assert "제1판으로 공표했습니다" in html and "제1판 공표됨" in html and 'data-edition="1"' in html
    # staff see the page but not the publish form; their post is refused
    client.force_login(staff)
    assert 'id="publish"' not in client.get(url).content.decode()
    assert client.post(reverse("budget:period_publish", args=[JUNE]), {"edition_seen": 1}).status_code == 403


def test_a_published_adjustment_is_never_changed(city):
    from django.core.exceptions import ValidationError

    city.approve(city.first, JUNE, 30_000_000, 25_000_000)
    city.approve(city.second, JUNE, 9_000_000, 8_000_000)
    adjustment = BudgetAdjustment.objects.create(
        budget_line=city.p1, kind="supplementary", amount=20_000_000, effective_on=JUNE, reason="추경"
    )
    adjustment.amount = 25_000_000
    adjustment.full_clean()  # not yet published: still open to correction
    adjustment.amount = 20_000_000
    publish(city.bureau, JUNE, user=city.planning)
    adjustment.refresh_from_db()
    adjustment.amount = 25_000_000
    with pytest.raises(ValidationError, match="공표된 예산 변경은 고칠 수 없습니다"):
        adjustment.full_clean()
    adjustment.amount, adjustment.reason = 20_000_000, "추경 (사유 보완)"
    adjustment.full_clean()  # the reason is not a figure
