"""Indicators (성과지표): each reading as of a date, additive totals derived."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from civicbureau.audit import as_recorded
from programs.models import Indicator, IndicatorValue, Program
from staffing.models import Bureau


@dataclass
class IndicatorReading:
    """An indicator's values as of one date; the total of an additive breakdown is derived here."""

    indicator: Indicator
    as_of: datetime.date
    values: list  # [(category, value)], category '' for the headline value

    @property
    def total(self) -> Decimal | None:
        if not self.indicator.additive:
            return None
        return sum((value for _, value in self.values), Decimal(0))


def indicator_reading_list(
    *,
    bureau: Bureau | None = None,
    program: Program | None = None,
    indicators: list[Indicator] | None = None,
    on_or_before: datetime.date | None = None,
    recorded_by: datetime.datetime | None = None,
) -> list[IndicatorReading]:
    """Indicators' values grouped by as-of date, in the report's order: a bureau's (with those tied to no
    program), one program's, or all; as recorded at `recorded_by` (public pages: when the bureau's period
    was published; civicbureau.audit.as_recorded), else as they are now. Two queries; one when the
    `indicators` are given, already read (in their order)."""
    if indicators is None:
        chosen = Indicator.objects.order_by("order").select_related("program")
        if bureau is not None:
            chosen = chosen.filter(Q(program__core_task__direction__bureau=bureau) | Q(program__isnull=True))
        if program is not None:
            chosen = chosen.filter(program=program)
        indicators = list(chosen)
    values = as_recorded(IndicatorValue, recorded_by).filter(indicator__in=[i.pk for i in indicators])
    if on_or_before:
        values = values.filter(as_of__lte=on_or_before)
    by_indicator: dict = {}
    for value in values.order_by("as_of", "order"):
        by_indicator.setdefault(value.indicator_id, {}).setdefault(value.as_of, []).append(
            (value.category, value.value)
        )
    return [
        IndicatorReading(indicator, as_of, readings)
        for indicator in indicators
        for as_of, readings in by_indicator.get(indicator.pk, {}).items()
    ]
