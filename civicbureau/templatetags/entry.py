"""Small helpers of the staff entry templates."""

from django import template

from civicbureau import display
from civicbureau.entry import FIELD_LABELS

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def field_label(field):
    """'disbursements' → '지출액 누계(원)', the column people see."""
    return FIELD_LABELS.get(field, field)


@register.filter
def typed_thousands(value):
    """What a won input holds, as the report's 천원 figure beside it ('37,729,000' → '37,729'); '' while
    it holds nothing readable. static/js/entry.js keeps it current as the person types."""
    text = "" if value is None else str(value).replace(",", "").strip()
    if not text.lstrip("-").isdecimal() or not text.lstrip("-").isascii():
        return ""
    return display.amount(int(text))
