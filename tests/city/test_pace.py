"""/city/pace/: the city's pace targets of a year, kept by the budget office and the administrator; saved
whole or not at all by budget.services.pace with the model's rules, each refusal naming its month, with
history (who, how) and optimistic locking; the page says which bureaus follow the city's targets, and a
bureau's pace says when it is the city's."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from budget.models import BudgetPaceTarget
from budget.selectors.execution import pace_curve
from budget.selectors.pace import city_pace_version
from budget.services.pace import city_pace_save
from civicbureau.entry import EntryError
from staffing.models import Bureau, Membership
from tests.factories import BureauFactory, MembershipFactory

pytestmark = pytest.mark.django_db
YEAR = 2022
URL = reverse("city:pace") + f"?year={YEAR}"


def budget_office():
    return MembershipFactory(role=Membership.Role.BUDGET_OFFICE, division=None, bureau=None).user


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def demo(username):
    return get_user_model().objects.get(username=username)


def posted(version, **months):
    """The form's data: month_6="60.0" …, every other month blank."""
    return {"version": version, **{f"month_{m}": months.get(f"m{m}", "") for m in range(1, 13)}}


def city_rows():
    return sorted(
        BudgetPaceTarget.objects.filter(bureau__isnull=True, fiscal_year=YEAR).values_list("month", "target_rate")
    )


@pytest.mark.parametrize("username", ["staff", "director", "bureau", "planning"])
def test_only_the_budget_office_and_the_administrator_may_open_or_save_it(username, client):
    assert client.get(URL).status_code == 302  # anonymous: the login page
    refused = client_of(demo(username))
    assert refused.get(URL).status_code == 403
    assert refused.post(URL, posted(0, m6="60.0")).status_code == 403
    assert city_rows() == []
    assert client_of(demo("admin")).get(URL).status_code == 200
    assert client_of(demo("budget")).get(URL).status_code == 200


def test_the_budget_office_sets_the_years_targets_with_history():
    user = budget_office()
    client = client_of(user)
    response = client.post(URL, posted(city_pace_version(fiscal_year=YEAR), m6="60.0", m12="95"))
    assert response.status_code == 302
    assert city_rows() == [(6, Decimal("60.0")), (12, Decimal("95.0"))]
    history = BudgetPaceTarget.history.filter(bureau__isnull=True, fiscal_year=YEAR).order_by("month")
    assert [(h.month, h.history_type, h.history_user, h.history_change_reason) for h in history] == [
        (6, "+", user, "form"),
        (12, "+", user, "form"),
    ]
    # the months not set lie on the straight line between those set
    assert pace_curve(bureau=None, fiscal_year=YEAR).points[:6] == [
        Decimal("10.0"), Decimal("20.0"), Decimal("30.0"), Decimal("40.0"), Decimal("50.0"), Decimal("60.0")
    ]  # fmt: skip
    html = client.get(URL).content.decode()
    assert 'name="month_6" value="60.0"' in html and 'name="month_7" ' in html


def test_clearing_a_month_deletes_it_with_who_and_how():
    user = budget_office()
    city_pace_save(user=user, fiscal_year=YEAR, rates={6: Decimal("60.0")}, version=0)
    changed = city_pace_save(user=user, fiscal_year=YEAR, rates={6: None}, version=city_pace_version(fiscal_year=YEAR))
    assert changed == 1 and city_rows() == []
    last = BudgetPaceTarget.history.filter(bureau__isnull=True, fiscal_year=YEAR).latest("history_id")
    assert (last.month, last.history_type, last.history_user) == (6, "-", user)


def test_a_falling_target_is_refused_naming_each_month_and_nothing_is_saved():
    user = budget_office()
    city_pace_save(user=user, fiscal_year=YEAR, rates={3: Decimal("20.0")}, version=0)
    before = (city_rows(), BudgetPaceTarget.history.count())
    response = client_of(user).post(URL, posted(city_pace_version(fiscal_year=YEAR), m3="20", m6="60", m7="50"))
    assert response.status_code == 400
    assert [str(p) for p in response.context["problems"]] == [
        "6월 · 누적 지출률 목표(%): 누적 목표는 줄어들 수 없습니다: 7월 목표가 50.0%입니다.",
        "7월 · 누적 지출률 목표(%): 누적 목표는 줄어들 수 없습니다: 6월 목표가 60.0%입니다.",
    ]
    assert (city_rows(), BudgetPaceTarget.history.count()) == before


def test_values_out_of_bounds_or_not_numbers_name_their_month():
    client = client_of(budget_office())
    response = client.post(URL, posted(0, m2="abc", m5="150", m8="-1"))
    assert response.status_code == 400
    problems = [(p.row, p.field) for p in response.context["problems"]]
    assert problems == [("2월", "target_rate")]  # the form reads numbers first
    response = client.post(URL, posted(0, m5="150", m8="-1", m9="12.345"))
    assert response.status_code == 400
    assert [(p.row, p.field) for p in response.context["problems"]] == [
        ("5월", "target_rate"),
        ("8월", "target_rate"),
        ("9월", "target_rate"),
    ]
    assert city_rows() == []


def test_an_edit_from_an_older_version_is_refused():
    first, second = budget_office(), budget_office()
    version = city_pace_version(fiscal_year=YEAR)
    city_pace_save(user=first, fiscal_year=YEAR, rates={6: Decimal("60.0")}, version=version)
    with pytest.raises(EntryError) as refused:
        city_pace_save(user=second, fiscal_year=YEAR, rates={6: Decimal("50.0")}, version=version)
    assert [p.field for p in refused.value.problems] == ["version"]
    response = client_of(second).post(URL, {**posted(version, m6="50"), "version": ""})
    assert response.status_code == 400 and [p.field for p in response.context["problems"]] == ["version"]
    assert city_rows() == [(6, Decimal("60.0"))]


def test_a_bureau_role_cannot_save_through_the_service_either():
    with pytest.raises(PermissionDenied):
        city_pace_save(user=demo("planning"), fiscal_year=YEAR, rates={6: Decimal("60.0")}, version=0)
    assert city_rows() == []


def test_the_page_says_which_bureaus_follow_the_city_and_which_set_their_own():
    own = BureauFactory(name="가자체국")
    BudgetPaceTarget.objects.create(bureau=own, fiscal_year=YEAR, month=6, target_rate=Decimal("50.0"))
    BudgetPaceTarget.objects.create(bureau=own, fiscal_year=YEAR, month=9, target_rate=Decimal("75.0"))
    BudgetPaceTarget.objects.create(bureau=own, fiscal_year=YEAR + 1, month=6, target_rate=Decimal("55.0"))
    html = client_of(budget_office()).get(URL).content.decode()
    sources = html.split('id="sources"')[1]
    demo_bureau = Bureau.objects.get(name="시민협력국")
    assert f'<tr data-slug="{own.slug}"><th scope="row">가자체국</th><td>자체 목표 (2개월)</td></tr>' in sources
    assert f'<tr data-slug="{demo_bureau.slug}"><th scope="row">시민협력국</th><td>시 목표</td></tr>' in sources


def test_a_bureau_following_the_city_says_so_on_its_dashboard_and_public_page():
    city_pace_save(user=budget_office(), fiscal_year=YEAR, rates={6: Decimal("60.0")}, version=0)
    dashboard = client_of(demo("bureau")).get(reverse("dashboards:bureau_dashboard")).content.decode()
    assert "목표: 시 목표 — 국이 그해 자체 목표를 정하지 않아" in dashboard
    assert "목표(60.0%) 대비" in dashboard
    public = Client().get(reverse("budget:execution")).content.decode()
    assert "목표 60.0%: 시 목표 — 국이 그해 자체 목표를 정하지 않아" in public
    # a bureau's own target wins: the note is the bureau's again
    bureau = Bureau.objects.get(name="시민협력국")
    BudgetPaceTarget.objects.create(bureau=bureau, fiscal_year=YEAR, month=6, target_rate=Decimal("55.0"))
    dashboard = client_of(demo("bureau")).get(reverse("dashboards:bureau_dashboard")).content.decode()
    assert "시 목표 —" not in dashboard and "국이 정한 월별 누적 집행 목표" in dashboard
