"""Tables 2, 3 and 4 of a standard report as grids of spanning cells, the one shape every renderer
(HTML, DOCX, PDF, flattened text) draws from.

A grid is a list of rows; a row lists only the cells that start in it (as HTML does), each with its
rowspan and colspan. Value cells print the figure's text; a blank (None) prints as an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.synth.figures import StandardFigures
from pipelines.synth.labels import (
    APPLICANTS,
    FORMAT_2021,
    OUTCOMES,
    T2_CONTENT,
    T3_APPLICANT_HEAD,
    T3_CARRIED_FORWARD,
    T3_CARRIED_OVER,
    T3_CORNER,
    T3_LEGAL_PERSON,
    T3_NATURAL_PERSON,
    T3_NEW_RECEIVED,
    T3_ORG_LABELS,
    T3_RESULTS,
    T3_TOTAL,
    T4_LITIGATION,
    T4_PROCEEDINGS,
    T4_RECONSIDERATION,
    T4_RESULTS,
    TABLE2,
)
from pipelines.synth.layout import Layout

# Value columns of table 2 in both templates (the grid is 信息内容 + 3 value columns).
T2_VALUE_COLUMNS = 3
# The outcome group before which Word page breaks fall in the corpus (pingtan-2019/2020-page).
T3_BREAK_BEFORE = "（四）无法提供"


@dataclass(slots=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    is_value: bool = False
    is_blank: bool = False


Grid = list[list[Cell]]


def _value(value: int | float | None, text: str | None = None) -> Cell:
    if value is None:
        return Cell("", is_value=True, is_blank=True)
    return Cell(str(value) if text is None else text, is_value=True)


def _spread(n_cells: int) -> list[int]:
    """Colspans that spread n header/value cells over the 3 value columns of table 2."""
    return {1: [3], 2: [1, 2], 3: [1, 1, 1]}[n_cells]


def table2_grid(fig: StandardFigures, layout: Layout) -> Grid:
    rows: Grid = []
    for heading, head_labels, items, columns in TABLE2[fig.fmt]:
        rows.append([Cell(heading, colspan=1 + T2_VALUE_COLUMNS)])
        spans = _spread(len(head_labels))
        rows.append([Cell(T2_CONTENT)] + [Cell(lbl, colspan=s) for lbl, s in zip(head_labels, spans, strict=True)])
        for item, label in items:
            if item == "normative_documents" and fig.fmt == FORMAT_2021:
                label = layout.normative_label
            row = [Cell(label)]
            for col, span in zip(columns, spans, strict=True):
                metric = f"{item}_{col}"
                cell = _value(fig.table2[metric], fig.table2_text.get(metric))
                cell.colspan = span
                row.append(cell)
            rows.append(row)
    return rows


def _value_row(fig: StandardFigures, metric: str) -> list[Cell]:
    return [_value(fig.table3[metric][a]) for a in APPLICANTS]


def table3_grids(fig: StandardFigures, layout: Layout) -> list[Grid]:
    """Table 3 as one grid, or two when the layout splits it at a page break."""
    if layout.wide_commercial_column:
        head: Grid = [
            [Cell(T3_CORNER, rowspan=3, colspan=3), Cell(T3_APPLICANT_HEAD, colspan=8)],
            [Cell(T3_NATURAL_PERSON, colspan=2), Cell(T3_LEGAL_PERSON, colspan=5), Cell(T3_TOTAL, rowspan=2)],
            [Cell("", is_blank=True), Cell(T3_ORG_LABELS[0], colspan=2), *(Cell(lbl) for lbl in T3_ORG_LABELS[1:])],
        ]
    else:
        head = [
            [Cell(T3_CORNER, rowspan=3, colspan=3), Cell(T3_APPLICANT_HEAD, colspan=7)],
            [Cell(T3_NATURAL_PERSON, rowspan=2), Cell(T3_LEGAL_PERSON, colspan=5), Cell(T3_TOTAL, rowspan=2)],
            [Cell(lbl) for lbl in T3_ORG_LABELS],
        ]

    def values(metric: str) -> list[Cell]:
        row = _value_row(fig, metric)
        if layout.wide_commercial_column:
            row[1].colspan = 2
        return row

    for metric, label in (T3_NEW_RECEIVED, T3_CARRIED_OVER):
        head.append([Cell(label, colspan=3), *values(metric)])
    # Outcome rows, each with its group label cell (on the group's first row) and leaf label.
    blocks: list[Grid] = [[]]
    for group, leaves in OUTCOMES[fig.fmt]:
        if group == T3_BREAK_BEFORE and (layout.split_table3 or layout.results_label_twice):
            blocks.append([])
        for i, (metric, label) in enumerate(leaves):
            labels = [Cell(label, colspan=2)] if group is None else (
                [Cell(group, rowspan=len(leaves)), Cell(label)] if i == 0 else [Cell(label)])
            blocks[-1].append(labels + values(metric))
    for block in blocks:
        block[0].insert(0, Cell(T3_RESULTS, rowspan=len(block)))
    tail = [[Cell(T3_CARRIED_FORWARD[1], colspan=3), *values(T3_CARRIED_FORWARD[0])]]
    if layout.split_table3:
        return [head + blocks[0], blocks[1] + tail]
    return [head + [row for block in blocks for row in block] + tail]


def table4_grid(fig: StandardFigures) -> Grid:
    results = [Cell(lbl) for _, lbl in T4_RESULTS]
    return [
        [Cell(T4_RECONSIDERATION, colspan=5), Cell(T4_LITIGATION, colspan=10)],
        [*(Cell(lbl, rowspan=2) for _, lbl in T4_RESULTS), Cell(T4_PROCEEDINGS[1][1], colspan=5),
         Cell(T4_PROCEEDINGS[2][1], colspan=5)],
        [Cell(c.text) for c in results] + [Cell(c.text) for c in results],
        [_value(fig.table4[f"{p}_{r}"]) for p, _ in T4_PROCEEDINGS for r, _ in T4_RESULTS],
    ]


def grid_width(grid: Grid) -> int:
    """Columns of a grid (from its widest fully-specified row, counting spans)."""
    return max(sum(c.colspan for c in row) for row in grid)


def expand(grid: Grid) -> list[list[Cell | None]]:
    """Slots of a grid: each slot holds its cell where the cell starts, None where a span covers it."""
    width = 0
    occupied: dict[tuple[int, int], bool] = {}
    placed: list[tuple[int, int, Cell]] = []
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while occupied.get((r, c)):
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied[(r + dr, c + dc)] = True
            c += cell.colspan
            width = max(width, c)
    out: list[list[Cell | None]] = [[None] * width for _ in grid]
    for r, c, cell in placed:
        out[r][c] = cell
    return out
