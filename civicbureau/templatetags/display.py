"""Template filters for figures; all formatting rules live in civicbureau.display."""

from django import template

from civicbureau import display

register = template.Library()

UNITS = {
    "원": display.WON,
    "천원": display.THOUSAND_WON,
    "백만원": display.MILLION_WON,
    "억원": display.HUNDRED_MILLION_WON,
}


@register.filter
def amount(won, unit="천원"):
    """{{ row.authority|amount }} → '1,977,413' (thousand won); {{ x|amount:"백만원" }}."""
    return display.amount(won, UNITS[unit])


@register.filter
def rate(value):
    return display.rate(value)


@register.filter
def number(value):
    return display.number(value)


@register.filter
def report_date(day):
    return display.report_date(day) if day else display.NOT_AVAILABLE


@register.filter
def month_label(day):
    return display.month_label(day) if day else display.NOT_AVAILABLE


@register.filter
def quantity(value):
    return display.quantity(value)


@register.simple_tag
def as_of_line(day, *units):
    """{% as_of_line table.as_of "천원" "%" %} → '(’22. 7. 1.기준, 단위 : 천원, %)'."""
    if not day:
        return ""
    known = {**UNITS, "%": display.PERCENT, "명": display.PERSONS}
    return display.as_of_line(day, *(known[u] for u in units))


@register.simple_tag
def edition_line(publication):
    """{% edition_line table.publication %} → '제1판, 2026-12-01 공표' ('' for none)."""
    return display.edition_line(publication)
