"""The public organisation tables (django-tables2): headcount by division and grade (정원/현원)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from civicbureau import display
from civicbureau.tables import AsOfColumn, FiguresTable


class HeadcountCellColumn(tables.Column):
    """One grade's 정원/현원 of a row; '-' where the division has nobody in that grade."""

    unit = None  # the caption gives the unit (명); a "(명)" under every grade would only crowd the header

    def __init__(self, index: int | None, **kwargs):
        self.index = index
        super().__init__(empty_values=(), orderable=False, attrs={"td": {"class": "num"}}, **kwargs)

    def render(self, record):
        cell = record.total if self.index is None else record.cells[self.index]
        return display.headcount(cell.quota, cell.current, empty=self.index is not None and cell.is_empty)


class HeadcountGradeTable(FiguresTable):
    """인력 (정원/현원): 계 first, then each division; a column per grade in the report's order."""

    class Meta(FiguresTable.Meta):
        pass

    name = tables.Column(verbose_name=_("구분"), attrs={"td": {"class": "text"}})

    def __init__(self, table, **kwargs):
        """`table` is staffing.selectors.HeadcountTable."""
        extra = [("as_of", AsOfColumn())] if table.dates_differ else []  # each row's own date, when they differ
        extra += [("total", HeadcountCellColumn(None, verbose_name=_("계")))]
        extra += [(f"grade_{g.code}", HeadcountCellColumn(i, verbose_name=g.name)) for i, g in enumerate(table.grades)]
        super().__init__(table.rows, extra_columns=extra, **kwargs)
        self.row_attrs = {"class": lambda record: "level-total" if record is table.rows[0] else "level-division"}
