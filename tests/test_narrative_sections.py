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


def test_a_heading_glued_to_a_flattened_table_still_opens_its_section() -> None:
    # 平潭综合实验区 2024 as a crawler flattened it (pingtan.gov.cn t20250310_97791): table 4's cells run
    # straight into the heading of section 五.
    from pipelines.extract.narrative import extract_standard_prose
    from pipelines.normalise import normalise

    text = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持总计21317000001324019"
            "五、存在的主要问题及改进情况2024年，实验区政府信息公开工作取得了新进展新成果。2025年，将重点从以下方面"
            "做好改进：一是优化主动公开目录，进一步明确政府信息公开的范围和内容。二是增强政策解读效果，进一步丰富"
            "政策解读形式。三是加快数字化转型，提升政务公开的效率和质量。六、其他需要报告的事项2024年，无收取信息处理费情况。")
    doc = normalise(text.encode(), ".txt", "fragment")
    kinds = [s.kinds for s in split_sections(doc.text)]
    assert frozenset({"problems", "measures"}) in kinds and frozenset({"other_matters"}) in kinds
    result = extract_standard_prose(doc, [])
    assert [m[:4] for m in result.measures] == ["优化主动", "增强政策", "加快数字"]
    assert ("fees_collected_yuan", 0) in [(f.metric, f.value) for f in result.facts]


def test_a_number_glued_to_text_is_no_heading_without_a_section_title() -> None:
    doc_text = "全年共受理申请三、四件,均已办结。"
    assert [s.level for s in split_sections(doc_text)] == ["preamble"]
