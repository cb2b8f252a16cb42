"""Table 3 (收到和处理政府信息公开申请情况): 26 rows (2019 trial: 23) × 7 applicant columns.

Rows come from a grid or from flattened text. A flattened row whose cells were glued together is
split by arithmetic: the 总计 cell is the sum of the six applicant cells, and where a row still splits
more than one way, the column identities of the whole table choose; a cell no rule can settle is
reported, not guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from pipelines.extract.labels import APPLICANTS, ORG_APPLICANTS, OTHER_2021_ROWS, TABLE3_ROWS, match_label
from pipelines.extract.table_cells import (
    KIND_UNREADABLE,
    parse_cell,
    pipe_cells,
    raw_cells,
    split_row,
    tokens_of,
)
from pipelines.extract.table_rows import PrintedCell, PrintedRow
from pipelines.model import ExtractionWarning, Fact

UNIT = "request"
N_COLUMNS = len(APPLICANTS)
# Column positions a 法人小计 subtotal column is printed at: after 自然人, or after the five org columns.
SUBTOTAL_POSITIONS = (1, 6)
# A table with at least this many rows is a whole table 3 and should have every template row.
MIN_ROWS_OF_A_WHOLE_TABLE = 12
# Combinations of ambiguous rows tried against the column identities before giving up.
MAX_COMBINATIONS = 20000
# Column labels of the national template, for cells whose header was not printed with them.
TEMPLATE_COLUMN_LABELS = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构", "other_org": "其他", "total": "总计",
}
OUTCOME_ROWS = (
    "granted", "partially_granted", "denied_state_secret", "denied_law_forbidden",
    "denied_three_safety_one_stability", "denied_third_party_rights", "denied_internal_affairs",
    "denied_process_info", "denied_enforcement_case", "denied_enforcement_query", "unable_not_held",
    "unable_needs_creation", "unable_unclear_after_correction", "not_processed_petition_complaint",
    "not_processed_repeated", "not_processed_publication", "not_processed_bulk_unreasonable",
    "not_processed_confirm_or_reissue", "other_processing", "other_overdue_correction", "other_fee_unpaid",
    "other_other",
)


def row_key(row: PrintedRow) -> str | None:
    """The row key of a grid row: its most specific (right-most) label cell that names a row."""
    if row.key:
        return row.key
    for text in reversed(row.label_cells or [row.label]):
        key = match_label(text, 3, "row")
        if key:
            return key
    return None


def _drop_subtotal(cells: list[PrintedCell], all_rows: Sequence[list[PrintedCell]],
                   printed_at: int | None = None) -> list[PrintedCell]:
    """Eight cells: drop the 法人小计 column — where the header prints it, else where it equals the
    sum of the five org columns (or where a reader repeated a spanning cell)."""
    if printed_at is not None:
        return [c for i, c in enumerate(cells) if i != printed_at]

    def fits(pos: int, row: list[PrintedCell]) -> bool:
        values = [parse_cell(c.text)[0] for c in row]
        if len(values) != N_COLUMNS + 1 or any(v is None for v in values):
            return True
        org = [v for i, v in enumerate(values[:-1]) if i not in (0, pos)]
        return values[pos] == sum(org)  # type: ignore[arg-type]

    def repeats(pos: int, row: list[PrintedCell]) -> bool:
        # A reader that could not tell a spanning cell from two cells repeats its text.
        return len(row) == N_COLUMNS + 1 and row[pos].text == row[pos - 1].text

    scores = {("subtotal", p): sum(fits(p, r) for r in all_rows) for p in SUBTOTAL_POSITIONS}
    scores.update({("repeat", p): sum(repeats(p, r) for r in all_rows) for p in range(1, N_COLUMNS + 1)})
    _, best = max(scores, key=lambda k: (scores[k], k[0] == "subtotal"))
    return [c for i, c in enumerate(cells) if i != best]


def _run_cells(row: PrintedRow) -> list[list[str]]:
    """Candidate cell lists of a flattened row (one when the row is unambiguous)."""
    run = row.run or ""
    if "|" in run:
        parts = pipe_cells(run, N_COLUMNS)
        if len(parts) == N_COLUMNS:
            return [parts]
        if len(parts) == N_COLUMNS + 1:
            return [parts]  # with a 法人小计 column, dropped later
    tokens = tokens_of(run)
    if not tokens:
        return [[""] * N_COLUMNS]
    if len(tokens) in (N_COLUMNS, N_COLUMNS + 1):
        return [tokens]
    return split_row(tokens, N_COLUMNS)


def _total_of_short_row(row: PrintedRow) -> str | None:
    """A separated row one cell short whose last cell is the sum of the others: that last cell is
    the 总计 whichever applicant column the publisher left out."""
    tokens = tokens_of(row.run or "")
    if len(tokens) != N_COLUMNS - 1 or "|" in (row.run or ""):
        return None
    values = _values(tokens)
    if any(v is None for v in values) or sum(values[:-1]) != values[-1]:  # type: ignore[arg-type]
        return None
    return tokens[-1]


def _identity_failures(table: dict[str, list[float | int | None]], unknown: frozenset[str] = frozenset()) -> int:
    """Column identities that fail; an identity touching a row still ``unknown`` is not counted."""
    failures = 0
    balance_rows = ("new_received", "carried_over", "total_handled", "carried_forward")
    outcome_rows = [k for k in OUTCOME_ROWS if k in table or k in unknown]
    check_balance = not unknown.intersection(balance_rows)
    check_outcomes = "total_handled" not in unknown and not unknown.intersection(outcome_rows)
    for col in range(N_COLUMNS):
        def v(key: str, col: int = col) -> float | int | None:
            values = table.get(key)
            return values[col] if values else None
        nr, co, th, cf = (v(k) for k in balance_rows)
        if check_balance and None not in (nr, co, th, cf) and nr + co != th + cf:  # type: ignore[operator]
            failures += 1
        outcomes = [v(k) for k in outcome_rows]
        if (check_outcomes and th is not None and outcomes and all(o is not None for o in outcomes)
                and sum(outcomes) != th):  # type: ignore[arg-type]
            failures += 1
    return failures


def _narrow_by_identities(
    rows: list[PrintedRow], resolved: dict[int, Sequence[str | None] | None], ambiguous: dict[int, list[list[str]]],
) -> None:
    """Drop the splits of an ambiguous row that break an identity whose other rows are all known,
    until nothing changes; a row left with one split is resolved. Scales where trying every
    combination of ambiguous rows would not (large tables with four-digit counts)."""
    changed = True
    while changed and ambiguous:
        changed = False
        known = {rows[i].key or f"#{i}": _values(c) for i, c in resolved.items() if c is not None}
        for i in list(ambiguous):
            unknown = frozenset(rows[j].key or f"#{j}" for j in ambiguous if j != i)
            keep = [c for c in ambiguous[i]
                    if _identity_failures({**known, rows[i].key or f"#{i}": _values(c)}, unknown) == 0]
            if keep and len(keep) < len(ambiguous[i]):
                ambiguous[i] = keep
                changed = True
            if len(ambiguous[i]) == 1:
                resolved[i] = ambiguous.pop(i)[0]
                known[rows[i].key or f"#{i}"] = _values(resolved[i])  # type: ignore[arg-type]
                changed = True


def _values(cells: Sequence[str | None]) -> list[float | int | None]:
    return [parse_cell(c, UNIT)[0] if c is not None else None for c in cells]


def resolve_runs(rows: list[PrintedRow]) -> tuple[dict[int, Sequence[str | None] | None], list[ExtractionWarning]]:
    """Cells per flattened row index; rows whose split no rule settles map to None (with a warning)."""
    warnings: list[ExtractionWarning] = []
    candidates = {i: _run_cells(r) for i, r in enumerate(rows) if r.run is not None}
    resolved: dict[int, Sequence[str | None] | None] = {}
    ambiguous = {i: c for i, c in candidates.items() if len(c) > 1}
    for i, c in candidates.items():
        if len(c) == 1:
            resolved[i] = c[0]
        elif not c and (short := _total_of_short_row(rows[i])) is not None:
            resolved[i] = [None] * (N_COLUMNS - 1) + [short]
            warnings.append(ExtractionWarning(
                code="table3_missing_cell",
                message=f"table 3 row {rows[i].raw_label!r} prints {N_COLUMNS - 1} cells ({rows[i].raw_run!r}); "
                        "which applicant column is missing cannot be told, so only its 总计 is read",
                metric=rows[i].key, location={"table": 3, "row": rows[i].raw_label},
            ))
        elif not c:
            resolved[i] = None
            warnings.append(ExtractionWarning(
                code="table3_unreadable_row",
                message=f"table 3 row {rows[i].raw_label!r}: cannot read 7 cells from {rows[i].raw_run!r}",
                metric=rows[i].key, location={"table": 3, "row": rows[i].raw_label},
            ))
    _narrow_by_identities(rows, resolved, ambiguous)
    if not ambiguous:
        return resolved, warnings
    order = sorted(ambiguous)
    n_combos = 1
    for i in order:
        n_combos *= len(ambiguous[i])
    fixed = {rows[i].key or f"#{i}": _values(c) for i, c in resolved.items() if c is not None}
    best: list[tuple[list[str], ...]] = []
    best_failures = None
    if n_combos <= MAX_COMBINATIONS:
        for combo in itertools.product(*(ambiguous[i] for i in order)):
            table = dict(fixed)
            for i, cells in zip(order, combo, strict=True):
                table[rows[i].key or f"#{i}"] = _values(cells)
            failures = _identity_failures(table)
            if best_failures is None or failures < best_failures:
                best, best_failures = [combo], failures
            elif failures == best_failures:
                best.append(combo)
    for n, i in enumerate(order):
        choices = {tuple(combo[n]) for combo in best}
        if len(choices) == 1:
            resolved[i] = list(next(iter(choices)))
        else:
            options = sorted(choices or {tuple(x) for x in ambiguous[i]})
            # Cells every reading agrees on are read; the others are left out.
            resolved[i] = [c if all(o[k] == c for o in options) else None  # type: ignore[misc]
                           for k, c in enumerate(options[0])]
            splits = " or ".join("|".join(c) for c in options)
            warnings.append(ExtractionWarning(
                code="ambiguous_split",
                message=f"table 3 row {rows[i].raw_label!r}: the run {rows[i].raw_run!r} splits as {splits}; "
                        "the cells they disagree on are not guessed",
                metric=rows[i].key, location={"table": 3, "row": rows[i].raw_label},
            ))
    return resolved, warnings


def extract_table3(
    rows: list[PrintedRow], column_labels: dict[str, str] | None = None, subtotal_at: int | None = None,
) -> tuple[list[Fact], list[ExtractionWarning]]:
    """Facts of table 3 from its printed rows (grid or flattened); ``subtotal_at`` is the value
    column of a 法人小计 the header prints, if any."""
    facts: list[Fact] = []
    warnings: list[ExtractionWarning] = []
    keyed: list[tuple[str, PrintedRow]] = []
    for r in rows:
        key = row_key(r)
        if key:
            keyed.append((key, r))
    flat_rows = [r for _, r in keyed]
    resolved, w = resolve_runs(flat_rows)
    warnings += w
    printed: list[list[PrintedCell] | None] = []
    for i, (_, row) in enumerate(keyed):
        if row.run is None:
            printed.append(row.cells)
            continue
        texts = resolved.get(i)
        if texts is None:
            printed.append(None)
            continue
        raws = raw_cells(row.raw_run or "", texts)
        printed.append([PrintedCell(text=t, raw=r or t) if t is not None else None  # type: ignore[misc]
                        for t, r in zip(texts, raws, strict=True)])
    with_subtotal = [c for c in printed if c is not None and len(c) == N_COLUMNS + 1]
    labels = {**TEMPLATE_COLUMN_LABELS, **(column_labels or {})}
    seen: set[str] = set()
    for i, (key, row) in enumerate(keyed):
        cells = printed[i]  # type: ignore[assignment]
        if key in seen or cells is None:
            continue
        if len(cells) == N_COLUMNS + 1:
            cells = _drop_subtotal(cells, with_subtotal, subtotal_at)
        if len(cells) != N_COLUMNS:
            warnings.append(ExtractionWarning(
                code="table3_column_count",
                message=f"table 3 row {row.raw_label!r} has {len(cells)} value cells, expected {N_COLUMNS}",
                metric=key, location={"table": 3, "row": row.raw_label},
            ))
            continue
        seen.add(key)
        for applicant, cell in zip(APPLICANTS, cells, strict=True):
            if cell is None:
                continue
            value, kind = parse_cell(cell.text, UNIT)
            location = {"table": 3, "row": row.raw_label, "column": labels[applicant]}
            if kind == KIND_UNREADABLE:
                warnings.append(ExtractionWarning(
                    code="unreadable_cell", message=f"table 3 cell {cell.raw!r} is not a number or a mark",
                    metric=key, applicant=applicant, location=location,
                ))
                continue
            facts.append(Fact(
                metric=key, value=value, unit=UNIT, applicant=applicant,
                evidence=row.evidence if row.run is not None else (cell.raw or row.evidence),
                location=location, raw=cell.raw, kind=kind, table=3,
            ))
    warnings += _missing_rows({k for k, _ in keyed})
    return facts, warnings


def _missing_rows(found: set[str]) -> list[ExtractionWarning]:
    """Template rows a whole table lacks (a fragment of a few rows is not held to the template)."""
    if len(found) < MIN_ROWS_OF_A_WHOLE_TABLE:
        return []
    if found & set(OTHER_2021_ROWS):
        expected = [k for k in TABLE3_ROWS if k != "other_processing"]
    else:
        expected = [k for k in TABLE3_ROWS if k not in OTHER_2021_ROWS]
    missing = [k for k in expected if k not in found]
    if not missing:
        return []
    return [ExtractionWarning(
        code="table3_row_missing",
        message=f"table 3 has no row for {', '.join(missing)} (label not found or worded unlike any known variant)",
        location={"table": 3},
    )]


def table3_format(facts: Sequence[Fact]) -> str | None:
    """standard_2021 when the 其他处理 row is split in three, standard_2019 when it is one row."""
    metrics = {f.metric for f in facts}
    if metrics & {"other_overdue_correction", "other_fee_unpaid", "other_other"}:
        return "standard_2021"
    if "other_processing" in metrics:
        return "standard_2019"
    return None


__all__ = ["extract_table3", "table3_format", "ORG_APPLICANTS"]
