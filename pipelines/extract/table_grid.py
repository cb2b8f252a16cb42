"""Table grids (HTML, DOCX, PDF) as printed rows: label cells on the left, value cells on the right.

Spans were expanded by the readers; ``Table.spans`` says which slots one printed cell covers, so a
value cell spanning two columns (the misaligned 商业企业 column of pingtan-2021-page.html) is read
once. Which table a grid is follows from its words.
"""

from __future__ import annotations

import re

from pipelines.extract.labels import match_label, patterns_of
from pipelines.extract.table_cells import KIND_UNREADABLE, parse_cell
from pipelines.extract.table_rows import PrintedCell, PrintedRow
from pipelines.model import KIND_NUMBER, Table

_CJK = re.compile(r"[\u4e00-\u9fff]")
# A grid holding this many of table 3's lower-half row words (table_labels.csv, continuation) is the
# rest of a table 3 broken by a page; one such word could be prose in a layout table.
MIN_CONTINUATION_WORDS = 2


def is_label_cell(text: str) -> bool:
    """A cell that names something (a row or column), not a value, a mark or a blank."""
    if not _CJK.search(text):
        return False
    return parse_cell(text)[1] == KIND_UNREADABLE


def _owner(table: Table, r: int, c: int) -> tuple[int, int]:
    if r < len(table.spans) and c < len(table.spans[r]):
        return table.spans[r][c]
    return (r, c)


def _raw(table: Table, r: int, c: int) -> str:
    if r < len(table.raw_rows) and c < len(table.raw_rows[r]):
        return table.raw_rows[r][c]
    return table.rows[r][c]


def grid_rows(table: Table) -> list[PrintedRow]:
    """Every row of a grid that has at least one value slot after its labels."""
    out: list[PrintedRow] = []
    for r, row in enumerate(table.rows):
        last_label = max((c for c, text in enumerate(row) if is_label_cell(text)), default=-1)
        if last_label < 0 or last_label == len(row) - 1:
            continue
        labels: list[tuple[str, str]] = []
        seen_label_owners: set[tuple[int, int]] = set()
        for c in range(last_label + 1):
            text = row[c]
            owner = _owner(table, r, c)
            if not text.strip() or owner in seen_label_owners or (labels and labels[-1][0] == text):
                continue
            seen_label_owners.add(owner)
            labels.append((text, _raw(table, r, c)))
        cells: list[PrintedCell] = []
        seen: set[tuple[int, int]] = set()
        for c in range(last_label + 1, len(row)):
            owner = _owner(table, r, c)
            if owner in seen:
                continue
            seen.add(owner)
            cells.append(PrintedCell(text=row[c], raw=_raw(table, r, c), slot=c))
        if not labels:
            continue
        out.append(PrintedRow(
            label=labels[-1][0], raw_label=" ".join(raw for _, raw in labels), cells=cells,
            label_cells=[text for text, _ in labels],
        ))
    return out


def header_texts(table: Table, below: int) -> list[list[str]]:
    """The label texts of the header rows above row ``below``."""
    return [row for row in table.rows[:below]]


def table_number(table: Table) -> int | None:
    """2, 3 or 4 when a grid's words say which standard table it is (None for layout tables).

    The words are data (``marker`` and ``continuation`` rows of table_labels.csv); a grid whose first
    column names table-2 items is table 2 even without its 信息内容 header (the rest of it after a
    page break)."""
    compact = re.sub(r"\s+", "", "".join("".join(row) for row in table.rows))
    if any(p.pattern.search(compact) for p in patterns_of(3, "marker")):
        return 3
    if sum(bool(p.pattern.search(compact)) for p in patterns_of(3, "continuation")) >= MIN_CONTINUATION_WORDS:
        return 3
    if any(p.pattern.search(compact) for p in patterns_of(4, "marker")):
        return 4
    if any(row and match_label(row[0], 2, "item") for row in table.rows):
        return 2
    return None


def column_labels(table: Table, keys: tuple[str, ...], kind: str, table_no: int) -> dict[str, str]:
    """Printed header label per column key: the first header cell (bottom-up) that matches it."""
    found: dict[str, str] = {}
    for r in range(header_depth(table) - 1, -1, -1):
        for c, text in enumerate(table.rows[r]):
            key = match_label(text, table_no, kind)
            if key in keys and key not in found:
                found[key] = _raw(table, r, c)
    return found


def subtotal_column(table: Table) -> int | None:
    """The value-column index of a printed 法人小计 (among the applicant columns in slot order)."""
    slots: dict[str, int] = {}
    for row in reversed(table.rows[:header_depth(table)]):
        for c, text in enumerate(row):
            key = match_label(text, 3, "applicant")
            if key and key not in slots:
                slots[key] = c
    if "legal_subtotal" not in slots:
        return None
    order = sorted(slots, key=lambda k: slots[k])
    return order.index("legal_subtotal") if len(order) == 8 else None


def header_depth(table: Table) -> int:
    """How many rows head the grid: those before the first row holding a number."""
    for r, row in enumerate(table.rows):
        if any(parse_cell(text)[1] == KIND_NUMBER for text in row):
            return r
    return len(table.rows)
