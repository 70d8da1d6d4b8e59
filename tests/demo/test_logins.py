"""The demo logins: one per role, printed, idempotent, and able to log in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from demo.logins import DEMO_LOGINS
from staffing.models import Membership

pytestmark = pytest.mark.django_db


def test_command_prints_every_login_and_changes_nothing_the_second_time(capsys):
    before = list(get_user_model().objects.order_by("pk").values_list("username", "password", "is_superuser"))
    call_command("demo_users")
    out = capsys.readouterr().out
    for login in DEMO_LOGINS:
        assert login.username in out and login.password in out
    assert list(get_user_model().objects.order_by("pk").values_list("username", "password", "is_superuser")) == before


def test_one_login_per_role():
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {
        "staff": "staff",
        "director": "director",
        "bureau": "bureau_director",
        "planning": "planning",
        "budget": "budget_office",
    }
    places = {
        m.user.username: (m.bureau and m.bureau.name, m.division and m.division.name)
        for m in Membership.objects.select_related("user", "bureau", "division")
    }
    assert places == {
        "staff": ("시민협력국", "시민참여과"),
        "director": ("시민협력국", "시민참여과"),
        "bureau": ("시민협력국", None),
        "planning": ("시민협력국", None),
        "budget": (None, None),  # the city's budget office belongs to no bureau
    }
    assert {login.role for login in DEMO_LOGINS} == {*Membership.Role.values, "admin"}
    assert get_user_model().objects.get(username="admin").is_superuser


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda x: x.username)
def test_every_demo_login_works(login):
    client = Client()
    response = client.post("/accounts/login/", {"username": login.username, "password": login.password})
    assert response.status_code == 302, response.content.decode()[:500]
