"""The public budget tables (django-tables2): 예산 집행 현황, 세입총괄, 세출총괄.

Tables of the money pages (django-tables2). Every figure is written by civicbureau.display; the rows
are the selectors' rows, so the tables only read figures that are already computed.

Tables of the staff entry pages (django-tables2); their rows come ready-made from the selectors."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData

from civicbureau import display
from civicbureau.tables import FiguresTable, MoneyColumn, RateColumn


class GroupedRows(list):
    """Execution rows that sort within their group: the total stays first, divisions sort among
    themselves and each division's lines sort under it (django-tables2 sorts list data with `.sort`)."""

    def sort(self, *, key=None, reverse=False):
        total = [r for r in self if r.level == "total"]
        divisions = sorted((r for r in self if r.level == "division"), key=key, reverse=reverse)
        lines: dict = {}
        for row in self:
            if row.level == "line":
                lines.setdefault(row.division_code, []).append(row)
        ordered = list(total)
        for division in divisions:
            ordered.append(division)
            ordered.extend(sorted(lines.get(division.division_code, []), key=key, reverse=reverse))
        self[:] = ordered


class ExecutionStatusTable(FiguresTable):
    """예산 집행 현황: the bureau total, each division and each of its budget lines."""

    name = tables.Column(verbose_name=_("구분"), attrs={"td": {"class": "text"}})
    original = MoneyColumn(verbose_name=_("예산편성액(당초예산)"))
    authority = MoneyColumn(verbose_name=_("예산현액(A)"))
    disbursements = MoneyColumn(verbose_name=_("집행액(B)"))
    balance = MoneyColumn(verbose_name=_("집행잔액(A-B)"))
    rate = RateColumn(verbose_name=_("집행률(B/A)"))

    class Meta(FiguresTable.Meta):
        orderable = True
        row_attrs = {"class": lambda record: f"level-{record.level}", "data-code": lambda record: record.code}

    def __init__(self, rows, **kwargs):
        # A TableData instance is used as it is (a plain list would be copied into a list and lose `sort`).
        super().__init__(TableListData(GroupedRows(rows)), **kwargs)


class CityLineTable(FiguresTable):
    """A page of the whole city's budget lines, each with its bureau and division (not sortable: a page of
    5,400 lines is read in the city's order; the totals above it cover every line)."""

    name = tables.Column(verbose_name=_("세부사업"), attrs={"td": {"class": "text"}})
    bureau_name = tables.Column(verbose_name=_("국"), attrs={"td": {"class": "text"}})
    division_name = tables.Column(verbose_name=_("과"), attrs={"td": {"class": "text"}})
    original = MoneyColumn(verbose_name=_("예산편성액(당초예산)"))
    authority = MoneyColumn(verbose_name=_("예산현액(A)"))
    disbursements = MoneyColumn(verbose_name=_("집행액(B)"))
    balance = MoneyColumn(verbose_name=_("집행잔액(A-B)"))
    rate = RateColumn(verbose_name=_("집행률(B/A)"))

    class Meta(FiguresTable.Meta):
        orderable = False
        row_attrs = {"data-code": lambda record: record.code}


class ComparisonTable(FiguresTable):
    """A year-on-year table (세입총괄, 세출총괄): this year (A), the comparison year (B), change and rate."""

    name = tables.Column(verbose_name=_("구분"), attrs={"td": {"class": "text"}})
    current = MoneyColumn(verbose_name=_("당해연도(A)"))
    base = MoneyColumn(verbose_name=_("비교연도(B)"))
    change = MoneyColumn(verbose_name=_("증감(A-B)"))
    change_rate = RateColumn(verbose_name=_("증감률"))

    class Meta(FiguresTable.Meta):
        row_attrs = {"class": lambda record: f"depth-{record.depth}"}

    def __init__(self, rows, *, current_label, base_label, **kwargs):
        super().__init__(rows, **kwargs)
        self.columns["current"].column.verbose_name = current_label
        self.columns["base"].column.verbose_name = base_label


class ExpenditureTable(ComparisonTable):
    """세출총괄: this year's budget (A) against the comparison year's 본예산 and 최종예산 (B)."""

    base_original = MoneyColumn(verbose_name=_("본예산"))

    class Meta(ComparisonTable.Meta):
        sequence = ("name", "current", "base_original", "base", "change", "change_rate")

    def __init__(self, rows, *, base_year, current_label, **kwargs):
        super().__init__(
            rows, current_label=current_label, base_label=_("%(year)s년 최종예산(B)") % {"year": base_year}, **kwargs
        )
        self.columns["base_original"].column.verbose_name = _("%(year)s년 본예산") % {"year": base_year}


THOUSAND_WON = _("천원")


def _header(label, unit):
    return format_html('{} <span class="unit">({})</span>', label, unit)


class AmountColumn(tables.Column):
    """A won amount shown in thousand won; '-' where unknown."""

    def __init__(self, label, **kwargs):
        super().__init__(verbose_name=_header(label, THOUSAND_WON), empty_values=(), **kwargs)

    def render(self, value):
        return display.amount(value)


class RateColumn(tables.Column):
    def __init__(self, label, unit="%", **kwargs):
        super().__init__(verbose_name=_header(label, unit), empty_values=(), **kwargs)

    def render(self, value):
        return display.rate(value)


class FiguresTable(tables.Table):
    """Shared layout: the figures class, the caption (as-of line) and row attributes."""

    def __init__(self, *args, caption="", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    class Meta:
        template_name = "tables/figures.html"
        orderable = True


def _row_class(record):
    return "lagging" if record.is_lagging else ""


class DashboardFiguresTable(FiguresTable):
    """The dashboards' rows (a line or a division): 당초예산, 예산현액, 원인행위, 지출액, 잔액, both rates and
    the gap to the pace, after the row's name (each table declares its own `name` column)."""

    original = AmountColumn(_("당초예산"))
    authority = AmountColumn(_("예산현액"))
    obligations = AmountColumn(_("원인행위"))
    disbursements = AmountColumn(_("지출액"))
    balance = AmountColumn(_("잔액"))
    obligation_rate = RateColumn(_("집행률(원인행위)"))
    rate = RateColumn(_("집행률(지출)"))
    pace_gap = RateColumn(_("목표 대비"), unit="%p", attrs={"td": {"class": "gap"}})

    class Meta(FiguresTable.Meta):
        sequence = ("name", "...")
        row_attrs = {"class": _row_class, "data-code": lambda record: record.code}


class ExecutionLineTable(DashboardFiguresTable):
    """The division dashboard's budget lines."""

    name = tables.Column(verbose_name=_("세부사업"), order_by=("division_order", "name"))

    class Meta(DashboardFiguresTable.Meta):
        attrs = {"class": "figures", "id": "lines"}
        empty_text = _("조건에 맞는 세부사업이 없습니다.")

    def render_name(self, value, record):
        notes = []
        if record.programs:
            notes.append(format_html('<span class="sub">{}</span>', ", ".join(p.title for p in record.programs)))
        if record.is_basic_expense:
            notes.append(format_html('<span class="sub">{}</span>', _("기본경비")))
        return format_html("{}{}", value, format_html_join("", "<br>{}", ((n,) for n in notes)))


class DivisionExecutionTable(DashboardFiguresTable):
    """The bureau dashboard: each division side by side, ranked by the gap to the pace."""

    name = tables.Column(verbose_name=_("과"), order_by=("division_order",))

    class Meta(DashboardFiguresTable.Meta):
        attrs = {"class": "figures", "id": "divisions"}

    def __init__(self, *args, linked=(), as_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.linked = set(linked)
        self.as_of = as_of

    def render_name(self, value, record):
        if record.code not in self.linked:
            return value
        url = reverse("budget:division_dashboard", args=[record.code])
        if self.as_of:
            url += f"?as_of={self.as_of:%Y-%m-%d}"
        return format_html('<a href="{}">{}</a>', url, value)


class ExecutionChangeTable(FiguresTable):
    """Month against month: each row at both dates, the change in won and in percentage points."""

    name = tables.Column(verbose_name=_("구분"), orderable=False)
    authority_change = AmountColumn(_("예산현액 증감"), orderable=False)
    earlier_obligations = AmountColumn(_("원인행위 (이전)"), accessor="earlier__obligations", orderable=False)
    later_obligations = AmountColumn(_("원인행위 (이후)"), accessor="later__obligations", orderable=False)
    obligations_change = AmountColumn(_("원인행위 증감"), orderable=False)
    earlier_disbursements = AmountColumn(_("지출액 (이전)"), accessor="earlier__disbursements", orderable=False)
    later_disbursements = AmountColumn(_("지출액 (이후)"), accessor="later__disbursements", orderable=False)
    disbursements_change = AmountColumn(_("지출액 증감"), orderable=False)
    earlier_rate = RateColumn(_("집행률 (이전)"), accessor="earlier__rate", orderable=False)
    later_rate = RateColumn(_("집행률 (이후)"), accessor="later__rate", orderable=False)
    rate_change = RateColumn(_("집행률 증감"), unit="%p", orderable=False)

    class Meta(FiguresTable.Meta):
        attrs = {"class": "figures", "id": "changes"}
        row_attrs = {"class": lambda record: f"level-{record.level}", "data-code": lambda record: record.later.code}
        orderable = False


class HistoryTable(tables.Table):
    """The trail: one changed value per row, newest first."""

    when = tables.DateTimeColumn(verbose_name=_("일시"), format="Y-m-d H:i:s", orderable=False)
    who = tables.Column(verbose_name=_("누가"), orderable=False)
    how = tables.Column(verbose_name=_("경로"), orderable=False)
    subject = tables.Column(verbose_name=_("대상"), orderable=False)
    field = tables.Column(verbose_name=_("항목"), orderable=False)
    old = tables.Column(verbose_name=_("이전 값"), orderable=False, attrs={"td": {"class": "number"}})
    new = tables.Column(verbose_name=_("새 값"), orderable=False, attrs={"td": {"class": "number"}})

    class Meta:
        attrs = {"class": "figures history", "id": "history"}
        empty_text = _("기록이 없습니다.")
        template_name = "django_tables2/table.html"
