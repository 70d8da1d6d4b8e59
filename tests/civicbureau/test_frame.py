"""The site's frame (templates/base.html, includes/footer.html, the error pages): the footer on every page in
both languages, languages named in their own tongue, and the site's own 404 instead of Django's debug page."""

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

FOOTER = {
    "ko": [
        "운영: 시민협력국",
        "공공누리 제1유형(출처표시)",
        "개인정보: 공개 화면은 고른 언어를 기억하는 쿠키 하나만 둡니다",
    ],
    "en": [
        "run by the Civic Cooperation Bureau",
        "Korea Open Government License Type 1 (attribution)",
        "Privacy: public pages keep one cookie, remembering the language you chose.",
    ],
}
# a telephone number (02-2133-1234, 1588-1234) or a mail address: the 2022 report gives none, so the footer has none
CONTACT = re.compile(r"\b\d{2,4}-\d{3,4}(-\d{4})?\b|[\w.+-]+@[\w-]+\.[\w.]+")


def footer(html):
    match = re.search(r'<footer class="site" id="site-footer" lang="(\w+)">(.*?)</footer>', html, re.S)
    assert match, "no footer"
    return match.group(1), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2)))


def language_options(html):
    return re.findall(r'<option value="(\w+)" lang="(\w+)"(?: selected)?>([^<]+)</option>', html)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_kind_of_page_has_the_footer_in_its_language(client, staff_client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [
        (client, reverse("portal:home"), 200),
        (client, reverse("budget:execution"), 200),
        (client, reverse("login"), 200),
        (client, "/no-such-page/", 404),
        (staff_client, reverse("budget:entry_board"), 200),
        (staff_client, reverse("reports:briefing_export"), 403),
    ]
    for c, url, status in pages:
        response = c.get(url)
        assert response.status_code == status, url
        footer_language, text = footer(response.content.decode())
        assert footer_language == language, url
        for words in FOOTER[language]:
            assert words in text, (url, words)
        assert not CONTACT.search(text), (url, CONTACT.search(text).group(0))
        assert 'href="https://www.kogl.or.kr/info/licenseType1.do"' in response.content.decode()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_language_menu_names_each_language_in_its_own_tongue(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("budget:execution")).content.decode()
    assert language_options(html) == [("ko", "ko", "한국어"), ("en", "en", "English")]
    assert f'<option value="{language}" lang="{language}" selected>' in html


@pytest.mark.parametrize(
    "language, title, home",
    [("ko", "페이지를 찾을 수 없습니다", "현황으로 돌아가기"), ("en", "Page not found", "Back to the overview")],
)
def test_the_404_is_the_sites_own_page_with_the_way_home(client, language, title, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f"<h1>{title} (404)</h1>" in html
    assert f'<a href="{reverse("portal:home")}">{home}</a>' in html
    assert '<header class="site">' in html and 'id="site-footer"' in html  # the site's frame
    assert "URLconf" not in html and "admin/" not in html  # nothing of Django's debug page listing the URLs


@override_settings(DEBUG=True)
def test_with_debug_on_a_wrong_address_lists_the_urls(client):
    """What bin/serve-demo avoids by serving with DEBUG off: Django's debug 404 lists every URL pattern."""
    html = client.get("/no-such-page/").content.decode()
    assert "URLconf" in html and "Page not found" in html and 'id="site-footer"' not in html


def test_the_serve_demo_script_serves_without_debug_pages():
    script = (settings.BASE_DIR / "bin" / "serve-demo").read_text()
    assert 'export DEBUG="${DEBUG:-0}"' in script
    assert script.rstrip().endswith("runserver --insecure 127.0.0.1:8000")


@pytest.mark.parametrize(
    "template, words", [("500.html", "일시적인 오류"), ("503.html", "데이터베이스에 연결할 수 없습니다")]
)
def test_500_and_503_use_the_frame_without_the_database(template, words, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        html = render_to_string(template)
    assert words in html
    assert '<header class="site"><a class="brand" href="/">CivicBureau</a></header>' in html
    assert html.count('<a href="/">') == 2  # the way home, in each language
    assert 'id="site-footer"' in html and "css/site.css" in html
