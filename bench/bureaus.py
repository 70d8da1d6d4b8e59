"""Many bureaus (issue 19): the city home and a bureau's public pages under /b/<slug>/, timed as bench.run
times every page (time_page: served, and computed afresh with the cache emptied first).

At the demo's scale the city has one bureau, the demo's, so its prefixed pages are timed; at the city's
scale, a synthetic bureau's (not the default one), among every synthetic bureau on the city home. The
queries are counted on the computing path and must be equal at both scales (they do not grow with the
bureaus or their lines)."""

from bench import run  # the page timer and targets (run imports this module: read at call time)
from staffing.models import Bureau

PAGES = [
    # (name, address; {slug}: the bureau timed)
    ("city home", "/city/"),
    ("a bureau's home (/b/<slug>/)", "/b/{slug}/"),
    ("a bureau's execution (/b/<slug>/execution/)", "/b/{slug}/execution/"),
]
WHOLE_CITY_PAGE = "public execution table (whole city, p. 3)"  # bench.run.PAGES: its own target afresh
WHOLE_CITY_COMPUTED_MS = 300


def measure(requests: int) -> dict:
    """Each page for the last bureau made: the demo's alone, else a synthetic one (not the default)."""
    bureau = Bureau.objects.order_by("-pk").first()
    out = {"bureau": bureau.slug}
    for name, address in PAGES:
        out[name] = run.time_page(run._client(), address.format(slug=bureau.slug), requests)
    return out


def verdicts(results: dict) -> list[str]:
    out = []
    demo, city = results["bureaus"]["demo"], results["bureaus"]["city"]
    for name, _address in PAGES:
        d, c = demo[name], city[name]
        out.append(
            f"{'ok  ' if d['queries'] == c['queries'] else 'MISS'} {name}: queries {d['queries']}/{c['queries']} (equal)"
        )
        for key in ("p95_ms", "computed_p95_ms"):
            out.append(
                f"{'ok  ' if c[key] <= run.TARGET_P95_MS else 'MISS'} {name} ({city['bureau']}): city {key} {c[key]} ms "
                f"(≤ {run.TARGET_P95_MS}; demo {d[key]} ms)"
            )
    whole = results["pages"]["city"][WHOLE_CITY_PAGE]["computed_p95_ms"]
    out.append(
        f"{'ok  ' if whole <= WHOLE_CITY_COMPUTED_MS else 'MISS'} {WHOLE_CITY_PAGE}: city computed afresh p95 "
        f"{whole} ms (≤ {WHOLE_CITY_COMPUTED_MS})"
    )
    return out
