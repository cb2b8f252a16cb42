"""Table cells: what a printed cell means, and how a run of concatenated digits splits into cells.

A cell is a number, blank, a not-applicable mark (—, -, /, 不适用) or a statement of none (无); only a
number carries a value, so no zero is ever invented. Crawlers that flattened tables glued cells
together ('230 000023'); :func:`split_run` lists every way such a run splits into a given number of
cells, and the table extractors keep the splits their arithmetic allows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from pipelines.model import KIND_BLANK, KIND_NONE_STATED, KIND_NOT_APPLICABLE, KIND_NUMBER

KIND_UNREADABLE = "unreadable"  # not one of the model's kinds: the caller warns and emits nothing

NOT_APPLICABLE_MARKS = frozenset({"—", "-", "--", "——", "–", "/", "／", "－", "\\", "不适用", "N/A", "n/a", "×"})
NONE_MARKS = frozenset({"无", "没有"})

# 1,234 or 1 234 567 as printed; the separator must sit between groups of three digits.
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万元|元|件|个|项|条|起|宗|次)?$")
# Units a cell may print, per vocabulary unit: the factor that turns the printed unit into it.
_UNIT_FACTORS = {
    ("10k_yuan", "元"): 1e-4,
    ("yuan", "万元"): 1e4,
}
# A piece of a flattened run: an integer without a leading zero (or 0 itself), a decimal, an
# optional sign, and an optional money unit at its end.
_PIECE = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?$")
_MARK_TOKEN = re.compile(r"^(?:—+|-|/|／|无|不适用)$")
# More splits than this means the run says nothing reliable; the caller treats it as ambiguous.
MAX_SPLITS = 2000
# A glued run far longer than any real row (a page of digits) would take exponential time to search;
# past this many search steps (real rows of the corpus take at most ~230) the run counts as
# unsplittable and is warned about, not read.
MAX_SPLIT_STEPS = 5_000


@functools.lru_cache(maxsize=4096)
def parse_cell(text: str, unit: str = "") -> tuple[float | int | None, str]:
    """The value and kind of one printed cell (normalised text), in the vocabulary ``unit``."""
    if text.isdigit() and text.isascii():
        return int(text), KIND_NUMBER  # the common case, and the hot path of run splitting
    cell = " ".join(text.split()).replace("\u2212", "-")  # U+2212 MINUS SIGN from typeset PDFs
    if not cell:
        return None, KIND_BLANK
    if cell in NOT_APPLICABLE_MARKS or set(cell) <= set("—-–/／－"):
        return None, KIND_NOT_APPLICABLE
    if cell in NONE_MARKS:
        return None, KIND_NONE_STATED
    cell = _THOUSANDS.sub("", cell).replace(" ", "") if re.fullmatch(r"[\d,， .+\-]+(万元|元)?", cell) else cell
    m = _NUMBER.match(cell)
    if not m:
        return None, KIND_UNREADABLE
    number, printed_unit = m.group(1), m.group(2) or ""
    value: float | int = float(number) if "." in number else int(number)
    factor = _UNIT_FACTORS.get((unit, printed_unit))
    if factor is not None:
        value = round(value * factor, 10)
        if isinstance(value, float) and value.is_integer() and "." not in number and factor > 1:
            value = int(value)
    return value, KIND_NUMBER


def tokens_of(run: str) -> list[str]:
    """Whitespace-separated tokens of a run of cells (pipes count as whitespace here), thousands
    separators removed."""
    return _THOUSANDS.sub("", run).replace("|", " ").split()


def split_run(
    tokens: Sequence[str],
    n_cells: int,
    accept: Callable[[list[str]], bool] | None = None,
    group: int = 0,
    sums: int = 0,
    cap: int | None = None,
    max_steps: int = MAX_SPLIT_STEPS,
) -> list[list[str]]:
    """Every split of ``tokens`` into ``n_cells`` pieces that keeps token boundaries.

    A space always separates two cells; inside a token each piece must read as a number (no
    leading zero) or a mark. ``accept`` is called on each full split, and, when ``group`` is set, on
    every prefix whose length is a multiple of ``group`` (table 4 checks each proceeding's five cells).
    With ``sums`` set, every ``sums``-th cell is the total of the cells before it in its group (7 for a
    table-3 row, 5 for a table-4 proceeding): that piece is not searched for but read as the sum,
    which keeps long runs of four-digit counts fast. With ``cap``, the pieces are whole numbers that
    add up to exactly ``cap`` (the applicant cells of a row whose total is known).
    """
    out: list[list[str]] = []
    toks = [t for t in tokens if t]
    total_chars = sum(len(t) for t in toks)
    if n_cells < len(toks) or n_cells > total_chars:
        return out

    steps = [0]

    def walk(ti: int, pos: int, cells: list[str], chars_left: int, running: int = 0) -> None:
        steps[0] += 1
        if len(out) >= MAX_SPLITS or steps[0] > max_steps:
            return
        if ti == len(toks):
            if (len(cells) == n_cells and (accept is None or accept(cells))
                    and (cap is None or running == cap)):
                out.append(list(cells))
            return
        tok = toks[ti]
        cells_left = n_cells - len(cells)
        tokens_left = len(toks) - ti
        if cells_left < tokens_left or cells_left > chars_left:
            return
        forced = _group_total(cells, sums) if sums else None
        ends: Sequence[int]
        if forced is not None:
            ends = (pos + len(forced),) if tok.startswith(forced, pos) else ()
        elif _MARK_TOKEN.match(tok) and pos == 0:
            ends = (len(tok),)
        else:
            ends = range(pos + 1, len(tok) + 1)
        for end in ends:
            piece = tok[pos:end]
            if not (_PIECE.match(piece) or _MARK_TOKEN.match(piece)):
                continue
            value = 0
            if cap is not None:
                if not piece.isdigit():
                    continue
                value = int(piece)
                if running + value > cap:
                    break  # longer pieces are larger still
            cells.append(piece)
            ok = True
            if group and len(cells) % group == 0 and accept is not None and len(cells) < n_cells:
                ok = accept(cells)
            if ok:
                if end == len(tok):
                    walk(ti + 1, 0, cells, chars_left - len(piece), running + value)
                else:
                    walk(ti, end, cells, chars_left - len(piece), running + value)
            cells.pop()

    walk(0, 0, [], total_chars)
    return out


def split_row(tokens: Sequence[str], n_cells: int) -> list[list[str]]:
    """Splits of a table-3 row whose last cell is the sum of the others.

    The total is read first, as each possible ending of the run, and the rest is split into cells
    that add up to it: every cell is at most the total, which keeps a run of four-digit counts fast.
    A run holding marks (—, /, 无) has no sum to rely on and is split by :func:`split_run`.
    """
    toks = [t for t in tokens if t]
    if not toks or any(not t.isdigit() for t in toks):
        return split_run(toks, n_cells, accept=row_adds_up, sums=n_cells)
    out: list[list[str]] = []
    last = toks[-1]
    for length in range(1, len(last) + 1):
        total = last[len(last) - length:]
        if not _PIECE.match(total):
            continue
        rest = toks[:-1] + ([last[: len(last) - length]] if length < len(last) else [])
        out += [cells + [total] for cells in split_run(rest, n_cells - 1, cap=int(total))]
    return out


def _group_total(cells: Sequence[str], size: int) -> str | None:
    """The text the next cell must have when it closes a group whose last cell is its total."""
    if len(cells) % size != size - 1:
        return None
    values = all_numbers(numeric(cells[len(cells) - (size - 1):]))
    if values is None or any(isinstance(v, float) for v in values):
        return None  # a mark or a decimal: no exact total to expect, search as usual
    return str(sum(values))


def all_numbers(values: Sequence[float | int | None]) -> list[float | int] | None:
    """The values when every one is a number, else None (a mark or blank cannot be added up)."""
    numbers = [v for v in values if v is not None]
    return numbers if len(numbers) == len(values) else None


def numeric(cells: Sequence[str]) -> list[float | int | None]:
    """Values of split pieces (None for marks)."""
    return [parse_cell(c)[0] for c in cells]


def row_adds_up(cells: Sequence[str]) -> bool:
    """Table 3: the last cell (总计) is the sum of the applicant cells before it."""
    values = all_numbers(numeric(cells))
    if values is None:
        return True  # a mark or blank cannot be checked; keep the split
    return sum(values[:-1]) == values[-1]


def groups_add_up(cells: Sequence[str], size: int = 5) -> bool:
    """Table 4: in each complete group of five, upheld + corrected + other + pending = total."""
    for start in range(0, len(cells) - len(cells) % size, size):
        values = all_numbers(numeric(cells[start:start + size]))
        if values is None:
            continue
        if sum(values[:-1]) != values[-1]:
            return False
    return True


def pipe_cells(run: str, n_cells: int | None = None) -> list[str]:
    """The cells of pipe rows ('| 5 |  | 2 |'), line by line; an empty cell stays an empty string.

    With ``n_cells``, empty cells beyond that number at the start are dropped: they fill the label
    columns of a row whose label spans fewer of them ('| （二）部分公开… |  | 0 | … |')."""
    cells: list[str] = []
    for line in run.split("\n"):
        line = line.strip()
        if not line.strip("|").strip():
            continue
        cells += [p.strip() for p in line.strip("|").split("|")]
    while n_cells is not None and len(cells) > n_cells and not cells[0]:
        cells.pop(0)
    return cells


def raw_cells(raw_run: str, cells: Sequence[str | None]) -> list[str | None]:
    """The printed text of each cell of a run, when the printed run separates them the same way
    (a split by arithmetic has no separators to follow, and keeps the pieces)."""
    if "|" in raw_run:
        parts = pipe_cells(raw_run, len(cells))
        if len(parts) == len(cells):
            return list(parts)
    tokens = raw_run.split()
    if len(tokens) == len(cells):
        return list(tokens)
    return list(cells)
