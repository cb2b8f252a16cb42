"""The appended statistics table, flattened with no cell separators (pipelines/extract/narrative_table.py).

Table strings are copied from real pages (pingtan-county 2011/2012, pingtan county finance bureau 2011).
"""

from __future__ import annotations

from pipelines.extract.narrative import extract_narrative
from pipelines.extract.narrative_table import find_flat_tables, resolve
from pipelines.normalise import normalise

COUNTY_2011 = (
    "附件1：平潭县人民政府2011年政府信息公开情况统计表 指标名称计量单位2011年度历年累计主动公开信息数条4251516"
    "其中：1.网站公开条41815092.政府公报公开条77受理依申请公开信息总数条00其中：1.当面申请数条002.传真申请数条00"
    "对申请的答复数条00行政复议数条00行政诉讼数条00行政申诉数条00"
)
COUNTY_2012_REQUESTS = (
    "指标名称计量单位2012年度历年累计受理依申请公开信息总数条2121其中：1.当面申请数条18182.传真申请数条00"
    "3.电子邮件申请数条334.网上申请数条00"
)
FINANCE_2011 = (
    "七、需要说明的事项与附表指 标 名 称单位数量主动公开信息数条20正式受理政府信息公开申请数件0其中：1．在办件02．办结件0"
    "受理政府信息公开工作行政复议数件0收到政府信息公开工作行政诉讼数件0"
)


def rows_of(text: str, prose: set[float] | None = None, by_metric: dict[str, float] | None = None):
    doc = normalise(text.encode("utf-8"), ".txt", "t")
    (table,) = find_flat_tables(doc.text)
    resolve(table, prose or set(), by_metric or {})
    return table


def test_glued_list_numbers_and_two_columns_split_by_the_tables_own_sums() -> None:
    table = rows_of(COUNTY_2011)
    got = {r.label: r.value for r in table.rows}
    # 425 = 418 + 7 and 1516 = 1509 + 7 is the only reading of '4251516' / '41815092.' / '77'.
    assert got["主动公开信息数"] == (425, 1516)
    assert got["网站公开"] == (418, 1509)
    assert got["政府公报公开"] == (7, 7)
    assert got["传真申请数"] == (0, 0)
    assert table.ambiguous == []


def test_parts_are_read_by_the_sum_of_the_whole() -> None:
    # '2121' alone could be 2|121 or 21|21; 18|18 + 0 + 3|3 + 0 = 21|21 settles all.
    table = rows_of(COUNTY_2012_REQUESTS)
    got = {r.label: r.value for r in table.rows}
    assert got["受理依申请公开信息总数"] == (21, 21)
    assert got["当面申请数"] == (18, 18)
    assert got["电子邮件申请数"] == (3, 3)


def test_one_column_table_with_list_numbers_glued_on() -> None:
    table = rows_of(FINANCE_2011)
    got = {r.label: r.value for r in table.rows}
    assert table.n_columns == 1
    assert got["在办"] == (0,) and got["办结"] == (0,)
    assert got["主动公开信息数"] == (20,)


def test_ambiguous_split_is_warned_not_guessed() -> None:
    # '991992' reads as 99 | 1992 or 991 | 992: both plausible, nothing in the report decides.
    text = "指标名称计量单位2012年度历年累计主动公开信息数条991992行政复议数条00"
    table = rows_of(text)
    assert [r.label for r in table.ambiguous] == ["主动公开信息数"]
    result = extract_narrative(normalise(text.encode("utf-8"), ".txt", "t"))
    assert "table_proactive_total" not in {f.metric for f in result.facts}
    assert any(w.code == "ambiguous_table_split" for w in result.warnings)


def test_plausible_split_is_kept_with_a_warning_and_not_promoted() -> None:
    # '1818' is 1 | 818 or 18 | 18; a cumulative 818 times the year is implausible, so 18 | 18 — warned,
    # and not taken as the report's proactive_total.
    text = "指标名称计量单位2012年度历年累计主动公开信息数条1818行政复议数条00"
    result = extract_narrative(normalise(text.encode("utf-8"), ".txt", "t"))
    got = {f.metric: f.value for f in result.facts}
    assert got["table_proactive_total"] == 18 and "proactive_total" not in got
    assert any(w.code == "table_split_by_plausibility" for w in result.warnings)


def test_approximate_prose_figure_confirms_a_split() -> None:
    # synthetic 2012 report: the prose says '近2000条', the table '19159024' with website '117273532.'
    text = ("二、主动公开政府信息情况\n全年累计主动公开各类政府信息近2000条。\n"
            "指标名称计量单位2012年度历年累计主动公开信息数条19159024其中：1.网站公开条117273532.政府公报公开条0319")
    got = {f.metric: f.value for f in extract_narrative(normalise(text.encode("utf-8"), ".txt", "t")).facts}
    assert got["table_proactive_total"] == 1915 and got["table_proactive_total_cumulative"] == 9024
    assert got["table_proactive_via_website"] == 1172


def test_prose_figure_settles_a_split() -> None:
    table = rows_of("指标名称计量单位2012年度历年累计主动公开信息数条1818行政复议数条00", by_metric={"proactive_total": 18})
    assert table.rows[0].value == (18, 18)


def test_table_facts_have_row_evidence_and_core_keys_when_prose_is_silent() -> None:
    result = extract_narrative(normalise(FINANCE_2011.encode("utf-8"), ".txt", "t"))
    facts = {f.metric: f for f in result.facts}
    assert facts["table_reconsideration_total"].value == 0
    assert facts["reconsideration_total"].value == 0  # no prose statement: the table's figure stands
    assert "受理政府信息公开工作行政复议数件0" in facts["reconsideration_total"].evidence
    assert facts["table_requests_pending"].evidence.startswith("其中：1．在办件0")


def test_prose_and_table_disagreeing_is_warned() -> None:
    text = ("二、主动公开政府信息情况 2012年主动公开政府信息1913条。 "
            "统计表 指标名称 计量单位 2012年度 历年累计 主动公开信息数 条 739 4359 其中：1、网站公开 条 739 4359")
    result = extract_narrative(normalise(text.encode("utf-8"), ".txt", "t"))
    facts = {f.metric: f.value for f in result.facts}
    assert facts["proactive_total"] == 1913 and facts["table_proactive_total"] == 739
    assert any(w.code == "prose_table_mismatch" for w in result.warnings)


# The 2014 national template (统计指标 / 单位 / 统计数) flattened: group headings between rows, 人 and 万元
# units, list numbers glued on, a decimal amount.
NATIONAL_2014 = (
    "政府信息公开情况统计表 统计指标单位统计数一、主动公开情况（一）主动公开政府信息数条156其中：主动公开规范性文件数条12"
    "（二）通过不同渠道和方式公开政府信息的情况1.政府公报公开政府信息数条02.政府网站公开政府信息数条1503.政务微博公开政府信息数条0"
    "三、依申请公开情况（一）收到申请数件51.当面申请数件32.传真申请数件03.网络申请数件2"
    "四、行政复议数量件0五、行政诉讼数量件1七、依申请公开信息收取的费用万元0"
    "（三）从事政府信息公开工作人员数人31.专职人员数人12.兼职人员数人2（四）政府信息公开专项经费万元2.5"
)


def test_national_template_rows() -> None:
    result = extract_narrative(normalise(NATIONAL_2014.encode("utf-8"), ".txt", "t"))
    got = {f.metric: f.value for f in result.facts}
    assert got["table_proactive_total"] == 156 and got["proactive_total"] == 156
    assert got["table_proactive_via_website"] == 150
    assert got["table_requests_received"] == 5 and got["table_requests_via_online"] == 2
    assert got["litigation_total"] == 1 and got["reconsideration_total"] == 0
    assert got["fees_collected_yuan"] == 0
    assert got["table_staff_part_time"] == 2
    assert got["table_disclosure_budget_yuan"] == 25000


ONE_ROW_PER_LINE = ("附件：统计表\n指标名称 计量单位 2013年度 历年累计\n主动公开信息数 条 1871 4863\n其中：1.网站公开 条 1626 4396\n"
                    "2.政府公报公开 条 0 0\n行政复议数 条 0 0\n大竹县人民政府办公室\n2014年3月27日\n")
ONE_CELL_PER_LINE = "指标名称\n计量单位\n2012年度\n历年累计\n主动公开信息数\n条\n2419\n2419\n其中：1.网站公开\n条\n2362\n2362\n资阳市人民政府\n"
PIPE_ROWS = ("| 指標名稱 | 計量單位 | 2012年度 | 歷年累計 |\n| 主動公開資訊數 | 條 | 7270 | 21201 |\n"
             "| 其中：1.網站公開 | 條 | 5127 | 16252 |\n湖南省人民政府\n")


def test_tables_kept_one_row_or_one_cell_per_line_or_as_pipe_rows() -> None:
    for text, total, website in ((ONE_ROW_PER_LINE, 1871, 1626), (ONE_CELL_PER_LINE, 2419, 2362),
                                 (PIPE_ROWS, 7270, 5127)):
        result = extract_narrative(normalise(text.encode("utf-8"), ".txt", "t"))
        got = {f.metric: f.value for f in result.facts}
        assert got["table_proactive_total"] == total, text
        assert got["table_proactive_via_website"] == website, text
    pipe = extract_narrative(normalise(PIPE_ROWS.encode("utf-8"), ".txt", "t"))
    (f,) = [f for f in pipe.facts if f.metric == "table_proactive_total"]
    assert f.evidence == "主動公開資訊數 條 7270 21201"  # the row as printed, in its own script
