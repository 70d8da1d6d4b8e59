"""Korean by default, English through Django's i18n: the catalogue is complete and the pages use it."""

import codecs
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_message_has_an_english_translation():
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    assert len(entries) > 150
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[\d\])? ""\n?$', e.strip(), re.M)
        and not re.search(r'^"', e.split("msgstr", 1)[1], re.M)
    ]
    assert untranslated == []
    assert "#, fuzzy" not in "\n\n".join(entries)


def test_the_compiled_catalogue_holds_every_translation_of_its_source():
    """The committed .mo (a fresh machine may have no msgfmt) must match the .po it was compiled from."""
    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    pairs = re.findall(
        r'^(?:msgctxt "([^"]*)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', CATALOGUE.read_text(encoding="utf-8"), re.M
    )
    assert len(pairs) > 150
    for context, msgid, msgstr in pairs:
        msgid, msgstr = (codecs.decode(x, "unicode_escape").encode("latin-1").decode("utf-8") for x in (msgid, msgstr))
        found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert found == msgstr, msgid


@pytest.mark.django_db
def test_home_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in html
    assert "(as of 1 Jul 2022, unit: thousand won, %)" in html and "’22" not in html  # dates in English form
    assert "Organisation: 5 divisions, 22 teams" in html
    assert "시민참여과 grade Da 1 person" in html or "시민참여과 Grade Da 1 person" in html


@pytest.mark.django_db
def test_home_in_korean_by_default(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="ko">' in html
    assert "(’22. 7. 1.기준, 단위 : 천원, %)" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/execution/", "/schedule/", "/programs/", "/programs/civic-activity-facilities/", "/organisation/"]
)
def test_public_pages_in_english(client, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    # every label is translated: the only Korean left is data (names as the report writes them)
    headings = "" if url.startswith("/programs/") else "h1|h2|"  # program pages' headings are program titles (data)
    labels = re.findall(rf"<(?:{headings}label|caption|button|dt)[^>]*>(.*?)</", html, re.S)
    labels += re.findall(r'<th scope="col"[^>]*>\s*(?:<a[^>]*>)?([^<]*)', html)
    data_names = (
        "과",
        "시민협력국",
        "예산",
        "사업",
        "센터",
        "서울",
        "추진",
        "운영",
        "급",
        "사무운영",
        "임기제",
    )  # names and grades: data
    korean = [t.strip() for t in labels if re.search(r"[가-힣]", t) and not t.strip().endswith(data_names)]
    assert korean == [], korean
