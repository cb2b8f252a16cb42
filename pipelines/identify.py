"""Stage 3, identify: who reported, for which year, at which level, in which format.

Reads the normalised :class:`~pipelines.model.Document` and returns a :class:`~pipelines.model.ReportMeta`.

* **is_report**: False for pages that are no annual report — news (even news about a report), a rule
  numbered in articles (办法, 制度), a notice or letter that does not carry a report, a list of reports.
* **organ**: read, in order of trust, from the report's title (``XX局2019年度政府信息公开工作年度报告``,
  ``2019年XX局…``, ``XX局…报告(2019年度)``: the page title, a crawler's 标题: line, then the head of the
  text), a ``由XX编制`` sentence (or a government's disclosure office compiling it), the 发布机构/来源
  header, the signature above the closing date, a first line that is a name alone, the site a
  government's report says it is published on, and last a township named beside 我乡/我镇.
  The printed name (``organ_as_printed``) is then made the vocabulary's full name: a place alone means
  its 人民政府 (清新区 → 清新区人民政府; a 地区 its 行政公署), a special zone its 管委会
  (``reference/identify_zones.csv``), a development zone its 管委会, 县政府 → 县人民政府, 文广新局 →
  文化广电新闻出版局 (``reference/identify_organ_abbreviations.csv``), and the place above is added when
  the text prints it with the name (厦门市湖里区人民政府, 大竹县朝阳乡人民政府, 平潭县公安局 for 公安局).
* **region**: the place names in the organ's name, resolved in the gazetteer (:mod:`pipelines.gazetteer`);
  a name several units share is settled by the other places the text names, else left out. A township
  or an unnamed body takes the places the text names; a department without a place gets none.
* **level**: from how the name ends (``reference/identify_organ_suffixes.csv``) and the rank of its place
  in the gazetteer (开平市 is a county-level city); without an organ, from 我镇/我局 ….
* **year**: the year reported on, from the title, else 2020年报, the statistics period, or the year the
  text speaks of most — never the publication date. ``二〇一二年`` is read too.
* **format**: the 2021 or 2019 table by their own labels; from 2019 on, without tables, by the year
  unless the text keeps the old outline; always narrative for years ≤ 2018.

A report with no year, or naming neither its organ nor its place nor what kind of body it is, raises
:class:`~pipelines.errors.IdentifyError`.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass

from pipelines.errors import IdentifyError
from pipelines.gazetteer import MAX_NAME_LEN, PLACE_END_CHARS, REFERENCE, Gazetteer, Place, Zone, gazetteer
from pipelines.model import Document, ReportMeta

# The 政府信息公开条例 took effect on 2008-05-01, but local rules (广州 2003, 上海 2004) asked for annual
# reports earlier; a year before that is a law's date, not a reporting year.
FIRST_REPORT_YEAR = 2003
LAST_REPORT_YEAR = 2035
# The standard tables (2019 trial and 2021 formats) were first used for the 2019 reports.
FIRST_STANDARD_YEAR = 2019
# 2021 reports are the first in the revised table (国办公开办函〔2021〕30号).
FIRST_2021_FORMAT_YEAR = 2021
# Where to look for titles, headers and 由XX编制: the first characters of the text (crawler header,
# breadcrumbs and the body's opening), and the last ones for the signature.
HEAD_CHARS = 2500
TAIL_CHARS = 600
# Enough of a long report to count its years and its sections.
BODY_CHARS = 40000
# A report names at least this many of the themes the 条例 requires it to cover (主动公开, 依申请,
# 复议诉讼, 收费, 问题和改进, 概述 …); with its title, fewer are enough (fragments and excerpts).
THEMES_WITHOUT_TITLE = 4
THEMES_WITH_TITLE = 2
# A law or rule is numbered in articles; a report is not.
MIN_ARTICLES_OF_A_RULE = 3
# A list of reports prints several titles of different organs or years and none of the body.
MIN_TITLES_OF_A_LIST = 3
MAX_ORGAN_LEN = 40
# A department printed as 区文体局 / 县民政局 names its place only by the level word.
_GENERIC_LEVEL_WORDS = frozenset("省市县区")
# Title searches remembered: a few per report, and reports are processed one after another.
TITLE_CACHE_SIZE = 64
# How many printings of an organ's name to look behind for the place above it.
MAX_PARENT_PROBES = 20

_CJK = r"\u4e00-\u9fff"
_NAME_CHARS = _CJK + "()·"
_YEAR = r"(?:19|20)\d{2}"

# Pinyin glosses some pages put after characters: 吐鲁番地区(qū)公安局.
_PINYIN_GLOSS = re.compile(r"\([a-zA-Z\u00c0-\u024f\u0300-\u036f]{1,8}\)")
# 二〇一二年, 二○一二年 (U+25CB), 二0一七年: years in Chinese numerals.
_CN_YEAR = re.compile(r"[一二][〇○零0Ｏ][〇○零0Ｏ一二三四五六七八九]{2}(?=\s*年)")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {
    "○": "0",
    "零": "0",
    "0": "0",
    "Ｏ": "0",
}
_DIGIT_SPACE_YEAR = re.compile(r"(\d{4})\s+(?=年)")

# A report's title: organ, year, then 政府信息公开(工作)(年度)报告 — the organ may also follow the year
# (2019年上海市人民政府办公厅政府信息公开工作年度报告). Whitespace inside is tolerated (line breaks in
# PDFs and in titles typed with spaces).
_TITLE = re.compile(
    rf"(?P<pre>[{_NAME_CHARS}]{{0,{MAX_ORGAN_LEN}}}?)\s*(?P<year>{_YEAR})\s*年度?\s*"
    rf"(?P<mid>[{_NAME_CHARS}]{{0,{MAX_ORGAN_LEN}}}?)\s*(?:政府|政务)?信息公开\s*(?:工作)?\s*(?:年度)?\s*"
    r"(?:工作)?\s*(?:报告|年报)"
)
# … or the year after it: 宿迁市政府信息公开工作年度报告(2019年度), 南京市公安局政府信息公开工作2019年度报告.
_TITLE_YEAR_AFTER = re.compile(
    rf"(?<![{_NAME_CHARS}])(?P<pre>[{_NAME_CHARS}]{{2,{MAX_ORGAN_LEN}}}?)\s*(?:政府|政务)?信息公开\s*(?:工作)?\s*"
    rf"(?:(?P<inner>{_YEAR})\s*年度?\s*)?(?:年度)?\s*(?:工作)?\s*(?:报告|年报)\s*"
    rf"(?:[(\[【]\s*(?P<after>{_YEAR})\s*年度?\s*[)\]】])?"
)
_YEAR_REPORT = re.compile(rf"({_YEAR})\s*年报")
# Where a title can be: around a year (年) or around 信息公开; the rest of a page is not searched.
_YEAR_ANCHOR = re.compile(rf"{_YEAR}\s*年")
_DISCLOSURE_ANCHOR = re.compile(r"信息公开")
# A title's tail (年度 + organ after the year + 政府信息公开工作年度报告 + (2019年度)) fits in this many characters.
TITLE_TAIL_CHARS = MAX_ORGAN_LEN + 60
# 自2011年1月1日起至2011年12月31日止 / 2011年1月1日至12月31日: the second year may be left out.
_STATISTICS_PERIOD = re.compile(rf"({_YEAR})年1月1日(?:起)?[,\s]*(?:至|到|-|—|——)\s*(?:({_YEAR})年)?12月31日")
_YEAR_MENTION = re.compile(rf"(?<!\d)({_YEAR})\s*年(?!\s*\d{{1,2}}\s*月)")
_QUOTED = re.compile(r"《[^《》]{0,80}》|〔[^〔〕]{0,12}〕|\[[^\[\]]{0,12}\]")
_COMPILED_BY = re.compile(rf"由([{_NAME_CHARS}]{{2,{MAX_ORGAN_LEN}}}?)(?:负责)?编制")
# A government's own report is often compiled by its disclosure office: 本报告由南平市人民政府信息公开工作领导
# 小组办公室根据…汇总…编制而成 is 南平市人民政府's report.
_COMPILED_BY_OFFICE = re.compile(
    rf"由([{_NAME_CHARS}]{{2,20}}?)(?:人民)?政府(?:信息公开|政务公开|政府信息公开)[{_NAME_CHARS}]{{0,12}}?(?:办公室|办)"
    r"[^。]{0,240}?编制"
)
_HEADER_FIELD = re.compile(
    rf"(?:发布机构|发布单位|信息来源|来\s*源|单位|发文机关)\s*:[\s|]*([{_NAME_CHARS}]{{2,{MAX_ORGAN_LEN}}})"
)
_WEBSITE = re.compile(rf"电子版[^。]{{0,12}}?[“\"]?([{_NAME_CHARS}]{{2,{MAX_ORGAN_LEN}}}?)(?:门户)?网站")
_VERSION_TAIL = re.compile(r"[(（【\[][^()（）【】\[\]]{1,10}[)）】\]]$")
_TITLE_HEADER = re.compile(r"^\s*标题\s*:\s*(.+)$", re.M)
_DATE_LINE = re.compile(rf"^\s*(?:{_YEAR}|[一二][〇○零0Ｏ][〇○零0Ｏ一二三四五六七八九]{{2}})\s*年")
_NAME_LINE = re.compile(rf"^\s*([{_NAME_CHARS}]{{2,{MAX_ORGAN_LEN}}})\s*$")
_TITLE_SEPARATORS = re.compile(r"\s*[_|｜\-–—]\s*")
# How a report speaks of its own body (我镇, 本局, 我单位 …), and what level that says it is.
# 本机关 is no such word: the 2021 template's own row label says 本机关不掌握相关政府信息, and governments
# and departments alike call themselves 本机关.
_SELF = re.compile(r"(?:我|本)(乡|镇|街道|局|委|办|单位|厅|中心|院|县|区|市)")
_SELF_LEVEL = {
    "乡": "township",
    "镇": "township",
    "街道": "township",
    "局": "department",
    "委": "department",
    "办": "department",
    "单位": "department",
    "厅": "department",
    "中心": "department",
    "院": "department",
}
# A township named in its own report: XX乡/XX镇/XX街道 — two characters before the suffix, as most are.
_TOWNSHIP_NAME = re.compile(rf"(?<!\d)([{_CJK}]{{2}})(乡|镇|街道)")
# A township's body: the 乡/镇/街道 itself, its 人民政府 or its 街道办事处.
_TOWNSHIP_BODY = re.compile(r"(?:乡|镇|街道|苏木)(?:人民政府|政府|办事处|办)?$")
# Words that end like a township but are not one (城镇, 乡镇, 全乡 …) start with these characters …
_NOT_A_TOWNSHIP_START = frozenset("我本全各该乡城村集小重市县区省在和与及对向为从由据将到年度这此每")
# … or hold these anywhere (将我乡, 年度镇).
_NOT_IN_A_TOWNSHIP = frozenset("我本年度各全该")
# Words that may stand before an organ's name in a title but are not part of it, and after it.
_LEADING_WORDS = re.compile(
    r"^(?:标题|当前位置|首页|现将|现向社会公布|向社会公布|现公布|公布|关于|根据|印发|转发|报送|由)"
)
_TRAILING_WORDS = re.compile(r"(?:负责编制的|编制的|编制|制作的|发布的|的)$")
_NOT_AN_ORGAN = frozenset(
    {
        "政府",
        "人民政府",
        "本机关",
        "机关",
        "单位",
        "本单位",
        "管委会",
        "镇政府",
        "乡政府",
        "区政府",
        "县政府",
        "市政府",
        "省政府",
        "街道办事处",
    }
)

# What a disclosure report covers (条例 第五十条; 2019 template's six sections).
_THEMES = (
    re.compile(r"主动公开"),
    re.compile(r"依申请|公开申请|申请公开"),
    re.compile(r"行政复议|行政诉讼"),
    re.compile(r"收费|减免|信息处理费"),
    re.compile(r"存在的(?:主要)?问题|改进(?:措施|情况)|不足"),
    re.compile(r"概述|总体情况|基本情况|工作概况"),
    re.compile(r"统计期限|本年新收|本年制发件数|本年新制作数量"),
)
# How a report speaks of itself in its opening (依据《条例》第五十条规定,编制本报告 / 本年报由…组成).
_SELF_DESCRIBED = re.compile(r"编制本报告|本年度报告|本报告(?:由|中|所列|包括)|本年报(?:由|中|包括)")
# A report's own section headings: 一、概述 / 二、主动公开政府信息情况 / 五、存在的主要问题及改进情况.
_SECTION = re.compile(
    r"(?<![\u4e00-\u9fff\d])[一二三四五六七八九]\s*[、.．]\s*[^\n。]{0,24}?(?:情况|概述|问题|事项|改进措施)"
)
# Without a title, a report shows at least this many of its section headings; a notice or news page
# that wraps a whole report shows at least MIN_SECTIONS_OF_A_REPORT (概述, 主动公开, 依申请 …).
MIN_SECTIONS_WITHOUT_TITLE = 2
MIN_SECTIONS_OF_A_REPORT = 3
# An article of a rule opens a line or follows a space (第一条 为了规范…); the standard table's
# 第二十条第(一)项 is no article.
_ARTICLE = re.compile(r"(?:^|\s)第[一二三四五六七八九十百]{1,4}条(?!\s*第)")
_RULE_TITLE = re.compile(r"(?:办法|规定|条例|细则|制度|规则|指南)(?:\(试行\))?》?\s*$")
_NOTICE_TITLE = re.compile(r"^\s*(?:[^\s]{0,30})?关于.{0,60}(?:通知|公告|通报|函|意见|批复|决定)\s*$")
_NEWS_TITLE = re.compile(
    r"召开|举办|举行|开展|部署|培训|会议|座谈|调研|督查|检查|发布会|推进会|动员|发布|出炉|亮相"
)
_NEWS_BYLINE = re.compile(r"记者|通讯员|本报讯|讯\s*\(|日前|近日|据悉")


@dataclass(frozen=True)
class OrganSuffix:
    suffix: str
    kind: str  # government | zone_admin | zone_place | township | place | department


@functools.cache
def _organ_suffixes() -> tuple[OrganSuffix, ...]:
    rows = _reference_rows("identify_organ_suffixes.csv")
    return tuple(sorted((OrganSuffix(r["suffix"], r["kind"]) for r in rows), key=lambda s: -len(s.suffix)))


@functools.cache
def _format_markers() -> dict[str, tuple[str, ...]]:
    """Format markers by kind (standard, standard_2021, standard_2019, narrative), from reference data."""
    markers: dict[str, list[str]] = {}
    for row in _reference_rows("identify_format_markers.csv"):
        markers.setdefault(row["kind"], []).append(row["marker"])
    return {kind: tuple(found) for kind, found in markers.items()}


def _has_marker(compact_text: str, kind: str) -> bool:
    return any(m in compact_text for m in _format_markers().get(kind, ()))


@functools.cache
def _abbreviations() -> dict[str, str]:
    return {r["short"]: r["full"] for r in _reference_rows("identify_organ_abbreviations.csv")}


def _reference_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _suffix_kind(name: str) -> str | None:
    for s in _organ_suffixes():
        if name.endswith(s.suffix):
            return s.kind
    return None


# ---------------------------------------------------------------------------------------------- text


def prepare_text(text: str) -> str:
    """The normalised text made easier to read for names and years (not kept: offsets change)."""
    text = _PINYIN_GLOSS.sub("", text)
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT.get(c, c) for c in m.group(0)), text)
    return _DIGIT_SPACE_YEAR.sub(r"\1", text)


def _text_for_names(doc: Document) -> str:
    """The text to read names in: the normalised text (its Traditional conversion leaves place names
    alone, see ``reference/taiwan_phrases.csv``)."""
    return doc.text


def _plausible_year(year: int) -> bool:
    return FIRST_REPORT_YEAR <= year <= LAST_REPORT_YEAR


# ------------------------------------------------------------------------------------------- places


@dataclass(frozen=True)
class PlaceChain:
    """The place names an organ's name starts with: 北京市门头沟区教育委员会 → 北京市, 门头沟区."""

    printed: str  # the names they cover, as printed (the start of the organ's name unless ``anywhere``)
    parts: tuple[tuple[str, tuple[Place, ...]], ...]
    zone: Zone | None = None


def place_chain(name: str, gaz: Gazetteer, anywhere: bool = False) -> PlaceChain:
    """The places ``name`` starts with; with ``anywhere``, the first places it holds (国家税务总局南京市税务局)."""
    parts: list[tuple[str, tuple[Place, ...]]] = []
    start = 0
    if anywhere:
        start = next((i for i in range(len(name) - 1) if gaz.zone_at(name, i) or gaz.place_at(name, i)), 0)
    pos = start
    zone_hit = gaz.zone_at(name, pos)
    if zone_hit:
        return PlaceChain(zone_hit[0], (), zone_hit[1])
    while pos < len(name):
        hit = gaz.place_at(name, pos)
        if not hit:
            break
        parts.append(hit)
        pos += len(hit[0])
        zone_hit = gaz.zone_at(name, pos)
        if zone_hit:
            return PlaceChain(name[start : pos + len(zone_hit[0])], tuple(parts), zone_hit[1])
    return PlaceChain(name[start:pos], tuple(parts))


def _support(place: Place, context: str, gaz: Gazetteer) -> int:
    """How often the text names the provinces and prefectures above a candidate unit."""
    score = 0
    for anc in gaz.ancestors(place):
        score += context.count(anc.name)
        if anc.short and anc.short != anc.name:
            score += context.count(anc.short)
    return score


def resolve_chain(chain: PlaceChain, context: str, gaz: Gazetteer) -> tuple[str | None, Place | None]:
    """The region a chain of place names stands for, and its deepest unit (None when left out).

    A name several units share (朝阳区 in 北京 and 长春) is kept only when the places printed before it,
    or the other places the text names, single out one of them; otherwise only what they share is kept.
    """
    if chain.zone:
        return chain.zone.region, None
    resolved: Place | None = None
    printed_last: str | None = None
    for printed, cands in chain.parts:
        if resolved is not None:
            cands = tuple(c for c in cands if c.is_within(resolved) and c != resolved)
        if not cands:
            break
        if len(cands) > 1:
            scores = [_support(c, context, gaz) for c in cands]
            best = max(scores)
            if best > 0 and scores.count(best) == 1:
                cands = (cands[scores.index(best)],)
        if len(cands) > 1:
            shared = _shared_ancestor(cands, gaz)
            if shared is not None and (resolved is None or shared.is_within(resolved)):
                resolved, printed_last = shared, None
            break
        resolved, printed_last = cands[0], printed
    if resolved is None:
        return None, None
    own = printed_last if printed_last and printed_last != resolved.name else None
    return gaz.region_name(resolved, own), resolved


def _shared_ancestor(cands: tuple[Place, ...], gaz: Gazetteer) -> Place | None:
    for level in ("city", "province"):
        codes = {c.city_code if level == "city" else c.province_code for c in cands}
        if len(codes) == 1:
            place = gaz.by_code.get(codes.pop())
            if place is not None and all(c != place for c in cands):
                return place
    return None


def region_from_mentions(text: str, gaz: Gazetteer) -> tuple[str | None, Place | None]:
    """The region the text's place names agree on: the most named province, then a prefecture and a
    county within it when only one of each is named. None when nothing is named."""
    counts = gaz.mentions(text)
    if not counts:
        return None, None
    by_province: Counter[str] = Counter()
    for place, n in counts.items():
        by_province[place.province_code] += n
    (top, top_n), *rest = by_province.most_common()
    if rest and rest[0][1] == top_n:
        return None, None
    found = gaz.by_code.get(top)
    if found is None:
        return None, None
    # The deepest unit named alone in that province: one county (its prefecture follows from its
    # adcode, 义乌市 → 金华市) when no other prefecture is named, else one prefecture.
    cities = {p for p in counts if p.rank == "city" and p.is_within(found)}
    counties = {p for p in counts if p.rank == "county" and p.is_within(found)}
    if len(counties) == 1 and len(cities) <= 1 and all(next(iter(counties)).is_within(c) for c in cities):
        place = counties.pop()
    elif len(cities) == 1:
        place = cities.pop()
    else:
        place = found
    return gaz.region_name(place), place


# ------------------------------------------------------------------------------------------- organs


def clean_organ(raw: str, gaz: Gazetteer) -> str | None:
    """A plausible organ name in ``raw`` (the run of characters before a title's year), or None.

    Words that lead into a title (现向社会公布, 由 …) are not part of the name. Around 关于 the name is
    after it when one stands there (XX县人民政府办公室关于XX县2019年…: the county's report), else
    before it (XX局关于报送2020年度…报告的函).
    """
    s = _TRAILING_WORDS.sub("", raw.strip())
    candidates = list(reversed(s.rsplit("关于", 1))) if "关于" in s else [s]
    for cand in candidates:
        organ = _organ_in(cand, gaz)
        if organ:
            return organ
    return None


def _organ_in(s: str, gaz: Gazetteer) -> str | None:
    while True:
        stripped = _LEADING_WORDS.sub("", s)
        if stripped == s:
            break
        s = stripped
    # Other words before the first place name (现特向社会公布吐鲁番地区公安局) go too, unless they are an
    # organ themselves (国家税务总局南京市税务局).
    starts_with_place = gaz.zone_at(s, 0) or gaz.place_at(s, 0)
    for start in range(1, 0 if starts_with_place else len(s) - 1):
        if gaz.zone_at(s, start) or gaz.place_at(s, start):
            if _suffix_kind(s[:start]) is None and is_organ_name(s[start:], gaz):
                return s[start:]
            break
    return s if is_organ_name(s, gaz) else None


def is_organ_name(name: str, gaz: Gazetteer) -> bool:
    if not (2 <= len(name) <= MAX_ORGAN_LEN) or name in _NOT_AN_ORGAN:
        return False
    if not re.fullmatch(rf"[{_NAME_CHARS}]+", name) or name[0] in "我本各全该其()":
        return False
    if gaz.zones.get(name):
        return True
    chain = place_chain(name, gaz)
    if chain.parts and chain.printed == name:
        return True  # a place named alone (清新区, 浦东新区)
    kind = _suffix_kind(name)
    if kind is None:
        return False
    if kind == "place":
        return False
    if kind == "zone_place":
        suffix = next(s.suffix for s in _organ_suffixes() if name.endswith(s.suffix))
        return len(name) >= len(suffix) + 2 and not name.startswith(("本", "我", "全", "各", "该"))
    if kind == "township":
        stem = re.sub(r"(?:乡|镇|街道|苏木|街道办事处|街道办)$", "", name)
        return len(stem) >= 2 and not (_NOT_IN_A_TOWNSHIP & set(stem))
    suffix = next(s.suffix for s in _organ_suffixes() if name.endswith(s.suffix))
    return len(name) > len(suffix) + 1 or (len(name) > len(suffix) and kind == "government")


@dataclass(frozen=True)
class Organ:
    name: str  # the vocabulary's full name
    printed: str
    level: str | None
    region: str | None


def canonical_organ(printed: str, text: str, gaz: Gazetteer) -> Organ:
    """The vocabulary's name, level and region of an organ printed as ``printed``."""
    name = _with_printed_parent(printed, text, gaz)
    chain = place_chain(name, gaz)
    region, place = resolve_chain(
        chain if chain.parts or chain.zone else place_chain(name, gaz, anywhere=True), text, gaz
    )
    rest = name[len(chain.printed) :]
    if chain.zone and rest in ("", "管委会", "管理委员会"):
        return Organ(chain.zone.organ, printed, chain.zone.level, region)
    if rest == "" and chain.parts:
        # A place named alone stands for its government; a 地区/盟 was governed by a 行政公署.
        name += "行政公署" if name.endswith(("地区", "盟")) else "人民政府"
    elif rest in _abbreviations():
        name = chain.printed + _abbreviations()[rest]
    name = re.sub(r"(?<=[乡镇县区市旗省])政府$", "人民政府", name)
    if _suffix_kind(name) == "township" and not name.endswith(("街道办事处", "街道办")):
        name += "办事处" if name.endswith("街道") else "人民政府"
    if _suffix_kind(name) == "zone_place":
        name += "管委会"  # a development zone named alone stands for its 管委会
    return Organ(name, printed, _level(name, chain, place), region)


def _with_printed_parent(name: str, text: str, gaz: Gazetteer) -> str:
    """The name with the place above it when the report prints them together: 厦门市湖里区人民政府 (title:
    湖里区人民政府), 大竹县朝阳乡 (title: 朝阳乡), 平潭县公安局 (title: 公安局, signed 平潭县公安局).

    Only for a county's bodies under their prefecture, townships under their county and departments
    printed without any place; a prefecture is not given its province (南京市, never 江苏省南京市).
    """
    chain = place_chain(name, gaz)
    if chain.zone:
        return name
    kind = "township" if _TOWNSHIP_BODY.search(name) else _suffix_kind(name)
    if chain.parts and any(p.rank != "county" for p in chain.parts[0][1]):
        return name
    if not chain.parts and kind not in ("township", "department", "zone_admin", "zone_place"):
        return name
    # 区文体局 / 县民政局: the level word stands for the place, whose name the text prints before it
    # (滨湖区文体局): the place is then looked for ending at that word, which it replaces.
    generic = not chain.parts and name[0] in _GENERIC_LEVEL_WORDS and kind == "department"
    # A township is looked for by its own name, wherever it is printed (地址:开平市沙塘镇圩东路1号).
    key = re.sub(r"(?:人民政府|政府|办事处)$", "", name) if not chain.parts and kind == "township" else name
    parents: Counter[str] = Counter()
    start = text.find(key)
    for _ in range(MAX_PARENT_PROBES):
        if start < 0:
            break
        parent = _place_ending_at(text, start + 1 if generic else start, gaz) if start > 0 else None
        if parent is not None:
            printed, places, zone = parent
            if chain.parts:
                fits = any(
                    _is_municipality_or_city(p) and any(c.is_within(p) for c in chain.parts[0][1])
                    for p in places
                )
            elif kind == "township":
                fits = any(p.rank == "county" for p in places)
            else:  # a department printed without its place: the government it belongs to
                fits = zone is not None or len(places) == 1
            if fits and (not generic or len(printed) > 1):
                parents[printed] += 1
        start = text.find(key, start + 1)
    if not parents:
        return name
    return parents.most_common(1)[0][0] + (name[1:] if generic else name)


def _place_ending_at(
    text: str, end: int, gaz: Gazetteer
) -> tuple[str, tuple[Place, ...], Zone | None] | None:
    """The longest place or zone name printed right before ``end``."""
    for n in range(min(MAX_NAME_LEN + 4, end), 1, -1):
        cand = text[end - n : end]
        zone = gaz.zones.get(cand)
        if zone is not None:
            return cand, (), zone
        if cand[-1] in PLACE_END_CHARS and n <= MAX_NAME_LEN:
            places = gaz.lookup(cand)
            if places:
                return cand, places, None
    return None


def _is_municipality_or_city(place: Place) -> bool:
    return place.rank == "city" or (place.rank == "province" and place.name.endswith("市"))


def _level(name: str, chain: PlaceChain, place: Place | None) -> str | None:
    kind = _suffix_kind(name)
    if kind == "government":
        stem = re.sub(r"(?:人民政府|政府|行政公署)$", "", name)
        if re.search(r"(?:乡|镇|街道|苏木)$", stem):
            return "township"
        if place is not None and chain.printed == stem:
            return place.rank
        if chain.printed == stem and chain.parts:
            ranks = {p.rank for p in chain.parts[-1][1]}
            return ranks.pop() if len(ranks) == 1 else None  # 朝阳区 is a county wherever it is
        return {"省": "province", "县": "county", "旗": "county", "区": "county"}.get(stem[-1:])
    if kind == "township":
        return "township"
    return "department"


# ------------------------------------------------------------------------------------------- titles


@dataclass(frozen=True)
class TitleMatch:
    year: int
    organ: str | None
    start: int
    # The title ends there (a line break, a space, punctuation — not more words, not the 》 of a citation):
    # 平潭县民政局2011年度政府信息公开年度报告 2011年… is a title; …年度报告编制工作部署会 is news.
    standalone: bool = True
    # Nothing but the year stands before 政府信息公开 (2016年度政府信息公开年度报告).
    bare: bool = False


@functools.lru_cache(maxsize=TITLE_CACHE_SIZE)
def title_matches(text: str, limit: int = 8) -> tuple[TitleMatch, ...]:
    """Report titles in ``text`` (``organ YEAR年度 政府信息公开工作年度报告``), first first.

    Cached: the stages of one report ask about the same head several times."""
    gaz = gazetteer()
    out: list[TitleMatch] = []
    years = [m.start() for m in _YEAR_ANCHOR.finditer(text)]
    for m in _windowed(_TITLE, text, years, MAX_ORGAN_LEN + 1, TITLE_TAIL_CHARS):
        year = int(m.group("year"))
        if not _plausible_year(year):
            continue
        pre, mid = m.group("pre"), m.group("mid")
        organ = clean_organ(pre, gaz) if pre else None
        if organ is None and mid:
            organ = clean_organ(mid, gaz)
        out.append(TitleMatch(year, organ, m.start(), _ends_title(text, m.end()), not pre and not mid))
        if len(out) >= limit:
            break
    disclosures = [m.start() for m in _DISCLOSURE_ANCHOR.finditer(text)]
    for m in _windowed(_TITLE_YEAR_AFTER, text, disclosures, MAX_ORGAN_LEN + 6, TITLE_TAIL_CHARS):
        found = m.group("inner") or m.group("after")
        if found and _plausible_year(int(found)) and all(t.start != m.start() for t in out):
            organ = clean_organ(m.group("pre"), gaz)
            out.append(TitleMatch(int(found), organ, m.start(), _ends_title(text, m.end())))
    return tuple(sorted(out, key=lambda t: t.start)[:limit])


def _windowed(
    pattern: re.Pattern[str], text: str, anchors: list[int], before: int, after: int
) -> list[re.Match[str]]:
    """Matches of ``pattern`` in the stretches of text around the anchors, first first: the title
    patterns are slow to try at every character of a page, and a title lies within a few dozen
    characters of its year or its 信息公开 (overlapping stretches are searched as one)."""
    spans: list[list[int]] = []
    for anchor in anchors:
        start, end = max(0, anchor - before), min(len(text), anchor + after)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [m for start, end in spans for m in pattern.finditer(text, start, end)]


def _ends_title(text: str, end: int) -> bool:
    return end >= len(text) or not ("\u4e00" <= text[end] <= "\u9fff" or text[end] in '》”"')


def _title_texts(doc: Document, text: str) -> list[str]:
    """Where a title is printed: the page's <title> and a crawler's 标题: line, split at site names."""
    titles: list[str] = []
    for raw in (doc.title, *(m.group(1) for m in _TITLE_HEADER.finditer(text[:HEAD_CHARS]))):
        if raw:
            titles.extend(p for p in _TITLE_SEPARATORS.split(prepare_text(raw)) if p)
    return titles


# ------------------------------------------------------------------------------------------ evidence


def _first_lines(text: str, n: int = 3) -> list[str]:
    return [ln.strip() for ln in text[:HEAD_CHARS].split("\n") if ln.strip()][:n]


def _signature(text: str, gaz: Gazetteer) -> str | None:
    """The organ signed above the closing date: ``沭阳县发展和改革局\\n2024年1月17日``."""
    lines = [ln.strip() for ln in text[-TAIL_CHARS:].split("\n") if ln.strip()]
    for i in range(len(lines) - 1, 0, -1):
        if _DATE_LINE.match(lines[i]):
            m = _NAME_LINE.match(lines[i - 1])
            if m and is_organ_name(m.group(1), gaz):
                return m.group(1)
    return None


def _named_township(text: str, kind: str) -> str | None:
    """A township report that says 我乡/我镇 usually names itself somewhere (南薰乡未收取…)."""
    counts: Counter[str] = Counter()
    for m in _TOWNSHIP_NAME.finditer(text):
        stem, suffix = m.group(1), m.group(2)
        if suffix != kind or stem[0] in _NOT_A_TOWNSHIP_START or _NOT_IN_A_TOWNSHIP & set(stem):
            continue
        counts[stem + suffix] += 1
    return counts.most_common(1)[0][0] if counts else None


def find_organ(doc: Document, text: str, gaz: Gazetteer) -> str | None:
    head = text[:HEAD_CHARS]
    for title in _title_texts(doc, text):
        for tm in title_matches(title, limit=1):
            if tm.organ:
                return tm.organ
    for tm in title_matches(head):
        if tm.organ:
            return tm.organ
    for m in _COMPILED_BY.finditer(head):
        organ = clean_organ(m.group(1), gaz)
        if organ:
            return organ
    for m in _COMPILED_BY_OFFICE.finditer(head):
        place = clean_organ(m.group(1), gaz)
        if place and _suffix_kind(place) == "place":
            return place + "人民政府"
    for m in _HEADER_FIELD.finditer(head):
        organ = clean_organ(m.group(1), gaz)
        if organ:
            return organ
    signed = _signature(text, gaz)
    if signed:
        return signed
    for line in _first_lines(text):
        alone = _NAME_LINE.match(line)
        if alone and is_organ_name(alone.group(1), gaz):
            return alone.group(1)
    self_ref = _self_reference(text)
    # A government's report says where its electronic copy is: 本报告的电子版可在“XX区人民政府网站”下载.
    # A department's report often names its government's site there, so not for 我局/我委/本中心 ….
    if _SELF_LEVEL.get(self_ref or "") != "department":
        for m in _WEBSITE.finditer(text[:BODY_CHARS]):
            organ = clean_organ(m.group(1), gaz)
            if organ and _suffix_kind(organ) == "government":
                return organ
    if self_ref in ("乡", "镇", "街道"):
        return _named_township(text[:BODY_CHARS], self_ref)
    return None


def _self_reference(text: str) -> str | None:
    counts = Counter(m.group(1) for m in _SELF.finditer(text[:BODY_CHARS]))
    return counts.most_common(1)[0][0] if counts else None


# --------------------------------------------------------------------------------------------- years


def find_year(doc: Document, text: str, gaz: Gazetteer) -> int | None:
    """The year reported on: the title's, else the statistics period's, else the year the text
    speaks of most (dates of publication and years inside 《》 titles and 〔〕 numbers not counted)."""
    for title in _title_texts(doc, text):
        for tm in title_matches(title, limit=1):
            return tm.year
    head = text[:HEAD_CHARS]
    matches = title_matches(head)
    for tm in matches:
        if tm.organ:
            return tm.year
    m = _YEAR_REPORT.search(head)
    if m and _plausible_year(int(m.group(1))):
        return int(m.group(1))
    body = text[:BODY_CHARS]
    m = _STATISTICS_PERIOD.search(body)
    if m and m.group(2) in (None, m.group(1)) and _plausible_year(int(m.group(1))):
        return int(m.group(1))
    if matches:
        return matches[0].year
    years = Counter(int(y) for y in _YEAR_MENTION.findall(_QUOTED.sub("", body)))
    years = Counter({y: n for y, n in years.items() if _plausible_year(y)})
    if not years:
        return None
    ranked = years.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return min(ranked[0][0], ranked[1][0])  # a tie: the plan for next year is not the report's year
    return ranked[0][0]


# -------------------------------------------------------------------------------------------- format


def detect_format(doc: Document, year: int | None) -> str:
    text = re.sub(r"\s+", "", doc.text)
    if year is not None and year < FIRST_STANDARD_YEAR:
        return "narrative"
    is_2021, is_2019 = _has_marker(text, "standard_2021"), _has_marker(text, "standard_2019")
    # Without the tables (an excerpt, tables printed as images) the year decides: from the 2019 reports
    # on, the 国办 template is mandatory — unless the text keeps the old outline (一、概述 … 收费及减免).
    tables = is_2021 or is_2019 or _has_marker(text, "standard")
    if not tables and (year is None or _has_marker(text, "narrative")):
        return "narrative"
    if is_2021:
        return "standard_2021"
    if is_2019:
        return "standard_2019"
    return "standard_2021" if (year or 0) >= FIRST_2021_FORMAT_YEAR else "standard_2019"


# ------------------------------------------------------------------------------------- not a report


def _title_line(doc: Document, text: str) -> str:
    """The page's title: its <title>, a crawler's 标题: line, else its first line."""
    if doc.title:
        return _TITLE_SEPARATORS.split(doc.title)[0]
    header = _TITLE_HEADER.search(text[:HEAD_CHARS])
    if header:
        return header.group(1)
    lines = _first_lines(text, 1)
    return lines[0] if lines else ""


def is_disclosure_report(doc: Document, text: str, gaz: Gazetteer) -> bool:
    """Whether a page is a disclosure annual report at all (not news, a rule, a notice or a list)."""
    body = text[:BODY_CHARS]
    title = _title_line(doc, text)
    compact_title = re.sub(r"\s+", "", title)
    themes = sum(1 for t in _THEMES if t.search(body))
    standard = _has_marker(re.sub(r"\s+", "", body), "standard")
    titles = title_matches(text[:HEAD_CHARS])
    page_titles = [tm for x in _title_texts(doc, text) for tm in title_matches(x, 1)]
    own_titles = [t for t in (*page_titles, *titles) if t.standalone and (t.organ or t.bare)]
    # The page's title is a report's: it ends with the report's name (a (图片版) tail aside) and names
    # an organ or nothing (我县发布2019年…年度报告 is news).
    compact_title = _VERSION_TAIL.sub("", compact_title)
    title_is_report = any(
        t.standalone and (t.organ or t.bare) for t in title_matches(compact_title, 1)
    ) and bool(re.search(r"(?:报告|年报)$", compact_title))
    # A notice or a news item may carry a whole report (关于报送《XX局2015年政府信息公开年度报告》的函, then
    # the report): it is one when the report's own sections follow.
    carries_report = standard or len(_SECTION.findall(body)) >= MIN_SECTIONS_OF_A_REPORT
    # A rule (办法, 制度) is numbered in articles, even when its title did not survive the crawl.
    if len(_ARTICLE.findall(body)) >= MIN_ARTICLES_OF_A_RULE and (
        _RULE_TITLE.search(compact_title) or not (carries_report or title_is_report)
    ):
        return False
    if _NOTICE_TITLE.match(compact_title) and not title_is_report and not carries_report:
        return False
    news = _NEWS_TITLE.search(compact_title) and _NEWS_BYLINE.search(text[:HEAD_CHARS])
    if news and not title_is_report and not carries_report:
        return False
    distinct = {(t.organ, t.year) for t in titles if t.organ}
    if len(distinct) >= MIN_TITLES_OF_A_LIST and themes < THEMES_WITHOUT_TITLE:
        return False
    if standard:
        return True
    if (
        own_titles
        or title_is_report
        or _YEAR_REPORT.search(text[:HEAD_CHARS])
        or _SELF_DESCRIBED.search(body)
    ):
        return themes >= THEMES_WITH_TITLE
    sections = len(_SECTION.findall(body))
    return themes >= THEMES_WITHOUT_TITLE and sections >= MIN_SECTIONS_WITHOUT_TITLE


# ---------------------------------------------------------------------------------------------- main


def identify(doc: Document) -> ReportMeta:
    """Who reported, on which year, at which level, in which format. Raises IdentifyError when a
    report names no year, or names neither its organ nor its place nor even what kind of body it is."""
    gaz = gazetteer()
    text = prepare_text(_text_for_names(doc))
    title = doc.title or None
    if not is_disclosure_report(doc, text, gaz):
        return ReportMeta(title=title, is_report=False)
    year = find_year(doc, text, gaz)
    if year is None:
        raise IdentifyError(
            f"{doc.source}: identify: no reporting year found in the title or the text", reason="no_year"
        )
    printed = find_organ(doc, text, gaz)
    context = text[:BODY_CHARS]
    organ: Organ | None = canonical_organ(printed, context, gaz) if printed else None
    region = organ.region if organ else None
    level = organ.level if organ else None
    # Without a place in the organ's name, the places the text names tell the region — but not for a
    # department (its text names the places it serves) nor for a place name the gazetteer found ambiguous.
    if region is None and not (organ and (organ.level == "department" or place_chain(organ.name, gaz).parts)):
        region, _ = region_from_mentions(context, gaz)
    if level is None:
        level = _SELF_LEVEL.get(_self_reference(text) or "")
    if organ is None and region is None and level is None:
        raise IdentifyError(
            f"{doc.source}: identify: neither the reporting organ nor its place is named", reason="no_organ"
        )
    return ReportMeta(
        organ=organ.name if organ else None,
        organ_as_printed=organ.printed if organ else None,
        region=region,
        level=level,
        year=year,
        format=detect_format(doc, year),
        title=title,
    )
