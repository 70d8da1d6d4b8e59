"""What every page's template may need from the request beyond Django's own context processors."""

import time

from django.conf import settings

from civicbureau.middleware import session_seconds_left


def session_end(request) -> dict:
    """A signed-in page says how long its session has left and when to warn (templates/base.html,
    static/js/session.js); a public page says nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_seconds_left": session_seconds_left(request, time.time()),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
