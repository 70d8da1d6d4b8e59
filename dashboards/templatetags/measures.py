"""A measure's (or a roll-up level's) target, result and status in a template, written as the measures
table writes them (dashboards.tables)."""

from django import template

from dashboards import tables

register = template.Library()


@register.simple_tag
def measure_target(row):
    return tables.measure_target_text(row)


@register.simple_tag
def measure_result(row):
    return tables.measure_result_html(row)


@register.simple_tag
def measure_status(row):
    return tables.measure_status_html(row)


@register.simple_tag
def measure_trend(row):
    return tables.measure_trend_html(row)
