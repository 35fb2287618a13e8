"""Plausible agencies: a real county from the gazetteer, a made-up township or a county department.

Township names are two syllables from small pools of characters common in
Chinese place names. The pools avoid 省市区县旗州盟 (the suffixes of official
division names), so a made-up township never reads as a real county or city.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from ..region import Region, all_counties, resolve

FIRST = "东西南北上下大小新老高红白青黄金石马杨李王张刘陈赵柳桃杏梨枣松柏槐榆双三五九龙凤鹤云山河湖泉沙"
SECOND = "庄堡寨营屯店集桥坪塬岭峪川滩沟湾台河泉湖口关门城阳安宁平和兴隆丰源窑坝井"
# (unit word in the name, how the agency signs)
TOWNSHIP_KINDS = (("镇", "人民政府"), ("乡", "人民政府"), ("街道", "办事处"))
DEPARTMENTS = ("自然资源局", "教育体育局", "卫生健康局", "财政局", "公安局", "市场监督管理局", "农业农村局",
               "住房和城乡建设局", "人力资源和社会保障局", "民政局", "交通运输局", "水务局", "司法局",
               "应急管理局", "文化旅游广电局", "退役军人事务局")


@dataclass(frozen=True)
class Agency:
    name: str  # the full name, as signed: 海原县西安镇人民政府, 海原县自然资源局
    short: str  # without the place: 西安镇人民政府, 自然资源局
    core: str  # how the prose names it: 西安镇, 自然资源局
    unit: str  # 镇, 乡, 街道 or 局: “我镇”, “全乡”, “我局”
    region: Region
    department: bool

    @property
    def township(self) -> bool:
        return not self.department


def county_prefix(region: Region, rest: str) -> str:
    """The county name, with its city (or province) before it when the county's
    name alone is ambiguous (朝阳区, 长安区): the parser must find the same county."""
    for prefix in (region.county, (region.city or region.province) + region.county,
                   region.province + (region.city or "") + region.county):
        if resolve(prefix + rest)[0] == region:
            return prefix
    raise ValueError(f"county not resolvable: {region}")


class Namer:
    """Draws agencies; never the same name twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counties = all_counties()
        self.used: set[str] = set()

    def agency(self) -> Agency:
        while True:
            a = self._draw()
            if a.name not in self.used:
                self.used.add(a.name)
                return a

    def _draw(self) -> Agency:
        rng = self.rng
        region = rng.choice(self.counties)
        if rng.random() < 0.25:
            dept = rng.choice(DEPARTMENTS)
            return Agency(county_prefix(region, dept) + dept, dept, dept, "局", region, True)
        unit, tail = rng.choices(TOWNSHIP_KINDS, weights=(6, 3, 1))[0]
        stem = rng.choice(FIRST) + rng.choice(SECOND)
        core = stem + unit
        short = core + tail
        return Agency(county_prefix(region, short) + short, short, core, unit, region, False)
