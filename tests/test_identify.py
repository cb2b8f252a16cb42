"""identify: organ, region, level, year and format of a report, and pages that are no report.

Titles, first lines, headers and signatures are copied from the shared corpus (file named in each
case); the bodies around them are the standard section headings of the era, so the texts stay small.
Non-reports are in tests/fixtures/identify/.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipelines.errors import IdentifyError, NotAReportError
from pipelines.gazetteer import gazetteer
from pipelines.identify import detect_format, identify
from pipelines.model import Document, ReportMeta
from pipelines.normalise import normalise

FIXTURES = Path(__file__).parent / "fixtures" / "identify"

# The sections every narrative report (2008-2018) has, as the 条例 asks for them.
NARRATIVE_BODY = """
一、概述
二、主动公开政府信息情况
三、依申请公开政府信息和不予公开政府信息情况
四、政府信息公开的收费及减免情况
五、因政府信息公开申请行政复议、提起行政诉讼的情况
六、政府信息公开工作存在的主要问题及改进情况
"""
# The 2019 trial table's labels (table 2 and 3), as in 上海市人民政府办公厅 2019.
TABLES_2019 = """
一、总体情况
二、主动公开政府信息情况
| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 3 |
| 5.属于三类内部事务信息 | 0 |
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
"""
# The 2021 table's labels, as in 沭阳县发展和改革局 2023.
TABLES_2021 = """
一、总体情况
二、主动公开政府信息情况
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 3 |
| 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 |
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
"""


def doc_of(text: str, suffix: str = ".txt", source: str = "fixture.txt") -> Document:
    return normalise(text.encode("utf-8"), suffix, source)


def meta_of(text: str, suffix: str = ".txt") -> ReportMeta:
    return identify(doc_of(text, suffix))


# (corpus file, text, organ, region, level, year)
REPORTS = [
    (
        "seed/qingxin-2012.txt (Traditional; the title prints only the district)",
        "清新區2012年政府信息公開工作年度報告\n根據《中華人民共和國政府信息公開條例》(以下簡稱《條例》)的規定,"
        "現公佈清新區2012年政府信息公開工作年度報告。" + NARRATIVE_BODY,
        "清新区人民政府",
        "广东省清远市清新区",
        "county",
        2012,
    ),
    (
        "narrative/pingtan-zone-2011.txt (crawler header; the zone alone means its 管委会)",
        "标题: 平潭综合实验区2011年政府信息公开工作年度报告\n发布时间: 2012-04-11 00:00\n文号: \n"
        "发布机构: 平潭综合实验区管委会办公室\n栏目: 政府信息公开年报\n" + NARRATIVE_BODY,
        "平潭综合实验区管委会",
        "福建省平潭综合实验区",
        "city",
        2011,
    ),
    (
        "departments/pingtan-finance-2021.txt (发布机构 names the government, the title the bureau)",
        "标题: 平潭综合实验区财政金融局2021年度政府信息公开工作年度报告\n发布时间: 2022-01-13 08:38\n"
        "发布机构: 平潭综合实验区人民政府\n" + TABLES_2021,
        "平潭综合实验区财政金融局",
        "福建省平潭综合实验区",
        "department",
        2021,
    ),
    (
        "narrative/pingtan-zone-2014.txt (来源 names the former county government)",
        "当前位置: 首页政务公开政府信息公开政府信息公开年报 平潭综合实验区管委会2014年度政府信息公开工作年度报告 "
        "来源:平潭县人民政府 时间:2015-01-02 00:00" + NARRATIVE_BODY,
        "平潭综合实验区管委会",
        "福建省平潭综合实验区",
        "city",
        2014,
    ),
    (
        "departments/pingtan-county-civil-affairs-2011.txt",
        "标题: 平潭县民政局2011年度政府信息公开年度报告\n发布时间: 2012-05-11 00:00\n"
        "结合我局实际，根据《福州市人民政府办公室关于做好政府公开信息报送工作的通知》要求" + NARRATIVE_BODY,
        "平潭县民政局",
        "福建省福州市平潭县",
        "department",
        2011,
    ),
    (
        "narrative/huli-district-2018.txt (the text prints the full name with its city)",
        "  • 发布机构:湖里区人民政府办公室\n湖里区人民政府2018年政府信息公开工作年度报告\n时间:2019-01-04 10:25\n"
        "本报告的电子版可在“厦门市湖里区人民政府网站”(http://www.huli.gov.cn)查阅。" + NARRATIVE_BODY,
        "厦门市湖里区人民政府",
        "福建省厦门市湖里区",
        "county",
        2018,
    ),
    (
        "narrative/daoxian-culture-bureau-2013.txt (abbreviated bureau, title split over two lines)",
        "道县文广新局2013年度信息公开工作\n年度报告\n" + NARRATIVE_BODY + "2014年3月25日\n",
        "道县文化广电新闻出版局",
        "湖南省永州市道县",
        "department",
        2013,
    ),
    (
        "narrative/dazhu-chaoyang-township-2016.txt (year before the township's name)",
        "2016年朝阳乡政府信息公开工作年度报告\n来源:朝阳乡\n发布日期:2017-03-21\n"
        "根据《中华人民共和国政府信息公开条例》和《四川省贯彻〈中华人民共和国政府信息公开条例〉实施办法(试行)》"
        + NARRATIVE_BODY,
        "朝阳乡人民政府",
        "四川省",
        "township",
        2016,
    ),
    (
        "narrative/nanjing-police-2011.txt (no title: 由…编制的 names the organ)",
        "本年报是根据《中华人民共和国政府信息公开条例》和《南京市政府信息公开规定》要求,由南京市公安局编制的"
        "2011年度政府信息公开年度报告。" + NARRATIVE_BODY,
        "南京市公安局",
        "江苏省南京市",
        "department",
        2011,
    ),
    (
        "narrative/mentougou-education-commission-2010.txt",
        "北京市门头沟区教育委员会\n\n北京市门头沟区教育委员会2010年政府信息公开年度报告\n打印本页\n"
        "本报告是根据《中华人民共和国政府信息公开条例》要求,由北京市门头沟区教育委员会编制的2010年度政府信息公开年度报告。"
        + NARRATIVE_BODY,
        "北京市门头沟区教育委员会",
        "北京市门头沟区",
        "department",
        2010,
    ),
    (
        "narrative/kaiping-shatang-town-2016.txt (信息来源 header)",
        "信息来源:沙塘镇人民政府\n根据《中华人民共和国政府信息公开条例》第三十二条规定,沙塘镇政府结合实际工作,"
        "认真编制了2016年度政府信息公开年度报告。" + NARRATIVE_BODY,
        "沙塘镇人民政府",
        None,
        "township",
        2016,
    ),
    (
        "narrative/ziyang-nanxun-township-2014.txt (我乡 in the title, its name only in the body)",
        "根据《中华人民共和国政府信息公开条例》(以下简称《条例》)和省、市、县政府信息公开工作相关要求,"
        "现将我乡2014年政府信息公开工作报告公开如下。"
        + NARRATIVE_BODY
        + "2014年,南薰乡未收取任何政府信息公开费用。\n",
        "南薰乡人民政府",
        None,
        "township",
        2014,
    ),
    (
        "narrative/turpan-police-2012.txt (Traditional, pinyin glosses, a former 地区)",
        "2012年,按照行署的部署和要求,吐魯番地區(qū)公安局結(jié)合工作實際,現(xiàn)特向社會公布吐魯番地區(qū)公安局"
        "2012年度政府信息公開工作報告。" + NARRATIVE_BODY,
        "吐鲁番地区公安局",
        "新疆维吾尔自治区吐鲁番地区",
        "department",
        2012,
    ),
    (
        "standard/shanghai-govoffice-2019.html (year before the organ; an office of a government)",
        "2019年上海市人民政府办公厅政府信息公开工作年度报告\n发布日期:2020-01-31\n" + TABLES_2019,
        "上海市人民政府办公厅",
        "上海市",
        "department",
        2019,
    ),
    (
        "standard/shijiazhuang-edu-2021-pagesexcerpt.txt (the organ after the year)",
        "根据《中华人民共和国政府信息公开条例》的有关规定,现向社会公布2021年石家庄市教育局政府信息公开工作年度报告。"
        + TABLES_2021,
        "石家庄市教育局",
        "河北省石家庄市",
        "department",
        2021,
    ),
    (
        "standard/suqian-city-2025-testexcerpt.md (spaces around the year)",
        "正文\n宿迁市 2025 年政府信息公开工作年度报告\n2025 年,我市持续推进政务公开工作。\n" + TABLES_2021,
        "宿迁市人民政府",
        "江苏省宿迁市",
        "city",
        2025,
    ),
    (
        "standard/shuyang-fgj-2023.html (no title: the signature above the date)",
        TABLES_2021 + "六、其他需要报告的事项\n2023年度,县发展和改革局政府信息公开未发生收费情况。\n"
        "沭阳县发展和改革局\n2024年1月17日\n",
        "沭阳县发展和改革局",
        "江苏省宿迁市沭阳县",
        "department",
        2023,
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "organ", "region", "level", "year"), REPORTS, ids=[r[0][:40] for r in REPORTS]
)
def test_report_metadata(case: str, text: str, organ: str, region: str | None, level: str, year: int) -> None:
    meta = meta_of(text)
    assert meta.is_report
    assert (meta.organ, meta.region, meta.level, meta.year) == (organ, region, level, year), case


def test_traditional_place_names_survive_the_taiwan_phrase_conversion() -> None:
    """OpenCC's tw2sp would turn 埠 into 端口 (蚌埠 → 蚌端口); normalise keeps place names intact."""
    text = (
        "蚌埠市人民政府2023年政府信息公開工作年度報告\n根據《中華人民共和國政府信息公開條例》,現將本市政府信息公開"
        "工作情況報告如下。\n一、總體情況\n二、主動公開政府信息情況\n三、收到和處理政府信息公開申請情況\n"
        "四、政府信息公開行政復議、行政訴訟情況\n五、存在的主要問題及改進情況\n"
    )
    doc = doc_of(text)
    assert doc.script == "traditional" and "蚌埠市" in doc.text and "蚌端口" not in doc.text
    meta = identify(doc)
    assert (meta.organ, meta.region, meta.level) == ("蚌埠市人民政府", "安徽省蚌埠市", "city")


def test_organ_as_printed_is_kept() -> None:
    meta = meta_of(REPORTS[0][1])
    assert meta.organ_as_printed == "清新区"
    assert meta.organ == "清新区人民政府"


# (title, organ, region, level, year): rules that must hold for reports never seen.
TITLES = [
    ("开平市人民政府2016年政府信息公开工作年度报告", "开平市人民政府", "广东省江门市开平市", "county", 2016),
    ("东阳市2017年政府信息公开工作年度报告", "东阳市人民政府", "浙江省金华市东阳市", "county", 2017),
    ("江苏省人民政府2019年政府信息公开工作年度报告", "江苏省人民政府", "江苏省", "province", 2019),
    (
        "广州市越秀区发展和改革局2021年度政府信息公开工作年度报告",
        "广州市越秀区发展和改革局",
        "广东省广州市越秀区",
        "department",
        2021,
    ),
    ("湖滨街道办事处2020年政府信息公开工作年度报告", "湖滨街道办事处", None, "township", 2020),
    ("城关镇2020年政府信息公开工作年度报告", "城关镇人民政府", None, "township", 2020),
    ("宿迁市政府信息公开工作年度报告(2019年度)", "宿迁市人民政府", "江苏省宿迁市", "city", 2019),
    ("南京市公安局政府信息公开工作2019年度报告", "南京市公安局", "江苏省南京市", "department", 2019),
    (
        "沭阳县人民政府办公室关于沭阳县2019年政府信息公开工作年度报告",
        "沭阳县人民政府",
        "江苏省宿迁市沭阳县",
        "county",
        2019,
    ),
    (
        "国家税务总局南京市税务局2020年政府信息公开工作年度报告",
        "国家税务总局南京市税务局",
        "江苏省南京市",
        "department",
        2020,
    ),
    (
        "平潭县卫生局二〇一一年度政府信息公开工作年度报告",
        "平潭县卫生局",
        "福建省福州市平潭县",
        "department",
        2011,
    ),
    (
        "平潭综合实验区管理委员会2015年政府信息公开工作年度报告",
        "平潭综合实验区管委会",
        "福建省平潭综合实验区",
        "city",
        2015,
    ),
    (
        "吐鲁番地区2012年政府信息公开工作年度报告",
        "吐鲁番地区行政公署",
        "新疆维吾尔自治区吐鲁番地区",
        "city",
        2012,
    ),
    ("清新县2011年政府信息公开工作年度报告", "清新县人民政府", "广东省清远市清新县", "county", 2011),
    ("和县2019年政府信息公开工作年度报告", "和县人民政府", "安徽省马鞍山市和县", "county", 2019),
    (
        "重庆市渝中区人民政府2019年政府信息公开工作年度报告",
        "重庆市渝中区人民政府",
        "重庆市渝中区",
        "county",
        2019,
    ),
    (
        "沭阳县民政局关于2019年政府信息公开工作年度报告",
        "沭阳县民政局",
        "江苏省宿迁市沭阳县",
        "department",
        2019,
    ),
    (
        "平潭综合实验区苏平片区管理局关于报送2020年度政府信息公开工作年度报告的函",
        "平潭综合实验区苏平片区管理局",
        "福建省平潭综合实验区",
        "department",
        2020,
    ),
    ("蒲纺工业园区2020年政府信息公开工作年度报告", "蒲纺工业园区管委会", None, "department", 2020),
    (
        "上海市浦东新区2020年政府信息公开工作年度报告",
        "上海市浦东新区人民政府",
        "上海市浦东新区",
        "county",
        2020,
    ),
]


@pytest.mark.parametrize(
    ("title", "organ", "region", "level", "year"), TITLES, ids=[t[0][:16] for t in TITLES]
)
def test_titles(title: str, organ: str, region: str | None, level: str, year: int) -> None:
    meta = meta_of(title + "\n" + NARRATIVE_BODY)
    assert (meta.organ, meta.region, meta.level, meta.year) == (organ, region, level, year)


def test_ambiguous_district_is_settled_by_the_places_the_text_names() -> None:
    title = "鼓楼区2020年政府信息公开工作年度报告\n"
    fuzhou = meta_of(title + "根据福州市政务公开工作要点\n" + NARRATIVE_BODY)
    nanjing = meta_of(title + "根据江苏省、南京市政务公开工作要点\n" + NARRATIVE_BODY)
    alone = meta_of(title + NARRATIVE_BODY)
    assert fuzhou.region == "福建省福州市鼓楼区"
    assert nanjing.region == "江苏省南京市鼓楼区"
    assert alone.region is None  # four provinces have a 鼓楼区: no guess
    assert alone.level == "county" and alone.organ == "鼓楼区人民政府"


def test_township_gets_its_county_when_the_text_prints_them_together() -> None:
    meta = meta_of(
        "2016年朝阳乡政府信息公开工作年度报告\n大竹县朝阳乡人民政府认真贯彻《条例》。\n" + NARRATIVE_BODY
    )
    assert meta.organ == "大竹县朝阳乡人民政府"
    assert meta.region == "四川省达州市大竹县"


@pytest.mark.parametrize(
    ("text", "organ"),
    [
        # The title names the bureau by its level word only; the body prints the district.
        (
            "区文体局2016年度政府信息公开工作年度报告\n2016年滨湖区文体局认真贯彻落实《条例》。",
            "滨湖区文体局",
        ),
        # The title has no place at all; the body names the city before the bureau.
        (
            "外事商务局2016年度政府信息公开年度报告\n成立了图们市外事商务局政府信息公开工作领导小组。",
            "图们市外事商务局",
        ),
    ],
)
def test_department_takes_the_place_the_text_prints_before_it(text: str, organ: str) -> None:
    assert meta_of(text + NARRATIVE_BODY).organ == organ


def test_government_without_title_is_named_by_its_website() -> None:
    text = (
        "政府信息公开年报\n本报告是根据《中华人民共和国政府信息公开条例》要求编制而成。报告中所列数据的统计期限为"
        "2020年1月1日到2020年12月31日止。本报告的电子版可在盐城市大丰区人民政府门户网站下载。\n"
        "2020年,我区全面推进政务公开工作。\n" + NARRATIVE_BODY
    )
    meta = meta_of(text)
    assert (meta.organ, meta.region, meta.level, meta.year) == (
        "盐城市大丰区人民政府",
        "江苏省盐城市大丰区",
        "county",
        2020,
    )


def test_department_is_not_named_by_its_governments_website() -> None:
    text = (
        "本报告由概述、主动公开政府信息情况等部分组成。本报告的电子版可在沭阳县人民政府门户网站下载。\n"
        "2015年,我局主动公开政府信息35条。\n" + NARRATIVE_BODY
    )
    meta = meta_of(text)
    assert (meta.organ, meta.level, meta.year) == (None, "department", 2015)


def test_report_compiled_by_a_governments_disclosure_office_is_the_governments() -> None:
    text = (
        "本报告由南平市人民政府信息公开工作领导小组办公室根据《中华人民共和国政府信息公开条例》要求,汇总各县(市、区)"
        "和市政府各部门政府信息公开工作情况编制而成。本报告中所列数据的统计时限自2012年1月1日至2012年12月31日。\n"
        + NARRATIVE_BODY
    )
    meta = meta_of(text)
    assert (meta.organ, meta.region, meta.level, meta.year) == (
        "南平市人民政府",
        "福建省南平市",
        "city",
        2012,
    )


def test_header_fields_split_by_spaces_and_pipes() -> None:
    """A table-like page header (来 源: | 汉中市统计局 |) and a period that omits its second year."""
    text = (
        "索 引 号: | 610700003-/2020000781 | 发布时间: | 2012年02月17日 10:50 |\n来 源: | 汉中市统计局 | 发布机构: | 汉中市统计局 |\n"
        "本年度报告内容涵盖2011年1月1日至12月31日期间的政府信息公开工作情况。\n" + NARRATIVE_BODY
    )
    meta = meta_of(text)
    assert (meta.organ, meta.region, meta.level, meta.year) == (
        "汉中市统计局",
        "陕西省汉中市",
        "department",
        2011,
    )


def test_template_label_is_no_self_reference() -> None:
    """本机关不掌握相关政府信息 is a row of the 2021 table, not a body speaking of itself."""
    text = "2023年度政府信息公开工作年度报告\n" + TABLES_2021 + "| 1.本机关不掌握相关政府信息 | 0 |\n"
    with pytest.raises(IdentifyError, match="organ"):
        identify(doc_of(text))


def test_township_region_from_the_county_its_text_names() -> None:
    text = "巍山镇人民政府2025年政府信息公开工作年度报告\n2025年,在义乌市委、义乌市人民政府的正确领导下,我镇认真贯彻落实。\n"
    meta = meta_of(text + NARRATIVE_BODY)
    assert (meta.organ, meta.region, meta.level) == ("巍山镇人民政府", "浙江省金华市义乌市", "township")


def test_township_takes_the_county_printed_in_its_address() -> None:
    """narrative/kaiping-shatang-town-2016.txt: 信息来源 names 沙塘镇人民政府, the address 开平市沙塘镇."""
    text = (
        "信息来源:沙塘镇人民政府\n沙塘镇政府认真编制了2016年度政府信息公开年度报告。如对本报告有任何疑问,请与我镇"
        "信息公开受理机构联系,地址:开平市沙塘镇圩东路1号党政办公室。\n" + NARRATIVE_BODY
    )
    meta = meta_of(text)
    assert (meta.organ, meta.region, meta.level) == ("开平市沙塘镇人民政府", "广东省江门市开平市", "township")


def test_unnamed_town_loads_with_its_level() -> None:
    """narrative/bengbu-town-2016.txt never names the town: no organ, but a report of a township."""
    meta = meta_of(
        "本年度报告根据上级相关要求,向社会公开2016年度镇政府信息公开年度报告。\n一、基本情况\n"
        "2016年,我镇认真贯彻落实《中华人民共和国政府信息公开条例》精神,在县公开办的指导下。"
        + NARRATIVE_BODY
        + "我镇2016年度无申请。\n二0一七年\n"
    )
    assert (meta.organ, meta.level, meta.year) == (None, "township", 2016)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        (
            "平潭县财政局政府信息公开年度报告\n本报告所列数据的统计期限自2011年1月1日起至2011年12月31日止。",
            2011,
        ),
        ("平潭县教育局政府信息公开年度报告\n2011年,我局主动公开政府信息20条。\n二○一二年元月二十日", 2011),
        (
            "Page 9 - 2020年报_审计局\n2020 年,我单位对形成的政府信息实现了依法、有序公开。\n2021 年,我局将进一步提高认识。",
            2020,
        ),
    ],
)
def test_year_is_the_year_reported_on(text: str, year: int) -> None:
    assert meta_of(text + NARRATIVE_BODY).year == year


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        (TABLES_2019, 2019, "standard_2019"),
        (TABLES_2019, 2020, "standard_2019"),
        (TABLES_2021, 2021, "standard_2021"),
        # 平潭社会事业局 2021: the 2019 table 2 kept, but table 3 has the 2021 rows.
        (
            TABLES_2019.replace("5.属于三类内部事务信息", "1.申请人无正当理由逾期不补正"),
            2021,
            "standard_2021",
        ),
        (TABLES_2021, 2018, "narrative"),  # before 2019 a report is narrative, table or not
        (NARRATIVE_BODY, 2021, "narrative"),  # the old outline kept after 2019
        # An excerpt of a 2021 report without its tables: the template was mandatory by then.
        (
            "一、总体情况\n(一)主动公开。全年累计主动公开政府信息100余条。\n(二)依申请公开。",
            2021,
            "standard_2021",
        ),
        ("一、总体情况\n(一)主动公开。全年累计主动公开政府信息100余条。", 2020, "standard_2019"),
        # Only tables 3/4 on the page (standard/district-audit-2020-flipbook-p9.txt): the year decides.
        (
            "四、结转下年度继续办理 0 0 0 0 0 0 0\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉",
            2020,
            "standard_2019",
        ),
    ],
)
def test_detect_format(text: str, year: int, expected: str) -> None:
    assert detect_format(doc_of(text), year) == expected


@pytest.mark.parametrize(
    "name",
    [
        "news-briefing.txt",
        "fee-rules.txt",
        "notice.txt",
        "report-list.txt",
        "rules-without-title.txt",
        "letter-on-work-points.txt",
        "news-report-published.txt",
    ],
)
def test_pages_that_are_no_report(name: str) -> None:
    doc = normalise((FIXTURES / name).read_bytes(), ".txt", name)
    assert identify(doc).is_report is False


@pytest.mark.parametrize(
    ("name", "organ", "year"),
    [
        # A 函 that sends the report, followed by the report itself.
        ("report-in-cover-letter.txt", "平潭综合实验区公安局", 2015),
        # Titled 公安局2009年度…, signed 平潭县公安局 and dated 二○一○年四月十日.
        ("report-organ-without-place.txt", "平潭县公安局", 2009),
    ],
)
def test_reports_in_unusual_wrappers(name: str, organ: str, year: int) -> None:
    meta = identify(normalise((FIXTURES / name).read_bytes(), ".txt", name))
    assert (meta.is_report, meta.organ, meta.year, meta.format) == (True, organ, year, "narrative")


def test_title_with_a_version_tail_is_still_a_report_title() -> None:
    meta = meta_of(
        "宿州市人民政府2019年政府信息公开工作年度报告(图片版)\n2019年,我市主动公开政府信息。\n依申请公开。"
    )
    assert (meta.is_report, meta.organ, meta.year) == (True, "宿州市人民政府", 2019)


def test_not_a_report_is_quarantined_by_parse() -> None:
    from pipelines.parse import parse_bytes

    with pytest.raises(NotAReportError, match="fee-rules.txt"):
        parse_bytes((FIXTURES / "fee-rules.txt").read_bytes(), ".txt", "fee-rules.txt")


def test_report_without_a_year_is_refused_naming_the_file() -> None:
    doc = normalise(
        ("平潭县民政局政府信息公开工作年度报告\n" + NARRATIVE_BODY).encode(), ".txt", "no-year.txt"
    )
    with pytest.raises(IdentifyError, match="no-year.txt.*year"):
        identify(doc)


def test_report_naming_no_body_at_all_is_refused() -> None:
    text = "2016年度政府信息公开年度报告\n" + NARRATIVE_BODY + "2016年,共主动公开政府信息568条。\n"
    doc = normalise(text.encode(), ".txt", "anonymous.txt")
    with pytest.raises(IdentifyError, match="anonymous.txt.*organ"):
        identify(doc)


def test_gazetteer_resolves_full_hierarchies() -> None:
    gaz = gazetteer()
    (mentougou,) = gaz.lookup("门头沟区")
    assert gaz.region_name(mentougou) == "北京市门头沟区"  # a municipality has no prefecture row
    (xiantao,) = gaz.lookup("仙桃市")
    assert gaz.region_name(xiantao) == "湖北省仙桃市"  # directly under the province
    (turpan,) = gaz.lookup("吐鲁番地区")
    assert turpan.name == "吐鲁番市" and gaz.region_name(turpan, "吐鲁番地区") == "新疆维吾尔自治区吐鲁番地区"
    assert len(gaz.lookup("朝阳区")) == 2


def test_gazetteer_ignores_names_inside_words() -> None:
    gaz = gazetteer()
    # 开平 in 公开平台, 和县 in 省、市和县, 城区 "urban area": none is a place.
    assert not gaz.mentions("依托政府信息公开平台,按照省、市和县的要求,在城区设立查阅点")


def test_identify_is_fast_on_a_long_report() -> None:
    text = REPORTS[1][1] + ("2011年,我区主动公开政府信息27786条,通过政府网站公开信息25477条。\n" * 4000)
    doc = doc_of(text)
    start = time.perf_counter()
    meta = identify(doc)
    assert meta.year == 2011
    assert time.perf_counter() - start < 1.0
