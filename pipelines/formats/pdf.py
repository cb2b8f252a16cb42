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
# The PDF header may follow up to 1 KB of junk (ISO 32000-1, annex H.3 implementation note 13).
PDF_HEADER_WINDOW = 1024


def render_pdf(data: bytes, source: str = "") -> Rendered:
    import pdfplumber

    if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
        raise UnreadableFormatError(f"{source}: not a PDF file (no %PDF header)", reason="corrupt_pdf")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps pdfminer's errors (PdfminerException(PDFPasswordIncorrect()))
        raise _open_error(exc, source) from exc

    try:
        with pdf:
            text, tables = _read_pages(pdf)
    except Exception as exc:  # a damaged content stream or font surfaces only while a page is read
        raise UnreadableFormatError(f"{source}: a page of the PDF cannot be read ({_describe(exc)})",
                                    reason="corrupt_pdf") from exc
    if len("".join(text.split())) < MIN_TEXT_CHARS_PER_DOCUMENT:
        raise UnreadableFormatError(
            f"{source}: the PDF has no text layer (a scanned image); it needs OCR, which ogi does not do",
            reason="image_only_pdf",
        )
    return Rendered(text=text, tables=tables)


def _describe(exc: BaseException) -> str:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    return str(exc) or (f"{type(inner).__name__}" if inner else type(exc).__name__)


def _open_error(exc: Exception, source: str) -> UnreadableFormatError:
    """The quarantine error for a PDF pdfplumber cannot open: encrypted, or damaged."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    causes: list[BaseException] = [exc, *(a for a in exc.args if isinstance(a, BaseException))]
    if exc.__cause__ is not None:
        causes.append(exc.__cause__)
    if any(isinstance(c, PDFPasswordIncorrect | PDFEncryptionError) for c in causes) or any(
        "password" in str(c).lower() or "encrypt" in str(c).lower() for c in causes
    ):
        return UnreadableFormatError(f"{source}: the PDF is encrypted (it needs a password to open)",
                                     reason="encrypted_pdf")
    return UnreadableFormatError(f"{source}: not a readable PDF, damaged or cut off ({_describe(exc)})",
                                 reason="corrupt_pdf")


def _read_pages(pdf) -> tuple[str, list[RawTable]]:  # type: ignore[no-untyped-def]
    parts: list[str] = []
    tables: list[RawTable] = []
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
    return "\n".join(parts), tables
