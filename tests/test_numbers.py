"""Numbers as written in report prose (pipelines/extract/numbers.py). Sentences are real report wording."""

from __future__ import annotations

import pytest

from pipelines.extract.numbers import find_quantities, parse_chinese_numeral, parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("七", 7), ("十", 10), ("十六", 16), ("二十", 20), ("一百零一", 101), ("三百零五", 305), ("两千", 2000),
    ("一万二千", 12000), ("六十", 60), ("一亿", 100_000_000),
])
def test_chinese_numerals(text: str, value: int) -> None:
    assert parse_chinese_numeral(text) == value


@pytest.mark.parametrize("text", ["二〇一二", "二○一二", "一二", "", "十七届"])
def test_digit_by_digit_years_and_non_numerals_are_not_numbers(text: str) -> None:
    assert parse_chinese_numeral(text) is None


def test_arabic_with_thousands_separator() -> None:
    assert parse_number("25,477") == 25477
    assert parse_number("91.7") == 91.7


@pytest.mark.parametrize(("sentence", "value", "unit", "approx"), [
    # qingxin 2012 (seed)
    ("全区共主动公开政府信息27786条", 27786, "item", False),
    ("全区共受理了7起政府信息公开申请", 7, "case", False),
    ("投入100多万元建设1个大型户外LED信息显示屏", 1_000_000, "yuan", True),
    ("占信息总数的91.7%", 91.7, "percent", False),
    # numbers in Chinese and with 万 / 余 / 约 / 近 / 以上
    ("全年共受理政府信息公开申请六十件", 60, "item", False),
    ("2009年共收到信息公开申请一百零一件", 101, "item", False),
    ("累计公开信息一万二千余条", 12000, "item", True),
    ("全年公开信息1.2万条", 12000, "item", False),
    ("发放资料约10万多份", 100_000, "copy", True),
    ("共更新4次,涉及20多项内容", 4, "time", False),
    ("公开信息300条以上", 300, "item", True),
    ("收取检索费0.5万元", 5000, "yuan", False),
    ("因政府信息公开申请行政复议一件", 1, "item", False),
])
def test_figure_is_read(sentence: str, value: float, unit: str, approx: bool) -> None:
    qs = find_quantities(sentence)
    assert qs, sentence
    q = qs[0]
    assert (q.value, q.unit, q.approx) == (value, unit, approx)


@pytest.mark.parametrize("sentence", [
    "印发了《关于加强全县2012年度政府信息公开工作的意见》(清新府办〔2012〕16号)",  # document number
    "联系电话:0818—6972129。",  # phone number
    "二○一二年二月二十日",  # date in Chinese numerals
    "2014年3月25日",  # date
    "2008 年 4 月 1日起我局开始开展政府信息公开工作",  # spaced date
    "会议既传达了“5.24”全国与省政府信息公开工作电视会议精神",  # a date written as a decimal
    "索 引 号:XM02100-0101-2019-00001",  # index number
    "地址:厦门市湖里区枋湖南路161号722室,邮编:361009",  # address and postcode
    "刊登在第3期《政府公报》上",  # an ordinal
    "区政府与镇村干部一起深入基层",  # 一起 = together
    "做到一级抓一级,层层抓落实",  # 一级 is no measure
    "2016年度我乡无一例因政府信息公开申请行政复议",  # 无一例 is a statement of none, not 1
])
def test_no_figure_is_read(sentence: str) -> None:
    assert find_quantities(sentence) == []


def test_range_is_approximate() -> None:
    (q,) = find_quantities("每月公开信息10-20条")
    assert q.value == 10 and q.approx


def test_bare_labelled_number_closing_a_phrase() -> None:
    # pingtan-county-2011: '不予公开信息数1402。' has no measure word.
    qs = find_quantities("作为依申请公开信息数46条，不予公开信息数1402。")
    assert [q.value for q in qs] == [46, 1402]


def test_offsets_cover_the_token() -> None:
    text = "其中,通过网站公开信息25477条,占信息总数的91.7%"
    a, b = find_quantities(text)
    assert text[a.start:a.end] == "25477条"
    assert text[b.start:b.end] == "91.7%"
