"""The text of a synthetic report: title, sections, prose with figures, and where the tables go.

A report is a list of blocks (title, heading, paragraph, table, signature). A paragraph is built from
pieces; a figure's quote is exactly one piece, so converting pieces one by one to Traditional keeps
each quote a verbatim substring of the converted report.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from typing import Any

from pipelines.synth.figures import StandardFigures
from pipelines.synth.labels import FORMAT_2021, SECTION_HEADINGS
from pipelines.synth.layout import Layout
from pipelines.synth.numbers import say_count, say_money
from pipelines.synth.organs import Organ
from pipelines.synth.tables import Cell, Grid, table2_grid, table3_grids, table4_grid

TITLE_PATTERNS = ("{organ}{year}年度政府信息公开工作年度报告", "{organ}{year}年政府信息公开工作年度报告",
                  "{organ}{year}年政府信息公开年度报告")
# Report years of each format: narrative reports under the 2008 regulation, standard tables after
# the 2019 revision (trial table for 2019–2020, revised table from 2021).
NARRATIVE_YEARS = range(2008, 2019)
STANDARD_YEARS = range(2019, 2026)
# Channels through which narrative reports say items were published, with the printed wording.
CHANNELS = (
    ("website", "通过政府门户网站公开"), ("gazette", "通过政府公报公开"),
    ("new_media", "通过政务微博、微信公开"), ("bulletin_board", "通过政务公开栏公开"),
    ("newspaper", "通过报刊公开"), ("broadcast_tv", "通过广播电视公开"),
    ("press_conference", "通过新闻发布会公开"), ("archives_library", "通过档案馆、图书馆查阅点公开"),
)
REQUEST_CHANNELS = (("online", "网上申请"), ("in_person", "当面申请"), ("letter", "信函申请"),
                    ("fax", "传真申请"), ("email", "电子邮件申请"))
REQUEST_OUTCOMES = (("requests_granted", "同意公开"), ("requests_partially_granted", "部分公开"),
                    ("requests_denied", "不予公开"), ("requests_not_held", "信息不存在"),
                    ("requests_out_of_scope", "非本机关职责范围"))
FILLER_OVERVIEW = (
    "坚持“以公开为常态、不公开为例外”的原则，不断完善工作机制，拓展公开渠道",
    "认真贯彻落实上级关于政务公开工作的部署要求，推进决策、执行、管理、服务、结果公开",
    "健全政府信息公开领导小组，明确分管领导和专职工作人员，层层落实工作责任",
)
FILLER_PROBLEMS = (
    "一是公开内容的深度和广度还需拓展，二是政策解读形式较为单一，三是工作人员业务水平有待提高",
    "部分单位对政府信息公开工作重视不够，信息更新不够及时，公开的规范化程度有待提升",
)
FILLER_MEASURES = (
    "下一步，我们将进一步加强组织领导，完善制度建设，加大培训力度，不断提升政府信息公开工作水平",
    "将继续拓宽公开渠道，强化政策解读和回应关切，推动政务公开工作再上新台阶",
)


@dataclass
class Block:
    kind: str  # title | heading | para | table | signature
    pieces: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    table: int = 0  # 2, 3 or 4 for table blocks

    @property
    def text(self) -> str:
        return "".join(self.pieces)


@dataclass
class ReportText:
    """A report ready to render, with the prose figures it states."""

    title: str
    blocks: list[Block]
    facts: list[dict[str, Any]]
    publisher: str
    published: str  # publication date as printed, YYYY-MM-DD


class _Para:
    """Builds one paragraph; ``figure`` adds a piece that is the quote of a fact."""

    def __init__(self, facts: list[dict[str, Any]]) -> None:
        self.block = Block("para")
        self._facts = facts

    def add(self, text: str) -> _Para:
        self.block.pieces.append(text)
        return self

    def figure(self, metric: str, text: str, value: float | int, unit: str, approx: bool = False,
               also: tuple[str, ...] = ()) -> _Para:
        """A clause stating a figure (and, with ``also``, further metrics stated by the same words)."""
        index = len(self.block.pieces)
        self.block.pieces.append(text)
        for m in (metric, *also):
            self._facts.append({"metric": m, "value": value, "unit": unit, "approx": approx,
                                "piece": (id(self.block), index)})
        return self


@functools.lru_cache(maxsize=1)
def _to_traditional():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("s2twp")


def finish(title: str, blocks: list[Block], facts: list[dict[str, Any]], traditional: bool,
           publisher: str, published: str) -> ReportText:
    """Convert to Traditional piece by piece if asked, and resolve each fact's quote."""
    convert = _to_traditional().convert if traditional else str
    if traditional:
        title = convert(title)
        publisher = convert(publisher)
        for b in blocks:
            b.pieces = [convert(p) for p in b.pieces]
            for grid in b.grids:
                for row in grid:
                    for cell in row:
                        cell.text = convert(cell.text)
    by_id = {id(b): b for b in blocks}
    for f in facts:
        if "cell" in f:  # a figure of an appended table: quoted by its row label, converted alike
            f["quote"] = convert(f.pop("cell"))
            continue
        block_id, index = f.pop("piece")
        f["quote"] = by_id[block_id].pieces[index]
    return ReportText(title, blocks, facts, publisher, published)


def report_title(organ: Organ, year: int, rng: random.Random) -> str:
    return rng.choice(TITLE_PATTERNS).format(organ=organ.name, year=year)


def _self_name(organ: Organ) -> str:
    """How a body refers to itself in prose (我局, 我镇, 本机关 …)."""
    name = organ.name
    for suffix, word in (("局", "我局"), ("厅", "我厅"), ("委员会", "我委"), ("镇人民政府", "我镇"),
                         ("乡人民政府", "我乡"), ("办事处", "我街道"), ("区人民政府", "我区"),
                         ("县人民政府", "我县"), ("市人民政府", "我市"), ("省人民政府", "我省"),
                         ("办公室", "我办"), ("办公厅", "我厅")):
        if name.endswith(suffix):
            return word
    return "本机关"


def _publication_date(year: int, rng: random.Random) -> str:
    """Reports are due by 31 January (2019 rules) or 31 March (2008 rules) of the next year."""
    month = rng.randint(1, 3)
    return f"{year + 1}-{month:02d}-{rng.randint(1, 28):02d}"


def _under(organ: Organ) -> str:
    """'在闽侯县委、县政府的正确领导下，' — how a report names the government above it."""
    if not organ.parent:
        return ""
    return f"在{organ.parent}委、{organ.parent}人民政府的正确领导下，"


def _intro(organ: Organ, year: int, facts: list[dict[str, Any]]) -> Block:
    return _Para(facts).add(
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{organ.name}{year}年度"
        f"政府信息公开工作年度报告。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"本报告电子版可在{organ.name}门户网站下载。如对本报告有疑问，请与{organ.name}办公室联系。").block


def standard_report(organ: Organ, year: int, fig: StandardFigures, layout: Layout, rng: random.Random
                    ) -> ReportText:
    """A standard-format report: six sections, tables 2–4, prose figures in sections 一 and 六."""
    facts: list[dict[str, Any]] = []
    we = _self_name(organ)
    headings = SECTION_HEADINGS[fig.fmt]
    blocks = [Block("title", [report_title(organ, year, rng)]), _intro(organ, year, facts)]
    blocks.append(Block("heading", [headings[0]]))
    proactive = max(fig.requests_received * 8, 5) + rng.randint(0, int(organ.scale * 30) + 20)
    text, value, approx = say_count(proactive, rng, "条", allow_approx=False)
    t3 = fig.table3
    received = t3["new_received"]["total"] or 0
    handled = t3["total_handled"]["total"] or 0
    forward = t3["carried_forward"]["total"] or 0
    overview = (_Para(facts).add(f"{year}年，{_under(organ)}{we}{rng.choice(FILLER_OVERVIEW)}。（一）主动公开。")
                .figure("proactive_total", f"全年主动公开政府信息{text}", value, "item", approx)
                .add("，主要通过政府网站、政务新媒体等渠道进行公开。（二）依申请公开。")
                .add(f"全年共收到政府信息公开申请{received}件，办结{handled}件，{forward}件结转下年度继续办理。")
                .add("（三）政府信息管理。严格落实信息发布保密审查制度。（四）平台建设。持续优化政府网站栏目设置。"))
    blocks.append(overview.block)
    for heading, table in ((headings[1], 2), (headings[2], 3), (headings[3], 4)):
        blocks.append(Block("heading", [heading]))
        if table == 2:
            grids = [table2_grid(fig, layout)]
        elif table == 3:
            grids = table3_grids(fig, layout)
        else:
            grids = [table4_grid(fig)]
        blocks.append(Block("table", grids=grids, table=table))
    blocks.append(Block("heading", [headings[4]]))
    blocks.append(_Para(facts).add(f"（一）存在的主要问题。{rng.choice(FILLER_PROBLEMS)}。"
                                   f"（二）改进情况。{rng.choice(FILLER_MEASURES)}。").block)
    blocks.append(Block("heading", [headings[5]]))
    para = _Para(facts)
    fee_word = "信息处理费" if fig.fmt == FORMAT_2021 else "费用"
    if rng.random() < 0.85:
        para.figure("fees_collected_yuan", f"{year}年度{we}未收取{fee_word}", 0, "yuan")
    else:
        fee_text, fee_value, unit = say_money(float(rng.choice((50, 100, 200, 380, 1200))), rng)
        para.figure("fees_collected_yuan", f"{year}年度{we}共收取{fee_word}{fee_text}", fee_value, unit)
    para.add("。")
    blocks.append(para.block)
    published = _publication_date(year, rng)
    blocks.append(Block("signature", [organ.name, _date_zh(published)]))
    return finish(blocks[0].text, blocks, facts, False, organ.name, published)


def _date_zh(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


NARRATIVE_SECTIONS = ("一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况",
                      "四、政府信息公开的收费及减免情况", "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
                      "六、存在的主要问题及改进措施")
# Share of narrative reports stating that no request was received (most small bodies).
NO_REQUESTS_SHARE = {"province": 0.0, "city": 0.05, "county": 0.3, "township": 0.8, "department": 0.5}


def narrative_report(organ: Organ, year: int, layout: Layout, rng: random.Random,
                     cumulative: dict[str, int] | None = None) -> ReportText:
    """A narrative report (2008–2018): figures in prose, worded in many ways.

    Some reports of the 2008 template append the statistics table (this year and 历年累计);
    ``cumulative`` carries the organ's running totals from one year to the next.
    """
    facts: list[dict[str, Any]] = []
    we = _self_name(organ)
    blocks = [Block("title", [report_title(organ, year, rng)]), _intro(organ, year, facts)]
    blocks.append(Block("heading", [NARRATIVE_SECTIONS[0]]))
    meetings, trainees = rng.randint(1, 6), rng.randint(10, 300)
    blocks.append(_Para(facts).add(
        f"{year}年，{_under(organ)}{we}{rng.choice(FILLER_OVERVIEW)}。全年召开专题会议{meetings}次，"
        f"组织业务培训{trainees}人次。").block)

    blocks.append(Block("heading", [NARRATIVE_SECTIONS[1]]))
    growth = 1.12 ** (year - 2008)
    proactive = int(organ.scale * 25 * growth * rng.lognormvariate(0, 0.5)) + rng.randint(3, 40)
    para = _Para(facts)
    text, value, approx = say_count(proactive, rng, "条")
    lead = rng.choice((f"{year}年，{we}共主动公开政府信息", "全年累计主动公开各类政府信息",
                       f"{year}年{we}主动公开信息"))
    para.figure("proactive_total", lead + text, value, "item", approx)
    website = proactive if rng.random() < 0.3 else int(proactive * rng.uniform(0.6, 0.98))
    channels = [("website", website)]
    rest = proactive - website
    for key, _ in rng.sample(CHANNELS[1:], k=rng.randint(0, 3)):
        part = int(rest * rng.uniform(0.1, 0.6))
        if part:  # channels partition the total: no item is counted twice
            channels.append((key, part))
            rest -= part
    para.add("。其中")
    wording = dict(CHANNELS)
    for i, (key, count) in enumerate(channels):
        text, value, approx = say_count(count, rng, "条", allow_approx=False)
        para.add("，" if i else "").figure(f"proactive_via_{key}", wording[key] + text, value, "item", approx)
    para.add("。")
    blocks.append(para.block)

    blocks.append(Block("heading", [NARRATIVE_SECTIONS[2]]))
    para = _Para(facts)
    if rng.random() < NO_REQUESTS_SHARE[organ.level]:
        para.figure("requests_received", rng.choice((f"{year}年，{we}未收到政府信息公开申请",
                                                     f"{year}年度{we}没有收到公民、法人或其他组织的政府信息公开申请",
                                                     f"本年度{we}未受理依申请公开政府信息")),
                    0, "request").add("。")
        requests = 0
        via, outcomes = [0] * len(REQUEST_CHANNELS), [0] * len(REQUEST_OUTCOMES)
    else:
        requests = max(int(organ.scale * growth * 0.4 * rng.lognormvariate(0, 0.6)), 1)
        text, value, approx = say_count(requests, rng, "件", allow_approx=False)
        para.figure("requests_received", rng.choice(("全年共受理政府信息公开申请", f"{year}年共收到信息公开申请",
                                                     "本年度受理依申请公开")) + text, value, "request", approx)
        via = _split(requests, len(REQUEST_CHANNELS), rng)
        stated = [(k, lbl, c) for (k, lbl), c in zip(REQUEST_CHANNELS, via, strict=True) if c]
        if len(stated) > 1:
            para.add("，其中")
            for i, (key, label, count) in enumerate(stated):
                para.add("，" if i else "").figure(f"requests_via_{key}", f"{label}{count}件", count, "request")
        para.add("。所有申请均已按期答复")
        outcomes = _split(requests, len(REQUEST_OUTCOMES), rng)
        for (metric, label), count in zip(REQUEST_OUTCOMES, outcomes, strict=True):
            if count:
                para.add("，").figure(metric, f"{label}{count}件", count, "request")
        para.add("。")
    blocks.append(para.block)

    blocks.append(Block("heading", [NARRATIVE_SECTIONS[3]]))
    para = _Para(facts)
    if requests == 0 or rng.random() < 0.75:
        para.figure("fees_collected_yuan", rng.choice((f"{year}年，{we}在政府信息公开工作中未收取任何费用",
                                                       "本年度未收取政府信息公开相关费用",
                                                       f"{we}对申请公开政府信息暂免收费")), 0, "yuan")
    else:
        fee_text, fee_value, unit = say_money(float(requests * rng.choice((5, 10, 20))), rng)
        para.figure("fees_collected_yuan", f"全年共收取检索、复制、邮寄等费用{fee_text}", fee_value, unit)
    para.add("。")
    blocks.append(para.block)

    blocks.append(Block("heading", [NARRATIVE_SECTIONS[4]]))
    para = _Para(facts)
    reconsideration = _count_cases(requests, rng)
    litigation = _count_cases(requests, rng)
    if reconsideration == 0 and litigation == 0:
        para.figure("reconsideration_total", rng.choice(
            (f"{year}年，{we}未发生因政府信息公开申请行政复议、提起行政诉讼的情况",
             f"{year}年度没有发生针对{we}政府信息公开的行政复议和行政诉讼")),
            0, "case", also=("litigation_total",))
    else:
        text, value, _ = say_count(reconsideration, rng, "件", allow_approx=False)
        para.figure("reconsideration_total", f"因政府信息公开申请行政复议{text}", value, "case")
        text, value, _ = say_count(litigation, rng, "件", allow_approx=False)
        para.add("，").figure("litigation_total", f"提起行政诉讼{text}", value, "case")
    para.add("。")
    blocks.append(para.block)

    blocks.append(Block("heading", [NARRATIVE_SECTIONS[5]]))
    blocks.append(_Para(facts).add(f"{rng.choice(FILLER_PROBLEMS)}。{rng.choice(FILLER_MEASURES)}。").block)
    this_year = {"proactive_total": proactive, **{f"proactive_via_{k}": v for k, v in channels},
                 "requests_received": requests, "requests_answered": requests,
                 "reconsideration_total": reconsideration, "litigation_total": litigation, "complaint_total": 0}
    for (key, _), count in zip(REQUEST_CHANNELS, via, strict=True):
        this_year[f"requests_via_{key}"] = count
    for (metric, _), count in zip(REQUEST_OUTCOMES, outcomes, strict=True):
        this_year[metric] = count
    running = _accumulate(this_year, {} if cumulative is None else cumulative, rng)
    if year <= LAST_STATISTICS_TABLE_YEAR and rng.random() < STATISTICS_TABLE_SHARE:
        blocks.append(Block("heading", [f"附件：{organ.name}{year}年政府信息公开情况统计表"]))
        blocks.append(_statistics_table(this_year, running, year, facts))
    published = _publication_date(year, rng)
    blocks.append(Block("signature", [organ.name, _date_zh(published)]))
    return finish(blocks[0].text, blocks, facts, layout.traditional, organ.name, published)


# The statistics table of the 2008 template (pingtan-county-2011: 指标名称 | 计量单位 | 2011年度 |
# 历年累计): (row label as printed, metric of the prose figure it repeats, gold unit). Appended to
# reports up to 2014, when the template was dropped.
STATISTICS_ROWS: tuple[tuple[str, str, str], ...] = (
    ("主动公开信息数", "proactive_total", "item"),
    ("其中：1.网站公开", "proactive_via_website", "item"),
    ("2.政府公报公开", "proactive_via_gazette", "item"),
    ("受理依申请公开信息总数", "requests_received", "request"),
    ("其中：1.当面申请数", "requests_via_in_person", "request"),
    ("2.传真申请数", "requests_via_fax", "request"),
    ("3.电子邮件申请数", "requests_via_email", "request"),
    ("4.网上申请数", "requests_via_online", "request"),
    ("5.信函申请数", "requests_via_letter", "request"),
    ("对申请的答复数", "requests_answered", "request"),
    ("其中：1.同意公开答复数", "requests_granted", "request"),
    ("2.同意部分公开答复数", "requests_partially_granted", "request"),
    ("3.否决公开答复数", "requests_denied", "request"),
    ("行政复议数", "reconsideration_total", "case"),
    ("行政诉讼数", "litigation_total", "case"),
    ("行政申诉数", "complaint_total", "case"),
)
LAST_STATISTICS_TABLE_YEAR = 2014
# Table number of the appended statistics table (standard tables are 2, 3 and 4).
STATISTICS_TABLE = 0
STATISTICS_TABLE_SHARE = 0.35


def _accumulate(this_year: dict[str, int], cumulative: dict[str, int], rng: random.Random
                ) -> dict[str, int]:
    """Add a year to the organ's running totals (历年累计), every year whether printed or not."""
    if not cumulative:  # first report on record: earlier years, in the same proportions
        factor = rng.randint(0, 4)
        cumulative.update({metric: this_year.get(metric, 0) * factor for _, metric, _ in STATISTICS_ROWS})
    for _, metric, _ in STATISTICS_ROWS:
        cumulative[metric] += this_year.get(metric, 0)
    return cumulative


def _statistics_table(this_year: dict[str, int], cumulative: dict[str, int], year: int,
                      facts: list[dict[str, Any]]) -> Block:
    """The appended table; its figures go to the truth as ``table_<metric>`` (and ``_cumulative``)."""
    grid: Grid = [[Cell("指标名称"), Cell("计量单位"), Cell(f"{year}年度"), Cell("历年累计")]]
    for label, metric, unit in STATISTICS_ROWS:
        value = this_year.get(metric, 0)
        grid.append([Cell(label), Cell("条"), Cell(str(value), is_value=True),
                     Cell(str(cumulative[metric]), is_value=True)])
        for key, figure in ((f"table_{metric}", value), (f"table_{metric}_cumulative", cumulative[metric])):
            facts.append({"metric": key, "value": figure, "unit": unit, "approx": False,
                          "from_table": True, "cell": label})
    return Block("table", grids=[grid], table=STATISTICS_TABLE)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """A count split in ``parts`` random parts, the first the largest, summing to total."""
    weights = [rng.uniform(2, 5)] + [rng.uniform(0, 1) if rng.random() < 0.5 else 0.0 for _ in range(parts - 1)]
    wsum = sum(weights)
    out = [int(total * w / wsum) for w in weights]
    out[0] += total - sum(out)
    return out


def _count_cases(requests: int, rng: random.Random) -> int:
    """Reconsiderations or suits after requests: none for most bodies, a few for busy ones."""
    if requests == 0 or rng.random() < 0.7:
        return 0
    return rng.randint(1, max(1, requests // 20))
