"""The dashboards' tables (django-tables2): a division's lines and the bureau's divisions against the pace,
and month against month. Rows come ready-made from dashboards.selectors."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from budget.selectors.execution import RowLevel
from budget.selectors.periods import STATUS_LABELS
from civicbureau import display, figures
from civicbureau.tables import AsOfColumn, FiguresTable, MoneyColumn, RateColumn
from programs.selectors.measures import NO_TARGET


def _row_class(record):
    return "lagging" if record.is_lagging else ""


class DashboardFiguresTable(FiguresTable):
    """The dashboards' rows (a line or a division): 당초예산, 예산현액, 원인행위, 지출액, 잔액, both rates and
    the gap to the pace, after the row's name (each table declares its own `name` column)."""

    original = MoneyColumn(verbose_name=_("당초예산"))
    authority = MoneyColumn(verbose_name=_("예산현액"))
    obligations = MoneyColumn(verbose_name=_("원인행위"))
    disbursements = MoneyColumn(verbose_name=_("지출액"))
    balance = MoneyColumn(verbose_name=_("잔액"))
    obligation_rate = RateColumn(verbose_name=_("집행률(원인행위)"))
    rate = RateColumn(verbose_name=_("집행률(지출)"))
    pace_gap = RateColumn(verbose_name=_("목표 대비"), unit=display.PERCENTAGE_POINTS, attrs={"td": {"class": "gap"}})

    class Meta(FiguresTable.Meta):
        orderable = True
        sequence = ("name", "...")
        row_attrs = {"class": _row_class, "data-code": lambda record: record.code}


def _line_row_class(record):
    """A line, or a team's subtotal above its lines (bold, as a division's row is in the execution table)."""
    level = "" if record.level == RowLevel.LINE else "level-division team-subtotal"
    return " ".join(filter(None, (level, _row_class(record))))


class StatusColumn(tables.Column):
    """A division's status at its own date: 작성 중, 제출됨, 반려됨, 승인됨 or 공표됨."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, verbose_name=_("상태"), **kwargs)

    def render(self, value):
        return format_html('<span class="status status-{}">{}</span>', value, STATUS_LABELS.get(value, value))


class ExecutionLineTable(DashboardFiguresTable):
    """The division dashboard's budget lines, each with the date of its own latest figures."""

    name = tables.Column(verbose_name=_("세부사업"), order_by=("division_order", "name"))
    snapshot_as_of = AsOfColumn()

    class Meta(DashboardFiguresTable.Meta):
        sequence = ("name", "snapshot_as_of", "...")
        attrs = {"class": "figures", "id": "lines"}
        empty_text = _("조건에 맞는 세부사업이 없습니다.")
        row_attrs = {"class": _line_row_class, "data-code": lambda record: record.code}

    def render_name(self, value, record):
        if record.level != RowLevel.LINE:  # a team's subtotal (dashboards.selectors.grouped_by_team)
            return format_html('{} <span class="sub">{}</span>', value, _("소계"))
        notes = []
        if record.programs:
            notes.append(format_html('<span class="sub">{}</span>', ", ".join(p.title for p in record.programs)))
        if record.is_basic_expense:
            notes.append(format_html('<span class="sub">{}</span>', _("기본경비")))
        return format_html("{}{}", value, format_html_join("", "<br>{}", ((n,) for n in notes)))


class DivisionExecutionTable(DashboardFiguresTable):
    """The bureau dashboard: each division side by side with its own date and status, ranked by the gap to
    the pace of its date."""

    name = tables.Column(verbose_name=_("과"), order_by=("division_order",))
    snapshot_as_of = AsOfColumn()
    status = StatusColumn()

    class Meta(DashboardFiguresTable.Meta):
        sequence = ("name", "snapshot_as_of", "status", "...")
        attrs = {"class": "figures", "id": "divisions"}

    def __init__(self, *args, linked=(), as_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.linked = set(linked)
        self.as_of = as_of

    def render_name(self, value, record):
        if record.code not in self.linked:
            return value
        url = reverse("dashboards:division_dashboard", args=[record.code])
        if self.as_of:
            url += f"?as_of={self.as_of:%Y-%m-%d}"
        return format_html('<a href="{}">{}</a>', url, value)


class ExecutionChangeTable(FiguresTable):
    """Month against month: each row at both dates, the change in won and in percentage points."""

    name = tables.Column(verbose_name=_("구분"), orderable=False)
    authority_change = MoneyColumn(verbose_name=_("예산현액 증감"), orderable=False)
    earlier_obligations = MoneyColumn(
        verbose_name=_("원인행위 (이전)"), accessor="earlier__obligations", orderable=False
    )
    later_obligations = MoneyColumn(verbose_name=_("원인행위 (이후)"), accessor="later__obligations", orderable=False)
    obligations_change = MoneyColumn(verbose_name=_("원인행위 증감"), orderable=False)
    earlier_disbursements = MoneyColumn(
        verbose_name=_("지출액 (이전)"), accessor="earlier__disbursements", orderable=False
    )
    later_disbursements = MoneyColumn(verbose_name=_("지출액 (이후)"), accessor="later__disbursements", orderable=False)
    disbursements_change = MoneyColumn(verbose_name=_("지출액 증감"), orderable=False)
    earlier_rate = RateColumn(verbose_name=_("집행률 (이전)"), accessor="earlier__rate", orderable=False)
    later_rate = RateColumn(verbose_name=_("집행률 (이후)"), accessor="later__rate", orderable=False)
    rate_change = RateColumn(verbose_name=_("집행률 증감"), unit=display.PERCENTAGE_POINTS, orderable=False)

    class Meta(FiguresTable.Meta):
        attrs = {"class": "figures", "id": "changes"}
        row_attrs = {"class": lambda record: f"level-{record.level}", "data-code": lambda record: record.later.code}
        orderable = False


# A measure's status written as a word in one of the status colours the site already has (the colour only
# helps: the word is always written): 달성 green, 정상 blue, 주의 yellow, 미흡 red, none grey.
MEASURE_STATUS_CLASSES = {
    figures.ACHIEVED: "approved",
    figures.NORMAL: "submitted",
    figures.CAUTION: "draft",
    figures.POOR: "returned",
    None: "missing",
}


def measure_status_html(row) -> str:
    """The status of a measure (MeasureRow) or a roll-up level: its word in its colour; '목표 미설정' without
    a target, '-' without a result."""
    return format_html(
        '<span class="status status-{}" data-status="{}">{}</span>',
        MEASURE_STATUS_CLASSES[row.status],
        row.status or "",
        row.status_label,
    )


def measure_target_text(row) -> str:
    """The target in force with its unit ('목표 미설정' without one; a range as 'low ~ high')."""
    target, unit = row.target, row.indicator.unit
    if target is None:
        return str(NO_TARGET)
    if row.direction == figures.RANGE:
        return f"{display.quantity_with_unit(target.low, unit)} ~ {display.quantity_with_unit(target.high, unit)}"
    return display.quantity_with_unit(target.value, unit)


def measure_result_html(row) -> str:
    """The latest result with its unit and its date ('-' without one)."""
    if row.result is None:
        return display.NOT_AVAILABLE
    return format_html(
        '{}<br><span class="sub">{}</span>',
        display.quantity_with_unit(row.result, row.indicator.unit),
        display.as_of_line(row.result_as_of),
    )


def measure_trend_html(row) -> str:
    """▲ or ▼ with the change from the previous result and whether it is good for the measure's direction."""
    trend = row.trend
    if trend is None:
        return display.NOT_AVAILABLE
    if not trend:
        return format_html('<span class="trend">― {}</span>', _("변화 없음"))
    arrow = "▲" if trend > 0 else "▼"
    change = display.quantity_with_unit(abs(trend), row.indicator.unit)
    if row.trend_good is None:
        return format_html('<span class="trend">{} {}</span>', arrow, change)
    word = _("좋아짐") if row.trend_good else _("나빠짐")
    return format_html(
        '<span class="trend trend-{}">{} {} <span class="sub">({})</span></span>',
        "good" if row.trend_good else "bad",
        arrow,
        change,
        word,
    )


class MeasureTable(FiguresTable):
    """The dashboards' measures (MeasureEntry rows): target, result, achievement, status, trend; sortable."""

    name = tables.Column(verbose_name=_("성과지표"), accessor="row__indicator__name")
    program = tables.Column(
        verbose_name=_("주요사업"),
        accessor="row__indicator__program__title",
        default=display.NOT_AVAILABLE,
        attrs={"td": {"class": "text"}},
    )
    division = tables.Column(
        verbose_name=_("과"),
        accessor="row__indicator__division__name",
        default=display.NOT_AVAILABLE,
        attrs={"td": {"class": "text"}},
    )
    target = tables.Column(
        verbose_name=_("목표"), accessor="row__target__value", attrs={"td": {"class": "num"}}, empty_values=()
    )
    result = tables.Column(
        verbose_name=_("실적"), accessor="row__result", attrs={"td": {"class": "num"}}, empty_values=()
    )
    achievement = RateColumn(verbose_name=_("달성률"), accessor="row__achievement")
    status = tables.Column(
        verbose_name=pgettext_lazy("measure", "상태"),
        accessor="row__status",
        order_by=("status_rank",),
        empty_values=(),
    )
    trend = tables.Column(verbose_name=_("추세"), accessor="row__trend", empty_values=())

    class Meta(FiguresTable.Meta):
        orderable = True
        attrs = {"class": "figures", "id": "measures"}
        row_attrs = {
            "class": lambda record: "lagging" if record.row.off_track else "",
            "data-code": lambda record: record.row.indicator.code,
        }
        empty_text = _("조건에 맞는 성과지표가 없습니다.")

    def __init__(self, *args, division=None, **kwargs):
        super().__init__(*args, prefix="measures-", **kwargs)
        if division is not None:
            self.columns.hide("division")

    def render_target(self, record):
        return measure_target_text(record.row)

    def render_result(self, record):
        return measure_result_html(record.row)

    def render_status(self, record):
        return measure_status_html(record.row)

    def render_trend(self, record):
        return measure_trend_html(record.row)
