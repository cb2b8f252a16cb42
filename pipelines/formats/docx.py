"""DOCX reports: paragraphs and tables in document order (python-docx).

Merged cells (gridSpan, vMerge) are expanded into every grid slot they cover, and each slot records
the cell that owns it, which is the expanded grid the table extractors expect.
"""

from __future__ import annotations

import io
import zipfile

from pipelines.errors import UnreadableFormatError
from pipelines.formats import RawTable, Rendered, render_table_rows


def render_docx(data: bytes, source: str = "") -> Rendered:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFormatError(
            f"{source}: not a readable DOCX file (corrupt or not a Word document: {exc})", reason="corrupt_docx"
        ) from exc
    except Exception as exc:  # python-docx raises assorted errors on damaged packages
        raise UnreadableFormatError(f"{source}: DOCX could not be opened ({exc})", reason="corrupt_docx") from exc

    try:
        lines, tables = _read_body(document)
        title = (document.core_properties.title or "").strip()
    except Exception as exc:  # damaged XML inside a package that opened
        raise UnreadableFormatError(f"{source}: the DOCX body cannot be read ({exc})", reason="corrupt_docx") from exc
    text = "\n".join(ln for ln in lines if ln.strip())
    return Rendered(text=text, tables=tables, title=title)


def _read_body(document) -> tuple[list[str], list[RawTable]]:  # type: ignore[no-untyped-def]
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    tables: list[RawTable] = []

    def read(container) -> None:  # type: ignore[no-untyped-def]
        for child in container.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                grid = table_grid(child)
                tables.append(grid)
                lines.append(render_table_rows(grid.rows))
            elif tag in ("sdt", "sdtContent", "customXml"):
                read(child)  # content controls and custom XML wrap paragraphs and tables

    read(document.element.body)
    return lines, tables


def _cell_text(tc) -> str:  # type: ignore[no-untyped-def]
    """A cell's paragraphs joined by one space; runs inside a paragraph joined as they are."""
    from docx.oxml.ns import qn

    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
    return " ".join(" ".join(paragraphs).split())


def table_grid(tbl) -> RawTable:  # type: ignore[no-untyped-def]
    """A <w:tbl> as an expanded grid with the owner of every slot.

    gridSpan repeats a cell to the right; vMerge="continue" repeats the cell above (Word's way of
    writing rowspan), so a value cell spanning two columns is one printed cell, as in HTML.
    """
    rows: list[list[str]] = []
    owners: list[list[tuple[int, int]]] = []
    for r, tr in enumerate(tbl.tr_lst):
        row: list[str] = []
        own: list[tuple[int, int]] = []
        c = 0
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            above = owners[r - 1] if r > 0 else []
            if tc.vMerge == "continue" and c < len(above):
                for k in range(span):
                    owner = above[c + k] if c + k < len(above) else above[-1]
                    own.append(owner)
                    row.append(rows[owner[0]][owner[1]])
            else:
                text = _cell_text(tc)
                for _ in range(span):
                    own.append((r, c))
                    row.append(text)
            c += span
        rows.append(row)
        owners.append(own)
    return RawTable(rows=rows, owners=owners)
