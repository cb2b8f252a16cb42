"""Channel figures that cannot be parts of the proactive total are not read as proactive_via_*."""

from __future__ import annotations

from pipelines.extract.narrative import extract_narrative
from pipelines.normalise import normalise


def _facts(text: str) -> dict[str, float]:
    doc = normalise(text.encode("utf-8"), ".txt", "fragment")
    result = extract_narrative(doc)
    return {f.metric: f.value for f in result.facts}, [w.code for w in result.warnings]


def test_posts_larger_than_the_total_are_posts_not_channels() -> None:
    # 开平市沙塘镇 2016 (Traditional mirror): the town disclosed 247 items; its website, WeChat and Weibo
    # published 2483 posts. The posts cannot be parts of the 247.
    text = ("二、主動公開政府信息情況\n2016年鎮政府信息公開全年發布各類信息247條,其中機構概況類5條。"
            "2016年政務網站、微信、微博共發布各類信息2483條,其中網站(含轉發)319條,微信(含轉發)851條、"
            "微博(含轉發)2348條。")
    facts, warnings = _facts(text)
    assert facts["proactive_total"] == 247
    assert not any(k.startswith("proactive_via_") for k in facts)
    assert facts["new_media_weibo_posts"] == 2348
    assert "channel_exceeds_total" in warnings


def test_a_channel_within_the_total_stays_a_channel() -> None:
    text = ("二、主动公开政府信息情况\n2012年,全区共主动公开政府信息27786条,其中,通过门户网站公开信息25477条,"
            "占信息总数的91.7%。")
    facts, warnings = _facts(text)
    assert facts["proactive_via_website"] == 25477
    assert "channel_exceeds_total" not in warnings


def test_applications_received_by_a_service_hall_are_not_disclosed_items() -> None:
    # 平潭综合实验区 2012: the online approval hall's applications, not information disclosed.
    text = ("二、主动公开政府信息情况\n平潭网还开设了网上审批功能,截至12月14日,中国平潭网与区行政服务中心"
            "共同累计收件9898件。")
    facts, _ = _facts(text)
    assert 9898 in facts.values()
    assert not any(k.startswith("proactive_via_") for k, v in facts.items() if v == 9898)


def test_no_fee_statement_under_other_matters_of_a_standard_report() -> None:
    # The 2019+ template reports the information-processing fee under 其他需要报告的事项.
    from pipelines.extract.narrative import extract_standard_prose

    doc = normalise("六、其他需要报告的事项\n2019年度我办未收取费用。".encode(), ".txt", "fragment")
    assert [(f.metric, f.value) for f in extract_standard_prose(doc, []).facts] == [("fees_collected_yuan", 0)]
    doc = normalise("六、其他需要报告的事项\n全年未发生行政诉讼败诉案件。".encode(), ".txt", "fragment")
    assert extract_standard_prose(doc, []).facts == []
