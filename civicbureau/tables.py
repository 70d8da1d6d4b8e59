"""What every public figures table shares: the template (caption, header scopes, sort state in words),
and columns that write figures through civicbureau.display with their unit in the header."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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
    """A rate in % (or a gap in %p), one decimal; '-' when it cannot be computed."""

    def __init__(self, *args, unit: display.Unit = display.PERCENT, **kwargs):
        self.unit = unit
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
