"""A database of a test's own, for the portal running in other processes (manage.py commands, gunicorn): a
file for SQLite, a database on the same server for PostgreSQL. The pytest test database cannot serve them:
SQLite's lives in memory, out of other processes' reach.

What a process left behind is read with the database's own driver (sqlite3, psycopg), so reading it runs
nothing of the portal and takes a fraction of a second."""

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings

APPS = ("staffing", "budget", "programs")


def own_database(tmp_path, suffix: str) -> str:
    """The DATABASE_URL of an empty database for one test: on PostgreSQL `<name in DATABASE_URL>_<suffix>`
    (dropped and created again), beside the pytest database."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{tmp_path / f'{suffix}.sqlite3'}"
    name = f"{db['NAME']}_{suffix}"
    with _server(db) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{_server_url(db)}/{name}"


def environment(url: str, **extra) -> dict:
    """The environment of a process of the portal on that database."""
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "civicbureau.settings", **extra}


def manage_command(*args) -> list[str]:
    return [sys.executable, "manage.py", *args]


def manage(url, *args, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        manage_command(*args), cwd=settings.BASE_DIR, env=environment(url), capture_output=True, text=True, timeout=300
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


MOMENTS = {"published_at"}


def state(url) -> dict:
    """A digest of every row of the portal's own tables (history tables apart, in primary-key order) and
    the number of history rows: what is committed now. Moments of writing (an edition's published_at) are
    left out, as history dates are: two runs that write the same things at different times are the same."""
    data, history = hashlib.sha256(), 0
    with _connect(url) as conn:
        cursor = conn.cursor()
        for app in APPS:
            for model in apps.get_app_config(app).get_models():
                table = model._meta.db_table
                if model.__name__.startswith("Historical"):
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                    history += cursor.fetchone()[0]
                    continue
                columns = ", ".join(f'"{f.column}"' for f in model._meta.concrete_fields if f.column not in MOMENTS)
                cursor.execute(f'SELECT {columns} FROM "{table}" ORDER BY "{model._meta.pk.column}"')
                for row in cursor.fetchall():
                    data.update(repr(row).encode())
    return {"data": data.hexdigest(), "history": history}


def writes_begun(url) -> int:
    """A mark that moves once a process has begun writing, even if what it wrote was rolled back: on SQLite
    the journal a killed writer leaves behind (1; call this before reading, which rolls a hot one back),
    on PostgreSQL the sequences drawn (a sequence is never rolled back)."""
    if url.startswith("sqlite"):
        journal = Path(_sqlite_path(url) + "-journal")
        return int(journal.exists() and journal.stat().st_size > 0)
    with _connect(url) as conn:
        return int(conn.execute("SELECT COALESCE(SUM(last_value), 0) FROM pg_sequences").fetchone()[0])


def database_copy(url) -> str:
    """A copy of the database as it is now (no process may be using it); database_restore goes back to it."""
    if url.startswith("sqlite"):
        copy = _sqlite_path(url) + ".copy"
        shutil.copyfile(_sqlite_path(url), copy)
        return copy
    db, name = _parts(url)
    with _server(db) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_copy"')
        conn.execute(f'CREATE DATABASE "{name}_copy" TEMPLATE "{name}"')
    return f"{name}_copy"


def database_restore(url, copy: str) -> None:
    """The database exactly as database_copy found it, sequences included."""
    if url.startswith("sqlite"):
        # Once a connection has read the database, a journal left by a killed writer is not a hot one (those
        # are rolled back and deleted): it is one whose header was never synced, which SQLite ignores.
        Path(_sqlite_path(url) + "-journal").unlink(missing_ok=True)
        shutil.copyfile(copy, _sqlite_path(url))
        return
    db, name = _parts(url)
    with _server(db) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')  # FORCE: a killed client's backend may linger
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{copy}"')


def _sqlite_path(url) -> str:
    return url.removeprefix("sqlite:///")


def _server_url(db) -> str:
    return f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def _parts(url) -> tuple[dict, str]:
    return settings.DATABASES["default"], url.rsplit("/", 1)[1]


def _server(db):
    import psycopg

    return psycopg.connect(f"{_server_url(db)}/postgres", autocommit=True)


@contextlib.contextmanager
def _connect(url):
    if url.startswith("sqlite"):
        conn = sqlite3.connect(_sqlite_path(url))  # rolls back a killed writer's hot journal, as the portal would
        try:
            yield conn
        finally:
            conn.close()
        return
    import psycopg

    with psycopg.connect(url) as conn:
        yield conn
