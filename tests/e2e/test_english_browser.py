"""Every word of an English page in English (issue 17): each public page, dashboard and staff page, opened in
Chromium with the language cookie 'en', keeps no Hangul but data — names of the bureau, divisions, teams,
programs, budget lines, milestones, indicators, places and the report's own quoted text — read from the
database before the browser starts, and a short list of proper names below."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from programs.models import Program
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_public_browser import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)

DATA_APPS = ("staffing", "budget", "programs", "city")  # the apps whose text fields hold the report's data
PROPER_NAMES = (
    "공공누리",  # the licence's proper name (공공누리 제1유형), as the open data names it
    "한국어",  # the language menu names each language in itself
)
HANGUL = "\uac00-\ud7a3\u3131-\u318e"
HANGUL_RUN = re.compile(rf"[{HANGUL}][{HANGUL}0-9 ·･ㆍ.,()~-]*")
KOREAN_DATE = re.compile(r"[’'‘]\d\d\.(?: ?\d{1,2}\.){0,2}|\d{1,2}/[’']\d\d")  # ’22. 7. 1., ’22., 7/’22

# The page's text but what the page itself marks as Korean (lang="ko": the glossary's Korean term beside its
# English one, the report's own outline text), which a screen reader then reads as Korean.
TEXT_OUTSIDE_KOREAN = """() => {
  const marked = [...document.body.querySelectorAll('[lang="ko"]')];
  const before = marked.map(e => e.style.display);
  marked.forEach(e => { e.style.display = 'none'; });
  const text = document.body.innerText;
  marked.forEach((e, i) => { e.style.display = before[i]; });
  return text;
}"""

PUBLIC_PAGES = ["/", "/organisation/", "/execution/", "/execution/city/", "/schedule/", "/programs/", "/glossary/"]
STAFF_PAGES = [
    "/my/",
    "/dashboards/bureau/",
    "/dashboards/bureau/changes/",
    "/dashboards/bureau/changes/?earlier=2022-06-01&later=2022-07-01",
    "/dashboards/bureau/?measures-status=off_track",  # the measures, filtered
    "/dashboards/bureau/progress/",  # the roll-up: direction down to measure
    "/dashboards/division/participation/",
    "/dashboards/division/participation/changes/",
    "/staff/entry/",
    "/staff/entry/participation/2022-07-01/",  # the report's figures, approved and published
    "/staff/entry/participation/2022-07-01/history/",
    "/staff/entry/participation/2022-08-31/",  # a month still to enter
    "/staff/lines/2022/PA-01/history/",
    "/staff/lines/2022/PA-01/adjustments/",
    "/staff/periods/",
    "/staff/periods/2022-07-01/",
    "/staff/adjustments/",
    "/staff/schedule/",
    "/staff/indicators/",
    "/staff/indicators/village-centre-card-news/",
    "/staff/measures/",
    "/staff/measures/?status=unproposed",
    "/staff/measures/timebank-pilot-branches/2022/",  # the report's one target so far, approved
    "/staff/consistency/",
    "/staff/headcount/participation/",
    "/accounts/password_change/",
]


def interface_words() -> set[str]:
    """The words the interface itself writes (every Korean message of the English catalogue), which a data
    text never excuses: a header '구분' left in Korean fails even where an indicator's label is '구분'."""
    catalogue = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    words, current = set(), None
    for line in catalogue.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = [line[len("msgid ") :]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            words.add("".join(ast.literal_eval(part) for part in current).strip())
            current = None
    return words


def data_texts() -> set[str]:
    """Every text the data holds in Hangul or in the report's date form: each text field's value (not a
    field with choices, whose labels are interface words) and each of its lines. Names, titles and an
    indicator's categories always count as data (a budget line is named 기본경비, a grade 임기제, a
    category 팀); other texts only where the interface
    does not write the same word (an indicator's unit 명 is the interface's unit 'persons')."""
    names, texts = set(), set()
    for app in DATA_APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.name
                for f in model._meta.get_fields()
                if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.is_relation
            ]
            for values in model.objects.values_list(*fields) if fields else ():
                for field, value in zip(fields, values, strict=True):
                    if value and re.search(f"[{HANGUL}’]", value):
                        found = names if field in ("name", "title", "category") else texts
                        found.add(value.strip())
                        found.update(line.strip() for line in value.splitlines() if line.strip())
    return names | (texts - interface_words())


def data_pattern(texts) -> re.Pattern:
    """One pattern matching any data text as a whole (not inside a longer Korean word), longest first;
    the page's runs of spaces match any whitespace."""
    pieces = sorted(texts | set(PROPER_NAMES), key=len, reverse=True)
    escaped = (r"\s+".join(re.escape(word) for word in piece.split()) for piece in pieces)
    return re.compile(rf"(?<![{HANGUL}])(?:{'|'.join(escaped)})(?![{HANGUL}])")


def korean_left(text: str, pattern: re.Pattern) -> set[str]:
    """The runs of Hangul and the dates in the report's Korean form a page's text keeps once every data
    text is taken out."""
    rest = pattern.sub(" ", text)
    return {run.strip(" .,()~-") for run in HANGUL_RUN.findall(rest)} | set(KOREAN_DATE.findall(rest))


def test_korean_left_keeps_only_what_is_not_data():
    pattern = data_pattern({"시민참여과", "시민참여 활성화 추진", "’22. 7월~"})
    text = (
        "Division 시민참여과\tOriginal budget (천원)\n시민참여 활성화 추진\t281\n시민참여과장 공공누리\n"
        "(as of ’22. 7. 1., unit: %)\t’22. 7월~\tJul 2022\t7/’22"
    )
    assert korean_left(text, pattern) == {"천원", "시민참여과장", "’22. 7. 1.", "7/’22"}


@pytest.fixture
def allowed(demo_server):
    """The data's texts and the program pages to visit, read before the browser starts."""
    return data_pattern(data_texts()), [f"/programs/{slug}/" for slug in Program.objects.values_list("slug", flat=True)]


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-demo-2022")
    page.click("main button[type=submit]")
    page.wait_for_url("**/my/")


def test_every_page_in_english_keeps_no_korean_but_data(demo_server, allowed, browser):
    pattern, program_pages = allowed
    host = demo_server.url.split("//")[1].split(":")[0]
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="en-GB", device_scale_factor=1)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "domain": host, "path": "/"}])
    page = context.new_page()
    left = {}
    visited = 0

    def check(url):
        nonlocal visited
        response = page.goto(demo_server.url + url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "en", url
        runs = korean_left(page.evaluate(TEXT_OUTSIDE_KOREAN), pattern)
        if runs:
            left[url] = sorted(runs)
        visited += 1

    for url in [*PUBLIC_PAGES, *program_pages, "/accounts/login/"]:
        check(url)
    page.screenshot(path=ARTIFACTS / "english-login.png", full_page=True)
    sign_in(page, demo_server.url, "planning")  # planning sees every staff page of the bureau
    for url in STAFF_PAGES:
        check(url)
        if url == "/dashboards/bureau/changes/":
            page.screenshot(path=ARTIFACTS / "english-bureau-changes.png", full_page=True)
    page.goto(demo_server.url + "/dashboards/bureau/")
    page.screenshot(path=ARTIFACTS / "english-bureau-dashboard.png", full_page=True)
    context.close()
    assert visited == len(PUBLIC_PAGES) + len(program_pages) + 1 + len(STAFF_PAGES)
    assert left == {}
