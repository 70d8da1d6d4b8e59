"""bin/cluster's pieces that need no cluster: the configuration templates, the pid files, the drills'
registry and the reading of nginx's access log (the drills themselves run against `bin/cluster up`)."""

import datetime
import os
import re
import subprocess

import pytest

from bench import drill
from deploy import cluster


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "RUNTIME", tmp_path)
    return tmp_path


def test_nginx_template_renders_every_placeholder(runtime):
    text = cluster.render("nginx.conf", runtime / "nginx" / "nginx.conf").read_text()
    assert re.findall(r"@\w+", text) == []
    upstream = text[text.index("upstream civicbureau {") : text.index("}", text.index("upstream civicbureau {"))]
    assert re.findall(r"server (\S+) max_fails=1 fail_timeout=10s;", upstream) == ["127.0.0.1:8001", "127.0.0.1:8002"]
    assert "listen 127.0.0.1:8080;" in text
    assert f"pid {runtime}/nginx/nginx.pid;" in text
    # Idempotent requests only are retried: nginx must not be told to resend a POST.
    directives = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    assert re.findall(r"proxy_next_upstream [^;]*;", directives) == ["proxy_next_upstream error timeout http_502;"]


def test_redis_template_keeps_queued_jobs(runtime):
    text = cluster.render("redis.conf", runtime / "redis" / "redis.conf").read_text()
    settings = dict(line.split(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    assert settings["port"] == "6390"
    assert settings["appendonly"] == "yes"
    assert settings["maxmemory-policy"] == "noeviction"
    assert settings["dir"] == str(runtime / "redis")


def test_secret_key_is_made_once_and_kept_private(runtime):
    first = cluster.secret_key()
    assert len(first) >= 50
    assert cluster.secret_key() == first
    assert (runtime / "secret_key").stat().st_mode & 0o077 == 0


def test_app_environment_follows_the_contract(runtime):
    env = cluster.app_environment()
    assert env["DATABASE_URL"].endswith("@127.0.0.1:5432/civicbureau_cluster")
    assert env["DATABASE_REPLICA_URL"].endswith("@127.0.0.1:5433/civicbureau_cluster")
    assert env["REDIS_URL"] == "redis://127.0.0.1:6390/0"
    assert env["DJANGO_SETTINGS_MODULE"] == "civicbureau.production"
    assert (env["DEBUG"], env["SECRET_KEY"]) == ("0", cluster.secret_key())


def test_pid_from_reads_only_a_live_process(tmp_path):
    path = tmp_path / "x.pid"
    assert cluster.pid_from(path) is None
    path.write_text(f"{os.getpid()}\n")
    assert cluster.pid_from(path) == os.getpid()
    path.write_text("2147483646\n")  # above any pid_max: no such process
    assert cluster.pid_from(path) is None
    path.write_text("garbage")
    assert cluster.pid_from(path) is None


def test_a_killed_process_not_yet_reaped_is_not_running(tmp_path):
    """A worker killed by the drill stays a zombie until its parent reaps it: bin/cluster must start another."""
    child = subprocess.Popen(["sleep", "60"])
    path = tmp_path / "worker.pid"
    path.write_text(f"{child.pid}\n")
    assert cluster.pid_from(path) == child.pid
    child.kill()
    assert drill.wait_until(lambda: cluster.zombie(child.pid), 5)  # killed, not reaped (no wait() yet)
    assert cluster.pid_from(path) is None
    child.wait()


def test_drills_are_registered_by_name():
    assert {"graceful", "failover", "replica", "redis", "worker", "own-writes"} <= set(drill.DRILLS)
    with pytest.raises(SystemExit) as exit_:
        drill.main(["no-such-drill"])
    assert exit_.value.code == 2


def test_checks_count_failures():
    checks = drill.Checks()
    checks.check(True, "fine")
    checks.check(False, "broken")
    assert (checks.passed, checks.failed) == (["fine"], ["broken"])
    with pytest.raises(drill.DrillAborted):
        checks.require(False, "needed")


def test_nginx_log_lines_give_when_each_request_came_and_the_servers_tried(runtime):
    log = runtime / "nginx" / "access.log"
    log.parent.mkdir()
    old = '1796174300.000 200 "GET / HTTP/1.1" upstream=127.0.0.1:8002 upstream_status=200 request_time=0.010\n'
    log.write_text(
        old
        + '1796174305.695 200 "GET /a b HTTP/1.1" upstream=127.0.0.1:8001, 127.0.0.1:8002 upstream_status=502, 200 request_time=0.139\n'
        + '1796174323.837 200 "GET /x HTTP/1.1" upstream=127.0.0.1:8001 upstream_status=200 request_time=7.813\n'
    )
    lines = drill.nginx_log_lines(len(old))
    assert [(round(came, 3), round(ended, 3), status, upstreams) for came, ended, status, upstreams in lines] == [
        (1796174305.556, 1796174305.695, 200, ["127.0.0.1:8001", "127.0.0.1:8002"]),
        (1796174316.024, 1796174323.837, 200, ["127.0.0.1:8001"]),
    ]


class FakeListener:
    closed = False

    def close(self):
        self.closed = True


def test_draining_worker_closes_its_listeners_in_its_loop_on_sigterm():
    from deploy.gunicorn_worker import DrainingThreadWorker

    deferred = []
    worker = object.__new__(DrainingThreadWorker)  # no arbiter: only what SIGTERM touches
    worker.alive, worker._accepting, worker.sockets = True, False, [FakeListener(), FakeListener()]
    worker.method_queue = type("Queue", (), {"defer": lambda self, callback: deferred.append(callback)})()
    worker.handle_exit(15, None)
    assert worker.alive is False
    assert not any(listener.closed for listener in worker.sockets)  # not in the signal handler: in the loop
    for callback in deferred:
        callback()
    assert all(listener.closed for listener in worker.sockets)


def test_grid_figures_are_read_with_their_thousands_separators():
    fields = {"rows-0-obligations": "83,765,000", "rows-0-disbursements": ""}
    assert drill.figure(fields, "rows-0-obligations") == 83_765_000
    assert drill.figure(fields, "rows-0-disbursements") is None
    assert drill.figure(fields, "rows-9-obligations") is None


def test_unused_dates_are_consecutive_days_from_july_2022():
    dates = drill.unused_dates(3)
    first = datetime.date.fromisoformat(dates[0])
    assert dates == [(first + datetime.timedelta(days=d)).isoformat() for d in range(3)]
    assert datetime.date(2022, 7, 1) <= first <= datetime.date(2022, 11, 28)
