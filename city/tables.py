"""The city's tables: the city's and each bureau's totals, and a page of every bureau's budget lines; each
row says the date of its bureau's published period."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from budget.tables import ExecutionFiguresTable, ExecutionStatusTable
from civicbureau.tables import AsOfColumn, FiguresTable


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
