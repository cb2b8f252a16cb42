"""HTML reports: visible text with paragraph breaks, and every <table> as an expanded grid.

Real pages are Word exports with huge inline styles, text split across <span>/<font>, cells split by
<br>, rowspan/colspan header blocks and navigation around the article. Script, style and comments
are dropped; block elements end a line; a table becomes pipe rows in the text and a grid.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from pipelines.errors import UnreadableFormatError
from pipelines.formats import RawTable, Rendered, render_table_rows

BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "dl", "title",
}
DROP_TAGS = ("script", "style", "noscript", "template", "head")
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
# A rowspan/colspan beyond this is a typo (Word exports never span more); it is capped.
MAX_SPAN = 200


_CELL_BREAKS = frozenset({"br", "p", "div"})


def _cell_text(el: etree._Element) -> str:
    """Text of a table cell: inline pieces joined as is ('2'+'0' in two spans is 20), while a
    <br>, <p> or <div> inside the cell separates words by one space."""
    breaks = [b for b in el.iter("br", "p", "div", "BR", "P", "DIV") if b is not el]
    if not breaks or (len(breaks) == 1 and breaks[0].getparent() is el and not (el.text or "").strip()
                      and not (breaks[0].tail or "").strip()):
        # One block (Word wraps each cell in a <p>) or none: no word to separate, read in C.
        text = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
        return " ".join(text.replace("\u00a0", " ").split())
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event == "start":
            if node is not el and tag in _CELL_BREAKS:
                parts.append(" ")
            if node.text and tag:
                parts.append(node.text)
        elif node is not el:
            if tag in ("p", "div"):
                parts.append(" ")
            if node.tail:
                parts.append(node.tail)
    return " ".join("".join(parts).replace("\u00a0", " ").split())


def _int_attr(el: etree._Element, name: str) -> int:
    value = el.get(name)
    if value is None:
        return 1
    if value.isdigit():
        return max(1, min(int(value), MAX_SPAN))
    digits = re.sub(r"\D", "", value)
    return max(1, min(int(digits), MAX_SPAN)) if digits else 1


def table_grid(table: etree._Element) -> RawTable:
    """Expand a <table> into a grid, repeating rowspan/colspan cells in every slot they cover.

    Rows of nested tables are not mixed in: only this table's own rows are read.
    """
    rows: list[list[str]] = []
    owners: list[list[tuple[int, int]]] = []
    pending: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
    own_rows = [tr for tr in table.iter("tr") if _closest_table(tr) is table]
    for r, tr in enumerate(own_rows):
        row: list[str] = []
        own: list[tuple[int, int]] = []
        c = 0
        cells = [td for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")]
        for td in cells:
            while (r, c) in pending:
                text, owner = pending.pop((r, c))
                row.append(text)
                own.append(owner)
                c += 1
            text = _cell_text(td)
            rs, cs = _int_attr(td, "rowspan"), _int_attr(td, "colspan")
            for dc in range(cs):
                row.append(text)
                own.append((r, c))
                for dr in range(1, rs):
                    pending[(r + dr, c + dc)] = (text, (r, c))
            c += cs
        while (r, c) in pending:
            text, owner = pending.pop((r, c))
            row.append(text)
            own.append(owner)
            c += 1
        rows.append(row)
        owners.append(own)
    return RawTable(rows=rows, owners=owners)


def _closest_table(el: etree._Element) -> etree._Element | None:
    p = el.getparent()
    while p is not None and not (isinstance(p.tag, str) and p.tag.lower() == "table"):
        p = p.getparent()
    return p


def render_html(html: str, source: str = "") -> Rendered:
    """Turn an HTML page into text as printed and its data tables."""
    if not html.strip():
        raise UnreadableFormatError(f"{source}: the HTML file is empty", reason="empty")
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFormatError(f"{source}: HTML could not be parsed ({exc})", reason="bad_html") from exc
    title_el = root.find(".//title")
    title = " ".join((title_el.text_content() if title_el is not None else "").split())
    for tag in DROP_TAGS:
        for el in root.iter(tag):
            el.drop_tree() if el.getparent() is not None else None
    etree.strip_elements(root, etree.Comment, with_tail=False)

    tables: list[RawTable] = []
    # Innermost tables first: a layout table holding a data table renders only its own text.
    all_tables = list(root.iter("table"))
    data_tables = [t for t in all_tables if not any(True for _ in t.iterdescendants("table"))]
    placeholders: dict[str, str] = {}
    for t in data_tables:
        grid = table_grid(t)
        if not any(any(c for c in row) for row in grid.rows):
            continue
        key = f"\ue000TABLE{len(tables)}\ue000"
        tables.append(grid)
        placeholders[key] = render_table_rows(grid.rows)
        tail = t.tail
        marker = etree.Element("p")
        marker.text = key
        marker.tail = tail
        parent = t.getparent()
        if parent is not None:
            parent.replace(t, marker)

    body = root.find("body")
    text = _block_text(body if body is not None else root)
    for key, rendered in placeholders.items():
        text = text.replace(key, "\n" + rendered + "\n")
    lines = [_WS.sub(" ", ln).strip() for ln in text.split("\n")]
    text = "\n".join(ln for ln in lines if ln)
    return Rendered(text=text, tables=tables, title=title)


def _block_text(root: etree._Element) -> str:
    """Visible text with a line break after every block element."""
    out: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        is_element = isinstance(el.tag, str)
        tag = el.tag.lower() if is_element else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                out.append("\n")
            if el.text and is_element:
                out.append(el.text)
        else:
            if tag in BLOCK_TAGS:
                out.append("\n")
            if el.tail and el is not root:
                out.append(el.tail)
    return "".join(out)
