"""Backup and restore of the whole database: pg_dump -Fc / pg_restore --single-transaction on
PostgreSQL, SQLite's online backup API on SQLite. Either restores everything or nothing."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    pass


def _pg_env_and_args() -> tuple[dict, list[str]]:
    s = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
    args = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-U", s.get("USER") or "postgres"]
    return env, args


def _run(command: list[str], env: dict):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def database_backup(output: Path) -> Path:
    """Write a consistent copy of the database to `output`."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        _run(["pg_dump", "-Fc", *args, "-f", str(output), connection.settings_dict["NAME"]], env)
    elif connection.vendor == "sqlite":
        target = sqlite3.connect(output)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"no backup for {connection.vendor}")
    return output


def database_restore(source: Path):
    """Replace the database's contents with a backup, in one transaction."""
    if not Path(source).exists():
        raise BackupError(f"{source} does not exist")
    if connection.vendor == "postgresql":
        connection.close()  # pg_restore --clean drops tables this connection may hold open
        env, args = _pg_env_and_args()
        _run(
            [
                "pg_restore",
                "--single-transaction",
                "--clean",
                "--if-exists",
                "--no-owner",
                *args,
                "-d",
                connection.settings_dict["NAME"],
                str(source),
            ],
            env,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    else:
        raise BackupError(f"no restore for {connection.vendor}")
