"""Standard tables that reached us as text: pipe rows, whitespace-separated cells, labels on one line
and numbers on the next, or cells concatenated with no separator at all (crawled pingtan-YYYY.txt:
'一、本年新收政府信息公开申请数量230 000023').

Row labels are found in their template order in a whitespace-free copy of the text (labels are
often broken by spaces and line breaks); the cell text of a row is what lies between the end of its
label and the start of the next label, cut at the first word that is not a cell.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipelines.extract.labels import APPLICANTS, OTHER_2021_ROWS, TABLE3_ROWS, patterns_of, row_pattern
from pipelines.extract.table_rows import PrintedRow
from pipelines.model import Document

# How far (in non-space characters) the next row label may lie from the previous one: a label of
# about 60 characters, seven cells and a group heading fit easily.
ROW_WINDOW = 400
# How many rows ahead of the expected one a label may be found (rows a template leaves out).
LOOKAHEAD_ROWS = 4
# Fewer table-3 row labels than this found in order means the text holds no table 3.
MIN_TABLE3_ROWS = 8
# Row labels too plain to be recognised outside the table's order ('3.其他' reads like prose).
AMBIGUOUS_ALONE = frozenset({"other_other", "other_processing"})
# Table 4 lies within this many characters after table 3 (or its own heading).
TABLE4_WINDOW = 2500

# The rest of a label after its keyword: anything but digits and cell marks (whitespace, line breaks
# and the one pipe before a repeated label cell included), never an empty cell ('|  |') and never a
# standalone 无/不适用 cell.
_LABEL_TAIL = re.compile(r"(?:(?:\s*\|)?\s*(?!(?:无|不适用)(?:[\s|]|$))[^\s\d|—–/\-])*")
# A run of cells: digits, signs, decimal points, marks, money units and separators.
_CELL_RUN = re.compile(r"(?:[\s|\d.,+\-—–/]|万元|元|不适用|无(?![\u4e00-\u9fff]))*")
# A label number left at the end of a run ('00000002.' before '其他法律…'): label numbers are 1-8.
_TRAILING_NUMBER = re.compile(r"(\d)\s*[.．]\s*$")


_WHITESPACE = re.compile(r"\s+")


@dataclass
class Compact:
    """A text without whitespace, and the way back from its offsets to the text's.

    ``gaps`` holds, for every whitespace run, the compact offset it was removed at and the number
    of characters removed up to and including it.
    """

    text: str
    start: int
    gap_at: list[int]
    removed: list[int]

    @classmethod
    def of(cls, text: str, start: int = 0, end: int | None = None) -> Compact:
        end = len(text) if end is None else end
        gap_at: list[int] = []
        removed: list[int] = []
        total = 0
        for m in _WHITESPACE.finditer(text, start, end):
            gap_at.append(m.start() - start - total)
            total += m.end() - m.start()
            removed.append(total)
        return cls(_WHITESPACE.sub("", text[start:end]), start, gap_at, removed)

    def to_text(self, i: int, text_len: int) -> int:
        if i >= len(self.text):
            return text_len
        n = bisect.bisect_right(self.gap_at, i)
        return self.start + i + (self.removed[n - 1] if n else 0)


@dataclass
class Found:
    key: str
    start: int  # label start in doc.text
    keyword_end: int  # end of the matched keyword in doc.text


def cell_run(segment: str) -> str:
    """The cells at the start of a segment: up to the first word that belongs to a label."""
    m = _CELL_RUN.match(segment)
    run = m.group(0) if m else ""
    rest = segment[len(run):]
    if rest.strip():
        number = _TRAILING_NUMBER.search(run)
        if number:
            run = run[: number.start()]
        elif rest.lstrip().startswith("、") and run.rstrip()[-1:].isdigit():
            run = run.rstrip()[:-1]
    return run


def _label_tail_end(text: str, pos: int, limit: int) -> int:
    m = _LABEL_TAIL.match(text, pos, limit)
    return m.end() if m else pos


def find_table3_rows(doc: Document, start: int = 0) -> list[PrintedRow]:
    """Table-3 rows of flattened text, in template order (empty when the text holds no table 3)."""
    text = doc.text
    compact = Compact.of(text, start)
    patterns = {k: row_pattern(k) for k in TABLE3_ROWS}
    best: list[PrintedRow] = []
    best_score = 0
    for anchor in patterns["new_received"].finditer(compact.text):
        found = _rows_from(compact, anchor.start(), patterns, len(text))
        if len(found) < MIN_TABLE3_ROWS:
            continue
        rows = _printed_rows(doc, found)
        # A prose summary ('本年新收申请23件，上年结转2件，予以公开…') also names the rows in order;
        # the table is the reading whose rows hold cells.
        score = sum(_holds_cells(r.run or "") for r in rows)
        if score > best_score:
            best, best_score = rows, score
    return best or _isolated_rows(doc, compact, patterns)


def _holds_cells(run: str) -> bool:
    """A run that can be seven cells: seven separated tokens or pipe cells, or seven digits or more."""
    if run.count("|") >= len(APPLICANTS):
        return True
    tokens = run.split()
    return len(tokens) >= len(APPLICANTS) or sum(ch.isdigit() for ch in run) >= len(APPLICANTS)


def _isolated_rows(doc: Document, compact: Compact, patterns: dict[str, re.Pattern[str]]) -> list[PrintedRow]:
    """Rows of a table fragment (one page of a flip-book, an excerpt): a label followed by exactly
    seven separated cells. Concatenated runs are not read here: without the rest of the table their
    split cannot be checked."""
    rows: list[PrintedRow] = []
    text = doc.text
    for key in TABLE3_ROWS:
        if key in AMBIGUOUS_ALONE:
            continue
        for m in patterns[key].finditer(compact.text):
            start = compact.to_text(m.start(), len(text))
            end = compact.to_text(m.end() - 1, len(text)) + 1
            limit = min(len(text), end + 300)
            tail = _label_tail_end(text, end, limit)
            run = cell_run(text[tail:limit])
            cells = [p for p in run.strip().strip("|").split("|")] if "|" in run else run.split()
            if len(cells) != len(APPLICANTS):
                continue
            label_start = _label_start(text, start)
            rows.append(PrintedRow(
                label=text[label_start:tail].strip(), raw_label=doc.original_text(label_start, tail).strip(),
                run=run, raw_run=doc.original_text(tail, tail + len(run)).strip(), key=key,
                start=label_start, end=tail + len(run),
            ))
            break
    return rows


def _rows_from(compact: Compact, at: int, patterns: dict[str, re.Pattern[str]], text_len: int) -> list[Found]:
    found: list[Found] = []
    cur = at
    i = 0
    while i < len(TABLE3_ROWS):
        best: tuple[int, int, int] | None = None  # (start, order, end)
        for j in range(i, min(i + LOOKAHEAD_ROWS, len(TABLE3_ROWS))):
            m = patterns[TABLE3_ROWS[j]].search(compact.text, cur, cur + ROW_WINDOW)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), j, m.end())
        if best is None:
            break
        s, j, e = best
        found.append(Found(TABLE3_ROWS[j], compact.to_text(s, text_len), compact.to_text(e - 1, text_len) + 1))
        cur = e
        i = j + 1
    return found


def _printed_rows(doc: Document, found: list[Found]) -> list[PrintedRow]:
    text = doc.text
    rows: list[PrintedRow] = []
    starts = [_label_start(text, f.start) for f in found]
    for n, f in enumerate(found):
        limit = starts[n + 1] if n + 1 < len(found) else min(len(text), f.keyword_end + 300)
        tail = _label_tail_end(text, f.keyword_end, limit)
        label_start = starts[n]
        run = cell_run(text[tail:limit])
        rows.append(PrintedRow(
            label=text[label_start:tail].strip(), raw_label=doc.original_text(label_start, tail).strip(),
            run=run, raw_run=doc.original_text(tail, tail + len(run)).strip(), key=f.key,
            start=label_start, end=tail + len(run),
        ))
    keys = {r.key for r in rows}
    if any(k in keys for k in OTHER_2021_ROWS):
        # (六)其他处理 is the heading of the three 2021 sub-rows, not a row of its own.
        rows = [r for r in rows if not (r.key == "other_processing" and not (r.run or "").strip(" |\n\t"))]
    return rows


_LABEL_PREFIX = re.compile(r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d\s*[.、．])\s*$")


def _label_start(text: str, start: int) -> int:
    """Back up over a label's own numbering (1. / (一) / 一、) just before its keyword."""
    m = _LABEL_PREFIX.search(text, max(0, start - 8), start)
    return m.start() if m else start


def find_table4_run(doc: Document, start: int = 0) -> tuple[str, int, int] | None:
    """The cell run of table 4 (15 cells, possibly concatenated): (run, start, end) in doc.text."""
    text = doc.text
    heading = re.search(r"行政复议[\s|]*行政诉讼", text[start:])
    if heading is None:
        heading = re.search(r"行政复议", text[start:])
        if heading is None:
            return None
    region_start = start + heading.end()
    end_heading = re.search(r"\n\s*五[、.]|五、", text[region_start:region_start + TABLE4_WINDOW])
    region_end = region_start + (end_heading.start() if end_heading else TABLE4_WINDOW)
    # Markdown separator lines (|---|---|) are no cells; blanked, keeping offsets.
    region = _MD_RULE.sub(lambda m: " " * len(m.group(0)), text[region_start:region_end])
    # First a run of 15 cells on its own; else the cells of rows that each carry their proceeding's
    # name ('行政复议 1 0 2 0 3' / '未经复议直接起诉 12 0 0 0 12' / …), read with the names blanked out.
    for candidate in (region, _TABLE4_WORDS.sub(lambda m: " " * len(m.group(0)), region)):
        for m in re.finditer(r"[\d|—\-/][\d\s|—\-/]*", candidate):
            run = m.group(0)
            if sum(ch.isdigit() for ch in run) + run.count("—") + run.count("/") < 15 and run.count("|") < 15:
                continue
            return run.strip(), region_start + m.start(), region_start + m.end()
    return None


_MD_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$", re.M)
# Header words of table 4 that may sit between its cells when each proceeding is printed as a row.
_TABLE4_WORDS = re.compile(r"行政复议|行政诉讼|未经复议直接起诉|复议后起诉|结果维持|结果纠正|其他结果|尚未审结|总计|合计|[:：]")


# --- table 2 -------------------------------------------------------------------------------------

@dataclass
class Table2Event:
    kind: str  # item | column | header
    key: str
    start: int  # in doc.text
    end: int


def _search_pattern(pattern: str) -> str:
    return pattern.replace("^", "").replace("$", "")


def find_table2_events(doc: Document, start: int, end: int) -> list[Table2Event]:
    """Item labels, column labels and 信息内容 headers of a flattened table 2, in text order."""
    text = doc.text
    compact = Compact.of(text, start, end)
    events: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    specs = [("header", "header", "信息内容|第二十条")]
    specs += [("column", p.key, _search_pattern(p.pattern.pattern)) for p in patterns_of(2, "column")]
    specs += [("item", p.key, _search_pattern(p.pattern.pattern)) for p in patterns_of(2, "item")]
    for kind, key, pattern in specs:
        for m in re.finditer(pattern, compact.text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            events.append((m.start(), m.end(), kind, key))
    events.sort()
    n = len(text)
    return [Table2Event(kind, key, compact.to_text(s, n), compact.to_text(e - 1, n) + 1) for s, e, kind, key in events]


def table2_region(doc: Document, table3_start: int | None) -> tuple[int, int] | None:
    """Where a flattened table 2 lies: from the first 第二十条/信息内容 before table 3."""
    text = doc.text
    end = table3_start if table3_start is not None else len(text)
    m = re.search(r"第\s*二\s*十\s*条|信\s*息\s*内\s*容", text[:end])
    if not m:
        return None
    return m.start(), end


def item_run(doc: Document, event: Table2Event, limit: int) -> tuple[str, str, int]:
    """The cell run after a table-2 item label: (run, raw run, tail start)."""
    text = doc.text
    tail = _label_tail_end(text, event.end, limit)
    run = cell_run(text[tail:limit])
    return run, doc.original_text(tail, tail + len(run)).strip(), tail
