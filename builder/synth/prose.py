"""Prose donors: the seeds' own introductions and section texts, re-addressed to another agency and year.

A donor is one seed, parsed. Its place and agency names, its years and its
contact details are replaced in one pass; sentences in which the seed states
its own request or appeal figures are dropped, because the synthetic tables
differ — `claims` writes those sentences afresh from the new tables.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from ..ingest import read
from ..parse import parse
from ..region import Region
from .names import Agency

_SENTENCE = re.compile(r"[^。！？；]*[。！？；]?")
# A sentence that states how many requests, reviews or lawsuits there were (or that there were none).
_CLAIM_TOPIC = re.compile(r"申请|复议|诉讼|起诉")
_CLAIM_FIGURE = re.compile(r"\d|未|无|没有|均|全部|零")
_YEAR = re.compile(r"(?<![\d〔\[])(20\d{2})(?=\s*年)")
_PHONE = re.compile(r"0\d{2,3}-\d{7,8}")
_POSTCODE = re.compile(r"(?<=邮编[：:])\s*\d{6}")
_URL = re.compile(r"https?://[A-Za-z0-9.\-]+/?")
_ORG_TAILS = ("人民政府", "政府", "办事处")
_REGION_SUFFIXES = ("回族自治区", "壮族自治区", "维吾尔自治区", "自治区", "自治县", "自治旗",
                    "省", "市", "县", "区", "旗")
_APPLY_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十]*[)）]?依申请公开(?:情况|方面|工作)?[。：:]?$")


def short_region(name: str) -> str:
    for suf in _REGION_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


@dataclass(frozen=True)
class Donor:
    name: str  # the seed's file name
    year: int
    unit: str  # 镇 or 乡: how the seed agency calls itself (我镇, 全乡)
    county_unit: str  # 县 or 区: 县委, 区政府
    words: dict  # seed word → role, e.g. 海原县 → "county"
    intro: list[str]  # paragraphs
    sections: dict  # section no → paragraphs


def load_donors(seeds: str | Path) -> list[Donor]:
    """Every seed that parses as a complete township report on the 2021 template, in name order."""
    out = []
    for path in sorted(Path(seeds).glob("*.txt")):
        rec = parse(read(path))
        region, agency = rec.get("region"), rec.get("agency") or ""
        if (not region or not region.get("county") or not isinstance(rec.get("year"), int)
                or rec.get("template") != "2021" or len(rec["sections"]) != 6):
            continue
        rest = agency
        for name in (region["province"], region.get("city") or "", region["county"]):
            if name and rest.startswith(name):
                rest = rest[len(name):]
        core = next((rest[: -len(t)] for t in _ORG_TAILS if rest.endswith(t)), rest)
        if core[-1:] not in "镇乡":
            continue
        words = {agency: "full", core + "人民政府": "short", core + "政府": "short", core: "core"}
        if len(core) >= 3:
            words[core[:-1]] = "stem"
        for level in ("province", "city", "county"):
            name = region.get(level)
            if name:
                words[name] = level
                if short_region(name) != name:
                    words[short_region(name)] = level + "_short"
        out.append(Donor(path.name, rec["year"], core[-1], region["county"][-1], words,
                         _paras(rec.get("intro") or ""),
                         {s["no"]: _paras(s["text"]) for s in rec["sections"]}))
    return out


def _paras(text: str) -> list[str]:
    return [p for p in (x.strip() for x in text.split("\n\n")) if p]


def _unit_words(agency: Agency) -> dict:
    """How the agency calls itself and its offices, keyed by the word after the seed's 镇/乡."""
    if agency.department:
        return {"我": "我局", "全": "全局", "本": "本局", "该": "该局", "政府": "局机关", "党委": "局党组",
                "村": "局属各单位", "级": "局级", "综合办公室": "局办公室", "为民服务中心": "局政务服务窗口"}
    u = agency.unit
    if u == "街道":
        return {"我": "我街道", "全": "全街道", "本": "本街道", "该": "该街道", "政府": "街道办事处",
                "党委": "街道党工委", "村": "街道社区", "级": "街道级", "综合办公室": "街道综合办公室",
                "为民服务中心": "街道便民服务中心"}
    return {k: (k + u if k in "我全本该" else u + k)
            for k in ("我", "全", "本", "该", "政府", "党委", "村", "级", "综合办公室", "为民服务中心")}


@dataclass(frozen=True)
class Contact:
    phone: str
    postcode: str
    url: str


def contact(rng: random.Random, region: Region) -> Contact:
    area = f"0{rng.randint(10, 999)}" if rng.random() < 0.3 else f"0{rng.randint(300, 999)}"
    phone = f"{area}-{rng.randint(2, 8)}{rng.randint(0, 999999):06d}"
    postcode = f"{region.code[:2]}{rng.randint(0, 9999):04d}"
    host = "".join(rng.choice("abcdefghjklmnpqrstwxyz") for _ in range(rng.randint(2, 5)))
    return Contact(phone, postcode, f"http://www.{host}.gov.cn/")


class Readdress:
    """Replace a donor's names, years and contacts with an agency's in one pass."""

    def __init__(self, donor: Donor, agency: Agency, year: int, contact_: Contact):
        region = agency.region
        city = region.city or region.province
        new = {
            "full": agency.name, "short": agency.short, "core": agency.core,
            "stem": agency.core[:-len(agency.unit)] if agency.township else short_region(region.county),
            "county": region.county, "county_short": short_region(region.county),
            "city": city, "city_short": short_region(city),
            "province": region.province, "province_short": short_region(region.province),
        }
        self.map = {w: new[role] for w, role in donor.words.items()}
        for tail, word in _unit_words(agency).items():
            key = tail + donor.unit if tail in "我全本该" else donor.unit + tail
            self.map.setdefault(key, word)
        cu, new_cu = donor.county_unit, region.county[-1]
        for tail in ("委", "政府", "政务公开办", "级", "直"):
            self.map.setdefault(cu + tail, new_cu + tail)
        self.map.setdefault("全" + cu, "全" + new_cu)
        words = sorted(self.map, key=lambda w: (-len(w), w))
        self.pattern = re.compile("|".join(re.escape(w) for w in words))
        self.delta = year - donor.year
        self.contact = contact_

    def __call__(self, text: str) -> str:
        text = self.pattern.sub(lambda m: self.map[m.group(0)], text)
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + self.delta), text)
        text = _PHONE.sub(self.contact.phone, text)
        text = _POSTCODE.sub(self.contact.postcode, text)
        return _URL.sub(self.contact.url, text)


def without_claims(paras: list[str]) -> list[str]:
    """Drop the sentences that state request or appeal figures; keep a heading such as “（二）依申请公开”."""
    out = []
    for p in paras:
        kept = [s for s in _SENTENCE.findall(p) if s and not (_CLAIM_TOPIC.search(s) and _CLAIM_FIGURE.search(s))]
        if kept:
            out.append("".join(kept))
    return out


def insert_claim(paras: list[str], claim: str) -> list[str]:
    """Put the request sentence after the “依申请公开” heading (its own paragraph or the head of
    one); without such a heading, at the end."""
    for i, p in enumerate(paras):
        sents = [s for s in _SENTENCE.findall(p) if s]
        if sents and _APPLY_HEADING.match(sents[0].strip()):
            if len(sents) == 1:
                return paras[:i + 1] + [claim] + paras[i + 1:]
            return paras[:i] + [sents[0] + claim + "".join(sents[1:])] + paras[i + 1:]
    return paras + [claim]


# ------------------------------------------------------------------ the sentences about the tables
def request_claim(year: int, who: str, received: int, carried_over: int, handled: int, forward: int) -> str:
    if received == 0 and carried_over == 0:
        return f"{year}年，{who}未收到政府信息公开申请。"
    s = f"{year}年，{who}共收到政府信息公开申请{received}件"
    if carried_over:
        s += f"，上年结转{carried_over}件"
    if forward:
        return s + f"，办结{handled}件，结转下年度继续办理{forward}件。"
    return s + "，已全部办结。"


def appeal_claim(year: int, reviews: int, suits: int) -> str:
    if reviews == 0 and suits == 0:
        return f"{year}年，未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    return f"{year}年，因政府信息公开被申请行政复议{reviews}件，被提起行政诉讼{suits}件。"
