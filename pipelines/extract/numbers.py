"""Numbers as written in report prose: Arabic and Chinese numerals, 万/亿, 多/余/约/近/以上, with the
measure word that follows them (条, 件, 期, 册, 元, % …).

A number counts as a figure only when a measure word from ``reference/narrative_units.csv`` follows
it (or, for a few report idioms, when it closes a labelled phrase such as ``不予公开信息数1402``).
That one rule keeps out years (2012年), dates (3月25日), 第N, document numbers (〔2012〕16号), house
numbers and phone numbers, none of which is followed by a measure word.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass

from pipelines.config import REFERENCE_DIR

_ZH_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
ZH_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿"


def parse_chinese_numeral(text: str) -> int | None:
    """一万二千 → 12000, 两千 → 2000, 十六 → 16, 三百零五 → 305; None when it is not a numeral."""
    if not text or any(ch not in ZH_NUMERAL_CHARS for ch in text):
        return None
    total = 0  # completed 万/亿 groups
    section = 0  # the group being built
    digit: int | None = None
    for ch in text:
        if ch in _ZH_DIGITS:
            if digit is not None and digit != 0:
                # Digits written one by one (二〇一二) are a year or a code, not a quantity.
                return None
            digit = _ZH_DIGITS[ch] if _ZH_DIGITS[ch] else (digit or 0)
        elif ch in _ZH_SMALL_UNITS:
            section += (digit if digit else 1) * _ZH_SMALL_UNITS[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total = (total + section) * _ZH_BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number(text: str) -> float | None:
    """An Arabic (``25,477``, ``1.2``) or Chinese (``七``, ``一万二千``) numeral."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    value = parse_chinese_numeral(text)
    return float(value) if value is not None else None


def as_int_if_whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)


@dataclass(frozen=True)
class UnitWord:
    word: str
    unit: str
    kind: str  # count | money | percent | generic
    multiplier: int


@functools.cache
def unit_words() -> dict[str, UnitWord]:
    with open(REFERENCE_DIR / "narrative_units.csv", encoding="utf-8") as f:
        return {r["word"]: UnitWord(r["word"], r["unit"], r["kind"], int(r["multiplier"]))
                for r in csv.DictReader(f)}


@dataclass(frozen=True)
class Quantity:
    """One number with its measure word, as offsets into the normalised text."""

    start: int  # first character of the whole token (approx prefix included)
    end: int  # after the measure word (and any 以上/左右)
    num_start: int
    num_end: int
    value: float | int
    unit_word: str  # as written: 条, 万元, %, or "" for a bare labelled number
    unit: str  # item, yuan, percent …
    kind: str
    approx: bool
    raw: str

    @property
    def is_percent(self) -> bool:
        return self.kind == "percent"


_APPROX_BEFORE = "约|近|将近|大约|超过|逾|达到近"
# A number starts where a digit run starts (the lookbehind stops the scan from retrying inside a run,
# which made a long run of digits quadratic) and has at most MAX_DIGITS digits before any separator:
# no count in a report is longer, and a longer run is a code or a glued table, not a quantity.
MAX_DIGITS = 15
_ARABIC = rf"(?<!\d)\d{{1,{MAX_DIGITS}}}(?:,\d{{3}})*(?:\.\d+)?"
_ZH = f"(?<![{ZH_NUMERAL_CHARS}])[{ZH_NUMERAL_CHARS}]+"


@functools.cache
def _quantity_pattern() -> re.Pattern[str]:
    words = sorted(unit_words(), key=len, reverse=True)
    units = "|".join(re.escape(w) for w in words if w not in ("万元", "亿元"))
    return re.compile(
        rf"(?P<pre>{_APPROX_BEFORE})?"
        rf"(?P<num>{_ARABIC}|{_ZH})"
        rf"(?:\s*(?P<range>[-—~～至到])\s*(?P<num2>{_ARABIC}|{_ZH}))?"
        r"(?P<more1>多|余)?"
        r"(?P<mult>万|亿)?"
        r"(?P<more2>多|余)?"
        rf"\s?(?P<unit>{units})"
        r"(?P<post>以上|左右|多)?"
    )


# A number closing a labelled phrase with no measure word: '不予公开信息数1402。', '法规文件类信息45,'.
_BARE_LABELLED = re.compile(r"(?<=[数息类])(?P<num>\d+)(?=[,，。;；)\s]|$)")
# Characters that, right before a number, make it part of a code or an ordinal, not a quantity.
_NOT_QUANTITY_BEFORE = set("第届〔[号-—/.:@#") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NOT_QUANTITY_AFTER = re.compile(r"[A-Za-z@]|[.:]\d")
# 一/两 before a measure word is as often an ordinary word (一起 'together', 一件事, 一次性, 两项制度) as a
# count; it counts only after a word that introduces a figure ('复议一件', '共两件').
_NOT_PEOPLE_AFTER = frozenset("民口大群身")
_RANK_BEFORE = re.compile(r"排名|名次|前进|后退|位居|位列|上升|下降")
_ZH_SMALL_NUMERALS = frozenset({"一", "两", "二"})
_ZH_COUNT_CUES = ("共", "计", "收到", "受理", "发生", "公开", "办结", "答复", "了", "有", "接到", "发布", "申请",
                  "复议", "诉讼", "申诉", "信息", "为")


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number with a measure word in ``text[start:end]``, left to right."""
    end = len(text) if end is None else end
    units = unit_words()
    out: list[Quantity] = []
    for m in _quantity_pattern().finditer(text, start, end):
        num = m.group("num")
        before = text[m.start() - 1] if m.start() > 0 else ""
        if m.group("pre") is None and before and (before in _NOT_QUANTITY_BEFORE or before.isdigit()):
            continue
        if _NOT_QUANTITY_AFTER.match(text, m.end()):
            continue
        is_zh = not num[0].isdigit()
        unit_word = m.group("unit")
        if is_zh:
            if before == "无" or text[m.start() - 2:m.start()] in ("无一",):
                continue  # 无一例 is a statement of none, read elsewhere
            if num in _ZH_SMALL_NUMERALS and not text[max(0, m.start() - 4):m.start()].endswith(_ZH_COUNT_CUES):
                continue
        if unit_word == "人" and text[m.end():m.end() + 1] in _NOT_PEOPLE_AFTER:
            continue  # '全县四十万人民' is a population, '人大' an assembly
        if unit_word == "名" and _RANK_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # '排名第四，较2011年又前进了三名' is a rank, not people
        value = parse_number(num)
        if value is None:
            continue
        uw = units[unit_word]
        mult = 1
        if m.group("mult") == "万":
            mult = 10_000
        elif m.group("mult") == "亿":
            mult = 100_000_000
        if unit_word == "%" and m.group("mult"):
            continue
        approx = bool(m.group("pre") or m.group("more1") or m.group("more2") or m.group("post") or m.group("range"))
        total = value * mult * uw.multiplier
        unit_label = uw.word if not m.group("mult") else m.group("mult") + uw.word
        out.append(Quantity(
            start=m.start(), end=m.end(), num_start=m.start("num"), num_end=m.end("num"),
            value=as_int_if_whole(total), unit_word=unit_label, unit=uw.unit, kind=uw.kind,
            approx=approx, raw=m.group(0),
        ))
    taken = [(q.start, q.end) for q in out]
    for m in _BARE_LABELLED.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in taken):
            continue
        value = parse_number(m.group("num"))
        if value is None:
            continue
        out.append(Quantity(
            start=m.start(), end=m.end(), num_start=m.start(), num_end=m.end(), value=as_int_if_whole(value),
            unit_word="", unit="item", kind="count", approx=False, raw=m.group(0),
        ))
    out.sort(key=lambda q: q.start)
    return out
