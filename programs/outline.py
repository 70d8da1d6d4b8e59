"""A program section's outline as the report writes it: items nested □ > ○ > － > ·, with notes (※), arrows
and captions under the item they belong to.

The demo data (and anyone pasting a section) writes an outline as plain lines, one item a line, two spaces
of indentation per level, the report's marker first:

    ○ (사업내용) 공동체확산 선도모델 개발·지원, 마을공동체 연구·교육·홍보 등
      ※ 수탁기관 : 대한불교조계종 조계사(’21.11.21.~’22.12.31.)

`outline_parse` turns that into `OutlineLine`s (level 1 = the outermost), refusing a line that skips a
level; `outline_text` writes them back, so the two round-trip.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

INDENT = 2
# The report's item markers; a line starting with anything else (→, <, 1., 1), a word) has no marker.
MARKERS = frozenset("□○－–-·∙․※▪‣") | frozenset("①②③④⑤⑥⑦⑧⑨⑩")
MAX_LEVEL = 6


@dataclass(frozen=True)
class OutlineLine:
    level: int  # 1 = outermost
    marker: str  # "" when the report gives the item none
    text: str


class OutlineError(ValueError):
    def __init__(self, line_number: int, message: str):
        super().__init__(_("%(line)s행: %(message)s") % {"line": line_number, "message": message})
        self.line_number = line_number


def outline_parse(text: str) -> list[OutlineLine]:
    """Outline lines from indented text; blank lines are skipped. Raises OutlineError naming the line."""
    lines: list[OutlineLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if "\t" in raw[:indent] or stripped.startswith("\t") or indent % INDENT:
            raise OutlineError(number, _("들여쓰기는 %(indent)s칸 단위의 공백이어야 합니다.") % {"indent": INDENT})
        level = indent // INDENT + 1
        previous = lines[-1].level if lines else 0
        if level > previous + 1:
            raise OutlineError(number, _("바로 위 항목보다 두 단계 이상 들여 쓸 수 없습니다."))
        if level > MAX_LEVEL:
            raise OutlineError(number, _("항목은 %(levels)s단계까지입니다.") % {"levels": MAX_LEVEL})
        marker, rest = "", stripped.rstrip()
        first = rest[0]
        if first in MARKERS and not (first == "-" and rest[1:2] not in ("", " ")):  # "-1억원" is text
            marker, rest = first, rest[1:].lstrip()
        if not rest:
            raise OutlineError(number, _("표시 뒤에 내용이 없습니다."))
        lines.append(OutlineLine(level, marker, rest))
    return lines


def outline_text(lines) -> str:
    """The indented text of outline lines (anything with level, marker and text)."""
    return "".join(
        " " * (INDENT * (line.level - 1)) + (f"{line.marker} " if line.marker else "") + line.text + "\n"
        for line in lines
    )


@dataclass
class OutlineNode:
    """An item with the items nested under it, for a page's nested lists."""

    marker: str
    text: str
    children: list["OutlineNode"]


def outline_tree(lines) -> list[OutlineNode]:
    """Flat outline lines (levels in order, as outline_parse leaves them) as a tree of nodes."""
    roots: list[OutlineNode] = []
    stack: list[tuple[int, OutlineNode]] = []
    for line in lines:
        node = OutlineNode(line.marker, line.text, [])
        while stack and stack[-1][0] >= line.level:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((line.level, node))
    return roots


def outline_parents(lines) -> list[int | None]:
    """For each outline line, the index of the line it is nested under (None for the outermost), restarting at
    every section (lines with a `section` attribute): the flat form of outline_tree."""
    parents: list[int | None] = []
    stack: list[int] = []
    for index, line in enumerate(lines):
        if index and getattr(line, "section", None) != getattr(lines[index - 1], "section", None):
            stack = []
        while stack and lines[stack[-1]].level >= line.level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(index)
    return parents
