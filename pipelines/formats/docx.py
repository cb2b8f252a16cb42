"""DOCX reports: paragraphs and tables in document order (python-docx).

Merged cells (gridSpan, vMerge) come back from python-docx once per grid slot, which is exactly the
expanded grid the table extractors expect.
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
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    tables: list[RawTable] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = DocxTable(child, document)
            rows: list[list[str]] = []
            for row in table.rows:
                rows.append([" ".join(cell.text.split()) for cell in row.cells])
            tables.append(RawTable(rows=rows))
            lines.append(render_table_rows(rows))
    return lines, tables
