"""Security events for the log: login success and failure, lockout, logout, 403, CSRF failure,
rejected import. Each is one line (see civicbureau.logs): time in UTC, request id, user, client
address, event and details; no secrets (passwords are never passed in)."""

import logging
import threading
from contextlib import contextmanager

from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection, transaction
from django.dispatch import receiver

from civicbureau.logs import current_request

logger = logging.getLogger("security")
SECRET_KEYS = {"password", "password1", "password2", "csrfmiddlewaretoken", "token", "secret"}


# Failed logins allowed within AXES_COOLOFF_TIME, by what they are counted on. A username guessed from one
# address locks soonest; an address is throttled over every username it tries (a password sprayed over many
# accounts), with room for a city hall whose staff share one address; a username over every address
# (guesses spread over many machines) locks too, so anyone can lock an account only for the short
# cool-off, and the administrator unlocks it at once (README, "Login throttling").
LOCKOUT_LIMITS = {("username", "ip_address"): 5, ("ip_address",): 30, ("username",): 10}


class ThrottlingHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit per lockout parameter set (LOCKOUT_LIMITS) instead of one
    for all: each set's failures are scaled to AXES_FAILURE_LIMIT, and the worst of them counts."""

    def get_failures(self, request, credentials=None) -> int:
        from django.conf import settings
        from django.db.models import Sum

        scale = settings.AXES_FAILURE_LIMIT
        worst = 0
        for parameters, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True
        ):
            key = (parameters,) if isinstance(parameters, str) else tuple(parameters)
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, -(-failures * scale // LOCKOUT_LIMITS[key]))  # rounded up: the limit reached locks
        return worst


def client_ip(request) -> str | None:
    """The person's address: REMOTE_ADDR, unless that is a load balancer named in TRUSTED_PROXIES, whose
    X-Forwarded-For ends with the address it saw (the entries before it are the client's own word, never
    read). None when there is none. The login throttling counts by it (AXES_CLIENT_IP_CALLABLE)."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if address in settings.TRUSTED_PROXIES and forwarded.strip():
        return forwarded.rsplit(",", 1)[-1].strip() or None
    return address


def client_address(request) -> str:
    """client_ip for the log: '-' when there is none."""
    return client_ip(request) or "-"


def log(event: str, request=None, **details):
    request = request or current_request.get()
    user = details.pop("user", None)
    if (
        user is None
        and request is not None
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
    ):
        user = request.user.get_username()
    fields = {k: v for k, v in details.items() if k not in SECRET_KEYS}
    logger.info(
        "%s",
        {
            "event": event,
            "user": user or "-",
            "ip": client_address(request),
            "request_id": getattr(request, "id", "-"),
            **fields,
        },
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log("login_succeeded", request, user=user.get_username())


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    log("logout", request, user=user.get_username() if user else "-")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    log("login_failed", request, user=credentials.get("username", "-"))


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    log("locked_out", request, user=username or "-")


_local_locks: dict[str, threading.Lock] = {}
_local_locks_guard = threading.Lock()


@contextmanager
def username_lock(username: str):
    """Serialises login attempts for one username, so that django-axes counts each failure before the
    next guess is checked (its known race lets parallel guesses through together). PostgreSQL: a
    transaction-scoped advisory lock, across every server process; SQLite (one process): a thread lock."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"login:{username.lower()}"])
            yield
        return
    with _local_locks_guard:
        lock = _local_locks.setdefault(username.lower(), threading.Lock())
    with lock:
        yield
