"""No lost update under real concurrency: 1,000 saves of monthly figures race through gunicorn (3
processes × 4 threads, on a free loopback port) against the test database. Twenty client threads each
read a month's version (five months of one division) and post a save based on it (fresh, or deliberately one behind: stale); every
save writes a value no other save writes. Every acknowledged save (302) must be in the history exactly
once, every refused one (400, a conflict) not at all, and the month's version must have gone up by
exactly one per acknowledged save in it. PostgreSQL only: the test database of SQLite lives in memory, out of
the server processes' reach (the service's locking on SQLite is covered by tests/budget/test_entry.py)."""

import datetime
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from budget.models import DivisionMonth, ExecutionSnapshot
from civicbureau.demo import demo_users_ensure, load_demo

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql_only]

SAVES, CLIENTS = 1000, 20
MONTHS = [datetime.date(2022, 8, 31), datetime.date(2022, 9, 30), datetime.date(2022, 10, 31), datetime.date(2022, 11, 30), datetime.date(2022, 12, 31)]
CODE = "PA-01"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{urllib.parse.quote(db['PASSWORD'])}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def gunicorn(tmp_path):
    assert connection.vendor == "postgresql", "collected on PostgreSQL only (tests/conftest.py)"
    load_demo()
    demo_users_ensure()
    port, log = free_port(), open(tmp_path / "gunicorn.log", "w+b")  # a pipe nobody reads would fill and block the workers
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "civicbureau.settings", "DEBUG": "0", "CONN_MAX_AGE": "0"}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "civicbureau.wsgi", "--workers", "3", "--threads", "4", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
    yield url
    server.terminate()
    server.wait(timeout=30)
    log.close()


def test_a_thousand_racing_saves_lose_none(gunicorn):
    client = Client()
    client.force_login(get_user_model().objects.get(username="staff"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    token = _get_new_csrf_string()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
    pages = [gunicorn + reverse("budget:month_detail", args=["participation", as_of]) for as_of in MONTHS]

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def request(page, data=None) -> tuple[int, str]:
        req = urllib.request.Request(page, data=data, headers={"Cookie": cookie})
        try:
            with opener.open(req, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def save(n: int) -> tuple[int, int]:
        page = pages[n % len(MONTHS)]
        status, body = request(page)
        assert status == 200, status
        version = int(re.search(r'name="version" value="(\d+)"', body).group(1))
        if n % 4 == 0 and version > 0:
            version -= 1  # stale on purpose
        value = 1_000 + n  # no two saves write the same figure
        form = {"csrfmiddlewaretoken": token, "version": version, "rows-TOTAL_FORMS": 1, "rows-INITIAL_FORMS": 0, "rows-MIN_NUM_FORMS": 0,
                "rows-MAX_NUM_FORMS": 1000, "rows-0-code": CODE, "rows-0-obligations": value, "rows-0-disbursements": value}  # fmt: skip
        status, _ = request(page, urllib.parse.urlencode(form).encode())
        return n, status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(save, range(SAVES)))
    elapsed = time.perf_counter() - started
    acknowledged = {n for n, status in results if status == 302}
    refused = {n for n, status in results if status == 400}
    assert len(results) == SAVES and acknowledged | refused == set(range(SAVES)), {s for _, s in results} - {302, 400}
    for index, as_of in enumerate(MONTHS):
        acked_here = {n for n in acknowledged if n % len(MONTHS) == index}
        history = ExecutionSnapshot.history.filter(budget_line__code=CODE, budget_line__fiscal_year=2022, as_of=as_of)
        written = [v - 1_000 for v in history.values_list("disbursements", flat=True)]
        assert sorted(written) == sorted(acked_here), f"{as_of}: an acknowledged save is missing or doubled, or a refused one was written"
        month = DivisionMonth.objects.get(division__code="participation", as_of=as_of)
        assert month.version == len(acked_here) > 0
        assert sorted(month.history.values_list("version", flat=True)) == list(range(1, len(acked_here) + 1))
        last = ExecutionSnapshot.objects.get(budget_line__code=CODE, budget_line__fiscal_year=2022, as_of=as_of)
        assert last.disbursements - 1_000 in acked_here
    print(f"\n{SAVES} racing saves in {elapsed:.1f} s: {len(acknowledged)} acknowledged (each once in the history), {len(refused)} refused as conflicts")
