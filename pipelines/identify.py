"""Stage 3, identify: who reported, for which year, at which level, in which format.

Reads the normalised :class:`~pipelines.model.Document` and returns a
:class:`~pipelines.model.ReportMeta`. The organ is taken as printed in the title; the region is
resolved from the place names it holds; the year is the year reported on (not the publication year).
"""

from __future__ import annotations

import re

from pipelines.model import Document, ReportMeta

_TITLE = re.compile(r"([\u4e00-\u9fff()（）·]{2,40}?)\s*(\d{4})\s*年度?\s*政府信息公开(?:工作)?(?:年度)?报告")
_YEAR_IN_TITLE = re.compile(r"(\d{4})\s*年度?\s*政府信息公开")

# Labels only the standard tables carry (2019 trial and 2021 formats).
_STANDARD_MARKERS = ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年新收")
# Labels only the 2021 revised table carries.
_FORMAT_2021_MARKERS = ("本年制发件数", "三类内部事务", "本年废止件数", "逾期不补正", "现行有效件数")
_FORMAT_2019_MARKERS = ("本年新制作数量", "上一年项目数量", "对外公开总数量")


def detect_format(doc: Document, year: int | None) -> str:
    text = doc.text
    standard = any(m in text for m in _STANDARD_MARKERS) and (year is None or year >= 2019)
    if not standard:
        return "narrative"
    if any(m in text for m in _FORMAT_2021_MARKERS):
        return "standard_2021"
    if any(m in text for m in _FORMAT_2019_MARKERS):
        return "standard_2019"
    return "standard_2021" if (year or 0) >= 2021 else "standard_2019"


def identify(doc: Document) -> ReportMeta:
    head = (doc.title + "\n" + doc.text[:3000]) if doc.title else doc.text[:3000]
    organ = year = None
    m = _TITLE.search(head)
    if m:
        organ = m.group(1)
        year = int(m.group(2))
    else:
        y = _YEAR_IN_TITLE.search(head)
        if y:
            year = int(y.group(1))
    fmt = detect_format(doc, year)
    return ReportMeta(organ=organ, organ_as_printed=organ, year=year, format=fmt, title=doc.title or None)
