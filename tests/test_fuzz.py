"""Fuzzing: real reports, mangled the way publishers and crawlers mangle them, never crash ogi.

Each example takes a real report (tests/fixtures/robustness/good) and applies a few mutations — drop
table cells, swap or repeat lines, inject noise, change digits, cut the file off — then parses it.
``parse_bytes`` may refuse a file with a :class:`~pipelines.errors.ReportError` (that is a quarantine,
not a crash); any other exception is a bug. What it returns must load: the loader's Arrow batch is
built from it.

Bounded and deterministic for CI (fixed seed, few examples, no deadline); OGI_FUZZ_EXAMPLES=500
OGI_FUZZ_RANDOM=1 for a longer local hunt with fresh examples.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.errors import DecodeError, ReportError
from pipelines.load import Loaded, build_batch
from pipelines.model import SourceFile
from pipelines.normalise import decode_bytes
from pipelines.parse import Parsed, parse_bytes

GOOD = Path(__file__).parent / "fixtures" / "robustness" / "good"
REPORTS = sorted(p.name for p in GOOD.iterdir() if p.suffix in (".txt", ".html"))
EXAMPLES = int(os.environ.get("OGI_FUZZ_EXAMPLES", 25))
# CI replays the same examples every time; OGI_FUZZ_RANDOM=1 draws new ones (a hunt, not a check).
DERANDOMIZE = os.environ.get("OGI_FUZZ_RANDOM") != "1"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# What gets injected: the characters real reports are made of, and the ones that trip parsers.
NOISE = st.sampled_from([
    "0", "1", "9", "10", "０", "１２", "-", "—", "%", ".", "。", "，", "、", "|", " | ", "\n", "\t", "\u3000",
    "\u00a0", "（", "）", "(", ")", "一、", "（六）", "总计", "合计", "本年新收", "予以公开", "件", "万元", "元",
    "<td>", "</td>", "<tr>", "<td colspan=\"3\">", "<td rowspan=\"99\">", "<br>", "</table>", "<table>", "&nbsp;",
    "&#12288;", "&#xD800;", "&#0;", "&#x110000;", "<!--", "-->", "\ufffd", "\u200b", "\ufeff", "𠀀", "年度", "2019", "2021年", "第二十条第（一）项",
])


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: float    # where, as a fraction of the text
    other: float  # a second place (swaps), or how much (deletions)
    noise: str


MUTATIONS = st.builds(
    Mutation,
    kind=st.sampled_from(["drop_cell", "swap_lines", "repeat_line", "inject", "digits", "delete_span", "truncate",
                          "span", "strip_tag", "repeat_block", "splice"]),
    at=st.floats(0, 1),
    other=st.floats(0, 1),
    noise=NOISE,
)
_CELL = re.compile(r"<td[^>]*>.*?</td>", re.S | re.I)
_DIGITS = re.compile(r"\d+")
_SPAN = re.compile(r"""((?:row|col)span\s*=\s*["']?)(\d*)""", re.I)
# Span values seen in the wild or fit to break a grid builder.
BAD_SPANS = ("0", "-1", "1000", "abc", "2.5", "", "99999999999")
TAGS = ("</tr>", "<tr>", "</td>", "</table>", "<tbody>", "</p>")
OTHER = {name: (GOOD / name).read_text(encoding="utf-8") for name in REPORTS}


def mutate(text: str, m: Mutation) -> str:
    """One mutation of a report's text (HTML source or plain text)."""
    n = len(text)
    i = min(int(m.at * n), n)
    if m.kind == "drop_cell":
        cells = list(_CELL.finditer(text))
        if cells:  # an HTML cell, else a pipe-separated or whitespace-separated token
            c = cells[int(m.at * (len(cells) - 1))]
            return text[: c.start()] + text[c.end():]
        tokens = text.split(" ")
        del tokens[int(m.at * (len(tokens) - 1))]
        return " ".join(tokens)
    if m.kind in ("swap_lines", "repeat_line"):
        lines = text.split("\n")
        a, b = int(m.at * (len(lines) - 1)), int(m.other * (len(lines) - 1))
        if m.kind == "swap_lines":
            lines[a], lines[b] = lines[b], lines[a]
        else:
            lines.insert(b, lines[a])
        return "\n".join(lines)
    if m.kind == "inject":
        return text[:i] + m.noise + text[i:]
    if m.kind == "digits":  # a figure changed: identities no longer hold
        runs = list(_DIGITS.finditer(text))
        if not runs:
            return text
        r = runs[int(m.at * (len(runs) - 1))]
        return text[: r.start()] + str(int(m.other * 10 ** min(len(r.group()) + 1, 9))) + text[r.end():]
    if m.kind == "span":  # a rowspan/colspan with a value no browser expects
        spans = list(_SPAN.finditer(text))
        if not spans:
            return text
        sp = spans[int(m.at * (len(spans) - 1))]
        return text[: sp.start(2)] + BAD_SPANS[int(m.other * (len(BAD_SPANS) - 1))] + text[sp.end(2):]
    if m.kind == "strip_tag":  # a sloppy page: every closing tag of one kind missing
        return text.replace(TAGS[int(m.other * (len(TAGS) - 1))], "")
    if m.kind == "repeat_block":  # a page-break artefact: a stretch printed twice
        j = min(n, i + int(m.other * 3000))
        return text[:j] + text[i:j] + text[j:]
    if m.kind == "splice":  # two reports run together in one file
        other = OTHER[REPORTS[int(m.other * (len(REPORTS) - 1))]]
        k = int(m.other * len(other))
        return text[:i] + other[k:k + 4000] + text[i:]
    if m.kind == "delete_span":
        return text[:i] + text[i + int(m.other * 400):]
    return text[:i]  # truncate


def _source(data: bytes, name: str) -> SourceFile:
    return SourceFile(path=f"/fuzz/{name}", sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                      suffix=Path(name).suffix)


def parse_or_refuse(data: bytes, name: str) -> Parsed | None:
    """Parse as the pipeline does; a ReportError is a refusal (None); anything else propagates."""
    try:
        parsed = parse_bytes(data, Path(name).suffix, f"/fuzz/{name}")
    except ReportError as exc:
        assert name in str(exc), f"a refusal must name the file: {exc}"
        return None
    _assert_loadable(parsed, data, name)
    return parsed


def _assert_loadable(parsed: Parsed, data: bytes, name: str) -> None:
    for f in parsed.extraction.facts:
        assert isinstance(f.metric, str) and f.metric, f
        assert f.value is None or (isinstance(f.value, int | float) and math.isfinite(f.value)), f
    parsed.extraction.to_json()
    tables = build_batch([Loaded(source=_source(data, name), parsed=parsed)], "fuzz-run")
    assert tables["reports"].num_rows == 1
    assert tables["facts"].num_rows == len(parsed.extraction.facts)


@pytest.mark.parametrize("name", REPORTS)
def test_the_unmutated_reports_parse(name: str) -> None:
    data = (GOOD / name).read_bytes()
    assert parse_or_refuse(data, name) is not None


@FUZZ
@given(name=st.sampled_from(REPORTS), mutations=st.lists(MUTATIONS, min_size=1, max_size=4))
def test_mutated_reports_never_crash_the_extractors(name: str, mutations: list[Mutation]) -> None:
    text = (GOOD / name).read_text(encoding="utf-8")
    for m in mutations:
        text = mutate(text, m)
    parse_or_refuse(text.encode("utf-8"), name)


@FUZZ
@given(name=st.sampled_from(REPORTS), cut=st.floats(0, 1), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_reports_cut_off_anywhere_never_crash(name: str, cut: float, encoding: str) -> None:
    data = (GOOD / name).read_text(encoding="utf-8").encode(encoding)
    parse_or_refuse(data[: int(cut * len(data))], name)


@FUZZ
@given(name=st.sampled_from(REPORTS), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                                      min_size=1, max_size=8))
def test_corrupted_bytes_never_crash(name: str, flips: list[tuple[float, int]]) -> None:
    data = bytearray((GOOD / name).read_bytes())
    for at, byte in flips:
        data[min(int(at * len(data)), len(data) - 1)] = byte
    parse_or_refuse(bytes(data), name)


@FUZZ
@given(data=st.binary(max_size=4000))
def test_any_bytes_decode_or_are_refused(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "/fuzz/any.html")
    except DecodeError as exc:
        assert exc.reason and "/fuzz/any.html" in str(exc)
    else:
        assert isinstance(text, str) and encoding


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".html", ".txt", ".md", ".pdf", ".docx"]))
def test_any_bytes_under_any_name_are_parsed_or_refused(data: bytes, suffix: str) -> None:
    parse_or_refuse(data, "any" + suffix)


# Inputs that once made an extractor search or backtrack for minutes, with the time each may take.
PATHOLOGICAL_SECONDS = 3.0
PATHOLOGICAL = {
    # table 3's flattened row 一、本年新收… with its cells glued into one 60-digit run:
    # table_cells.split_run tries every split (40 digits: 5 s, 60: 80 s, 200: never ends).
    "glued-table-row": lambda t: t.replace("801000081", "8" * 60, 1),
    # a line of 20,000 digits after the report: numbers.find_quantities' pattern backtracks
    # quadratically (8,000 digits: 13 s, 100,000: about half an hour).
    "long-digit-line": lambda t: t + "\n" + "1" * 20_000,
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_pathological_lines_parse_in_seconds(case: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pipelines.pipeline import parse_source

    monkeypatch.setenv("OGI_PARSE_TIMEOUT_SECONDS", str(PATHOLOGICAL_SECONDS))
    data = PATHOLOGICAL[case]((GOOD / "pingtan-2023.txt").read_text(encoding="utf-8")).encode()
    path = tmp_path / f"{case}.txt"
    path.write_bytes(data)
    result = parse_source(SourceFile(path=str(path), sha256="0" * 64, size=len(data), suffix=".txt"))
    assert getattr(result, "reason", None) != "parse_timeout", f"{case}: over {PATHOLOGICAL_SECONDS}s"
