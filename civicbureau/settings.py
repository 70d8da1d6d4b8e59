"""Settings for CivicBureau.

SQLite in the project folder is the embedded default, so a fresh clone runs with no server.
Set DATABASE_URL (postgres://user:password@host:5432/name) to use PostgreSQL, the production database.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "civicbureau",
    "staffing",
    "budget",
    "programs",
    "dashboards",
    "reports",
    "portal",
    "city",
    "worklist",
    "demo",
    "jobs",
]

MIDDLEWARE = [
    "civicbureau.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "staffing.middleware.BureauPathMiddleware",
    "csp.middleware.CSPMiddleware",
    "civicbureau.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civicbureau.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civicbureau.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "civicbureau.context_processors.session_end",
                "portal.context_processors.bureau_switcher",
            ]
        },
    }
]

WSGI_APPLICATION = "civicbureau.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"].get("ENGINE", "").endswith("sqlite3"):
    # SQLite allows one writer. A transaction takes the write lock at BEGIN (IMMEDIATE), waiting up to 20 s
    # for another writer: a deferred one would read first, and a reader that then writes while another
    # transaction writes gets "database is locked" at once, without waiting (SQLite's deadlock rule); 620
    # of 1,000 racing saves failed so (tests/e2e/test_save_race.py). select_for_update does nothing here:
    # this lock is what serialises two saves of one month.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Several servers (issue 20, README "Several servers: the replica and the cache"): each part is switched on by
# its variable alone; unset, the portal runs as on one machine.
# DATABASE_REPLICA_URL: a hot standby of the primary. Public reads go there (civicbureau.db_router), unless the
# client wrote within READ_OWN_WRITES_SECONDS, someone is signed in, or the replica lags more than
# REPLICA_MAX_LAG_SECONDS or does not answer (checked at most every REPLICA_CHECK_SECONDS per process).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
READ_OWN_WRITES_SECONDS = int(os.environ.get("READ_OWN_WRITES_SECONDS", "60"))
READ_OWN_WRITES_COOKIE_NAME = "wrote"  # civicbureau.middleware.ReplicaReadsMiddleware
REPLICA_CHECK_SECONDS = 5
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        # a replica that stops answering fails a read within 2 s (then reads go to the primary), never hangs it
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the test database through both aliases
    DATABASE_ROUTERS = ["civicbureau.db_router.PrimaryReplicaRouter"]
    # before the outage page's middleware, so that it sees that page when a read on the replica failed
    MIDDLEWARE.insert(
        MIDDLEWARE.index("civicbureau.middleware.DatabaseUnavailableMiddleware"),
        "civicbureau.middleware.ReplicaReadsMiddleware",
    )

# REDIS_URL: the cache every app server shares (django-redis), and the job queue's broker (civicbureau.celery).
# A Redis that does not answer is a cache miss, never an error page: IGNORE_EXCEPTIONS, and short timeouts so
# that a silent one costs a request half a second at most per cache call. /healthz says when it is down (a
# log line per cache call would be a traceback per call during an outage). Sessions stay in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling first (ASVS 2.2.1)
    "staffing.auth.MemberBackend",  # Django's ModelBackend, reading the membership with the user
]

# Passwords: at least 12 characters, common ones refused (ASVS 2.1.1, 2.1.7).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"  # absolute: a bureau's pages (/b/<slug>/, staffing.middleware) share the files
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES_DEFAULT = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STORAGES = STORAGES_DEFAULT

# Sessions end after 30 minutes idle (the cookie is renewed on every request) and 12 hours in all
# (SessionLifetimeMiddleware); the session key changes at login, and logout is a POST (ASVS 3.2, 3.3).
SESSION_COOKIE_AGE = 30 * 60
SESSION_RENEW_SECONDS = 60  # civicbureau.middleware.SessionLifetimeMiddleware
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# Signed-in pages warn this long before the session ends and offer to extend it (static/js/session.js).
SESSION_WARNING_SECONDS = 2 * 60
# An entry form's save that arrives after the session ended is held for its person this long: the page's
# token is valid this long after it was drawn, and the held figures wait this long for them (civicbureau.held).
HELD_POST_SECONDS = 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"  # the language cookie like the others (Secure in production.py)
LANGUAGE_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "civicbureau.views.csrf_failure"

# Login throttling: locked after 5 failures for a username, and for a username from one address.
AXES_FAILURE_LIMIT = 5  # the scale of civicbureau.security.LOCKOUT_LIMITS (one limit per parameter set)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HANDLER = "civicbureau.security.ThrottlingHandler"
AXES_CLIENT_IP_CALLABLE = "civicbureau.security.client_ip"
# The load balancers whose X-Forwarded-For is believed (comma-separated addresses; bin/cluster: 127.0.0.1). Empty:
# the address is REMOTE_ADDR, as when the app server faces the people itself.
TRUSTED_PROXIES = frozenset(a.strip() for a in os.environ.get("TRUSTED_PROXIES", "").split(",") if a.strip())

# Content-Security-Policy without unsafe-inline; no framing (ASVS 14.4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "worklist:my_work"  # 내 할 일: every role lands on what waits for them
LOGOUT_REDIRECT_URL = "portal:home"

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Mail (send_reminders): printed on the console unless EMAIL_HOST is set; then SMTP with these settings.
# EMAIL_BACKEND may name another Django backend outright.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if "EMAIL_HOST" in os.environ
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"  # STARTTLS (usually with EMAIL_PORT=587)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds: a silent server fails the run, never hangs it
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "civicbureau@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")  # the absolute links in mails


# Security events (login, lockout, 403, CSRF failure, rejected import) go to the "security" logger as
# one line each: time in UTC, request id, user, address, event; control characters escaped (ASVS 7).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "civicbureau.logs.RequestIdFilter"}},
    "formatters": {
        "security": {"()": "civicbureau.logs.SecurityFormatter"},
        "plain": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "security": {"class": "logging.StreamHandler", "formatter": "security", "filters": ["request_id"]},
    },
    "loggers": {
        "security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "django": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}


# The job queue (jobs/, Celery; README "Long work: the job queue"). REDIS_URL is its broker; unset, a job runs
# inside the request that starts it (eager), as exports ran before, and a failing job is recorded on its row,
# not raised into the request. A worker killed mid-job leaves its message unacknowledged: Celery hands it to the
# next worker (acks_late, reject_on_worker_lost), and jobs.tasks starts the job again from scratch, at most
# JOB_MAX_ATTEMPTS times. A job gets JOB_TIME_LIMIT_SECONDS (then it fails, saying so); Redis redelivers a
# message not acknowledged within the visibility timeout, so that is longer than the longest job.
# A whole worker killed (a machine's crash) leaves its message unacknowledged until then: so a running job also
# beats (heartbeat_at, every JOB_HEARTBEAT_SECONDS), and one whose beat is older than JOB_STALE_SECONDS has lost
# its worker (so has one whose process a worker on its machine sees gone: jobs.process): every worker looks for
# such jobs when it starts and every JOB_HEARTBEAT_SECONDS, and queues them again (jobs.worker). The bound is well above a beat's interval, so a busy database does not make a live job stale.
JOB_TIME_LIMIT_SECONDS = int(os.environ.get("JOB_TIME_LIMIT_SECONDS", "600"))
JOB_HEARTBEAT_SECONDS = 10
JOB_STALE_SECONDS = 3 * JOB_HEARTBEAT_SECONDS
JOB_MAX_ATTEMPTS = 3
JOB_RETENTION_DAYS = 7  # a job and its file are deleted this long after it was started (jobs_prune)
# An upload (the budget book, the city extract) of more data rows than this is previewed and applied as a job
# (budget/jobs.py); at most this many, in the request, as before. Measured (SQLite, 2-core machine, load ~2):
# the budget book's dry run of 5,000 rows took 1.4 s (CSV) and 1.6 s (xlsx) of wall time, all of them new
# records, the costliest case; so a request stays under about 2 s, while the whole city's book (54,000 rows:
# 20 s as CSV) and a city month's extract (5,400 rows) go to the queue.
IMPORT_JOB_ROWS = int(os.environ.get("IMPORT_JOB_ROWS", "5000"))
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("REDIS_URL")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = JOB_TIME_LIMIT_SECONDS  # raised inside the job: it fails with a message
CELERY_TASK_TIME_LIMIT = JOB_TIME_LIMIT_SECONDS + 30  # the worker's process is killed if the job ignores that
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * JOB_TIME_LIMIT_SECONDS}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Sending a job from a request gives up within seconds when Redis is down: the job fails saying so (jobs.services)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # a job's outcome and file are its row (jobs.models.Job), not a result backend
