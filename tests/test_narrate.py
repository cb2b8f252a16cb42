"""Written comparisons state only what the figures support (figures from real reports' gold files).

Seed: data/raw/sample/seed/qingxin-2012.txt (清新区人民政府 2012): 主动公开政府信息27786条, 门户网站
25477条, 占91.7%, 受理申请7起. Zone: pingtan-zone-2011/2012 (proactive 425 → 1913), pingtan-2019/2020
pages (new_received 23 → 21; the 2020 table 3 lists outcomes adding up to 27 against a total of 21).
"""

from __future__ import annotations

import pytest

from pipelines.analysis.narrate import (
    DepartmentRequests,
    Figure,
    YearFigure,
    caveats,
    change_phrase,
    departments_sentence,
    figure,
    format_number,
    proactive_sentence,
    requests_sentence,
    review_sentence,
    share,
)

SEED_TOTAL = Figure(27786)
SEED_WEBSITE = Figure(25477)


def test_seed_proactive_sentence_has_the_count_and_the_computed_share() -> None:
    sentence = proactive_sentence("清新区人民政府", 2012, SEED_TOTAL, SEED_WEBSITE)
    assert sentence == "2012年清新区人民政府主动公开政府信息27786条，其中通过门户网站公开25477条，占91.7%。"


def test_no_growth_rate_without_the_previous_year() -> None:
    sentence = proactive_sentence("清新区人民政府", 2012, SEED_TOTAL, SEED_WEBSITE, previous=None)
    assert "较" not in sentence and "增长" not in sentence and "下降" not in sentence


def test_growth_rate_with_both_years_zone_2011_2012() -> None:
    sentence = proactive_sentence("平潭综合实验区管委会", 2012, Figure(1913), previous=YearFigure(2011, Figure(425)))
    assert "较上年增长350.1%" in sentence  # (1913 - 425) / 425


def test_a_gap_year_is_named_instead_of_said_to_be_last_year() -> None:
    phrase = change_phrase(Figure(2543), YearFigure(2012, Figure(1913)), 2014)
    assert phrase == "较2012年增长32.9%"


def test_decline_and_zero_base() -> None:
    assert change_phrase(Figure(21), YearFigure(2019, Figure(23)), 2020) == "较上年下降8.7%"
    assert change_phrase(Figure(1), YearFigure(2012, Figure(0)), 2014) == "2012年为0"  # no rate on a zero base
    assert change_phrase(Figure(0), YearFigure(2011, Figure(0)), 2012) == "与上年相同，均为0"
    assert change_phrase(Figure(None), YearFigure(2011, Figure(5)), 2012) is None


def test_unknown_total_gives_no_sentence() -> None:
    assert proactive_sentence("清新区人民政府", 2012, Figure(None), SEED_WEBSITE) is None


def test_approximate_figure_is_marked_and_explained() -> None:
    sentence = proactive_sentence("平潭综合实验区管委会", 2025, Figure(7700, approx=True))
    assert "约7700条" in sentence and "“约”表示报告原文为约数" in sentence


def test_failed_validation_is_named_in_the_sentence() -> None:
    fig = Figure(1913, failed_checks=("proactive_channel_within_total",))
    sentence = proactive_sentence("平潭综合实验区管委会", 2012, fig)
    assert "未通过校验（proactive_channel_within_total）" in sentence


def test_failed_previous_report_is_named_with_its_year() -> None:
    previous = YearFigure(2020, Figure(21, failed_checks=("table3_outcomes_sum",)))
    sentence = requests_sentence("平潭综合实验区管委会", 2021, Figure(70), previous=previous)
    assert "2020年报告未通过校验（table3_outcomes_sum）" in sentence
    assert "该报告未通过校验" not in sentence


def test_channel_larger_than_total_gets_no_share() -> None:
    # the 2012 zone report's 3636 items counts a website section, not a part of the 1913 total
    sentence = proactive_sentence("平潭综合实验区管委会", 2012, Figure(1913), Figure(3636))
    assert "%" not in sentence and "不计算占比" in sentence


def test_requests_sentence_zone_2020_says_the_outcomes_do_not_add_up() -> None:
    outcomes = {"granted": Figure(7), "partially_granted": Figure(6), "denied": Figure(0), "unable": Figure(7),
                "not_processed": Figure(3), "other_processing": Figure(4)}
    sentence = requests_sentence("平潭综合实验区管委会", 2020, Figure(21), outcomes, Figure(21),
                                 YearFigure(2019, Figure(23)))
    assert sentence.startswith("2020年平潭综合实验区管委会新收政府信息公开申请21件，较上年下降8.7%")
    assert "予以公开7件（33.3%）" in sentence
    assert "不予公开" not in sentence  # zero outcomes are summed up as 其余为0
    assert "（27件）与其总计（21件）不符" in sentence


def test_requests_sentence_narrative_and_none_received() -> None:
    assert requests_sentence("清新区人民政府", 2012, Figure(7), standard_format=False) == \
        "2012年清新区人民政府受理政府信息公开申请7件。"
    assert requests_sentence("平潭综合实验区管委会", 2011, Figure(0), standard_format=False) == \
        "2011年平潭综合实验区管委会未收到政府信息公开申请。"


def test_review_sentence() -> None:
    assert review_sentence("平潭综合实验区管委会", 2021, Figure(3), Figure(12)) == \
        "2021年平潭综合实验区管委会因政府信息公开被申请行政复议3件、被提起行政诉讼12件。"
    assert "未发生" in review_sentence("清新区人民政府", 2012, Figure(0), Figure(0))
    assert review_sentence("南京市公安局", 2011, Figure(None), Figure(None)) is None


def test_departments_sentence_ranks_only_departments_with_enough_requests() -> None:
    # pingtan-*-2021 departments: 管委会办公室 23 (denied 1), 自然资源与生态环境局 18 (denied 4), 公安局 1
    depts = [
        DepartmentRequests("管委会办公室", Figure(23), Figure(23), Figure(1), Figure(17)),
        DepartmentRequests("自然资源与生态环境局", Figure(18), Figure(18), Figure(4), Figure(0)),
        DepartmentRequests("公安局", Figure(1), Figure(1), Figure(1), Figure(0)),  # 100% denied of 1: not ranked
    ]
    sentence = departments_sentence("福建省平潭综合实验区", 2021, depts)
    assert "3个部门共新收政府信息公开申请42件" in sentence
    assert "管委会办公室最多（23件，占54.8%）" in sentence
    assert "不予公开率最高的是自然资源与生态环境局（4/18，22.2%）" in sentence
    assert "另有1个部门办结不足10件" in sentence


def test_english_sentences() -> None:
    sentence = proactive_sentence("清新区人民政府", 2012, SEED_TOTAL, SEED_WEBSITE, lang="en")
    assert sentence == ("In 2012 清新区人民政府 proactively disclosed 27,786 items of government information, "
                        "25,477 items of them on its web portal (91.7%).")
    assert change_phrase(Figure(1913), YearFigure(2011, Figure(425)), 2012, "en") == "up 350.1% on the year before"
    assert requests_sentence("平潭综合实验区管委会", 2011, Figure(0), lang="en") == \
        "In 2011 平潭综合实验区管委会 received no requests for government information."
    assert requests_sentence("平潭综合实验区管委会", 2014, Figure(1), standard_format=False, lang="en") == \
        "In 2014 平潭综合实验区管委会 accepted 1 request for government information."
    with pytest.raises(ValueError, match="unknown language"):
        proactive_sentence("清新区人民政府", 2012, SEED_TOTAL, lang="fr")


def test_helpers() -> None:
    assert share(SEED_WEBSITE, SEED_TOTAL) == pytest.approx(91.69, abs=0.01)
    assert share(SEED_WEBSITE, Figure(0)) is None
    assert format_number(27786) == "27786" and format_number(27786, "en") == "27,786"
    assert figure(float("nan")).known is False and figure(None).known is False and figure("7").value == 7
    assert caveats([Figure(1)]) == ""
