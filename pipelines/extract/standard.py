"""Table extractor for the standard report formats (report years 2019+). See issue 4.

Tables 2, 3 and 4 are read from the document's grids when a reader found them, else from its text
(flattened by a crawler, a PDF text layer or a Markdown export). The format version is read from the
tables themselves (2021: 本年制发件数 and three 其他处理 rows; 2019 trial: 本年新制作数量 and one
其他处理 row); when it disagrees with identify's guess the table wins and a warning says so.
"""

from __future__ import annotations

import re

from pipelines.extract.flattened import find_table3_rows, find_table4_run, table2_region
from pipelines.extract.labels import APPLICANTS
from pipelines.extract.table2 import extract_table2_grid, extract_table2_text, table2_format
from pipelines.extract.table3 import extract_table3, table3_format
from pipelines.extract.table4 import N_CELLS, data_row, extract_table4_cells, extract_table4_run
from pipelines.extract.table_checks import check_table3, check_table4
from pipelines.extract.table_grid import (
    column_labels,
    grid_rows,
    is_label_cell,
    subtotal_column,
    table_number,
)
from pipelines.extract.table_rows import PrintedCell, PrintedRow
from pipelines.model import Document, ExtractionWarning, Fact, Table


def extract_standard(doc: Document, fmt: str) -> tuple[list[Fact], list[ExtractionWarning]]:
    """Facts of tables 2, 3 and 4 of a standard-format report, and warnings on its identities."""
    facts: list[Fact] = []
    warnings: list[ExtractionWarning] = []
    by_number: dict[int, list[Table]] = {2: [], 3: [], 4: []}
    for table in doc.tables:
        n = table_number(table)
        if n:
            by_number[n].append(table)

    text_rows = [] if by_number[3] else find_table3_rows(doc)
    placed = [r for r in text_rows if r.start >= 0]
    table3_span = (placed[0].start, placed[-1].end) if placed else None
    t3_facts, t3_warnings = _table3(doc, by_number[3], text_rows)
    t4_facts, t4_warnings = _table4(doc, by_number[4], table3_span)
    t2_facts, t2_warnings = _table2(doc, by_number[2], table3_span)
    facts += t2_facts + t3_facts + t4_facts
    warnings += t2_warnings + t3_warnings + t4_warnings
    warnings += check_table3(t3_facts) + check_table4(t4_facts)
    warnings += _format_warnings(fmt, t2_facts, t3_facts)
    return facts, warnings


def _table3(doc: Document, grids: list[Table], text_rows: list[PrintedRow]) -> tuple[list[Fact], list[ExtractionWarning]]:
    if grids:
        # A table 3 broken by a page (two grids) is read as one: rows in order, headers from the first.
        rows = [row for table in grids for row in grid_rows(table)]
        labels = column_labels(grids[0], APPLICANTS, "applicant", 3)
        facts, warnings = extract_table3(rows, labels, subtotal_column(grids[0]))
        if facts:
            return facts, warnings
    rows = text_rows or find_table3_rows(doc)
    if not rows:
        return [], []
    return extract_table3(rows)


def _table4(doc: Document, grids: list[Table], table3_span: tuple[int, int] | None,
            ) -> tuple[list[Fact], list[ExtractionWarning]]:
    for table in grids:
        row = data_row(grid_rows(table))
        if row is not None:
            return extract_table4_cells(row.cells, " | ".join(c.raw for c in row.cells))
        # A grid whose value row has no label cell: the first 15-slot row of values (a Word export
        # may add a phantom row of blank cells after it, pingtan-2020-page.html).
        value_rows = [r for r, values in enumerate(table.rows)
                      if len(values) == N_CELLS and not any(is_label_cell(v) for v in values)]
        filled = [r for r in value_rows if any(v.strip() for v in table.rows[r])]
        if value_rows:
            r = (filled or value_rows)[0]
            cells = [PrintedCell(text=v, raw=table.raw_rows[r][c], slot=c) for c, v in enumerate(table.rows[r])]
            return extract_table4_cells(cells, " | ".join(c.raw for c in cells))
    start = table3_span[1] if table3_span else _table3_end(doc)
    found = find_table4_run(doc, start)
    if found is None:
        return [], []
    run, a, b = found
    return extract_table4_run(run, doc.original_text(a, b).strip())


# Where table 3 ends in the text: its last row label with a cell after it (the prose may say
# 结转下年度 earlier, without numbers).
_LAST_TABLE3_ROW = re.compile(r"结转下年[^\n\d|]{0,40}[\d|]")


def _table3_end(doc: Document) -> int:
    """Where to look for table 4 from: after table 3's last row, or the whole text."""
    m = _LAST_TABLE3_ROW.search(doc.text)
    return m.start() if m else 0


def _table2(doc: Document, grids: list[Table], table3_span: tuple[int, int] | None,
            ) -> tuple[list[Fact], list[ExtractionWarning]]:
    facts: list[Fact] = []
    warnings: list[ExtractionWarning] = []
    header: dict[int, tuple[str, str]] = {}
    for table in grids:
        f, w, header = extract_table2_grid(table, header)
        facts += f
        warnings += w
    if facts:
        return facts, warnings
    t3 = table3_span[0] if table3_span else doc.text.find("本年新收")
    region = table2_region(doc, t3 if t3 >= 0 else None)
    if region is None:
        return [], []
    return extract_table2_text(doc, *region)


def _format_warnings(fmt: str, t2: list[Fact], t3: list[Fact]) -> list[ExtractionWarning]:
    out: list[ExtractionWarning] = []
    for name, said in (("table 3", table3_format(t3)), ("table 2", table2_format(t2))):
        if said and fmt in ("standard_2019", "standard_2021") and said != fmt:
            out.append(ExtractionWarning(
                code="format_mismatch",
                message=f"{name} is in the {said} layout although the report was identified as {fmt}; "
                        "its rows were read as printed",
                location={"table": 3 if name == "table 3" else 2},
            ))
    return out
