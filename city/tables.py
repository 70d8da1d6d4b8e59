"""The city's tables: the city's and each bureau's totals, and a page of every bureau's budget lines; each
row says the date of its bureau's published period."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from budget.tables import ExecutionFiguresTable, ExecutionStatusTable
from civicbureau import display
from civicbureau.tables import AsOfColumn, FiguresTable, MoneyColumn, RateColumn
from staffing.middleware import bureau_url, page_path


class CityTotalsTable(ExecutionStatusTable):
    """The city's 합계 and each bureau's total, as of the bureau's own latest published period; sortable, with
    the 합계 kept first (budget.tables.GroupedRows)."""

    snapshot_as_of = AsOfColumn()

    class Meta(ExecutionStatusTable.Meta):
        sequence = ("name", "snapshot_as_of", "...")


class CityLineTable(ExecutionFiguresTable):
    """A page of the whole city's budget lines, each with its bureau and division; sortable on any column
    over every line, not only the page shown (city.views)."""

    name = tables.Column(verbose_name=_("세부사업"), attrs={"td": {"class": "text"}})
    bureau_name = tables.Column(verbose_name=_("국"), attrs={"td": {"class": "text"}})
    division_name = tables.Column(verbose_name=_("과"), attrs={"td": {"class": "text"}})
    snapshot_as_of = AsOfColumn()

    class Meta(FiguresTable.Meta):
        orderable = True
        sequence = ("name", "bureau_name", "division_name", "snapshot_as_of", "...")
        row_attrs = {"data-code": lambda record: record.code}


def rows_in_order(rows, order_by: str, table=CityLineTable) -> list:
    """`rows` sorted by a column of `table` ('rate', '-rate') as the table sorts a page of them (an unknown
    column: as they are): a value before none when descending, after it when ascending, ties in their
    order. A plain key, since django-tables2's comparator takes 0.6 s over 5,400 lines, this 20 ms."""
    name = order_by.removeprefix("-")
    column = table.base_columns.get(name)
    if column is None or column.orderable is False:  # None: as the table's Meta says (orderable here)
        return list(rows)
    return sorted(
        rows, key=lambda row: (getattr(row, name) is not None, getattr(row, name)), reverse=order_by.startswith("-")
    )


class CityHomeTable(FiguresTable):
    """The city home: each bureau as of its latest published edition, linking to its pages; a bureau that
    has published nothing says 미공표. Sortable by every column (over the short list of bureaus)."""

    name = tables.Column(verbose_name=_("국"), attrs={"td": {"class": "text"}})
    as_of = AsOfColumn(empty_values=())  # rendered for a bureau without one too: 미공표
    edition = tables.Column(verbose_name=_("판"), attrs={"td": {"class": "num"}}, default=display.NOT_AVAILABLE)
    authority = MoneyColumn(verbose_name=_("예산현액(A)"))
    disbursements = MoneyColumn(verbose_name=_("지출액(B)"))
    rate = RateColumn(verbose_name=_("집행률(B/A)"))
    pace = RateColumn(verbose_name=_("목표"), kept_in_view=False)  # on a phone the rate stays in view, not this
    pace_gap = RateColumn(verbose_name=_("목표 대비"), unit=display.PERCENTAGE_POINTS)
    execution = tables.Column(verbose_name=_("예산 집행 현황"), accessor="slug", orderable=False)

    class Meta(FiguresTable.Meta):
        orderable = True
        row_attrs = {"data-bureau": lambda record: record.slug}

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', bureau_url(record.slug), value)

    def render_as_of(self, value, record):
        return display.report_date(value) if record.publication else display.NOT_PUBLISHED

    def render_edition(self, value):
        return _("제%(edition)s판") % {"edition": value}

    def render_execution(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', bureau_url(value, page_path(reverse("budget:execution"))), _("예산 집행 현황")
        )
