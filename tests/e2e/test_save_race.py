"""No lost update under real concurrency, on SQLite and PostgreSQL alike: 1,000 saves of monthly figures
race through gunicorn (3 processes × 4 threads, on a free loopback port) against a database of the test's
own (tests/databases.py: a file for SQLite, whose pytest database lives in memory out of gunicorn's reach;
a database on the same server for PostgreSQL), with the demo loaded by manage.py. Twenty client threads,
logged in through the login form, each read a month's version (five months of one division) and post a
save based on it (fresh, or deliberately one behind: stale); every save writes a value no other save
writes. Every acknowledged save (302) must be in the history exactly once, every refused one (400, a
conflict) not at all, no response may be another status (a 500 or a 503 from a locked database), and the
month's version must have gone up by exactly one per acknowledged save in it. What the server wrote is
read back from its database by `manage.py shell`."""

import datetime
import http.cookies
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.urls import reverse

from budget.services import caution_keys
from demo.logins import DEMO_LOGINS
from tests.databases import environment, manage, own_database

SAVES, CLIENTS = 1000, 20
MONTHS = [
    datetime.date(2022, 8, 31),
    datetime.date(2022, 9, 30),
    datetime.date(2022, 10, 31),
    datetime.date(2022, 11, 30),
    datetime.date(2022, 12, 31),
]
CODE = "PA-01"
ROOT = Path(__file__).resolve().parents[2]
# What the server wrote, per month: the disbursements of every history row of the line, the month's version
# and the versions in its history, and the line's figure now.
WRITTEN = """
import datetime, json
from budget.models import DivisionMonth, ExecutionSnapshot
result = {}
for as_of in %(months)r:
    month = DivisionMonth.objects.get(division__code="participation", as_of=as_of)
    snapshot = dict(budget_line__code=%(code)r, budget_line__fiscal_year=2022, as_of=as_of)
    result[as_of.isoformat()] = {
        "history": list(ExecutionSnapshot.history.filter(**snapshot).values_list("disbursements", flat=True)),
        "version": month.version,
        "versions": sorted(month.history.values_list("version", flat=True)),
        "last": ExecutionSnapshot.objects.get(**snapshot).disbursements,
    }
print(json.dumps(result))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str  # where gunicorn listens
    database: str  # its DATABASE_URL


@pytest.fixture
def gunicorn(tmp_path):
    database = own_database(tmp_path, "save_race")
    manage(database, "migrate", "-v", "0")
    manage(database, "load_demo")
    manage(database, "demo_users")
    port, log = (
        free_port(),
        open(tmp_path / "gunicorn.log", "w+b"),
    )  # a pipe nobody reads would fill and block the workers
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "civicbureau.wsgi", "--workers", "3", "--threads", "4", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=environment(database, DEBUG="0", CONN_MAX_AGE="0"), stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=10)
            break
        except OSError:  # refused while starting; a first page may be slow on a busy machine
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
    yield Server(url, database)
    server.terminate()
    server.wait(timeout=30)
    log.close()
    errors = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in errors, errors[-3000:]


def test_a_thousand_racing_saves_lose_none(gunicorn):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    token = _get_new_csrf_string()
    cookies = {settings.CSRF_COOKIE_NAME: token}

    def request(page, data=None) -> tuple[int, str]:
        req = urllib.request.Request(
            page, data=data, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        )
        try:
            with opener.open(req, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            for header in (
                error.headers.get_all("Set-Cookie") or []
            ):  # the login's session (its new CSRF cookie is not needed)
                session = http.cookies.SimpleCookie(header).get(settings.SESSION_COOKIE_NAME)
                if session is not None:
                    cookies[settings.SESSION_COOKIE_NAME] = session.value
            return error.code, error.read().decode()

    staff = next(login for login in DEMO_LOGINS if login.username == "staff")
    login = {"csrfmiddlewaretoken": token, "username": staff.username, "password": staff.password}
    assert request(gunicorn.url + reverse("login"), urllib.parse.urlencode(login).encode())[0] == 302
    assert settings.SESSION_COOKIE_NAME in cookies
    pages = [gunicorn.url + reverse("budget:month_detail", args=["participation", as_of]) for as_of in MONTHS]

    def save(n: int) -> tuple[int, int]:
        page = pages[n % len(MONTHS)]
        status, body = request(page)
        assert status == 200, status
        version = int(re.search(r'name="version" value="(\d+)"', body).group(1))
        if n % 4 == 0 and version > 0:
            version -= 1  # stale on purpose
        value = 1_000 + n  # no two saves write the same figure
        form = {
            "csrfmiddlewaretoken": token,
            "version": version,
            "rows-TOTAL_FORMS": 1,
            "rows-INITIAL_FORMS": 0,
            "rows-MIN_NUM_FORMS": 0,
            "rows-MAX_NUM_FORMS": 1000,
            "rows-0-code": CODE,
            "rows-0-obligations": value,
            "rows-0-disbursements": value,
            "confirm": caution_keys(CODE),
        }  # fmt: skip  (the cautions a value far from last month's raises, read)
        status, _ = request(page, urllib.parse.urlencode(form, doseq=True).encode())
        return n, status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(save, range(SAVES)))
    elapsed = time.perf_counter() - started
    acknowledged = {n for n, status in results if status == 302}
    refused = {n for n, status in results if status == 400}
    others = Counter(status for _, status in results if status not in (302, 400))
    assert len(results) == SAVES and not others, (
        f"responses neither saved nor refused as a conflict (status: count): {dict(others)}"
    )
    written = json.loads(
        manage(gunicorn.database, "shell", "-c", WRITTEN % {"months": MONTHS, "code": CODE})
        .stdout.strip()
        .splitlines()[-1]
    )
    for index, as_of in enumerate(MONTHS):
        acked_here = {n for n in acknowledged if n % len(MONTHS) == index}
        month = written[as_of.isoformat()]
        assert sorted(v - 1_000 for v in month["history"]) == sorted(acked_here), (
            f"{as_of}: an acknowledged save is missing or doubled, or a refused one was written"
        )
        assert month["version"] == len(acked_here) > 0
        assert month["versions"] == list(range(1, len(acked_here) + 1))
        assert month["last"] - 1_000 in acked_here
    vendor = "SQLite" if gunicorn.database.startswith("sqlite") else "PostgreSQL"
    print(
        f"\n{vendor}: {SAVES} racing saves in {elapsed:.1f} s: {len(acknowledged)} acknowledged (each once in the history), "
        f"{len(refused)} refused as conflicts, 0 lost, 0 doubled, 0 other responses"
    )
