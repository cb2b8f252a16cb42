"""Prose extractor for narrative reports (2008–2018) and the prose of standard reports (issue 5).

Every number with a measure word is read (``numbers.py``) and given to the metric its governing
phrase names: the phrase closest before it in its clause (``通过网站公开信息25477条，占信息总数的91.7%``:
25477 belongs to 网站, 91.7 is the share of that figure), then the rest of its sentence, then the
section it sits in (``sections.py``). Statements of none (没有发生…, 无…, 未收取) become zeros of the
metric they name, or of the section's metrics when they name only the request ('我镇2016年度无申请'
under a fees heading). The statistics table many reports append is read by ``narrative_table.py``.

Phrases are data (``pipelines/reference/narrative_*.csv``); this module holds only the order in which
they are tried. A figure that could belong to two metrics is reported as a warning, not guessed.
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
from dataclasses import dataclass, field

from pipelines.config import REFERENCE_DIR
from pipelines.extract.narrative_lexicon import Lexicon, first, lexicon, nearest
from pipelines.extract.narrative_table import (
    FlatTable,
    find_flat_tables,
    pipe_tables,
    resolve,
    tables_from_grid,
)
from pipelines.extract.numbers import Quantity, find_quantities, unit_words
from pipelines.extract.sections import Section, section_at, split_sections
from pipelines.model import Document, ExtractionWarning, Fact
from pipelines.normalise import half_width, to_simplified
from pipelines.vocabulary import core_metrics, metrics


@dataclass
class ProseResult:
    facts: list[Fact] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)


# Sentence ends, as Document.sentence_span has them, and clause boundaries inside a sentence.
_SENTENCE_STOPS = frozenset("。；;！!？?\n")
_CLAUSE_STOPS = frozenset(",，:：;；。!！?？\n")
# Context read around a number: a governing phrase sits close to its figure, and a page without sentence
# ends (a flattened table, a PDF run together) must not make each number read the whole page.
MAX_SENTENCE_CHARS = 400
# A number restating a total as the frame of a list ('在…主动公开的425条政府信息中，…') is no new figure.
_FRAME_AFTER = re.compile(r"^[^,，。;；]{0,12}中(?:[,，:：]|$)")
# A request counted as such: 申请 not in the compound 依申请公开 (which names information items).
_REQUEST_NOUN = re.compile(r"(?<!依)申请(?!人)")
# 覆议 is how some Traditional pages spell 复议 (OpenCC keeps 覆).
_REVIEW_WORDS = (("复议", "reconsideration_total"), ("覆议", "reconsideration_total"), ("诉讼", "litigation_total"),
                 ("申诉", "complaint_total"))
# A change on the year before ('比上年增加200条', '同比增长12.5%'), not a figure of its own.
_CHANGE = re.compile(r"(?:比|较|同比|环比)[^,，;；。]{0,8}(?:增加|增长|减少|下降|上升|提高|多|少)了?(?:近|约)?$")
_PROACTIVE = "主动公开"
# Items of information classed by how they are disclosed (a count of items, not of requests).
# Word lists (fees, totals, cues of measures …) are in reference/narrative_cues.csv, read by _cue().
_INFO_ITEMS = re.compile(r"(?:不予公开|依申请公开|免予公开)(?:的)?(?:政府)?信息")
# Before a part's name these make it the reporting body itself ('我街道', '本乡镇', '全区').
_SELF_WORDS = ("我", "本", "全")
_ALL_ANSWERED = re.compile(r"(?:全部|均|都|全都|一律)[^,，。;；]{0,12}(?:答复|答覆|办结|处理完毕|办理完毕)")
# Units that count requests, cases or items (not issues, copies or money).
_COUNT_UNITS = frozenset({"item", "case", "request", "time", "unit"})
_REVIEW_UNITS = frozenset({"item", "case", "time", "unit"})
_REVIEW_METRICS = frozenset({"reconsideration_total", "litigation_total", "complaint_total"})
# Sections whose statements of none are about disclosure by their heading.
_DISCLOSURE_SECTIONS = frozenset({"fees", "review", "on_request", "denied"})
_FEE_METRICS = frozenset({"fees_collected_yuan", "fees_waived_yuan"})
# A statement that no request came in: the negation governs 申请 or a verb of receiving
# ('无申请', '没有依申请公开…的情况', '未收到…申请'); '未设立依申请公开受理点' is no such statement.
_REQUEST_NONE = re.compile(
    r"(?:无|没有|暂无|均无|未)(?:依申请|申请|不予公开|一例)"
    r"|(?:没有|无|未|暂无|均无|没)[^,，。;；]{0,4}(?:收到|受理|接到|接收|发生|出现|产生)"
)
# A statement of none that names no metric ('所以没有此项开支', '无。') means the section's metrics.
_BARE_NONE = re.compile(r"^\s*(?:无|没有|暂无)\s*$|(?:没有|无|未|暂无)(?:发生|出现|收到|接到|产生|此项|此类|该类)")
# A statement of none is one short clause; a longer run is a flattened table or a list, not a statement.
MAX_NONE_CLAUSE_CHARS = 80
# Digits that are a date or a year may sit in a statement of none ('2016年未发生…'); others may not.
_NON_DATE_DIGITS = re.compile(r"\d+(?![\d年月日号])")
# Share tolerance: a stated share is rounded to its last decimal; half a unit of that, plus slack for
# reports that round twice, is still consistent with the counts.
SHARE_SLACK_POINTS = 0.05
# Strength of a proactive_total candidate: 主动公开 named in its own clause beats 共/全年 in the section.
# A clause whose object is plain 政府信息 ('全区主动公开政府信息2122条') states the total; a qualified one
# ('主动公开采购信息25条') a part; so does one in the 主动公开 section rather than elsewhere.
STRONG, MEDIUM, WEAK = 2, 1, 0
_PLAIN_TOTAL_OBJECT = re.compile(r"主动公开(?:的)?(?:政府)?信息(?:数|总数)?(?:为|共|达|有)?\s*$")
# Figures of the year that reports also state since the start of disclosure (2008).
_ANNUAL_METRICS = frozenset({"proactive_total", "requests_received", "requests_answered",
                             "reconsideration_total", "litigation_total"})
# Metrics a standard (2019+) report's prose may add beside its tables.
STANDARD_PROSE_METRICS = frozenset({
    "fees_collected_yuan", "fees_waived_yuan", "proactive_total", "requests_received", "requests_answered",
    "reconsideration_total", "litigation_total", "complaint_total",
})
# Table keys of a standard report that state the same figure as a prose metric.
_TABLE_EQUIVALENTS = {"requests_received": ("new_received",), "requests_answered": ("total_handled",)}
# Problems and measures.
_ITEM_MARKER = re.compile(
    r"(?:[一二三四五六七八九十]是|[(（][一二三四五六七八九十]{1,2}[)）]|(?<![\d.])\d{1,2}\s*[、.．](?!\d)"
    r"|(?<![\u4e00-\u9fff])[一二三四五六七八九十]、)"
)
# A sentence of measures listing this many actions (clauses opening with a verb of intent) is split.
MIN_LISTED_ACTIONS = 3
_LEAD_IN = re.compile(r"(?:取得|成效|成绩|进展)[^。]*(?:但|仍)[^。]*(?:问题|不足|薄弱)")
_NUMBERED_HEADING = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)?\s*"
    r"(?:改进措施|整改措施|改进情况|下一步(?:工作)?(?:打算|计划)?)\s*[:：\n]\s*")
# An announcement before a numbered list of measures is one short sentence.
MAX_LEAD_CHARS = 80
_LEADING_HEADING = re.compile(r"^(?:存在的?(?:主要)?问题|改进措施|整改措施|改进情况|下一步(?:工作)?(?:打算|计划)?)\s*[:：]\s*")
# An item shorter than this is a stray word, not a problem or a measure ('加强培训' is four).
MIN_ITEM_CHARS = 3
_DATE_ONLY = re.compile(r"^(?:\d{4}|[二〇○零一三四五六七八九十]{4})\s*年度?$")
_HEADING_ONLY = re.compile(r"^(?:存在的?(?:主要)?问题|(?:主要)?问题|改进措施|整改措施|改进情况|下一步(?:工作)?(?:打算|计划)?)$")
# Where the problems/measures part stops: the appendix, the table, the date under the signature.
_END_OF_REPORT = re.compile(
    r"附件|附表|指\s*标\s*名\s*称|[二〇○零一三四五六七八九十]{4}年[^,，。]{1,4}月"
    r"|^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$", re.M)
# A short line without punctuation at the end of the part is the signature (the organ's name).
_SIGNATURE = re.compile(r"\n[^\n。，,;；]{1,30}\s*$")
MAX_ITEM_CHARS = 80


@functools.cache
def _cue(group: str) -> re.Pattern[str]:
    """The phrases of one group of ``reference/narrative_cues.csv`` as one pattern, longest first."""
    with open(REFERENCE_DIR / "narrative_cues.csv", encoding="utf-8") as f:
        phrases = [r["phrase"] for r in csv.DictReader(f) if r["group"] == group]
    if not phrases:
        raise ValueError(f"narrative_cues.csv has no phrases for '{group}'")
    return re.compile("|".join(sorted(phrases, key=len, reverse=True)))


def to_simplified_evidence(evidence: str) -> str:
    return to_simplified(half_width(evidence))


def _units_of(metric: str) -> str | None:
    m = metrics().get(metric)
    return m.unit if m else None


@dataclass
class _Candidate:
    fact: Fact
    strength: int
    pos: int


class _Reader:
    """Reads one document; collects facts and warnings in text order."""

    def __init__(self, doc: Document, lex: Lexicon) -> None:
        self.doc = doc
        self.text = doc.text
        self.lex = lex
        self.facts: list[Fact] = []
        self.warnings: list[ExtractionWarning] = []
        self.single: dict[str, Fact] = {}  # metrics with one value per report
        self.totals: dict[str, list[_Candidate]] = {}  # figures stated more than once: ranked in settle
        self.zeros: list[Fact] = []
        self.by_pos: dict[int, Fact] = {}  # quantity start → fact, for shares
        self.channel_totals: list[Fact] = []  # channel figures whose clause says 主动公开
        self.single_metrics = set(m for m, v in metrics().items() if "narrative" in v.formats)
        self.sentence_stops = [i for i, ch in enumerate(self.text) if ch in _SENTENCE_STOPS]
        self.clause_stops = [i for i, ch in enumerate(self.text) if ch in _CLAUSE_STOPS]

    # -- helpers -------------------------------------------------------------------------------
    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """``Document.sentence_span`` by bisection over the sentence stops found once, clipped to
        ``MAX_SENTENCE_CHARS`` around the span (a page with no sentence ends must stay linear)."""
        i = bisect.bisect_left(self.sentence_stops, start)
        a = self.sentence_stops[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(self.sentence_stops, end)
        b = self.sentence_stops[j] if j < len(self.sentence_stops) else len(self.text)
        if b < len(self.text) and self.text[b] != "\n":
            b += 1  # keep the closing punctuation
        a = max(a, start - MAX_SENTENCE_CHARS // 2)
        b = min(b, end + MAX_SENTENCE_CHARS // 2)
        while a < b and self.text[a] in " \t\u3000":
            a += 1
        return a, b

    def clause_bounds(self, start: int, end: int, seg_start: int, seg_end: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.clause_stops, start)
        a = self.clause_stops[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(self.clause_stops, end)
        b = self.clause_stops[j] if j < len(self.clause_stops) else len(self.text)
        return max(a, seg_start), min(b, seg_end)

    def fact(self, metric: str, value: float | int, unit: str, span: tuple[int, int], approx: bool = False,
             raw: str | None = None, evidence_span: tuple[int, int] | None = None) -> Fact:
        a, b = self.doc.to_original(*span)
        ev = self.doc.original_text(*self.sentence(*(evidence_span or span))).strip()
        return Fact(metric=metric, value=value, unit=unit, approx=approx, evidence=ev,
                    location={"start": a, "end": b}, raw=raw)

    def warn(self, code: str, message: str, span: tuple[int, int], metric: str | None = None) -> None:
        a, b = self.doc.to_original(*span)
        self.warnings.append(ExtractionWarning(code=code, message=message, metric=metric,
                                               location={"start": a, "end": b}))

    def add(self, f: Fact) -> None:
        """Keep one value per single-valued metric; a different second value is kept under another key."""
        if f.metric in self.single_metrics or f.metric.startswith(("proactive_via_", "requests_via_")):
            prior = self.single.get(f.metric)
            if prior is not None:
                if prior.value == f.value:
                    return
                self.warn("conflicting_figures",
                          f"{f.metric} is stated as {prior.value} and as {f.value}; kept the first, "
                          f"the second as {f.metric}_restated", (0, 0), f.metric)
                f.location = dict(f.location)
                f.metric = f"{f.metric}_restated"
            else:
                self.single[f.metric] = f
        self.facts.append(f)

    # -- prose figures ---------------------------------------------------------------------------
    def read_quantity(self, q: Quantity, prev: Quantity | None, section: Section) -> None:
        text = self.text
        seg_start, seg_end = self.sentence(q.start, q.end)
        clause_start, clause_end = self.clause_bounds(q.start, q.end, seg_start, seg_end)
        tight_start = clause_start
        if prev is not None and prev.end > clause_start and prev.end <= q.start:
            tight_start = prev.end
        tight = text[tight_start:q.start]
        clause = text[clause_start:clause_end]
        after = text[q.end:clause_end]
        before_in_sentence = text[seg_start:q.start]
        span = (q.start, q.end)

        base = self.by_pos.get(prev.start) if prev is not None and prev.start >= seg_start else None
        if _CHANGE.search(tight):
            # '比上年增加200条', '同比增长12.5%': a change of the figure before, not a figure of its own.
            stem = base.metric if base is not None else "year_on_year"
            unit = "percent" if q.is_percent else q.unit
            key = f"{stem}_change_percent" if q.is_percent else f"{stem}_change"
            self.facts.append(self.fact(key, q.value, unit, span, q.approx, q.raw))
            return
        if q.is_percent:
            self.read_share(q, prev, tight, seg_start, span)
            return
        if _FRAME_AFTER.match(after) and "在" in text[clause_start:q.start]:
            return
        result = self.classify(q, tight, clause, after, before_in_sentence, section)
        if result is None:
            return
        metric, unit, strength = result
        if metric in _ANNUAL_METRICS and _cue("cumulative").search(text, seg_start, q.start):
            metric = f"{metric}_cumulative"  # '历年累计主动公开信息12000条' is no figure of the year
        f = self.fact(metric, q.value, unit, span, q.approx, q.raw)
        self.by_pos[q.start] = f
        if metric == "proactive_total":
            self.totals.setdefault(metric, []).append(_Candidate(f, strength, q.start))
            return
        if metric == "requests_received":
            # '全市共受理申请500件' outranks '市政府办公厅受理申请5件' wherever they stand.
            rank = bool(_cue("total").search(tight)) + ("on_request" in section.kinds)
            self.totals.setdefault(metric, []).append(_Candidate(f, rank, q.start))
            self.check_all_answered(f, q, seg_end, span)
            return
        self.add(f)
        if metric.startswith("proactive_via_") and _PROACTIVE in tight:
            self.channel_totals.append(f)

    def check_all_answered(self, received: Fact, q: Quantity, seg_end: int, span: tuple[int, int]) -> None:
        """'共受理了7起申请，全部在规定的时限内认真处理答复': as many answered as received."""
        rest = self.text[q.end:seg_end]
        m = _ALL_ANSWERED.search(rest)
        if m and not _NON_DATE_DIGITS.search(rest[: m.end()]):
            self.add(self.fact("requests_answered", q.value, "request", span, q.approx, q.raw))

    def classify(self, q: Quantity, tight: str, clause: str, after: str, sentence_left: str,
                 section: Section) -> tuple[str, str, int] | None:
        lex = self.lex
        kinds = section.kinds
        # Money: fees, or some other amount named by its noun.
        if q.kind == "money":
            spending = _cue("spending").search(tight)
            if _cue("waived").search(clause) and not spending:
                return "fees_waived_yuan", "yuan", 0
            if _cue("fee").search(clause) and not spending:
                return "fees_collected_yuan", "yuan", 0
            noun = nearest(tight, lex.terms["noun"])
            return (f"{noun[1]}_yuan" if noun else "amount_yuan"), "yuan", 0
        # Generic counters (个) count what the noun after them names; without a known noun, skip.
        if q.kind == "generic":
            noun = first(after, lex.terms["noun"]) or nearest(tight, lex.terms["noun"])
            return (noun[1], q.unit, 0) if noun else None
        # Reconsideration, litigation, complaints.
        if q.unit in _REVIEW_UNITS:
            named = sorted({m for word, m in _REVIEW_WORDS if word in tight + after})
            if named and "review" not in kinds and not _cue("disclosure").search(sentence_left + after):
                named = []  # '全年办理行政复议案件35件' of the legal office is no disclosure case
            if len(named) == 1:
                return named[0], "case", 0
            if len(named) > 1:
                self.warn("ambiguous_metric", f"{q.raw} could be {' or '.join(named)}", (q.start, q.end))
                return "reconsideration_and_litigation_total", "case", 0
        if q.unit == "person" or q.unit == "visit":
            noun = first(after, lex.terms["noun"]) or nearest(tight, lex.terms["noun"])
            key = noun[1] if noun else ("visits" if q.unit == "visit" else "persons")
            return key, q.unit, 0
        if q.unit in ("issue", "copy", "session"):
            channel = nearest(sentence_left, lex.channels)
            noun = nearest(tight, lex.terms["noun"])
            stem = channel[1] if channel else (noun[1] if noun else section_name(section))
            return f"{stem}_{q.unit}s" if q.unit != "copy" else f"{stem}_copies", q.unit, 0
        if q.unit not in _COUNT_UNITS:
            return None
        # Requests: 申请 named in the clause, or a request word in a request section.
        request = self.request_metric(q, tight, sentence_left + after, after, kinds)
        if request:
            return request, "request", 0
        # Items of information.
        info = nearest(tight, lex.terms["info"])
        if info and _PROACTIVE not in tight[info[2]:]:
            if info[1] == "info_designated_on_request_only" and "on_request" in kinds:
                self.warn("ambiguous_metric",
                          f"'{tight}{q.raw}' may count requests answered or items classed 依申请公开; "
                          "kept as items, not as requests_received", (q.start, q.end), "requests_received")
            return info[1], "item", 0
        if _PROACTIVE in tight:
            # '主动公开规范性文件30件', '其他应主动公开的政府信息21条': one kind of information. A category
            # word elsewhere before 主动公开 is more often the organ's name (市财政局主动公开…).
            object_words = tight[tight.rfind(_PROACTIVE) + len(_PROACTIVE):]
            qualifier = nearest(object_words, lex.terms["category"])
            kind = qualifier[1] if qualifier else next(
                (key for phrase, key in lex.terms["category"] if phrase + "类" in tight or phrase + "应" in tight), None)
            if kind:
                return f"proactive_cat_{kind}", "item", 0
        if _cue("not_disclosed_item").search(tight):
            # '行政服务中心…共同累计收件9898件': a service channel counting applications, not information.
            noun = nearest(tight, lex.terms["noun"]) or first(after, lex.terms["noun"])
            return (noun[1], q.unit, 0) if noun else (f"{section_name(section)}_{q.unit}s", q.unit, 0)
        part = nearest(tight, lex.terms["part"])
        if part and tight[max(0, part[2] - len(part[0]) - 1):part[2] - len(part[0])] in _SELF_WORDS:
            part = None  # 我街道 / 本乡镇: the reporting body itself, not one of its parts
        if part and (_PROACTIVE in tight or "proactive" in kinds):
            return f"proactive_by_{part[1]}", "item", 0
        if len({key for phrase, key in lex.channels if phrase in tight}) > 1 and _cue("total").search(tight):
            return "proactive_via_multiple_channels", "item", 0  # '政务网站、微信、微博共发布各类信息2483条'
        channel = nearest(tight, lex.channels)
        if channel:
            metric = f"proactive_via_{channel[1]}"
            detail = lex.channel_detail.get(channel[0])
            prior = self.single.get(metric)
            if detail and prior is not None and prior.value != q.value:
                metric = f"{metric}_{detail}"  # '微信851条、微博2348条': two kinds of new media, no conflict
            return metric, "item", 0
        if _PROACTIVE in tight:
            strength = STRONG + ("proactive" in kinds) + bool(_PLAIN_TOTAL_OBJECT.search(tight))
            return "proactive_total", "item", strength
        category = nearest(tight, lex.terms["category"])
        if category and ("proactive" in kinds or _PROACTIVE in sentence_left):
            return f"proactive_cat_{category[1]}", "item", 0
        channel = nearest(sentence_left, lex.channels)
        if channel and ("proactive" in kinds or "公开" in tight):
            return f"proactive_via_{channel[1]}", "item", 0
        # A total without 主动公开 must at least count information ('全年发布各类信息247条'), not matters
        # ('共公开行政审批事项152项').
        of_information = "信息" in tight + after[:4]
        if "proactive" in kinds and _cue("total").search(tight) and q.unit == "item" and of_information:
            return "proactive_total", "item", MEDIUM
        if (kinds <= {"overview"} and "公开" in tight and _cue("total").search(tight) and q.unit == "item"
                and of_information and not _INFO_ITEMS.search(tight + after)):
            return "proactive_total", "item", WEAK  # '全年共公开政府信息5000余条' in the overview
        noun = nearest(tight, lex.terms["noun"]) or first(after, lex.terms["noun"])
        if noun:
            return noun[1], q.unit, 0
        return f"{section_name(section)}_{q.unit}s", q.unit, 0

    def request_metric(self, q: Quantity, tight: str, sentence: str, after: str,
                       kinds: frozenset[str]) -> str | None:
        lex = self.lex
        named = bool(_REQUEST_NOUN.search(tight + after))
        in_section = "on_request" in kinds
        if not named and not in_section:
            return None
        if not in_section and "公开" not in sentence:
            return None  # '共受理申请121510件' of an approval hall is no disclosure request
        if not named and _INFO_ITEMS.search(tight) and not _cue("receiving").search(tight):
            return None  # '不予公开信息有10条' counts withheld items; '受理依申请公开信息12条' counts requests
        for group in ("request_outcome", "request_channel", "request_answered", "request_received"):
            hit = nearest(tight, lex.terms[group])
            if hit:
                if group == "request_received" and hit[0] == "共" and not named:
                    continue
                return hit[1]
        if named and not tight.strip(" 其中"):
            return "requests_received"
        return None

    def read_share(self, q: Quantity, prev: Quantity | None, tight: str, seg_start: int,
                   span: tuple[int, int]) -> None:
        base = self.by_pos.get(prev.start) if prev is not None and prev.start >= seg_start else None
        if base is not None and (_cue("share").search(tight) or not tight.strip(" (（")):
            metric = f"{base.metric}_share"
        else:
            noun = nearest(tight, self.lex.terms["noun"])
            metric = f"{noun[1]}_rate" if noun else "stated_rate"
        f = self.fact(metric, q.value, "percent", span, q.approx, q.raw)
        if base is not None and metric.endswith("_share"):
            f.location = dict(f.location, of=base.metric)  # the count the share is of
        self.facts.append(f)

    # -- statements of none ----------------------------------------------------------------------
    def read_none(self, start: int, end: int, sections: list[Section], starts: list[int]) -> None:
        text = self.text
        i = start
        while i < end:
            j = i
            while j < end and text[j] not in _CLAUSE_STOPS:
                j += 1
            clause = text[i:j]
            if clause.strip() and len(clause) <= MAX_NONE_CLAUSE_CHARS and not _NON_DATE_DIGITS.search(clause):
                self.none_clause(i, j, clause, section_at(sections, i, starts))
            i = j + 1

    def none_clause(self, start: int, end: int, clause: str, section: Section) -> None:
        lex = self.lex
        masked = clause
        for phrase in lex.not_negations:
            masked = masked.replace(phrase, "#" * len(phrase))
        if not any(n in masked for n in lex.negations):
            return
        topics = {metric for phrase, metric in lex.topics if phrase in masked}
        for phrase, metric in lex.blockers:
            if phrase in masked:
                topics.discard(metric)
        review = {m for m in topics if m in _REVIEW_METRICS}
        fees = {m for m in topics if m.startswith("fees_")}
        if review:
            topics = review
        elif fees:
            topics = fees
        elif not _REQUEST_NONE.search(masked):
            # '未设立依申请公开受理点' says nothing about how many requests came in
            topics -= {"requests_received", "requests_denied"}
        # The 2019+ template puts the information-processing fee under 其他需要报告的事项, so there a
        # statement of no fees ('2019年度我办未收取费用') is about disclosure fees too.
        sections = _DISCLOSURE_SECTIONS | ({"other_matters"} if topics and topics <= _FEE_METRICS else set())
        if (topics & (_REVIEW_METRICS | _FEE_METRICS)
                and not section.kinds & sections
                and not _cue("disclosure").search(self.text, *self.sentence(start, end))):
            return  # '全年未发生行政诉讼败诉案件' in a paragraph on lawful administration
        if topics <= {"requests_received"} and section.kinds & {"fees", "review"}:
            topics |= section_metrics(section)
        elif not topics and section.kinds & {"fees", "review", "on_request", "denied"} and _BARE_NONE.search(masked):
            topics = section_metrics(section)
        for metric in sorted(topics):
            unit = _units_of(metric) or "item"
            if metric in ("reconsideration_total", "litigation_total", "complaint_total"):
                unit = "case"
            self.zeros.append(self.fact(metric, 0, unit, (start, end)))

    # -- totals, zeros, shares --------------------------------------------------------------------
    def settle(self) -> None:
        for metric, candidates in self.totals.items():
            best = max(candidates, key=lambda c: (c.strength, -c.pos))
            self.add(best.fact)
            for c in candidates:
                if c is best or c.fact.value == best.fact.value:
                    continue
                if c.strength == best.strength:
                    self.warn("ambiguous_metric",
                              f"two statements of {metric}: {best.fact.value} and {c.fact.value}; kept the first",
                              (c.pos, c.pos), metric)
                c.fact.metric = f"{metric}_restated"
                self.facts.append(c.fact)
        if "proactive_total" not in self.totals:
            # A report whose only proactive figure is one channel ('通过政府门户网站主动公开信息138条').
            via = self.channel_totals
            if len(via) == 1:
                f = via[0]
                self.add(Fact(metric="proactive_total", value=f.value, unit="item", approx=f.approx,
                              evidence=f.evidence, location=dict(f.location), raw=f.raw))
        self.demote_channels_over_total()
        for z in self.zeros:
            prior = self.single.get(z.metric)
            if prior is None:
                self.add(z)
            elif prior.value != 0:
                self.warn("none_contradicts_figure",
                          f"the text says there was no {z.metric} but also states {prior.value}",
                          (0, 0), z.metric)
        self.check_shares()

    def demote_channels_over_total(self) -> None:
        """A channel figure larger than the report's own proactive total cannot be a part of it
        ('政务网站、微信、微博共发布各类信息2483条' beside '全年发布各类信息247条'): it counts posts, not
        disclosed items. It is kept under ``<channel>_posts`` with a warning, never dropped."""
        total = self.single.get("proactive_total")
        if total is None or total.value is None:
            return
        for f in self.facts:
            if (not f.metric.startswith("proactive_via_") or f.metric.endswith(("_share", "_restated"))
                    or f.value is None or f.value <= total.value):
                continue
            old = f.metric
            f.metric = old[len("proactive_via_"):] + "_posts"
            if self.single.get(old) is f:
                del self.single[old]
            self.warnings.append(ExtractionWarning(
                code="channel_exceeds_total",
                message=f"{old} {f.value} is larger than proactive_total {total.value}; read as {f.metric}",
                metric=f.metric, location=dict(f.location)))

    def check_shares(self) -> None:
        total = self.single.get("proactive_total")
        if total is None or not total.value:
            return
        by_metric = {f.metric: f for f in self.facts}
        for f in self.facts:
            if not f.metric.endswith("_share") or f.value is None:
                continue
            base = by_metric.get(f.metric[: -len("_share")])
            if base is None or base.value is None or not base.metric.startswith("proactive_"):
                continue
            stated = float(f.value)
            decimals = len(f.raw.split(".")[1].rstrip("%")) if f.raw and "." in f.raw else 0
            computed = 100.0 * float(base.value) / float(total.value)
            if abs(computed - stated) > 0.5 * 10 ** -decimals + SHARE_SLACK_POINTS:
                self.warnings.append(ExtractionWarning(
                    code="share_mismatch",
                    message=f"{f.metric} is stated as {stated}% but {base.value}/{total.value} = {computed:.2f}%",
                    metric=f.metric, location=dict(f.location)))


def section_name(section: Section) -> str:
    for kind in ("proactive", "on_request", "fees", "review", "overview", "problems", "measures"):
        if kind in section.kinds:
            return kind
    return "other"


def section_metrics(section: Section) -> set[str]:
    """The metrics a section's heading names ('收费及减免' → both fee metrics)."""
    title = section.title + "".join(section.extra_titles)
    out: set[str] = set()
    if "fees" in section.kinds:
        if "收费" in title or "费用" in title:
            out.add("fees_collected_yuan")
        if "减免" in title:
            out.add("fees_waived_yuan")
    if "review" in section.kinds:
        for word, metric in _REVIEW_WORDS:
            if word in title:
                out.add(metric)
    if "on_request" in section.kinds and not out:
        out.add("requests_received")
    if "denied" in section.kinds and not out:
        out.add("requests_denied")
    return out


# -- the appended statistics table ---------------------------------------------------------------

def _table_facts(reader: _Reader, table: FlatTable) -> None:
    doc = reader.doc
    prose_values = {float(f.value) for f in reader.facts if f.value is not None and not f.approx}
    prose_by_metric = {f.metric: float(f.value) for f in reader.facts if f.value is not None and not f.approx}
    prose_approx = {f.metric: float(f.value) for f in reader.facts if f.value is not None and f.approx}
    resolve(table, prose_values, prose_by_metric, prose_approx)
    core = set(core_metrics())
    for idx, row in enumerate(table.rows):
        key = row.metric or f"row{idx + 1}"
        unit = _units_of(row.metric) if row.metric else None
        if row.metric in ("reconsideration_total", "litigation_total", "complaint_total"):
            unit = "case"
        if unit is None:
            word = unit_words().get(row.unit_word) or unit_words().get(row.unit_word[-1:])
            unit = word.unit if word else "item"
        if row.evidence is not None and row.location is not None:
            evidence, location = row.evidence, dict(row.location)
        else:
            a, b = doc.to_original(*row.span)
            evidence = doc.original[a:b].strip()
            # offsets like prose (the table survives only as text), with the row label as printed
            location = {"start": a, "end": b, "row": row.label, "source": "appended_table"}
        if row.value is None:
            if row in table.ambiguous:
                reader.warnings.append(ExtractionWarning(
                    code="ambiguous_table_split",
                    message=f"row '{row.label}': the digits read as {row.candidates} (this year, cumulative); "
                            "none is confirmed by the table's sums or the prose",
                    metric=f"table_{key}", location=location))
            continue
        if row.by_plausibility:
            reader.warnings.append(ExtractionWarning(
                code="table_split_by_plausibility",
                message=f"row '{row.label}': read as {row.value} of {row.candidates}, the only reading whose "
                        "cumulative column is a plausible multiple of the year; neither the sums nor the prose "
                        "confirm it", metric=f"table_{key}", location=location))
        reader.facts.append(Fact(f"table_{key}", row.value[0], unit, evidence=evidence, location=location,
                                 raw=evidence))
        if table.n_columns > 1:
            reader.facts.append(Fact(f"table_{key}_cumulative", row.value[-1], unit, evidence=evidence,
                                     location=location, raw=evidence))
        if row.metric in core and not row.by_plausibility:
            prior = reader.single.get(row.metric)
            if prior is None:
                reader.add(Fact(row.metric, row.value[0], unit, evidence=evidence, location=location,
                                raw=evidence))
            elif prior.value != row.value[0]:
                reader.warnings.append(ExtractionWarning(
                    code="prose_table_mismatch",
                    message=f"{row.metric}: the prose says {prior.value}, the appended table {row.value[0]}",
                    metric=row.metric, location=location))


# -- problems and measures -----------------------------------------------------------------------

def _items(text: str, is_problems: bool = False) -> list[str]:
    """Short texts of an enumerated passage ('一是…；二是…', '(一)…', '1、…'), or its sentences.

    Unnumbered problems are often one sentence listing them after 主要是 / 主要表现在; those are split at
    the commas, and a lead-in that only says there are problems ('…取得了进展，但仍存在一些不足') is dropped.
    """
    marks = list(_ITEM_MARKER.finditer(text))
    # What precedes the first item is a lead-in ('…但还存在一些不足，一是…'), not an item.
    chunks = [text[m.end():(marks[i + 1].start() if i + 1 < len(marks) else len(text))]
              for i, m in enumerate(marks)]
    if not marks:
        chunks = []
        for sentence in re.split(r"[。；;\n]", text):
            listed = _cue("problems_listed").search(sentence) if is_problems else None
            clauses = re.split(r"[,，]", sentence)
            if listed:
                chunks += re.split(r"[,，]", sentence[listed.end():])
            elif not is_problems and sum(bool(_cue("action").match(c.strip())) for c in clauses) >= MIN_LISTED_ACTIONS:
                # '我区将进一步规范…，着力加强…，逐步完善…，继续开展…': one measure per clause
                chunks += [c for c in clauses if _cue("action").match(c.strip()) or "将" in c]
            elif not (is_problems and _LEAD_IN.search(sentence)):
                chunks.append(sentence)
    out = []
    for chunk in chunks:
        chunk = chunk.strip(" \t\n:：,，")
        heading = _LEADING_HEADING.match(chunk)
        if heading:
            # '(二)改进措施：我镇将…。采取…。': the marker numbers a sub-heading; its sentences are the items
            out += _items(chunk[heading.end():], is_problems)
            continue
        sentence = re.split(r"[。；;\n]", chunk, maxsplit=1)[0].strip(" \t:：,，")
        if len(sentence) >= MIN_ITEM_CHARS and not _HEADING_ONLY.match(sentence) and not _DATE_ONLY.match(sentence):
            out.append(sentence[:MAX_ITEM_CHARS])
    return out


def _without_lead(text: str) -> str:
    """Drop what precedes the first numbered item: a sub-heading ('(二)改进措施') or an announcement
    ('我们考虑从以下三个方面作进一步的改进：')."""
    text = _NUMBERED_HEADING.sub("", text, count=1)
    first_item = _ITEM_MARKER.search(text)
    if first_item and first_item.start() > 0:
        lead = text[:first_item.start()].strip()
        if lead.endswith((":", "：", "。")) and len(lead) <= MAX_LEAD_CHARS:
            return text[first_item.start():]
    return text


def _measures_start(body: str) -> int | None:
    """Where the measures begin inside a combined problems-and-measures passage (a clause start)."""
    m = _cue("measures_intro").search(body)
    stops = "。；;\n,，"
    if m is None:
        m = _cue("measures_cue").search(body)
        stops = "。；;\n"  # a cue of intent opens its sentence ('我们在今年的工作中，将进一步改进')
        if m is None:
            return None
        if max(body.rfind(c, 0, m.start()) for c in stops) < 0:
            stops = "。；;\n,，"  # one sentence for both ('问题是…，下步打算…')
    start = max(body.rfind(c, 0, m.start()) for c in stops)
    return start + 1 if start >= 0 else m.start()


def _problems_and_measures(text: str, sections: list[Section], stop: int) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    measures: list[str] = []
    for s in sections:
        if not s.kinds & {"problems", "measures"}:
            continue
        body_end = min(s.end, stop)
        end_mark = _END_OF_REPORT.search(text, s.body_start, body_end)
        if end_mark:
            body_end = end_mark.start()
        body = _SIGNATURE.sub("", text[s.body_start:body_end].rstrip()).lstrip()
        if "problems" in s.kinds:
            split = len(body)
            if "measures" in s.kinds or not any("measures" in t.kinds for t in sections):
                found = _measures_start(body)
                split = found if found is not None else split
            problems += _items(body[:split], is_problems=True)
            if split < len(body):
                measures += _items(_without_lead(body[split:]))
        else:
            measures += _items(body)
    return problems, measures


# -- entry points --------------------------------------------------------------------------------

def _read(doc: Document, with_tables: bool, skip_lines: bool) -> tuple[_Reader, list[Section], int]:
    reader = _Reader(doc, lexicon())
    text = doc.text
    try:
        tables = find_flat_tables(text) if with_tables else []
    except (ValueError, IndexError) as exc:
        tables = []
        reader.warnings.append(ExtractionWarning(
            code="table_unreadable", message=f"the appended statistics table could not be read: {exc}"))
    sections = split_sections(text)
    starts = [s.heading_start for s in sections]
    excluded = [(t.start, t.end) for t in tables]
    if skip_lines:
        pos = 0
        for line in text.split("\n"):
            if line.lstrip().startswith("|"):
                excluded.append((pos, pos + len(line)))
            pos += len(line) + 1
    excluded.sort()
    # Prose runs between the excluded ranges.
    runs = []
    pos = 0
    for a, b in excluded:
        if a > pos:
            runs.append((pos, a))
        pos = max(pos, b)
    runs.append((pos, len(text)))
    for a, b in runs:
        prev: Quantity | None = None
        for q in find_quantities(text, a, b):
            reader.read_quantity(q, prev, section_at(sections, q.start, starts))
            prev = q
        reader.read_none(a, b, sections, starts)
    reader.settle()
    grids = (doc.tables or pipe_tables(text, doc.original)) if with_tables else []
    for t in tables + tables_from_grid(grids):
        try:
            _table_facts(reader, t)
        except (ValueError, IndexError, KeyError) as exc:
            # A table damaged beyond reading must not cost the report its prose figures.
            reader.warnings.append(ExtractionWarning(
                code="table_unreadable", message=f"the appended statistics table could not be read: {exc}",
                location={"start": t.start, "end": t.end}))
    stop = min((t.start for t in tables), default=len(text))
    return reader, sections, stop


def extract_narrative(doc: Document) -> ProseResult:
    """Figures, problems and measures of a narrative (2008–2018) report."""
    reader, sections, stop = _read(doc, with_tables=True, skip_lines=True)
    problems, measures = _problems_and_measures(doc.text, sections, stop)
    return ProseResult(facts=reader.facts, warnings=reader.warnings, problems=problems, measures=measures)


def extract_standard_prose(doc: Document, table_facts: list[Fact]) -> ProseResult:
    """Figures stated in the prose of a standard report (fees, request totals …).

    Only metrics of the narrative vocabulary that the tables do not already give with the same value
    are kept; a prose figure that differs from its table is kept, so validation can compare them.
    """
    reader, sections, stop = _read(doc, with_tables=False, skip_lines=True)
    in_tables: dict[str, set[float]] = {}
    for f in table_facts:
        if f.value is not None and f.applicant in (None, "total"):
            in_tables.setdefault(f.metric, set()).add(float(f.value))
    kept = []
    for f in reader.facts:
        if f.metric not in STANDARD_PROSE_METRICS or f.value is None:
            continue
        if _cue("standard_table").search(to_simplified_evidence(f.evidence)):
            continue  # a flattened standard table read as a sentence
        same = in_tables.get(f.metric, set())
        for alias in _TABLE_EQUIVALENTS.get(f.metric, ()):
            same = same | in_tables.get(alias, set())
        if float(f.value) in same:
            continue
        kept.append(f)
    problems, measures = _problems_and_measures(doc.text, sections, stop)
    return ProseResult(facts=kept, warnings=[w for w in reader.warnings if w.metric in STANDARD_PROSE_METRICS],
                       problems=problems, measures=measures)
