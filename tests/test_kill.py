"""A load killed with SIGKILL at any moment leaves the database as it was: no partial batch, no orphan
history row. The test really kills a subprocess, many times, at different points, in a database of
its own (a file for SQLite, a database on the same server for PostgreSQL)."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings

from civicbureau.demo import DEMO_DATA_DIR

FINGERPRINT = """
import hashlib, json
from django.apps import apps
data, history = hashlib.sha256(), 0
for app in ("staffing", "budget", "programs"):
    for model in apps.get_app_config(app).get_models():
        if model.__name__.startswith("Historical"):
            history += model.objects.count()
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.order_by("pk").values_list(*fields):
            data.update(repr(row).encode())
print(json.dumps({"data": data.hexdigest(), "history": history}))
"""


def own_database(tmp_path) -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    import psycopg

    name = f"{db['NAME']}_kill"
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url}/{name}"


def manage(url, *args, check=True):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "civicbureau.settings"}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def state(url) -> dict:
    return json.loads(manage(url, "shell", "-c", FINGERPRINT).stdout.strip().splitlines()[-1])


def changed_copy(tmp_path) -> Path:
    """The demo with every budget line's original budget and every indicator value changed (~150 rows)."""
    target = tmp_path / "changed"
    shutil.copytree(DEMO_DATA_DIR, target)
    lines = (target / "budget_lines.csv").read_text(encoding="utf-8").splitlines()
    head, rows = lines[0], lines[1:]
    rows = [",".join([*r.split(",")[:-1], str(int(r.split(",")[-1]) + 1_000)]) for r in rows]
    (target / "budget_lines.csv").write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    indicators = (target / "indicators.yaml").read_text(encoding="utf-8")
    (target / "indicators.yaml").write_text(indicators.replace("      value: ", "      value: 1"), encoding="utf-8")
    return target


def test_a_load_killed_at_any_moment_leaves_the_database_as_it_was(tmp_path):
    url = own_database(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "civicbureau.settings"}
    manage(url, "migrate", "-v", "0")
    manage(url, "load_demo")
    changed = changed_copy(tmp_path)
    original = state(url)

    started = time.perf_counter()
    manage(url, "load_demo", "--data-dir", str(changed))
    full = time.perf_counter() - started
    after_change = state(url)
    assert after_change["data"] != original["data"]
    changes = after_change["history"] - original["history"]
    assert changes > 100  # one history row per changed row, written in the same transaction
    manage(url, "load_demo")  # back to the demo
    baseline = state(url)

    rng = random.Random(7)
    outcomes = {"before": 0, "after": 0}
    for attempt in range(8):
        delay = rng.uniform(0.3, full * 1.1)
        process = subprocess.Popen(
            [sys.executable, "manage.py", "load_demo", "--data-dir", str(changed)],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = state(url)
        if now["data"] == baseline["data"]:
            assert now["history"] == baseline["history"], f"kill {attempt} at {delay:.2f} s left orphan history rows"
            outcomes["before"] += 1
        else:
            assert now["data"] == after_change["data"], f"kill {attempt} at {delay:.2f} s left a partial load"
            assert now["history"] == baseline["history"] + changes
            outcomes["after"] += 1
            manage(url, "load_demo")
            baseline = state(url)
    assert outcomes["before"] >= 3, outcomes  # most kills land inside the load
