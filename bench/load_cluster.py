"""python -m bench.load --cluster: two app servers behind nginx reading the standby, against one app server on
the primary alone, side by side in one run (issue 20).

Needs what `bin/cluster up` starts (run as root): the PostgreSQL primary :5432 streaming to its hot standby
:5433, and Redis :6390. It uses those, not the cluster's app servers or database: it makes its own database
(civicbureau_cluster_load, the demo loaded afresh; the standby receives it as it receives everything), its own
two gunicorns and nginx (deploy/nginx.conf, on free ports) with the cluster's settings, and for the comparison
one gunicorn with the same settings, the same workers and threads, but no replica. Redis database 1 is its
cache (emptied before each phase). The same simulated people (bench/load_client.py) then act for the same time against
each: first the two servers through nginx, then the one server.

Measured besides requests/s and latency:
- the standby's replay lag (the primary's pg_stat_replication.replay_lag and bytes behind), sampled every
  0.25 s in both phases; and the transactions the standby served in each phase (its pg_stat_database);
- the time from a save to its figure on a public page: every few seconds a division director corrects one
  figure of the 2022 report's period, submits and approves it, and the bureau's planner publishes it as the
  next edition (through the services, as the pages do); from that commit, an anonymous reader asks for the
  bureau's execution.json every 20 ms until it names the new edition: through nginx, read on the standby;
  on the one server, read on the primary.
The saves of both phases are checked exactly once at the end (bench.load.verify). Exits non-zero on any
error, any lost or doubled save, or a correction that did not reach the public file within 30 s.
"""

import collections
import datetime
import http.client
import json
import os
import secrets
import signal
import sys
import threading
import time
from urllib.parse import urlparse, urlunparse

from bench import load
from deploy import cluster

DATABASE = cluster.DATABASE + "_load"
REDIS_DATABASE = 1  # the cluster's own cache is database 0
RUNTIME = cluster.RUNTIME / "load"
LAG_SAMPLE_SECONDS = 0.25
CORRECTION_EVERY_SECONDS = 4
CORRECTION_VISIBLE_WITHIN_SECONDS = 30
POLL_SECONDS = 0.02
PHASES = ("two app servers + replica", "one app server, primary only")


def environment(*, replica: bool, secret_key: str) -> dict:
    """The cluster's app settings on this run's own database and cache; without the replica for the one
    server. Both share a SECRET_KEY: the staff's sessions are valid on each."""

    def on_load_database(url: str) -> str:
        return urlunparse(urlparse(url)._replace(path="/" + DATABASE))

    return cluster.app_environment() | {
        "DATABASE_URL": on_load_database(cluster.PRIMARY_URL),
        "DATABASE_REPLICA_URL": on_load_database(cluster.REPLICA_URL) if replica else "",
        "REDIS_URL": f"redis://127.0.0.1:{cluster.REDIS_PORT}/{REDIS_DATABASE}",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
    }


def topology_ready() -> None:
    state = cluster.replication_state()
    if not (
        cluster.pg_ready(cluster.PRIMARY_PORT) and state and state["state"] == "streaming" and cluster.redis_ping()
    ):
        sys.exit("python -m bench.load --cluster needs the primary streaming to its standby and Redis: bin/cluster up")
    if os.geteuid() != 0:
        sys.exit("python -m bench.load --cluster starts nginx with the cluster's configuration: run it as root")


# --- what is sampled while the people act -----------------------------------------------------------------


class LagSampler(threading.Thread):
    """The standby's replay lag and bytes behind, from the primary, every LAG_SAMPLE_SECONDS until stopped.
    replay_lag is NULL once the standby has replayed everything and nothing new came: that is 0."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[tuple[float, int]] = []
        self.stopped = threading.Event()

    def run(self):
        with cluster.pg_connect() as conn:
            while not self.stopped.wait(LAG_SAMPLE_SECONDS):
                row = conn.execute(
                    "SELECT COALESCE(EXTRACT(EPOCH FROM replay_lag)::float, 0),"
                    " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint"
                    " FROM pg_stat_replication WHERE application_name = %s",
                    [cluster.REPLICA_NAME],
                ).fetchone()
                if row:
                    self.samples.append((row[0], row[1]))

    def summary(self) -> dict:
        from bench.load_client import percentile

        seconds = [s for s, _ in self.samples]
        behind = [b for _, b in self.samples]
        return {
            "samples": len(self.samples),
            "replay_lag_ms": {p: _ms(percentile(seconds, q)) for p, q in (("p50", 50), ("p95", 95), ("p99", 99))}
            | {"max": _ms(max(seconds, default=None))},
            "bytes_behind": {"p95": percentile(behind, 95), "max": max(behind, default=None)},
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def standby_transactions() -> int:
    """Transactions the standby has served on the load database so far (its own statistics)."""
    with cluster.pg_connect(cluster.REPLICA_PORT) as conn:
        (count,) = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", [DATABASE]
        ).fetchone()
    return count


class Corrections(threading.Thread):
    """A correction published every CORRECTION_EVERY_SECONDS; each one's time from commit to the public file."""

    def __init__(self, correction: "Correction", *, port: int):
        super().__init__(daemon=True)
        self.correction, self.port = correction, port
        self.stopped = threading.Event()
        self.seconds: list[float] = []
        self.failures: list[str] = []

    def run(self):
        from django.db import connections

        correction = self.correction
        try:
            while not self.stopped.wait(CORRECTION_EVERY_SECONDS):
                edition = correction.publish()
                published_at = time.monotonic()
                seen = self.first_seen(correction.public_path, edition)
                if seen is None:
                    self.failures.append(f"edition {edition} not in {correction.public_path} after 30 s")
                else:
                    self.seconds.append(seen - published_at)
        except Exception as exc:  # a failed correction is a failed check, reported with the results
            self.failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    def first_seen(self, path: str, edition: int) -> float | None:
        """When an anonymous GET through nginx first names the edition (asked every POLL_SECONDS)."""
        deadline = time.monotonic() + CORRECTION_VISIBLE_WITHIN_SECONDS
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                conn.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}"})
                response = conn.getresponse()
                body = response.read()
                answered = time.monotonic()
            finally:
                conn.close()
            if response.status == 200 and json.loads(body).get("edition") == edition:
                return answered
            time.sleep(POLL_SECONDS)
        return None


class Correction:
    """The 2022 report's period in this run's database: a division's director corrects one line's
    disbursements by one won (alternately down and back), submits and approves it, and the bureau's planner
    publishes the next edition; all through the services, as the pages would."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from budget.models import DivisionMonth, ExecutionSnapshot, Publication
        from staffing.models import Membership

        latest = Publication.objects.select_related("bureau").order_by("-as_of", "-edition").first()
        self.bureau, self.as_of = latest.bureau, latest.as_of
        self.month = (
            DivisionMonth.objects.filter(
                division__bureau=self.bureau, as_of=self.as_of, status=DivisionMonth.Status.APPROVED
            )
            .select_related("division")
            .order_by("division__order", "pk")
            .first()
        )
        self.snapshots = list(
            ExecutionSnapshot.objects.filter(budget_line__division=self.month.division, as_of=self.as_of)
            .select_related("budget_line")
            .order_by("budget_line__code")
        )
        self.marker = next(s for s in self.snapshots if s.disbursements > 0)
        User = get_user_model()
        self.director = User.objects.create_user(username="load-director")
        Membership.objects.create(user=self.director, bureau=self.bureau, division=self.month.division,
                                  role=Membership.Role.DIRECTOR)  # fmt: skip
        self.planner = User.objects.create_user(username="load-planner")
        Membership.objects.create(user=self.planner, bureau=self.bureau, role=Membership.Role.PLANNING)
        self.public_path = f"/b/{self.bureau.slug}/execution.json?as_of={self.as_of.isoformat()}"
        self.count = 0

    def publish(self) -> int:
        from budget.models import DivisionMonth, Publication
        from budget.services import caution_keys
        from budget.services.entry import (
            ExecutionInput,
            division_month_approve,
            division_month_correct,
            division_month_submit,
            execution_month_save,
        )
        from budget.services.periods import period_publish

        self.count += 1
        month = DivisionMonth.objects.get(pk=self.month.pk)
        month = division_month_correct(user=self.director, month=month, version=month.version,
                                       reason=f"부하 측정: 정정 {self.count}")  # fmt: skip
        shift = self.count % 2  # one won less, then back
        rows = [
            ExecutionInput(code=s.budget_line.code, obligations=s.obligations,
                           disbursements=s.disbursements - (shift if s.pk == self.marker.pk else 0))
            for s in self.snapshots
        ]  # fmt: skip
        month = execution_month_save(user=self.director, division=month.division, as_of=self.as_of, rows=rows,
                                     version=month.version, confirmed=caution_keys(self.marker.budget_line.code))  # fmt: skip
        month = division_month_submit(user=self.director, month=month, version=month.version)
        division_month_approve(user=self.director, month=month, version=month.version)
        seen = Publication.objects.filter(bureau=self.bureau, as_of=self.as_of).order_by("-edition").first()
        return period_publish(user=self.planner, bureau=self.bureau, as_of=self.as_of, edition_seen=seen.edition,
                              reason=f"부하 측정: 정정 {self.count}").edition  # fmt: skip


# --- the servers -------------------------------------------------------------------------------------------


def nginx_stop() -> None:
    cluster.stop_pid(cluster.pid_from(RUNTIME / "nginx" / "nginx.pid"), "nginx", sig=signal.SIGQUIT)


def phase(runner, correction: "Correction", cache, *, port: int, warm_up: float, seconds: float) -> dict:
    """The people for `seconds` after a warm-up, with the lag sampled and corrections published. The cache is
    emptied first: the warm-up fills it, and no phase reads what another cached."""
    cache.flushdb()
    warm = runner.run(warm_up)  # every server process loads its templates and opens its connections
    lag, corrections = LagSampler(), Corrections(correction, port=port)
    standby_before = standby_transactions()
    lag.start()
    corrections.start()
    run = runner.run(seconds)
    for thread in (lag, corrections):
        thread.stopped.set()
        thread.join()
    return {"warm_up": warm, "run": run, "lag": lag.summary(),
            "standby_transactions": standby_transactions() - standby_before, "corrections": corrections}  # fmt: skip


def phase_results(measured: dict) -> dict:
    from bench.load_client import latency, percentile

    run = measured["run"]
    by_kind = {kind: [s for s in run.samples if s.kind == kind] for kind in ("read", "grid", "save")}
    outcomes = collections.Counter(s.outcome for s in run.saves)
    ms = [round(s * 1000, 1) for s in measured["corrections"].seconds]
    return {
        "requests": len(run.samples),
        "requests_per_second": round(len(run.samples) / run.seconds, 1),
        "latency": {"public reads": latency(by_kind["read"]), "staff entry grid (GET)": latency(by_kind["grid"]),
                    "staff saves (POST)": latency(by_kind["save"])},
        "errors": dict(collections.Counter(s.error for s in run.samples if s.error)),
        "saves": {"acknowledged": outcomes["acknowledged"], "conflicts": outcomes["conflict"], "failed": outcomes["error"]},
        "replica_lag": measured["lag"],
        "standby_transactions": measured["standby_transactions"],
        "save_to_public_page_ms": {"corrections": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95),
                                   "max": max(ms, default=None), "failures": measured["corrections"].failures},
    }  # fmt: skip


def render(results: dict) -> str:
    two, one = (results[p] for p in PHASES)
    rows = [("requests/s", lambda r: r["requests_per_second"])]
    for kind in ("public reads", "staff entry grid (GET)", "staff saves (POST)"):
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            rows.append((f"{kind} {p[:3]} ms", lambda r, k=kind, p=p: r["latency"][k][p]))
    rows += [
        ("errors", lambda r: sum(r["errors"].values())),
        ("saves acknowledged", lambda r: r["saves"]["acknowledged"]),
        ("saves refused as conflicts", lambda r: r["saves"]["conflicts"]),
        ("standby transactions", lambda r: r["standby_transactions"]),
        ("replica replay lag p95 ms", lambda r: r["replica_lag"]["replay_lag_ms"]["p95"]),
        ("replica replay lag max ms", lambda r: r["replica_lag"]["replay_lag_ms"]["max"]),
        ("correction → public file p50 ms", lambda r: r["save_to_public_page_ms"]["p50"]),
        ("correction → public file p95 ms", lambda r: r["save_to_public_page_ms"]["p95"]),
        ("correction → public file max ms", lambda r: r["save_to_public_page_ms"]["max"]),
    ]
    load_ = results["load"]
    check = results["exactly_once"]
    failures = [f for r in (two, one) for f in r["save_to_public_page_ms"]["failures"]]
    return "\n".join([
        f"load: {load_['users']} users, {load_['seconds']:g} s each after {load_['warm_up']:g} s of warm-up, think "
        f"{load_['think_seconds'][0]}–{load_['think_seconds'][1]} s, write share {load_['write_share']}; gunicorn "
        f"{results['gunicorn']} per app server; load average before {results['load_average_before']}",
        "",
        f"{'':<34} {'nginx, 2 servers + replica':>28} {'1 server, primary':>20}",
        *[f"{name:<34} {str(value(two)):>28} {str(value(one)):>20}" for name, value in rows],
        "",
        "correction → public file: a published correction's commit to its edition in the anonymous execution.json",
        *(f"FAILED: {f}" for f in failures),
        f"exactly once (both phases, warm-ups included): {check['acknowledged']} acknowledged, {check['history_rows']} "
        f"history rows; lost {check['lost']}, doubled {check['doubled']}; versions "
        f"{'match' if not check['months_with_wrong_version'] else 'DIFFER'}",
    ])  # fmt: skip


def main(args) -> None:
    topology_ready()
    from bench.__main__ import fresh_database

    key = secrets.token_urlsafe(50)
    two_env, one_env = environment(replica=True, secret_key=key), environment(replica=False, secret_key=key)
    fresh_database(two_env["DATABASE_URL"])
    import redis

    cache = redis.Redis.from_url(two_env["REDIS_URL"])
    os.environ.update(two_env)
    import django

    django.setup()
    from django.db import connections

    from bench.load_client import LoadRunner

    print(f"preparing {DATABASE} ({args.users} staff logins)…", flush=True)
    staff, programs, tabled = load.prepare(args.users)
    correction = Correction()
    connections.close_all()
    RUNTIME.mkdir(parents=True, exist_ok=True)
    shape = {"workers": cluster.WORKERS, "threads": cluster.THREADS}
    options = {"staff": staff, "programs": programs, "tabled": tabled, "write_share": args.write_share,
               "think": (args.think_min, args.think_max)}  # fmt: skip
    timing = {"warm_up": args.warm_up, "seconds": args.seconds}
    load_average = tuple(round(x, 2) for x in os.getloadavg())
    servers = []
    try:
        for name in ("a", "b"):
            servers.append(load.start_gunicorn(two_env, **shape, log_path=RUNTIME / f"gunicorn-{name}.log"))
        nginx_port = load.free_port()
        cluster.nginx_up(runtime=RUNTIME, port=nginx_port, app_ports=tuple(urlparse(url).port for _, url in servers))
        print(
            f"{args.users} users for {args.seconds:g} s through nginx :{nginx_port} (two servers, replica)…", flush=True
        )
        runner = LoadRunner(base_url=f"http://127.0.0.1:{nginx_port}", **options)
        two = phase(runner, correction, cache, port=nginx_port, **timing)
    finally:
        nginx_stop()
        while servers:
            load.stop_gunicorn(servers.pop()[0])
    try:  # the two servers are gone: the one server has the machine to itself
        servers.append(load.start_gunicorn(one_env, **shape, log_path=RUNTIME / "gunicorn-one.log"))
        url = servers[0][1]
        print(f"{args.users} users for {args.seconds:g} s against one server {url} (primary only)…", flush=True)
        runner.aim(url)
        one = phase(runner, correction, cache, port=urlparse(url).port, **timing)
    finally:
        load.stop_gunicorn(servers.pop()[0])
    results = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load": {
            "users": args.users,
            "seconds": args.seconds,
            "write_share": args.write_share,
            "think_seconds": [args.think_min, args.think_max],
            "warm_up": args.warm_up,
        },  # fmt: skip
        "gunicorn": f"{cluster.WORKERS} workers × {cluster.THREADS} threads",
        "load_average_before": load_average,
        PHASES[0]: phase_results(two),
        PHASES[1]: phase_results(one),
    }
    saves = [save for p in (two, one) for run in (p["warm_up"], p["run"]) for save in run.saves]
    results["exactly_once"] = load.verify(saves, staff)  # the warm-ups' saves are in the history too
    output = args.output.with_name("load-cluster-results.json")
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(render(results))
    print(f"\nwritten to {output}; server logs in {RUNTIME}")
    failed = (
        any(results[p]["errors"] or results[p]["save_to_public_page_ms"]["failures"] for p in PHASES)
        or not results["exactly_once"]["passed"]
    )
    sys.exit(1 if failed else 0)
