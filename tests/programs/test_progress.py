"""The roll-up (programs.selectors.progress): a program's progress from its milestones, measures and budget
lines, a core task's and a direction's from theirs, by the rules the README states."""

import datetime
from decimal import Decimal

import pytest

from civicbureau import figures
from programs.models import ProgramExecutionRow, ScheduleItem
from programs.selectors.progress import NO_STATUS, progress_tree
from tests.factories import (
    FISCAL_YEAR,
    BudgetLineFactory,
    CoreTaskFactory,
    DirectionFactory,
    DivisionFactory,
    ExecutionSnapshotFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureTargetFactory,
    ProgramFactory,
    ScheduleItemFactory,
)

pytestmark = pytest.mark.django_db
Y = FISCAL_YEAR
ON = datetime.date(Y, 7, 31)


def measure(program, *, target=None, result=None, direction=figures.HIGHER):
    """A measure of a program with a year's target and a result on 1 July (each optional)."""
    indicator = IndicatorFactory(program=program, direction=direction)
    if target is not None:
        MeasureTargetFactory(indicator=indicator, value=Decimal(target))
    if result is not None:
        IndicatorValueFactory(indicator=indicator, as_of=datetime.date(Y, 7, 1), value=Decimal(result))
    return indicator


def line(program, *, authority, disbursed, order=1):
    """A budget line of the program's division, linked to the program, with its figures at ON."""
    budget_line = BudgetLineFactory(division=program.division, original_budget=authority)
    ExecutionSnapshotFactory(budget_line=budget_line, as_of=ON, obligations=disbursed, disbursements=disbursed)
    ProgramExecutionRow.objects.create(
        program=program,
        budget_line=budget_line,
        order=order,
        label=budget_line.name,
        as_of=ON,
        budget_authority=authority,
        obligations=disbursed,
        disbursements=disbursed,
    )
    return budget_line


@pytest.fixture
def division():
    return DivisionFactory()


@pytest.fixture
def core_task(division):
    return CoreTaskFactory(direction=DirectionFactory(bureau=division.bureau))


def tree_of(division):
    return progress_tree(bureau=division.bureau, fiscal_year=Y, as_of=ON)


def program_node(tree, program):
    return next(p for d in tree.children for c in d.children for p in c.children if p.program == program)


def test_blanks_are_not_counted_and_achievements_are_capped(division, core_task):
    program = ProgramFactory(core_task=core_task, division=division)
    measure(program, target=100, result=250)  # 250 % counts as 100
    measure(program, target=100, result=50)  # 50 %
    measure(program, target=100)  # no result: blank, left out (not 0)
    measure(program, result=40)  # no target: 목표 미설정, left out
    node = program_node(tree_of(division), program)
    assert [m.achievement for m in node.measures] == [Decimal("250.0"), Decimal("50.0"), None, None]
    assert node.average == Decimal("75.0")  # (100 + 50) ÷ 2, not (100 + 50 + 0 + 0) ÷ 4 nor (250 + 50) ÷ 2
    assert node.status == figures.POOR  # the worst: 50 % is under 70
    assert node.status_counts == {
        figures.ACHIEVED: 1,
        figures.NORMAL: 0,
        figures.CAUTION: 0,
        figures.POOR: 1,
        NO_STATUS: 2,
    }


def test_a_core_task_and_a_direction_average_their_childrens_known_averages(division, core_task):
    first = ProgramFactory(core_task=core_task, division=division)
    measure(first, target=100, result=95)  # 95: 정상
    measure(first, target=100, result=85)  # 85: 주의 → first averages 90.0
    second = ProgramFactory(core_task=core_task, division=division)
    measure(second, target=100, result=60)  # second averages 60.0
    ProgramFactory(core_task=core_task, division=division)  # no measures: no average, left out
    other_task = CoreTaskFactory(direction=core_task.direction)
    third = ProgramFactory(core_task=other_task, division=division)
    measure(third, target=10, result=10)  # 100: 달성
    tree = tree_of(division)
    direction = tree.children[0]
    task, other = direction.children
    assert [p.average for p in task.children] == [Decimal("90.0"), Decimal("60.0"), None]
    assert task.average == Decimal("75.0")  # (90 + 60) ÷ 2: the mean of the programs', not of the measures' (80)
    assert other.average == Decimal("100.0")
    assert direction.average == Decimal("87.5")  # (75 + 100) ÷ 2
    assert tree.average == direction.average
    assert task.status == figures.POOR and other.status == figures.ACHIEVED and direction.status == figures.POOR
    assert direction.status_counts[figures.CAUTION] == 1 and direction.status_counts[figures.ACHIEVED] == 1


def test_the_bureaus_thresholds_judge_the_measures(division, core_task):
    bureau = division.bureau
    bureau.measure_normal_from, bureau.measure_caution_from = Decimal(80), Decimal(50)
    bureau.save()
    program = ProgramFactory(core_task=core_task, division=division)
    measure(program, target=100, result=85)  # 정상 by 80/50 (주의 by the default 90/70)
    measure(program, target=100, result=60)  # 주의 by 80/50 (미흡 by the default)
    node = program_node(tree_of(division), program)
    assert [m.status for m in node.measures] == [figures.NORMAL, figures.CAUTION]
    assert node.status == figures.CAUTION


def test_a_late_milestone_makes_a_program_at_least_caution(division, core_task):
    on_track = ProgramFactory(core_task=core_task, division=division)
    measure(on_track, target=100, result=120)  # 달성
    late = ProgramFactory(core_task=core_task, division=division)
    measure(late, target=100, result=120)  # 달성 …
    ScheduleItemFactory(program=late, date_text=f"’{Y % 100}. 3월~5월")  # … but this ended in May, not done
    ScheduleItemFactory(program=late, date_text=f"’{Y % 100}. 3월~5월", status=ScheduleItem.Status.DONE)
    ScheduleItemFactory(program=late, date_text=f"’{Y % 100}. 7월~9월")  # running, on time
    poor = ProgramFactory(core_task=core_task, division=division)
    measure(poor, target=100, result=10)  # 미흡 stays 미흡: the rule raises to 주의, never lowers
    ScheduleItemFactory(program=poor, date_text=f"’{Y % 100}. 3월~5월")
    milestones_only = ProgramFactory(core_task=core_task, division=division)
    ScheduleItemFactory(program=milestones_only, date_text=f"’{Y % 100}. 3월~5월")
    tree = tree_of(division)
    nodes = [program_node(tree, p) for p in (on_track, late, poor, milestones_only)]
    assert [(n.milestones_done, n.milestones_on_time, n.milestones_late) for n in nodes] == [
        (0, 0, 0),
        (1, 1, 1),
        (0, 0, 1),
        (0, 0, 1),
    ]
    assert [n.status for n in nodes] == [figures.ACHIEVED, figures.CAUTION, figures.POOR, figures.CAUTION]
    task = tree.children[0].children[0]
    assert (task.milestones_done, task.milestones_on_time, task.milestones_late) == (1, 1, 3)


def test_execution_is_the_rate_of_the_sums_never_an_average_of_rates(division, core_task):
    program = ProgramFactory(core_task=core_task, division=division)
    small = line(program, authority=1_000_000, disbursed=900_000, order=1)  # 90 %
    line(program, authority=99_000_000, disbursed=9_900_000, order=2)  # 10 %
    other = ProgramFactory(core_task=core_task, division=division)
    ProgramExecutionRow.objects.create(  # the small line is shared with another program (part of it each)
        program=other,
        budget_line=small,
        order=1,
        label=small.name,
        as_of=ON,
        budget_authority=500_000,
        obligations=0,
        disbursements=0,
    )
    tree = tree_of(division)
    node, shared = program_node(tree, program), program_node(tree, other)
    assert (node.authority, node.disbursements) == (100_000_000, 10_800_000)
    assert node.rate == Decimal("10.8")  # not (90 + 10) ÷ 2 = 50
    assert (shared.authority, shared.disbursements, shared.rate) == (1_000_000, 900_000, Decimal("90.0"))
    task = tree.children[0].children[0]
    assert (task.authority, task.disbursements) == (100_000_000, 10_800_000)  # the shared line counted once
    assert task.rate == Decimal("10.8")


def test_a_program_with_nothing_gives_blanks_not_an_exception(division, core_task):
    program = ProgramFactory(core_task=core_task, division=division)
    tree = tree_of(division)
    node = program_node(tree, program)
    assert (node.average, node.status, node.status_label) == (None, None, "-")
    assert (node.authority, node.disbursements, node.rate) == (None, None, None)
    assert (node.milestones_done, node.milestones_on_time, node.milestones_late) == (0, 0, 0)
    assert (tree.average, tree.status, tree.rate) == (None, None, None)


def test_the_query_count_does_not_grow_with_the_programs(division, core_task, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            program = ProgramFactory(core_task=core_task, division=division)
            measure(program, target=100, result=80)
            ScheduleItemFactory(program=program, date_text=f"’{Y % 100}. 3월~5월")
            line(program, authority=1_000_000, disbursed=500_000)

    grow(2)
    with django_assert_max_num_queries(20) as small:
        tree_of(division)
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        tree = tree_of(division)
    assert len(tree.children[0].children[0].children) == 22
