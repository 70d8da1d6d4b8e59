"""The public programs tables (django-tables2): a program's 예산집행 현황 and the upcoming schedule."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civicbureau import display
from civicbureau.tables import FiguresTable, MoneyColumn, RateColumn


class ProgramExecutionLineTable(FiguresTable):
    """A program's 예산집행 현황: 예산현액, 원인행위, 지출액 and both rates, as its section prints them."""

    class Meta(FiguresTable.Meta):
        pass

    label = tables.Column(verbose_name=_("사업명"), attrs={"td": {"class": "text"}})
    authority = MoneyColumn(verbose_name=_("예산현액"))
    obligations = MoneyColumn(verbose_name=_("집행액: 원인행위"))
    disbursements = MoneyColumn(verbose_name=_("집행액: 지출액"))
    obligation_rate = RateColumn(verbose_name=_("집행률: 원인행위"))
    disbursement_rate = RateColumn(verbose_name=_("집행률: 지출액"))

    def __init__(self, table, **kwargs):
        """`table` is a selectors.ProgramExecutionTable; its 계 row, where the program prints one, comes first."""
        total = table.total
        rows = [total, *table.rows] if total else list(table.rows)
        super().__init__(rows, **kwargs)
        self.row_attrs = {"class": lambda record: "level-total" if record is total else "level-line"}


class ScheduleTable(FiguresTable):
    """One month of the upcoming schedule: what, the report's own date text, program and division."""

    class Meta(FiguresTable.Meta):
        pass

    text = tables.Column(verbose_name=_("추진 내용"), accessor="item__text", attrs={"td": {"class": "text"}})
    date_text = tables.Column(
        verbose_name=_("일정 (보고서 표기)"), accessor="item__date_text", attrs={"td": {"class": "text nowrap"}}
    )
    span = tables.Column(verbose_name=_("기간"), empty_values=(), attrs={"td": {"class": "text"}})
    program = tables.Column(verbose_name=_("주요사업"), accessor="item__program", attrs={"td": {"class": "text"}})
    divisions = tables.Column(verbose_name=_("부서"), empty_values=(), attrs={"td": {"class": "text"}})
    status = tables.Column(verbose_name=_("상태"), attrs={"td": {"class": "text nowrap"}})
    actual = tables.Column(
        verbose_name=_("실제 시작일 ~ 종료일"), empty_values=(), attrs={"td": {"class": "text nowrap"}}
    )

    def render_span(self, record):
        item = record.item
        start = display.month_label(item.start_month)
        if record.ongoing:
            text = _("%(start)s부터 (종료 시점 없음)") % {"start": start}
            return format_html('<span class="badge">{}</span> {}', _("계속"), text)
        if item.end_month == item.start_month:
            text = start
        else:
            text = _("%(start)s ~ %(end)s") % {"start": start, "end": display.month_label(item.end_month)}
        return text

    def render_program(self, value):
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value.title)

    def render_divisions(self, value):
        return ", ".join(d.name for d in value) or display.NOT_AVAILABLE

    def render_status(self, value):
        """The status at the published period's date (programs.selectors.schedule.milestone_status)."""
        return format_html('<span class="status status-{}">{}</span>', value, value.label)

    def render_actual(self, record):
        """The actual start and end the program's division recorded, as published ('-' for none yet)."""
        start, end = record.progress.actual_start, record.progress.actual_end
        if start is None and end is None:
            return display.NOT_AVAILABLE
        return _("%(start)s ~ %(end)s") % {
            "start": display.report_date(start) if start else display.NOT_AVAILABLE,
            "end": display.report_date(end) if end else "",
        }
