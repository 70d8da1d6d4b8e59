"""What the public may see, and how long a public page may be kept.

Public pages show approved figures only. Execution figures are approved per division-month (the staff
entry's DivisionMonth): the public execution selectors read the approved columns of each snapshot
(`approved_only=True`), and the demo's months as of 2022-07-01 are loaded approved, since they were
reported to the council. Other figures (revenue, headcount, programs) have no approval step yet; their
`public_*` selectors are where one plugs in.

Public pages are cacheable: each response carries an ETag and Last-Modified derived from the figures'
version, and `Cache-Control: no-cache` so that a browser or a shared cache revalidates before each use and
gets a 304 while nothing changed. The version is the latest change recorded by django-simple-history on
the models the public pages read (every change to money and people figures is recorded there, from the
admin, the loader or a service), so a change, a deletion or an approval invalidates at once. Each app
names those models in its AppConfig.ready (`register`): the kernel imports no app.
"""

import datetime
import functools
import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import condition

# -- the figures' version: what a public page's validators are made of -------------------------------

# Reference data without a history table (names, duties, achievements' texts): a save bumps this key.
_REFERENCE_BUMP_KEY = "civicbureau:public-reference-bump"
_history_models: list = []  # models whose history rows date the figures (django-simple-history)
# Staff work in progress that public pages never show, per model: an SQL condition on its history table
# that keeps only what the public sees (figures read only through a published period: none of their own
# rows; schedule items: not the staff's progress saves).
_public_conditions: dict = {}
# Figures published with a bureau's reporting period without an approval of their own (headcount,
# indicator values): public pages read them as recorded when the period was published. Each app names a
# model and the path from it to its bureau; budget.selectors.periods counts what changed since an edition.
_published_with_period: list = []


def register(*, history=(), reference=(), public_conditions=None, published_with_period=()):
    """An app names the models its public pages read; called from its AppConfig.ready.
    `published_with_period`: (model, path to its bureau, label) of figures public through a period only."""
    _history_models.extend(history)
    _public_conditions.update(public_conditions or {})
    _published_with_period.extend(published_with_period)
    for model in reference:
        post_save.connect(_bump_reference, sender=model, dispatch_uid=f"public-bump-save-{model._meta.label}")
        post_delete.connect(_bump_reference, sender=model, dispatch_uid=f"public-bump-delete-{model._meta.label}")
    _figures_changed_sql.cache_clear()


@functools.cache
def _figures_changed_sql(public: bool) -> str:
    """Built once: reading `Model.history` builds a manager each time, a few milliseconds for fifteen models."""
    quote = connection.ops.quote_name
    parts = []
    for model in _history_models:
        table = model.history.model._meta.db_table
        shown = _public_conditions.get(model) if public else None
        where = f" WHERE {shown}" if shown else ""
        parts.append(f"SELECT MAX({quote('history_date')}) FROM {quote(table)}{where}")
    return " UNION ALL ".join(parts)


def changes_since(*, bureau, on_or_before: datetime.date, since: datetime.datetime) -> list[tuple[str, int]]:
    """(label, count) of the changes to figures published with a period, dated by `on_or_before` and recorded
    after `since` (an edition's publication): what the bureau's next edition of the period would make public."""
    counts = []
    for model, bureau_path, label in _published_with_period:
        dated = {"as_of__lte": on_or_before} if any(f.name == "as_of" for f in model._meta.fields) else {}
        count = model.history.filter(**{bureau_path: bureau}, **dated, history_date__gt=since).count()
        if count:
            counts.append((label, count))
    return counts


def figures_changed_at(*, public: bool = False) -> datetime.datetime | None:
    """When a figure last changed: one query over the history tables. With `public`, staff work the
    public never sees (drafts, submissions) is left out, so a staff save does not invalidate public pages."""
    # read where the figures are read (the replica for a public page, civicbureau.db_router): a version newer
    # than the figures computed under it would keep stale figures under the new version's key
    alias = router.db_for_read(_history_models[0]) if _history_models else DEFAULT_DB_ALIAS
    with connections[alias].cursor() as cursor:
        cursor.execute(_figures_changed_sql(public))
        stamps = [_as_datetime(value) for (value,) in cursor.fetchall() if value is not None]
    bump = cache.get(_REFERENCE_BUMP_KEY)
    if bump:
        stamps.append(bump)
    return max(stamps) if stamps else None


def _as_datetime(value) -> datetime.datetime:
    """SQLite returns MAX() of a datetime column as text; PostgreSQL as an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


# -- computed figures kept until the figures change ---------------------------------------------------


def figures_cached(key: tuple, compute, *, public: bool = False, timeout: int = 5 * 60):
    """`compute()` once per version of the figures: the value is cached under `key` and the figures'
    version (figures_changed_at, one query), so any recorded change (a save, an approval, a load) makes
    the next read compute afresh. For derived figures that are costly to compute and read often (the
    city's totals, a dashboard); the cache is the process's own unless CACHES names a shared one. With
    `public`, for figures the public sees: staff drafts do not invalidate them.

    The version is the latest history_date, stamped when a row is written, not when its transaction
    commits: a long transaction committing after a later, shorter one leaves the version unchanged. The
    timeout bounds how long such a change can go unseen (five minutes)."""
    changed = figures_changed_at(public=public)
    digest = hashlib.sha256(repr((changed.isoformat() if changed else "-", public, key)).encode()).hexdigest()
    cache_key = f"civicbureau:figures:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, timeout)
    return value


def reference_cached(key: tuple, compute, *, timeout: int = 5 * 60):
    """`compute()` once per version of the reference data (the models apps `register` as reference: a save
    or a deletion of one bumps the version), without a query when kept: for what every page's frame reads
    (the header's list of bureaus), where figures_cached's one query per read would be one more on every
    page. The bump is the process's cache's, like the kept pages' (the timeout bounds a change unseen by
    another process)."""
    cache_key = (
        "civicbureau:reference:" + hashlib.sha256(repr((cache.get(_REFERENCE_BUMP_KEY), key)).encode()).hexdigest()
    )
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, timeout)
    return value


def _bump_reference(sender, **kwargs):
    cache.set(_REFERENCE_BUMP_KEY, timezone.now(), None)


def _changed_at(request):
    """figures_changed_at, once per request (Django asks for Last-Modified, then for the ETag)."""
    if not hasattr(request, "_public_changed_at"):
        request._public_changed_at = figures_changed_at(public=True)
    return request._public_changed_at


def _etag(request, *args, **kwargs) -> str:
    changed = _changed_at(request)
    user = request.user.pk if getattr(request, "user", None) and request.user.is_authenticated else 0
    key = "|".join([changed.isoformat() if changed else "-", get_language() or "", request.get_full_path(), str(user)])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    return _changed_at(request)


PUBLIC_RESPONSE_SECONDS = 5 * 60
# The query parameters public pages and files read (the period form, the schedule's filters, the tables'
# sort, the city's pages and its two tables' sorts): a kept response is keyed on these alone, normalised, so
# an address with any other parameter is the same kept page, never a new entry (200 junk addresses once
# stored 41 MB). A page that reads a parameter not named here would be served another address's kept page.
KEPT_PARAMETERS = ("as_of", "date", "division", "edition", "page", "sort", "year", "totals-sort", "lines-sort")


def _kept_key(request) -> str:
    """The key of an anonymous response: the figures' version, the language, the path and the parameters
    the page reads, each with its values stripped, empty ones dropped, in a fixed order."""
    changed = _changed_at(request)
    query = [(name, value.strip()) for name in KEPT_PARAMETERS for value in request.GET.getlist(name) if value.strip()]
    key = repr((changed.isoformat() if changed else "-", get_language() or "", request.path, query))
    return "civicbureau:public-response:" + hashlib.sha256(key.encode()).hexdigest()


def _kept_for_anonymous(view):
    """An anonymous response is kept under _kept_key (figures' version, language, path, the parameters it
    reads): the next request for it is served without computing or drawing it again. Drawing a page costs
    tens of milliseconds of CPU (django-tables2 cells above all), reading a kept one about one. A page
    drawn for an address with other parameters is served but not kept (its links would carry them to
    everyone). A signed-in user's page names the user and is drawn each time. The timeout bounds how long
    a change committed late (see figures_cached) can go unseen."""

    @wraps(view)
    def kept(request, *args, **kwargs):
        if request.user.is_authenticated or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _kept_key(request)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            only_read = set(request.GET) <= set(KEPT_PARAMETERS)
            if only_read and response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response, PUBLIC_RESPONSE_SECONDS)
        return response

    return kept


def public_cacheable(view):
    """A public page or file: ETag and Last-Modified from the figures' version, revalidated on each use,
    and kept on the server for anonymous readers (_kept_for_anonymous).

    Anonymous pages may be kept by shared caches (they hold nothing personal: the language switch needs no
    CSRF token); a signed-in user's page names the user, so it is private.
    """
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(_kept_for_anonymous(view))

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    return wrapped
