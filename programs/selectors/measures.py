"""Measures (성과지표) with their targets: for each measure and fiscal year, the year's target in force, the
parts of it set for quarters or months, the latest result, and what figures.py derives from them
(achievement, the value expected at the result's date, the status, the trend). Three queries for any
number of measures: the measures, their targets, their values.

A result is the measure's value as of a date: its headline value, or the sum of its categories where they
add up (Indicator.additive). The result of a fiscal year is the latest value dated in that year, on or before
the date asked; results are cumulative from the start of the year, like the month's figures.

Internal pages read targets and values as they are now, with a revision not yet approved shown beside the
target in force; public pages read them as recorded when the bureau's period was published, approved
targets only (civicbureau.audit.as_recorded).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from civicbureau import figures
from civicbureau.audit import as_recorded
from programs.models import Indicator, IndicatorValue, MeasureTarget, Program
from staffing.models import Bureau, Division

STATUS_LABELS = {
    figures.ACHIEVED: pgettext_lazy("measure", "달성"),
    figures.NORMAL: pgettext_lazy("measure", "정상"),
    figures.CAUTION: pgettext_lazy("measure", "주의"),
    figures.POOR: pgettext_lazy("measure", "미흡"),
}
NO_TARGET = pgettext_lazy("measure", "목표 미설정")
OFF_TRACK = (figures.CAUTION, figures.POOR)


def _bounds(target: MeasureTarget | None) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    return (target.value, target.low, target.high) if target is not None else (None, None, None)


@dataclass
class MeasureRow:
    """One measure in one fiscal year: its target in force, its latest result, and what they give."""

    indicator: Indicator
    fiscal_year: int
    target: MeasureTarget | None  # the year's target in force (its latest approved revision)
    parts: list[MeasureTarget]  # the targets in force for quarters or months, earliest first
    pending: list[MeasureTarget]  # revisions proposed or returned, not yet in force (internal pages)
    series: list[tuple[datetime.date, Decimal]]  # the measure's results by date, up to the date asked
    normal_from: Decimal
    caution_from: Decimal
    result_as_of: datetime.date | None = field(init=False)
    result: Decimal | None = field(init=False)

    def __post_init__(self):
        in_year = [(day, value) for day, value in self.series if day.year == self.fiscal_year]
        self.result_as_of, self.result = in_year[-1] if in_year else (None, None)

    @property
    def direction(self) -> str:
        return self.indicator.direction

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @property
    def expected_target(self) -> MeasureTarget | None:
        """The target the result is judged against at its date: the part in force then, else the year's."""
        if self.result_as_of is None:
            return self.target
        part = figures.expected_part([(p.period_end, p) for p in self.parts], self.result_as_of)
        return part or self.target

    @property
    def achievement(self) -> Decimal | None:
        """달성률 against the year's target."""
        value, low, high = _bounds(self.target)
        return figures.achievement(self.result, value, direction=self.direction, low=low, high=high)

    @property
    def status(self) -> str | None:
        expected = self.expected_target
        return figures.measure_status(
            self.result,
            direction=self.direction,
            year=_bounds(self.target),
            expected=_bounds(expected) if expected is not self.target else None,
            normal_from=self.normal_from,
            caution_from=self.caution_from,
        )

    @property
    def status_label(self) -> str:
        if self.target is None:
            return NO_TARGET
        return STATUS_LABELS.get(self.status, "-")

    @property
    def off_track(self) -> bool:
        return self.status in OFF_TRACK

    @property
    def previous(self) -> tuple[datetime.date, Decimal] | None:
        """The result before the latest one (of any year), for the trend."""
        earlier = [pair for pair in self.series if self.result_as_of and pair[0] < self.result_as_of]
        return earlier[-1] if earlier else None

    @property
    def trend(self) -> Decimal | None:
        """The change from the previous result (None without one)."""
        previous = self.previous
        if previous is None or self.result is None:
            return None
        return self.result - previous[1]

    @property
    def trend_good(self) -> bool | None:
        """Whether the change goes the way the measure wants (None when flat, unknown or for a range)."""
        trend = self.trend
        if not trend or self.direction == figures.RANGE:
            return None
        return trend < 0 if self.direction == figures.LOWER else trend > 0


def _result_series(values, indicator: Indicator) -> list[tuple[datetime.date, Decimal]]:
    """(date, result) of an indicator: the headline value, else the categories' sum where they add up."""
    by_date: dict[datetime.date, dict[str, Decimal]] = {}
    for value in values:
        by_date.setdefault(value.as_of, {})[value.category] = value.value
    series = []
    for day in sorted(by_date):
        readings = by_date[day]
        if "" in readings:
            series.append((day, readings[""]))
        elif indicator.additive:
            series.append((day, sum(readings.values(), Decimal(0))))
    return series


def measure_rows(
    *,
    indicators,
    bureau: Bureau,
    fiscal_year: int,
    on_or_before: datetime.date | None = None,
    recorded_by: datetime.datetime | None = None,
) -> list[MeasureRow]:
    """The rows of some measures (a queryset or list of Indicator) in a fiscal year, in the order given; the
    bureau's thresholds judge them. `recorded_by`: as recorded then, approved targets only (public pages)."""
    indicators = list(indicators)
    ids = [indicator.pk for indicator in indicators]
    targets = as_recorded(MeasureTarget, recorded_by).filter(indicator__in=ids, fiscal_year=fiscal_year)
    if recorded_by is not None:
        targets = targets.filter(status=MeasureTarget.Status.APPROVED)
    in_force: dict[tuple[int, datetime.date], MeasureTarget] = {}
    pending: dict[int, list[MeasureTarget]] = {}
    for target in targets.order_by("period_end", "revision"):
        key = (target.indicator_id, target.period_end)
        if target.status == MeasureTarget.Status.APPROVED:
            in_force[key] = target
            pending[target.indicator_id] = [
                p for p in pending.get(target.indicator_id, []) if p.period_end != target.period_end
            ]
        else:
            pending.setdefault(target.indicator_id, []).append(target)
    values = as_recorded(IndicatorValue, recorded_by).filter(indicator__in=ids)
    if on_or_before is not None:
        values = values.filter(as_of__lte=on_or_before)
    values_by: dict[int, list] = {}
    for value in values.order_by("as_of", "order"):
        values_by.setdefault(value.indicator_id, []).append(value)
    year_end = datetime.date(fiscal_year, 12, 31)
    parts: dict[int, list[MeasureTarget]] = {}
    for (pk, end), target in sorted(in_force.items(), key=lambda item: item[0][1]):
        if end != year_end:
            parts.setdefault(pk, []).append(target)
    rows = []
    for indicator in indicators:
        rows.append(
            MeasureRow(
                indicator=indicator,
                fiscal_year=fiscal_year,
                target=in_force.get((indicator.pk, year_end)),
                parts=parts.get(indicator.pk, []),
                pending=pending.get(indicator.pk, []) if recorded_by is None else [],
                series=_result_series(values_by.get(indicator.pk, []), indicator),
                normal_from=bureau.measure_normal_from,
                caution_from=bureau.measure_caution_from,
            )
        )
    return rows


def in_fiscal_year(indicators, fiscal_year: int):
    """The measures of a fiscal year's programs, and those tied to no program: a program (and so its
    measures) belongs to the year of its direction (Direction.fiscal_year); last year's measures are not this
    year's, even where their division answers for both."""
    return indicators.filter(Q(program__core_task__direction__fiscal_year=fiscal_year) | Q(program__isnull=True))


def bureau_indicators(*, bureau: Bureau, fiscal_year: int | None = None):
    """The measures of a bureau, in the report's order: those its divisions answer for, and those of its
    programs; with `fiscal_year`, that year's only (in_fiscal_year). Matched on the measure's own columns
    (division_id, program_id IN the bureau's), not an OR across joins, which joins every measure of the city
    before filtering (24 ms at the benchmark's city scale against 4 ms); the joins are all to-one, so no row
    repeats."""
    divisions = Division.objects.filter(bureau=bureau).values("pk")
    programs = Program.objects.filter(core_task__direction__bureau=bureau).values("pk")
    indicators = Indicator.objects.filter(Q(division__in=divisions) | Q(program__in=programs))
    if fiscal_year is not None:
        indicators = in_fiscal_year(indicators, fiscal_year)
    return indicators.select_related("program__core_task__direction", "division").order_by("order", "pk")
