"""What /healthz reports (civicbureau.views.healthz): the primary, the replica and its lag, the cache, the queue.

Each part says "not configured" when its variable is unset (DATABASE_REPLICA_URL, REDIS_URL). The status is
"down" when the primary does not answer (HTTP 503: the load balancer takes the server out), "degraded" when
a configured part fails (the pages are still served: reads on the primary, pages drawn without the cache),
"ok" otherwise. Every check has a short timeout, so the answer comes within a few seconds at worst.
"""

import uuid

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from civicbureau import db_router

NOT_CONFIGURED = "not configured"
PING_TIMEOUT_SECONDS = 0.5


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}".strip()[:200]


def primary_status() -> dict:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return {"ok": False, "vendor": connections[DEFAULT_DB_ALIAS].vendor, "error": _error(exc)}
    return {"ok": True, "vendor": connections[DEFAULT_DB_ALIAS].vendor}


def replica_status() -> dict:
    """Probed afresh (not the router's kept result), and the probe's result kept for the router's reads."""
    if not db_router.replica_configured():
        return {"configured": False, "ok": None, "lag_seconds": None, "used_for_reads": False, "detail": NOT_CONFIGURED}
    health = db_router.replica_health(fresh=True)
    status = {
        "configured": True,
        "ok": health.ok,
        "lag_seconds": health.lag_seconds,
        "max_lag_seconds": settings.REPLICA_MAX_LAG_SECONDS,
        "used_for_reads": health.usable,
    }
    if health.error:
        status["error"] = health.error
    elif not health.usable:
        status["error"] = "lags more than the bound: reads go to the primary"
    return status


def cache_status() -> dict:
    """A write and a read back through Django's cache: with IGNORE_EXCEPTIONS a Redis outage reads as a miss."""
    if not settings.REDIS_URL:
        return {"configured": False, "ok": None, "detail": NOT_CONFIGURED}
    key, token = "civicbureau:healthz", uuid.uuid4().hex
    cache.set(key, token, 30)
    return {"configured": True, "ok": cache.get(key) == token}


def queue_status() -> dict:
    """The job queue's broker (Celery's, on REDIS_URL) answers a ping within half a second."""
    if not settings.REDIS_URL:
        return {"configured": False, "ok": None, "detail": NOT_CONFIGURED}
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=PING_TIMEOUT_SECONDS, socket_timeout=PING_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"configured": True, "ok": False, "error": _error(exc)}
    finally:
        client.close()
    return {"configured": True, "ok": True}


def health_report() -> tuple[dict, int]:
    """The report and its HTTP status: 200 while the primary answers (degraded included), 503 when it does not."""
    primary = primary_status()
    if primary["ok"]:
        replica = replica_status()
    else:  # the replica's lag is measured against the primary's position
        replica = {
            "configured": db_router.replica_configured(),
            "ok": None,
            "lag_seconds": None,
            "used_for_reads": False,
            "detail": "not checked: the primary does not answer",
        }
    report = {"primary": primary, "replica": replica, "cache": cache_status(), "queue": queue_status()}
    if not primary["ok"]:
        status = "down"
    elif (replica["configured"] and not replica["used_for_reads"]) or any(
        report[part]["configured"] and not report[part]["ok"] for part in ("cache", "queue")
    ):
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, **report}, 503 if status == "down" else 200
