"""The data of the public execution page's chart, as a JSON-ready dict that static/js/charts.js draws (the
dashboards' bar chart, "kind": "bars"). Every number is also in the table under the chart, written by
civicbureau.display; rates are strings of the Decimal that table shows."""

from django.utils.translation import gettext as _

from budget.selectors.public import PublicHeadline


def _rate(value):
    return None if value is None else str(value)


def division_rate_chart(headline: PublicHeadline, *, chart_id: str) -> dict:
    """Each division's 집행률 (on disbursements) as a bar, in the report's order, against the pace line."""
    rows = headline.rows
    return {
        "kind": "bars",
        "id": chart_id,
        "labels": [row.name for row in rows],
        "datasets": [{"label": _("집행률"), "data": [_rate(row.rate) for row in rows], "colour": "#0b4f8a"}],
        "pace": _rate(headline.pace_now),
        "paceLabel": _("목표"),
        "yTitle": _("집행률 (%)"),
    }
