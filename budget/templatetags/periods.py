"""Template filters of reporting periods: a division's status at its date in words."""

from django import template

from budget.selectors.periods import STATUS_LABELS

register = template.Library()


@register.filter
def status_label(status):
    """{{ row.status|status_label }} → '공표됨', '작성 중' …"""
    return STATUS_LABELS.get(status, status)
