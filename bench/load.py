"""python -m bench.load [--users 50] [--seconds 60] [--write-share 0.1]: the portal under load.

Builds its own PostgreSQL database (DATABASE_URL's database name + "_load"), loads the demo, gives each
simulated person a staff login of one of the five divisions, starts gunicorn on a free loopback port with
the production settings, and lets the people read public pages (anonymously) and save monthly figures
(logged in) for a number of seconds. It prints and writes (load-results.json) requests per second,
p50/p95/p99 of public reads, of the staff entry grid and of saves, and errors by kind; then it checks in
the database that every acknowledged save is in the history exactly once (count and sum of the unique
figures the saves wrote), and that each division-month's version rose by one per acknowledged save.

A save refused because someone else saved the same division-month first (a stale version) is a correct
refusal, counted as a conflict, not as an error. An error is a 5xx, any other unexpected status, a refused
save for another reason, or no answer at all. Exits non-zero when there was an error or the exactly-once
check failed; the latency targets are printed as ok/MISS.
"""

import argparse
import collections
import datetime
import json
import logging
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
TARGET_READ_P95_MS, TARGET_READ_P99_MS = 300, 1000


def load_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "python -m bench.load needs PostgreSQL: set DATABASE_URL=postgres://user:password@127.0.0.1:5432/civicbureau "
            "(the load database is that name + '_load'). SQLite allows one writer at a time and is not the production database."
        )
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + "_load"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(database_url: str) -> dict:
    """The production settings (DEBUG off, WhiteNoise, secure cookies), served over plain HTTP on loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "civicbureau.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # no TLS on loopback; everything else as in production
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "PYTHONPATH": str(ROOT),
    }


# --- the database ---------------------------------------------------------------------------------------


def prepare(users: int) -> tuple[list, list[str], list[str]]:
    """Migrate, load the demo, and make the staff logins (staff_logins). Returns (staff logins, program
    slugs, slugs of the programs with an execution table)."""
    from django.core.management import call_command

    from demo.loader import load_demo
    from demo.logins import demo_users_ensure
    from programs.models import Program

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the production settings' shared cache
    load_demo()
    demo_users_ensure()
    call_command("collectstatic", interactive=False, verbosity=0)  # WhiteNoise's manifest, as when deploying
    programs = Program.objects.order_by("pk")
    return (
        staff_logins(users),
        list(programs.values_list("slug", flat=True)),
        list(programs.filter(execution_rows__isnull=False).distinct().values_list("slug", flat=True)),
    )


def staff_logins(users: int) -> list:
    """`users` staff logins spread over the divisions with lines in 2022 (load-00, load-01, …; made once,
    then reused), each with a new session, and each division's marker line: the line with the largest
    예산현액 in every save month, whose figure each save changes."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.load_client import SAVE_MONTHS, StaffLogin
    from budget.models import BudgetLine
    from budget.services import caution_keys
    from staffing.models import Division, Membership

    months = [datetime.date.fromisoformat(m) for m in SAVE_MONTHS]
    divisions = list(Division.objects.filter(budget_lines__fiscal_year=2022).distinct().order_by("order", "pk"))
    markers = {}
    for division in divisions:
        caps = {
            line: min(line.budget_authority_on(day) for day in months)
            for line in BudgetLine.objects.filter(division=division, fiscal_year=2022)
        }
        line = max(caps, key=caps.get)
        markers[division.code] = (line.code, caps[line])

    User = get_user_model()
    staff = []
    logging.getLogger("security").disabled = True  # fifty login_succeeded lines would bury the results
    for i in range(users):
        division = divisions[i % len(divisions)]
        user, created = User.objects.get_or_create(username=f"load-{i:02d}")
        if created:
            Membership.objects.create(user=user, bureau=division.bureau, division=division, role=Membership.Role.STAFF)
        client = Client()
        client.force_login(user)  # a session made directly: the login form's password hashing is not what is measured
        cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
        code, cap = markers[division.code]
        staff.append(
            StaffLogin(
                username=user.username,
                division=division.code,
                cookies=cookies,
                marker_code=code,
                marker_cap=cap,
                confirm=tuple(caution_keys(code)),
            )
        )
    return staff


def save_versions(staff: list) -> dict[tuple[str, str], int]:
    """The version of each division-month the saves write, now (0 where the month does not exist yet)."""
    from bench.load_client import SAVE_MONTHS
    from budget.models import DivisionMonth

    months = DivisionMonth.objects.filter(division__code__in={s.division for s in staff}, as_of__in=SAVE_MONTHS)
    return {
        (code, as_of.isoformat()): version
        for code, as_of, version in months.values_list("division__code", "as_of", "version")
    }


def verify(
    saves: list, staff: list, *, since: datetime.datetime | None = None, versions_before: dict | None = None
) -> dict:
    """Every acknowledged save is in the history of its marker line exactly once, with its own figure; no
    conflict is; each division-month's version rose by one per save written. A save that failed without an
    answer (its server killed) may have been written before the answer was lost: it is counted apart
    (written_unanswered), and is no fault. With `since` and `versions_before` (save_versions), only what
    was written after `since` counts: the check works on a database used before."""
    from budget.models import BudgetLine, DivisionMonth, ExecutionSnapshot

    caps = {s.division: (s.marker_code, s.marker_cap) for s in staff}
    lines = {
        line.pk: line
        for line in BudgetLine.objects.filter(fiscal_year=2022, code__in=[c for c, _ in caps.values()]).select_related(
            "division"
        )
    }
    acknowledged = collections.Counter((s.division, s.as_of, s.number) for s in saves if s.outcome == "acknowledged")
    unanswered = {(s.division, s.as_of, s.number) for s in saves if s.outcome == "error"}
    written = collections.Counter()
    history = ExecutionSnapshot.history.filter(budget_line_id__in=lines, history_user__username__startswith="load-")
    if since is not None:
        history = history.filter(history_date__gte=since)
    for line_id, as_of, disbursements in history.values_list("budget_line_id", "as_of", "disbursements"):
        division = lines[line_id].division.code
        written[(division, as_of.isoformat(), caps[division][1] - disbursements)] += 1
    lost = [key for key in acknowledged if written[key] == 0]
    doubled = [key for key, n in written.items() if n > 1]
    written_unanswered = [key for key in written if key not in acknowledged and key in unanswered]
    not_acknowledged = [key for key in written if key not in acknowledged and key not in unanswered]
    per_month = collections.Counter((division, as_of) for division, as_of, _ in written.elements())
    versions_before = versions_before or {}
    wrong_versions = []
    for division, as_of in {(s.division, s.as_of) for s in saves}:
        month = DivisionMonth.objects.filter(division__code=division, as_of=datetime.date.fromisoformat(as_of)).first()
        rose = (month.version if month else 0) - versions_before.get((division, as_of), 0)
        if rose != per_month[(division, as_of)]:
            wrong_versions.append({"division": division, "as_of": as_of, "version_rose": rose,
                                   "saves_written": per_month[(division, as_of)]})  # fmt: skip
    sum_acknowledged = sum(number for _, _, number in acknowledged.elements())
    sum_written = sum(key[2] * n for key, n in written.items() if key not in written_unanswered)
    return {
        "acknowledged": sum(acknowledged.values()),
        "history_rows": sum(written.values()),
        "lost": len(lost),
        "doubled": len(doubled),
        "written_not_acknowledged": len(not_acknowledged),
        "written_unanswered": len(written_unanswered),
        "sum_acknowledged": sum_acknowledged,
        "sum_in_history": sum_written,
        "months_with_wrong_version": wrong_versions,
        "examples": {"lost": lost[:5], "doubled": doubled[:5], "written_not_acknowledged": not_acknowledged[:5]},
        "passed": not lost
        and not doubled
        and not not_acknowledged
        and sum_acknowledged == sum_written
        and not wrong_versions,
    }


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0]


# --- the server -----------------------------------------------------------------------------------------


def start_gunicorn(env: dict, *, workers: int, threads: int, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(log_path, "wb")  # a pipe nobody reads would fill and block the workers
    command = [str(Path(sys.executable).with_name("gunicorn")), "civicbureau.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
               "--keep-alive", "10", "--timeout", "60", "--log-level", "warning"]  # fmt: skip
    # its own process group, so that the workers go too if the master has to be killed
    server = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            return server, url
        except OSError:  # refused, reset or timed out while the workers boot (URLError is an OSError)
            time.sleep(0.2)
        except BaseException:
            stop_gunicorn(server)
            raise
    stop_gunicorn(server)
    sys.exit("gunicorn did not start:\n" + log_path.read_text(errors="replace")[-3000:])


def stop_gunicorn(server: subprocess.Popen) -> None:
    """A graceful stop (the master stops its workers); the whole process group is killed if it hangs."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (Linux /proc; 0 where it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server: subprocess.Popen, database: str) -> dict:
    """CPU seconds so far per process of gunicorn and of the PostgreSQL backends serving the load database
    (their title names it), of this client, and of the whole machine (all cores, everyone's work)."""
    processes = {"gunicorn": {}, "postgresql": {}}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, ppid = stat[stat.index("(") + 1 : stat.rindex(")")], int(stat.rsplit(")", 1)[1].split()[1])
        if int(entry.name) == server.pid or ppid == server.pid:
            processes["gunicorn"][entry.name] = _cpu_seconds(int(entry.name))
        elif name.startswith("postgres") and f" {database} " in _title(entry):
            processes["postgresql"][entry.name] = _cpu_seconds(int(entry.name))
    try:
        cpu = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
        busy = (sum(cpu) - cpu[3] - cpu[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
    except OSError:
        busy = 0.0
    times = os.times()
    return processes | {"client": times.user + times.system, "machine": busy}


def _title(entry: Path) -> str:
    try:
        return (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def cpu_used(before: dict, after: dict) -> dict:
    """CPU seconds between two snapshots; a process that started in between counts from zero, one that
    ended in between is not counted."""
    used = {name: after[name] - before[name] for name in ("client", "machine")}
    for group in ("gunicorn", "postgresql"):
        used[group] = sum(seconds - before[group].get(pid, 0.0) for pid, seconds in after[group].items())
    return {name: round(seconds, 1) for name, seconds in used.items()}


def server_errors(log_path: Path) -> dict:
    """What the server itself logged as going wrong (tracebacks, worker timeouts and restarts)."""
    text = log_path.read_text(errors="replace")
    return {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "database_unavailable": text.count("database_unavailable"),
    }


# --- figures --------------------------------------------------------------------------------------------


def summarise(run, args, *, database_url: str, workers: int, threads: int, log_path: Path) -> dict:
    from bench.load_client import latency

    samples = run.samples
    by_kind = {kind: [s for s in samples if s.kind == kind] for kind in ("read", "grid", "save")}
    errors = collections.Counter(s.error for s in samples if s.error)
    outcomes = collections.Counter(s.outcome for s in run.saves)
    pages = collections.defaultdict(list)
    for s in by_kind["read"]:
        pages[s.page].append(s)
    return {
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": run.load_average_before,
        },
        "database": {"version": database_version(), "url": database_url.split("@")[-1]},
        "server": {
            "gunicorn": f"{workers} workers × {threads} threads (gthread)",
            "settings": "civicbureau.production",
            "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        },
        "load": {
            "users": args.users,
            "seconds": args.seconds,
            "write_share": args.write_share,
            "think_seconds": [args.think_min, args.think_max],
        },
        "elapsed_seconds": round(run.seconds, 1),
        "requests": len(samples),
        "requests_per_second": round(len(samples) / run.seconds, 1),
        "latency": {
            "public reads": latency(by_kind["read"]),
            "staff entry grid (GET)": latency(by_kind["grid"]),
            "staff saves (POST)": latency(by_kind["save"]),
            "all": latency(samples),
        },  # fmt: skip
        "pages": {name: latency(s) for name, s in sorted(pages.items())},
        "errors": dict(errors),
        "error_count": sum(errors.values()),
        "server_log": server_errors(log_path) | {"path": str(log_path)},
        "saves": {
            "attempted": len(run.saves),
            "acknowledged": outcomes["acknowledged"],
            "conflicts": outcomes["conflict"],
            "failed": outcomes["error"],
        },
    }


def verdicts(results: dict) -> list[str]:
    read = results["latency"]["public reads"]
    check = results["exactly_once"]
    lines = [
        (read["p95_ms"] is not None and read["p95_ms"] <= TARGET_READ_P95_MS, f"public reads p95 {read['p95_ms']} ms (≤ {TARGET_READ_P95_MS})"),
        (read["p99_ms"] is not None and read["p99_ms"] <= TARGET_READ_P99_MS, f"public reads p99 {read['p99_ms']} ms (≤ {TARGET_READ_P99_MS})"),
        (results["error_count"] == 0, f"errors: {results['error_count']} (0)"),
        (results["saves"]["acknowledged"] > 0, f"acknowledged saves: {results['saves']['acknowledged']} (> 0)"),
        (check["lost"] == 0 and check["doubled"] == 0, f"lost saves: {check['lost']}, doubled: {check['doubled']} (0, 0)"),
        (check["passed"], f"exactly once: {check['history_rows']} history rows for {check['acknowledged']} acknowledged saves, "
                          f"sum {check['sum_in_history']} / {check['sum_acknowledged']}, versions {'match' if not check['months_with_wrong_version'] else 'DIFFER'}"),
    ]  # fmt: skip
    return [f"{'ok  ' if ok else 'MISS'} {text}" for ok, text in lines]


def render(results: dict) -> str:
    load, saves, check = results["load"], results["saves"], results["exactly_once"]
    out = [
        f"machine: {results['machine']['platform']}, {results['machine']['cpus']} cpus, Python {results['machine']['python']}, "
        f"load average before the run {results['machine']['load_average_before']} (the machine is shared: other work slows the server)",
        f"database: {results['database']['version'][:60]}",
        f"server: gunicorn {results['server']['gunicorn']}, {results['server']['settings']}, CONN_MAX_AGE={results['server']['CONN_MAX_AGE']}",
        f"load: {load['users']} users for {load['seconds']} s, write share {load['write_share']}, think {load['think_seconds'][0]}–{load['think_seconds'][1]} s",
        "",
        f"requests: {results['requests']} in {results['elapsed_seconds']} s = {results['requests_per_second']} requests/s",
        "",
        f"{'':<26} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}",
    ]
    for name, f in results["latency"].items():
        out.append(
            f"{name:<26} {f['requests']:>9} {f['p50_ms'] or '-':>8} {f['p95_ms'] or '-':>8} {f['p99_ms'] or '-':>8} {f['max_ms'] or '-':>8}"
        )
    out += ["", f"{'public page':<26} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
    for name, f in results["pages"].items():
        out.append(f"{name:<26} {f['requests']:>9} {f['p50_ms']:>8} {f['p95_ms']:>8} {f['p99_ms']:>8} {f['max_ms']:>8}")
    cpu = results["cpu_seconds"]
    per_request = lambda name: f"{cpu[name] / results['requests'] * 1000:.0f} ms" if results["requests"] else "-"  # noqa: E731
    out += [
        "",
        f"CPU in the run: machine {cpu['machine']} s of {results['elapsed_seconds'] * results['machine']['cpus']:.0f} s available; gunicorn {cpu['gunicorn']} s "
        f"({per_request('gunicorn')} a request), PostgreSQL backends {cpu['postgresql']} s ({per_request('postgresql')}), this client {cpu['client']} s ({per_request('client')})",
    ]
    errors = ", ".join(f"{kind}: {n}" for kind, n in results["errors"].items()) or "none"
    log = results["server_log"]
    out += [
        "",
        f"errors: {results['error_count']} ({errors}); server log: {log['tracebacks']} tracebacks, {log['worker_timeouts']} worker timeouts",
        f"saves: {saves['attempted']} attempted, {saves['acknowledged']} acknowledged, {saves['conflicts']} refused as conflicts (stale version), {saves['failed']} failed",
        f"exactly once (the warm-up's saves included): {check['acknowledged']} acknowledged, {check['history_rows']} history rows; lost {check['lost']}, doubled {check['doubled']}, "
        f"written but not acknowledged {check['written_not_acknowledged']}; sum {check['sum_in_history']} in history / {check['sum_acknowledged']} acknowledged; "
        f"{len(check['months_with_wrong_version'])} division-months with a wrong version",
        "",
        "targets (issue 9):",
        *verdicts(results),
    ]  # fmt: skip
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50, help="simulated people at once (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they act (default 60)")
    parser.add_argument(
        "--write-share", type=float, default=0.1, help="share of actions that are staff saves (default 0.1)"
    )
    parser.add_argument(
        "--think-min", type=float, default=0.5, help="shortest pause between a person's actions, s (default 0.5)"
    )
    parser.add_argument(
        "--think-max", type=float, default=1.5, help="longest pause, s (default 1.5; 0 and 0: no pause at all)"
    )
    parser.add_argument(
        "--warm-up", type=float, default=5, help="seconds of the same load before measuring, not measured (default 5)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--output", type=Path, default=ROOT / "load-results.json")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="two app servers behind nginx with the replica against one app server, side by side, on the "
        "PostgreSQL and Redis of bin/cluster up (bench/load_cluster.py; writes load-cluster-results.json)",
    )
    args = parser.parse_args(argv)
    if args.cluster:
        from bench import load_cluster

        return load_cluster.main(args)

    url = load_database_url()
    from bench.__main__ import fresh_database

    fresh_database(url)
    env = server_environment(url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench.load_client import LoadRunner

    print(f"preparing {url.split('@')[-1]} ({args.users} staff logins)…", flush=True)
    staff, programs, tabled = prepare(args.users)
    from django.db import connections

    connections.close_all()  # the command holds no connection while the server works
    log_path = args.output.with_name(args.output.stem + "-gunicorn.log")
    server, base_url = start_gunicorn(env, workers=args.workers, threads=args.threads, log_path=log_path)
    try:
        runner = LoadRunner(base_url=base_url, staff=staff, programs=programs, tabled=tabled, write_share=args.write_share,
                            think=(args.think_min, args.think_max))  # fmt: skip
        print(
            f"{args.users} users against {base_url}: {args.warm_up:g} s of warm-up (not measured), then {args.seconds:g} s…",
            flush=True,
        )
        warm_up = runner.run(args.warm_up)  # every server process loads its templates and opens its connections
        database = urlparse(url).path.lstrip("/")
        cpu_before = cpu_snapshot(server, database)
        run = runner.run(args.seconds)
        cpu_after = cpu_snapshot(server, database)
    finally:
        stop_gunicorn(server)
    results = summarise(run, args, database_url=url, workers=args.workers, threads=args.threads, log_path=log_path)
    results["cpu_seconds"] = cpu_used(cpu_before, cpu_after)
    results["exactly_once"] = verify(warm_up.saves + run.saves, staff)  # the warm-up's saves are checked too
    results["warm_up"] = {"seconds": args.warm_up, "requests": len(warm_up.samples), "errors": sum(1 for s in warm_up.samples if s.error),
                          "saves_acknowledged": sum(1 for s in warm_up.saves if s.outcome == "acknowledged")}  # fmt: skip
    results["verdicts"] = verdicts(results)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(render(results))
    print(f"\nwritten to {args.output}; server log in {log_path}")
    if results["error_count"] or results["warm_up"]["errors"] or not results["exactly_once"]["passed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
