"""The load command (`python -m bench.load`) works end to end: a tiny run (4 people for 5 s, a third of
their actions saves) through gunicorn on PostgreSQL ends with acknowledged saves, no error, and every
acknowledged save in the history exactly once. Timing is not checked here: the figures are the full run's
(README, "Load"). It builds its own database (DATABASE_URL's name + "_load"), so it needs a server that
other processes reach: PostgreSQL only."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def _database_url() -> str:
    """The URL of the database the tests were configured with (not the test database pytest-django made)."""
    url = os.environ.get("DATABASE_URL", "")
    assert url.startswith(("postgres://", "postgresql://")), settings.DATABASES["default"]["ENGINE"]
    return url


@pytest.mark.postgresql_only
def test_a_tiny_load_run_loses_and_doubles_no_save(tmp_path):
    output = tmp_path / "load.json"
    command = [sys.executable, "-m", "bench.load", "--users", "4", "--seconds", "5", "--warm-up", "1", "--write-share", "0.3",
               "--workers", "2", "--threads", "2", "--output", str(output)]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": _database_url()}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command sets its own (the production settings)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["requests"] > 0
    assert results["error_count"] == 0, results["errors"]
    assert results["saves"]["acknowledged"] > 0
    check = results["exactly_once"]
    assert check["passed"], check
    assert check["lost"] == check["doubled"] == check["written_not_acknowledged"] == 0
    assert check["history_rows"] == check["acknowledged"] and check["sum_in_history"] == check["sum_acknowledged"]
    assert "exactly once" in done.stdout


@pytest.mark.django_db
def test_the_check_names_a_lost_and_an_unacknowledged_save():
    """The exactly-once check can fail: a save reported as acknowledged but not in the history is lost, a
    history row of a save not acknowledged is named too (no server needed: runs on SQLite as well)."""
    import datetime

    from django.contrib.auth import get_user_model

    from bench.load import verify
    from bench.load_client import Save, StaffLogin
    from budget import services
    from budget.models import BudgetLine
    from staffing.models import Division, Membership

    division = Division.objects.get(code="participation")
    line = BudgetLine.objects.get(code="PA-01", fiscal_year=2022)
    cap = line.budget_authority_on(datetime.date(2022, 8, 31))
    user = get_user_model().objects.create_user(username="load-00")
    Membership.objects.create(user=user, bureau=division.bureau, division=division, role=Membership.Role.STAFF)
    staff = [StaffLogin(username="load-00", division="participation", cookies={}, marker_code="PA-01", marker_cap=cap)]
    services.execution_month_save(user=user, division=division, as_of=datetime.date(2022, 8, 31), version=0,
                                  rows=[services.ExecutionInput(code="PA-01", obligations=cap, disbursements=cap - 1)],
                                  confirmed=services.caution_keys("PA-01"))  # fmt: skip

    written_once = verify([Save("load-00", "participation", "2022-08-31", 1, "acknowledged")], staff)
    assert written_once["passed"] and written_once["history_rows"] == 1

    lost = verify(
        [
            Save("load-00", "participation", "2022-08-31", 1, "acknowledged"),
            Save("load-00", "participation", "2022-08-31", 2, "acknowledged"),
        ],
        staff,
    )
    # the month's version rose by the one save written: the lost one is named as lost, not as a wrong version
    assert not lost["passed"] and lost["lost"] == 1 and lost["months_with_wrong_version"] == []

    unacknowledged = verify([Save("load-00", "participation", "2022-08-31", 1, "conflict")], staff)
    assert not unacknowledged["passed"] and unacknowledged["written_not_acknowledged"] == 1

    # a save without an answer (its server killed) may have been written: counted apart, no fault
    unanswered = verify([Save("load-00", "participation", "2022-08-31", 1, "error")], staff)
    assert (
        unanswered["passed"] and unanswered["written_unanswered"] == 1 and unanswered["written_not_acknowledged"] == 0
    )

    # on a database used before: only what was written since, against the versions as they were
    from django.utils import timezone

    from bench.load import save_versions

    since, before = timezone.now(), save_versions(staff)
    assert before == {("participation", "2022-08-31"): 1}
    assert verify([], staff, since=since, versions_before=before)["history_rows"] == 0
    again = verify([Save("load-00", "participation", "2022-08-31", 1, "acknowledged")], staff, since=since,
                   versions_before=before)  # fmt: skip
    assert not again["passed"] and again["lost"] == 1
