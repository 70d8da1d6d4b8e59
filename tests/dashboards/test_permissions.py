"""Who sees which dashboard (staffing.permissions; the README's table of roles)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from budget.models import BudgetLine
from programs.models import ScheduleItem
from staffing.models import Bureau, Division, Membership
from staffing.permissions import DASHBOARD, can_view_bureau, can_view_division, restrict

pytestmark = pytest.mark.django_db

PARTICIPATION_PAGES = [
    reverse("dashboards:division_dashboard", args=["participation"]),
    reverse("dashboards:division_changes", args=["participation"]),
]
BUREAU_PAGES = [
    reverse("dashboards:bureau_dashboard"),
    reverse("dashboards:bureau_changes"),
    reverse("dashboards:bureau_progress"),
]


def member(username, role, division_code=None):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-only")
    division = Division.objects.get(code=division_code) if division_code else None
    Membership.objects.create(user=user, bureau=Bureau.objects.get(), division=division, role=role)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def other_staff():
    """주무관 of 지역공동체과: another division than the demo's."""
    return member("community-staff", Membership.Role.STAFF, "community")


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in [reverse("dashboards:dashboard_home"), *PARTICIPATION_PAGES, *BUREAU_PAGES]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_division_staff_and_director_open_their_own_division_only(staff_client, director_client):
    for client in (staff_client, director_client):
        assert client.get(reverse("dashboards:dashboard_home"))["Location"] == PARTICIPATION_PAGES[0]
        for url in PARTICIPATION_PAGES:
            assert client.get(url).status_code == 200, url
        for url in [reverse("dashboards:division_dashboard", args=["community"]), *BUREAU_PAGES]:
            assert client.get(url).status_code == 403, url


def test_staff_of_another_division_cannot_open_its_dashboard_or_changes(other_staff):
    user, client = other_staff
    for url in PARTICIPATION_PAGES:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "901,178" not in response.content.decode()
    assert client.get(reverse("dashboards:division_dashboard", args=["community"])).status_code == 200
    assert (
        client.get(
            reverse("dashboards:division_dashboard", args=["participation"]) + "?as_of=2022-07-01&pace=lagging"
        ).status_code
        == 403
    )


def test_the_bureau_director_and_planning_see_the_bureau_and_every_division():
    for username, role in [("bureau-2", Membership.Role.BUREAU_DIRECTOR), ("planning-2", Membership.Role.PLANNING)]:
        user, client = member(username, role)
        assert client.get(reverse("dashboards:dashboard_home"))["Location"] == BUREAU_PAGES[0]
        for url in BUREAU_PAGES + [
            reverse("dashboards:division_dashboard", args=[d.code]) for d in Division.objects.all()
        ]:
            assert client.get(url).status_code == 200, url


def test_the_bureau_dashboard_links_only_divisions_the_user_may_open(client):
    client.force_login(get_user_model().objects.get(username="bureau"))
    html = client.get(BUREAU_PAGES[0]).content.decode()
    for division in Division.objects.all():
        assert reverse("dashboards:division_dashboard", args=[division.code]) in html


def test_a_login_without_a_membership_sees_no_dashboard():
    user = get_user_model().objects.create_user(username="visitor", password="pw-for-tests-only")
    client = Client()
    client.force_login(user)
    for url in [reverse("dashboards:dashboard_home"), *PARTICIPATION_PAGES, *BUREAU_PAGES]:
        assert client.get(url).status_code == 403, url


def test_the_administrator_sees_everything(client):
    client.force_login(get_user_model().objects.get(username="admin"))
    for url in [*PARTICIPATION_PAGES, *BUREAU_PAGES]:
        assert client.get(url).status_code == 200, url


def test_an_unknown_division_is_not_found(client):
    client.force_login(get_user_model().objects.get(username="bureau"))
    assert client.get(reverse("dashboards:division_dashboard", args=["nowhere"])).status_code == 404


def test_restrict_and_can_view(other_staff):
    user, _ = other_staff
    community = Division.objects.get(code="community")
    assert list(restrict(Division.objects.all(), user, DASHBOARD)) == [community]
    assert set(restrict(BudgetLine.objects.all(), user, DASHBOARD).values_list("division__code", flat=True)) == {
        "community"
    }
    assert set(
        restrict(ScheduleItem.objects.all(), user, DASHBOARD).values_list("program__division__code", flat=True)
    ) == {"community"}
    assert can_view_division(user, community)
    assert not can_view_division(user, Division.objects.get(code="participation"))
    assert not can_view_bureau(user, Bureau.objects.get())
    bureau_user, _ = member("bureau-3", Membership.Role.BUREAU_DIRECTOR)
    assert restrict(Division.objects.all(), bureau_user, DASHBOARD).count() == 5
    with pytest.raises(ValueError):
        restrict(Division.objects.all(), user, "delete")
