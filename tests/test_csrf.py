"""CSRF on every writing URL (ASVS 4.2.2): Django's test client skips CSRF unless asked, so these clients
enforce it. The writing URLs are test_permissions.WRITES (itself checked against the URLconf, so a new
writing view is covered here too); each is POSTed by a person who may write through it, on their own
division: without a token, and with a valid token but a foreign Origin. Each is refused with a 403, logged
as 'csrf_failed', and changes no row of any table. The same POST with the token from the same origin
goes through, so the 403 is the CSRF check's and not a permission's."""

import logging

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from staffing.models import Division
from tests.fingerprint import database_fingerprint
from tests.test_permissions import (
    ADMINISTRATOR,
    APPROVERS,
    CITY_BRIEFING,
    CITY_EXTRACT,
    CITY_PACE,
    OWN,
    PUBLISHERS,
    WRITES,
    book_for,
    extract_for,
    prepare,
    sheet_for,
    url_for,
)

pytestmark = pytest.mark.django_db

FOREIGN = "https://attacker.example"


def writer_for(name):
    writers = {
        APPROVERS: "director_a",
        PUBLISHERS: "planning",
        CITY_PACE: "budget",
        CITY_EXTRACT: "budget",
        CITY_BRIEFING: "budget",
        ADMINISTRATOR: "admin",
    }
    return writers.get(WRITES[name], "staff_a")


def csrf_client(user) -> tuple[Client, str]:
    """A client that enforces CSRF, logged in, holding a CSRF cookie whose token it may send or not."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    secret = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    return client, secret


def post_data(name, division, people, client, token):
    data = prepare(name, division, people)
    if name == "budget:import_upload":
        data = {"file": sheet_for(division)}
    elif name == "budget:import_apply":
        preview = client.post(
            reverse("budget:import_upload"), {"file": sheet_for(division), "csrfmiddlewaretoken": token}
        )
        assert preview.status_code == 200 and preview.context["token"], "the preview (with its token) should succeed"
        data = {"token": preview.context["token"]}
    elif name in ("city:extract", "budget:budget_book"):
        data = (
            {"as_of": "2022-08-31", "file": extract_for(division)}
            if name == "city:extract"
            else {"file": book_for(division)}
        )
    elif name in ("city:extract_apply", "budget:budget_book_apply"):
        preview_name = name.removesuffix("_apply")
        preview = client.post(
            reverse(preview_name),
            {**post_data(preview_name, division, people, client, token), "csrfmiddlewaretoken": token},
        )
        assert preview.status_code == 200 and preview.context["token"], "the preview (with its token) should succeed"
        data = {"token": preview.context["token"]}
    return data


def csrf_events(caplog):
    return [r for r in caplog.records if isinstance(r.args, dict) and r.args.get("event") == "csrf_failed"]


@pytest.mark.parametrize("attack", ["no_token", "foreign_origin"])
@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_writing_url_refuses_a_cross_site_post(name, attack, people, caplog):
    division = Division.objects.get(code=OWN)
    client, token = csrf_client(people[writer_for(name)])
    data = post_data(name, division, people, client, token)
    before = database_fingerprint()
    caplog.set_level(logging.INFO, logger="security")
    if attack == "no_token":
        response = client.post(url_for(name, division), data)
    else:
        response = client.post(url_for(name, division), {**data, "csrfmiddlewaretoken": token}, HTTP_ORIGIN=FOREIGN)
    assert response.status_code == 403, (name, attack, response.status_code)
    assert len(csrf_events(caplog)) == 1
    after = database_fingerprint()
    assert {k for k in before if before[k] != after[k]} == set(), f"{name} changed rows despite the CSRF refusal"


@pytest.mark.parametrize("name", sorted(WRITES))
def test_the_same_post_with_its_token_goes_through(name, people):
    """The control: with the token and from the same origin the person's POST is accepted."""
    division = Division.objects.get(code=OWN)
    client, token = csrf_client(people[writer_for(name)])
    data = post_data(name, division, people, client, token)
    before = database_fingerprint()
    response = client.post(
        url_for(name, division), {**data, "csrfmiddlewaretoken": token}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code in (200, 302), (name, response.status_code)
    changed = before != database_fingerprint()
    # the previews alone write nothing; 연장 writes the session only
    previews = ("budget:import_upload", "city:extract", "budget:budget_book", "session_extend")
    assert changed == (name not in previews), name
