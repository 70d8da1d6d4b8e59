"""The city home's chart, as a JSON-ready dict that static/js/charts.js draws (its bar chart, "kind":
"bars"): each bureau's 집행률 beside its own pace (bureaus' paces differ, so the pace is a second bar, not
one line). Every number is also in the table under the chart, written by civicbureau.display."""

from django.utils.translation import gettext as _

from budget.selectors.city import CityBureauRow


def _rate(value):
    return None if value is None else str(value)


def bureau_rate_chart(rows: list[CityBureauRow], *, chart_id: str) -> dict | None:
    """The bureaus that published, in the table's order: 집행률 and 목표 as two bars each; None without any."""
    shown = [row for row in rows if row.publication is not None]
    if not shown:
        return None
    return {
        "kind": "bars",
        "id": chart_id,
        "labels": [row.name for row in shown],
        "datasets": [
            {"label": _("집행률"), "data": [_rate(row.rate) for row in shown], "colour": "#0b4f8a"},
            {"label": _("목표"), "data": [_rate(row.pace) for row in shown], "colour": "#93c5fd"},
        ],
        "pace": None,
        "paceLabel": _("목표"),
        "yTitle": _("집행률 (%)"),
    }
