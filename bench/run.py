"""What the benchmark measures (Django is set up by bench/__main__.py before this is imported)."""

import datetime
import os
import platform
import statistics
import time
import tracemalloc

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.city import DEFAULT, QUICK, city_generate
from budget.exports.briefing import briefing_build, execution_sheet, Briefing
from budget.exports.xlsx import briefing_workbook
from budget.models import BudgetLine
from civicbureau.demo import DEMO_LOGINS, demo_users_ensure, load_demo
from staffing.models import Bureau

AS_OF = datetime.date(2022, 7, 1)
YEAR = 2022


def _client(username=None) -> Client:
    client = Client()
    if username:
        login = next(x for x in DEMO_LOGINS if x.username == username)
        assert client.login(username=login.username, password=login.password)
    return client


PAGES = [
    # (name, user, url)
    ("home (execution table, one bureau)", None, "/"),
    ("staff consistency page", "staff", "/staff/consistency/"),
    ("briefing export (demo bureau)", "director", f"/briefing.xlsx?year={YEAR}&as_of={AS_OF}"),
]


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


def time_raw_execution(bureau_id, requests):
    """The floor: the same figures (per line, per division, the total) by the DB-API alone."""
    times = []
    params = {"as_of": AS_OF, "bureau": bureau_id, "year": YEAR}
    sql = EXECUTION_SQL if connection.vendor == "postgresql" else EXECUTION_SQL.replace("%(as_of)s", "%s").replace("%(bureau)s", "%s").replace("%(year)s", "%s")
    args = params if connection.vendor == "postgresql" else [AS_OF, AS_OF, AS_OF, bureau_id, YEAR]
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
    for name, user, url in PAGES:
        pages[name] = time_page(_client(user), url, requests)
    pages["home (execution table, one bureau)"]["raw_sql"] = time_raw_execution(demo_bureau.pk, requests)
    return pages


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
    results["import"] = "not measured yet: the monthly import arrives with the staff-entry issue"
    return results


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
    lines += ["", f"import: {results['import']}"]
    return "\n".join(lines)
