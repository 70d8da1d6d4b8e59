"""/healthz (civicbureau.health, civicbureau.views.healthz): the load balancer's check, on one machine and with
each part switched on, well and failing. No Redis and no replica server are needed: the replica is a test
mirror whose probe is faked, and Redis is an address where nothing listens."""

import socket

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbureau.db_router import ReplicaHealth
from tests.test_security import PRODUCTION_ENV, manage

NOT_CONFIGURED = {"configured": False, "ok": None, "detail": "not configured"}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """REDIS_URL and the cache on a port where nothing listens, with the options civicbureau.settings gives."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
        }
    }
    return url


def healthz(client=None):
    response = (client or Client()).get(reverse("healthz"))
    return response.status_code, response.json(), response


def primary_ok() -> dict:
    return {"ok": True, "vendor": connections["default"].vendor}


@pytest.mark.django_db
def test_on_one_machine_the_primary_answers_and_the_rest_is_not_configured():
    status, report, response = healthz()
    assert (status, report) == (
        200,
        {
            "status": "ok",
            "primary": primary_ok(),
            "replica": {**NOT_CONFIGURED, "lag_seconds": None, "used_for_reads": False},
            "cache": NOT_CONFIGURED,
            "queue": NOT_CONFIGURED,
        },
    )
    assert reverse("healthz") == "/healthz"
    assert not response.cookies  # no session, no CSRF token: nothing to keep
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_only_reads():
    assert Client().post(reverse("healthz")).status_code == 405


@pytest.mark.parametrize(
    "health, replica_part, overall",
    [
        (ReplicaHealth(ok=True, lag_seconds=0.0), {"ok": True, "lag_seconds": 0.0, "used_for_reads": True}, "ok"),
        (
            ReplicaHealth(ok=True, lag_seconds=30.5),
            {
                "ok": True,
                "lag_seconds": 30.5,
                "used_for_reads": False,
                "error": "lags more than the bound: reads go to the primary",
            },
            "degraded",
        ),
        (
            OSError("connection refused"),
            {"ok": False, "lag_seconds": None, "used_for_reads": False, "error": "OSError: connection refused"},
            "degraded",
        ),
    ],
)
def test_the_replica_with_its_lag_and_whether_reads_use_it(replica, health, replica_part, overall):
    replica.health = health
    status, report, _ = healthz()
    assert status == 200
    assert report["status"] == overall
    assert report["replica"] == {"configured": True, "max_lag_seconds": 10.0, **replica_part}


def test_healthz_probes_the_replica_afresh_and_the_router_then_uses_that(replica):
    healthz()
    healthz()
    assert replica.calls == 2


@pytest.mark.django_db
def test_a_primary_that_does_not_answer_is_down_with_503(monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "create_cursor", refused)
    status, report, _ = healthz(Client(raise_request_exception=False))
    assert status == 503
    assert report["status"] == "down"
    assert report["primary"] == {
        "ok": False,
        "vendor": connections["default"].vendor,
        "error": "OperationalError: connection refused",
    }


@pytest.mark.django_db
def test_redis_that_does_not_answer_degrades_but_the_portal_serves(redis_down):
    status, report, _ = healthz()
    assert status == 200
    assert report["status"] == "degraded"
    assert report["cache"] == {"configured": True, "ok": False}
    assert report["queue"]["configured"] is True and report["queue"]["ok"] is False
    assert "Error" in report["queue"]["error"]


@pytest.mark.django_db
def test_with_redis_down_the_kept_public_pages_are_drawn_each_time(redis_down):
    """A Redis outage is a cache miss (IGNORE_EXCEPTIONS): the public page is drawn again, not kept, the same."""
    client = Client()
    with CaptureQueriesContext(connections["default"]) as first_queries:
        first = client.get(reverse("portal:home"))
    with CaptureQueriesContext(connections["default"]) as second_queries:
        second = client.get(reverse("portal:home"))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(second_queries) == len(first_queries) > 1  # drawn again: a kept page costs the version's query only


def test_production_settings_with_the_replica_and_redis_pass_the_deployment_check():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://portal@db.example.org/civicbureau",
        "DATABASE_REPLICA_URL": "postgres://portal@replica.example.org/civicbureau",
        "REDIS_URL": "redis://cache.example.org:6379/0",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.DATABASE_ROUTERS, s.DATABASES['replica']['TEST']['MIRROR'], "
        "'civicbureau.middleware.ReplicaReadsMiddleware' in s.MIDDLEWARE, s.SESSION_ENGINE)"
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout
    shown = manage("shell", "-c", code, env=env)
    assert shown.stdout.strip().splitlines()[-1].split() == [
        "django_redis.cache.RedisCache",
        "['civicbureau.db_router.PrimaryReplicaRouter']",
        "default",
        "True",
        "django.contrib.sessions.backends.db",
    ], shown.stderr
