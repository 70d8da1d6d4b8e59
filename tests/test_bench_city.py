"""The benchmark's synthetic city (bench/city.py) holds measures as the portal's rules allow them: every
measure, target and result passes the model's validation (full_clean: clean() and the constraints), each
has its history row (public pages read them as recorded), and the targets follow the workflow's shape (an
approved year's target, revisions with a reason, proposals not yet in force)."""

import datetime

import pytest

from bench.city import PUBLISHED_THROUGH, Scale, city_generate
from civicbureau import figures
from programs.models import Indicator, IndicatorValue, MeasureTarget
from programs.selectors.measures import NO_TARGET, measure_rows
from staffing.models import Bureau

pytestmark = pytest.mark.django_db
TINY = Scale(bureaus=2, divisions_per_bureau=3, lines_per_division=1, years=2, programs_per_year=6, items_per_program=1)


@pytest.fixture
def city():
    counts = city_generate(TINY)
    measures = Indicator.objects.filter(division__bureau__name__startswith="합성국")
    return counts, measures


def test_counts_match_what_is_written(city):
    counts, measures = city
    assert counts["measures"] == measures.count() == 2 * 3 * 2 * TINY.measures_per_division
    assert counts["measure_targets"] == MeasureTarget.objects.filter(indicator__in=measures).count()
    assert counts["measure_values"] == IndicatorValue.objects.filter(indicator__in=measures).count()
    # a result at each month's end of the measure's year, up to the last published month
    last_year_months = PUBLISHED_THROUGH.month
    per_measure = {2021: 12, 2022: last_year_months}
    for measure in measures.filter(order=1):
        year = int(measure.code.split("-")[2])
        days = list(measure.values.values_list("as_of", flat=True))
        assert len(days) == per_measure[year], measure.code
        assert days == [figures.month_end(datetime.date(year, m, 1)) for m in range(1, per_measure[year] + 1)]


def test_every_row_passes_the_models_rules(city):
    _counts, measures = city
    for measure in measures.select_related("program__core_task__direction", "division"):
        measure.full_clean()
        # owned by a division of the bureau whose program it measures, of its own year
        direction = measure.program.core_task.direction
        assert direction.bureau_id == measure.division.bureau_id
        assert str(direction.fiscal_year) in measure.code
    for target in MeasureTarget.objects.filter(indicator__in=measures).select_related("indicator"):
        target.full_clean()
    for value in IndicatorValue.objects.filter(indicator__in=measures)[:200]:
        value.full_clean()


def test_every_row_has_its_history(city):
    counts, measures = city
    assert Indicator.history.filter(id__in=measures.values("pk"), history_type="+").count() == counts["measures"]
    targets = MeasureTarget.objects.filter(indicator__in=measures).values("pk")
    assert MeasureTarget.history.filter(id__in=targets, history_type="+").count() == counts["measure_targets"]
    values = IndicatorValue.objects.filter(indicator__in=measures).values("pk")
    assert IndicatorValue.history.filter(id__in=values, history_type="+").count() == counts["measure_values"]


def test_targets_follow_the_workflow(city):
    _counts, measures = city
    targets = list(MeasureTarget.objects.filter(indicator__in=measures))
    by_key = {}
    for target in targets:
        by_key.setdefault((target.indicator_id, target.period_end), []).append(target)
    for rows in by_key.values():
        revisions = sorted(t.revision for t in rows)
        assert revisions == list(range(1, len(rows) + 1))  # revisions in turn, none skipped
        for target in rows:
            assert target.fiscal_year == target.period_end.year
            assert (target.revision > 1) == bool(target.reason)  # a revision says why, a first target need not
            if target.status != MeasureTarget.Status.APPROVED:  # only the latest may await the director
                assert target.revision == max(revisions)
    # the cumulative measures' quarters add up to their year's target in turn
    for measure in measures.filter(direction=figures.HIGHER, unit="건"):
        quarters = [t.value for t in measure.targets.order_by("period_end", "revision") if not t.is_year]
        year = measure.targets.filter(period_end__month=12, revision=1).get()
        assert quarters == sorted(quarters) and quarters[-1] < year.value


def test_the_selector_reads_them_in_three_queries(city, django_assert_num_queries):
    _counts, measures = city
    bureau = Bureau.objects.filter(name__startswith="합성국").order_by("pk").first()
    year = measures.filter(division__bureau=bureau, code__contains=f"-{PUBLISHED_THROUGH.year}-")
    with django_assert_num_queries(3):
        rows = measure_rows(indicators=year, bureau=bureau, fiscal_year=PUBLISHED_THROUGH.year)
    assert len(rows) == 3 * TINY.measures_per_division
    for row in rows:
        assert row.result_as_of == PUBLISHED_THROUGH
        if row.has_target:
            assert row.status in figures.STATUS_ORDER
        else:  # only a proposal: no target in force yet
            assert row.status_label == NO_TARGET and row.pending
