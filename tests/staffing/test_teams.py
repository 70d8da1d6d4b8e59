"""Teams (issue 19): kept in the admin within a division's scope, a membership's and a budget line's team one
of their division's (refused otherwise, the field named), every change in the history with who and how, and
the bureau's team count derived from its teams (the report's count while it has none) on every page that
shows it, without a query of its own."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import BudgetLine
from civicbureau import audit
from reports.rows import organisation_sheet
from staffing.models import Bureau, Division, Membership, Team
from staffing.selectors import division_list, team_count
from tests.factories import (
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def admin_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def two_divisions(db):
    """Two divisions of one bureau, each with a team."""
    bureau = BureauFactory()
    own, other = DivisionFactory(bureau=bureau), DivisionFactory(bureau=bureau)
    return {
        "bureau": bureau,
        "own": own,
        "other": other,
        "own_team": TeamFactory(division=own, name="가팀"),
        "other_team": TeamFactory(division=other, name="나팀"),
    }


# -- a membership's team --------------------------------------------------------------------------------


def membership_data(membership, **changes) -> dict:
    data = {
        "user": membership.user_id,
        "role": membership.role,
        "bureau": membership.bureau_id,
        "division": membership.division_id or "",
        "team": membership.team_id or "",
        "team_role": membership.team_role,
        "language": membership.language,
    }
    return {**data, **changes}


def test_a_membership_in_another_divisions_team_is_refused_with_the_field_named(two_divisions):
    membership = Membership(
        user=UserFactory(),
        role=Membership.Role.STAFF,
        bureau=two_divisions["bureau"],
        division=two_divisions["own"],
        team=two_divisions["other_team"],
        team_role=Membership.TeamRole.MEMBER,
    )
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert list(refused.value.message_dict) == ["team"]
    assert refused.value.message_dict["team"] == ["소속 과의 팀이 아닙니다."]


def test_the_admin_refuses_another_divisions_team_on_a_new_membership(two_divisions):
    user = UserFactory()
    data = {
        "user": user.pk,
        "role": "staff",
        "bureau": two_divisions["bureau"].pk,
        "division": two_divisions["own"].pk,
        "team": two_divisions["other_team"].pk,  # offered on the add page (named with its division)
        "team_role": "member",
        "language": "ko",
    }
    response = admin_client().post(admin_url(Membership, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"team": ["소속 과의 팀이 아닙니다."]}
    assert not Membership.objects.filter(user=user).exists()


def test_a_memberships_team_choices_are_its_divisions_teams(two_divisions):
    membership = MembershipFactory(division=two_divisions["own"])
    client = admin_client()
    page = client.get(admin_url(Membership, "change", membership.pk))
    offered = list(page.context["adminform"].form.fields["team"].queryset)
    assert offered == [two_divisions["own_team"]]
    data = membership_data(membership, team=two_divisions["other_team"].pk, team_role="member")
    response = client.post(admin_url(Membership, "change", membership.pk), data)
    assert response.status_code == 200 and list(response.context["adminform"].form.errors) == ["team"]
    assert Membership.objects.get(pk=membership.pk).team is None


def test_a_team_change_in_the_admin_is_recorded_with_who_and_how(two_divisions):
    membership = MembershipFactory(division=two_divisions["own"])
    data = membership_data(membership, team=two_divisions["own_team"].pk, team_role="leader")
    assert admin_client().post(admin_url(Membership, "change", membership.pk), data).status_code == 302
    fresh = Membership.objects.get(pk=membership.pk)
    assert (fresh.team, fresh.team_role) == (two_divisions["own_team"], "leader")
    record = fresh.history.first()
    assert (record.team_id, record.team_role, record.history_user.username, record.history_change_reason) == (
        two_divisions["own_team"].pk,
        "leader",
        "admin",
        audit.How.ADMIN,
    )
    before = record.prev_record
    assert (before.team_id, before.team_role) == (None, "")


# -- a budget line's team -------------------------------------------------------------------------------


def line_data(line, **changes) -> dict:
    data = {
        "division": line.division_id,
        "team": line.team_id or "",
        "fiscal_year": line.fiscal_year,
        "code": line.code,
        "name": line.name,
        "order": line.order,
        "original_budget": line.original_budget,
    }
    return {**data, **changes}


def test_a_lines_team_of_another_division_is_refused(two_divisions):
    line = BudgetLineFactory(division=two_divisions["own"])
    line.team = two_divisions["other_team"]
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert refused.value.message_dict == {"team": ["이 사업을 맡은 과의 팀이 아닙니다."]}
    client = admin_client()
    page = client.get(admin_url(BudgetLine, "change", line.pk))
    assert list(page.context["adminform"].form.fields["team"].queryset) == [two_divisions["own_team"]]
    data = {**page_data(page), "team": two_divisions["other_team"].pk}
    response = client.post(admin_url(BudgetLine, "change", line.pk), data)
    assert response.status_code == 200 and list(response.context["adminform"].form.errors) == ["team"]
    assert BudgetLine.objects.get(pk=line.pk).team is None


def page_data(response) -> dict:
    """The admin form as shown, ready to post back."""
    form = response.context["adminform"].form
    return {name: value for name in form.fields if (value := form[name].value()) is not None}


def test_a_lines_team_set_in_the_admin_is_recorded_with_who_and_how(two_divisions):
    line = BudgetLineFactory(division=two_divisions["own"])
    client = admin_client()
    data = {**page_data(client.get(admin_url(BudgetLine, "change", line.pk))), "team": two_divisions["own_team"].pk}
    assert client.post(admin_url(BudgetLine, "change", line.pk), data).status_code == 302
    record = BudgetLine.objects.get(pk=line.pk).history.first()
    assert (record.team_id, record.history_user.username, record.history_change_reason) == (
        two_divisions["own_team"].pk,
        "admin",
        audit.How.ADMIN,
    )
    assert record.prev_record.team_id is None


# -- the team admin's scope -----------------------------------------------------------------------------


@pytest.fixture
def staff_admin(two_divisions):
    """A 주무관 of the own division with admin access and every model permission (the README's setup)."""
    user = MembershipFactory(division=two_divisions["own"]).user
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(user)
    return client


def test_a_division_member_keeps_their_own_divisions_teams_only(staff_admin, two_divisions):
    listing = staff_admin.get(admin_url(Team, "changelist"))
    assert list(listing.context["cl"].queryset) == [two_divisions["own_team"]]
    other = two_divisions["other_team"]
    assert staff_admin.get(admin_url(Team, "change", other.pk)).status_code == 404
    data = {"division": other.division_id, "name": "바꾼 이름", "order": 1}
    assert staff_admin.post(admin_url(Team, "change", other.pk), data).status_code == 404
    assert Team.objects.get(pk=other.pk).name == "나팀"
    # a team added to another division: that division is not a choice
    response = staff_admin.post(admin_url(Team, "add"), {"division": other.division_id, "name": "위조팀", "order": 9})
    assert response.status_code == 200 and list(response.context["adminform"].form.errors) == ["division"]
    assert not Team.objects.filter(name="위조팀").exists()


def test_a_team_added_by_a_division_member_is_recorded(staff_admin, two_divisions):
    own = two_divisions["own"]
    response = staff_admin.post(admin_url(Team, "add"), {"division": own.pk, "name": "새팀", "order": 3})
    assert response.status_code == 302
    team = Team.objects.get(division=own, name="새팀")
    record = team.history.get()
    assert (record.history_type, record.history_user.membership.division, record.history_change_reason) == (
        "+",
        own,
        audit.How.ADMIN,
    )


def test_a_division_members_line_offers_their_own_divisions_teams(staff_admin, two_divisions):
    line = BudgetLineFactory(division=two_divisions["own"])
    page = staff_admin.get(admin_url(BudgetLine, "change", line.pk))
    assert list(page.context["adminform"].form.fields["team"].queryset) == [two_divisions["own_team"]]


# -- the team count ---------------------------------------------------------------------------------------


def test_the_team_count_is_the_reports_until_teams_are_registered(django_assert_num_queries):
    bureau = BureauFactory(team_count=4)
    first, second = DivisionFactory(bureau=bureau), DivisionFactory(bureau=bureau)
    TeamFactory(division=DivisionFactory())  # another bureau's team counts for that bureau only
    assert team_count(bureau) == 4
    TeamFactory(division=first)
    TeamFactory(division=first)
    TeamFactory(division=second)
    assert team_count(bureau) == 3
    divisions = division_list(bureau=bureau)
    with django_assert_num_queries(0):
        assert team_count(bureau, divisions=divisions) == 3
    assert [d.team_total for d in divisions] == [2, 1]


def test_a_bureau_without_teams_or_a_reported_count_has_none():
    bureau = BureauFactory(team_count=None)
    DivisionFactory(bureau=bureau)
    assert team_count(bureau) is None
    assert team_count(bureau, divisions=division_list(bureau=bureau)) is None


def lead(client, url) -> str:
    html = client.get(url).content.decode()
    return html.split('<p class="lead">', 1)[1].split("</p>", 1)[0]


def add_demo_teams():
    participation = Division.objects.get(code="participation")
    TeamFactory(division=participation, name="참여1팀")
    TeamFactory(division=participation, name="참여2팀")


@pytest.mark.parametrize("url", ["/", "/organisation/"])
def test_the_demo_says_the_reports_22_teams_and_registered_teams_replace_it_without_a_query(client, url):
    """The demo has no team names, so the page says the report's 22; two registered teams replace it, read
    with the divisions (the same number of queries)."""
    assert not Team.objects.exists()
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as before:
        assert "5과 22팀" in lead(client, url)
    add_demo_teams()
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        assert "5과 2팀" in lead(client, url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_briefings_organisation_sheet_counts_the_registered_teams():
    bureau = Bureau.objects.get(name="시민협력국")
    as_of = datetime.date(2022, 7, 1)
    note = "조 직 : 5과 {}팀 (조직 신설 : ’21. 7. 25.)"
    assert organisation_sheet(bureau=bureau, as_of=as_of).rows[2][0].value == note.format(22)
    add_demo_teams()
    assert organisation_sheet(bureau=bureau, as_of=as_of).rows[2][0].value == note.format(2)
