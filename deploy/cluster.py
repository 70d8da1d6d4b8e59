"""bin/cluster up|down|status: the whole topology of issue 20 on one machine, for tests and for a newcomer.

    nginx :8080 ─┬─ gunicorn :8001 ─┐               ┌─ PostgreSQL primary :5432 (cluster 15/main, database
                 └─ gunicorn :8002 ─┼─ Redis :6390 ─┤     civicbureau_cluster) ── streaming ──▶ hot standby
              Celery worker (if civicbureau/celery.py exists)   :5433 (cluster 15/replica, pg_basebackup -R)

Run as root (it starts PostgreSQL clusters and reads their files). Every process is started in a session of
its own, so it outlives this script; its pid, log and configuration are in the runtime directory
(var/cluster/, or CLUSTER_DIR), which also keeps the SECRET_KEY (made once) and Redis's append-only file.
`up` starts only what is not running (twice is harmless); `down` stops everything gracefully but the
primary, which is the machine's main cluster and serves others, and keeps the data.
"""

import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster"))
PYTHON_BIN = ROOT / ".venv" / "bin"

NGINX_PORT = 8080
APP_PORTS = (8001, 8002)
REDIS_PORT = 6390
PRIMARY_PORT, REPLICA_PORT = 5432, 5433
PG_VERSION = "15"
PRIMARY_CLUSTER, REPLICA_CLUSTER = "main", "replica"
DATABASE = "civicbureau_cluster"
PG_PASSWORD = "postgres"  # this machine's development cluster (.ci/run sets it); never a production password
REPLICA_NAME = "civicbureau_replica"  # application_name of the standby in pg_stat_replication, and its slot
REPLICA_SLOT_KEEP = "2GB"  # the most WAL the primary keeps for a standby that is not there
REPLICA_STREAM_SECONDS = 30  # a standby started must stream within this, or it is made again

# Two gunicorns on a 2-core machine: 2 processes × 4 threads each. A page spends part of its time waiting for
# PostgreSQL, so threads keep the cores busy; more processes would only compete for the same two cores.
WORKERS, THREADS = 2, 4
TIMEOUT = 60  # a worker stuck this long is restarted (nginx's proxy_read_timeout is above it)
GRACEFUL_TIMEOUT = 30  # on SIGTERM, requests in flight get this long to finish

URL = f"http://127.0.0.1:{NGINX_PORT}/"
PRIMARY_URL = f"postgres://postgres:{PG_PASSWORD}@127.0.0.1:{PRIMARY_PORT}/{DATABASE}"
REPLICA_URL = f"postgres://postgres:{PG_PASSWORD}@127.0.0.1:{REPLICA_PORT}/{DATABASE}"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"


class ClusterError(Exception):
    pass


class Template(string.Template):
    delimiter = "@"  # nginx uses $ for its own variables


# --- small helpers ----------------------------------------------------------------------------------------


def say(text: str) -> None:
    print(text, flush=True)


def run(command: list, *, env: dict | None = None, cwd: Path = ROOT) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise ClusterError(f"{' '.join(map(str, command))} failed:\n{(result.stderr or result.stdout).strip()[-3000:]}")
    return result.stdout


def as_postgres(command: list) -> list:
    return ["runuser", "-u", "postgres", "--", *command]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_for(check, what: str, *, seconds: float = 60, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    tail = f"\n--- {log} ---\n{log.read_text(errors='replace')[-3000:]}" if log and log.exists() else ""
    raise ClusterError(f"{what} did not answer within {seconds:.0f} s{tail}")


def pid_from(path: Path) -> int | None:
    """The pid in a pid file, if that process is alive (a zombie, killed and not yet reaped, is not)."""
    try:
        pid = int(path.read_text().split()[0])
        os.kill(pid, 0)
    except PermissionError:  # alive, someone else's (status run without root)
        return pid
    except (OSError, ValueError, IndexError):
        return None
    return None if zombie(pid) else pid


def zombie(pid: int) -> bool:
    try:  # /proc/<pid>/stat: "pid (name) state …"; the name may hold spaces and parentheses
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def stop_pid(pid: int | None, what: str, *, sig=signal.SIGTERM, seconds: float = 30) -> None:
    if pid is None:
        say(f"  {what}: not running")
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            say(f"  {what}: stopped (pid {pid})")
            return
        time.sleep(0.2)
    raise ClusterError(f"{what} (pid {pid}) did not stop within {seconds:.0f} s")


def http_status(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def render(template: str, target: Path, *, runtime: Path | None = None, nginx_port: int = NGINX_PORT,
           app_ports: tuple[int, int] = APP_PORTS) -> Path:  # fmt: skip
    text = Template((ROOT / "deploy" / template).read_text()).substitute(
        runtime=runtime or RUNTIME,
        nginx_port=nginx_port,
        app_port_1=app_ports[0],
        app_port_2=app_ports[1],
        redis_port=REDIS_PORT,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


# --- the environment of the app servers and the worker ---------------------------------------------------


def secret_key() -> str:
    """Made once and kept: sessions and signed tokens stay valid across `down` and `up`."""
    path = RUNTIME / "secret_key"
    if not path.exists():
        RUNTIME.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def app_environment() -> dict:
    """The contract's variables (issue 20) for the production settings, served over plain HTTP on loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civicbureau.production",
        "DATABASE_URL": PRIMARY_URL,
        "DATABASE_REPLICA_URL": REPLICA_URL,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secret_key(),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXIES": "127.0.0.1",  # nginx: its X-Forwarded-For names the person (civicbureau.security)
        "SECURE_SSL_REDIRECT": "0",  # no TLS on loopback; everything else as in production
        "SITE_URL": URL.rstrip("/"),
        "CONN_MAX_AGE": "60",
        "PYTHONPATH": str(ROOT),
    }


def manage(*args: str) -> str:
    return run([PYTHON_BIN / "python", "manage.py", *args], env=app_environment())


# --- PostgreSQL ------------------------------------------------------------------------------------------


def pg_cluster(name: str) -> dict | None:
    """pg_lsclusters' row of one cluster: port, status, data directory; None when it does not exist."""
    for line in run(["pg_lsclusters", "-h"]).splitlines():
        fields = line.split()
        if fields[:2] == [PG_VERSION, name]:
            return {"port": int(fields[2]), "online": fields[3].startswith("online"), "data": Path(fields[5])}
    return None


def postmaster_pid(data: Path) -> int | str | None:
    """The cluster's pid; "?" when it runs but its data directory is not readable (status without root)."""
    try:
        return pid_from(data / "postmaster.pid") if os.access(data, os.R_OK) else "?"
    except PermissionError:
        return "?"


def pg_connect(port: int = PRIMARY_PORT, dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", password=PG_PASSWORD, dbname=dbname, autocommit=True,
        connect_timeout=3,
    )  # fmt: skip


def pg_ready(port: int) -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0


def primary_up() -> None:
    cluster = pg_cluster(PRIMARY_CLUSTER)
    if cluster is None:
        raise ClusterError(f"PostgreSQL {PG_VERSION}/{PRIMARY_CLUSTER} does not exist (apt-get install postgresql)")
    if not cluster["online"]:
        run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PRIMARY_CLUSTER, "start"])
    wait_for(lambda: pg_ready(PRIMARY_PORT), f"PostgreSQL primary :{PRIMARY_PORT}")


def database_up() -> None:
    """The database exists, is migrated, and holds the demo (loaded once, when it is empty)."""
    with pg_connect() as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
            say(f"  created the database {DATABASE}")
    manage("migrate", "--noinput", "-v", "0")
    manage("createcachetable")  # the production settings' database cache (unused once REDIS_URL's cache is on)
    with pg_connect(dbname=DATABASE) as conn:
        empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM staffing_bureau)").fetchone()[0]
    if empty:
        say("  loading the demo (the 2022 report) and its logins…")
        manage("load_demo")
        say(manage("demo_users").rstrip())
    manage("collectstatic", "--noinput", "-v", "0")  # WhiteNoise's manifest


def replication_allowed() -> None:
    """The primary lets the standby stream from loopback: one pg_hba line, added only if none is there."""
    hba = Path(run(as_postgres(["psql", "-tAc", "SHOW hba_file"])).strip())
    for line in hba.read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if fields[:2] == ["host", "replication"] and fields[3:4] == ["127.0.0.1/32"]:
            return
    with hba.open("a") as f:
        f.write(
            "# bin/cluster: the standby streams from loopback\nhost replication postgres 127.0.0.1/32 scram-sha-256\n"
        )
    run(as_postgres(["psql", "-qc", "SELECT pg_reload_conf()"]))
    say(f"  added a replication line for 127.0.0.1 to {hba}")


def replication_slot_fresh() -> None:
    """The primary keeps the WAL its standby has not received yet in a replication slot (so a standby stopped
    for a while catches up when started again), at most REPLICA_SLOT_KEEP of it (so a standby gone for good
    never fills the primary's disk: past that the slot is lost and `up` makes the standby again). A slot
    left by an earlier standby is dropped: the new copy starts from now."""
    with pg_connect() as conn:
        conn.autocommit = True
        conn.execute(f"ALTER SYSTEM SET max_slot_wal_keep_size = '{REPLICA_SLOT_KEEP}'")
        conn.execute("SELECT pg_reload_conf()")
        conn.execute(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s", [REPLICA_NAME]
        )


def replica_create() -> None:
    """A second cluster on REPLICA_PORT, a copy of the primary made by pg_basebackup -R (standby.signal and
    primary_conninfo written for it) with its replication slot, streaming from then on. A failed copy leaves
    no half-made cluster."""
    replication_allowed()
    replication_slot_fresh()
    run(["pg_createcluster", PG_VERSION, REPLICA_CLUSTER, "--port", str(REPLICA_PORT)])
    data = pg_cluster(REPLICA_CLUSTER)["data"]
    try:
        shutil.rmtree(data)
        conninfo = (
            f"host=127.0.0.1 port={PRIMARY_PORT} user=postgres password={PG_PASSWORD} application_name={REPLICA_NAME}"
        )
        say(f"  copying the primary into {data} (pg_basebackup -R)…")
        run(
            as_postgres(
                ["pg_basebackup", "-D", str(data), "-R", "-X", "stream", "-C", "-S", REPLICA_NAME, "-c", "fast"]
                + ["-d", conninfo]
            )
        )
        run(["pg_conftool", PG_VERSION, REPLICA_CLUSTER, "set", "hot_standby", "on"])
    except ClusterError:
        subprocess.run(["pg_dropcluster", PG_VERSION, REPLICA_CLUSTER])
        raise


def replica_up() -> None:
    if pg_cluster(REPLICA_CLUSTER) is None:
        replica_create()
    replica_start()
    deadline = time.monotonic() + REPLICA_STREAM_SECONDS
    while replication_state() is None:
        if time.monotonic() > deadline:  # e.g. a standby older than its slot: the WAL it needs is gone
            say(f"  the standby does not stream within {REPLICA_STREAM_SECONDS} s: making it again from the primary…")
            run(["pg_dropcluster", "--stop", PG_VERSION, REPLICA_CLUSTER])
            replica_create()
            replica_start()
            wait_for(lambda: replication_state() is not None, "the standby's streaming", seconds=REPLICA_STREAM_SECONDS)
            return
        time.sleep(0.5)


def replica_start() -> None:
    if not pg_cluster(REPLICA_CLUSTER)["online"]:
        run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, REPLICA_CLUSTER, "start"])
    wait_for(lambda: pg_ready(REPLICA_PORT), f"PostgreSQL replica :{REPLICA_PORT}")


def replication_state() -> dict | None:
    """The standby as the primary sees it (pg_stat_replication), None when it is not streaming."""
    try:
        with pg_connect() as conn:
            row = conn.execute(
                "SELECT state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
                "EXTRACT(EPOCH FROM replay_lag) FROM pg_stat_replication WHERE application_name = %s",
                [REPLICA_NAME],
            ).fetchone()
    except Exception:  # the primary is down: no replication to report
        return None
    if row is None:
        return None
    state, behind, lag = row
    return {"state": state, "bytes_behind": int(behind or 0), "replay_lag_seconds": float(lag or 0)}


# --- Redis, gunicorn, the worker, nginx ------------------------------------------------------------------

REDIS_PID = RUNTIME / "redis" / "redis.pid"
NGINX_PID = RUNTIME / "nginx" / "nginx.pid"
WORKER_PID = RUNTIME / "worker.pid"


def redis_ping() -> bool:
    result = subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True)
    return result.stdout.strip() == "PONG"


def redis_up() -> None:
    if pid_from(REDIS_PID) and redis_ping():
        return
    conf = render("redis.conf", RUNTIME / "redis" / "redis.conf")
    run(["redis-server", str(conf)])
    wait_for(redis_ping, f"Redis :{REDIS_PORT}", log=RUNTIME / "redis" / "redis.log")


def gunicorn_pid_file(port: int) -> Path:
    return RUNTIME / f"gunicorn-{port}.pid"


def gunicorn_log(port: int) -> Path:
    return RUNTIME / f"gunicorn-{port}.log"


def control_socket(port: int) -> list:
    """gunicorn ≥ 24 opens a control socket, by default one path for every instance of the user (the second
    server would take the first one's): each server gets its own in the runtime directory."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket" for setting in KNOWN_SETTINGS):
        return ["--control-socket", RUNTIME / f"gunicorn-{port}.ctl"]
    return []


def gunicorn_up(port: int) -> None:
    """One app server, in a session of its own (so that the whole group can be killed: a drill does)."""
    if pid_from(gunicorn_pid_file(port)) is None:
        command = [PYTHON_BIN / "gunicorn", "civicbureau.wsgi", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(WORKERS), "--threads", str(THREADS), "--worker-class", "deploy.gunicorn_worker.DrainingThreadWorker",
                   "--timeout", str(TIMEOUT), "--graceful-timeout", str(GRACEFUL_TIMEOUT), "--keep-alive", "5",
                   "--pid", gunicorn_pid_file(port), "--log-level", "info", *control_socket(port)]  # fmt: skip
        with gunicorn_log(port).open("ab") as log:
            subprocess.Popen(command, cwd=ROOT, env=app_environment(), stdin=subprocess.DEVNULL,
                             stdout=log, stderr=log, start_new_session=True)  # fmt: skip
    wait_for(lambda: http_status(f"http://127.0.0.1:{port}/") == 200, f"gunicorn :{port}", log=gunicorn_log(port))


def worker_configured() -> bool:
    return (ROOT / "civicbureau" / "celery.py").exists()


def worker_up() -> None:
    if not worker_configured() or pid_from(WORKER_PID):
        return
    if not (PYTHON_BIN / "celery").exists():
        raise ClusterError("civicbureau/celery.py exists but Celery is not installed: .venv/bin/pip install -e .")
    log = RUNTIME / "worker.log"
    start = log.stat().st_size if log.exists() else 0
    command = [PYTHON_BIN / "celery", "-A", "civicbureau", "worker", "--concurrency", "1", "--loglevel", "info",
               "--pidfile", WORKER_PID, "--logfile", log]  # fmt: skip
    with (RUNTIME / "worker.out").open("ab") as out:
        subprocess.Popen(command, cwd=ROOT, env=app_environment(), stdin=subprocess.DEVNULL,
                         stdout=out, stderr=out, start_new_session=True)  # fmt: skip

    def ready() -> bool:
        return log.exists() and b" ready." in log.read_bytes()[start:]

    wait_for(ready, "the Celery worker", log=RUNTIME / "worker.out")


def nginx_up(*, runtime: Path | None = None, port: int = NGINX_PORT, app_ports: tuple[int, int] = APP_PORTS) -> None:
    """nginx in front of two app servers (the cluster's, or python -m bench.load --cluster's own)."""
    runtime = runtime or RUNTIME
    home = runtime / "nginx"
    conf = render("nginx.conf", home / "nginx.conf", runtime=runtime, nginx_port=port, app_ports=app_ports)
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        path = home / "temp" / temp
        path.mkdir(parents=True, exist_ok=True)
        shutil.chown(path, "nobody", "nogroup")  # a large upload is buffered there by a worker (user nobody)
    prefix = ["nginx", "-p", f"{home}/", "-e", str(home / "error.log"), "-c", str(conf)]
    run([*prefix, "-t"])
    if pid_from(home / "nginx.pid"):
        run([*prefix, "-s", "reload"])  # the template may have changed; the running connections finish
    else:
        run(prefix)
    wait_for(lambda: http_status(f"http://127.0.0.1:{port}/") == 200, f"nginx :{port}", log=home / "error.log")


# --- the commands ----------------------------------------------------------------------------------------


def up() -> None:
    if os.geteuid() != 0:
        raise ClusterError("bin/cluster starts PostgreSQL clusters: run it as root")
    RUNTIME.mkdir(parents=True, exist_ok=True)
    steps = [
        (f"PostgreSQL primary :{PRIMARY_PORT}", primary_up),
        (f"database {DATABASE} (migrate, demo, collectstatic)", database_up),
        (f"PostgreSQL replica :{REPLICA_PORT}", replica_up),
        (f"Redis :{REDIS_PORT}", redis_up),
        *[(f"gunicorn :{port}", lambda port=port: gunicorn_up(port)) for port in APP_PORTS],
        ("Celery worker" if worker_configured() else "Celery worker: no civicbureau/celery.py, skipped", worker_up),
        (f"nginx :{NGINX_PORT}", nginx_up),
    ]
    for what, step in steps:
        say(f"· {what}")
        step()
    say("")
    status()


def down() -> None:
    say(f"· nginx :{NGINX_PORT}")
    stop_pid(pid_from(NGINX_PID), "nginx", sig=signal.SIGQUIT)  # graceful: open requests are finished
    for port in APP_PORTS:
        say(f"· gunicorn :{port}")
        stop_pid(pid_from(gunicorn_pid_file(port)), "gunicorn", seconds=GRACEFUL_TIMEOUT + 10)
    say("· Celery worker")
    stop_pid(pid_from(WORKER_PID), "worker", seconds=GRACEFUL_TIMEOUT + 10)  # warm shutdown: the job finishes
    say(f"· Redis :{REDIS_PORT}")
    stop_pid(pid_from(REDIS_PID), "redis")  # SIGTERM: Redis flushes its append-only file and exits
    say(f"· PostgreSQL replica :{REPLICA_PORT}")
    replica = pg_cluster(REPLICA_CLUSTER)
    if replica and replica["online"]:
        run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, REPLICA_CLUSTER, "stop"])
        say("  replica: stopped (its data is kept)")
    else:
        say("  replica: not running")
    say(f"· PostgreSQL primary :{PRIMARY_PORT}: left running (the machine's main cluster; other databases use it)")


def parts() -> list[dict]:
    """Each part: name, port, pid (None when down), and a detail."""
    primary, replica = pg_cluster(PRIMARY_CLUSTER), pg_cluster(REPLICA_CLUSTER)
    rows = [
        {"name": "PostgreSQL primary", "port": PRIMARY_PORT,
         "pid": postmaster_pid(primary["data"]) if primary and primary["online"] else None,
         "detail": f"database {DATABASE}"},
    ]  # fmt: skip
    state = replication_state()
    if state:
        lag = f"{state['state']}, {state['bytes_behind']} bytes behind, replay lag {state['replay_lag_seconds']:.3f} s"
    else:
        lag = "not streaming" if replica else f"not created (bin/cluster up makes it: {PG_VERSION}/{REPLICA_CLUSTER})"
    rows.append({"name": "PostgreSQL replica", "port": REPLICA_PORT,
                 "pid": postmaster_pid(replica["data"]) if replica and replica["online"] else None, "detail": lag})  # fmt: skip
    redis_pid = pid_from(REDIS_PID)
    rows.append({"name": "Redis", "port": REDIS_PORT, "pid": redis_pid if redis_pid and redis_ping() else None,
                 "detail": "append-only file in " + str(RUNTIME / "redis")})  # fmt: skip
    for port in APP_PORTS:
        pid = pid_from(gunicorn_pid_file(port))
        answer = http_status(f"http://127.0.0.1:{port}/") if pid else 0
        rows.append({"name": "gunicorn", "port": port, "pid": pid if answer == 200 else None,
                     "detail": f"{WORKERS} workers × {THREADS} threads, GET / → {answer or 'no answer'}"})  # fmt: skip
    if worker_configured():
        rows.append({"name": "Celery worker", "port": None, "pid": pid_from(WORKER_PID), "detail": "concurrency 1"})
    else:
        rows.append({"name": "Celery worker", "port": None, "pid": None, "detail": "not configured (no civicbureau/celery.py)",
                     "optional": True})  # fmt: skip
    pid = pid_from(NGINX_PID)
    health = http_status(URL + "healthz") if pid else 0
    rows.append({"name": "nginx", "port": NGINX_PORT, "pid": pid if pid and http_status(URL) == 200 else None,
                 "detail": f"/healthz → {health or 'no answer'}"})  # fmt: skip
    return rows


def status() -> bool:
    rows = parts()
    for row in rows:
        state = "up" if row["pid"] else ("-" if row.get("optional") else "down")
        port = f":{row['port']}" if row["port"] else ""
        say(f"{row['name']:<20} {port:<6} {state:<5} pid {row['pid'] or '-':<8} {row['detail']}")
    running = all(row["pid"] or row.get("optional") for row in rows)
    say(f"\nOpen {URL}" if running else f"\nNot all running ({URL} once it is): bin/cluster up")
    return running


def main(argv: list[str]) -> int:
    commands = {"up": up, "down": down, "status": status}
    if len(argv) != 1 or argv[0] not in commands:
        say("usage: bin/cluster up|down|status")
        return 2
    try:
        result = commands[argv[0]]()
    except ClusterError as exc:
        print(f"bin/cluster {argv[0]}: {exc}", file=sys.stderr)
        return 1
    return 0 if result is not False else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
