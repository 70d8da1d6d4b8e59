"""python -m bench.drill NAME: a failure drill on the topology of `bin/cluster up` (issue 20).

Each drill breaks one part on purpose while the portal is in use, prints one line per check (ok / FAIL)
and exits non-zero when a check failed. It puts back what it broke (a killed server is started again).
Run as root (it signals the processes bin/cluster started), with the cluster up:

    bin/cluster up && .venv/bin/python -m bench.drill graceful

A drill is a function taking a `Checks`, registered by name with `@drill("name")`:
  graceful  SIGTERM to one gunicorn with a request in flight: the request completes with 200, new
            connections are refused at once, the server exits within its graceful timeout.
  failover  SIGKILL to one gunicorn (master and workers) during a loop of public reads through nginx: the
            failed requests are counted and bounded, none fails once nginx has marked the server down,
            nginx sends it nothing during fail_timeout, and it serves again once restarted.
"""

import argparse
import http.client
import os
import re
import signal
import socket
import sys
import threading
import time
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
    os.environ.update(cluster.app_environment())
    import django

    django.setup()
    from programs.models import Program

    programs = Program.objects.order_by("pk")
    return (
        list(programs.values_list("slug", flat=True)),
        list(programs.filter(execution_rows__isnull=False).distinct().values_list("slug", flat=True)),
    )


@drill("failover")
def failover(checks: Checks, *, people: int = 6, seconds: float = 40, kill_at: float = 8, down_for: float = 5) -> None:
    from bench.load_client import LoadRunner, StaffLogin

    victim, other = cluster.APP_PORTS
    victim_addr, other_addr = f"127.0.0.1:{victim}", f"127.0.0.1:{other}"
    pid = gunicorn_pid(victim)
    checks.require(pid is not None and gunicorn_pid(other) is not None, f"both gunicorns run (:{victim} pid {pid})")
    checks.require(os.getpgid(pid) == pid, f"gunicorn :{victim} leads its own process group (master and workers)")
    programs, tabled = public_slugs()
    log_offset = (cluster.RUNTIME / "nginx" / "access.log").stat().st_size
    anonymous = StaffLogin(username="", division="", cookies={}, marker_code="", marker_cap=0)
    runner = LoadRunner(base_url=cluster.URL, staff=[anonymous] * people, programs=programs, tabled=tabled,
                        write_share=0.0, think=(0.1, 0.3))  # fmt: skip
    result = {}
    load = threading.Thread(target=lambda: result.update(run=runner.run(seconds)))
    note(f"{people} people read public pages through nginx :{cluster.NGINX_PORT} for {seconds:.0f} s; "
         f"gunicorn :{victim} is killed at {kill_at:.0f} s and started again {down_for:.0f} s later")  # fmt: skip
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
    samples = result["run"].samples
    lines = nginx_log_lines(log_offset)

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
