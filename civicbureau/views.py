import sys
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from civicbureau import health, security
from civicbureau.middleware import OUTAGES, database_unavailable, session_renew, session_seconds_left


def server_error(request):
    """An exception no view caught: the plain 500 page; when the database cannot be reached, the 503 page
    with Retry-After, also when it was a middleware that met the outage first (the session of a signed-in
    person is read before any view runs, outside DatabaseUnavailableMiddleware's reach)."""
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGES):
        return database_unavailable(error)
    return HttpResponseServerError(render_to_string("500.html"))


def permission_denied(request, exception=None):
    """403 in the visitor's language, and a security event in the log."""
    security.log("forbidden", request, path=request.path)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    security.log("csrf_failed", request, path=request.path, reason=reason)
    return render(request, "403.html", {"csrf": True}, status=403)


@never_cache
def language_switch(request):
    """Sets the language cookie and goes back to the page. A GET, so that public pages need no CSRF token;
    changing someone's language is harmless, and the target page is checked to be on this site."""
    language = request.GET.get("language", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class LoginView(auth_views.LoginView):
    """Django's login, with attempts for one username taken one at a time (see security.username_lock)."""

    def post(self, request, *args, **kwargs):
        with security.username_lock(request.POST.get("username", "")[:150]):
            return super().post(request, *args, **kwargs)


@never_cache
@login_required
@require_POST
def session_extend(request):
    """연장 on the session notice (static/js/session.js): the idle limit starts again now (the 12-hour
    limit stays) and the answer says how many seconds the session has left. After the session ended it
    answers as every signed-in page does: a redirect to the login page."""
    now = time.time()
    session_renew(request, now)
    return JsonResponse({"seconds_left": session_seconds_left(request, now)})


@never_cache
@require_safe
def healthz(request):
    """The load balancer's check (civicbureau.health): JSON, 200 while the primary answers, 503 when it does not.
    It reads no session and needs no login; the production settings exempt it from the HTTPS redirect."""
    report, status = health.health_report()
    return JsonResponse(report, status=status)
