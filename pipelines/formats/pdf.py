"""PDF reports: the text layer page by page, and tables found by pdfplumber.

A PDF without a text layer (a scan) or one that is encrypted cannot be read offline; it is refused
with that reason so the file is quarantined rather than loaded empty.
"""

from __future__ import annotations

import io

from pipelines.errors import UnreadableFormatError
from pipelines.formats import RawTable, Rendered, render_table_rows

# A page with fewer visible characters than this is treated as an image (scanned) page.
MIN_TEXT_CHARS_PER_DOCUMENT = 20


def render_pdf(data: bytes, source: str = "") -> Rendered:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as exc:
        raise UnreadableFormatError(f"{source}: the PDF is encrypted (password protected)", reason="encrypted_pdf") from exc
    except PDFSyntaxError as exc:
        raise UnreadableFormatError(f"{source}: not a readable PDF ({exc})", reason="corrupt_pdf") from exc
    except Exception as exc:
        msg = str(exc) or exc.__class__.__name__
        reason = "encrypted_pdf" if "password" in msg.lower() or "encrypt" in msg.lower() else "corrupt_pdf"
        raise UnreadableFormatError(f"{source}: PDF could not be opened ({msg})", reason=reason) from exc

    parts: list[str] = []
    tables: list[RawTable] = []
    with pdf:
        for page in pdf.pages:
            page_tables = page.find_tables()
            bboxes = [t.bbox for t in page_tables]
            if bboxes:
                outside = page.filter(
                    lambda obj, bboxes=bboxes: not any(
                        b[0] <= obj.get("x0", 0) <= b[2] and b[1] <= obj.get("top", 0) <= b[3] for b in bboxes
                    )
                )
                text = outside.extract_text() or ""
            else:
                text = page.extract_text() or ""
            parts.append(text)
            for t in page_tables:
                rows = [[" ".join((c or "").split()) for c in row] for row in t.extract()]
                tables.append(RawTable(rows=rows))
                parts.append(render_table_rows(rows))
    text = "\n".join(parts)
    if len("".join(text.split())) < MIN_TEXT_CHARS_PER_DOCUMENT:
        raise UnreadableFormatError(
            f"{source}: the PDF has no text layer (a scanned image); it needs OCR, which ogi does not do",
            reason="image_only_pdf",
        )
    return Rendered(text=text, tables=tables)
