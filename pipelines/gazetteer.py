"""The place names of China (province, prefecture, county) and the special zones, read from reference data.

``pipelines/reference/regions.csv`` holds each unit with its adcode; the first two digits of an adcode
name the province, the first four the prefecture. Lookups are dictionary lookups on exact names, so
matching a text costs a few probes per character, never a scan of all 3,000 names.
"""

from __future__ import annotations

import csv
import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference"
RANKS = ("province", "city", "county")
# Longest place name in regions.csv is 11 characters (塔什库尔干塔吉克自治县); a zone alias may be longer.
MAX_NAME_LEN = 12
# A place name ends in one of these; probing only where they occur keeps text scans cheap.
PLACE_END_CHARS = frozenset("省市县区旗盟州")
# Names that are also ordinary words (城区 "urban area", 郊区 "suburbs"): never taken from running text.
GENERIC_NAMES = frozenset(
    {"城区", "郊区", "矿区", "东区", "西区", "市中区", "新城区", "城中区", "城东区", "城西区", "城北区"}
)
# Running text names a unit in full with at least this many characters; two-character names (和县, 南县)
# hide inside phrases such as 省、市和县 and are only trusted at the start of an organ's name.
MIN_MENTION_LEN = 3
# Suffixes under which a unit was once printed and may still be (吐鲁番地区 became 吐鲁番市 in 2015,
# 清新县 became 清新区 in 2012): short form + one of these finds the unit under its current name.
FORMER_SUFFIXES = ("地区", "县", "市", "区", "盟", "州")


@dataclass(frozen=True)
class Place:
    adcode: str
    name: str
    short: str
    rank: str  # province | city | county

    @property
    def province_code(self) -> str:
        return self.adcode[:2] + "0000"

    @property
    def city_code(self) -> str:
        return self.adcode[:4] + "00"

    def is_within(self, other: Place) -> bool:
        """True when this unit lies inside ``other`` (or is it)."""
        if other.rank == "province":
            return self.adcode[:2] == other.adcode[:2]
        if other.rank == "city":
            return self.adcode[:4] == other.adcode[:4]
        return self.adcode == other.adcode


@dataclass(frozen=True)
class Zone:
    """A special zone run by a 管委会 (平潭综合实验区): its organ, region and level are data."""

    name: str
    aliases: tuple[str, ...]
    organ: str
    region: str
    level: str


@dataclass(frozen=True)
class Gazetteer:
    by_code: dict[str, Place]
    by_name: dict[str, tuple[Place, ...]]
    by_short: dict[str, tuple[Place, ...]]
    zones: dict[str, Zone]  # every name and alias → zone

    def ancestors(self, place: Place) -> list[Place]:
        """Province and prefecture above a unit, outermost first (a municipality's 市辖区 is skipped)."""
        out = []
        if place.rank != "province":
            prov = self.by_code.get(place.province_code)
            if prov:
                out.append(prov)
        if place.rank == "county":
            city = self.by_code.get(place.city_code)
            if city:
                out.append(city)
        return out

    def region_name(self, place: Place, printed: str | None = None) -> str:
        """Full hierarchy, e.g. 广东省清远市清新区; the unit itself under the name it was printed with."""
        return "".join(p.name for p in self.ancestors(place)) + (printed or place.name)

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Units printed under ``name``: the current full name, or a former suffix (吐鲁番地区)."""
        found = self.by_name.get(name)
        if found:
            return found
        for suffix in FORMER_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                stem = name[: -len(suffix)]
                rank = {"地区": "city", "盟": "city", "州": "city", "县": "county"}.get(suffix)
                cands = tuple(p for p in self.by_short.get(stem, ()) if rank is None or p.rank == rank)
                if len(cands) == 1:
                    return cands
        return ()

    def place_at(self, text: str, start: int) -> tuple[str, tuple[Place, ...]] | None:
        """The longest place name (full or former form) that begins at ``start``."""
        for n in range(min(MAX_NAME_LEN, len(text) - start), 1, -1):
            cand = text[start : start + n]
            if cand[-1] not in PLACE_END_CHARS:
                continue
            places = self.lookup(cand)
            if places:
                return cand, places
        return None

    def zone_at(self, text: str, start: int = 0) -> tuple[str, Zone] | None:
        for n in range(min(MAX_NAME_LEN + 4, len(text) - start), 1, -1):
            zone = self.zones.get(text[start : start + n])
            if zone:
                return text[start : start + n], zone
        return None

    def mentions(self, text: str) -> Counter[Place]:
        """Units named in full in ``text``; a name several units share (鼓楼区) says nothing and is skipped."""
        counts: Counter[Place] = Counter()
        for end, ch in enumerate(text, start=1):
            if ch not in PLACE_END_CHARS:
                continue
            for n in range(MAX_NAME_LEN, MIN_MENTION_LEN - 1, -1):
                if end - n < 0:
                    continue
                name = text[end - n : end]
                places = self.by_name.get(name)
                if places and name not in GENERIC_NAMES:
                    if len(places) == 1:
                        counts.update(places)
                    break
        return counts


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@functools.cache
def gazetteer() -> Gazetteer:
    by_code: dict[str, Place] = {}
    by_name: dict[str, list[Place]] = {}
    by_short: dict[str, list[Place]] = {}
    for row in _rows(REFERENCE / "regions.csv"):
        place = Place(row["adcode"], row["name"], row["short"], row["rank"])
        by_code[place.adcode] = place
        by_name.setdefault(place.name, []).append(place)
        if place.short:
            by_short.setdefault(place.short, []).append(place)
    zones: dict[str, Zone] = {}
    for row in _rows(REFERENCE / "identify_zones.csv"):
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        zone = Zone(row["name"], aliases, row["organ"], row["region"], row["level"])
        for name in (zone.name, *aliases):
            zones[name] = zone
    return Gazetteer(
        by_code=by_code,
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_short={k: tuple(v) for k, v in by_short.items()},
        zones=zones,
    )
