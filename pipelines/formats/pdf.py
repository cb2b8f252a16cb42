"""PDF reports: the text layer page by page, and tables found by pdfplumber.

A PDF without a text layer (a scan) or one that is encrypted cannot be read offline; it is refused
with that reason so the file is quarantined rather than loaded empty.
"""

from __future__ import annotations

import io
import logging
import re

from pipelines.errors import UnreadableFormatError
from pipelines.formats import RawTable, Rendered, render_table_rows

# A page with fewer visible characters than this is treated as an image (scanned) page.
MIN_TEXT_CHARS_PER_DOCUMENT = 20
# pdfminer logs a warning per damaged object (hundreds for one corrupt file) on the run's stderr; a
# file that cannot be read is reported once, as its quarantine reason, instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
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
    carried: list[float] | None = None  # table-3 columns of a text-layer table going on next page
    for page in pdf.pages:
        page_tables = page.find_tables()
        bboxes = [t.bbox for t in page_tables]
        blocks: list[tuple[float, int, str]] = []  # (top, order, text)
        if bboxes:
            outside = page.filter(lambda obj, bboxes=bboxes: not _inside(obj, bboxes))
        else:
            outside = page
        lines = outside.extract_text_lines() or []
        aligned: dict[int, str] = {}
        if not page_tables:
            aligned, carried = aligned_rows(lines, page.extract_words(), carried)
        for n, line in enumerate(lines):
            blocks.append((float(line["top"]), 0, aligned.get(n, line["text"])))
        for t in page_tables:
            grid = table_grid(t)
            if not any(any(c for c in row) for row in grid.rows):
                continue
            tables.append(grid)
            blocks.append((float(t.bbox[1]), 1, render_table_rows(grid.rows)))
        blocks.sort(key=lambda b: (b[0], b[1]))
        parts.append("\n".join(text for _, _, text in blocks))
    return "\n".join(parts), tables


# Header words of table 3 in template order: the centre of each is where its column's numbers stand
# when a table is printed without rules and reaches us only as text lines.
APPLICANT_HEADER_WORDS = ("自然人", "商业", "科研", "公益", "法律服务", "其他", "总计")
RESULT_HEADER_WORDS = ("维持", "纠正", "其他", "审结", "总计")
TABLE4_CELLS = 15
# Words of one printed line share their top edge to within this many points.
LINE_TOLERANCE = 2.0
# The header of table 3 spans at most this many points above its first data row.
HEADER_DEPTH = 40.0
_NUMERIC_WORD = re.compile(r"^(?:[-−]?[\d,]+(?:\.\d+)?(?:万元|元)?|—+|/|无)$")


def aligned_rows(lines: list[dict], words: list[dict],  # type: ignore[type-arg]
                 carried: list[float] | None = None) -> tuple[dict[int, str], list[float] | None]:
    """Text-layer rows of tables 3 and 4 rendered as pipe rows, each number under the header word
    it stands below, so an empty cell stays an empty cell ('821 35 2 1 859' → '| 821 | 35 |  |  | 2 |
    1 | 859 |'). Lines are left as they are when no full header is found or two numbers would
    share a column."""
    by_line = [[w for w in words if abs(w["top"] - line["top"]) <= LINE_TOLERANCE] for line in lines]
    out: dict[int, str] = {}
    anchors = _table3_anchors(words)
    if anchors is None and carried is not None:
        anchors = (carried, -1.0)  # the rest of table 3, continued from the previous page
    table3, ended = _align_block(lines, by_line, anchors, stop_words=("行政复议",), last_words=("结转下年",))
    out.update(table3)
    out.update(_align_block(lines, by_line, _table4_anchors(lines, by_line), stop_words=("五、",),
                            last_words=(), min_numbers=3)[0])
    return out, (anchors[0] if anchors is not None and not ended else None)


def _centre(word: dict) -> float:  # type: ignore[type-arg]
    return (word["x0"] + word["x1"]) / 2


def _table3_anchors(words: list[dict]) -> tuple[list[float], float] | None:  # type: ignore[type-arg]
    first = next((w for w in words if w["text"] == "自然人"), None)
    if first is None:
        return None
    below = [w["top"] for w in words if w["top"] > first["top"] + LINE_TOLERANCE and _NUMERIC_WORD.match(w["text"])]
    first_row = min(below, default=first["top"] + HEADER_DEPTH)
    zone = [w for w in words if first["top"] - HEADER_DEPTH <= w["top"] < first_row - LINE_TOLERANCE]
    anchors: list[float] = []
    for key in APPLICANT_HEADER_WORDS:
        exact = key in ("其他", "总计")
        hit = next((w for w in zone if (w["text"] == key if exact else key in w["text"])
                    and (not anchors or _centre(w) > anchors[-1])), None)
        if hit is None:
            return None
        anchors.append(_centre(hit))
    return anchors, max(w["bottom"] for w in zone)


def _table4_anchors(lines: list[dict], by_line: list[list[dict]]) -> tuple[list[float], float] | None:  # type: ignore[type-arg]
    start = next((n for n, line in enumerate(lines) if "行政复议" in line["text"]
                  and "行政诉讼" in line["text"]), None)
    if start is None:
        return None
    centres: list[float] = []
    bottom = lines[start]["bottom"]
    for n in range(start + 1, min(start + 6, len(lines))):
        if sum(bool(_NUMERIC_WORD.match(w["text"])) for w in by_line[n]) >= 3:
            break
        for w in by_line[n]:
            if any(k in w["text"] for k in RESULT_HEADER_WORDS):
                centres.append(_centre(w))
        bottom = lines[n]["bottom"]
    centres.sort()
    merged: list[float] = []
    for x in centres:
        if merged and x - merged[-1] < 3:
            continue
        merged.append(x)
    return (merged, bottom) if len(merged) == TABLE4_CELLS else None


def _align_block(lines: list[dict], by_line: list[list[dict]], anchors: tuple[list[float], float] | None,  # type: ignore[type-arg]
                 stop_words: tuple[str, ...], last_words: tuple[str, ...],
                 min_numbers: int = 1) -> tuple[dict[int, str], bool]:
    """Pipe rows of the lines below a header, and whether the table ended on this page."""
    if anchors is None:
        return {}, False
    xs, header_bottom = anchors
    half_gap = min(b - a for a, b in zip(xs, xs[1:], strict=False)) / 2
    out: dict[int, str] = {}
    for n, line in enumerate(lines):
        if line["top"] <= header_bottom:
            continue
        if any(w in line["text"] for w in stop_words):
            return out, True
        numbers = [w for w in by_line[n] if _NUMERIC_WORD.match(w["text"]) and _centre(w) > xs[0] - half_gap]
        if len(numbers) >= min_numbers:
            cells = [""] * len(xs)
            for w in numbers:
                x = _centre(w)
                col = min(range(len(xs)), key=lambda i: abs(xs[i] - x))
                if cells[col] or abs(xs[col] - x) > half_gap:
                    cells = []
                    break
                cells[col] = w["text"]
            if cells:
                label = " ".join(w["text"] for w in by_line[n] if w not in numbers)
                out[n] = f"{label} | {' | '.join(cells)} |".strip()
        if any(w in line["text"] for w in last_words):
            return out, True
    return out, False


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
