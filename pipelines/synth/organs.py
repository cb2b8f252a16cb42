"""Reporting bodies for the synthetic corpus: governments at five levels and their departments.

Names are made up from a small list of real place names, in the patterns real reports print
(福州市鼓楼区人民政府, 闽侯县人民政府, 晋江市人民政府, 闽侯县财政局, 福建省财政厅). Region and level
follow the corpus gold files: a township's region is its county, a department's region its parent's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# province → city → counties (区 / 县 / county-level 市). Real places; the combinations are real too.
PLACES: dict[str, dict[str, tuple[str, ...]]] = {
    "福建省": {"福州市": ("鼓楼区", "台江区", "仓山区", "闽侯县", "连江县", "平潭县"),
               "厦门市": ("思明区", "湖里区", "集美区", "同安区"),
               "泉州市": ("鲤城区", "晋江市", "惠安县", "安溪县")},
    "江苏省": {"南京市": ("玄武区", "秦淮区", "鼓楼区", "江宁区"),
               "宿迁市": ("宿城区", "沭阳县", "泗阳县", "泗洪县"),
               "苏州市": ("姑苏区", "昆山市", "常熟市", "吴江区")},
    "广东省": {"清远市": ("清城区", "清新区", "佛冈县", "英德市"),
               "江门市": ("蓬江区", "开平市", "台山市", "恩平市"),
               "广州市": ("越秀区", "天河区", "番禺区", "从化区")},
    "四川省": {"达州市": ("通川区", "达川区", "大竹县", "渠县"),
               "资阳市": ("雁江区", "安岳县", "乐至县")},
    "湖南省": {"永州市": ("零陵区", "冷水滩区", "道县", "江永县"),
               "长沙市": ("芙蓉区", "岳麓区", "浏阳市", "宁乡市")},
    "浙江省": {"金华市": ("婺城区", "金东区", "东阳市", "义乌市"),
               "杭州市": ("上城区", "西湖区", "余杭区", "建德市")},
    "河北省": {"石家庄市": ("长安区", "桥西区", "正定县", "行唐县")},
    "安徽省": {"蚌埠市": ("龙子湖区", "蚌山区", "怀远县", "五河县")},
}
# Municipalities directly under the central government: province-level cities with districts.
MUNICIPALITIES: dict[str, tuple[str, ...]] = {
    "北京市": ("门头沟区", "海淀区", "朝阳区", "通州区"),
    "上海市": ("黄浦区", "浦东新区", "徐汇区", "闵行区"),
}
TOWNSHIPS = ("城关镇", "朝阳乡", "沙塘镇", "巍山镇", "南薰乡", "龙门镇", "新华镇", "永安镇", "石桥镇",
             "白沙镇", "东升镇", "太平乡", "青龙镇", "双河乡", "长乐镇", "金山街道", "城南街道")
# Departments: (county/city name, provincial name). Provinces have 厅, lower levels 局/委员会.
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("财政局", "财政厅"), ("教育局", "教育厅"), ("公安局", "公安厅"), ("民政局", "民政厅"),
    ("交通运输局", "交通运输厅"), ("市场监督管理局", "市场监督管理局"), ("自然资源局", "自然资源厅"),
    ("生态环境局", "生态环境厅"), ("卫生健康委员会", "卫生健康委员会"), ("农业农村局", "农业农村厅"),
    ("审计局", "审计厅"), ("发展和改革局", "发展和改革委员会"), ("人力资源和社会保障局", "人力资源和社会保障厅"),
    ("住房和城乡建设局", "住房和城乡建设厅"), ("文化和旅游局", "文化和旅游厅"), ("应急管理局", "应急管理厅"),
    ("司法局", "司法厅"), ("水利局", "水利厅"), ("统计局", "统计局"), ("人民政府办公室", "人民政府办公厅"),
)
GOVERNMENT = "人民政府"

# How much a body of each level handles in a year: the typical count of new requests (scale of a
# log-normal draw). Provinces and big cities get hundreds to thousands, townships a handful.
LEVEL_SCALE = {"province": 400.0, "city": 120.0, "county": 25.0, "township": 1.5, "department": 8.0}
# Share of organs drawn at each level (many counties and departments, few provinces).
LEVEL_WEIGHTS = {"province": 1, "city": 4, "county": 10, "township": 8, "department": 14}


@dataclass(frozen=True)
class Organ:
    """One reporting body as printed in its report titles."""

    organ_id: int
    name: str
    region: str
    level: str
    scale: float  # typical new requests a year
    # The government above or around the body, as prose names it (闽侯县, 福州市鼓楼区); reports of
    # townships and departments mention it, which is how a reader places a bare 永安镇人民政府.
    parent: str = ""


def _county_name(city: str, county: str) -> str:
    """Districts print with their city (福州市鼓楼区), counties and county-level cities alone."""
    return city + county if county.endswith("区") else county


def make_organ(organ_id: int, rng: random.Random) -> Organ:
    """Draw one organ: a level by weight, then a place and (for departments) a department."""
    levels = list(LEVEL_WEIGHTS)
    level = rng.choices(levels, weights=[LEVEL_WEIGHTS[lv] for lv in levels])[0]
    use_municipality = rng.random() < 0.15
    if use_municipality:
        province = rng.choice(sorted(MUNICIPALITIES))
        city, county = province, rng.choice(MUNICIPALITIES[province])
    else:
        province = rng.choice(sorted(PLACES))
        city = rng.choice(sorted(PLACES[province]))
        county = rng.choice(PLACES[province][city])
    county_region = province + county if use_municipality else province + city + county
    city_region = province if use_municipality else province + city
    county_full = (province + county) if use_municipality else _county_name(city, county)
    scale = LEVEL_SCALE[level] * rng.lognormvariate(0.0, 0.6)
    if level == "province":
        return Organ(organ_id, province + GOVERNMENT, province, level, scale)
    if level == "city":
        return Organ(organ_id, city + GOVERNMENT, city_region, level, scale, province)
    if level == "county":
        return Organ(organ_id, county_full + GOVERNMENT, county_region, level, scale,
                     "" if use_municipality else city)
    if level == "township":
        town = rng.choice(TOWNSHIPS)
        prefix = county_full if rng.random() < 0.6 else ""
        return Organ(organ_id, prefix + town + ("办事处" if town.endswith("街道") else GOVERNMENT),
                     county_region, level, scale, county_full)
    local, provincial = rng.choice(DEPARTMENTS)
    parent = rng.choices(("province", "city", "county"), weights=(1, 3, 6))[0]
    if parent == "province":
        return Organ(organ_id, province + provincial, province, level, scale * 3, province)
    if parent == "city":
        return Organ(organ_id, city + local, city_region, level, scale * 2, city)
    return Organ(organ_id, county_full + local, county_region, level, scale, county_full)
