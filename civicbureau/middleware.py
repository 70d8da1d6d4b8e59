"""Request-wide safety: a request id for the logs, a plain 503 when the database is down, the 12-hour
absolute session lifetime, and which database a request reads (the replica's rule, civicbureau.db_router)."""

import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

from civicbureau import db_router, logs, security


class RequestIdMiddleware:
    """Gives every request an id (or keeps a well-formed X-Request-ID from the proxy) for the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if logs.is_request_id(incoming) else uuid.uuid4().hex
        token = logs.current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            logs.current_request.reset(token)
        response["X-Request-ID"] = request.id
        return response


class ReplicaReadsMiddleware:
    """Says whether this request's reads may go to the replica (civicbureau.db_router), and marks the client
    after a write so that its next reads, for READ_OWN_WRITES_SECONDS, are the primary's.

    The mark is a signed cookie (its signature dates it, so an old or forged one counts for nothing): it
    travels with the client to whichever app server answers next. A request with a session cookie (someone
    signed in) reads the primary entirely, so a session or a login is never looked for on a replica that has
    not received it yet. Installed, with the router, only when DATABASE_REPLICA_URL is set."""

    SAFE_METHODS = ("GET", "HEAD")
    SALT = "civicbureau.read-own-writes"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = self.replica_allowed(request)
        response, replica_used = self.respond(request, allowed)
        if replica_used and response.status_code == 503:
            # the replica stopped between two probes: reads go to the primary from now on, and this GET or
            # HEAD (safe to repeat) is answered again from the primary instead of with the outage page
            # (the outage page is dropped, not closed: closing sends request_finished, which would close the
            # request's connections in the middle of it)
            db_router.replica_mark_down("a read failed (the database-outage page was served)")
            response, _ = self.respond(request, False)
        if request.method not in self.SAFE_METHODS:
            response.set_signed_cookie(
                settings.READ_OWN_WRITES_COOKIE_NAME,
                "1",
                salt=self.SALT,
                max_age=settings.READ_OWN_WRITES_SECONDS,
                path="/",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def respond(self, request, allowed: bool):
        """The response, and whether a read of it went to the replica."""
        tokens = db_router.replica_reads.set(allowed), db_router.replica_used.set(False)
        try:
            if not allowed:
                return self.get_response(request), False
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(db_router.pin_after_write):
                return self.get_response(request), db_router.replica_used.get()
        finally:
            db_router.replica_reads.reset(tokens[0])
            db_router.replica_used.reset(tokens[1])

    def replica_allowed(self, request) -> bool:
        if request.method not in self.SAFE_METHODS or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        wrote = request.get_signed_cookie(
            settings.READ_OWN_WRITES_COOKIE_NAME, default=None, salt=self.SALT, max_age=settings.READ_OWN_WRITES_SECONDS
        )
        return wrote is None


OUTAGES = (OperationalError, InterfaceError)  # the database cannot be reached (or went away)


def database_unavailable(exc: DatabaseError) -> HttpResponse:
    """The plain 503 page (Korean and English) with Retry-After, never a traceback."""
    security.log("database_unavailable", error=type(exc).__name__)
    response = HttpResponse(render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = "60"
    return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives the 503 page, never a traceback: for views here, and for
    the middleware inside it (a signed-in person's session and user) through handler500
    (civicbureau.views.server_error), since Django turns a middleware's exception into a response before
    it reaches this one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except OUTAGES as exc:
            return database_unavailable(exc)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGES):
            return database_unavailable(exception)
        return None


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login, however active, and after 30 minutes idle.

    The idle limit is the session's age (SESSION_COOKIE_AGE), renewed when the session is saved. Saving on
    every request would cost a write per page view, so an active session is renewed at most once a
    minute (SESSION_RENEW_SECONDS): it ends between 29 and 30 minutes after the last request.

    A POST that arrives after the 12 hours goes on as anonymous instead of being sent to the login page
    here: its view sends it there, and an entry form's view holds what was typed (civicbureau.held)."""

    KEY = "login_time"
    RENEWED = "renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                security.log("session_expired", user=request.user.get_username())
                logout(request)
                if request.method == "POST":
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(self.RENEWED, 0) >= settings.SESSION_RENEW_SECONDS:
                session_renew(request, now)
        return self.get_response(request)


def session_renew(request, now: float) -> None:
    """Starts the idle limit again: marks the session modified, so it is saved with a new expiry."""
    request.session[SessionLifetimeMiddleware.RENEWED] = now


def session_seconds_left(request, now: float) -> int:
    """Seconds until a signed-in session ends: the idle limit from its last renewal or the 12-hour limit
    from login, whichever comes first."""
    renewed = request.session.get(SessionLifetimeMiddleware.RENEWED, now)
    started = request.session.get(SessionLifetimeMiddleware.KEY, now)
    end = min(renewed + settings.SESSION_COOKIE_AGE, started + settings.SESSION_ABSOLUTE_SECONDS)
    return max(0, int(end - now))
