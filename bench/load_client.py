"""The load client of `python -m bench.load`: simulated people, one thread and one keep-alive HTTP
connection each, standard library only (no Django in this module, so the client shares nothing with the
server but the socket).

Each person repeats: think for a while, then do one action. With the write share's probability the action
is a staff save of monthly figures (GET the division-month's entry grid, POST it back with new figures, as
the browser form does); otherwise it is a public page or open-data file read anonymously, as a citizen's
browser would. Every request is timed from sending it to reading the last byte of the answer.

A save changes one budget line (the division's marker line) to a figure no other save writes
(`marker_cap - number`), so each acknowledged save can be found in the history afterwards.
"""

import html.parser
import http.client
import itertools
import os
import random
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

SAVE_MONTHS = ("2022-08-31", "2022-09-30", "2022-10-31", "2022-11-30", "2022-12-31")
# Idle keep-alive connections older than this are reopened before use (gunicorn is started with a longer
# --keep-alive), so that a request never races the server closing an idle socket.
REOPEN_IDLE_SECONDS = 4.0


@dataclass(frozen=True)
class StaffLogin:
    """A staff member of one division: the session cookie made for them, and the line their saves change."""

    username: str
    division: str
    cookies: dict
    marker_code: str
    marker_cap: int  # the marker line's 예산현액 (won) in every save month: its obligations in every save
    confirm: tuple[str, ...] = ()  # the cautions its saves may raise (budget.services.caution_keys), read


@dataclass
class Sample:
    kind: str  # "read" (public page), "grid" (staff GET of the entry grid), "save" (staff POST)
    page: str  # the URL pattern's name, for the per-page table
    status: int  # 0 when no answer came (connection error, timeout)
    ms: float
    error: str = ""  # empty when the answer is a correct one
    answered_at: float = field(
        default_factory=time.time
    )  # wall clock when it ended (bench.drill lines it up with nginx's log)


@dataclass
class Save:
    """One attempted save: acknowledged (302), refused as a conflict (a stale version), or failed."""

    username: str
    division: str
    as_of: str
    number: int
    outcome: str  # "acknowledged", "conflict", "error"


@dataclass
class LoadRun:
    samples: list = field(default_factory=list)
    saves: list = field(default_factory=list)
    seconds: float = 0.0
    load_average_before: tuple = ()


def public_pages() -> list[tuple[str, str, int]]:
    """(name, path, weight): the pages citizens read most often weigh most, open-data files less. On each
    request `{month}` becomes a random month of 2022, `{data_month}` one with figures (July on: asking an
    open-data file for a month before the first figures is a correct 404), `{program}` a random program
    and `{tabled}` a random program with an execution table (the others have no file: 404)."""
    return [
        ("home", "/", 12),
        ("execution", "/execution/?year=2022&as_of={month}", 12),
        ("execution sorted", "/execution/?year=2022&as_of=2022-07&sort=-rate", 3),
        ("city execution", "/execution/city/?year=2022", 2),
        ("schedule", "/schedule/?date=2022-07-01", 8),
        ("schedule (today)", "/schedule/", 3),
        ("program list", "/programs/", 5),
        ("program", "/programs/{program}/", 12),
        ("organisation", "/organisation/", 8),
        ("execution.csv", "/execution.csv?year=2022&as_of={data_month}", 3),
        ("execution.json", "/execution.json?year=2022&as_of={data_month}", 3),
        ("execution-lines.csv", "/execution-lines.csv?year=2022&as_of=2022-07", 2),
        ("datapackage.json", "/datapackage.json", 1),
        ("schedule.csv", "/schedule.csv", 1),
        ("schedule.json", "/schedule.json", 1),
        ("program.csv", "/programs/{tabled}.csv", 2),
        ("program.json", "/programs/{tabled}.json", 2),
        ("headcount.csv", "/organisation/headcount.csv", 1),
        ("revenue.json", "/organisation/revenue.json", 1),
        ("expenditure.csv", "/organisation/expenditure.csv", 1),
    ]


class GridForm(html.parser.HTMLParser):
    """The inputs of the entry grid's form (#month-form) and the problems listed above it, if any."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.problems: list[str] = []
        self._in_form = False
        self._in_problems = False
        self._in_item = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = attrs.get("id") == "month-form"
        elif tag == "input" and self._in_form and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "div" and attrs.get("id") == "problems":
            self._in_problems = True
        elif tag == "li" and self._in_problems:
            self._in_item = True
            self.problems.append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "div":
            self._in_problems = False
        elif tag == "li":
            self._in_item = False

    def handle_data(self, data):
        if self._in_item:
            self.problems[-1] += data


class Person(threading.Thread):
    """One simulated person with their own connection, cookies and random stream."""

    def __init__(self, *, run: "LoadRunner", index: int, staff: StaffLogin):
        super().__init__(name=f"load-person-{index}", daemon=True)
        self.run_ = run
        self.staff = staff
        self.random = random.Random(f"{run.seed}-{run.phase}-{index}")
        self.english = index % 4 == 3  # a quarter of the citizens read in English
        self.cookies = dict(staff.cookies)
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0
        self.location = ""  # the Location of the last answer (where a redirect goes)
        self.samples: list[Sample] = []
        self.saves: list[Save] = []

    # --- HTTP -----------------------------------------------------------------------------------------
    def request(
        self, method: str, path: str, *, staff: bool, body: bytes | None = None
    ) -> tuple[int, bytes, float, str]:
        """(status, body, milliseconds, error): one request on this person's keep-alive connection."""
        if self.connection is None or time.monotonic() - self.last_used > REOPEN_IDLE_SECONDS:
            self.close()
            self.connection = http.client.HTTPConnection(self.run_.host, self.run_.port, timeout=self.run_.timeout)
        headers = {"Accept-Language": "en" if self.english and not staff else "ko", "Accept-Encoding": "identity"}
        if staff:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.run_.host}:{self.run_.port}"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return 0, b"", (time.perf_counter() - started) * 1000, type(exc).__name__
        ms = (time.perf_counter() - started) * 1000
        self.last_used = time.monotonic()
        self.location = response.getheader("Location", "")
        if staff:
            for header in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.close()
        return response.status, content, ms, ""

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    # --- actions --------------------------------------------------------------------------------------
    def read_public(self):
        name, template = self.run_.pick_page(self.random)
        path = self.run_.public_path(template, self.random)
        status, _, ms, error = self.request("GET", path, staff=False)
        if not error and status != 200:
            error = f"HTTP {status} ({name})"
        self.samples.append(Sample("read", name, status, ms, error))

    def save(self):
        """GET the grid of one of the division's months, POST it back with the marker line changed."""
        as_of = self.random.choice(SAVE_MONTHS)
        path = f"/staff/entry/{self.staff.division}/{as_of}/"
        status, content, ms, error = self.request("GET", path, staff=True)
        if not error and status != 200:
            error = f"HTTP {status} (entry grid)"
        self.samples.append(Sample("grid", "entry grid", status, ms, error))
        if error:
            return
        form = GridForm()
        form.feed(content.decode("utf-8"))
        number = self.run_.next_save_number()
        fields = filled_grid(form.fields, self.staff, number)
        status, content, ms, error = self.request(
            "POST", path, staff=True, body=urllib.parse.urlencode(fields, doseq=True).encode()
        )
        outcome = "error"
        if error:
            pass
        elif status == 302 and urllib.parse.urlsplit(self.location).path == path:
            outcome = "acknowledged"  # back to the month page; a 302 elsewhere (the login page) is no acknowledgement
        elif status == 400:
            answer = GridForm()
            answer.feed(content.decode("utf-8"))
            if answer.problems and all(p.strip().startswith("버전:") for p in answer.problems):
                outcome = "conflict"
            else:
                error = "refused: " + "; ".join(p.strip() for p in answer.problems)[:200]
        else:
            error = f"HTTP {status} (entry save)"
        self.samples.append(Sample("save", "entry save", status, ms, error))
        self.saves.append(Save(self.staff.username, self.staff.division, as_of, number, outcome))

    def run(self):
        run = self.run_
        time.sleep(self.random.uniform(0, max(run.think_max, 0.05)))  # people arrive spread over the first moments
        while time.monotonic() < run.deadline:
            if self.random.random() < run.write_share:
                self.save()
            else:
                self.read_public()
            if run.think_max:
                time.sleep(
                    max(0.0, min(self.random.uniform(run.think_min, run.think_max), run.deadline - time.monotonic()))
                )
        self.close()


def filled_grid(fields: dict[str, str], staff: StaffLogin, number: int) -> dict[str, str]:
    """The grid's form as a staff member sends it: every line's cumulative figures (a blank 원인행위 is filled
    with the 지출액, as staff must), and the marker line at (cap, cap - number): unique to this save."""
    out = dict(fields)
    total = int(out.get("rows-TOTAL_FORMS", "0"))
    for i in range(total):
        code = out.get(f"rows-{i}-code")
        if code == staff.marker_code:
            out[f"rows-{i}-obligations"] = str(staff.marker_cap)
            out[f"rows-{i}-disbursements"] = str(staff.marker_cap - number)
            continue
        disbursements = out.get(f"rows-{i}-disbursements") or "0"
        out[f"rows-{i}-disbursements"] = disbursements
        out[f"rows-{i}-obligations"] = out.get(f"rows-{i}-obligations") or disbursements
    out["confirm"] = list(staff.confirm)  # the cautions its far-off marker figures raise, read and confirmed
    return out


class LoadRunner:
    """Runs the people for a number of seconds and gathers what they measured."""

    def __init__(self, *, base_url: str, staff: list[StaffLogin], programs: list[str], tabled: list[str], write_share: float,
                 think: tuple[float, float], seed: int = 2022, timeout: float = 30.0):  # fmt: skip
        self.aim(base_url)
        self.staff, self.programs, self.tabled = staff, programs, tabled
        self.write_share = write_share
        self.think_min, self.think_max = think
        self.seed, self.timeout = seed, timeout
        self.pages = public_pages()
        self._weights = list(itertools.accumulate(w for _, _, w in self.pages))
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self.deadline = 0.0
        self.phase = 0

    def aim(self, base_url: str) -> None:
        """The server the next runs send to (the same people, their save numbers going on: each save's
        figure stays its own, bench.load.verify)."""
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port

    def pick_page(self, rng: random.Random) -> tuple[str, str]:
        name, template, _ = rng.choices(self.pages, cum_weights=self._weights)[0]
        return name, template

    def public_path(self, template: str, rng: random.Random) -> str:
        return template.format(
            month=f"2022-{rng.randint(1, 12):02d}",
            data_month=f"2022-{rng.randint(7, 12):02d}",
            program=rng.choice(self.programs),
            tabled=rng.choice(self.tabled),
        )

    def next_save_number(self) -> int:
        with self._lock:
            return next(self._numbers)

    def run(self, seconds: float) -> LoadRun:
        """All the people at once for `seconds`; each call draws new random actions."""
        self.phase += 1
        people = [Person(run=self, index=i, staff=staff) for i, staff in enumerate(self.staff)]
        load_average = tuple(round(x, 2) for x in os.getloadavg())
        started = time.monotonic()
        self.deadline = started + seconds
        for person in people:
            person.start()
        for person in people:
            person.join()
        result = LoadRun(seconds=time.monotonic() - started, load_average_before=load_average)
        for person in people:
            result.samples.extend(person.samples)
            result.saves.extend(person.saves)
        return result


def percentile(values, p):
    """Nearest rank, as bench/run.py computes it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else None


def latency(samples: list[Sample]) -> dict:
    times = [s.ms for s in samples]
    return {
        "requests": len(times),
        "p50_ms": round(percentile(times, 50), 1) if times else None,
        "p95_ms": round(percentile(times, 95), 1) if times else None,
        "p99_ms": round(percentile(times, 99), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
    }
