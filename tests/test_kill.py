"""A load or an import killed with SIGKILL at any moment leaves the database as it was, or fully changed:
never a partial batch, never an orphan history row. Each test really kills a subprocess, many times at
random moments, in a database of its own (a file for SQLite, a database on the same server for
PostgreSQL; tests/databases.py): `manage.py load_demo` with ~150 rows of the demo changed, 8 times, and
`manage.py import_execution` of a 500-row sheet (a synthetic division of bench/city.py, every line
corrected), 12 times.

Every other kill comes at a moment drawn uniformly between the end of the command's start (Python, Django
and the command loaded: `manage.py help COMMAND`, timed) and the end of a full run, so kills fall in
reading, checking, writing and committing alike (killing the interpreter while it starts would prove
nothing); the others come at a random moment after the command has been seen to begin writing, whatever
the machine's speed. After each kill the database must equal, row for row, either the state before the
command or the state after a full run (two full runs must agree), with exactly as many history rows;
then it is put back exactly as before (a copy, sequences included) for the next kill. Whether a process
had begun writing is seen from what a killed writer leaves that its rollback does not undo: SQLite's
journal, PostgreSQL's sequences."""

import datetime
import random
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from budget.exports.sheet import LAYOUT
from demo.loader import DEMO_DATA_DIR
from tests.databases import (
    database_copy,
    database_restore,
    environment,
    manage,
    manage_command,
    own_database,
    state,
    writes_begun,
)

IMPORT_ROWS = LAYOUT.max_rows  # the importer's limit for one file
IMPORT_AS_OF = datetime.date(2022, 8, 31)
# One synthetic division of IMPORT_ROWS budget lines with monthly figures (bench/city.py), a login of its
# staff, and the month's sheet with every line corrected.
IMPORT_SETUP = """
import datetime
from bench.city import Scale, city_generate, city_staff, correction_sheet
from staffing.models import Division
city_generate(Scale(bureaus=1, divisions_per_bureau=1, lines_per_division={rows}, years=1, programs_per_year=3, items_per_program=1))
division = Division.objects.get(code="b01-d1")
city_staff(division, "kill-import")
content, rows = correction_sheet(division, {as_of!r})
assert rows == {rows}, rows
open({path!r}, "wb").write(content)
"""


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


@dataclass
class Kills:
    start: float  # seconds until the command is loaded (`manage.py help COMMAND`)
    first_write: float  # seconds until a full run began writing
    full: float  # seconds of a full run
    changes: int  # history rows a full run writes
    before: int = 0  # kills that left the database as it was
    before_mid_write: int = 0  # … of them, after the command had begun writing
    after: int = 0  # kills after the commit: the database fully changed
    finished: int = 0  # runs that ended before their kill was due
    moments: list = field(default_factory=list)

    def __str__(self):
        return (
            f"{len(self.moments)} kills between {min(self.moments):.2f} and {max(self.moments):.2f} s into a run "
            f"(a full run: {self.full:.1f} s, first write at {self.first_write:.1f} s, {self.changes} history rows): "
            f"{self.before} left it as before ({self.before_mid_write} of them killed mid-write), {self.after} fully changed, "
            f"{self.finished} ran to the end first; 0 partial, 0 orphan history rows"
        )


def launch(url, *args) -> subprocess.Popen:
    return subprocess.Popen(
        manage_command(*args),
        cwd=settings.BASE_DIR,
        env=environment(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_first_write(url, process, mark) -> bool:
    """Wait until the process has begun writing (True) or has ended (False)."""
    while process.poll() is None:
        if writes_begun(url) != mark:
            return True
        time.sleep(0.005)
    return False


def timed_run(url, args, mark) -> tuple[float, float]:
    """A full run of `manage.py *args`: seconds until it began writing, and in all."""
    started = time.perf_counter()
    process = launch(url, *args)
    assert wait_for_first_write(url, process, mark), "the command wrote nothing"
    first_write = time.perf_counter() - started
    assert process.wait() == 0, manage(url, *args, check=False).stderr  # run again to show what went wrong
    return first_write, time.perf_counter() - started


def time_to_load(url, command) -> float:
    """Seconds until Python, Django and the command are loaded: `manage.py help COMMAND` stops there."""
    started = time.perf_counter()
    manage(url, "help", command)
    return time.perf_counter() - started


# The kills a run needs to have shown something: at least 3 that left the database as it was, 2 of them
# after the command had begun writing. Its window of writes is a tenth of a second on a run of about one,
# so a busy machine can see fewer; more kills aimed at the writes follow, at most as many again.
ENOUGH_BEFORE, ENOUGH_MID_WRITE = 3, 2


def enough(kills: Kills) -> bool:
    return kills.before >= ENOUGH_BEFORE and kills.before_mid_write >= ENOUGH_MID_WRITE


def kill_at_random_moments(url, *args, attempts: int, seed: int) -> Kills:
    """Run `manage.py *args` twice in full, then `attempts` times killed at a random moment (and more, aimed
    at the writes, until enough kills landed inside them); check each kill."""
    loaded = min(time_to_load(url, args[0]) for _ in range(2))
    before, copy, mark = state(url), database_copy(url), writes_begun(url)
    runs, afters = [], []
    for _ in range(2):
        runs.append(timed_run(url, args, mark))
        afters.append(state(url))
        database_restore(url, copy)
    after = afters[0]
    assert after["data"] != before["data"]
    assert afters[1] == after, "two full runs from the same state ended differently"
    first_write, full = min(runs, key=lambda run: run[1])  # the quicker: the machine may be busy with something else
    kills = Kills(
        start=min(loaded, first_write), first_write=first_write, full=full, changes=after["history"] - before["history"]
    )
    assert kills.changes > 100  # one history row per changed row, written in the same transaction

    rng = random.Random(seed)
    attempt = 0
    while attempt < attempts or (not enough(kills) and attempt < 2 * attempts):
        started = time.perf_counter()
        process = launch(url, *args)
        if attempt % 2 or attempt >= attempts:  # once the command is writing, whatever the machine's speed
            wait_for_first_write(url, process, mark)
            # the writes come first and then the commit and the process's exit: the first third of what is
            # left of a full run is where they are (an import writes its rows in about 0.1 s)
            time.sleep(rng.uniform(0, (kills.full - kills.first_write) / 3))
        else:
            time.sleep(rng.uniform(kills.start, kills.full))
        moment = time.perf_counter() - started
        kills.moments.append(moment)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        mid_write = writes_begun(url) != mark  # before state(): reading SQLite rolls a hot journal back
        now = state(url)
        where = f"kill {attempt} at {moment:.2f} s"
        if now["data"] == before["data"]:
            assert now["history"] == before["history"], (
                f"{where} left {now['history'] - before['history']} orphan history rows"
            )
            kills.before += 1
            kills.before_mid_write += mid_write
        else:
            assert now["data"] == after["data"], f"{where} left a partial batch"
            assert now["history"] == after["history"], (
                f"{where}: the data fully changed, but {now['history'] - before['history']} history rows of {kills.changes}"
            )
            kills.finished += finished
            kills.after += not finished
        database_restore(url, copy)
        attempt += 1
    print(f"\n{args[0]}: {kills}")
    return kills


def test_a_load_killed_at_any_moment_leaves_the_database_as_it_was(tmp_path):
    url = own_database(tmp_path, "kill")
    manage(url, "migrate", "-v", "0")
    manage(url, "load_demo")
    kills = kill_at_random_moments(url, "load_demo", "--data-dir", str(changed_copy(tmp_path)), attempts=8, seed=7)
    assert enough(kills), kills  # kills land inside the load, while it writes too


def test_an_import_killed_at_any_moment_leaves_the_database_as_it_was(tmp_path):
    url = own_database(tmp_path, "kill_import")
    manage(url, "migrate", "-v", "0")
    sheet = tmp_path / "sheet.xlsx"
    manage(url, "shell", "-c", IMPORT_SETUP.format(rows=IMPORT_ROWS, as_of=IMPORT_AS_OF, path=str(sheet)))
    kills = kill_at_random_moments(url, "import_execution", str(sheet), "--user", "kill-import", attempts=16, seed=9)
    assert kills.changes == IMPORT_ROWS + 1  # every line's figures and the division-month, opened at version 1
    assert enough(kills), kills  # kills land inside the import, while it writes too
