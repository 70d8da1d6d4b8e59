"""python -m bench.drill NAME: a failure drill on the topology of `bin/cluster up` (issue 20).

Each drill breaks one part on purpose while the portal is in use, prints one line per check (ok / FAIL)
and exits non-zero when a check failed. It puts back what it broke (a killed server is started again).
Run as root (it signals the processes bin/cluster started), with the cluster up:

    bin/cluster up && .venv/bin/python -m bench.drill graceful

A drill is a function taking a `Checks`, registered by name with `@drill("name")`:
  graceful  SIGTERM to one gunicorn with a request in flight: the request completes with 200, new
            connections are refused at once, the server exits within its graceful timeout.
  failover  SIGKILL to one gunicorn (master and workers) while 50 staff read public pages and save their
            months through nginx: every acknowledged save is in the history exactly once (a save in flight
            on the killed server is answered 502 and not resent by nginx), the failed requests are
            counted and bounded, none fails once nginx has marked the server down,
            nginx sends it nothing during fail_timeout, and it serves again once restarted.
  replica   the standby stopped (-m immediate) while 15 people read public pages: healthz stops using it,
            the primary serves the reads, failures bounded and none once every app process re-probed; started
            again, it streams and serves the reads again.
  redis     Redis stopped (SIGTERM) under load: pages still served (cache misses), healthz degraded, a city
            briefing asked for meanwhile fails with the queue's message; a job queued while the worker is
            stopped survives Redis's restart and finishes once the worker starts (the file opens).
  worker    the worker's pool child killed mid-job: the job runs again and its file opens; the whole worker
            killed (SIGKILL to its group) and started again: the restarted worker's sweep runs its job again
            (at once: its process is seen gone; at worst within JOB_STALE_SECONDS + JOB_HEARTBEAT_SECONDS,
            not after the broker's visibility timeout), its page never showing it progressing once its
            beat is stale; it ends done and its file opens.
  own-writes  a staff save through one app server is read at once through the other and through nginx; an
            anonymous POST's `wrote` cookie sends its next reads to the primary (pg_stat_activity).

Run from another checkout than the cluster's, set CLUSTER_DIR to the cluster's runtime directory.
"""

import argparse
import datetime
import html
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from deploy import cluster

DRILLS: dict[str, Callable] = {}
FAIL_TIMEOUT = 10  # seconds: nginx's fail_timeout in deploy/nginx.conf


def drill(name: str):
    def register(function):
        DRILLS[name] = function
        return function

    return register


class DrillAborted(Exception):
    pass


class Checks:
    def __init__(self):
        self.passed, self.failed = [], []

    def check(self, ok: bool, text: str) -> bool:
        print(f"{'ok  ' if ok else 'FAIL'} {text}", flush=True)
        (self.passed if ok else self.failed).append(text)
        return ok

    def require(self, ok: bool, text: str) -> None:
        """A check the rest of the drill depends on: the drill stops when it fails."""
        if not self.check(ok, text):
            raise DrillAborted(text)


def note(text: str) -> None:
    print(f"     {text}", flush=True)


def alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped, is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def gunicorn_pid(port: int) -> int | None:
    return cluster.pid_from(cluster.gunicorn_pid_file(port))


# --- graceful --------------------------------------------------------------------------------------------


@drill("graceful")
def graceful(checks: Checks) -> None:
    port = cluster.APP_PORTS[1]
    pid = gunicorn_pid(port)
    checks.require(pid is not None, f"gunicorn :{port} is running (pid {pid})")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=cluster.GRACEFUL_TIMEOUT + 10) as sock:
            # The request's first lines only: a worker thread takes it and waits for the rest, so it is in
            # flight for as long as this drill wants (a slow client; a slow page is the same to gunicorn).
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(1)
            signalled = time.monotonic()
            os.kill(pid, signal.SIGTERM)
            time.sleep(0.5)
            newcomer = NewRequest(port)  # a request that arrives while the server drains
            newcomer.start()
            time.sleep(2)
            checks.check(alive(pid), "the server still runs 2 s after SIGTERM, waiting for the request in flight")
            sock.sendall(b"Accept-Encoding: identity\r\nConnection: close\r\n\r\n")
            response = http.client.HTTPResponse(sock)
            try:
                response.begin()
                status, body = response.status, response.read()
            except (OSError, http.client.HTTPException) as exc:
                status, body = 0, type(exc).__name__.encode()
            checks.check(
                status == 200 and b"</html>" in body,
                f"the request in flight at SIGTERM completed {time.monotonic() - signalled:.1f} s after it: "
                f"HTTP {status}, {len(body)} bytes",
            )
        exited = wait_until(lambda: not alive(pid), cluster.GRACEFUL_TIMEOUT + 5)
        elapsed = time.monotonic() - signalled
        newcomer.join()
        checks.check(
            newcomer.outcome == "refused",
            f"a new connection after SIGTERM is refused: {newcomer.outcome} after {newcomer.seconds:.1f} s"
            + (
                ""
                if newcomer.outcome == "refused"
                else " (the listening socket stays open while the server drains; through nginx a POST sent there "
                "gets a 502: take the server out of nginx before stopping it, docs/deploy.md)"
            ),
        )
        checks.check(
            exited and elapsed <= cluster.GRACEFUL_TIMEOUT,
            f"the server exited {elapsed:.1f} s after SIGTERM (graceful timeout {cluster.GRACEFUL_TIMEOUT} s)",
        )
    finally:
        restart(checks, port)


class NewRequest(threading.Thread):
    """GET / on a new connection; outcome: "refused", "reset", "HTTP <status>" or the error's name."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.outcome, self.seconds = port, "", 0.0

    def run(self):
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=cluster.GRACEFUL_TIMEOUT + 10)
        try:
            connection.request("GET", "/", headers={"Accept-Encoding": "identity"})
            response = connection.getresponse()
            response.read()
            self.outcome = f"HTTP {response.status}"
        except ConnectionRefusedError:
            self.outcome = "refused"
        except ConnectionResetError:
            self.outcome = "held, then reset"
        except (OSError, http.client.HTTPException) as exc:
            self.outcome = type(exc).__name__
        finally:
            connection.close()
        self.seconds = time.monotonic() - started


def restart(checks: Checks, port: int) -> float:
    """Start the server again as bin/cluster does; the wall-clock time it answered."""
    cluster.gunicorn_up(port)
    checks.check(gunicorn_pid(port) is not None, f"gunicorn :{port} started again and answers")
    return time.time()


# --- failover --------------------------------------------------------------------------------------------

LOG_LINE = re.compile(
    r"^(?P<at>\d+\.\d+) (?P<status>\d+) \"[^\"]*\" upstream=(?P<upstream>.*) upstream_status=.* request_time=(?P<took>[\d.]+)$"
)


def nginx_log_lines(offset: int) -> list[tuple[float, int, list[str]]]:
    """(when it came, when it ended, status, upstream addresses tried in order) of each request nginx logged
    after `offset` (nginx logs a request when it ends, with how long it took)."""
    lines = []
    with (cluster.RUNTIME / "nginx" / "access.log").open("rb") as f:
        f.seek(offset)
        for raw in f.read().decode(errors="replace").splitlines():
            match = LOG_LINE.match(raw)
            if match:
                upstreams = [a.strip() for a in match["upstream"].split(",")]
                ended = float(match["at"])
                lines.append((ended - float(match["took"]), ended, int(match["status"]), upstreams))
    return lines


def public_slugs() -> tuple[list[str], list[str]]:
    """The programs, and those with an execution table, read from the cluster's database."""
    django_ready()
    from programs.models import Program

    programs = Program.objects.order_by("pk")
    return (
        list(programs.values_list("slug", flat=True)),
        list(programs.filter(execution_rows__isnull=False).distinct().values_list("slug", flat=True)),
    )


@drill("failover")
def failover(checks: Checks, *, people: int = 50, seconds: float = 40, kill_at: float = 8, down_for: float = 5) -> None:
    django_ready()
    from django.db import connections
    from django.utils import timezone

    from bench.load import save_versions, staff_logins, verify
    from bench.load_client import LoadRunner

    victim, other = cluster.APP_PORTS
    victim_addr, other_addr = f"127.0.0.1:{victim}", f"127.0.0.1:{other}"
    pid = gunicorn_pid(victim)
    checks.require(pid is not None and gunicorn_pid(other) is not None, f"both gunicorns run (:{victim} pid {pid})")
    checks.require(os.getpgid(pid) == pid, f"gunicorn :{victim} leads its own process group (master and workers)")
    programs, tabled = public_slugs()
    log_offset = (cluster.RUNTIME / "nginx" / "access.log").stat().st_size
    staff = staff_logins(people)  # the load's staff: each reads public pages and now and then saves its month
    since, versions_before = timezone.now(), save_versions(staff)
    connections.close_all()
    runner = LoadRunner(base_url=cluster.URL, staff=staff, programs=programs, tabled=tabled, write_share=0.1,
                        think=(0.5, 1.5))  # fmt: skip
    result = {}
    load = threading.Thread(target=lambda: result.update(run=runner.run(seconds)))
    note(f"{people} people (staff: public reads, and one action in ten a save of their division's month) through "
         f"nginx :{cluster.NGINX_PORT} for {seconds:.0f} s; gunicorn :{victim} is killed at {kill_at:.0f} s and "
         f"started again {down_for:.0f} s later")  # fmt: skip
    load.start()
    back_at = None
    try:
        time.sleep(kill_at)
        killed_at = time.time()
        os.killpg(pid, signal.SIGKILL)  # the machine's crash, as far as this server goes: no goodbye
        checks.check(wait_until(lambda: not alive(pid), 5), f"gunicorn :{victim} killed (SIGKILL to its group)")
        time.sleep(down_for)
        back_at = restart(checks, victim)
    finally:
        load.join()
        if back_at is None:
            cluster.gunicorn_up(victim)
    samples, saves = result["run"].samples, result["run"].saves
    lines = nginx_log_lines(log_offset)
    check = verify(saves, staff, since=since, versions_before=versions_before)
    connections.close_all()
    checks.check(
        check["lost"] == 0 and check["doubled"] == 0 and check["sum_acknowledged"] == check["sum_in_history"],
        f"every acknowledged save in the history exactly once: {check['acknowledged']} acknowledged, lost "
        f"{check['lost']}, doubled {check['doubled']}, sum {check['sum_in_history']:,} / {check['sum_acknowledged']:,}",
    )
    checks.check(
        check["written_not_acknowledged"] == 0 and not check["months_with_wrong_version"],
        f"no save refused as a conflict was written ({check['written_not_acknowledged']}); each month's version rose "
        f"by the saves written ({len(check['months_with_wrong_version'])} months differ)",
    )
    unanswered = sum(1 for s in saves if s.outcome == "error")
    conflicts = sum(1 for s in saves if s.outcome == "conflict")
    note(f"saves: {len(saves)} attempted, {check['acknowledged']} acknowledged, {conflicts} refused as conflicts (two "
         f"people of one division saving one month), {unanswered} without an answer (in "
         f"flight on the killed server), of which {check['written_unanswered']} were written before the kill")  # fmt: skip

    failed = [s for s in samples if s.error]
    checks.check(
        len(failed) <= people,
        f"{len(failed)} of {len(samples)} requests failed (bound: {people}, one in flight per person)"
        + (f": {sorted({s.error for s in failed})}" if failed else ""),
    )
    before = {u[-1] for _, ended, status, u in lines if ended < killed_at and status == 200}
    checks.check({victim_addr, other_addr} <= before, f"before the kill both servers answered ({sorted(before)})")
    failures = sorted(ended for _, ended, _, u in lines if ended >= killed_at and len(u) > 1 and u[0] == victim_addr)
    marked_at = failures[0] if failures else killed_at
    note(f"nginx met the dead server {marked_at - killed_at:.2f} s after the kill and sent the request to the other "
         f"(requests retried on :{other}: {len(failures)})")  # fmt: skip
    after = [s for s in samples if s.answered_at - s.ms / 1000 > marked_at]
    checks.check(
        not [s for s in after if s.error],
        f"0 failed requests once nginx marked :{victim} down ({len([s for s in after if s.error])} of {len(after)})",
    )
    left_out = [
        came for came, _, _, u in lines if marked_at < came < marked_at + FAIL_TIMEOUT - 0.5 and victim_addr in u
    ]
    checks.check(not left_out, f"nginx sent nothing to :{victim} for fail_timeout ({FAIL_TIMEOUT} s) after marking it")
    served = sorted(came for came, _, status, u in lines if came > back_at and u == [victim_addr] and status == 200)
    checks.check(
        bool(served),
        f":{victim} served again after its restart: {len(served)} requests"
        + (
            f", the first {served[0] - back_at:.1f} s after it answered ({served[0] - marked_at:.1f} s after the mark)"
            if served
            else ""
        ),
    )


# --- shared by the drills below: a browser, the health check, who reads which database, jobs --------------


class Browser:
    """One person's cookies kept by hand, on any of the cluster's ports: the production cookies are `__Host-`
    Secure ones, which a cookie jar would not send over plain HTTP on loopback (as bench/load_client.py)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []  # the names the last answer set

    def call(self, method: str, path: str, *, port: int = cluster.NGINX_PORT, form: dict | None = None,
             timeout: float = 60) -> tuple[int, str, bytes]:  # fmt: skip
        """(status, Location, body); status 0 and the error's name as the body when no answer came."""
        headers = {"Host": f"127.0.0.1:{port}", "Accept-Encoding": "identity", "Accept-Language": "ko"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{port}"
            headers["Referer"] = f"http://127.0.0.1:{port}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            return 0, "", type(exc).__name__.encode()
        finally:
            connection.close()
        self.set_cookies = []
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
            self.set_cookies.append(name.strip())
        return response.status, response.getheader("Location", ""), content

    def csrf_token(self, port: int = cluster.NGINX_PORT) -> str:
        _, _, page = self.call("GET", "/accounts/login/", port=port)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match.group(1).decode() if match else ""

    def login(self, username: str, password: str, port: int = cluster.NGINX_PORT) -> bool:
        token = self.csrf_token(port)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        status, _, _ = self.call("POST", "/accounts/login/", port=port, form=form)
        return status == 302


BUDGET_LOGIN = ("budget", "budget-demo-2022")  # the budget office: the city briefing (demo_users)
STAFF_LOGIN = ("staff", "staff-demo-2022")


def healthz() -> dict:
    """/healthz through nginx (any status: 200 or 503 both carry the report)."""
    try:
        with urllib.request.urlopen(cluster.URL + "healthz", timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read() or b"{}")
    except (OSError, ValueError):
        return {}


def load_runner(people: int):
    """Anonymous readers of public pages through nginx (they read the standby while it is usable)."""
    from bench.load_client import LoadRunner, StaffLogin

    programs, tabled = public_slugs()
    anonymous = StaffLogin(username="", division="", cookies={}, marker_code="", marker_cap=0)
    return LoadRunner(base_url=cluster.URL, staff=[anonymous] * people, programs=programs, tabled=tabled,
                      write_share=0.0, think=(0.1, 0.3))  # fmt: skip


def in_background(runner, seconds: float) -> tuple[threading.Thread, dict]:
    result = {}
    load = threading.Thread(target=lambda: result.update(run=runner.run(seconds)))
    load.start()
    return load, result


# The router's probe and the queries of these drills, left out when counting who reads a database.
NOT_A_PAGE = ("pg_last_wal_replay_lsn", "pg_current_wal_lsn", "pg_stat_activity", "pg_stat_replication")


def page_readers(port: int, since: float) -> int | None:
    """Connections of the app servers to one cluster's database whose last query began after `since` (wall
    clock), the health probes left out: a connection reads for pages there. None when it does not answer."""
    try:
        with cluster.pg_connect(port) as conn:
            (count,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' "
                "AND pid <> pg_backend_pid() AND query_start > to_timestamp(%s) "
                "AND NOT query ILIKE ANY(%s)",
                [cluster.DATABASE, since, [f"%{text}%" for text in NOT_A_PAGE]],
            ).fetchone()
    except Exception:
        return None
    return count


def replica_stop_immediate() -> None:
    """The standby's crash, as far as PostgreSQL goes: no checkpoint, connections cut."""
    cluster.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster.PG_VERSION, cluster.REPLICA_CLUSTER, "stop",
                 "-m", "immediate"])  # fmt: skip


def errors_of(samples) -> list:
    return [s for s in samples if s.error]


BRIEFING = "/city/briefing/"  # a form: its POST starts the job and sends to the job's page
JOB_PATH = re.compile(r"/jobs/([0-9a-f-]{36})/")


def briefing_start(browser: Browser, as_of: str = "2022-07-01") -> tuple[int, str]:
    """(status, the job's page path or "") of asking for the city briefing."""
    _, _, page = browser.call("GET", BRIEFING)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    form = {"year": "2022", "as_of": as_of, "csrfmiddlewaretoken": token.group(1).decode() if token else ""}
    status, location, _ = browser.call("POST", BRIEFING, form=form)
    match = JOB_PATH.search(location or "")
    return status, match.group(0) if match else ""


def unused_dates(count: int) -> list[str]:
    """as_of dates for new jobs (job_start gives back an unfinished job with the same conditions, such as one
    a drill's killed worker left running): from July 2022 on (the first published figures), by the clock, so
    that a run asks for dates the runs just before it did not."""
    first = datetime.date(2022, 7, 1) + datetime.timedelta(days=(int(time.time()) // 10) % 150)
    return [(first + datetime.timedelta(days=day)).isoformat() for day in range(count)]


def job_row(job_path: str) -> dict:
    """The job as the database has it (the primary)."""
    with cluster.pg_connect(dbname=cluster.DATABASE) as conn:
        row = conn.execute(
            "SELECT status, progress, attempts, error, octet_length(content), created_at > now() - interval '30 s' "
            "FROM jobs_job WHERE id = %s",
            [JOB_PATH.search(job_path).group(1)],
        ).fetchone()
    return dict(zip(("status", "progress", "attempts", "error", "bytes", "new"), row, strict=True)) if row else {}


def job_page(browser: Browser, job_path: str, seconds: float) -> tuple[str, str]:
    """Follows the job's page until it ends: ("done", the file's path), ("failed", its message), or
    ("running", the progress shown) when it has not ended within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        _, _, page = browser.call("GET", job_path)
        download = re.search(rb'id="job-download" href="([^"]+)"', page)
        if download:
            return "done", download.group(1).decode()
        alert = re.search(rb'role="alert">([^<]*)<', page)
        if alert:
            return "failed", html.unescape(alert.group(1).decode()).strip()
        if time.monotonic() > deadline:
            shown = re.search(rb'<progress max="100" value="(\d+)"', page)
            return "running", f"{shown.group(1).decode() if shown else '?'}%"
        time.sleep(0.3)


def file_opens(checks: Checks, browser: Browser, href: str) -> None:
    """The offered file, from each app server, is a whole workbook."""
    import openpyxl

    for port in cluster.APP_PORTS:
        status, _, content = browser.call("GET", href, port=port)
        try:
            sheets = openpyxl.load_workbook(io.BytesIO(content), read_only=True).sheetnames
        except Exception as exc:  # a truncated or empty file: zipfile.BadZipFile, KeyError, …
            sheets, error = [], f"{type(exc).__name__}: {exc}"[:120]
        else:
            error = ""
        checks.check(
            status == 200 and bool(sheets),
            f"the offered file from :{port}: HTTP {status}, {len(content):,} bytes, opens in openpyxl"
            + (f" ({len(sheets)} sheets)" if sheets else f": NO ({error})"),
        )


def worker_stop() -> None:
    """Warm shutdown (SIGTERM), as `bin/cluster down`: a job in hand finishes first."""
    cluster.stop_pid(cluster.pid_from(cluster.WORKER_PID), "worker", seconds=cluster.GRACEFUL_TIMEOUT + 10)


def redis_stop() -> None:
    """SIGTERM: Redis writes its append-only file out and exits (as `bin/cluster down`)."""
    cluster.stop_pid(cluster.pid_from(cluster.REDIS_PID), "redis")


# --- replica ---------------------------------------------------------------------------------------------


@drill("replica")
def replica(checks: Checks, *, people: int = 15, seconds: float = 80, stop_at: float = 8, down_for: float = 15) -> None:
    from civicbureau.db_router import PROBE_TIMEOUT_SECONDS

    checks.require(cluster.replication_state() is not None, "the standby streams")
    checks.require(healthz().get("replica", {}).get("used_for_reads") is True, "healthz: the standby is used for reads")
    runner = load_runner(people)
    note(f"{people} people read public pages through nginx for {seconds:.0f} s; the standby is stopped "
         f"(-m immediate) at {stop_at:.0f} s and started again {down_for:.0f} s later")  # fmt: skip
    started = time.time()
    load, result = in_background(runner, seconds)
    restarted = False
    try:
        time.sleep(stop_at)
        readers = page_readers(cluster.REPLICA_PORT, started)
        primary_readers = page_readers(cluster.PRIMARY_PORT, started)
        checks.check(bool(readers), f"before the stop the standby serves the reads ({readers} connections read there, "
                                    f"{primary_readers} on the primary)")  # fmt: skip
        stopped_at = time.time()
        replica_stop_immediate()
        switched = wait_until(lambda: healthz().get("replica", {}).get("used_for_reads") is False, 10)
        switched_at = time.time()
        checks.check(switched, f"healthz: used_for_reads false {switched_at - stopped_at:.1f} s after the stop")
        settled = stopped_at + settings_value("REPLICA_CHECK_SECONDS") + PROBE_TIMEOUT_SECONDS
        time.sleep(max(0.0, settled - time.time()) + 2)
        readers = page_readers(cluster.PRIMARY_PORT, settled)
        checks.check(bool(readers), f"the primary serves the reads meanwhile ({readers} connections read)")
        time.sleep(max(0.0, stopped_at + down_for - time.time()))
        cluster.replica_start()
        restarted = True
        back_at = time.time()
        streams = wait_until(lambda: cluster.replication_state() is not None, cluster.REPLICA_STREAM_SECONDS)
        checks.check(streams, f"the standby streams again {time.time() - back_at:.1f} s after its start")
        used = wait_until(lambda: healthz().get("replica", {}).get("used_for_reads") is True, 30)
        used_at = time.time()
        checks.check(used, f"healthz: used_for_reads true again {used_at - back_at:.1f} s after the start")
        # Each app process finds it again at its next probe (every REPLICA_CHECK_SECONDS); a process whose kept
        # connection to the standby died with it fails one read, marks it down and probes again later.
        came_back = wait_until(lambda: bool(page_readers(cluster.REPLICA_PORT, used_at)), 50)
        readers = page_readers(cluster.REPLICA_PORT, used_at)
        checks.check(came_back, f"reads came back to the standby {time.time() - used_at:.1f} s after healthz used it "
                                f"({readers} connections read)")  # fmt: skip
    finally:
        load.join()
        if not restarted:
            cluster.replica_start()
    samples = result["run"].samples
    failed = errors_of(samples)
    note(f"{len(samples)} requests; failed: {len(failed)}"
         + (f" at {[round(s.answered_at - stopped_at, 1) for s in failed]} s after the stop: "
            f"{sorted({s.error for s in failed})}" if failed else ""))  # fmt: skip
    checks.check(
        len(failed) <= people, f"{len(failed)} failed requests around the stop (bound: {people}, one per person)"
    )
    after = [s for s in samples if s.answered_at - s.ms / 1000 > settled]
    checks.check(
        not errors_of(after),
        f"0 failed requests once every app process re-probed ({settled - stopped_at:.0f} s after the stop): "
        f"{len(errors_of(after))} of {len(after)}",
    )


# --- redis -----------------------------------------------------------------------------------------------


@drill("redis")
def redis_drill(checks: Checks, *, people: int = 10, seconds: float = 30, stop_at: float = 6) -> None:
    checks.require(
        cluster.redis_ping() and cluster.pid_from(cluster.WORKER_PID) is not None, "Redis and the worker run"
    )
    budget = Browser()
    checks.require(budget.login(*BUDGET_LOGIN), "the budget office signs in through nginx")
    runner = load_runner(people)
    note(f"{people} people read public pages through nginx for {seconds:.0f} s; Redis gets SIGTERM at {stop_at:.0f} s")
    load, result = in_background(runner, seconds)
    try:
        time.sleep(stop_at)
        stopped_at = time.time()
        redis_stop()
        report = healthz()
        checks.check(
            report.get("status") == "degraded" and report["cache"]["ok"] is False and report["queue"]["ok"] is False,
            f"healthz with Redis down: {report.get('status')}, cache ok {report.get('cache', {}).get('ok')}, "
            f"queue ok {report.get('queue', {}).get('ok')}",
        )
        asked = time.monotonic()
        status, job = briefing_start(budget, "2022-07-01")
        took = time.monotonic() - asked
        checks.check(status == 302 and bool(job), f"the city briefing asked for with Redis down: HTTP {status} "
                                                  f"after {took:.1f} s, to its job's page")  # fmt: skip
        if job:
            outcome, text = job_page(budget, job, 10)
            checks.check(outcome == "failed" and "대기열" in text, f"the job failed at once with the queue's message: "
                                                                   f"{outcome}: {text}")  # fmt: skip
        load.join()
        samples = result["run"].samples
        during = [s for s in samples if s.answered_at > stopped_at]
        server_errors = [s for s in samples if s.status >= 500 or s.error]
        checks.check(
            not server_errors,
            f"pages served with Redis down: {len(during)} requests after the stop, {len(server_errors)} failed of "
            f"{len(samples)}" + (f" {sorted({s.error for s in server_errors})}" if server_errors else ""),
        )
        note(f"latency with Redis up / down: {latency_ms(samples, lambda s: s.answered_at <= stopped_at)} / "
             f"{latency_ms(samples, lambda s: s.answered_at > stopped_at)} ms (p50, p95)")  # fmt: skip
    finally:
        load.join()
        cluster.redis_up()
    checks.check(healthz().get("status") == "ok", "Redis started again from its append-only file: healthz ok")

    # A job queued while the worker is stopped survives Redis's restart (its append-only file).
    worker_stop()
    try:
        status, job = briefing_start(budget, unused_dates(1)[0])
        checks.require(bool(job), f"a city briefing asked for with the worker stopped: HTTP {status}")
        time.sleep(1)
        row, queued = job_row(job), redis_queue_length()
        checks.check(row.get("status") == "queued" and row["new"] and queued >= 1,
                     f"it waits: job {row.get('status')}, {queued} message(s) in Redis's queue")  # fmt: skip
        redis_stop()
        cluster.redis_up()
        checks.check(redis_queue_length() == queued, f"after Redis's restart the queue holds {redis_queue_length()} "
                                                      f"message(s)")  # fmt: skip
    finally:
        cluster.worker_up()
    outcome, text = job_page(budget, job, 120)
    row = job_row(job)
    checks.check(outcome == "done", f"the queued job finished once the worker started: {outcome} ({text}), "
                                    f"attempts {row.get('attempts')}")  # fmt: skip
    if outcome == "done":
        file_opens(checks, budget, text)


def redis_queue_length() -> int:
    """Messages waiting in Celery's default queue (a Redis list named "celery")."""
    result = subprocess.run(
        ["redis-cli", "-p", str(cluster.REDIS_PORT), "llen", "celery"], capture_output=True, text=True
    )
    try:
        return int(result.stdout.strip())
    except ValueError:
        return -1


def latency_ms(samples, which) -> str:
    from bench.load_client import percentile

    times = [s.ms for s in samples if which(s)]
    return f"{percentile(times, 50):.0f}, {percentile(times, 95):.0f}" if times else "-"


# --- worker ----------------------------------------------------------------------------------------------


def pool_children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def catch_running(budget: Browser, as_of: str) -> tuple[str, dict]:
    """Asks for a briefing and watches its row closely: (the job's page, its row) once it runs with progress
    below 100, or its row when it ended before it could be caught."""
    _, job = briefing_start(budget, as_of)
    deadline = time.monotonic() + 30
    row = {}
    while job and time.monotonic() < deadline:
        row = job_row(job)
        if not row.get("new"):  # the same conditions as an unfinished job's: job_start gave that one back
            break
        if row.get("status") == "running" and row["progress"] < 100 and row["attempts"] == 1:
            return job, row
        if row.get("status") in ("done", "failed"):
            break
        time.sleep(0.002)
    return job, {**row, "missed": True}


@drill("worker")
def worker(checks: Checks, *, tries: int = 12) -> None:
    pid = cluster.pid_from(cluster.WORKER_PID)
    checks.require(
        pid is not None and bool(pool_children(pid)), f"the worker runs (pid {pid}, pool {pool_children(pid)})"
    )
    budget = Browser()
    checks.require(budget.login(*BUDGET_LOGIN), "the budget office signs in through nginx")
    months = unused_dates(2 * tries)

    # 1. The pool's child (the process running the job) is killed: the worker's main process sees it lost,
    #    and the message (acks_late, reject_on_worker_lost) goes back to the queue at once. The killed child's
    #    beat is still fresh, but the worker sees in /proc that the job's holder is gone (jobs.process), so
    #    job_claim runs it again at once (were it not seen, the sweep would once the beat is stale: ≤ ~40 s).
    for attempt in range(tries):
        child = pool_children(pid)
        job, row = catch_running(budget, months[attempt])
        if not row.get("missed"):
            os.kill(child[0], signal.SIGKILL)
            note(
                f"caught a job running at {row['progress']}% on try {attempt + 1}: SIGKILL to the pool's child {child[0]}"
            )
            break
    else:
        checks.require(False, f"a job caught running in {tries} tries (each ended first)")
    outcome, text = job_page(budget, job, 120)
    row = job_row(job)
    checks.check(outcome in ("done", "failed"), f"the job ended {outcome} after attempt {row.get('attempts')}"
                                                f"{': ' + text if outcome == 'failed' else ''}")  # fmt: skip
    checks.check(row.get("attempts", 0) >= 2, f"it was run again from scratch (attempts {row.get('attempts')})")
    if outcome == "done":
        file_opens(checks, budget, text)

    # 2. The whole worker (main process and pool) is killed, as a machine's crash would.
    for attempt in range(tries):
        job, row = catch_running(budget, months[tries + attempt])
        if not row.get("missed"):
            os.killpg(pid, signal.SIGKILL)
            killed_at = time.monotonic()
            note(
                f"caught a job running at {row['progress']}% on try {attempt + 1}: SIGKILL to the worker's group {pid}"
            )
            break
    else:
        checks.require(False, f"a job caught running in {tries} tries (each ended first)")
    checks.check(wait_until(lambda: not alive(pid), 5), f"the worker is gone (pid {pid})")
    # Until its parent reaps it, the dead worker is a zombie that signal 0 still finds: cluster.pid_from (and
    # Celery's own pid-file check) would take it for running. Its pid file goes, as a crash's clean-up would.
    cluster.WORKER_PID.unlink(missing_ok=True)
    # Its message stays unacknowledged in Redis until the broker's visibility timeout (2 × the job time limit),
    # but the restarted worker's sweep (at its start, then every JOB_HEARTBEAT_SECONDS: jobs.worker) sends it
    # again: at once here, as the job's holder is a process of this machine that is gone (jobs.process), and
    # elsewhere (another machine's worker) once its last beat is JOB_STALE_SECONDS old. The bound is the latter.
    cluster.worker_up()
    restarted = time.monotonic()
    checks.check(cluster.pid_from(cluster.WORKER_PID) is not None,
                 f"the worker started again ({restarted - killed_at:.1f} s after the kill)")  # fmt: skip
    stale_seconds, beat_seconds = settings_value("JOB_STALE_SECONDS"), settings_value("JOB_HEARTBEAT_SECONDS")
    # stale JOB_STALE_SECONDS after the kill at the latest (its last beat was before it); the restarted
    # worker (worker_up waits until it is ready) sweeps at once, then every beat_seconds; then a margin for
    # the message to be taken and the job claimed
    bound = max(stale_seconds, restarted - killed_at) + beat_seconds + RERUN_MARGIN_SECONDS
    rerun_after, shown = rerun_watch(budget, job, row["attempts"], killed_at, stale_seconds, bound)
    checks.check(rerun_after is not None,
                 f"the killed worker's job ran again {rerun_after or 0:.1f} s after the kill (bound {bound:.1f} s: "
                 f"JOB_STALE_SECONDS {stale_seconds} or the restart, + a sweep's interval {beat_seconds} "
                 f"+ {RERUN_MARGIN_SECONDS})")  # fmt: skip
    checks.check(not shown["progressing"],
                 f"once its beat was stale its page never showed it progressing (pages read: {shown['interrupted']} "
                 f"saying it was interrupted and waits, {shown['progressing']} showing progress)")  # fmt: skip
    outcome, text = job_page(budget, job, 120)
    row = job_row(job)
    checks.check(outcome == "done" and row.get("attempts", 0) >= 2,
                 f"the job ended {outcome} after attempt {row.get('attempts')}"
                 f"{': ' + text if outcome != 'done' else ''}")  # fmt: skip
    if outcome == "done":
        file_opens(checks, budget, text)


RERUN_MARGIN_SECONDS = 5  # the sweep's message taken by the worker and the job claimed
INTERRUPTED_TEXT = "작업하던 서버가 멈춰 작업이 중단되었습니다."


def rerun_watch(browser: Browser, job_path: str, killed_attempts: int, killed_at: float, stale_seconds: int,
                bound: float):  # fmt: skip
    """Watches the killed worker's job until an attempt after the killed one holds it (or `bound` seconds
    after the kill): (seconds from the kill to that, or None), and how its page read once the last beat was
    surely stale (a second's margin after JOB_STALE_SECONDS) and the killed attempt still held the job (its
    row read after the page): {"interrupted": n, "progressing": n}."""
    shown = {"interrupted": 0, "progressing": 0}
    while time.monotonic() - killed_at < bound:
        if job_row(job_path).get("attempts", 0) > killed_attempts:
            return time.monotonic() - killed_at, shown
        _, _, page = browser.call("GET", job_path)
        if time.monotonic() - killed_at > stale_seconds + 1 and job_row(job_path).get("attempts", 0) == killed_attempts:
            text = page.decode(errors="replace")
            shown["interrupted"] += INTERRUPTED_TEXT in text
            shown["progressing"] += '<progress max="100"' in text
        time.sleep(0.3)
    return None, shown


def django_ready() -> None:
    """Django set up with the cluster's settings, to read them and the cluster's database."""
    os.environ.update(cluster.app_environment())
    import django

    django.setup()


# --- own-writes ------------------------------------------------------------------------------------------

MONTH_LINK = re.compile(r'href="(/staff/entry/[\w-]+/\d{4}-\d{2}-\d{2}/)"')


def grid_fields(browser: Browser, path: str, port: int) -> dict[str, str]:
    from bench.load_client import GridForm

    form = GridForm()
    form.feed(browser.call("GET", path, port=port)[2].decode("utf-8"))
    return form.fields


def figure(fields: dict[str, str], name: str) -> int | None:
    try:
        return int(fields.get(name, "").replace(",", ""))
    except ValueError:
        return None


def grid_save(browser: Browser, path: str, fields: dict, port: int) -> tuple[int, str]:
    """POSTs the grid as the browser's form does (its version included); (status, problems listed)."""
    from bench.load_client import GridForm

    status, _, body = browser.call("POST", path, port=port, form=fields)
    answer = GridForm()
    answer.feed(body.decode("utf-8", errors="replace"))
    return status, "; ".join(p.strip() for p in answer.problems)


@drill("own-writes")
def own_writes(checks: Checks, *, reads: int = 10) -> None:
    writer, reader = cluster.APP_PORTS
    staff = Browser()
    checks.require(staff.login(*STAFF_LOGIN, port=writer), f"staff signs in on :{writer}")
    months = MONTH_LINK.findall(staff.call("GET", "/staff/entry/", port=writer)[2].decode())
    checks.require(bool(months), f"the entry board lists {len(months)} division-months")
    # The last month of the first division staff may enter (its inputs are there; the other divisions' grids
    # are read-only), filled as staff must (a blank 원인행위 takes the 지출액), and one line's 원인행위 one
    # thousand won above its 지출액: a figure that line may take, and one a stale read would not show.
    path, fields = "", {}
    for path in reversed(months):
        fields = grid_fields(staff, path, writer)
        if "rows-0-disbursements" in fields and fields["rows-0-disbursements"]:
            break
    checks.require("rows-0-disbursements" in fields, f"{path}: a month staff may enter, with figures")
    filled = dict(fields)
    for i in range(int(fields.get("rows-TOTAL_FORMS", "0"))):
        filled[f"rows-{i}-obligations"] = fields[f"rows-{i}-obligations"] or fields[f"rows-{i}-disbursements"]
    name = "rows-0-obligations"
    before, new = figure(filled, name), figure(filled, "rows-0-disbursements") + 1000
    if new == before:
        new += 1000
    try:
        status, problems = grid_save(staff, path, {**filled, name: str(new)}, writer)
        saved_at = time.monotonic()
        checks.require(status == 302, f"{path} {fields.get('rows-0-code')} 원인행위 {before:,} → {new:,} saved "
                                      f"through :{writer}: HTTP {status} {problems}")  # fmt: skip
        for port in (reader, cluster.NGINX_PORT):
            shown = figure(grid_fields(staff, path, port), name)
            checks.check(shown == new, f"read at once through :{port} "
                                       f"({time.monotonic() - saved_at:.2f} s after the save): {shown:,}")  # fmt: skip
    finally:  # the figure put back (a second save, recorded in the history as the first)
        fields = grid_fields(staff, path, writer)
        if figure(fields, name) != before:
            status, problems = grid_save(staff, path, {**fields, name: str(before)}, writer)
            checks.check(status == 302, f"the figure put back to {before:,}: HTTP {status} {problems}")

    # An anonymous client's own POST (Django's language switch, with its CSRF token): its next reads are the
    # primary's. Seen from PostgreSQL: the connections whose last query began after the reads started, on
    # each cluster (the health probes left out). Nothing else should read the cluster meanwhile.
    anonymous = Browser()
    token = anonymous.csrf_token()
    status, _, _ = anonymous.call("POST", "/i18n/setlang/", form={"language": "ko", "next": "/programs/",
                                                                  "csrfmiddlewaretoken": token})  # fmt: skip
    wrote = [c for c in anonymous.set_cookies if c.endswith("wrote")]
    checks.require(status == 302 and bool(wrote), f"an anonymous POST (language switch): HTTP {status}, "
                                                  f"sets {wrote or 'no wrote cookie'}")  # fmt: skip
    for with_cookie in (True, False):
        if not with_cookie:
            anonymous.cookies.pop(wrote[0])
        since = time.time()
        statuses = {anonymous.call("GET", page)[0] for page in ["/programs/", "/organisation/"] * (reads // 2)}
        on_replica, on_primary = page_readers(cluster.REPLICA_PORT, since), page_readers(cluster.PRIMARY_PORT, since)
        expected = (on_replica == 0 and bool(on_primary)) if with_cookie else bool(on_replica)
        checks.check(
            expected and statuses == {200},
            f"{reads} GETs {'with' if with_cookie else 'without'} the wrote cookie (HTTP {sorted(statuses)}): "
            f"connections that read: standby {on_replica}, primary {on_primary}",
        )


def settings_value(name: str):
    django_ready()
    from django.conf import settings

    return getattr(settings, name)


# --- the command -----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.drill", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("name", choices=sorted(DRILLS), help="the drill to run")
    args = parser.parse_args(argv)
    if cluster.http_status(cluster.URL) != 200 or any(gunicorn_pid(port) is None for port in cluster.APP_PORTS):
        print(f"The cluster is not up ({cluster.URL}): bin/cluster up first", file=sys.stderr)
        return 2
    checks = Checks()
    print(f"drill {args.name}", flush=True)
    try:
        DRILLS[args.name](checks)
    except DrillAborted:
        pass
    print(f"\n{len(checks.passed)} checks passed, {len(checks.failed)} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
