"""The replica for the tests of civicbureau.db_router and civicbureau.health: a test mirror of the primary."""

import types

import pytest
from django.db import connections

from civicbureau import db_router
from civicbureau.db_router import ReplicaHealth

ROUTER = "civicbureau.db_router.PrimaryReplicaRouter"
READS = "civicbureau.middleware.ReplicaReadsMiddleware"


@pytest.fixture
def replica(db, settings, monkeypatch):
    """The "replica" alias as a mirror of the test database, the router and its middleware installed as
    DATABASE_REPLICA_URL installs them, and a replica that answers without lag (tests change `lag`)."""
    primary = connections["default"].settings_dict
    connections.settings["replica"] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    connections["replica"].connect()  # the test case allows the aliases it knew when it began, and open ones
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: settings.MIDDLEWARE.index("civicbureau.middleware.DatabaseUnavailableMiddleware")],
        READS,
        *settings.MIDDLEWARE[settings.MIDDLEWARE.index("civicbureau.middleware.DatabaseUnavailableMiddleware") :],
    ]
    probe = types.SimpleNamespace(health=ReplicaHealth(ok=True, lag_seconds=0.0), calls=0)

    def fake_probe():
        probe.calls += 1
        if isinstance(probe.health, Exception):
            raise probe.health
        return probe.health

    monkeypatch.setattr(db_router, "replica_probe", fake_probe)
    db_router._health.clear()
    yield probe
    db_router._health.clear()
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]
