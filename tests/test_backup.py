"""Backup and restore keep every figure and every history row."""

import pytest
from django.core.management import call_command

from budget.models import ExecutionSnapshot
from demo.loader import load_demo
from programs.models import IndicatorValue
from tests.demo.test_loader import fingerprint


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_keeps_every_figure_and_every_history_row(tmp_path):
    load_demo()
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-01")
    snapshot.disbursements = 90_000_000
    snapshot.save()  # a change with its history row
    before = fingerprint()
    assert len(before["budget.HistoricalExecutionSnapshot"]) == 35
    path = tmp_path / "civicbureau.backup"
    call_command("backup_db", path)
    assert path.stat().st_size > 10_000

    IndicatorValue.objects.first().delete()  # a delete, restored too (approved figures are never deleted)
    changed = ExecutionSnapshot.objects.get(budget_line__code="PA-02")
    changed.disbursements = 1
    changed.save()
    assert fingerprint() != before

    call_command("restore_db", path)
    assert fingerprint() == before


def test_restoring_a_missing_file_is_an_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore_db", tmp_path / "nothing")
