"""Nothing typed is lost (civicbureau.held): a save on the month grid that arrives after the session ended
is held for the person whose page it was, shown to them (and only them) after they sign in again, filled
in and not saved, then deleted. Clients here enforce CSRF and sign in through the login form, as a
browser does: signing in rotates the CSRF token, and the held page's own token must then work."""

import datetime
import logging
import re
import time
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budget.models import DivisionMonth, ExecutionSnapshot
from civicbureau import held
from civicbureau.models import HeldPost
from staffing.models import Division
from tests.factories import member
from tests.test_permissions import JULY, OWN, prepare, url_for

pytestmark = pytest.mark.django_db

GRID = reverse("budget:month_detail", args=[OWN, JULY])
PASSWORD = "staff-demo-2022"


def field_values(html: str) -> dict[str, str]:
    """name → value of every <input> of the page that has both."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            values[name.group(1)] = unescape(value.group(1)) if value else ""
    return values


def grid_form_values(html: str) -> dict[str, str]:
    """The inputs of the grid's form (#month-form) only: the logout and session forms hold tokens too."""
    form = re.search(r'<form method="post" id="month-form">(.*?)</form>', html, re.S)
    assert form, "no #month-form on the page"
    return field_values(form.group(1))


def sign_in(client: Client, username: str, password: str, then: str):
    login = client.get(reverse("login") + "?next=" + then)
    token = field_values(login.content.decode())["csrfmiddlewaretoken"]
    return client.post(
        reverse("login"), {"username": username, "password": password, "next": then, "csrfmiddlewaretoken": token}
    )


def end_the_session(client: Client):
    """The idle limit passed: the session's row has expired (the browser has dropped its cookie too)."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )


def typed_figures(people) -> dict:
    """A valid July for the division, as the grid posts it, with a figure changed on its first line."""
    data = prepare("budget:month_detail", Division.objects.get(code=OWN), people)
    data["rows-0-disbursements"] = str(int(data["rows-0-disbursements"]) + 1_000)
    data["rows-0-obligations"] = data["rows-0-disbursements"]
    return data


@pytest.fixture
def staff_page(people):
    """The staff member signed in through the form, with the grid open: (client, the grid's fields)."""
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "staff", PASSWORD, GRID).status_code == 302
    page = client.get(GRID)
    assert page.status_code == 200
    return client, grid_form_values(page.content.decode())


def post_after_the_end(client, page_fields, data):
    end_the_session(client)
    return client.post(
        GRID,
        {
            **data,
            "csrfmiddlewaretoken": page_fields["csrfmiddlewaretoken"],
            held.TOKEN_FIELD: page_fields[held.TOKEN_FIELD],
        },
    )


def held_events(caplog, event):
    return [r.args for r in caplog.records if isinstance(r.args, dict) and r.args.get("event") == event]


def test_a_save_after_the_session_ended_is_held_and_shown_after_signing_in_again(staff_page, people, caplog):
    client, fields = staff_page
    data = typed_figures(people)
    before = sorted(ExecutionSnapshot.objects.filter(as_of=JULY).values_list("pk", "disbursements"))
    caplog.set_level(logging.INFO, logger="security")

    response = post_after_the_end(client, fields, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=" + GRID
    assert sorted(ExecutionSnapshot.objects.filter(as_of=JULY).values_list("pk", "disbursements")) == before
    stored = HeldPost.objects.get()
    assert (stored.user, stored.path) == (people["staff_a"], GRID)
    assert stored.data == {key: [str(value)] for key, value in data.items()}  # no CSRF token, no page token
    assert [(e["user"], e["path"]) for e in held_events(caplog, "post_held")] == [("staff", GRID)]

    signed_in = sign_in(client, "staff", PASSWORD, GRID)
    assert signed_in.status_code == 302 and signed_in["Location"] == GRID
    page = client.get(GRID)
    html = page.content.decode()
    shown = grid_form_values(html)
    # the figures as typed (the grid shows won with separators)
    assert {key: shown[key].replace(",", "") for key in data} == {key: str(value) for key, value in data.items()}
    assert "세션이 끝나기 전에 입력한 값을 채워 두었습니다. 아직 저장되지 않았습니다: 확인하고 저장하세요." in html
    assert not HeldPost.objects.exists()  # shown once
    assert shown["csrfmiddlewaretoken"] != fields["csrfmiddlewaretoken"]  # rotated by signing in
    assert client.get(GRID).content.decode().count("세션이 끝나기 전에") == 0

    saved = client.post(GRID, shown)  # the held page's own fields, its new CSRF token among them
    assert saved.status_code == 302 and saved["Location"] == GRID
    assert DivisionMonth.objects.get(division__code=OWN, as_of=JULY).status == DivisionMonth.Status.DRAFT
    line = data["rows-0-code"]
    assert ExecutionSnapshot.objects.get(as_of=JULY, budget_line__code=line).disbursements == int(
        data["rows-0-disbursements"]
    )


def test_another_person_signing_in_never_sees_the_held_figures(staff_page, people):
    client, fields = staff_page
    data = typed_figures(people)
    post_after_the_end(client, fields, data)
    colleague = member("staff", division=Division.objects.get(code=OWN))  # may open and save the same grid
    other = Client()
    other.force_login(colleague)
    html = other.get(GRID).content.decode()
    assert grid_form_values(html)["rows-0-disbursements"] != data["rows-0-disbursements"]
    assert "세션이 끝나기 전에" not in html
    assert HeldPost.objects.get().user == people["staff_a"]  # still waiting for its own person


def test_a_token_with_another_persons_id_cannot_be_made_without_the_key(staff_page, people, caplog):
    client, fields = staff_page
    forged = signing.dumps({"user": people["director_a"].pk, "path": GRID}, salt=held.SALT, key="not-the-key")
    caplog.set_level(logging.INFO, logger="security")
    response = post_after_the_end(client, {**fields, held.TOKEN_FIELD: forged}, typed_figures(people))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not HeldPost.objects.exists()
    assert [e["path"] for e in held_events(caplog, "held_post_refused")] == [GRID]


def test_an_expired_token_or_another_pages_token_holds_nothing(staff_page, people, monkeypatch, settings):
    client, fields = staff_page
    day_ago = time.time() - settings.HELD_POST_SECONDS - 60
    monkeypatch.setattr(signing.time, "time", lambda: day_ago)
    old = signing.dumps({"user": people["staff_a"].pk, "path": GRID}, salt=held.SALT)
    monkeypatch.undo()
    other_page = signing.dumps({"user": people["staff_a"].pk, "path": "/staff/entry/"}, salt=held.SALT)
    for token in (old, other_page, "", "garbage"):
        response = post_after_the_end(client, {**fields, held.TOKEN_FIELD: token}, typed_figures(people))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not HeldPost.objects.exists()


def test_passwords_are_never_held(staff_page, people):
    client, fields = staff_page
    post_after_the_end(client, fields, {**typed_figures(people), "password": "x", "new_password1": "y"})
    assert {"password", "new_password1", "csrfmiddlewaretoken", held.TOKEN_FIELD} & set(
        HeldPost.objects.get().data
    ) == (set())


def test_held_figures_older_than_their_limit_are_not_shown_and_are_deleted(people, settings):
    old = timezone.now() - datetime.timedelta(seconds=settings.HELD_POST_SECONDS + 1)
    HeldPost.objects.create(user=people["staff_a"], path=GRID, data={"rows-0-disbursements": ["1"]}, held_at=old)
    stale = HeldPost.objects.create(user=people["director_a"], path="/elsewhere/", data={"value": ["1"]}, held_at=old)
    client = Client()
    client.force_login(people["staff_a"])
    assert "세션이 끝나기 전에" not in client.get(GRID).content.decode()
    # the next hold of anyone deletes what waited too long
    page = grid_form_values(client.get(GRID).content.decode())
    post_after_the_end(client, page, typed_figures(people))
    assert list(HeldPost.objects.values_list("user__username", "path")) == [("staff", GRID)]
    assert not HeldPost.objects.filter(pk=stale.pk).exists()


def test_a_save_after_the_twelve_hour_limit_is_held_too(staff_page, people):
    client, fields = staff_page
    session = client.session
    session["login_time"] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.post(
        GRID,
        {
            **typed_figures(people),
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            held.TOKEN_FIELD: fields[held.TOKEN_FIELD],
        },
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert HeldPost.objects.get().user == people["staff_a"]
    assert client.get(GRID).status_code == 302  # logged out for good


def test_an_anonymous_post_without_a_token_is_sent_to_sign_in_holding_nothing(client, people):
    response = client.post(GRID, typed_figures(people))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not HeldPost.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "budget:month_detail",
        "budget:line_adjustments",
        "programs:schedule_item_progress",
        "programs:indicator_values",
        "staffing:headcount_entry",
    ],
)
def test_every_staff_entry_form_keeps_what_was_typed(name, people):
    """The forms that opt in: each page carries the token, holds a late save, and binds it after signing in."""
    division = Division.objects.get(code=OWN)
    url = url_for(name, division)
    data = {key: str(value) for key, value in prepare(name, division, people, "staff_a").items()}
    client = Client()
    client.force_login(people["staff_a"])
    token = field_values(client.get(url).content.decode())[held.TOKEN_FIELD]
    client.logout()
    response = client.post(url, {**data, held.TOKEN_FIELD: token})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert HeldPost.objects.get().data == {key: [value] for key, value in data.items()}

    client.force_login(people["staff_a"])
    page = client.get(url)
    bound = page.context["formset" if "formset" in page.context else "form"]
    assert bound.is_bound and {key: bound.data.get(key) for key in data} == data
    assert "세션이 끝나기 전에 입력한 값을 채워 두었습니다" in page.content.decode()
    assert not HeldPost.objects.exists()
