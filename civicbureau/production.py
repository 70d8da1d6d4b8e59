"""Production settings: DJANGO_SETTINGS_MODULE=civicbureau.production.

Everything secret or site-specific comes from the environment, and the process refuses to start
without it: SECRET_KEY, ALLOWED_HOSTS (comma-separated) and DATABASE_URL (postgres://…).
Passes `python manage.py check --deploy --fail-level WARNING` with nothing silenced.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from civicbureau.settings import *  # noqa: F401,F403
from civicbureau.settings import DATABASES, MIDDLEWARE, REDIS_URL, STORAGES_DEFAULT


def required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
required("DATABASE_URL")  # read by civicbureau.settings through dj-database-url
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer asks the app servers over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
READ_OWN_WRITES_COOKIE_NAME = "__Host-wrote"  # Secure like the session's (civicbureau.middleware)

# Static files: hashed names, compressed, served by WhiteNoise right after the security middleware
# (run collectstatic when deploying).
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
STORAGES = {**STORAGES_DEFAULT, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# One cache for every server process: the figures kept by publication.figures_cached, the public responses
# kept for anonymous readers and the reference-data bump must be seen by all gunicorn workers (a process's
# own memory would keep serving what another worker has invalidated). Redis when REDIS_URL is set (shared by
# every app server, civicbureau.settings); otherwise a table in the database: run `manage.py createcachetable`
# when deploying.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "civicbureau_cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
