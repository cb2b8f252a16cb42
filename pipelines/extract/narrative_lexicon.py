"""The phrase lists the prose extractor reads, loaded once from ``pipelines/reference/narrative_*.csv``.

A new phrasing in a report is a one-line change in one of those files: a channel
(``narrative_channels.csv``), a request outcome, part, category or noun (``narrative_terms.csv``), a
word of negation or the topic of a statement of none (``narrative_none.csv``).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from pipelines.config import REFERENCE_DIR


@dataclass(frozen=True)
class Lexicon:
    channels: tuple[tuple[str, str], ...]  # (phrase, channel), longest phrase first
    channel_detail: dict[str, str]  # phrase → finer channel (微信 → wechat) for two figures of one channel
    terms: dict[str, tuple[tuple[str, str], ...]]  # group → (phrase, key), longest phrase first
    negations: tuple[str, ...]
    not_negations: tuple[str, ...]
    topics: tuple[tuple[str, str], ...]  # (phrase, metric)
    blockers: tuple[tuple[str, str], ...]  # (phrase, metric): the phrase means the topic is not meant


def _longest_first(rows: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


@functools.cache
def lexicon() -> Lexicon:
    with open(REFERENCE_DIR / "narrative_channels.csv", encoding="utf-8") as f:
        channel_rows = list(csv.DictReader(f))
    channels = _longest_first([(r["phrase"], r["channel"]) for r in channel_rows])
    channel_detail = {r["phrase"]: r["detail"] for r in channel_rows if r.get("detail")}
    groups: dict[str, list[tuple[str, str]]] = {}
    with open(REFERENCE_DIR / "narrative_terms.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            groups.setdefault(r["group"], []).append((r["phrase"], r["key"]))
    with open(REFERENCE_DIR / "narrative_none.csv", encoding="utf-8") as f:
        none_rows = list(csv.DictReader(f))
    return Lexicon(
        channels=channels,
        channel_detail=channel_detail,
        terms={g: _longest_first(rows) for g, rows in groups.items()},
        negations=tuple(r["phrase"] for r in none_rows if r["kind"] == "negation"),
        not_negations=tuple(r["phrase"] for r in none_rows if r["kind"] == "not_negation"),
        topics=tuple((r["phrase"], r["metric"]) for r in none_rows if r["kind"] == "topic"),
        blockers=tuple((r["phrase"], r["metric"]) for r in none_rows if r["kind"] == "blocker"),
    )


def nearest(text: str, phrases: tuple[tuple[str, str], ...]) -> tuple[str, str, int] | None:
    """The phrase ending closest to the end of ``text`` (the one governing a number that follows)."""
    best: tuple[str, str, int] | None = None
    for phrase, key in phrases:
        i = text.rfind(phrase)
        if i == -1:
            continue
        end = i + len(phrase)
        if best is None or end > best[2] or (end == best[2] and len(phrase) > len(best[0])):
            best = (phrase, key, end)
    return best


def first(text: str, phrases: tuple[tuple[str, str], ...]) -> tuple[str, str, int] | None:
    """The phrase starting closest to the start of ``text`` (the noun after a number: 8个服务中心)."""
    best: tuple[str, str, int] | None = None
    for phrase, key in phrases:
        i = text.find(phrase)
        if i != -1 and (best is None or i < best[2]):
            best = (phrase, key, i)
    return best
