"""Every page of a bureau under /b/<slug>/ (staffing.middleware): the prefix names the bureau, links keep it."""

import pytest
from django.urls import reverse

from staffing.selectors import bureau_default
from tests.factories import BureauFactory

pytestmark = pytest.mark.django_db


def test_a_prefixed_page_is_the_named_bureaus_and_its_links_keep_the_prefix(client):
    BureauFactory(name="첫째국", slug="first")
    BureauFactory(name="둘째국", slug="second")

    default = client.get(reverse("portal:home"))
    named = client.get("/b/second/")

    def main(response):  # the page's own content: the header's switcher names every bureau
        return response.text[response.text.index("<main") : response.text.index("</main>")]

    assert f"<h1>{bureau_default().name}</h1>" in default.text and "둘째국" not in main(default)
    assert "<h1>둘째국</h1>" in named.text and "첫째국" not in main(named)
    assert "<h1>첫째국</h1>" in client.get("/b/first/").text
    assert 'href="/b/second/glossary/"' in named.text
    assert 'href="/glossary/"' in default.text
    assert reverse("portal:glossary") == "/glossary/"  # the prefix ends with the request


def test_an_unknown_bureau_is_a_404_and_a_bare_prefix_gains_its_slash(client):
    BureauFactory(slug="first")
    assert client.get("/b/nowhere/organisation/").status_code == 404
    response = client.get("/b/first")
    assert response.status_code == 301 and response["Location"] == "/b/first/"
