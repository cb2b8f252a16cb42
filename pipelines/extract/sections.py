"""Split a narrative report into its sections (概述, 主动公开, 依申请公开, 不予公开, 收费及减免,
行政复议和行政诉讼, 存在的问题, 改进措施), whatever the numbering.

Headings are found three ways: a top-level number (一、 / 第一部分) opens a section even when its title
is unknown; a sub-level number ((一) / 1.) opens one only when its title names a section; an
unnumbered line opens one when it is short and names a section (converted pages lose the numbers).
The section words are data: ``reference/narrative_sections.csv``.
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
from dataclasses import dataclass, field

from pipelines.config import REFERENCE_DIR

# A heading title ends at one of these words; past them the body begins (one-line pages run the
# heading into the body: '三、政府信息依申请公开工作情况 2011年全县…').
_TITLE_END = re.compile(r"情况|情形|措施|问题|概述|概况|做法|附表|事项|统计表|不足|方向|计划|打算")
# Longest heading title considered; a longer run of text is a paragraph, not a heading.
MAX_TITLE_CHARS = 40
# An unnumbered line is a heading only if it is this short (the seed's '主动公开政府信息的情况').
MAX_BARE_HEADING_CHARS = 30
# Two title words this close belong to one title ('…问题及改进措施', '…问题和改进情况').
MAX_TITLE_GAP_CHARS = 8

_ZH_NUM = "一二三四五六七八九十"
_TOP = re.compile(rf"(?:(?<=^)|(?<=[\s。；;:：!！?？]))\s*(?:第[{_ZH_NUM}]+部分|[{_ZH_NUM}]{{1,3}}\s*[、.．])", re.M)
_SUB = re.compile(rf"(?:(?<=^)|(?<=[\s。；;:：!！?？]))\s*(?:[(（][{_ZH_NUM}]{{1,3}}[)）]|\d{{1,2}}\s*[、.．](?!\d))", re.M)
# A crawler that flattened a page glues a top heading to the table cell before it
# ('…0000000四、政府信息公开行政复议…'): there a number opens a section only when its title names one.
_TOP_GLUED = re.compile(rf"(?<=[\d\u4e00-\u9fff)）])(?:[{_ZH_NUM}]{{1,2}}\s*、)")
# Kinds that claim a heading on their own: a fees heading often says 依申请公开…收费, a review heading
# 因政府信息公开申请行政复议; the request words there are not a request section.
_EXCLUSIVE = ("fees", "review")
# Sub-headings inside the problems/measures part are list items, not new sections.
_CLOSING_KINDS = frozenset({"problems", "measures"})


@functools.cache
def section_keywords() -> tuple[tuple[str, str], ...]:
    with open(REFERENCE_DIR / "narrative_sections.csv", encoding="utf-8") as f:
        return tuple((r["kind"], r["keyword"]) for r in csv.DictReader(f))


def kinds_of(title: str) -> frozenset[str]:
    """The section kinds a heading title names (empty when it names none)."""
    found = {kind for kind, word in section_keywords() if word in title}
    for kind in _EXCLUSIVE:
        if kind in found:
            return frozenset({kind} | ({"problems", "measures"} & found))
    return frozenset(found)


@dataclass
class Section:
    kinds: frozenset[str]
    heading_start: int
    body_start: int
    end: int
    title: str
    level: str  # top | sub | bare | preamble
    extra_titles: list[str] = field(default_factory=list)

    def has(self, kind: str) -> bool:
        return kind in self.kinds


def _title_at(text: str, pos: int) -> tuple[str, int]:
    """The heading title starting at ``pos`` and where it ends.

    A title may name two parts ('存在的主要问题及改进措施'), so it runs to the last title word that
    follows the first closely; the body starts after it.
    """
    window_end = min(len(text), pos + MAX_TITLE_CHARS)
    nl = text.find("\n", pos, window_end)
    if nl != -1:
        window_end = nl
    for stop in "。;；,，:：":
        i = text.find(stop, pos, window_end)
        if i != -1:
            window_end = i
    ends = list(_TITLE_END.finditer(text, pos, window_end))
    if ends:
        last = ends[0]
        for m in ends[1:]:
            if m.start() - last.end() <= MAX_TITLE_GAP_CHARS:
                last = m
        end = last.end()
        while end < len(text) and text[end] in ":：。 ":
            end += 1
        return text[pos:last.end()], end
    return text[pos:window_end], window_end


def split_sections(text: str) -> list[Section]:
    """Sections in order; text before the first heading is a ``preamble`` section."""
    heads: list[tuple[int, int, str, frozenset[str], str]] = []  # start, body_start, title, kinds, level
    for m in _TOP.finditer(text):
        title, body = _title_at(text, m.end())
        heads.append((m.start() + len(m.group(0)) - len(m.group(0).lstrip()), body, title, kinds_of(title), "top"))
    for m in _TOP_GLUED.finditer(text):
        title, body = _title_at(text, m.end())
        kinds = kinds_of(title)
        if kinds and title.endswith(("情况", "事项", "问题", "措施")):
            heads.append((m.start(), body, title, kinds, "top"))
    for m in _SUB.finditer(text):
        title, body = _title_at(text, m.end())
        kinds = kinds_of(title)
        if kinds:
            heads.append((m.start() + len(m.group(0)) - len(m.group(0).lstrip()), body, title, kinds, "sub"))
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if (stripped and len(stripped) <= MAX_BARE_HEADING_CHARS and "。" not in stripped
                and not stripped[0].isdigit() and not stripped.startswith(("(", "（"))):
            kinds = kinds_of(stripped)
            if kinds and not _TOP.match(stripped):
                start = pos + line.index(stripped[0])
                heads.append((start, pos + len(line), stripped, kinds, "bare"))
        pos += len(line) + 1
    heads.sort(key=lambda h: (h[0], h[4] != "top"))
    sections: list[Section] = [Section(frozenset(), 0, 0, len(text), "", "preamble")]
    for start, body, title, kinds, level in heads:
        current = sections[-1]
        if start < current.body_start:
            continue  # a heading inside the title of the previous one
        if level == "sub" and current.kinds & _CLOSING_KINDS and not kinds & _CLOSING_KINDS:
            continue
        between = text[current.body_start:start].strip(" \t\n:：")
        if current.level != "preamble" and not between:
            # Headings back to back ('依申请公开' / '政府信息和不予公开…的情况' on two lines,
            # '二、主动公开…情况(一)主动公开…的数量') are one heading.
            current.kinds = current.kinds | kinds
            current.body_start = body
            current.extra_titles.append(title)
            continue
        if level == "sub" and kinds <= current.kinds:
            continue  # '(一)主动公开政府信息的数量' inside 主动公开: same section
        current.end = start
        sections.append(Section(kinds, start, body, len(text), title, level))
    return sections


def section_at(sections: list[Section], pos: int, starts: list[int] | None = None) -> Section:
    """The section holding ``pos``; pass ``starts`` (the heading starts, in order) to look up by bisection."""
    starts = starts if starts is not None else [s.heading_start for s in sections]
    i = bisect.bisect_right(starts, pos) - 1
    return sections[max(i, 0)]
