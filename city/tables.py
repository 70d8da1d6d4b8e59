"""The city's tables: a page of every bureau's budget lines (the totals use budget's ExecutionStatusTable)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from budget.tables import ExecutionFiguresTable
from civicbureau.tables import FiguresTable


class CityLineTable(ExecutionFiguresTable):
    """A page of the whole city's budget lines, each with its bureau and division (not sortable: a page of
    5,400 lines is read in the city's order; the totals above it cover every line)."""

    name = tables.Column(verbose_name=_("세부사업"), attrs={"td": {"class": "text"}})
    bureau_name = tables.Column(verbose_name=_("국"), attrs={"td": {"class": "text"}})
    division_name = tables.Column(verbose_name=_("과"), attrs={"td": {"class": "text"}})

    class Meta(FiguresTable.Meta):
        orderable = False
        sequence = ("name", "bureau_name", "division_name", "...")
        row_attrs = {"data-code": lambda record: record.code}
