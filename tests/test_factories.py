"""The factories themselves (tests/factories.py): rows the models accept, history for the audited ones,
refusals where the models refuse, and nothing that clashes with or shows in the 2022 demo beside them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from budget.models import ExecutionSnapshot
from budget.selectors import execution
from staffing.models import Division
from tests import factories

pytestmark = pytest.mark.django_db

# factory → is its model audited (a history row per save)?
FACTORIES = {
    factories.BureauFactory: False,
    factories.DivisionFactory: False,
    factories.GradeFactory: False,
    factories.HeadcountEntryFactory: True,
    factories.UserFactory: False,
    factories.MembershipFactory: True,
    factories.BudgetLineFactory: True,
    factories.BudgetAdjustmentFactory: True,
    factories.DivisionMonthFactory: True,
    factories.ExecutionSnapshotFactory: True,
    factories.DirectionFactory: False,
    factories.CoreTaskFactory: False,
    factories.ProgramFactory: True,
    factories.ScheduleItemFactory: True,
    factories.IndicatorFactory: True,
    factories.MeasureTargetFactory: True,
    factories.IndicatorValueFactory: True,
}


@pytest.mark.parametrize("factory", list(FACTORIES), ids=lambda f: f.__name__)
def test_two_rows_of_each_factory_are_valid_and_audited(factory):
    first, second = factory(), factory()
    for obj in (first, second):
        obj.refresh_from_db()
        obj.full_clean()  # what the database holds still obeys every rule of the model
    assert first.pk != second.pk
    if FACTORIES[factory]:
        assert list(first.history.values_list("history_type", flat=True)) == ["+"]
    else:
        assert not hasattr(first, "history")


def test_a_schedule_item_takes_its_months_from_its_date_text():
    item = factories.ScheduleItemFactory(date_text="’23. 9월~11월")
    assert (item.start_month, item.end_month) == (datetime.date(2023, 9, 1), datetime.date(2023, 11, 1))


def test_the_factories_refuse_what_the_models_refuse():
    line = factories.BudgetLineFactory(original_budget=10_000_000)
    with pytest.raises(ValidationError) as refused:
        factories.ExecutionSnapshotFactory(budget_line=line, obligations=1_000, disbursements=2_000)
    assert set(refused.value.message_dict) == {"disbursements"}
    with pytest.raises(ValidationError) as refused:  # above the line's 예산현액
        factories.ExecutionSnapshotFactory(budget_line=line, obligations=10_000_001, disbursements=0)
    assert set(refused.value.message_dict) == {"obligations"}
    factories.DivisionMonthFactory(division=line.division, approved=True)
    with pytest.raises(ValidationError):  # an approved month takes no new figures
        factories.ExecutionSnapshotFactory(budget_line=line)
    assert not ExecutionSnapshot.objects.filter(budget_line=line).exists()
    with pytest.raises(ValidationError):  # a director belongs to a division
        factories.MembershipFactory(role="director", division=None)


def test_a_bureau_built_beside_the_demo_leaves_the_demo_as_it_was(bureau):
    """Factory rows do not clash with the demo's unique codes and names, and do not show in its tables,
    even a line added to a demo division (another fiscal year by default)."""

    def demo_table():
        table = execution.execution_table(bureau=bureau, fiscal_year=2022)
        return table.as_of, [(r.level, str(r.name), r.authority, r.obligations, r.disbursements) for r in table.rows]

    before = demo_table()
    line = factories.ExecutionSnapshotFactory(approved=True).budget_line
    factories.ExecutionSnapshotFactory(
        budget_line=factories.BudgetLineFactory(division=Division.objects.get(code="participation"))
    )
    factories.IndicatorValueFactory(indicator__program__division=line.division)
    factories.HeadcountEntryFactory(division=line.division)
    assert demo_table() == before
    assert len(before[1]) == 1 + 5 + 34
