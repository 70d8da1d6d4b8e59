"""What every public figures table shares: the template (caption, header scopes, sort state in words),
and columns that write figures through civicbureau.display with their unit in the header."""

import html

import django_tables2 as tables
from django.db import models
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.utils import Accessor, AttributeDict, signature

from civicbureau import display


class MoneyColumn(tables.Column):
    """A won amount shown in a unit (천원 by default); the unit is printed beside the header."""

    def __init__(self, *args, unit: display.Unit = display.THOUSAND_WON, **kwargs):
        self.unit = unit
        kwargs.setdefault("attrs", {"td": {"class": "num"}})
        kwargs.setdefault("default", display.NOT_AVAILABLE)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return display.amount(value, self.unit)

    def value(self, value):
        return value


class RateColumn(tables.Column):
    """A rate in % (or a gap in %p), one decimal; '-' when it cannot be computed. On a phone the table's last
    column `kept_in_view` (data-rate; by default every % column) stays at the right edge while the rest scrolls."""

    def __init__(self, *args, unit: display.Unit = display.PERCENT, kept_in_view: bool | None = None, **kwargs):
        self.unit = unit
        self.kept_in_view = unit == display.PERCENT if kept_in_view is None else kept_in_view
        kwargs.setdefault("attrs", {"td": {"class": "num"}})
        kwargs.setdefault("default", display.NOT_AVAILABLE)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return display.rate(value)


class NumberColumn(tables.Column):
    """A count (persons, items) with thousands separators and △ for negatives."""

    def __init__(self, *args, unit: display.Unit | None = None, **kwargs):
        self.unit = unit
        kwargs.setdefault("attrs", {"td": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return display.number(value)


class AsOfColumn(tables.Column):
    """The date a row's own figures are as of, the way the report writes it ('’22. 7. 1.'); '-' for none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("기준일"))
        kwargs.setdefault("attrs", {"td": {"class": "date"}})
        kwargs.setdefault("default", display.NOT_AVAILABLE)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return display.report_date(value)


class FiguresTable(tables.Table):
    """The one base table: the first column is the row header, money and rate columns carry their unit in
    the header, `caption` (the as-of line) is set per table."""

    caption = ""

    class Meta:
        template_name = "tables/figures.html"
        attrs = {"class": "figures"}
        orderable = False
        empty_text = _("자료가 없습니다.")

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    @property
    def body_rows(self) -> list[SafeString]:
        """The `<tr>` of each row of the page, drawn by a plain loop instead of the template's per-cell tags
        (a 180-line table has over a thousand cells; through the template tags and django-tables2's
        per-cell signature inspection they cost most of a page's time). Each cell is what django-tables2's
        `BoundRow.get_cell` gives, printed as `{{ cell }}` prints it; what a column needs only once (its
        cell attributes, how its render method is called) is worked out once per table. A cell this loop
        does not know how to draw the same way (a link, a model record, a render method taking arguments
        it cannot give, a value read through a relation) is drawn by `get_cell` itself."""
        columns = [_CellWriter(self, bound_column, index == 0) for index, bound_column in enumerate(self.columns)]
        row_attrs = _RowAttrs(self)
        context = Context()
        rows = []
        for row in self.paginated_rows:
            cells = "".join(column.cell(row, context) for column in columns)
            rows.append(mark_safe(f"\n    <tr {row_attrs.html(row)}>\n    {cells}\n    </tr>\n  "))
        return rows


class _RowAttrs:
    """A row's attributes as `BoundRow.attrs.as_html()` writes them (the table's row_attrs, each callable
    called with the record and the table, then odd/even added to the class), with each callable's
    signature read once per table instead of once per row; row_attrs other than flat text and callables
    are left to django-tables2."""

    def __init__(self, table):
        self.table = table
        attrs = table.row_attrs
        self.plain = all(isinstance(value, str) or callable(value) for value in attrs.values())
        self.attrs = []
        for key, value in attrs.items() if self.plain else ():
            if not callable(value):
                self.attrs.append((key, value, None))
                continue
            args, catch_all = signature(value)
            # as call_with_appropriate: a callable asking for more than these is not called (None)
            self.attrs.append((key, value, None if catch_all else args))

    def html(self, row) -> str:
        if not self.plain:
            return row.attrs.as_html()
        arguments = {"table": self.table, "record": row.record}
        attrs = {}
        for key, value, args in self.attrs:
            if callable(value):
                if args is None:
                    value = value(**arguments)
                elif all(name in arguments for name in args):
                    value = value(**{name: arguments[name] for name in args})
                else:
                    value = None
            attrs[key] = value
        parity = row.get_even_odd_css_class()
        attrs["class"] = f"{attrs['class']} {parity}" if attrs.get("class") else parity
        return AttributeDict(attrs).as_html()


# What django-tables2 passes a render method that asks for it (BoundRow._optional_cell_arguments).
_CELL_ARGUMENTS = {"value", "record", "column", "bound_column", "bound_row", "table"}


class _CellWriter:
    """One column's cells for FiguresTable.body_rows: `<th scope="row">` for the first column, `<td>` (with
    data-rate on % columns) for the others, as tables/figures.html writes its header."""

    def __init__(self, table, bound_column, first: bool):
        self.table, self.bound_column, self.column = table, bound_column, bound_column.column
        self.name = bound_column.name
        column = self.column
        self.tag = "th" if first else "td"
        self.opening = '<th scope="row" ' if first else "<td "
        rate = not first and getattr(column, "kept_in_view", False)
        self.closing = f"{' data-rate' if rate else ''}>"
        # cell attributes that depend on the record or value are worked out per cell, as django-tables2 does
        self.attrs_html = None if self._computed_attrs() else bound_column.attrs["td"].as_html()
        args, catch_all = signature(bound_column.render)
        self.render = bound_column.render
        self.render_args = None if catch_all else args
        self.plain = (
            not bound_column.link
            # through a relation django-tables2 may show a model field's choice label (get_FOO_display)
            and Accessor.SEPARATOR not in bound_column.accessor
            and not isinstance(column, BaseLinkColumn | ManyToManyColumn)
            and (catch_all or set(args) <= _CELL_ARGUMENTS)
        )

    def _computed_attrs(self) -> bool:
        for attrs in (self.table.attrs, self.column.attrs):
            for key in ("td", "cell"):
                cell = attrs.get(key) or {}
                if callable(cell) or any(callable(value) for value in cell.values()):
                    return True
        return False

    def content(self, row):
        """What `row.get_cell(name)` gives, without inspecting the render method again for every cell."""
        record = row.record
        if not self.plain or isinstance(record, models.Model):
            return row.get_cell(self.name)
        try:
            value = self.bound_column.accessor.resolve(record)
        except Exception:  # as django-tables2: a value it cannot reach is none
            value = None
        if value in self.column.empty_values:
            return self.bound_column.default
        if self.render_args == ("value",):  # most columns: the figure alone
            return self.render(value=value)
        arguments = {"value": value, "record": record, "column": self.column, "bound_column": self.bound_column,
                     "bound_row": row, "table": self.table}  # fmt: skip
        if self.render_args is None:
            return self.render(**arguments)
        return self.render(**{name: arguments[name] for name in self.render_args})

    def cell(self, row, context) -> str:
        content = self.content(row)
        attrs = self.attrs_html
        if attrs is None:
            self.bound_column.current_value, self.bound_column.current_record = content, row.record
            attrs = self.bound_column.attrs["td"].as_html()
        # a plain str (most cells) escaped as {{ cell }} escapes it, without the lazy-text checks around it
        text = html.escape(content) if type(content) is str else render_value_in_context(content, context)
        return f"{self.opening}{attrs}{self.closing}{text}</{self.tag}>"
