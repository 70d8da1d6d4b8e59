"""Request-wide safety: a request id for the logs, a plain 503 when the database is down, and the
12-hour absolute session lifetime."""

import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from civicbureau import logs, security


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


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives a plain 503 page (Korean and English), never a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            return self._unavailable(exc)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self._unavailable(exception)
        return None

    @staticmethod
    def _unavailable(exc: DatabaseError):
        security.log("database_unavailable", error=type(exc).__name__)
        response = HttpResponse(render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = "60"
        return response


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login, however active (the 30-minute idle limit is the cookie's age)."""

    KEY = "login_time"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(self.KEY, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                security.log("session_expired", user=request.user.get_username())
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
