"""내 할 일 for the city budget office (예산담당관, in no bureau): the bureaus behind the city's pace at their
latest published period and those that have not published the last month end; nothing of a bureau's own
work (months to enter or approve, periods to publish), and nothing mailed."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import BudgetPaceTarget
from staffing.models import Membership
from tests.factories import (
    FISCAL_YEAR,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    MembershipFactory,
    publish,
)
from worklist.selectors import my_work
from worklist.services import reminders_due

pytestmark = pytest.mark.django_db
JUNE, JULY = datetime.date(FISCAL_YEAR, 6, 30), datetime.date(FISCAL_YEAR, 7, 31)
TODAY = datetime.date(FISCAL_YEAR, 8, 14)  # the last month end passed: July's


def budget_office():
    return MembershipFactory(role=Membership.Role.BUDGET_OFFICE, division=None, bureau=None).user


def published_bureau(name, as_of, disbursed, lines=1):
    """A bureau with `lines` lines of 100,000,000 won, `disbursed` won disbursed on each by `as_of`,
    approved and published."""
    bureau = BureauFactory(name=name)
    division = DivisionFactory(bureau=bureau)
    for _ in range(lines):
        line = BudgetLineFactory(division=division)
        ExecutionSnapshotFactory(
            budget_line=line, as_of=as_of, obligations=disbursed, disbursements=disbursed, approved=True
        )
    DivisionMonthFactory(division=division, as_of=as_of, approved=True)
    publish(bureau, as_of)
    return bureau


def city_target(month, rate):
    return BudgetPaceTarget.objects.create(bureau=None, fiscal_year=FISCAL_YEAR, month=month, target_rate=rate)


def test_the_budget_office_sees_bureaus_behind_the_city_pace_and_those_not_published():
    city_target(6, Decimal("60.0"))
    behind = published_bureau("가뒤처진국", JUNE, 30_000_000)  # 30.0% against the city's 60.0% in June
    ahead = published_bureau("나앞선국", JUNE, 70_000_000)  # 70.0%: not behind, but June is before July's end
    current = published_bureau("다제때국", JULY, 90_000_000)  # July published: neither
    silent = BureauFactory(name="라조용한국")  # lines of the year, nothing published
    BudgetLineFactory(division=DivisionFactory(bureau=silent))

    work = my_work(user=budget_office(), today=TODAY)

    assert work.fiscal_year == FISCAL_YEAR and work.last_month_end == JULY
    assert [(i.row.name, i.as_of, i.row.rate, i.row.pace, i.row.pace_gap) for i in work.behind_pace] == [
        (behind.name, JUNE, Decimal("30.0"), Decimal("60.0"), Decimal("-30.0"))
    ]
    assert [(i.row.name, i.as_of) for i in work.unpublished] == [
        (behind.name, JUNE),
        (ahead.name, JUNE),
        (silent.name, None),
    ]
    assert current.name not in [i.row.name for i in work.behind_pace + work.unpublished]
    # nothing of a bureau's own work
    assert (work.due, work.awaiting, work.late, work.pending, work.publishable) == ([], [], [], [], [])


def test_the_page_links_each_bureau_under_its_own_address_and_to_the_city_pace(client):
    city_target(6, Decimal("60.0"))
    behind = published_bureau("가뒤처진국", JUNE, 30_000_000)
    client.force_login(budget_office())
    html = client.get(reverse("worklist:my_work")).content.decode()
    section = html.split('id="behind-pace"')[1].split("</section>")[0]
    assert f'href="/b/{behind.slug}/dashboards/bureau/"' in section and "30.0% · 시 목표 60.0%" in section
    assert f'href="/b/{behind.slug}/staff/periods/"' in html.split('id="unpublished"')[1]
    assert f'href="{reverse("city:pace")}"' in html


def test_signing_in_as_the_budget_office_lands_on_my_work_without_error(client):
    response = client.post(reverse("login"), {"username": "budget", "password": "budget-demo-2022"})
    assert response.status_code == 302 and response["Location"] == reverse("worklist:my_work")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "시 전체" in page.content.decode()


def test_the_budget_office_is_mailed_nothing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = budget_office()
    user.email = "budget@city.example"
    user.save()
    published_bureau("가뒤처진국", JUNE, 30_000_000)
    assert [r.user for r in reminders_due(today=TODAY) if r.user == user] == []


def test_the_budget_office_query_count_stays_flat_as_bureaus_grow_lines():
    """Queries grow with the bureaus (each one's published table), not with their lines."""
    user = budget_office()
    counts = []
    for lines in (1, 10):
        with transaction.atomic():
            published_bureau("가뒤처진국", JUNE, 30_000_000, lines=lines)
            with CaptureQueriesContext(connection) as captured:
                work = my_work(user=user, today=TODAY)
            assert [i.row.name for i in work.behind_pace] == ["가뒤처진국"]
            counts.append(len(captured.captured_queries))
            transaction.set_rollback(True)
    assert counts[0] == counts[1], counts
