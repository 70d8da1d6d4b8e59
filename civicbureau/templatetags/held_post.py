"""{% held_token %}: the token an opted-in entry form carries (civicbureau.held); use the include
"includes/held_token.html" inside the form."""

from django import template

from civicbureau import held

register = template.Library()


@register.simple_tag(takes_context=True)
def held_token(context) -> str:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return held.held_token(request)
