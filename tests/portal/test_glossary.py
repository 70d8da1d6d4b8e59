"""/glossary/ and the links to it: every entry has an anchor, and a public page links a term's first use
(only the first) to its entry."""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from civicbureau import glossary

pytestmark = pytest.mark.django_db
GLOSSARY = reverse("portal:glossary")


def term_links(html):
    """(anchor, text) of each link to a glossary entry, in the page's order."""
    return re.findall(r'<a class="term" href="' + re.escape(GLOSSARY) + r'#([\w-]+)">([^<]*)</a>', html)


def test_every_term_has_its_own_entry_on_the_page(client):
    html = client.get(GLOSSARY).content.decode()
    anchors = [t.anchor for t in glossary.TERMS]
    assert len(set(anchors)) == len(anchors)
    for term in glossary.TERMS:
        entry = re.search(
            rf'<div id="{term.anchor}" class="glossary-entry">\s*<dt>(.*?)</dt>\s*<dd>(.*?)</dd>', html, re.S
        )
        assert entry, term.key
        assert entry.group(1).startswith(f"<strong>{term.name}</strong>") and entry.group(2) == str(term.meaning)
    for key in (
        "예산현액",
        "원인행위",
        "지출액",
        "집행액",
        "집행률",
        "당초예산",
        "추경",
        "이월",
        "전용",
        "목표",
        "정원",
    ):
        assert key in glossary.BY_KEY, key


def test_the_page_is_in_english_too(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(GLOSSARY).content.decode()
    assert '<div id="budget-authority" class="glossary-entry">' in html
    assert "<h1>Glossary</h1>" in html and "The budget that can be spent now" in html


def render(source):
    request = RequestFactory().get("/")
    return Template("{% load glossary %}" + source).render(Context({"request": request}))


def test_a_term_is_linked_at_its_first_use_only():
    html = render(
        '{% term "예산현액" %} {% term "집행률" %} {% term "예산현액" %} {% term "집행액" "집행액(지출액)" %}'
    )
    assert term_links(html) == [
        ("budget-authority", "예산현액"),
        ("execution-rate", "집행률"),
        ("executed", "집행액(지출액)"),
    ]
    assert html.count("예산현액") == 2  # the second use is plain words


def test_first_use_is_per_request():
    assert (
        term_links(render('{% term "이월" %}')) == term_links(render('{% term "이월" %}')) == [("carried-over", "이월")]
    )


def test_a_term_not_in_the_glossary_is_a_slip():
    with pytest.raises(KeyError):
        render('{% term "없는 말" %}')


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("budget:execution", ["as-of", "budget-authority", "budget-line", "disbursement", "executed"]),
        ("city:execution", ["as-of", "budget-line", "edition"]),
        ("programs:schedule", ["schedule"]),
    ],
)
def test_public_pages_link_each_term_once(client, name, expected):
    html = client.get(reverse(name)).content.decode()
    anchors = [anchor for anchor, _text in term_links(html)]
    assert len(anchors) == len(set(anchors)), anchors  # no term linked twice on a page
    assert sorted(anchors[: len(expected)]) == expected  # the lead's terms come first
    assert f'href="{GLOSSARY}"' in html  # the menu


def test_the_execution_page_links_the_headline_terms_the_lead_did_not(client):
    anchors = [anchor for anchor, _text in term_links(client.get(reverse("budget:execution")).content.decode())]
    assert anchors[5:7] == ["execution-rate", "pace"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", {"original-budget", "budget-authority", "executed", "execution-rate", "unit", "headcount"}),
        ("/organisation/", {"headcount", "as-of", "original-budget", "supplementary-budget", "final-budget", "minus"}),
        ("/programs/civic-activity-facilities/", {"budget-authority", "obligation", "disbursement", "execution-rate"}),
    ],
)
def test_the_home_organisation_and_program_pages_link_their_tables_terms_once(client, url, expected):
    html = client.get(url).content.decode()
    anchors = [anchor for anchor, _text in term_links(html)]
    assert len(anchors) == len(set(anchors)), anchors
    assert expected <= set(anchors), sorted(expected - set(anchors))
