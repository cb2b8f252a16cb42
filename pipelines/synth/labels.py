"""Label texts of the national templates, as printed in real reports, with their vocabulary keys.

Copied from the corpus: table 3/4 from /work/shared/corpus/standard/shuyang-fgj-2023.html (2021
format) and shanghai-govoffice-2019.html (2019 trial format); table 2 from pingtan-2019-page.html
and pingtan-2023-page.html. Keys are those of ``pipelines/reference/metrics.csv``.
"""

from __future__ import annotations

FORMAT_2019 = "standard_2019"
FORMAT_2021 = "standard_2021"
NARRATIVE = "narrative"

# Table 3 applicant columns in printed order; ``total`` is the last column.
APPLICANTS: tuple[str, ...] = (
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total",
)
ORG_APPLICANTS: tuple[str, ...] = APPLICANTS[1:6]
PERSON_AND_ORGS: tuple[str, ...] = APPLICANTS[:6]

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANT_HEAD = "申请人情况"
T3_NATURAL_PERSON = "自然人"
T3_LEGAL_PERSON = "法人或其他组织"
T3_ORG_LABELS: tuple[str, ...] = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T3_TOTAL = "总计"

T3_NEW_RECEIVED = ("new_received", "一、本年新收政府信息公开申请数量")
T3_CARRIED_OVER = ("carried_over", "二、上年结转政府信息公开申请数量")
T3_RESULTS = "三、本年度办理结果"
T3_CARRIED_FORWARD = ("carried_forward", "四、结转下年度继续办理")

# Outcome rows under 三、本年度办理结果: (group label or None, [(metric, leaf label), …]). A group
# label is a rowspan cell beside its leaves; a row without a group spans both label columns.
OutcomeGroups = list[tuple[str | None, list[tuple[str, str]]]]

_OUTCOMES_HEAD: OutcomeGroups = [
    (None, [("granted", "（一）予以公开")]),
    (None, [("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]),
    ("（三）不予公开", [
        ("denied_state_secret", "1.属于国家秘密"),
        ("denied_law_forbidden", "2.其他法律行政法规禁止公开"),
        ("denied_three_safety_one_stability", "3.危及“三安全一稳定”"),
        ("denied_third_party_rights", "4.保护第三方合法权益"),
        ("denied_internal_affairs", "5.属于三类内部事务信息"),
        ("denied_process_info", "6.属于四类过程性信息"),
        ("denied_enforcement_case", "7.属于行政执法案卷"),
        ("denied_enforcement_query", "8.属于行政查询事项"),
    ]),
    ("（四）无法提供", [
        ("unable_not_held", "1.本机关不掌握相关政府信息"),
        ("unable_needs_creation", "2.没有现成信息需要另行制作"),
        ("unable_unclear_after_correction", "3.补正后申请内容仍不明确"),
    ]),
    ("（五）不予处理", [
        ("not_processed_petition_complaint", "1.信访举报投诉类申请"),
        ("not_processed_repeated", "2.重复申请"),
        ("not_processed_publication", "3.要求提供公开出版物"),
        ("not_processed_bulk_unreasonable", "4.无正当理由大量反复申请"),
        ("not_processed_confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息"),
    ]),
]
_TOTAL_HANDLED: OutcomeGroups = [(None, [("total_handled", "（七）总计")])]

# 2019 trial format has one 其他处理 row; 2021 splits it in three.
OUTCOMES: dict[str, OutcomeGroups] = {
    FORMAT_2019: _OUTCOMES_HEAD + [(None, [("other_processing", "（六）其他处理")])] + _TOTAL_HANDLED,
    FORMAT_2021: _OUTCOMES_HEAD + [("（六）其他处理", [
        ("other_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_other", "3.其他"),
    ])] + _TOTAL_HANDLED,
}


def outcome_metrics(fmt: str) -> list[str]:
    """Outcome rows of table 3 in printed order, without (七)总计."""
    return [m for _, leaves in OUTCOMES[fmt] for m, _ in leaves if m != "total_handled"]


def table3_metrics(fmt: str) -> list[str]:
    """Every table-3 row key in printed order."""
    return ["new_received", "carried_over", *outcome_metrics(fmt), "total_handled", "carried_forward"]


# Table 4: proceedings (with their header) and results in printed order.
T4_RECONSIDERATION = "行政复议"
T4_LITIGATION = "行政诉讼"
T4_PROCEEDINGS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_reconsideration", "复议后起诉"),
)
T4_RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
    ("total", "总计"),
)
TABLE4_METRICS: tuple[str, ...] = tuple(f"{p}_{r}" for p, _ in T4_PROCEEDINGS for r, _ in T4_RESULTS)

# Table 2 sections: (heading, header row labels, [(item key, item label), …], column keys). The
# column keys give the metric ``<item>_<column>``; the first header label is always 信息内容.
T2_CONTENT = "信息内容"
Table2Section = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]

TABLE2: dict[str, tuple[Table2Section, ...]] = {
    FORMAT_2021: (
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
         (("regulations", "规章"), ("normative_documents", "行政规范性文件")),
         ("issued", "repealed", "in_force")),
        ("第二十条第（五）项", ("本年处理决定数量",),
         (("administrative_licensing", "行政许可"),), ("decisions",)),
        ("第二十条第（六）项", ("本年处理决定数量",),
         (("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")), ("decisions",)),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",),
         (("administrative_fees", "行政事业性收费"),), ("amount_10k_yuan",)),
    ),
    FORMAT_2019: (
        ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
         (("regulations", "规章"), ("normative_documents", "规范性文件")),
         ("new_made", "new_published", "total_published")),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("administrative_licensing", "行政许可"), ("other_external_services", "其他对外管理服务事项")),
         ("previous_year_count", "change", "decisions")),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")),
         ("previous_year_count", "change", "decisions")),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/减"),
         (("administrative_fees", "行政事业性收费"),), ("previous_year_count", "change")),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额"),
         (("government_procurement", "政府集中采购"),), ("items", "amount_yuan")),
    ),
}
# 2021 reports print 行政规范性文件 or, like shuyang-fgj-2023, plain 规范性文件.
NORMATIVE_DOCUMENTS_VARIANTS = ("行政规范性文件", "规范性文件")

UNITS = {"amount_10k_yuan": "10k_yuan", "amount_yuan": "yuan"}


def table2_unit(column: str) -> str:
    return UNITS.get(column, "item")


SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    FORMAT_2021: ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                  "六、其他需要报告的事项"),
    FORMAT_2019: ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                  "六、其他需要报告的事项"),
}
