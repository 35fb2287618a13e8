"""A jieba user dictionary generated from the archive, for Material's build-time segmentation.

Without it jieba cuts 海原县西安镇人民政府 into 海原县/西安/镇/… and 湟中区西堡镇 into
湟中/区西堡/镇, so a reader searching 西安镇 or 湟中区 misses. The dictionary
holds the region names of every report (full and short forms: 海原县, 海原),
each agency's own name without its region and 人民政府 (西安镇, 贾塘乡, 红寺堡镇)
and the template's terms. Only pure Chinese words of 2–12 characters are
written, so nothing from a report can break the file's format.
"""
from __future__ import annotations

import re

from .. import template as T
from .model import Archive
from .stats import categories

F_FULL = 200000  # full names: win over any split into shorter words
F_SHORT = 50000  # short forms (海原, 红寺堡): searchable on their own, lose to the full name
F_TERM = 30000

_HAN = re.compile(r"^[\u4e00-\u9fff]{2,12}$")
REGION_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
                   "自治旗", "地区", "林区", "新区", "省", "市", "县", "区", "旗", "盟")
ORG_TAILS = ("人民政府办公室", "人民政府", "街道办事处", "办事处", "政府")
PLACE_SUFFIXES = ("街道", "镇", "乡", "苏木")
# Words readers search for that the template's labels do not spell out whole.
VOCABULARY = ("政务公开", "依申请公开", "主动公开", "信息处理费", "政府信息公开申请")


def short_region(name: str) -> str | None:
    for suf in REGION_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return None


def agency_core(agency: str, region_names: list[str]) -> str | None:
    """The agency's own name: 海原县西安镇人民政府 → 西安镇."""
    s = agency
    changed = True
    while changed:
        changed = False
        for n in region_names:
            if n and s.startswith(n) and len(s) > len(n):
                s, changed = s[len(n):], True
    for tail in ORG_TAILS:
        if s.endswith(tail) and len(s) > len(tail):
            s = s[: -len(tail)]
            break
    return s if _HAN.match(s) else None


def words(archive: Archive) -> dict[str, int]:
    out: dict[str, int] = {}

    def add(word: str | None, freq: int) -> None:
        if word and _HAN.match(word):
            out[word] = max(out.get(word, 0), freq)

    for e in archive.entries:
        names = [n for n in ((e.region or {}).get(k) for k in ("province", "city", "county")) if n]
        for n in names:
            add(n, F_FULL)
            add(short_region(n), F_SHORT)
        for agency in {e.agency, e.record.get("agency_in_title") or ""}:
            core = agency_core(agency, names + [short_region(n) or "" for n in names])
            add(core, F_FULL)
            if core:
                for suf in PLACE_SUFFIXES:
                    if core.endswith(suf) and len(core) - len(suf) >= 2:
                        add(core[: -len(suf)], F_SHORT)
    for table in ("active", "active_2019"):
        for r in T.TABLE[table].rows:
            add(r.label, F_TERM)
    for g in T.APPEAL_GROUPS:
        add(g.label, F_TERM)
        add(g.group, F_TERM)
    for label, _keys in categories():
        add(label, F_TERM)
    for w in VOCABULARY:
        add(w, F_TERM)
    return out


def render(archive: Archive) -> str:
    return "".join(f"{w} {f}\n" for w, f in sorted(words(archive).items()))
