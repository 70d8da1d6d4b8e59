"""Vendored files: each folder carries its licence, and the web font draws every character the site shows.

The font check reads the font files themselves (fontTools): a subset's unicode-range may name characters
its file has not (Fontsource's latin subsets claim all of U+2000-206F), so the CSS alone would pass a
character the browser then draws with another font, or as an empty box.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

BASE = Path(settings.BASE_DIR)
VENDOR = BASE / "static" / "vendor"
FONTS_CSS = BASE / "static" / "css" / "fonts.css"
FACE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}")
WEIGHTS = ("400", "700")

# Characters no vendored font has; the browser takes them from the next font of site.css's stack that has
# them. ONE DOT LEADER is in no Noto font Fontsource publishes (Korean, Japanese, Chinese, symbols, math),
# and the report writes it between words ("광역․권역"), where any system font's dot reads the same; the
# superscript five and six are in two refusal messages (10¹⁵, 10⁶): Noto Sans KR has ¹ ² ³ ⁴ only. The
# outline markers ‣ (TRIANGULAR BULLET, in no Fontsource font either) and ∙ (BULLET OPERATOR, only in Noto Sans
# Math and Symbols 2: a whole font for one marker) likewise.
FALLBACK = {"\u2024", "\u2075", "\u2076", "\u2023", "\u2219"}


def faces():
    """(weight, font file, set of code points its unicode-range names) for each @font-face of fonts.css."""
    result = []
    for match in FACE.finditer(FONTS_CSS.read_text()):
        body = match["body"]
        assert re.search(r"font-family:\s*'Noto Sans KR'", body), body
        assert re.search(r"font-display:\s*swap", body), body
        weight = re.search(r"font-weight:\s*(\d+)", body)[1]
        url = re.search(r"src:\s*url\(([^)]+)\)\s*format\('woff2'\)", body)[1]
        points = set()
        for part in re.search(r"unicode-range:\s*([^;]+)", body)[1].split(","):
            first, _, last = part.strip().removeprefix("U+").partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
        result.append((weight, (FONTS_CSS.parent / url).resolve(), points))
    return result


@cache
def character_map(path):
    return frozenset(TTFont(path).getBestCmap())


def drawn_by_web_font(text, weight):
    """The characters of text that no face of the weight both names in its unicode-range and has."""
    wanted = {ord(c) for c in text if not c.isspace() and unicodedata.category(c) != "Cc"}
    for face_weight, path, points in faces():
        if face_weight == weight and wanted & points:
            wanted -= points & character_map(path)
    return {chr(point) for point in wanted}


def shown_text():
    """What the site shows: the demo's data (the 2022 report) and the site's own words in both languages."""
    files = [*(BASE / "demo_data").glob("*.csv"), *(BASE / "demo_data").glob("*.yaml")]
    files += [path for path in BASE.glob("*/templates/**/*.html") if ".venv" not in path.parts]
    files += [*(BASE / "templates").glob("**/*.html"), BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    assert len(files) > 20
    return "".join(path.read_text(encoding="utf-8") for path in files)


def test_each_vendored_folder_has_its_licence_and_a_readme():
    folders = [path for path in VENDOR.iterdir() if path.is_dir()]
    assert {folder.name for folder in folders} >= {"chartjs", "axe-core", "fonts"}
    for folder in folders:
        names = [path.name.upper() for path in folder.iterdir()]
        assert any(name.startswith("LICENSE") for name in names), f"{folder} has no LICENSE file"
        assert any(name.startswith("README") for name in names), f"{folder} has no README saying where it came from"


def test_the_fonts_licence_is_the_open_font_licence():
    assert "SIL OPEN FONT LICENSE Version 1.1" in (VENDOR / "fonts" / "LICENSE").read_text()


def test_fonts_css_names_every_vendored_font_file_and_only_those():
    named = [path for _weight, path, _points in faces()]
    assert len(named) == len(set(named))
    assert all(path.exists() for path in named), [path for path in named if not path.exists()]
    assert set(named) == {path.resolve() for path in (VENDOR / "fonts").rglob("*.woff2")}
    assert {weight for weight, _path, _points in faces()} == set(WEIGHTS)


@pytest.mark.parametrize("weight", WEIGHTS)
def test_the_web_font_draws_every_character_the_site_shows(weight):
    missing = drawn_by_web_font(shown_text(), weight) - FALLBACK
    assert not missing, sorted(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in missing)


@pytest.mark.parametrize("weight", WEIGHTS)
def test_the_web_font_draws_the_halfwidth_forms_the_machines_font_lacked(weight):
    assert drawn_by_web_font("｢민주주의 서울｣ 민･관 광역․권역", weight) == {"\u2024"}


def test_the_fallback_list_holds_only_characters_the_web_font_lacks():
    # once a vendored font has one of them, it leaves the list
    for weight in WEIGHTS:
        assert drawn_by_web_font("".join(FALLBACK), weight) == FALLBACK


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/" + settings.STATIC_URL.strip("/") + "/favicon.ico"
    assert (BASE / "static" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an icon file's header
