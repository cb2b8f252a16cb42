"""``ogi eval``: score extraction against the hand-read gold files of a corpus.

For each ``NAME.gold.json`` beside ``NAME.<txt|html|htm|md|pdf|docx>`` the report is parsed (no
warehouse) and compared:

* table cells (tables 2, 3, 4: gold facts whose metric belongs to a table): expected / found / exact
  match, per table; a blank gold cell (``null``) matches a fact whose value is None;
* narrative figures (gold facts with a ``quote``): found when a fact has the value and either the key
  or evidence containing the quote (whitespace removed, compared in Simplified script); core keys
  must be found under exactly that key; a core-key fact whose value differs from gold contradicts it;
* metadata: organ, year and format (plus region and level, reported, not in the bar).

Cells a human could not split (``table2_ambiguous``) are not gold and not scored. This is the team's
scoreboard; the test suite holds floors on it that only ever rise.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.errors import ReportError
from pipelines.model import Extraction
from pipelines.normalise import half_width, to_simplified
from pipelines.parse import parse_file
from pipelines.vocabulary import core_metrics, metrics

SOURCE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".pdf", ".docx")
META_FIELDS = ("organ", "year", "format")
EXTRA_META_FIELDS = ("region", "level")
# Two numbers are the same figure when they agree to this many decimals (fees in 万元 carry 6).
VALUE_DECIMALS = 6


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return round(float(a), VALUE_DECIMALS) == round(float(b), VALUE_DECIMALS)
    except (TypeError, ValueError):
        return False


_WS = re.compile(r"\s+")


def _fold(text: str | None) -> str:
    """Compare texts in one script and width, ignoring whitespace."""
    if not text:
        return ""
    return _WS.sub("", to_simplified(half_width(text)))


@dataclass
class Miss:
    file: str
    kind: str  # table2|table3|table4|narrative|core|contradiction|meta|error
    metric: str
    applicant: str | None
    expected: Any
    got: Any

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Counter:
    expected: int = 0
    found: int = 0
    exact: int = 0

    def rate(self) -> float | None:
        return self.exact / self.expected if self.expected else None


@dataclass
class Scores:
    files: int = 0
    errors: int = 0
    tables: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    narrative: Counter = field(default_factory=Counter)  # exact = found by value+key-or-quote
    core: Counter = field(default_factory=Counter)  # exact = found under exactly the key
    contradictions: int = 0
    meta: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[Miss] = field(default_factory=list)

    @property
    def table_overall(self) -> Counter:
        total = Counter()
        for c in self.tables.values():
            total.expected += c.expected
            total.found += c.found
            total.exact += c.exact
        return total

    @property
    def metadata(self) -> Counter:
        total = Counter()
        for name in META_FIELDS:
            c = self.meta[name]
            total.expected += c.expected
            total.exact += c.exact
        return total

    def to_json(self) -> dict[str, Any]:
        def c(x: Counter) -> dict[str, Any]:
            return {"expected": x.expected, "found": x.found, "exact": x.exact, "rate": x.rate()}

        return {
            "files": self.files,
            "errors": self.errors,
            "tables": {k: c(v) for k, v in sorted(self.tables.items())},
            "tables_overall": c(self.table_overall),
            "narrative_recall": c(self.narrative),
            "core_keys": c(self.core),
            "core_contradictions": self.contradictions,
            "core_contradiction_rate": (self.contradictions / self.core.expected) if self.core.expected else None,
            "metadata": {k: c(v) for k, v in sorted(self.meta.items())},
            "metadata_overall": c(self.metadata),
            "misses": [m.to_json() for m in self.misses],
        }


def find_pairs(corpus: Path) -> list[tuple[Path, Path]]:
    """(source, gold) pairs below a folder, sorted by path."""
    pairs = []
    for gold in sorted(corpus.rglob("*.gold.json")):
        stem = gold.name[: -len(".gold.json")]
        for suffix in SOURCE_SUFFIXES:
            src = gold.with_name(stem + suffix)
            if src.exists():
                pairs.append((src, gold))
                break
    return pairs


def _table_of(metric: str) -> int | None:
    m = metrics().get(metric)
    return m.table if m else None


def score_report(name: str, gold: dict[str, Any], got: Extraction | None, scores: Scores) -> None:
    """Add one report's comparison to the running scores."""
    meta = got.meta.to_json() if got else {}
    for fname in META_FIELDS + EXTRA_META_FIELDS:
        expected = gold.get(fname)
        if expected is None or (fname == "region" and expected == "未知"):
            continue
        counter = scores.meta[fname]
        counter.expected += 1
        value = meta.get(fname)
        ok = _fold(str(value)) == _fold(str(expected)) if value is not None else False
        if ok:
            counter.exact += 1
            counter.found += 1
        elif fname in META_FIELDS:
            scores.misses.append(Miss(name, "meta", fname, None, expected, value))

    facts = got.facts if got else []
    by_key: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
    for f in facts:
        by_key[(f.metric, f.applicant)].append(f)
    core = set(core_metrics())

    for g in gold.get("facts", []):
        metric, applicant = g["metric"], g.get("applicant")
        table = _table_of(metric)
        # In a standard report a metric of tables 2-4 is a table cell, quoted or not; in a narrative
        # report every figure is scored as prose (reconsideration_total exists in both).
        is_cell = table is not None and (str(gold.get("format", "")).startswith("standard") or "quote" not in g)
        if is_cell:
            counter = scores.tables[f"table{table}"]
            counter.expected += 1
            cands = by_key.get((metric, applicant), [])
            if cands:
                counter.found += 1
            if any(_same(f.value, g["value"]) for f in cands):
                counter.exact += 1
            else:
                scores.misses.append(Miss(name, f"table{table}", metric, applicant, g["value"],
                                          [f.value for f in cands] or None))
            continue
        # A narrative figure (quoted in the gold file).
        quote = _fold(g.get("quote"))
        scores.narrative.expected += 1
        hit = any(
            _same(f.value, g["value"]) and (f.metric == metric or (quote and quote in _fold(f.evidence)))
            for f in facts
        )
        if hit:
            scores.narrative.exact += 1
            scores.narrative.found += 1
        else:
            near = [f.value for f in by_key.get((metric, applicant), [])] or None
            scores.misses.append(Miss(name, "narrative", metric, applicant, g["value"], near))
        if metric in core:
            scores.core.expected += 1
            same_key = by_key.get((metric, applicant), []) or by_key.get((metric, None), [])
            if any(_same(f.value, g["value"]) for f in same_key):
                scores.core.exact += 1
                scores.core.found += 1
            else:
                if same_key:
                    scores.contradictions += 1
                    scores.misses.append(Miss(name, "contradiction", metric, applicant, g["value"],
                                              [f.value for f in same_key]))
                else:
                    scores.misses.append(Miss(name, "core", metric, applicant, g["value"], None))


def evaluate_corpus(corpus: Path) -> Scores:
    scores = Scores()
    for src, gold_path in find_pairs(corpus):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        name = str(src.relative_to(corpus))
        scores.files += 1
        got: Extraction | None
        try:
            got = parse_file(src).extraction
        except ReportError as exc:
            scores.errors += 1
            scores.misses.append(Miss(name, "error", exc.stage, None, "a report", str(exc)))
            got = None
        except Exception as exc:  # noqa: BLE001 - the scoreboard must report, not crash
            scores.errors += 1
            scores.misses.append(Miss(name, "error", type(exc).__name__, None, "a report", str(exc)[:200]))
            got = None
        score_report(name, gold, got, scores)
    return scores


def _pct(c: Counter) -> str:
    r = c.rate()
    return f"{100 * r:6.2f}%" if r is not None else "     –"


def format_scores(s: Scores, max_misses: int = 50) -> str:
    lines = [f"ogi eval: {s.files} reports, {s.errors} failed to parse", ""]
    lines.append(f"{'part':<24}{'expected':>9}{'found':>9}{'exact':>9}{'accuracy':>10}")
    for key in sorted(s.tables):
        c = s.tables[key]
        lines.append(f"{key + ' cells':<24}{c.expected:>9}{c.found:>9}{c.exact:>9}{_pct(c):>10}")
    c = s.table_overall
    lines.append(f"{'all table cells':<24}{c.expected:>9}{c.found:>9}{c.exact:>9}{_pct(c):>10}")
    c = s.narrative
    lines.append(f"{'narrative recall':<24}{c.expected:>9}{c.found:>9}{c.exact:>9}{_pct(c):>10}")
    c = s.core
    lines.append(f"{'core keys (exact key)':<24}{c.expected:>9}{c.found:>9}{c.exact:>9}{_pct(c):>10}")
    rate = f"{100 * s.contradictions / s.core.expected:6.2f}%" if s.core.expected else "     –"
    lines.append(f"{'core contradictions':<24}{s.core.expected:>9}{'':>9}{s.contradictions:>9}{rate:>10}")
    for key in META_FIELDS + EXTRA_META_FIELDS:
        c = s.meta[key]
        lines.append(f"{'metadata ' + key:<24}{c.expected:>9}{'':>9}{c.exact:>9}{_pct(c):>10}")
    c = s.metadata
    lines.append(f"{'metadata (organ/year/format)':<24}{c.expected:>5}{'':>9}{c.exact:>9}{_pct(c):>10}")
    if s.misses:
        lines += ["", f"misses ({len(s.misses)}; first {min(max_misses, len(s.misses))}):"]
        for m in s.misses[:max_misses]:
            app = f"[{m.applicant}]" if m.applicant else ""
            lines.append(f"  {m.file}  {m.kind}  {m.metric}{app}  expected {m.expected!r}  got {m.got!r}")
    return "\n".join(lines)
