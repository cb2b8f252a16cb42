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
    """Each page's text lines and tables in reading order: a table is placed where it stands on the
    page (by its top edge), not after the page's text."""
    parts: list[str] = []
    tables: list[RawTable] = []
    for page in pdf.pages:
        page_tables = page.find_tables()
        bboxes = [t.bbox for t in page_tables]
        blocks: list[tuple[float, int, str]] = []  # (top, order, text)
        if bboxes:
            outside = page.filter(lambda obj, bboxes=bboxes: not _inside(obj, bboxes))
        else:
            outside = page
        for line in outside.extract_text_lines() or []:
            blocks.append((float(line["top"]), 0, line["text"]))
        for t in page_tables:
            grid = table_grid(t)
            if not any(any(c for c in row) for row in grid.rows):
                continue
            tables.append(grid)
            blocks.append((float(t.bbox[1]), 1, render_table_rows(grid.rows)))
        blocks.sort(key=lambda b: (b[0], b[1]))
        parts.append("\n".join(text for _, _, text in blocks))
    return "\n".join(parts), tables


def _inside(obj: dict, bboxes: list[tuple[float, float, float, float]]) -> bool:  # type: ignore[type-arg]
    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in bboxes)


def table_grid(table) -> RawTable:  # type: ignore[no-untyped-def]
    """A pdfplumber table as an expanded grid with owners.

    pdfplumber gives None for a slot covered by a merged cell; the owner is the real cell whose
    box holds the slot's centre (found from the column's and the row's edges), and the slot repeats
    its text, as an HTML grid does.
    """
    texts = table.extract()
    rows_cells = [row.cells for row in table.rows]
    n_cols = max((len(r) for r in rows_cells), default=0)
    # A column's edges are those of its narrowest cell, a row's those of its shortest: a merged cell
    # starts in some row/column but covers more.
    col_x: list[tuple[float, float] | None] = []
    edges = sorted({round(v, 1) for r in rows_cells for b in r if b is not None for v in (b[0], b[2])})
    if len(edges) == n_cols + 1:
        # Every column boundary is some cell's edge: a column no cell starts in (the second half
        # of a value cell that always spans two, pingtan-2021-page) still gets its own edges.
        col_x = [(edges[c], edges[c + 1]) for c in range(n_cols)]
    for c in range(len(col_x), n_cols):
        in_col = [r[c] for r in rows_cells if c < len(r) and r[c] is not None]
        box = min(in_col, key=lambda b: b[2] - b[0], default=None)
        col_x.append((box[0], box[2]) if box else None)
    row_y: list[tuple[float, float]] = []
    for r, cells in enumerate(rows_cells):
        real = [b for b in cells if b is not None]
        box = min(real, key=lambda b: b[3] - b[1], default=None)
        row_y.append((box[1], box[3]) if box else (table.rows[r].bbox[1], table.rows[r].bbox[3]))
    boxes: list[tuple[tuple[float, float, float, float], tuple[int, int]]] = []
    for r, cells in enumerate(rows_cells):
        for c, box in enumerate(cells):
            if box is not None:
                boxes.append((box, (r, c)))
    rows: list[list[str]] = []
    owners: list[list[tuple[int, int]]] = []
    for r, cells in enumerate(rows_cells):
        top, bottom = row_y[r]
        row: list[str] = []
        own: list[tuple[int, int]] = []
        for c in range(n_cols):
            box = cells[c] if c < len(cells) else None
            owner = (r, c)
            if box is None and col_x[c] is not None:
                x = (col_x[c][0] + col_x[c][1]) / 2  # type: ignore[index]
                y = (top + bottom) / 2
                owner = next((o for b, o in boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3]), (r, c))
            own.append(owner)
            text = texts[owner[0]][owner[1]] if owner[0] < len(texts) and owner[1] < len(texts[owner[0]]) else None
            row.append(" ".join((text or "").split()))
        rows.append(row)
        owners.append(own)
    return RawTable(rows=rows, owners=owners)
