"""Plain values passed between the stages: files, documents, facts and extraction results.

Stages take and return these; only the CLI and the loader touch files and the database.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any

# Value kinds: a table cell is a number, or blank, or a mark that says "not applicable" (—, /, 不适用),
# or a word that says "none" (无). Only "number" carries a value; the others keep value None so that
# no zero is ever invented.
KIND_NUMBER = "number"
KIND_BLANK = "blank"
KIND_NOT_APPLICABLE = "not_applicable"
KIND_NONE_STATED = "none_stated"
VALUE_KINDS = (KIND_NUMBER, KIND_BLANK, KIND_NOT_APPLICABLE, KIND_NONE_STATED)

FORMATS = ("narrative", "standard_2019", "standard_2021")
LEVELS = ("province", "city", "county", "township", "department")


@dataclass(frozen=True)
class SourceFile:
    """One input file as discovered: where it is and what its bytes hash to."""

    path: str
    sha256: str
    size: int
    suffix: str

    @property
    def report_id(self) -> str:
        """A report version is identified by its content: the first 16 hex digits of its sha256."""
        return self.sha256[:16]


@dataclass
class Table:
    """A table as published, expanded to a full grid (row/colspan cells repeated in every slot).

    ``rows`` holds normalised text (Simplified, half-width, whitespace collapsed); ``raw_rows`` the
    same grid as printed. ``spans`` marks, per slot, the (row, col) of the cell that owns it, so a
    repeated spanning cell can be told from two equal cells.
    """

    index: int
    rows: list[list[str]]
    raw_rows: list[list[str]]
    origin: str  # html | docx | pdf | text
    spans: list[list[tuple[int, int]]] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Document:
    """A decoded, normalised report.

    ``original`` is the text as published (original script, tables rendered as ``| a | b |`` rows).
    ``text`` is the same text in Simplified Chinese with full-width digits/punctuation made half-width.
    Offsets in ``text`` map back to ``original`` through ``line_starts`` (per line the start offset in
    both), so evidence is always quoted in the original script.
    """

    source: str
    kind: str  # html | text | markdown | pdf | docx
    encoding: str
    script: str  # simplified | traditional
    original: str
    text: str
    tables: list[Table] = field(default_factory=list)
    # Parallel lists: start offset of each line in ``text`` and in ``original``.
    norm_line_starts: list[int] = field(default_factory=list)
    orig_line_starts: list[int] = field(default_factory=list)
    title: str = ""

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the span of ``original`` it came from.

        Lines whose conversion kept their length map character for character; a line whose length
        changed (a phrase conversion such as 最佳化→优化) maps proportionally within the line.
        """
        if not self.norm_line_starts:
            return start, end
        return self._map(start), self._map(end, is_end=True)

    def _map(self, pos: int, is_end: bool = False) -> int:
        i = bisect.bisect_right(self.norm_line_starts, pos) - 1
        i = max(i, 0)
        n0 = self.norm_line_starts[i]
        o0 = self.orig_line_starts[i]
        n1 = self.norm_line_starts[i + 1] if i + 1 < len(self.norm_line_starts) else len(self.text) + 1
        o1 = self.orig_line_starts[i + 1] if i + 1 < len(self.orig_line_starts) else len(self.original) + 1
        if n1 - n0 == o1 - o0:
            return min(o0 + (pos - n0), len(self.original))
        ratio = (o1 - o0) / max(n1 - n0, 1)
        mapped = o0 + round((pos - n0) * ratio)
        return min(mapped, len(self.original))

    def original_text(self, start: int, end: int) -> str:
        """The original-script text behind a span of ``text``."""
        a, b = self.to_original(start, end)
        return self.original[a:b]

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """The sentence of ``text`` holding a span: bounded by 。；！？ or a line break."""
        stops = "。；;！!？?\n"
        a = start
        while a > 0 and self.text[a - 1] not in stops:
            a -= 1
        b = end
        while b < len(self.text) and self.text[b] not in stops:
            b += 1
        if b < len(self.text) and self.text[b] != "\n":
            b += 1  # keep the closing punctuation
        while a < b and self.text[a] in " \t\u3000":
            a += 1
        return a, b

    def evidence(self, start: int, end: int) -> str:
        """The whole sentence around a span, quoted as printed (original script)."""
        a, b = self.sentence_span(start, end)
        return self.original_text(a, b).strip()


@dataclass
class Fact:
    """One figure of a report in the vocabulary (``pipelines/reference/metrics.csv``).

    ``location`` says where it was read: ``{"table": 3, "row": "...", "column": "..."}`` for a cell
    (labels as printed) or ``{"start": i, "end": j}`` (offsets into the original text) for prose.
    """

    metric: str
    value: float | int | None
    unit: str
    applicant: str | None = None
    approx: bool = False
    evidence: str = ""
    location: dict[str, Any] = field(default_factory=dict)
    raw: str | None = None
    kind: str = KIND_NUMBER
    table: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ExtractionWarning:
    """Something a human should look at: an identity that does not hold, an ambiguous split …"""

    code: str
    message: str
    metric: str | None = None
    applicant: str | None = None
    location: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ReportMeta:
    organ: str | None = None
    organ_as_printed: str | None = None
    region: str | None = None
    level: str | None = None
    year: int | None = None
    format: str | None = None
    title: str | None = None
    is_report: bool = True  # False for a page that is no disclosure report at all

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Extraction:
    """Everything read from one report: metadata, facts, warnings, problems and measures."""

    meta: ReportMeta
    facts: list[Fact] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``ogi extract --json`` contract (keys exactly as in the vocabulary)."""
        out: dict[str, Any] = {
            "organ": self.meta.organ,
            "organ_as_printed": self.meta.organ_as_printed,
            "region": self.meta.region,
            "level": self.meta.level,
            "year": self.meta.year,
            "format": self.meta.format,
            "title": self.meta.title,
            "facts": [f.to_json() for f in self.facts],
            "warnings": [w.to_json() for w in self.warnings],
            "problems": list(self.problems),
            "measures": list(self.measures),
        }
        return out
