"""Reads of public pages on the replica, everything else on the primary (issue 20).

A read goes to the "replica" alias only when all of these hold:
- the request allows it (ReplicaReadsMiddleware sets `replica_reads` per request): a GET or HEAD, without a
  session cookie (signed-in people, and their session and user, stay on the primary entirely), and without
  the signed cookie a write leaves for READ_OWN_WRITES_SECONDS (read your own writes, through whichever app
  server: the mark is in the client's cookie, never in a process's memory);
- nothing in the request has written yet (a write pins the rest of the request to the primary:
  pin_after_write);
- the primary's connection is in no atomic block (a read inside a transaction must see its writes);
- the replica is known healthy: it answers, and it lags at most REPLICA_MAX_LAG_SECONDS (replica_health).
Management commands, tests, Celery tasks and any code outside a request read the primary: the context
variable is False unless the middleware set it. Migrations run on the primary only.

Lag, and why the primary's WAL position: on the replica, `now() - pg_last_xact_replay_timestamp()` alone grows
while the primary is idle (no commit to replay), so an idle, fully caught-up replica would read as lagging;
and comparing the replica's received with its replayed WAL alone says nothing when the stream from the primary
is cut. The probe reads the primary's `pg_current_wal_lsn()` first, then the replica's replay position: when the
replica has replayed that far (but for a WAL page's padding) it holds everything committed before the probe
(lag 0); otherwise the lag is the age of the last transaction it replayed (an overestimate after a long idle
spell, which errs towards the primary). The result is kept in the process's memory for REPLICA_CHECK_SECONDS, so a request
pays for a probe at most once every few seconds per process; a probe connects with short timeouts.
"""

import contextvars
import threading
import time
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# True while the current request may read from the replica (set by civicbureau.middleware.ReplicaReadsMiddleware)
replica_reads = contextvars.ContextVar("replica_reads", default=False)
# True once a read of the current request went to the replica (the middleware marks the replica down when
# such a request ends in the database-outage page)
replica_used = contextvars.ContextVar("replica_used", default=False)

# The primary's WAL position can be the start of the next page while the replica's replay position is the end
# of the last record: the page's tail, too short for a record (any takes 32 bytes or more with its header),
# is padding. Seen on this machine: replay 1/44FA7FE8 against 1/44FA8000, with nothing left to replay.
WAL_PAGE_TAIL_BYTES = 32
PROBE_TIMEOUT_SECONDS = 2  # connect and statement timeout of the probe (libpq's connect_timeout is whole seconds)


@dataclass(frozen=True)
class ReplicaHealth:
    ok: bool  # answered as a standby
    lag_seconds: float | None
    error: str = ""

    @property
    def usable(self) -> bool:
        return self.ok and self.lag_seconds is not None and self.lag_seconds <= settings.REPLICA_MAX_LAG_SECONDS


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_probe() -> ReplicaHealth:
    """Asks the replica how far behind the primary it is (see the module's docstring)."""
    replica = connections[REPLICA]
    if replica.vendor != "postgresql":  # a test mirror of the primary: the same database, no lag
        with replica.cursor() as cursor:
            cursor.execute("SELECT 1")
        return ReplicaHealth(ok=True, lag_seconds=0.0)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (primary_lsn,) = cursor.fetchone()
    params = replica.settings_dict
    libpq = {k: v for k, v in params["OPTIONS"].items() if k.startswith("ssl") or k == "target_session_attrs"}
    with psycopg.connect(
        **libpq,
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        connect_timeout=PROBE_TIMEOUT_SECONDS,
        options=f"-c statement_timeout={PROBE_TIMEOUT_SECONDS * 1000}",
        autocommit=True,
    ) as conn:
        in_recovery, caught_up, age = conn.execute(
            "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()) < %s,"
            " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float",
            [primary_lsn, WAL_PAGE_TAIL_BYTES],
        ).fetchone()
    if not in_recovery:
        return ReplicaHealth(ok=False, lag_seconds=None, error="not a standby (promoted?)")
    if caught_up:
        return ReplicaHealth(ok=True, lag_seconds=0.0)
    return ReplicaHealth(ok=True, lag_seconds=round(age, 3) if age is not None else None)


class _HealthCache:
    """The last probe's result, kept in this process's memory for REPLICA_CHECK_SECONDS. One thread probes at
    a time; the others use the last result meanwhile (the primary if there is none yet)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.health: ReplicaHealth | None = None
        self.checked_at = float("-inf")

    def get(self, *, fresh: bool = False) -> ReplicaHealth:
        if fresh or time.monotonic() - self.checked_at >= settings.REPLICA_CHECK_SECONDS:
            if self.lock.acquire(blocking=fresh):
                try:
                    self.set(_probe_safely())
                finally:
                    self.lock.release()
        return self.health or ReplicaHealth(ok=False, lag_seconds=None, error="not checked yet")

    def set(self, health: ReplicaHealth) -> None:
        self.health, self.checked_at = health, time.monotonic()

    def clear(self) -> None:
        self.health, self.checked_at = None, float("-inf")


_health = _HealthCache()


def _probe_safely() -> ReplicaHealth:
    try:
        return replica_probe()
    except Exception as exc:  # any failure to answer (refused, timeout, auth, a broken cursor) is "down"
        return ReplicaHealth(ok=False, lag_seconds=None, error=f"{type(exc).__name__}: {exc}".strip()[:200])


def replica_health(*, fresh: bool = False) -> ReplicaHealth:
    """The replica's health as this process last saw it (probed again when older than REPLICA_CHECK_SECONDS,
    or at once with `fresh`, as /healthz does)."""
    return _health.get(fresh=fresh)


def replica_mark_down(error: str) -> None:
    """A read on the replica failed: reads go to the primary until the next probe finds it well again."""
    _health.set(ReplicaHealth(ok=False, lag_seconds=None, error=error))


def pin_after_write(execute, sql, params, many, context):
    """A statement on the primary other than a SELECT (a write, a transaction's savepoint): the request's next
    reads must see what it did, so they stay on the primary (an execute wrapper of the primary's connection,
    installed by the middleware for a request that may read the replica). Django's db_for_write cannot tell:
    it is also asked when a related object is merely assigned in memory."""
    if not sql.lstrip()[:6].upper() == "SELECT":
        replica_reads.set(False)
    return execute(sql, params, many, context)


def _in_atomic_block(alias: str) -> bool:
    """In a transaction the code opened: the blocks a test case wraps each test in are not the code's
    (Django marks them, and tells them apart the same way for `atomic(durable=True)`)."""
    return any(not block._from_testcase for block in connections[alias].atomic_blocks)


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS when DATABASE_REPLICA_URL is set (civicbureau.settings)."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS  # what relates to a row read on the primary is read there too
        if model._meta.app_label == "django_cache":
            return DEFAULT_DB_ALIAS  # the database cache (production without Redis) is read where it is written
        if replica_reads.get() and not _in_atomic_block(DEFAULT_DB_ALIAS) and replica_health().usable:
            replica_used.set(True)
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: every row is on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
