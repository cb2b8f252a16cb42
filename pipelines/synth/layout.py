"""How a synthetic report is laid out: the publishers' habits seen in the real corpus, as options.

Each option names a quirk documented in a corpus ``*.meta.json`` so a parser failure on a
synthetic report points at the real layout it imitates.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields
from typing import Any

# Renderings of a standard report (narrative reports are text or plain HTML).
HTML, TXT, PDF, DOCX = "html", "txt", "pdf", "docx"
NARRATIVE = "narrative"
RENDERINGS = (HTML, TXT, PDF, DOCX)
ALL_KINDS = (*RENDERINGS, NARRATIVE)

# Flattened-table styles of text renderings: pipe rows (shijiazhuang-edu-2021-pagesexcerpt),
# space-separated cells (pingtan-econdev-2021), label and each number on its own line (PDF text
# of district-audit-2020-flipbook-p9).
TEXT_PIPE, TEXT_SPACES, TEXT_LINES = "pipe", "spaces", "lines"
TEXT_STYLES = (TEXT_PIPE, TEXT_SPACES, TEXT_LINES)


@dataclass(frozen=True)
class Layout:
    """Rendering choices for one report. Defaults give the plainest layout."""

    # Word-pasted markup: <p class=MsoNormal><span style=…> in every cell, <o:p> tags, mso styles
    # (pingtan-2019-page, pingtan-2021-page, shuyang-fgj-2023).
    word_markup: bool = False
    # Table 3 printed as two <table> elements at a page break, its row label repeated.
    split_table3: bool = False
    # 三、本年度办理结果 as two rowspan cells in one table (pingtan-2019-page, pingtan-2020-page).
    results_label_twice: bool = False
    # Table 3 header as in pingtan-2021-page: 自然人 colspan=2 over an empty cell, and every
    # 商业企业 value in a colspan=2 cell (a naive grid puts 商业企业 half under 自然人).
    wide_commercial_column: bool = False
    # Word runs as <font face="仿宋_GB2312"> instead of <span style=…> (pingtan-2021-page).
    font_tags: bool = False
    # Labels broken across spans, <p> and <br/> ('三','、本','年'…; '结果<br/>纠正').
    split_labels: bool = False
    # &nbsp; runs before or after numbers ('&nbsp;5', '0' + 7×&nbsp;).
    nbsp_padding: bool = False
    # A number written as two spans ('2'+'0') (pingtan-2020-page).
    split_digits: bool = False
    # Site navigation, breadcrumb, share links and footer around the article.
    chrome: bool = True
    # 2021 table 2 label: 行政规范性文件, or plain 规范性文件 (shuyang-fgj-2023).
    normative_label: str = "行政规范性文件"
    # HTML/text encoding: utf-8, or gb18030 declared in a <meta charset>.
    encoding: str = "utf-8"
    # Text renderings: how tables are flattened.
    text_style: str = TEXT_PIPE
    # Text renderings: pipe rows pad colspan cells with empty cells ('| 第二十条 第(一)项 | |||').
    pipe_fill: bool = False
    # Text renderings: a crawler header (标题/发布时间/… ===== 正文 =====) before the body.
    crawler_header: bool = False
    # Narrative text: the appended statistics table glued into one run with no separators, as the
    # crawler left it in pingtan-county-2011 ('主动公开信息数条4251516其中：1.网站公开条4181509…').
    glued_statistics_table: bool = False
    # Narrative: Traditional script (s2twp), as nanjing-police-2011 and turpan-police-2012.
    traditional: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def allows_blank_cells(self) -> bool:
        """Space- or line-separated text cannot show an empty cell, so its tables print every zero."""
        return self.text_style == TEXT_PIPE

    @classmethod
    def option_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


# Shares of reports showing each quirk (rough frequencies in the corpus and in crawled archives).
WORD_MARKUP_SHARE = 0.35
SPLIT_TABLE_SHARE = 0.08
RESULTS_LABEL_TWICE_SHARE = 0.1
WIDE_COMMERCIAL_SHARE = 0.05
GB18030_SHARE = 0.1
CRAWLER_HEADER_SHARE = 0.4
TRADITIONAL_SHARE = 0.2


def random_layout(rng: random.Random, rendering: str) -> Layout:
    """Draw layout options for one report of a given rendering."""
    word = rng.random() < WORD_MARKUP_SHARE
    split = rng.random() < SPLIT_TABLE_SHARE
    traditional = rendering == NARRATIVE and rng.random() < TRADITIONAL_SHARE
    return Layout(
        word_markup=word,
        split_table3=split,
        results_label_twice=not split and rng.random() < RESULTS_LABEL_TWICE_SHARE,
        wide_commercial_column=rendering in (HTML, DOCX) and rng.random() < WIDE_COMMERCIAL_SHARE,
        font_tags=word and rng.random() < 0.3,
        split_labels=word and rng.random() < 0.5,
        nbsp_padding=word and rng.random() < 0.4,
        split_digits=word and rng.random() < 0.2,
        chrome=rng.random() < 0.8,
        normative_label=rng.choice(("行政规范性文件", "行政规范性文件", "规范性文件")),
        # Traditional texts are published in UTF-8 or Big5, never GB18030.
        encoding="gb18030" if rendering in (HTML, TXT, NARRATIVE) and not traditional
        and rng.random() < GB18030_SHARE else "utf-8",
        text_style=rng.choice(TEXT_STYLES),
        pipe_fill=rng.random() < 0.5,
        crawler_header=rng.random() < CRAWLER_HEADER_SHARE,
        glued_statistics_table=rendering == NARRATIVE and rng.random() < 0.5,
        traditional=traditional,
    )
