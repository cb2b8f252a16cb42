"""DOCX (python-docx) and PDF (fpdf2) renderings of a synthetic report, tables with merged cells.

fpdf2 is a dev dependency: without it PDF generation is skipped with a message, never faked.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from pipelines.synth.prose import ReportText
from pipelines.synth.tables import Grid, expand, grid_width

# Timestamp of every member of a generated DOCX (the earliest a zip can hold).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Width of a table on an A4 page with Word's default margins, in twentieths of a point.
DOCX_TABLE_WIDTH_TWIPS = 9000
# CJK font shipped by the mplfonts package (a main dependency), embedded in generated PDFs.
PDF_FONT_FILE = "NotoSansCJKsc-Regular.otf"
PDF_FONT_NAME = "NotoSansCJK"
# Point sizes: body text, and table cells (table 3 has 10 columns on an A4 page).
PDF_BODY_SIZE = 10.5
PDF_TABLE_SIZE = 6.5


def _published(report: ReportText) -> datetime:
    return datetime.fromisoformat(report.published).replace(tzinfo=UTC)


def render_docx(report: ReportText) -> bytes:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author = props.last_modified_by = report.publisher
    props.title = report.title
    props.created = props.modified = _published(report)
    for block in report.blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=1)
        elif block.kind == "heading":
            document.add_paragraph(block.text, style="Heading 2")
        elif block.kind == "table":
            for grid in block.grids:
                _docx_table(document, grid)
        elif block.kind == "signature":
            for piece in block.pieces:
                document.add_paragraph(piece)
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with one fixed timestamp per member, so the same report gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH), zin.read(info.filename),
                          compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx_table(document, grid: Grid) -> None:  # type: ignore[no-untyped-def]
    """Append a table as Word writes merged cells: gridSpan for colspan, vMerge for rowspan.

    Built as XML directly: python-docx's cell-by-cell merge API is quadratic and took 0.5 s a table.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def element(tag: str, **attrs: str):  # type: ignore[no-untyped-def]
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(key), value)
        return el

    slots = expand(grid)
    width = grid_width(grid)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(slots):
        for c, cell in enumerate(row):
            if cell is not None:
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        owner[(r + dr, c + dc)] = (r, c)
    tbl = element("w:tbl")
    props = element("w:tblPr")
    props.append(element("w:tblStyle", **{"w:val": "TableGrid"}))
    props.append(element("w:tblW", **{"w:w": "0", "w:type": "auto"}))
    tbl.append(props)
    cols = element("w:tblGrid")
    for _ in range(width):
        cols.append(element("w:gridCol", **{"w:w": str(DOCX_TABLE_WIDTH_TWIPS // width)}))
    tbl.append(cols)
    for r in range(len(slots)):
        tr = element("w:tr")
        c = 0
        while c < width:
            r0, c0 = owner.get((r, c), (r, c))
            cell = slots[r0][c0]
            tc = element("w:tc")
            tc_pr = element("w:tcPr")
            span = cell.colspan if cell is not None else 1
            if span > 1:
                tc_pr.append(element("w:gridSpan", **{"w:val": str(span)}))
            if cell is not None and cell.rowspan > 1:
                tc_pr.append(element("w:vMerge", **({"w:val": "restart"} if r0 == r else {})))
            tc.append(tc_pr)
            p = element("w:p")
            if cell is not None and r0 == r and cell.text:
                run = element("w:r")
                text = element("w:t")
                text.text = cell.text
                run.append(text)
                p.append(run)
            tc.append(p)
            tr.append(tc)
            c += span
        tbl.append(tr)
    anchor = document.add_paragraph("")
    anchor._p.addprevious(tbl)


# fontTools logs every subsetting step at INFO; that is noise in a CLI run.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def pdf_available() -> bool:
    try:
        import fpdf  # noqa: F401
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def pdf_font_path() -> Path:
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / PDF_FONT_FILE


@functools.lru_cache(maxsize=1)
def _printable_alphabet() -> frozenset[str]:
    """Every character a generated standard report can print: those of this package's sources
    (labels, place names, phrasings all live there) and printable ASCII."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for source in Path(__file__).parent.glob("*.py"):
        chars |= set(source.read_text(encoding="utf-8"))
    return frozenset(ch for ch in chars if ch.isprintable())


@functools.lru_cache(maxsize=1)
def _small_font_path() -> Path:
    """The CJK font cut down to the printable alphabet, made once and kept in the temp folder.

    fpdf2 parses and subsets the embedded font for every PDF; on the full 16 MB font that took
    1.5 s a report, on this ~120 KB cut about half of that.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    alphabet = "".join(sorted(_printable_alphabet()))
    digest = hashlib.sha256((PDF_FONT_FILE + alphabet).encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"ogi-synth-{digest}.otf"
    if path.is_file():
        return path
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(pdf_font_path())
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in alphabet])
    subsetter.subset(font)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    font.save(partial)
    os.replace(partial, path)  # atomic: parallel workers never read a half-written font
    return path


def _font_for(report: ReportText) -> Path:
    """The small font when it covers every character of the report, else the full one."""
    text = report.title + "".join(p for b in report.blocks for p in b.pieces) + "".join(
        c.text for b in report.blocks for g in b.grids for row in g for c in row)
    return _small_font_path() if set(text) <= _printable_alphabet() else pdf_font_path()


def render_pdf(report: ReportText) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_creation_date(_published(report))
    pdf.set_title(report.title)
    pdf.set_author(report.publisher)
    pdf.add_font(PDF_FONT_NAME, fname=str(_font_for(report)))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(PDF_FONT_NAME, size=PDF_BODY_SIZE)
    width = pdf.epw
    for block in report.blocks:
        if block.kind == "table":
            pdf.set_font(PDF_FONT_NAME, size=PDF_TABLE_SIZE)
            for grid in block.grids:
                with pdf.table(width=width, line_height=pdf.font_size * 1.6, first_row_as_headings=False,
                               text_align="CENTER", headings_style=FontFace()) as table:
                    for grid_row in grid:
                        row = table.row()
                        for cell in grid_row:
                            row.cell(cell.text, rowspan=cell.rowspan, colspan=cell.colspan)
                pdf.ln(2)
            pdf.set_font(PDF_FONT_NAME, size=PDF_BODY_SIZE)
        elif block.kind == "signature":
            for piece in block.pieces:
                pdf.cell(width, pdf.font_size * 1.8, piece, align="R", new_x="LMARGIN", new_y="NEXT")
        else:
            align = "C" if block.kind == "title" else "J"
            pdf.multi_cell(width, pdf.font_size * 1.8, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
