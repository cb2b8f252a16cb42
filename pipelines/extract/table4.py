"""Table 4 (政府信息公开行政复议、行政诉讼情况): 15 cells, three proceedings × five results.

The national template prints the cells in one fixed order (行政复议; 行政诉讼 未经复议直接起诉;
复议后起诉 — each 结果维持, 结果纠正, 其他结果, 尚未审结, 总计), so a row of 15 values, or a run of
digits that splits into 15 cells whose groups add up, is read in that order.
"""

from __future__ import annotations

from pipelines.extract.labels import PROCEEDINGS, RESULTS
from pipelines.extract.table_cells import (
    KIND_UNREADABLE,
    groups_add_up,
    parse_cell,
    pipe_cells,
    split_run,
    tokens_of,
)
from pipelines.extract.table_rows import PrintedCell, PrintedRow
from pipelines.model import ExtractionWarning, Fact

UNIT = "case"
N_CELLS = len(PROCEEDINGS) * len(RESULTS)
CELL_KEYS = tuple(f"{p}_{r}" for p in PROCEEDINGS for r in RESULTS)
# Printed column labels of the template, for locations of cells read from a label-less run.
PRINTED = {"reconsideration": "行政复议", "litigation_direct": "行政诉讼 未经复议直接起诉",
           "litigation_after_reconsideration": "行政诉讼 复议后起诉"}
PRINTED_RESULTS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                   "total": "总计"}


def data_row(rows: list[PrintedRow]) -> PrintedRow | None:
    """The grid row holding the 15 values (blank cells count: a blank is a printed cell)."""
    for row in rows:
        if len(row.cells) == N_CELLS and any(c.text.strip() for c in row.cells):
            return row
    for row in rows:
        if len(row.cells) == N_CELLS:
            return row
    return None


def run_cells(run: str) -> tuple[list[list[str]], str]:
    """Candidate 15-cell splits of a flattened run, and how they were found."""
    if "|" in run:
        parts = pipe_cells(run, N_CELLS)
        if len(parts) == N_CELLS:
            return [parts], "pipes"
    tokens = tokens_of(run)
    if len(tokens) == N_CELLS:
        return [tokens], "tokens"
    return split_run(tokens, N_CELLS, accept=groups_add_up, group=len(RESULTS), sums=len(RESULTS)), "arithmetic"


def extract_table4_cells(
    cells: list[PrintedCell], evidence: str, row_label: str = "",
) -> tuple[list[Fact], list[ExtractionWarning]]:
    facts: list[Fact] = []
    warnings: list[ExtractionWarning] = []
    for key, cell in zip(CELL_KEYS, cells, strict=True):
        if cell is None:
            continue
        proceeding, result = next((p, key[len(p) + 1:]) for p in PROCEEDINGS if key.startswith(p + "_")
                                  and key[len(p) + 1:] in RESULTS)
        value, kind = parse_cell(cell.text, UNIT)
        location = {"table": 4, "row": row_label or PRINTED[proceeding],
                    "column": f"{PRINTED[proceeding]} {PRINTED_RESULTS[result]}"}
        if kind == KIND_UNREADABLE:
            warnings.append(ExtractionWarning(code="unreadable_cell",
                                              message=f"table 4 cell {cell.raw!r} is not a number or a mark",
                                              metric=key, location=location))
            continue
        facts.append(Fact(metric=key, value=value, unit=UNIT, evidence=evidence, location=location,
                          raw=cell.raw, kind=kind, table=4))
    return facts, warnings


def extract_table4_run(run: str, raw_run: str) -> tuple[list[Fact], list[ExtractionWarning]]:
    """Facts of a table 4 read from flattened text."""
    candidates, how = run_cells(run)
    if len(candidates) == 1:
        cells = [PrintedCell(text=t, raw=t) for t in candidates[0]]
        return extract_table4_cells(cells, raw_run)
    if not candidates:
        return [], [ExtractionWarning(code="table4_unreadable",
                                      message=f"table 4: cannot read 15 cells from {raw_run!r}",
                                      location={"table": 4})]
    splits = " or ".join("|".join(c) for c in candidates[:5])
    warning = ExtractionWarning(code="ambiguous_split",
                                message=f"table 4: the run {raw_run!r} splits {len(candidates)} ways ({splits}); "
                                        "the cells they disagree on are not guessed", location={"table": 4})
    # Cells every reading agrees on are read (a proceeding of zeros among ambiguous ones).
    agreed = [c if all(o[k] == c for o in candidates) else None for k, c in enumerate(candidates[0])]
    facts, warnings = extract_table4_cells([PrintedCell(text=t, raw=t) if t is not None else None  # type: ignore[misc]
                                            for t in agreed], raw_run)
    return facts, [warning, *warnings]
