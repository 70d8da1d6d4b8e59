"""The session notice's server side: signed-in pages say how long the session has left (the idle and the
12-hour limits) and 연장 renews it (civicbureau.middleware, civicbureau.views.session_extend)."""

import datetime
import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGE = reverse("programs:consistency")


def seconds_left_on_page(client) -> int | None:
    found = re.search(r'data-session-seconds-left="(\d+)"', client.get(PAGE).content.decode())
    return int(found.group(1)) if found else None


def expire_date(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def renewed_seconds_ago(client, seconds: int):
    """As if the session had last been saved (renewed) that long ago."""
    session = client.session
    session["renewed_at"] = time.time() - seconds
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - seconds)
    )


def test_a_signed_in_page_says_when_its_session_ends_and_carries_the_notice(staff_client, settings):
    html = staff_client.get(PAGE).content.decode()
    assert settings.SESSION_COOKIE_AGE - 1 <= seconds_left_on_page(staff_client) <= settings.SESSION_COOKIE_AGE
    assert f'data-session-warning-seconds="{settings.SESSION_WARNING_SECONDS}"' in html
    assert 'id="session-notice"' in html and 'role="alertdialog"' in html and "js/session.js" in html
    assert f'action="{reverse("session_extend")}"' in html


def test_a_public_page_for_an_anonymous_visitor_has_no_notice(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert "data-session-seconds-left" not in html and "session-notice" not in html and "session.js" not in html


def test_the_time_left_counts_from_the_last_renewal_and_stops_at_twelve_hours(staff_client, settings):
    staff_client.get(PAGE)
    renewed_seconds_ago(staff_client, 45)  # less than a minute ago: the next request does not renew
    assert settings.SESSION_COOKIE_AGE - 46 <= seconds_left_on_page(staff_client) <= settings.SESSION_COOKIE_AGE - 45
    session = staff_client.session
    session["login_time"] = time.time() - settings.SESSION_ABSOLUTE_SECONDS + 100
    session.save()
    assert 98 <= seconds_left_on_page(staff_client) <= 100


def test_extending_renews_the_session_and_answers_the_time_left(staff_client, settings):
    staff_client.get(PAGE)
    renewed_seconds_ago(staff_client, 45)
    staff_client.get(PAGE)  # not renewed (less than SESSION_RENEW_SECONDS ago)
    before = expire_date(staff_client)
    response = staff_client.post(reverse("session_extend"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"seconds_left": settings.SESSION_COOKIE_AGE}
    assert (expire_date(staff_client) - before).total_seconds() >= 44
    assert "no-cache" in response["Cache-Control"]


def test_extending_never_passes_the_twelve_hour_limit(staff_client, settings):
    staff_client.get(PAGE)
    session = staff_client.session
    session["login_time"] = time.time() - settings.SESSION_ABSOLUTE_SECONDS + 100
    session.save()
    assert 98 <= staff_client.post(reverse("session_extend")).json()["seconds_left"] <= 100


def test_extending_needs_a_session_a_post_and_the_csrf_token(staff_client):
    assert staff_client.get(reverse("session_extend")).status_code == 405
    anonymous = Client().post(reverse("session_extend"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    # the CSRF sweep (tests/test_csrf.py) refuses it without a token and from another origin
