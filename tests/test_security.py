"""Production settings, headers, error pages, sessions, login throttling, CSRF and the security log."""

import datetime
import io
import logging
import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from civicbureau.logs import SecurityFormatter

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "civicbureau.production",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-for-the-check-only-0123456789",
    "ALLOWED_HOSTS": "civicbureau.example.org",
    "DATABASE_URL": "sqlite:///unused.sqlite3",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_environment(missing):
    env = {**PRODUCTION_ENV, missing: ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in the environment" in result.stderr


def test_security_headers(client):
    response = client.get(reverse("portal:home"))
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


def test_pages_have_no_inline_scripts_or_styles(client, director_client):
    for c, url in (
        (client, reverse("portal:home")),
        (director_client, reverse("portal:home")),
        (client, reverse("login")),
    ):
        html = c.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html, url
        assert " onclick=" not in html and "javascript:" not in html


@pytest.mark.parametrize("language, text", [("ko", "페이지를 찾을 수 없습니다"), ("en", "Page not found")])
def test_404_in_both_languages(client, language, text):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.parametrize("language, text", [("ko", "접근 권한이 없습니다"), ("en", "Access denied")])
def test_403_in_both_languages_and_logged(staff_client, language, text, caplog):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with caplog.at_level(logging.INFO, logger="security"):
        response = staff_client.get(reverse("reports:briefing_export"))
    assert response.status_code == 403
    assert text in response.content.decode()
    event = next(r for r in caplog.records if r.args.get("event") == "forbidden")
    assert event.args["user"] == "staff" and event.args["path"] == "/briefing.xlsx"


def test_500_page_is_plain_and_bilingual():
    html = render_to_string("500.html")
    assert "일시적인 오류" in html and "Something went wrong" in html


def test_a_database_that_is_down_gives_a_plain_503(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", down)
    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", down)
    client.raise_request_exception = False
    response = client.get(reverse("portal:home"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "데이터베이스에 연결할 수 없습니다" in html and "The database cannot be reached" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert response["Retry-After"] == "60"


def test_passwords_need_twelve_characters_and_not_a_common_one():
    with pytest.raises(ValidationError):
        validate_password("Short-1a!")
    with pytest.raises(ValidationError):
        validate_password("password1234")
    validate_password("maple-river-granite-47")


def test_sessions_expire_after_30_idle_minutes_and_12_hours_in_all(staff_client):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_RENEW_SECONDS == 60
    assert staff_client.get(reverse("programs:consistency")).status_code == 200
    session = staff_client.session
    session["login_time"] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = staff_client.get(reverse("programs:consistency"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert staff_client.get(reverse("programs:consistency")).status_code == 302  # logged out for good


def test_the_session_key_changes_at_login_and_logout_is_a_post():
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(reverse("login"), {"username": "staff", "password": "staff-demo-2022"})
    assert response.status_code == 302
    after = client.session.session_key
    assert after and after != before
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("programs:consistency")).status_code == 302


def failures(address: str, username: str, count: int) -> list[int]:
    client = Client(REMOTE_ADDR=address)
    return [
        client.post(reverse("login"), {"username": username, "password": "wrong-password"}).status_code
        for _ in range(count)
    ]


def signs_in(address: str, username: str) -> bool:
    response = Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": f"{username}-demo-2022"}
    )
    return response.status_code == 302


def test_five_failures_from_one_address_lock_the_username_there_and_the_right_password_is_refused(caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        assert failures("10.0.0.1", "director", 5) == [200, 200, 200, 200, 429]  # the fifth failure locks
        locked = Client(REMOTE_ADDR="10.0.0.1").post(
            reverse("login"), {"username": "director", "password": "director-demo-2022"}
        )
    assert locked.status_code == 429
    assert "로그인이 잠겼습니다" in locked.content.decode()
    # the person at their own address is not locked out by someone else's guesses
    assert signs_in("10.0.0.2", "director")
    events = [r.args["event"] for r in caplog.records if isinstance(r.args, dict)]
    assert events.count("login_failed") >= 5 and "locked_out" in events


def test_guesses_spread_over_addresses_lock_the_username_for_the_short_cool_off_only(settings):
    for n in range(5):
        failures(f"10.0.1.{n}", "director", 2)  # ten guesses from five addresses
    assert not signs_in("10.0.0.9", "director")  # the username is locked everywhere …
    from axes.models import AccessAttempt

    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)  # … for a quarter of an hour
    call_command("axes_reset_username", "director")  # or until the administrator unlocks it
    assert AccessAttempt.objects.filter(username="director").count() == 0
    assert signs_in("10.0.0.9", "director")


def test_a_password_sprayed_over_many_usernames_from_one_address_is_throttled():
    for n in range(30):
        failures("10.0.2.1", f"someone-{n}", 1)  # one guess each at thirty usernames
    assert not signs_in("10.0.2.1", "staff")  # that address is throttled, even with a right password
    assert signs_in("10.0.2.2", "staff")  # other addresses are not


def test_csrf_is_enforced_and_logged(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.INFO, logger="security"):
        response = client.post(
            reverse("login"), {"username": "staff", "password": "staff-demo-2022"}, HTTP_ORIGIN="https://evil.example"
        )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert any(r.args.get("event") == "csrf_failed" for r in caplog.records if isinstance(r.args, dict))


def test_the_security_log_escapes_control_characters_and_keeps_no_password():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SecurityFormatter())
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    try:
        Client().post(
            reverse("login"), {"username": "evil\nINFO event=login_succeeded", "password": "hunter2-secret-value"}
        )
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert "event=login_failed" in line and 'user="evil\\\\nINFO event=login_succeeded"' in line  # escaped, quoted
    assert "hunter2-secret-value" not in stream.getvalue()
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO ", line)
    assert "ip=127.0.0.1" in line and re.search(r"request_id=[0-9a-f]{32}", line)


def test_behind_a_trusted_load_balancer_each_person_is_counted_by_the_address_it_saw(settings):
    """Through the load balancer every request comes from its address; its X-Forwarded-For names the person.
    The entries a client writes itself before that one, and the header from anyone not trusted, are never read."""
    settings.TRUSTED_PROXIES = frozenset({"127.0.0.1"})

    def via_proxy(person: str, claimed: str = "") -> Client:
        forwarded = f"{claimed}, {person}" if claimed else person
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for n in range(30):
        via_proxy("203.0.113.7", claimed=f"198.51.100.{n}").post(
            reverse("login"), {"username": f"someone-{n}", "password": "wrong-password"}
        )
    staff = {"username": "staff", "password": "staff-demo-2022"}
    assert (
        via_proxy("203.0.113.7").post(reverse("login"), staff).status_code == 429
    )  # the sprayer, named despite its claims
    assert via_proxy("203.0.113.8").post(reverse("login"), staff).status_code == 302  # the next person is not
    # a client that is not the load balancer cannot choose its address by the header
    settings.TRUSTED_PROXIES = frozenset()
    assert (
        Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.7").post(reverse("login"), staff).status_code
        == 302
    )
