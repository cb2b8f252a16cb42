"""Row and column labels of the standard tables (pipelines/reference/table_labels.csv).

Labels are copied as printed from the corpus (file named in each case); doc.text is already
Simplified and half-width, so the labels here are too.
"""

from __future__ import annotations

import csv

import pytest

from pipelines.extract.labels import LABELS_CSV, TABLE3_ROWS, fold_label, match_label, row_pattern
from pipelines.extract.table_crosswalk import comparable_metrics, crosswalk, to_2021_terms
from pipelines.vocabulary import applicants, metrics


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("一、本年新收政府信息公开申请数量", "new_received"),  # pingtan-2021-page.html
        ("二、上年结转政府信息公开申请数量", "carried_over"),
        ("(一)予以公开", "granted"),
        ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "partially_granted"),
        ("1.属于国家秘密", "denied_state_secret"),
        ("2.其他法律行政法规禁止公开", "denied_law_forbidden"),
        ("3.危及“三安全一稳定”", "denied_three_safety_one_stability"),
        ("5.属于三类内部事务信息", "denied_internal_affairs"),
        ("7.属于行政执法案卷", "denied_enforcement_case"),
        ("1.本机关不掌握相关政府信息", "unable_not_held"),
        ("2.没有现成信息 需要另行制作", "unable_needs_creation"),  # split across spans (pingtan-2019-page)
        ("4.无正当理由大量反复申请", "not_processed_bulk_unreasonable"),
        ("5.要求行政机关确认或重新出具已获取信息", "not_processed_confirm_or_reissue"),
        ("(六)其他处理", "other_processing"),  # 2019 trial: one row
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_overdue_correction"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_fee_unpaid"),
        ("3.其他", "other_other"),
        ("其他", "other_other"),  # the number lost (pingtan-social-affairs-2021.txt)
        ("(七)总计", "total_handled"),
        ("四、结转下年度继续办理", "carried_forward"),
        ("1、属于国家秘密", "denied_state_secret"),  # 1、 numbering
        ("（三）不予公开 1．属于国家秘密", "denied_state_secret"),
    ],
)
def test_table3_row_labels(label: str, key: str) -> None:
    assert match_label(label, 3, "row") == key


@pytest.mark.parametrize("label", ["申请人情况", "自然人", "法人或其他组织", "三、本年度办理结果", ""])
def test_table3_non_row_labels(label: str) -> None:
    assert match_label(label, 3, "row") is None


@pytest.mark.parametrize(
    ("label", "key"),
    [("自然人", "natural_person"), ("商业 企业", "commercial"), ("科研机构", "research"),
     ("社会公益组织", "social_welfare"), ("法律服务机构", "legal_service"), ("其他", "other_org"),
     ("总计", "total"), ("法人小计", "legal_subtotal"), ("法人或其他组织", None)],
)
def test_applicant_columns(label: str, key: str | None) -> None:
    assert match_label(label, 3, "applicant") == key


@pytest.mark.parametrize(
    ("label", "kind", "key"),
    [
        ("规章", "item", "regulations"),
        ("行政规范性文件", "item", "normative_documents"),
        ("规范性文件", "item", "normative_documents"),  # shuyang-fgj-2023.html, 2019 trial
        ("其他对外管理服务事项", "item", "other_external_services"),
        ("行政事业性收费", "item", "administrative_fees"),
        ("政府集中采购", "item", "government_procurement"),
        ("本年制发件数", "column", "issued"),
        ("本年废纸件数", "column", "repealed"),  # typo in pingtan-police-2021.txt
        ("现行有效件数(历史累计)", "column", "in_force"),
        ("本年新 制作数量", "column", "new_made"),  # header split by <br/> (pingtan-2020-page.html)
        ("本年增/减", "column", "change"),
        ("本年收费金额(单位:万元)", "column", "amount_10k_yuan"),
        ("采购总金额", "column", "amount_yuan"),
        ("信息内容", "column", None),
    ],
)
def test_table2_labels(label: str, kind: str, key: str | None) -> None:
    assert match_label(label, 2, kind) == key


@pytest.mark.parametrize(
    ("printed", "folded"),
    [("三、本年度办理结果 (一)予以公开", "本年度办理结果(一)予以公开"),  # only the leading number goes
     ("（三）不予公开", "不予公开"), ("1. 属于国家秘密", "属于国家秘密"), ("3.危及“三安全一稳定”", "危及三安全一稳定")],
)
def test_fold_label(printed: str, folded: str) -> None:
    assert fold_label(printed) == folded


def test_every_label_key_is_in_the_vocabulary() -> None:
    """A key in table_labels.csv that the vocabulary lacks would produce facts nobody can load."""
    known_metrics = metrics()
    known_applicants = set(applicants()) | {"legal_subtotal"}
    with open(LABELS_CSV, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["kind"] == "row":
                assert r["key"] in known_metrics, r
            elif r["kind"] == "applicant":
                assert r["key"] in known_applicants, r
            elif r["kind"] == "prose":
                assert r["key"] in known_metrics, r


def test_every_table3_row_has_a_pattern() -> None:
    for key in TABLE3_ROWS:
        assert row_pattern(key).pattern, key


def test_crosswalk_metrics_exist_in_their_format() -> None:
    known = metrics()
    for row in crosswalk():
        if row.metric_2019:
            assert "standard_2019" in known[row.metric_2019].formats, row
        for m in row.metrics_2021:
            assert "standard_2021" in known[m].formats, row


def test_crosswalk_keeps_formats_apart() -> None:
    pairs = comparable_metrics()
    assert pairs["other_processing"] == ("other_overdue_correction", "other_fee_unpaid", "other_other")
    assert pairs["granted"] == ("granted",)
    # 对外公开总数量 is not 现行有效件数: not usable for a comparison.
    assert "regulations_total_published" not in pairs
    assert to_2021_terms({"granted": 7, "other_processing": 3}) == {"granted": 7}
