"""programs.selectors.measures.bureau_indicators: a bureau's measures are those its divisions answer for and
those of its programs, each once, in the report's order, none of another bureau; one query, whatever the
number of measures elsewhere in the city."""

import pytest

from programs.selectors.measures import bureau_indicators
from tests.factories import BureauFactory, DivisionFactory, IndicatorFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_bureaus_measures_each_once_and_no_others(django_assert_num_queries):
    bureau, other = BureauFactory(), BureauFactory()
    division, elsewhere = DivisionFactory(bureau=bureau), DivisionFactory(bureau=other)
    own = IndicatorFactory(program=ProgramFactory(division=division), order=3)  # its division and program
    answered_for = IndicatorFactory(program=ProgramFactory(division=elsewhere), division=division, order=1)
    of_a_program = IndicatorFactory(program=ProgramFactory(division=division), division=elsewhere, order=2)
    no_program = IndicatorFactory(program=None, division=division, order=4)
    theirs_only = IndicatorFactory(program=ProgramFactory(division=elsewhere))  # another bureau's, wholly
    with django_assert_num_queries(1):
        found = list(bureau_indicators(bureau=bureau))
    assert found == [answered_for, of_a_program, own, no_program]
    assert list(bureau_indicators(bureau=other)) == [answered_for, of_a_program, theirs_only]
    # the program's core task and direction and the division come with each measure
    with django_assert_num_queries(0):
        assert [m.program.core_task.direction.bureau_id for m in found[:3]] == [other.pk, bureau.pk, bureau.pk]
        assert {m.division.bureau_id for m in found} == {bureau.pk, other.pk}


def test_a_years_measures_are_those_of_its_programs_and_those_of_no_program(django_assert_num_queries):
    """Programs belong to a year (their direction's): with `fiscal_year`, last year's programs' measures are
    left out, and so are they from the dashboards' year, the measure list, the briefing and open data."""
    division = DivisionFactory()
    this_year = IndicatorFactory(program=ProgramFactory(division=division, core_task__direction__fiscal_year=2023))
    last_year = IndicatorFactory(program=ProgramFactory(division=division, core_task__direction__fiscal_year=2022))
    no_program = IndicatorFactory(program=None, division=division)
    with django_assert_num_queries(1):
        assert set(bureau_indicators(bureau=division.bureau, fiscal_year=2023)) == {this_year, no_program}
    assert set(bureau_indicators(bureau=division.bureau, fiscal_year=2022)) == {last_year, no_program}
    assert set(bureau_indicators(bureau=division.bureau)) == {this_year, last_year, no_program}
