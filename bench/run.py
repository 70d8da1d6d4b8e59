"""What the benchmark measures (Django is set up by bench/__main__.py before this is imported)."""

import datetime
import os
import platform
import statistics
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.city import DEFAULT, QUICK, city_generate, city_staff, correction_sheet
from budget.exports.briefing import briefing_build, execution_sheet, Briefing
from budget.exports.xlsx import briefing_workbook
from budget.models import BudgetLine
from civicbureau.demo import demo_users_ensure, load_demo
from staffing.models import Bureau

AS_OF = datetime.date(2022, 7, 1)
YEAR = 2022


def _client(username=None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


PAGES = [
    # (name, user, url, raw-SQL floor: None, "bureau" or "division", held to the page-count targets)
    ("division dashboard", "director", f"/dashboards/division/participation/?as_of={AS_OF}", "division", True),
    ("bureau dashboard", "bureau", f"/dashboards/bureau/?as_of={AS_OF}", "bureau", True),
    ("public execution table (one bureau)", None, f"/execution/?year={YEAR}&as_of={AS_OF:%Y-%m}", "bureau", False),
    ("schedule page", None, f"/schedule/?date={AS_OF}", None, True),
    ("program page", None, "/programs/civic-activity-facilities/", None, True),
    ("home (execution table, one bureau)", None, "/", "bureau", False),
    ("staff consistency page", "staff", "/staff/consistency/", None, False),
    ("briefing export (demo bureau)", "director", f"/briefing.xlsx?year={YEAR}&as_of={AS_OF}", None, False),
]
TARGET_RATIO, TARGET_P95_MS, TARGET_QUERIES, TARGET_FLOOR = 1.5, 100, 15, 3


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_page(client, url, requests):
    times = []
    client.get(url)  # warm-up
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1), "queries": len(queries)}


EXECUTION_SQL = """
SELECT d.id, l.original_budget,
       COALESCE((SELECT SUM(a.amount) FROM budget_budgetadjustment a
                 WHERE a.budget_line_id = l.id AND a.effective_on <= %(as_of)s), 0),
       (SELECT s.obligations FROM budget_executionsnapshot s
         WHERE s.budget_line_id = l.id AND s.as_of <= %(as_of)s ORDER BY s.as_of DESC LIMIT 1),
       (SELECT s.disbursements FROM budget_executionsnapshot s
         WHERE s.budget_line_id = l.id AND s.as_of <= %(as_of)s ORDER BY s.as_of DESC LIMIT 1)
  FROM budget_budgetline l JOIN staffing_division d ON d.id = l.division_id
 WHERE d.bureau_id = %(bureau)s AND l.fiscal_year = %(year)s
 ORDER BY d."order", l."order"
"""


def time_raw_execution(bureau_id, requests, division_id=None):
    """The floor: the same figures (per line, per division, the total) by the DB-API alone."""
    times = []
    sql = EXECUTION_SQL
    if division_id is not None:
        sql = sql.replace("WHERE d.bureau_id = %(bureau)s", "WHERE d.bureau_id = %(bureau)s AND d.id = %(division)s")
    params = {"as_of": AS_OF, "bureau": bureau_id, "year": YEAR, "division": division_id}
    if connection.vendor != "postgresql":  # sqlite3 takes named parameters as :name
        sql = sql.replace("%(as_of)s", ":as_of").replace("%(bureau)s", ":bureau").replace("%(year)s", ":year").replace("%(division)s", ":division")
    args = params
    for _ in range(requests):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            totals = {}
            for division, original, adjustments, obligations, disbursements in cursor.fetchall():
                t = totals.setdefault(division, [0, 0, 0])
                t[0] += original
                t[1] += original + adjustments
                t[2] += disbursements or 0
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1)}


def measure_export(build):
    """Time without tracing (tracemalloc slows Python down), then peak memory in a traced second run."""
    start = time.perf_counter()
    briefing = build()
    data = briefing_workbook(briefing)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    briefing_workbook(build())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = sum(len(s.rows) for s in briefing.sheets)
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1), "sheets": len(briefing.sheets), "rows": rows, "bytes": len(data)}


def city_briefing():
    """The whole city: every bureau's execution table, one sheet each."""
    bureaus = list(Bureau.objects.order_by("pk"))
    sheets = []
    for bureau in bureaus:
        sheet = execution_sheet(bureau=bureau, fiscal_year=YEAR, as_of=AS_OF)
        sheet.name = bureau.name[:31]
        sheets.append(sheet)
    return Briefing(bureaus[0], YEAR, AS_OF, sheets)


def measure_scale(label, requests, demo_bureau):
    pages = {}
    division = demo_bureau.divisions.get(code="participation")
    for name, user, url, floor, _targets in PAGES:
        pages[name] = time_page(_client(user), url, requests)
        if floor:
            pages[name]["raw_sql"] = time_raw_execution(demo_bureau.pk, requests, division.pk if floor == "division" else None)
    return pages


def verdicts(results) -> list[str]:
    """Each target of the benchmark issue, met or missed, in words."""
    out = []
    for name, user, url, floor, held in PAGES:
        demo, city = results["pages"]["demo"][name], results["pages"]["city"][name]
        if held:
            ratio = city["p95_ms"] / demo["p95_ms"]
            out.append(f"{'ok  ' if ratio <= TARGET_RATIO else 'MISS'} {name}: city/demo p95 {ratio:.2f} (≤ {TARGET_RATIO})")
            same = demo["queries"] == city["queries"] <= TARGET_QUERIES
            out.append(f"{'ok  ' if same else 'MISS'} {name}: queries {demo['queries']}/{city['queries']} (equal, ≤ {TARGET_QUERIES})")
        if not name.startswith("briefing"):
            out.append(f"{'ok  ' if city['p95_ms'] <= TARGET_P95_MS else 'MISS'} {name}: city p95 {city['p95_ms']} ms (≤ {TARGET_P95_MS})")
        if floor and name == "bureau dashboard":
            ratio = city["p95_ms"] / city["raw_sql"]["p95_ms"]
            out.append(f"{'ok  ' if ratio <= TARGET_FLOOR else 'MISS'} {name}: page / raw SQL {ratio:.1f} (≤ {TARGET_FLOOR})")
    limits = {"demo bureau": (1, None), "largest bureau": (2, None), "whole city (execution sheets)": (30, 300)}
    for name, (seconds, megabytes) in limits.items():
        e = results["export"][name]
        ok = e["seconds"] <= seconds and (megabytes is None or e["peak_mb"] <= megabytes)
        out.append(f"{'ok  ' if ok else 'MISS'} export {name}: {e['seconds']} s (≤ {seconds})" + (f", {e['peak_mb']} MB (≤ {megabytes})" if megabytes else ""))
    rate = results["import"]["rows_per_second"] or 0
    out.append(f"{'ok  ' if rate >= 1000 else 'MISS'} import: {rate} rows/s (≥ 1,000)")
    return out


def run(*, quick: bool, requests: int, database_url: str) -> dict:
    scale = QUICK if quick else DEFAULT
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo()
    demo_users_ensure()
    demo_load_seconds = time.perf_counter() - started
    demo_bureau = Bureau.objects.get(name="시민협력국")

    results = {
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()},
        "database": {"vendor": connection.vendor, "version": _db_version(), "url": database_url.split("@")[-1]},
        "scale": scale.__dict__ | {"lines_total": scale.lines, "monthly_rows": scale.monthly_rows},
        "requests_per_page": requests,
        "demo_load_seconds": round(demo_load_seconds, 2),
        "pages": {"demo": measure_scale("demo", requests, demo_bureau)},
        "export": {"demo bureau": measure_export(lambda: briefing_build(bureau=demo_bureau, fiscal_year=YEAR, as_of=AS_OF))},
    }

    started = time.perf_counter()
    counts = city_generate(scale)
    results["city_generate"] = counts | {"seconds": round(time.perf_counter() - started, 1)}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    results["pages"]["city"] = measure_scale("city", requests, demo_bureau)
    largest = max(Bureau.objects.all(), key=lambda b: BudgetLine.objects.filter(division__bureau=b, fiscal_year=YEAR).count())
    results["export"]["largest bureau"] = measure_export(lambda: briefing_build(bureau=largest, fiscal_year=YEAR, as_of=AS_OF))
    results["export"]["whole city (execution sheets)"] = measure_export(city_briefing)
    results["import"] = measure_import(scale)
    return results


IMPORT_AS_OF = datetime.date(2022, 8, 31)


def measure_import(scale) -> dict:
    """Every synthetic division's month sheet (xlsx, as staff download and fill it), imported through the
    same importer as the portal's upload: validation, optimistic version, history row per line included."""
    from budget.importers.monthly import execution_import
    from staffing.models import Division

    files = []
    for division in Division.objects.filter(bureau__name__startswith="합성국").select_related("bureau"):
        user = city_staff(division, f"bench-{division.code}")
        files.append((user, *correction_sheet(division, IMPORT_AS_OF)))
    started = time.perf_counter()
    rows_imported = 0
    for user, content, count in files:
        result = execution_import(user=user, content=content, filename="sheet.xlsx", dry_run=False)
        assert result.applied, result.problems[:3]
        rows_imported += count
    seconds = time.perf_counter() - started
    return {
        "sheets": len(files),
        "rows": rows_imported,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows_imported / seconds) if seconds else None,
    }


def _db_version():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return cursor.fetchone()[0]


def render(results: dict) -> str:
    lines = [
        f"machine: {results['machine']['platform']}, {results['machine']['cpus']} cpus, Python {results['machine']['python']}",
        f"database: {results['database']['vendor']} {results['database']['version'][:60]}",
        f"scale: {results['scale']}",
        f"demo load: {results['demo_load_seconds']} s; city generated in {results['city_generate']['seconds']} s: {results['city_generate']}",
        "",
        f"{'page':<40} {'demo p50':>9} {'demo p95':>9} {'city p50':>9} {'city p95':>9} {'city/demo p95':>14} {'queries demo/city':>18} {'raw SQL p95':>12} {'page/raw':>9}",
    ]
    for name, demo in results["pages"]["demo"].items():
        city = results["pages"]["city"][name]
        raw = city.get("raw_sql")
        ratio = f"{city['p95_ms'] / raw['p95_ms']:.1f}" if raw and raw["p95_ms"] else "-"
        lines.append(
            f"{name:<40} {demo['p50_ms']:>9} {demo['p95_ms']:>9} {city['p50_ms']:>9} {city['p95_ms']:>9} "
            f"{city['p95_ms'] / demo['p95_ms']:>14.2f} {str(demo['queries']) + '/' + str(city['queries']):>18} "
            f"{raw['p95_ms'] if raw else '-':>12} {ratio:>9}"
        )
    lines += ["", f"{'export':<34} {'seconds':>8} {'peak MB':>8} {'sheets':>7} {'rows':>7}"]
    for name, e in results["export"].items():
        lines.append(f"{name:<34} {e['seconds']:>8} {e['peak_mb']:>8} {e['sheets']:>7} {e['rows']:>7}")
    i = results["import"]
    lines += ["", f"import: {i['rows']} rows in {i['sheets']} division sheets (xlsx) in {i['seconds']} s: {i['rows_per_second']} rows/s", "", "targets (issue 8, meant for PostgreSQL at the default scale):", *verdicts(results)]
    return "\n".join(lines)
