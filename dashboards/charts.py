"""The data behind the dashboards' charts, as plain JSON-ready dicts (read by static/js/charts.js from a
<script type="application/json"> element, so pages need no inline script). Every number here is also in
the accessible table beside its chart; rates are strings of the Decimal the table shows."""

from django.utils.translation import gettext as _

from civicbureau import display
from dashboards.selectors import ExecutionDashboard


def _rate(value):
    return None if value is None else str(value)


def pace_chart(dashboard: ExecutionDashboard) -> dict:
    """Cumulative disbursement rate at each month-end with a snapshot, one line per series, against the pace."""
    months = list(range(1, 13))
    datasets = [
        {
            "label": series.name,
            "code": series.code,
            "data": [_rate(next((p.rate for p in series.points if p.month == m), None)) for m in months],
        }
        for series in dashboard.series
    ]
    return {
        "kind": "pace",
        "labels": [display.month_end_label(m) for m in months],
        "pace": {"label": _("집행 목표 (누적)"), "data": [_rate(v) for v in dashboard.pace.points]},
        "datasets": datasets,
        "yTitle": _("누적 지출률 (%)"),
    }


def rate_bar_chart(rows, *, chart_id: str) -> dict:
    """Execution rate on obligations and on disbursements as bars, one group per row (division or line)."""
    return {
        "kind": "bars",
        "id": chart_id,
        "labels": [row.name for row in rows],
        "datasets": [
            {"label": _("집행률(원인행위)"), "data": [_rate(row.obligation_rate) for row in rows]},
            {"label": _("집행률(지출)"), "data": [_rate(row.rate) for row in rows]},
        ],
        "pace": _rate(rows[0].pace) if rows else None,
        "paceLabel": _("목표"),
        "yTitle": _("집행률 (%)"),
    }
