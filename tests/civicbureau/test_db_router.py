"""Which database a read goes to (civicbureau.db_router, civicbureau.middleware.ReplicaReadsMiddleware): public
reads on the replica while it is well and the client has not just written; everything else on the primary.

The replica here is a test mirror of the primary (Django's "Testing primary/replica configurations"): a second
alias on the test database, added for the test; the replica's probe is faked where its lag matters."""

import types

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import OperationalError, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbureau import db_router
from civicbureau.db_router import PrimaryReplicaRouter, ReplicaHealth
from staffing.models import Bureau

PUBLIC_PAGE = reverse("portal:home")


def reads_on(client, path=PUBLIC_PAGE) -> dict:
    """The number of queries a GET ran on each database, and its status."""
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as rep:
        response = client.get(path)
    return {"status": response.status_code, "primary": len(primary), "replica": len(rep)}


def in_request(allowed: bool):
    """As the middleware leaves it for a request that may (or may not) read the replica."""
    return db_router.replica_reads.set(allowed)


@pytest.mark.parametrize(
    "allowed, health, expected",
    [
        (True, ReplicaHealth(ok=True, lag_seconds=0.0), "replica"),
        (True, ReplicaHealth(ok=True, lag_seconds=10.0), "replica"),  # at the bound (REPLICA_MAX_LAG_SECONDS)
        (True, ReplicaHealth(ok=True, lag_seconds=10.5), "default"),  # over it
        (True, ReplicaHealth(ok=True, lag_seconds=None), "default"),  # lag unknown
        (True, ReplicaHealth(ok=False, lag_seconds=None, error="refused"), "default"),
        (False, ReplicaHealth(ok=True, lag_seconds=0.0), "default"),  # a write, signed in, or wrote lately
    ],
)
def test_a_read_goes_to_the_replica_only_when_the_request_allows_it_and_the_replica_is_well(
    replica, allowed, health, expected
):
    replica.health = health
    token = in_request(allowed)
    try:
        assert PrimaryReplicaRouter().db_for_read(Bureau) == expected
    finally:
        db_router.replica_reads.reset(token)


def test_outside_a_request_every_read_is_the_primarys(replica):
    """Management commands, Celery tasks and tests: the context variable's default."""
    assert PrimaryReplicaRouter().db_for_read(Bureau) == "default"
    assert replica.calls == 0  # not even probed


def test_inside_a_transaction_and_after_a_write_the_request_reads_the_primary(replica, bureau):
    router = PrimaryReplicaRouter()
    token = in_request(True)
    try:
        assert router.db_for_read(Bureau) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Bureau) == "default"
        assert router.db_for_read(Bureau) == "replica"
        with connections["default"].execute_wrapper(db_router.pin_after_write):  # as the middleware does
            Bureau.objects.using("default").filter(pk=bureau.pk).exists()  # a read on the primary does not pin
            assert router.db_for_read(Bureau) == "replica"
            assert router.db_for_write(Bureau) == "default"
            Bureau.objects.filter(pk=bureau.pk).update(name=bureau.name)
            assert router.db_for_read(Bureau) == "default"  # the request wrote: its next reads must see it
    finally:
        db_router.replica_reads.reset(token)


def test_a_row_read_on_the_primary_has_its_relations_read_there(replica, bureau):
    token = in_request(True)
    try:
        assert bureau._state.db == "default"
        assert PrimaryReplicaRouter().db_for_read(Bureau, instance=bureau) == "default"
    finally:
        db_router.replica_reads.reset(token)


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()
    assert [router.allow_migrate(db, "budget") for db in ("default", "replica")] == [True, False]


def test_the_replicas_health_is_kept_for_a_few_seconds_per_process(replica, settings):
    token = in_request(True)
    try:
        for _ in range(3):
            PrimaryReplicaRouter().db_for_read(Bureau)
        assert replica.calls == 1
        settings.REPLICA_CHECK_SECONDS = 0  # the result is out of date at once: each read probes again
        replica.health = ReplicaHealth(ok=True, lag_seconds=60.0)
        assert PrimaryReplicaRouter().db_for_read(Bureau) == "default"
        replica.health = ReplicaHealth(ok=True, lag_seconds=0.0)
        assert PrimaryReplicaRouter().db_for_read(Bureau) == "replica"
        assert replica.calls == 3
    finally:
        db_router.replica_reads.reset(token)


def test_a_probe_that_fails_sends_reads_to_the_primary(replica):
    replica.health = OSError("connection refused")
    token = in_request(True)
    try:
        assert PrimaryReplicaRouter().db_for_read(Bureau) == "default"
        assert db_router.replica_health().error == "OSError: connection refused"
    finally:
        db_router.replica_reads.reset(token)


def test_an_anonymous_page_is_read_on_the_replica(replica):
    seen = reads_on(Client())
    assert seen["status"] == 200
    assert seen["replica"] > 0 and seen["primary"] == 0


def test_a_signed_in_page_is_read_on_the_primary_entirely(replica):
    client = Client()
    client.force_login(get_user_model().objects.get(username="staff"))
    seen = reads_on(client)
    assert seen["status"] == 200
    assert seen["replica"] == 0 and seen["primary"] > 0


def test_a_lagging_replica_sends_the_anonymous_page_to_the_primary(replica):
    replica.health = ReplicaHealth(ok=True, lag_seconds=45.0)
    seen = reads_on(Client())
    assert seen["status"] == 200
    assert seen["replica"] == 0 and seen["primary"] > 0


def test_who_just_wrote_reads_the_primary_through_any_app_server_until_the_bound(replica, settings, monkeypatch):
    """A POST marks the client with a signed cookie; another client holding that cookie (the same browser
    answered by the other app server) reads the primary, a client without it the replica; after
    READ_OWN_WRITES_SECONDS the mark counts for nothing."""
    writer = Client()
    response = writer.post(reverse("set_language"), {"language": "ko", "next": "/"})
    assert response.status_code == 302
    mark = writer.cookies[settings.READ_OWN_WRITES_COOKIE_NAME]
    assert mark["max-age"] == settings.READ_OWN_WRITES_SECONDS and mark["httponly"] and mark["samesite"] == "Lax"

    same_browser = Client()
    same_browser.cookies[settings.READ_OWN_WRITES_COOKIE_NAME] = mark.value
    after_write = reads_on(same_browser)
    assert after_write["replica"] == 0 and after_write["primary"] > 0

    stranger = reads_on(Client())
    assert stranger["replica"] > 0 and stranger["primary"] == 0

    forged = Client()
    forged.cookies[settings.READ_OWN_WRITES_COOKIE_NAME] = "1"  # unsigned: counts for nothing
    assert reads_on(forged)["primary"] == 0

    later = signing.time.time() + settings.READ_OWN_WRITES_SECONDS + 1
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
    after_bound = reads_on(same_browser)
    assert after_bound["replica"] > 0 and after_bound["primary"] == 0


def test_a_get_sets_no_mark(replica, settings):
    client = Client()
    client.get(PUBLIC_PAGE)
    assert settings.READ_OWN_WRITES_COOKIE_NAME not in client.cookies


def test_a_replica_that_fails_between_two_probes_is_marked_down_and_the_page_served_from_the_primary(
    replica, monkeypatch
):
    """The request that meets a stopped replica is answered again from the primary (a GET is safe to repeat),
    and the replica is marked down at once: the next requests read the primary without waiting for the probe."""

    def refused(*args, **kwargs):
        raise OperationalError("the replica went away")

    monkeypatch.setattr(connections["replica"], "create_cursor", refused)
    client = Client(raise_request_exception=False)
    first = reads_on(client)
    assert first["status"] == 200 and first["primary"] > 0
    assert db_router.replica_health().error == "a read failed (the database-outage page was served)"
    after = reads_on(client)
    assert after["status"] == 200 and after["replica"] == 0 and after["primary"] > 0
