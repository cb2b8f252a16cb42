"""Table 2 (主动公开政府信息情况): items × columns, metric ``<item>_<column>``.

Each section of the table (第二十条第(一)/(五)/(六)/(八)/(九)项) has its own header row of columns;
an item row's cells are read under the header above it. The column words say the format: 本年制发件数
is 2021, 本年新制作数量 / 上一年项目数量 the 2019 trial. Flattened runs are split only where the split
is unique (a sign or one digit per cell); otherwise the cells are reported as ambiguous.
"""

from __future__ import annotations

from pipelines.extract.flattened import Table2Event, find_table2_events, item_run
from pipelines.extract.labels import match_label, patterns_of
from pipelines.extract.table_cells import (
    KIND_UNREADABLE,
    parse_cell,
    pipe_cells,
    raw_cells,
    split_run,
    tokens_of,
)
from pipelines.model import KIND_NUMBER, Document, ExtractionWarning, Fact, Table
from pipelines.vocabulary import metrics

# Characters between two labels of one table 2 (a label's tail and a run of cells); a label further
# away belongs to the prose around the table.
MAX_EVENT_GAP = 80
FORMAT_2021_COLUMNS = frozenset({"issued", "repealed", "in_force", "amount_10k_yuan"})
FORMAT_2019_COLUMNS = frozenset({"new_made", "new_published", "total_published", "previous_year_count", "change",
                                 "items", "amount_yuan"})


def _fact(item: str, column: str, text: str, raw: str, row_label: str, column_label: str, evidence: str,
          warnings: list[ExtractionWarning]) -> Fact | None:
    metric = f"{item}_{column}"
    known = metrics().get(metric)
    location = {"table": 2, "row": row_label, "column": column_label}
    if known is None:
        warnings.append(ExtractionWarning(code="table2_unknown_cell",
                                          message=f"table 2: {row_label} × {column_label} is no vocabulary metric",
                                          metric=metric, location=location))
        return None
    value, kind = parse_cell(text, known.unit)
    if kind == KIND_UNREADABLE:
        warnings.append(ExtractionWarning(code="unreadable_cell",
                                          message=f"table 2 cell {raw!r} is not a number or a mark",
                                          metric=metric, location=location))
        return None
    return Fact(metric=metric, value=value, unit=known.unit, evidence=evidence or raw, location=location,
                raw=raw, kind=kind, table=2)


Header = dict[int, tuple[str, str]]  # grid slot → (column key, printed label)


def extract_table2_grid(
    table: Table, header: Header | None = None,
) -> tuple[list[Fact], list[ExtractionWarning], Header]:
    """Facts of a table-2 grid: each item row read under the latest 信息内容 header row (which may
    be the last header of the previous grid, when a page break split the table)."""
    facts: list[Fact] = []
    warnings: list[ExtractionWarning] = []
    header = dict(header or {})
    for r, row in enumerate(table.rows):
        if not row:
            continue
        raw_row = table.raw_rows[r] if r < len(table.raw_rows) else row
        first = next((c for c, text in enumerate(row) if text.strip()), 0)  # a blank leading column
        if _is_header_row(row, first):
            header = {}
            for c in range(first + 1, len(row)):
                key = match_label(row[c], 2, "column")
                if key:
                    header[c] = (key, raw_row[c])
            continue
        item = match_label(row[first], 2, "item")
        if item is None or not header:
            continue
        values = _value_cells(table, r, first)
        columns = list(dict.fromkeys(header.values()))
        if len(values) == len(columns):
            # One printed value per header column: read them in order (the continuation of a table
            # on the next PDF page may have other column edges than the header above it).
            pairs = list(zip(columns, values, strict=True))
        else:
            pairs = [(header[c], (c, text, raw)) for c, text, raw in values if c in header]
        used: set[str] = set()
        for column, (_, text, raw) in pairs:
            if column[0] in used:
                continue
            used.add(column[0])
            fact = _fact(item, column[0], text, raw, raw_row[first], column[1], raw, warnings)
            if fact:
                facts.append(fact)
    return facts, warnings, header


def _is_header_row(row: list[str], first: int) -> bool:
    """信息内容 | 本年制发件数 | …, or any row naming table-2 columns and holding no number."""
    if "信息内容" in row[first].replace(" ", ""):
        return True
    named = [c for c in row[first + 1:] if match_label(c, 2, "column")]
    return bool(named) and not any(parse_cell(c)[1] == KIND_NUMBER for c in row[first + 1:])


def _value_cells(table: Table, r: int, label_slot: int = 0) -> list[tuple[int, str, str]]:
    """(slot, text, raw) of each printed value cell of a row, a spanning cell once."""
    row = table.rows[r]
    raw_row = table.raw_rows[r] if r < len(table.raw_rows) else row
    spans = table.spans[r] if r < len(table.spans) else []
    seen = {spans[label_slot]} if spans else set()
    out: list[tuple[int, str, str]] = []
    for c in range(label_slot + 1, len(row)):
        owner = spans[c] if c < len(spans) else (r, c)
        if owner in seen:
            continue
        seen.add(owner)
        out.append((c, row[c], raw_row[c]))
    return out


def _splits(run: str, n: int) -> list[list[str]]:
    """Candidate cell lists of a flattened table-2 run (one when it is unambiguous)."""
    if "|" in run:
        parts = pipe_cells(run, n)
        while len(parts) > n and not parts[-1]:
            parts.pop()
        if len(parts) == n:
            return [parts]
    tokens = tokens_of(run)
    if len(tokens) == n:
        return [tokens]
    if not tokens:
        return [[""] * n]
    return split_run(tokens, n)


def prose_statements(doc: Document) -> dict[str, set[str]]:
    """Table-2 figures the report's prose states ('本年度制发的规范性文件77件'), per metric."""
    out: dict[str, set[str]] = {}
    for p in patterns_of(2, "prose"):
        for m in p.pattern.finditer(doc.text):
            out.setdefault(p.key, set()).add(m.group(1))
    return out


def settle_split(splits: list[list[str]], metrics_: list[str], stated: dict[str, set[str]]) -> list[str | None]:
    """Cells every remaining split agrees on, after keeping the splits the prose confirms.

    A statement that no split matches is ignored (the prose may count differently)."""
    for col, metric in enumerate(metrics_):
        values = stated.get(metric)
        if not values:
            continue
        kept = [s for s in splits if s[col] in values]
        if kept:
            splits = kept
    if not splits:
        return [None] * len(metrics_)
    return [s0 if all(s[i] == s0 for s in splits) else None for i, s0 in enumerate(splits[0])]


def extract_table2_text(doc: Document, start: int, end: int) -> tuple[list[Fact], list[ExtractionWarning]]:
    """Facts of a table 2 in flattened text between ``start`` and ``end`` of ``doc.text``."""
    facts: list[Fact] = []
    warnings: list[ExtractionWarning] = []
    events = find_table2_events(doc, start, end)
    stated: dict[str, set[str]] | None = None
    columns: list[Table2Event] = []
    in_header = False
    previous_end = -1
    for n, ev in enumerate(events):
        if previous_end >= 0 and ev.start - previous_end > MAX_EVENT_GAP:
            columns, in_header = [], False  # a label far from the last one is prose, not this table
        previous_end = ev.end
        if ev.kind == "header":
            if not in_header:
                columns = []
            in_header = True
            continue
        if ev.kind == "column":
            if not in_header:
                columns = []
            in_header = True
            columns.append(ev)
            continue
        in_header = False
        limit = events[n + 1].start if n + 1 < len(events) else end
        run, raw_run, tail = item_run(doc, ev, limit)
        if not columns:
            continue
        row_label = doc.original_text(ev.start, tail).strip()
        splits = _splits(run, len(columns))
        cells: list[str | None] = splits[0] if len(splits) == 1 else settle_split(  # type: ignore[assignment]
            splits, [f"{ev.key}_{c.key}" for c in columns], stated if stated is not None else
            (stated := prose_statements(doc)))
        if None in cells:
            unread = [c.key for c, t in zip(columns, cells, strict=True) if t is None]
            warnings.append(ExtractionWarning(
                code="ambiguous_split",
                message=f"table 2 row {row_label!r}: the run {raw_run!r} does not split uniquely into "
                        f"{len(columns)} cells ({', '.join(c.key for c in columns)}); "
                        f"{', '.join(unread)} not guessed",
                metric=ev.key, location={"table": 2, "row": row_label},
            ))
        raws = raw_cells(raw_run, cells)
        emitted: set[str] = set()
        for col, text, raw in zip(columns, cells, raws, strict=True):
            # A header cell spanning three columns reads three times in pipe rows ('本年处理决定数量'),
            # and so does the value under it: the first one is the cell.
            if text is None or col.key in emitted:
                continue
            emitted.add(col.key)
            col_label = doc.original_text(col.start, col.end)
            fact = _fact(ev.key, col.key, text, raw or text, row_label, col_label, f"{row_label} {raw_run}",
                         warnings)
            if fact:
                facts.append(fact)
    return facts, warnings


def table2_format(facts: list[Fact]) -> str | None:
    columns = {f.metric for f in facts}
    if any(m.endswith(tuple("_" + c for c in FORMAT_2021_COLUMNS)) for m in columns):
        return "standard_2021"
    if any(m.endswith(tuple("_" + c for c in FORMAT_2019_COLUMNS)) for m in columns):
        return "standard_2019"
    return None
