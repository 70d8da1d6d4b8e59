"""Template filters for figures; all formatting rules live in civicbureau.display."""

import datetime

from django import template
from django.utils import timezone

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
def month_name(day):
    return display.month_name(day) if day else display.NOT_AVAILABLE


@register.filter
def month_end_label(month):
    """{{ 7|month_end_label }} → '7월 말' (Korean) or 'end Jul' (English)."""
    return display.month_end_label(month)


@register.filter
def calendar_date(day):
    """{{ publication.published_at|calendar_date }} → '2026-12-01' (Korean) or '1 Dec 2026' (English)."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return display.calendar_date(day or None)


@register.filter
def timestamp(moment):
    """{{ h.history_date|timestamp }} → '2026-12-01 14:05' (Korean) or '1 Dec 2026, 14:05' (English)."""
    return display.timestamp(moment or None)


@register.filter
def quantity(value):
    return display.quantity(value)


@register.filter
def indicator_unit(unit):
    """{{ indicator.unit|indicator_unit }} → '명' (Korean) or 'persons' (English)."""
    return display.indicator_unit(unit)


@register.filter
def quantity_unit(value, unit):
    """{{ value|quantity_unit:indicator.unit }} → '17명' (Korean) or '17 persons' (English)."""
    return display.quantity_with_unit(value, unit)


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
