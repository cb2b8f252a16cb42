"""The statistics table many narrative reports append (政府信息公开情况统计表), as it survives on
crawled pages: flattened into one run of text, often with no cell separators at all.

    指标名称计量单位2011年度历年累计主动公开信息数条4251516其中：1.网站公开条41815092.政府公报公开条77…

Each row is a label, a measure word and the digits of one or two columns (this year, cumulative),
with the next row's list number sometimes glued on ('41815092.' = 418 | 1509 | '2.'). The list number
is stripped by counting (it is the previous row's number plus one); the columns are split using the
report's own constraints — no leading zeros, cumulative ≥ this year, a part ≤ its whole, a whole = the
sum of its parts ('其中' rows) — and, to break ties, the figures the prose states. A row that still
has more than one reading is reported as a warning and left out, never guessed.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from dataclasses import dataclass, field

from pipelines.config import REFERENCE_DIR
from pipelines.extract.numbers import as_int_if_whole
from pipelines.model import Table

# The header that opens such a table, with its column headings.
# ('指标名称 计量单位 2011年度 历年累计' of the 2008 template, '统计指标 单位 统计数' of the 2014 one).
_HEADER = re.compile(
    r"(?:指\s*标\s*名\s*称|统\s*计\s*指\s*标)\s*(?:计\s*量\s*)?(?:单\s*位)?\s*"
    r"(?P<cols>(?:\s*(?:\d{4}\s*年度?|本年度?|本期|历年累计|累计|年末统计|统计数|数量|合计|上年))*)"
)
_COLUMN_WORDS = re.compile(r"\d{4}\s*年度?|本年度?|本期|历年累计|累计|年末统计|统计数|数量|合计|上年")
_ROW = re.compile(
    r"(?P<pre>其中\s*[:：]?\s*)?(?P<list>\d{1,2}\s*[.．、]\s*)?"
    r"(?P<label>[\u4e00-\u9fff][\u4e00-\u9fff()（）、“”\s]*?)\s*"
    r"(?P<unit>人次|万元|条|件|个|次|项|元|人)\s*(?P<digits>\d[\d\s]*)"
)
_MONEY_UNITS = {"万元": 10_000, "元": 1}
_LAST_TOKEN = re.compile(r"^(.*\S)\s+(\d+)$", re.S)
_DECIMALS = re.compile(r"\.(\d+)")
# A group heading between rows ('（二）通过不同渠道和方式公开政府信息的情况') is short and has no sentence end.
MAX_GROUP_HEADING_CHARS = 40
_SENTENCE_END = re.compile(r"[。；;!！?？]")
# A line holding one cell of a table kept one cell per line is short.
MAX_CELL_LINE_CHARS = 40
_GLUED_LIST = re.compile(r"\s*[.．、]")
# What may sit between one row's digits and the next row: spaces and a glued list number ('2.').
_BETWEEN_ROWS = " \t\n.．、0123456789"
# '近2000条' in the prose confirms a table reading within this share of it.
APPROX_TOLERANCE = 0.2
# Small numbers recur all over a report (1件, 2条); only a figure this large confirms a reading by chance.
MIN_STATED_VALUE = 10
# A cumulative column more than this many times the year's figure is implausible for a series begun in
# 2008 (pingtan-zone 2016 has 85376 / 3460 ≈ 25); used only as a last resort, with a warning.
MAX_CUMULATIVE_RATIO = 50
# More combinations than this in one group of rows means the table is too damaged to split by search.
MAX_COMBINATIONS = 20_000


@functools.cache
def row_labels() -> tuple[tuple[str, str], ...]:
    with open(REFERENCE_DIR / "narrative_table_rows.csv", encoding="utf-8") as f:
        rows = [(r["label"], r["metric"]) for r in csv.DictReader(f)]
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


# Variant characters that survive conversion (答覆 is a standard form beside 答复; OpenCC keeps it).
_LABEL_VARIANTS = (("答覆", "答复"), ("覆议", "复议"))


def metric_for_label(label: str) -> str | None:
    compact = re.sub(r"\s+", "", label)
    for variant, standard in _LABEL_VARIANTS:
        compact = compact.replace(variant, standard)
    for text, metric in row_labels():
        if text in compact:
            return metric
    return None


@dataclass
class TableRow:
    label: str
    metric: str | None
    unit_word: str
    list_number: int | None
    span: tuple[int, int]  # evidence span in the normalised text (row with its list numbers)
    label_start: int
    candidates: list[tuple[float, ...]] = field(default_factory=list)  # money rows in yuan
    value: tuple[float, ...] | None = None
    # For a row of a parsed (HTML/DOCX) table: its cells as printed, and where it is.
    evidence: str | None = None
    location: dict[str, object] | None = None
    by_plausibility: bool = False  # read by the plausibility rule, not confirmed by sums or prose


@dataclass
class FlatTable:
    start: int
    end: int
    n_columns: int
    rows: list[TableRow]
    ambiguous: list[TableRow] = field(default_factory=list)


def _splits(digits: str, n_columns: int) -> list[tuple[float, ...]]:
    """Every reading of a digit run as ``n_columns`` numbers with no leading zeros, cumulative ≥ year."""
    if any(ch.isspace() for ch in digits.strip()):
        tokens = digits.split()
        if len(tokens) == n_columns:
            return [tuple(int(t) for t in tokens)]
        digits = "".join(tokens)
    digits = digits.strip()
    if n_columns == 1:
        return [(int(digits),)] if digits == "0" or not digits.startswith("0") else []
    out: list[tuple[float, ...]] = []
    for i in range(1, len(digits)):
        a, b = digits[:i], digits[i:]
        if (len(a) > 1 and a.startswith("0")) or (len(b) > 1 and b.startswith("0")):
            continue
        if int(a) <= int(b):
            out.append((int(a), int(b)))
    return out


def find_flat_tables(text: str) -> list[FlatTable]:
    tables = []
    for h in _HEADER.finditer(text):
        region_end = _region_end(text, h.end())
        n_columns = max(1, len(_COLUMN_WORDS.findall(h.group("cols") or "")))
        rows = _read_rows(text, h.end(), region_end, n_columns)
        if rows:
            tables.append(FlatTable(h.start(), rows[-1].span[1], n_columns, rows))
    return tables


_GRID_LABEL = re.compile(r"^\s*(?:其中\s*[:：]?\s*)?(?:(?P<list>\d{1,2})\s*[.．、]\s*)?(?P<label>.*?)\s*$")
_GRID_NUMBER = re.compile(r"^\s*\d+\s*$")


def tables_from_grid(tables: list[Table]) -> list[FlatTable]:
    """The same statistics table when the page kept it as a table ('| 主动公开文件数 | 条 | 3460 | 85376 |')."""
    out = []
    for t in tables:
        if not t.rows or not any(_HEADER.match(re.sub(r"\s+", "", "".join(r))) for r in t.rows[:2]):
            continue
        rows: list[TableRow] = []
        n_columns = 0
        for cells, raw in zip(t.rows, t.raw_rows, strict=False):
            numbers = [c for c in cells[2:] if _GRID_NUMBER.match(c)]
            if len(cells) < 3 or not numbers or len(numbers) != len(cells) - 2:
                continue
            n_columns = max(n_columns, len(numbers))
            m = _GRID_LABEL.match(cells[0])
            label = re.sub(r"\s+", "", m.group("label")) if m else cells[0]
            rows.append(TableRow(
                label=label, metric=metric_for_label(label), unit_word=cells[1].strip(),
                list_number=int(m.group("list")) if m and m.group("list") else None, span=(0, 0), label_start=0,
                candidates=[tuple(int(c) for c in numbers)],
                evidence=" ".join(c.strip() for c in raw), location={"table": t.index, "row": label},
            ))
        if rows:
            out.append(FlatTable(0, 0, n_columns, rows))
    return out


def _region_end(text: str, start: int) -> int:
    """The table runs to the end of its header's line and on over the lines that follow while they are
    rows ('其中：1.网站公开 条 1626 4396') or single cells (a label, a unit, a number on a line of its own);
    a line with a sentence end is prose again."""
    end = text.find("\n", start)
    while end != -1:
        nxt = text.find("\n", end + 1)
        line = text[end + 1:nxt if nxt != -1 else len(text)].strip()
        if line and not _ROW.match(line) and (len(line) > MAX_CELL_LINE_CHARS or _SENTENCE_END.search(line)):
            return end
        end = nxt
    return len(text)


def pipe_tables(text: str, original: str) -> list[Table]:
    """Tables a text file keeps as '| 主动公开信息数 | 条 | 7270 | 21201 |' lines, as grids.

    Normalisation works line by line, so line i of ``text`` is line i of ``original``.
    """
    out: list[Table] = []
    rows: list[list[str]] = []
    raw_rows: list[list[str]] = []
    orig_lines = original.split("\n")
    for i, line in enumerate([*text.split("\n"), ""]):
        if line.lstrip().startswith("|") and i < len(orig_lines):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            raw_rows.append([c.strip() for c in orig_lines[i].strip().strip("|").split("|")])
        elif rows:
            out.append(Table(index=len(out), rows=rows, raw_rows=raw_rows, origin="text"))
            rows, raw_rows = [], []
    return out


def _read_rows(text: str, start: int, end: int, n_columns: int) -> list[TableRow]:
    rows: list[TableRow] = []
    pos = start
    glued_list: int | None = None
    prev_end = start
    while True:
        m = _ROW.search(text, pos, end)
        if not m:
            break
        between = text[prev_end:m.start()].strip(_BETWEEN_ROWS)
        if rows and between and (len(between) > MAX_GROUP_HEADING_CHARS or _SENTENCE_END.search(between)
                                 or any(ch.isdigit() for ch in between)):
            break
        own_list = int(re.sub(r"\D", "", m.group("list"))) if m.group("list") else glued_list
        digits = m.group("digits")
        digits_end = m.end("digits")
        expected_next = (own_list or 0) + 1
        decimal = _DECIMALS.match(text, digits_end) if m.group("unit") in _MONEY_UNITS else None
        if decimal and not (not _LAST_TOKEN.match(digits.rstrip()) and decimal.group(1) == str(expected_next)):
            digits_end = decimal.end()  # '专项经费万元2.5' is 2.5, not 2 and a list number 5
        else:
            decimal = None
        after = None if decimal else _GLUED_LIST.match(text, digits_end)
        next_list: int | None = None
        if after and digits_end < end:
            expected = (own_list or 0) + 1
            raw = digits.rstrip()
            spaced = _LAST_TOKEN.match(raw)
            if spaced:
                next_list, digits = int(spaced.group(2)), spaced.group(1)
            elif raw.endswith(str(expected)) and len(raw) > len(str(expected)):
                next_list, digits = expected, raw[: -len(str(expected))]
            elif own_list is None and raw.endswith("1") and len(raw) > 1:
                next_list, digits = 1, raw[:-1]
        label = re.sub(r"\s+", "", m.group("label"))
        scale = _MONEY_UNITS.get(m.group("unit"), 1)
        candidates: list[tuple[float, ...]]
        if decimal:
            candidates = [(as_int_if_whole(float(digits.strip() + "." + decimal.group(1)) * scale),)]
        else:
            candidates = [tuple(v * scale for v in c) for c in _splits(digits, n_columns)]
        row = TableRow(
            label=label, metric=metric_for_label(label), unit_word=m.group("unit"), list_number=own_list,
            span=(prev_end if rows else m.start(), 0), label_start=m.start("label"), candidates=candidates,
        )
        rows.append(row)
        glued_list = next_list
        pos = m.end()
        if next_list is not None:
            pos = after.end() if after else pos
        prev_end = digits_end if decimal else m.start("digits") + len(digits.rstrip())
    # Evidence of a row runs to the start of the next row's label, so glued list numbers stay quoted.
    for i, row in enumerate(rows):
        nxt = rows[i + 1].label_start if i + 1 < len(rows) else _row_tail(text, rows[i], end)
        row.span = (row.span[0], nxt)
    return rows


def _row_tail(text: str, row: TableRow, end: int) -> int:
    m = _ROW.search(text, row.label_start, end)
    return m.end("digits") if m else end


def _groups(rows: list[TableRow]) -> list[tuple[int, list[int]]]:
    """(whole, parts): a row without a list number followed by its numbered '其中' rows."""
    out = []
    i = 0
    while i < len(rows):
        if rows[i].list_number is None:
            parts = []
            j = i + 1
            while j < len(rows) and rows[j].list_number is not None:
                parts.append(j)
                j += 1
            if parts and all(rows[k].list_number == n + 1 for n, k in enumerate(parts)):
                out.append((i, parts))
            i = j
        else:
            i += 1
    return out


def _readings(row: TableRow) -> list[tuple[float, ...]]:
    return row.candidates if row.value is None else [row.value]


def _solve_groups(table: FlatTable) -> None:
    """Narrow each row's readings to those its group's sums allow (a whole = the sum of its parts)."""
    rows = table.rows
    for whole, parts in _groups(rows):
        members = [whole, *parts]
        options = [_readings(rows[k]) for k in members]
        n = 1
        for o in options:
            n *= max(len(o), 1)
        if n == 1 or n > MAX_COMBINATIONS or any(not o for o in options):
            continue
        feasible = []
        exact = []
        for combo in itertools.product(*options):
            w, ps = combo[0], combo[1:]
            if any(p[c] > w[c] for p in ps for c in range(table.n_columns)):
                continue
            feasible.append(combo)
            if all(sum(p[c] for p in ps) == w[c] for c in range(table.n_columns)):
                exact.append(combo)
        chosen = exact if exact else feasible
        for pos, k in enumerate(members):
            readings = {combo[pos] for combo in chosen}
            if rows[k].value is None and readings:
                rows[k].candidates = sorted(readings)
                if len(readings) == 1:
                    rows[k].value = next(iter(readings))


def resolve(table: FlatTable, prose_values: set[float], prose_by_metric: dict[str, float],
            prose_approx: dict[str, float] | None = None) -> None:
    """Choose one reading per row, or mark the row ambiguous.

    Order: the only reading left by the digits; the table's own sums; the figure the prose states for
    the same metric (or approximately: '近2000条' confirms 1915 over 19); a figure of ten or more the
    prose states at all; the sums again with what that settled. Last, a row whose readings are all
    unconfirmed takes the one reading whose cumulative is a plausible multiple of the year
    (``MAX_CUMULATIVE_RATIO``), marked ``by_plausibility`` so that it is warned about and never
    promoted to a core figure.
    """
    prose_approx = prose_approx or {}
    rows = table.rows
    for row in rows:
        if len(row.candidates) == 1:
            row.value = row.candidates[0]
    _solve_groups(table)
    for row in rows:
        if row.value is not None or not row.candidates:
            continue
        exact = prose_by_metric.get(row.metric or "")
        near = prose_approx.get(row.metric or "")
        same = [c for c in row.candidates if exact is not None and exact == c[0]]
        close = [c for c in row.candidates if near and abs(c[0] - near) <= APPROX_TOLERANCE * near]
        stated = [c for c in row.candidates if c[0] >= MIN_STATED_VALUE and c[0] in prose_values]
        for chosen in (same, close, stated):
            if len(chosen) == 1:
                row.value = chosen[0]
                break
    _solve_groups(table)
    for row in rows:
        if row.value is None and len(row.candidates) > 1 and table.n_columns == 2:
            plausible = [c for c in row.candidates if c[0] > 0 and c[1] / c[0] <= MAX_CUMULATIVE_RATIO]
            if len(plausible) == 1:
                row.value = plausible[0]
                row.by_plausibility = True
    table.ambiguous = [row for row in rows if row.value is None and row.candidates]
