"""Reading a rendered table back as text rows, the way a person reads it (tags stripped, spaces squeezed)."""

import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables = []  # (container ids, caption, head cells, rows)
        self._ids = []
        self._stack = []
        self._cell = None
        self._row = None
        self._caption = None
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._stack.append((tag, attrs.get("id")))
        if "visually-hidden" in (attrs.get("class") or "") or attrs.get("aria-hidden") == "true":
            self._hidden += 1
            self._stack[-1] = (tag, attrs.get("id"), "hidden")
        if tag == "table":
            ids = [s[1] for s in self._stack if s[1]]
            self.tables.append({"ids": ids, "caption": "", "head": [], "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        while self._stack:
            popped = self._stack.pop()
            if len(popped) == 3:
                self._hidden -= 1
            if popped[0] == tag:
                break
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if not table["head"] and not table["rows"]:
                table["head"] = self._row
            else:
                table["rows"].append(self._row)
            self._row = None
        elif tag == "caption":
            self.tables[-1]["caption"] = re.sub(r"\s+", " ", "".join(self._caption)).strip()
            self._caption = None

    def handle_data(self, data):
        if self._hidden:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def table(html: str, container_id: str) -> dict:
    """The first table inside the element with this id: {'caption', 'head', 'rows'} of cell texts."""
    parser = _Tables()
    parser.feed(html)
    for found in parser.tables:
        if container_id in found["ids"]:
            return found
    raise AssertionError(f"no table in #{container_id}")


def all_tables(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables
