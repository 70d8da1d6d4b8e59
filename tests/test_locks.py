"""Row locks take only the model's own rows, and no stronger lock than an update's (civicbureau/locks.py)."""

import ast
import datetime
from pathlib import Path

import pytest

from budget.models import DivisionMonth
from civicbureau.locks import ROW_LOCK
from staffing.models import HeadcountEntry

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "tests", "node_modules", "var", "build"}


def _sources():
    for path in ROOT.rglob("*.py"):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def test_every_select_for_update_of_the_project_is_a_row_lock():
    calls, wrong = 0, []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "select_for_update":
                calls += 1
                spread = [k for k in node.keywords if k.arg is None]
                if node.args or len(node.keywords) != 1 or not spread or ast.unparse(spread[0].value) != "ROW_LOCK":
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert calls >= 10, calls  # the services' locks were found
    assert wrong == []


@pytest.mark.postgresql_only  # SQLite has no row locks (deselected and named there, not skipped)
@pytest.mark.parametrize(
    "queryset, table",
    [
        # both models are ordered through their division (and it through its bureau): joins the lock must not take
        (lambda: DivisionMonth.objects.filter(division_id=1, as_of=datetime.date(2022, 8, 31)), "budget_divisionmonth"),
        (
            lambda: HeadcountEntry.objects.filter(division_id=1, as_of=datetime.date(2022, 8, 31)),
            "staffing_headcountentry",
        ),
    ],
)
@pytest.mark.django_db
def test_the_lock_names_only_its_own_table(queryset, table):
    sql = str(queryset().select_for_update(**ROW_LOCK).query)
    assert "JOIN" in sql  # the default ordering joins other tables …
    assert sql.endswith(f'FOR NO KEY UPDATE OF "{table}"'), sql  # … whose rows are not locked
