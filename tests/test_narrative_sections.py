"""Sections of narrative reports (pipelines/extract/sections.py), numbered oddly, not at all, or inline."""

from __future__ import annotations

from pathlib import Path

from pipelines.extract.sections import kinds_of, split_sections
from pipelines.normalise import normalise

FIXTURES = Path(__file__).parent / "fixtures" / "narrative"


def kinds_in_order(text: str) -> list[set[str]]:
    return [set(s.kinds) for s in split_sections(text) if s.kinds]


def test_heading_kinds() -> None:
    assert kinds_of("依申请公开政府信息和不予公开政府信息情况") == {"on_request", "denied"}
    # a fees heading mentions 依申请 and a review heading 申请; neither is a request section
    assert kinds_of("依申请公开政府信息收费及减免情况") == {"fees"}
    assert kinds_of("因政府信息公开申请行政复议、提起行政诉讼的情况") == {"review"}
    assert kinds_of("存在的主要问题及改进措施") == {"problems", "measures"}
    assert kinds_of("报告内容") == set()


def test_seed_headings_without_numbers_and_split_over_two_lines() -> None:
    # qingxin 2012 (Traditional, converted): unnumbered headings, '依申請公開' / '政府信息和不予公開…' on two
    # lines, then '五、' and '七、' with 六 missing.
    doc = normalise((FIXTURES / "qingxin-2012.txt").read_bytes(), ".txt", "seed")
    assert kinds_in_order(doc.text) == [
        {"proactive"}, {"on_request", "denied"}, {"fees"}, {"review"}, {"problems"}, {"measures"},
    ]


def test_one_line_report_with_inline_headings() -> None:
    # pingtan-county 2012: the whole body on one line, headings run into their text.
    doc = normalise((FIXTURES / "pingtan-county-2012.txt").read_bytes(), ".txt", "pingtan")
    kinds = kinds_in_order(doc.text)
    assert kinds[:3] == [{"overview"}, {"proactive"}, {"on_request"}]
    assert {"problems", "measures"} <= kinds[3]


def test_sub_heading_opens_a_section_only_when_it_names_one() -> None:
    text = "一、概述\n(一)强化组织领导\n我镇高度重视。\n(二)主动公开政府信息情况\n共发布信息177条。"
    sections = [s for s in split_sections(text) if s.kinds]
    assert [set(s.kinds) for s in sections] == [{"overview"}, {"proactive"}]


def test_numbering_that_skips_and_unknown_top_headings_close_a_section() -> None:
    # kaiping 2016: 一 → 三 (二 missing); '六、建议和提案办理结果情况' is no disclosure section.
    text = ("一、政府信息主动公开情况\n发布信息247条。\n三、依申请公开政府信息和不予公开政府信息情况\n收到1宗信息。\n"
            "六、建议和提案办理结果情况\n共收到建议20件。")
    sections = [s for s in split_sections(text) if s.level != "preamble"]
    assert [set(s.kinds) for s in sections] == [{"proactive"}, {"on_request", "denied"}, set()]


def test_items_inside_measures_do_not_open_sections() -> None:
    text = "五、存在的主要问题和改进措施\n一是人员少。\n1、进一步加强主动公开工作。\n2、规范依申请公开办理。"
    sections = [s for s in split_sections(text) if s.kinds]
    assert len(sections) == 1
