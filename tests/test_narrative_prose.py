"""Prose figures of narrative reports (pipelines/extract/narrative.py): real sentences, one pattern each.

Each case is a short report (heading + sentence) as printed; the expected facts are what a reader of
the sentence would write down, and the forbidden ones what a naive reader would wrongly take.
"""

from __future__ import annotations

import pytest

from pipelines.extract.narrative import extract_narrative, extract_standard_prose
from pipelines.model import Document, Fact
from pipelines.normalise import normalise


def doc_of(text: str) -> Document:
    return normalise(text.encode("utf-8"), ".txt", "test")


def facts_of(text: str) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = {}
    for f in extract_narrative(doc_of(text)).facts:
        out.setdefault(f.metric, []).append(f)
    return out


def values(text: str) -> dict[str, float | int | None]:
    return {k: v[0].value for k, v in facts_of(text).items()}


CASES = [
    # qingxin 2012 (seed): the nearest phrase governs, not the first number of the sentence.
    ("二、主动公开政府信息的情况\n2012年,全区共主动公开政府信息27786条,其中,通过清新门户网站及其网站群公开信息25477条,"
     "占信息总数的91.7%;通过清新广播电视台播放政务新闻324期,公开信息2064条;",
     {"proactive_total": 27786, "proactive_via_website": 25477, "proactive_via_website_share": 91.7,
      "proactive_via_broadcast_tv": 2064, "broadcast_tv_issues": 324}, set()),
    ("二、主动公开政府信息的情况\n印发《清新区人民政府公报》4期1400册,公开区政府与区政府办公室文件信息42条;"
     "制作区政府政务公开栏11期,公开信息48条;编辑《政务信息》30期,公开信息155条。",
     {"proactive_via_gazette": 42, "gazette_issues": 4, "gazette_copies": 1400, "proactive_via_bulletin_board": 48,
      "bulletin_board_issues": 11, "proactive_via_newsletter": 155, "newsletter_issues": 30}, {"proactive_total"}),
    ("三、依申请公开情况\n2012年,全区共受理了7起政府信息公开申请,全部在规定的时限内认真处理答复。",
     {"requests_received": 7, "requests_answered": 7}, set()),
    # pingtan-county 2012: outcomes and how requests arrived.
    ("三、政府信息依申请公开工作情况 2012年全县共收到有关政府信息公开的申请21条，其中当面申请数18条，电子邮件申请数3条；"
     "对依申请公开的答复总数21条，其中同意公开答复数17条，其它公开答复数2条，免于公开答复数2条；"
     "未收到有关政府信息公开行政复议申请。",
     {"requests_received": 21, "requests_via_in_person": 18, "requests_via_email": 3, "requests_answered": 21,
      "requests_granted": 17, "requests_other": 2, "requests_denied": 2, "reconsideration_total": 0}, set()),
    # huli 2018: produced = proactive + on-request items + not-public items; none of them are requests.
    ("一、概述\n2018年,共制作政府信息3021条,其中主动公开信息1027条,依申请公开信息459条,不予公开信息1535条。",
     {"info_produced_total": 3021, "proactive_total": 1027, "info_designated_on_request_only": 459,
      "info_designated_not_public": 1535}, {"requests_received", "requests_denied"}),
    # pingtan-county 2011: parts of the body, their shares, and a number with no measure word.
    ("二、主动公开政府信息情况 2011年制作、获取政府信息总数1873条，其中主动公开政府信息425条，作为依申请公开信息数46条，"
     "不予公开信息数1402。主动公开的政府信息，县直各单位主动公开政府信息303条，占71.3%。各乡镇主动公开政府信息122条，占28.7%。",
     {"proactive_total": 425, "info_designated_not_public": 1402, "proactive_by_county_departments": 303,
      "proactive_by_county_departments_share": 71.3, "proactive_by_townships": 122,
      "proactive_by_townships_share": 28.7}, set()),
    # dazhu 2016: the only proactive figure is one channel; it is the total too. Categories after 其中.
    ("二、主动公开信息情况\n2016年我乡通过政府门户网站主动公开信息138条。其中:概况3条,政策文件信息31条,其他信息22条。",
     {"proactive_total": 138, "proactive_via_website": 138, "proactive_cat_overview": 3,
      "proactive_cat_policy_documents": 31, "proactive_cat_other": 22}, set()),
    # daoxian 2013: withheld information items are not denied requests.
    ("二、依申请公开信息的情况和不予公开信息的情况\n2013年度没有依申请公开信息的情况。不予公开信息有10条,主要是人事安排的信息。",
     {"requests_received": 0, "info_designated_not_public": 10}, {"requests_denied"}),
    # fees
    ("四、收费及减免情况\n本年度共收取检索费、复制费等费用120元,减免费用30元。",
     {"fees_collected_yuan": 120, "fees_waived_yuan": 30}, set()),
    ("四、收费及减免情况\n收取信息公开费用0.5万元。", {"fees_collected_yuan": 5000}, set()),
    # statements of none, each only for the metric it is about
    ("四、政府信息公开的收费及减免情况\n2012年没有发生政府信息公开的收费及减免情况。",
     {"fees_collected_yuan": 0, "fees_waived_yuan": 0}, {"requests_received"}),
    ("四、复议、诉讼和申诉情况\n2017年,我镇没有因政府信息公开申请行政复议、诉讼和申诉的情况发生。",
     {"reconsideration_total": 0, "litigation_total": 0, "complaint_total": 0}, {"requests_received"}),
    ("四、政府信息公开的收费及减免情况\n2016年,没有向政府信息公开申请人收费的情况,未产生政府信息公开事务诉讼相关的费用支出。",
     {"fees_collected_yuan": 0}, {"litigation_total", "requests_received"}),
    ("三、政府信息公开的收费及减免情况。\n根据上级统一部署,我镇对申请公开政府信息暂免收费。", {"fees_collected_yuan": 0}, set()),
    ("五、因信息公开申请行政复议、提起行政诉讼情况 2011年，全年没有发生因政府信息公开申请行政复议和提起行政诉讼案件。",
     {"reconsideration_total": 0, "litigation_total": 0}, {"requests_received"}),
    ("六、其他需要报告的事项\n2021年，无收取信息处理费情况。", {"fees_collected_yuan": 0}, set()),
    # bengbu 2016: the same sentence under three headings means none of what each heading names.
    ("四、依申请公开政府信息收费及减免情况\n我镇2016年度无申请。\n五、因政府信息公开申请行政复议、提起行政诉讼的情况\n我镇2016年度无申请。",
     {"fees_collected_yuan": 0, "fees_waived_yuan": 0, "reconsideration_total": 0, "litigation_total": 0}, set()),
    # none of these is a figure of the metric a naive reader would take
    ("一、概述\n目前，区县已入驻审批服务部门和单位13个，开设窗口26个，共受理申请121510件。",
     {"service_windows": 26}, {"requests_received"}),
    ("二、主动公开信息的情况\n去年，我局通过下乡宣传、讲座等形式发放资料约10万多份。",
     {}, {"proactive_total"}),
    ("二、主动公开政府信息情况\n在主动公开信息工作中，为方便公众了解信息，我镇采用了政府门户网站、公开栏等形式主动公开政府信息。",
     {}, {"proactive_total", "proactive_via_website"}),
    ("一、概述\n在保密审查方面,没有发生信息公开泄密事件。", {}, {"requests_received", "requests_denied"}),
    # the total stated only in the overview; the 主动公开 section lists channels
    ("一、概述\n2012年，我局共公开各类政府信息5000余条。\n二、主动公开情况\n通过网站公开4000条，通过政务公开栏公开200条。",
     {"proactive_total": 5000, "proactive_via_website": 4000, "proactive_via_bulletin_board": 200}, set()),
    # kinds of information named beside 主动公开 are categories, not the total
    ("二、主动公开情况\n2012年，主动公开规范性文件30件，主动公开人事任免信息12条。",
     {"proactive_cat_normative_documents": 30, "proactive_cat_personnel": 12}, {"proactive_total"}),
    ("二、主动公开政府信息情况\n今年我局公开278条政务信息，机构职能类信息2条，其他应主动公开的政府信息21条。",
     {"proactive_cat_other": 21}, {"proactive_total"}),
    # a category word in the organ's name does not make the total a category
    ("二、主动公开情况\n市财政局2012年主动公开政府信息300条。", {"proactive_total": 300}, {"proactive_cat_fiscal"}),
    # kaiping 2016 (Traditional): a total over several channels, then each kind of new media
    ("一、政府信息主動公開情況\n2016年政務網站、微信、微博共發布各類信息2483條,其中網站(含轉發)319條,微信(含轉發)851條、微博(含轉發)2348條。"
     "\n三、依申請公開政府信息和不予公開政府信息情況\n2016年,政府信息依申請公開系統共收到1宗信息。沒有任何不應向社會公開的政府信息。",
     {"proactive_via_multiple_channels": 2483, "proactive_via_website": 319, "proactive_via_new_media": 851,
      "proactive_via_new_media_weibo": 2348, "requests_received": 1}, {"proactive_via_new_media_restated"}),
    # a count of matters is no count of information
    ("二、主动公开情况\n全年共公开行政审批事项152项。", {}, {"proactive_total"}),
    # requests counted as 依申请公开信息 after a verb of receiving are requests
    ("三、依申请公开情况\n本年度共受理依申请公开信息12条，均已按时答复。", {"requests_received": 12, "requests_answered": 12},
     {"info_designated_on_request_only"}),
    # the total outranks a part stated before it; money spent is no fee collected
    ("三、依申请公开情况\n市政府办公厅受理申请5件，全市共受理申请500件。", {"requests_received": 500}, set()),
    ("四、政府支出和收费\n全年政府信息公开工作专项经费10万元，收取费用0元。",
     {"fees_collected_yuan": 0, "funding_yuan": 100000}, {"fees_waived_yuan"}),
    # a cumulative figure is no figure of the year
    ("二、主动公开情况\n全年主动公开政府信息1200条，历年累计主动公开政府信息12000条。",
     {"proactive_total": 1200, "proactive_total_cumulative": 12000}, {"proactive_total_restated"}),
    # a change on last year is no figure of its own
    ("二、主动公开情况\n全年共主动公开政府信息3456条，比去年增长12.5%，较上年增加200条。",
     {"proactive_total": 3456, "proactive_total_change_percent": 12.5}, {"proactive_total_share"}),
    ("四、收费情况\n依申请公开的政府信息均免费提供。", {"fees_collected_yuan": 0}, set()),
    ("五、行政覆議情況\n本年度無申請行政覆議的情況。", {"reconsideration_total": 0}, {"requests_received"}),
    ("一、概述\n积极维护政务新媒体，对无力维护的政务新媒体予以关停。", {}, {"litigation_total", "requests_received"}),
    # statements of none about something else than disclosure
    ("一、概述\n我局未设立依申请公开受理点。", {}, {"requests_received"}),
    ("一、概述\n依法行政水平不断提高,全年未发生行政诉讼败诉案件。", {}, {"litigation_total"}),
    ("一、概述\n法制办全年办理行政复议案件35件。", {}, {"reconsideration_total"}),
    ("三、依申请公开\n2013年，区政府及各部门共受理依申请公开1,245件，办结1,200件，办结率96.4%。",
     {"requests_received": 1245, "requests_answered": 1200}, set()),
    ("五、复议诉讼情况\n本年度因政府信息公开被申请行政复议1件，未发生行政诉讼。",
     {"reconsideration_total": 1, "litigation_total": 0}, set()),
]


@pytest.mark.parametrize(("text", "expected", "forbidden"), CASES, ids=[c[0][:16] for c in CASES])
def test_sentence(text: str, expected: dict[str, float], forbidden: set[str]) -> None:
    got = values(text)
    for metric, value in expected.items():
        assert got.get(metric) == value, (metric, got)
    for metric in forbidden:
        assert metric not in got, (metric, got)


def test_approx_is_kept() -> None:
    got = facts_of("二、主动公开政府信息情况\n全年共主动公开政府信息1200余条。")
    (f,) = got["proactive_total"]
    assert f.value == 1200 and f.approx


def test_competing_totals_prefer_the_plain_statement_in_its_section() -> None:
    # pingtan-zone 2017: a qualified figure earlier in the report ('主动公开采购信息25条') is no total.
    text = ("一、概述\n今年累计主动公开采购信息25条、工程招投标信息188条。\n"
            "二、主动公开政府信息情况\n2017年全区主动公开政府信息2122条。")
    assert values(text)["proactive_total"] == 2122


def test_env_land_on_request_items_are_not_requests_and_warned() -> None:
    # pingtan env-land 2011: '依申请公开政府信息21条' may be requests or items; never read as requests.
    result = extract_narrative(doc_of("三、依申请公开政府信息情况 2011年度，我局依申请公开政府信息21条。"))
    assert "requests_received" not in {f.metric for f in result.facts}
    assert any(w.code == "ambiguous_metric" and w.metric == "requests_received" for w in result.warnings)


def test_share_mismatch_is_warned() -> None:
    # pingtan-zone 2012: 145/1913 = 7.58%, the report says 8.05%.
    text = ("二、主动公开政府信息情况 2012年主动公开政府信息1913条。在网站主动公开的1913条政府信息中，"
            "行政许可类信息145条，占8.05%；规划计划类信息12条，占0.63%。")
    result = extract_narrative(doc_of(text))
    mismatched = {w.metric for w in result.warnings if w.code == "share_mismatch"}
    assert mismatched == {"proactive_cat_administrative_licensing_share"}


def test_evidence_and_location_in_traditional_script() -> None:
    original = "二、主動公開政府信息的情況\n2012年,全區共主動公開政府信息27786條,占信息總數的91.7%。"
    doc = doc_of(original)
    assert doc.script == "traditional"
    (f,) = [f for f in extract_narrative(doc).facts if f.metric == "proactive_total"]
    assert f.evidence == "2012年,全區共主動公開政府信息27786條,占信息總數的91.7%。"
    assert original[f.location["start"]:f.location["end"]] == "27786條"


def test_standard_prose_adds_fees_but_not_what_the_tables_say() -> None:
    doc = doc_of("（二）依申请公开方面。本年度全区共收到70件申请，及时依法依规办结69件。\n六、其他需要报告的事项\n"
                 "2021年，共收取信息处理费380元。")
    table = [Fact(metric="new_received", value=70, unit="request", applicant="total")]
    got = {f.metric: f.value for f in extract_standard_prose(doc, table).facts}
    assert got == {"fees_collected_yuan": 380, "requests_answered": 69}


def test_standard_prose_keeps_a_figure_that_differs_from_the_table() -> None:
    doc = doc_of("（二）依申请公开方面。本年度全区共收到72件申请。")
    table = [Fact(metric="new_received", value=70, unit="request", applicant="total")]
    got = {f.metric: f.value for f in extract_standard_prose(doc, table).facts}
    assert got == {"requests_received": 72}


PROBLEMS_MEASURES = [
    # ziyang 2014: problem and plan in one sentence
    ("七、存在的主要问题和改进措施\n公开存在的主要问题是内容公开不够全面,下步打算将进一步扩大政府公开内容,确保信息公开的及时性、有效性。",
     ["公开存在的主要问题是内容公开不够全面"], ["下步打算将进一步扩大政府公开内容,确保信息公开的及时性、有效性"]),
    # pingtan-zone 2016: problems listed after 主要是 in one sentence, after a lead-in that says there are some
    ("五、存在的主要问题及改进情况\n2016年,我区政府信息公开工作取得了明显进展,但仍存在一些不足和薄弱环节,"
     "主要是个别部门主动性仍待提高,信息平台不同源、信息查阅不便捷,与社会公众互动交流不足等问题。\n"
     "下一步,我们将做好以下工作:(一)继续强化信息公开责任。(二)继续完善信息公开机制。",
     ["个别部门主动性仍待提高", "信息平台不同源、信息查阅不便捷", "与社会公众互动交流不足等问题"],
     ["继续强化信息公开责任", "继续完善信息公开机制"]),
    # pingtan-zone 2017: the lead-in and the first item share a sentence; measures after 下一步 … 以下几方面
    ("五、存在的主要问题和改进措施\n虽然我区政务公开工作取得了一定成效，但还存在一些不足，一是公开的形式不够“多”。各单位大多通过网站公开。"
     "二是公开的长效工作机制建设不够“全”。下一步，我区继续大力推进政府信息公开工作，主要是做好以下几方面工作：一是加大电子政务协同办公平台的推广应用。"
     "二是抓好新媒体的应用普及。",
     ["公开的形式不够“多”", "公开的长效工作机制建设不够“全”"], ["加大电子政务协同办公平台的推广应用", "抓好新媒体的应用普及"]),
    # pingtan-zone 2014: measures as one sentence of actions
    ("五、主要问题和改进措施\n虽然取得了一定成效，但主要还存在以下问题：一是工作基础需进一步夯实。二是公开范围有待拓展。\n"
     "2015年，我区将进一步规范政府信息主动公开与依申请公开，着力加强重点领域信息公开，逐步完善公开考核评议机制，继续开展公开业务培训和研究。",
     ["工作基础需进一步夯实", "公开范围有待拓展"],
     ["我区将进一步规范政府信息主动公开与依申请公开", "着力加强重点领域信息公开", "逐步完善公开考核评议机制", "继续开展公开业务培训和研究"]),
    # bengbu 2016: numbered sub-headings, each followed by its text
    ("六、政府信息公开工作存在的主要问题及改进情况\n(一)存在问题:\n在公开的格式上不能完全规范,内容更新上做得还不够及时。\n"
     "(二)改进措施:\n我镇将继续加强政务公开工作。采取多种形式、多渠道进行政务公开。\n二0一七年",
     ["在公开的格式上不能完全规范,内容更新上做得还不够及时"],
     ["我镇将继续加强政务公开工作", "采取多种形式、多渠道进行政务公开"]),
]


@pytest.mark.parametrize(("text", "problems", "measures"), PROBLEMS_MEASURES, ids=["one-sentence", "listed", "lead-in", "actions", "sub-headed"])
def test_problems_and_measures(text: str, problems: list[str], measures: list[str]) -> None:
    result = extract_narrative(doc_of(text))
    assert result.problems == problems
    assert result.measures == measures


def test_standard_prose_skips_a_flattened_table() -> None:
    # pingtan 2019: the procurement cell '采购总金额政府集中采购13575394432.52元' is no fee.
    doc = doc_of("二、主动公开政府信息情况 第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购13575394432.52元"
                 "三、收到和处理政府信息公开申请情况\n六、其他需要报告的事项\n2019年，无收取信息处理费情况。")
    got = {f.metric: f.value for f in extract_standard_prose(doc, []).facts}
    assert got == {"fees_collected_yuan": 0}


def test_a_page_without_sentence_ends_stays_linear() -> None:
    # 5000 figures on one line with no 。: each must not re-read the whole line (was minutes, is < 1 s).
    import time

    text = "二、主动公开情况\n" + "".join(f"通过网站公开信息{i}条 " for i in range(5000))
    doc = doc_of(text)
    started = time.perf_counter()
    result = extract_narrative(doc)
    assert time.perf_counter() - started < 5
    assert len(result.facts) == 5000
    assert max(len(f.evidence) for f in result.facts) <= 400 + 20  # the clip, plus the figure itself
