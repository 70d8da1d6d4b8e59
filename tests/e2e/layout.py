"""What the browser tests measure of the site's frame (static/css/site.css), as JavaScript run in the page."""

# how far the page itself scrolls sideways (0: nothing wider than the screen but the tables' own regions)
PAGE_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Every table that scrolls inside its own region, scrolled by dx and back: how far its first row name and its
# first figure moved on the screen (the name should not move, the figure should).
SCROLL_TABLES = """(dx) => {
  const moved = [];
  for (const table of document.querySelectorAll('table.figures')) {
    const region = table.closest('.table-scroll') || table;
    const name = table.querySelector('tbody th');
    const figure = table.querySelector('tbody th + td');
    if (region.scrollWidth <= region.clientWidth || !name || !figure) continue;
    const before = [name.getBoundingClientRect().left, figure.getBoundingClientRect().left];
    region.scrollLeft = dx;
    const after = [name.getBoundingClientRect().left, figure.getBoundingClientRect().left];
    region.scrollLeft = 0;
    moved.push({table: table.id || region.id || (region.closest('[id]') || {}).id, name: after[0] - before[0],
                figure: after[1] - before[1]});
  }
  return moved;
}"""

# Korean words broken across lines inside a table's header or text cell: the characters of one word (between spaces and
# the separators ·, ㆍ, ․, ‧, comma, parentheses, ~ and dashes) standing on more than one line.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('table.figures th, table.figures td.text')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[^\\s·ㆍ․‧,()~–-]+/g)) {
        if (!/[가-힣]/.test(m[0])) continue;
        const tops = new Set();
        for (let i = 0; i < m[0].length; i++) {
          const range = document.createRange();
          range.setStart(node, m.index + i);
          range.setEnd(node, m.index + i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.height) tops.add(Math.round(rect.top));
        }
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""

# Headline cards whose figure or unit is cut off (wider than the card shows)
CLIPPED_CARDS = """() => [...document.querySelectorAll('.headline-figures > div')]
  .filter(card => card.scrollWidth > card.clientWidth || [...card.querySelectorAll('dd > span')]
    .some(span => span.getBoundingClientRect().right > card.getBoundingClientRect().right + 0.5))
  .map(card => card.innerText)"""

# What print media shows: for each selector, how many elements match and how many of them are displayed
SHOWN = """(selectors) => Object.fromEntries(selectors.map(s => {
  const all = [...document.querySelectorAll(s)];
  return [s, [all.length, all.filter(e => e.getClientRects().length > 0).length]];
}))"""
