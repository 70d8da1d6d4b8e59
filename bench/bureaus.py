"""Many bureaus (issue 19): the city home and a bureau's public pages under /b/<slug>/, timed as bench.run
times every page (time_page: served, and computed afresh with the cache emptied first).

The demo bureau's prefixed pages are timed at both scales, so that their queries can be compared (the same
bureau, the city grown around it: equal); at the city's scale, a synthetic bureau's too (not the default
one), held to the page targets."""

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


def _pages(bureau: Bureau, requests: int) -> dict:
    return {name: run.time_page(run._client(), address.format(slug=bureau.slug), requests) for name, address in PAGES}


def measure(requests: int) -> dict:
    """The demo bureau's pages; with more bureaus, also the last one made (a synthetic bureau)."""
    demo = Bureau.objects.get(name="시민협력국")
    out = {"demo bureau": _pages(demo, requests)}
    other = Bureau.objects.exclude(pk=demo.pk).order_by("-pk").first()
    if other is not None:
        out["other bureau"] = {"slug": other.slug, **_pages(other, requests)}
    return out


def verdicts(results: dict) -> list[str]:
    out = []
    demo, city = results["bureaus"]["demo"]["demo bureau"], results["bureaus"]["city"]["demo bureau"]
    other = results["bureaus"]["city"]["other bureau"]
    for name, _address in PAGES:
        same = demo[name]["queries"] == city[name]["queries"]
        out.append(
            f"{'ok  ' if same else 'MISS'} {name}, demo bureau: queries {demo[name]['queries']}/{city[name]['queries']} (equal)"
        )
        for key in ("p95_ms", "computed_p95_ms"):
            value = other[name][key]
            out.append(
                f"{'ok  ' if value <= run.TARGET_P95_MS else 'MISS'} {name}, {other['slug']} at the city's scale: "
                f"{key} {value} ms (≤ {run.TARGET_P95_MS}; the demo bureau: {city[name][key]} ms)"
            )
    whole = results["pages"]["city"][WHOLE_CITY_PAGE]["computed_p95_ms"]
    out.append(
        f"{'ok  ' if whole <= WHOLE_CITY_COMPUTED_MS else 'MISS'} {WHOLE_CITY_PAGE}: computed afresh p95 "
        f"{whole} ms (≤ {WHOLE_CITY_COMPUTED_MS})"
    )
    return out
