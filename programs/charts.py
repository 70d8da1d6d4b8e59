"""The data of a public program page's measure chart, as a JSON-ready dict that static/js/charts.js draws
("kind": "series"): the measure's results by date as a line, against its year's target in force where one
is approved. Every number is also in the table under the chart, written by civicbureau.display; values
are strings of the Decimal that table shows."""

from django.utils.translation import gettext as _

from civicbureau import display
from programs.selectors.programs import ProgramMeasure


def _value(value):
    """Decimal('31.00') → '31', Decimal('4600.00') → '4600': the number without the column's padding."""
    return None if value is None else format(value.normalize(), "f")


def measure_chart(measure: ProgramMeasure, *, chart_id: str) -> dict:
    """A measure's results (실적) by as-of date, with its target (목표치) as a flat line where it has one."""
    row = measure.row
    unit = display.indicator_unit(row.indicator.unit)
    target = row.target
    return {
        "kind": "series",
        "id": chart_id,
        "labels": [display.report_date(day) for day, _value_ in row.series],
        "datasets": [{"label": _("실적"), "data": [_value(value) for _day, value in row.series], "colour": "#0b4f8a"}],
        "target": _value(target.value) if target is not None and target.value is not None else None,
        "targetLabel": _("목표치"),
        "yTitle": _("실적 (%(unit)s)") % {"unit": unit},
    }
