"""The bureau's team count on a page that lists its divisions: {{ bureau|team_count:divisions }}."""

from django import template

from staffing import selectors

register = template.Library()


@register.filter
def team_count(bureau, divisions):
    """selectors.team_count, read from the page's divisions (staffing.selectors.division_list) when it has
    them: no query of its own."""
    return selectors.team_count(bureau, divisions=divisions if isinstance(divisions, list) else None)
