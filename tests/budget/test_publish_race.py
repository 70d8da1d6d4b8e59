"""Two planners publish the same period at the same moment, in two processes of the portal on a database of
the test's own (SQLite: the transaction takes the write lock at BEGIN; PostgreSQL: the bureau's row is
locked): one edition is written, the other publisher is refused as stale and writes nothing."""

import subprocess
import time

from django.conf import settings

from tests.databases import environment, manage, manage_command, own_database

SETUP = """
from budget.models import BudgetAdjustment, BudgetLine
BudgetAdjustment.objects.create(budget_line=BudgetLine.objects.get(fiscal_year=2022, code="PA-01"),
    kind="supplementary", amount=1_000_000, effective_on="2022-06-01", reason="추경")
"""
PUBLISH = """
import datetime, time
from django.contrib.auth import get_user_model
from budget.services import period_publish
from civicbureau.entry import StaleVersion
from staffing.models import Bureau
user, bureau = get_user_model().objects.get(username={user!r}), Bureau.objects.get(name="시민협력국")
while time.time() < {start}:
    time.sleep(0.001)
try:
    print("published", period_publish(user=user, bureau=bureau, as_of=datetime.date(2022, 7, 1), edition_seen=1).edition)
except StaleVersion as refused:
    print("stale", refused)
"""
EDITIONS = """
from budget.models import Publication, PublishedFigure
editions = Publication.objects.filter(as_of="2022-07-01").order_by("edition")
print([(e.edition, e.published_by and e.published_by.username, e.figures.count()) for e in editions])
"""


def test_two_planners_publishing_at_once_make_one_edition(tmp_path):
    url = own_database(tmp_path, "publish_race")
    manage(url, "migrate", "-v", "0")
    manage(url, "load_demo")
    manage(url, "demo_users")
    manage(url, "shell", "-c", SETUP)
    start = time.time() + 4  # both processes have started Django by then
    processes = [
        subprocess.Popen(
            manage_command("shell", "-c", PUBLISH.format(user=user, start=start)),
            cwd=settings.BASE_DIR,
            env=environment(url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for user in ("planning", "bureau")
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    answers = [out.strip().splitlines()[-1] for out, _err in outputs]  # after the shell's own notices
    assert sorted(a.split()[0] for a in answers) == ["published", "stale"], outputs
    assert "제2판으로 공표했습니다" in next(a for a in answers if a.startswith("stale"))
    winner = "planning" if answers[0].startswith("published") else "bureau"
    editions = manage(url, "shell", "-c", EDITIONS).stdout.strip().splitlines()[-1]
    assert editions == f"[(1, None, 34), (2, '{winner}', 34)]"
