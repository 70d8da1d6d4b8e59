"""Small helpers of the staff entry templates."""

from django import template

from civicbureau.entry import FIELD_LABELS

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def field_label(field):
    """'disbursements' → '지출액 누계(원)', the column people see."""
    return FIELD_LABELS.get(field, field)
