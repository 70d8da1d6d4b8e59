"""{% term "예산현액" %}: a term of the report, linked to its glossary entry at its first use on a page.

The first use in a request is a link (/glossary/#budget-authority); later uses on the same page are the
term's plain words, so a page is not a field of links. Which terms a page has linked is kept on the request
(every include and table of the page shares it); without a request every use is linked."""

from django import template
from django.utils.html import conditional_escape

from civicbureau import glossary

register = template.Library()


def first_use(request, key: str) -> bool:
    """True the first time `key` is asked for during this request (and always without a request)."""
    if request is None:
        return True
    linked = getattr(request, "glossary_linked", None)
    if linked is None:
        linked = request.glossary_linked = set()
    if key in linked:
        return False
    linked.add(key)
    return True


@register.simple_tag(takes_context=True)
def term(context, key, text=None):
    """{% term "예산현액" %} → the term's words, linked to its entry the first time on the page;
    {% term "집행액" _("집행액(지출액)") %} shows other words for the same entry."""
    if first_use(context.get("request"), key):
        return glossary.term_link(key, text)
    return conditional_escape(glossary.BY_KEY[key].name if text is None else text)
