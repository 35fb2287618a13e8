"""Index pages: home, by region, by year, agencies A–Z, by validation status.

Index pages list every report, so they are kept out of the search index
(the report pages themselves are what a search should find).
"""
from __future__ import annotations

from collections import Counter

from ..slug import pinyin
from . import anchors as A
from .html import Pages, esc, front_matter, heading, link
from .model import UNKNOWN_REGION, Archive, Entry
from .searchdict import agency_core

HOME = "index.md"
NEWEST = 10


def _year_links(page: str, entries: list[Entry]) -> str:
    items = sorted(entries, key=lambda e: (e.year or 0, e.slug))
    return " ".join(link(Pages.href(page, e.page), str(e.year) if e.year else "年份不详", class_="xx-year")
                    for e in items)


def _agency_list(page: str, entries: list[Entry]) -> str:
    """Agencies with their years, one line each."""
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        groups.setdefault(e.agency_key, []).append(e)
    items = []
    for key in sorted(groups, key=lambda k: (pinyin(groups[k][0].agency), groups[k][0].agency, k)):
        es = groups[key]
        newest = max(es, key=lambda e: (e.year or 0, e.slug))
        items.append(f"<li>{link(Pages.href(page, newest.page), newest.agency)}　{_year_links(page, es)}</li>")
    return f'<ul class="xx-agencies">{"".join(items)}</ul>'


def _examples(archive: Archive) -> list[str]:
    """Queries that find something in this archive: an agency, its county, a topic."""
    for e in archive.newest(NEWEST):
        if e.region and e.region.get("county"):
            names = [n for n in (e.region.get("province"), e.region.get("city"), e.region.get("county")) if n]
            core = agency_core(e.agency or "", names)
            return [w for w in (core, e.region["county"]) if w] + ["行政复议"]
    return ["行政复议", "依申请公开"]


def home(archive: Archive, intro: str) -> str:
    page = HOME
    es = archive.shown
    agencies = len({e.agency_key for e in es})
    places = {tuple(n for n, _ in A.region_path(e)) for e in es if e.region}
    years = sorted({e.year for e in es if e.year})
    errors = sum(1 for e in es if e.status == "fail")
    warns = sum(1 for e in es if e.status == "warn")
    unreadable = sum(1 for i in archive.inputs if i.status == "error")
    # Search comes first: right under the intro's heading, before its prose.
    head, _, rest = intro.strip().partition("\n") if intro.lstrip().startswith("# ") else ("", "", intro.strip())
    out = [front_matter("首页", hide=("navigation", "toc"), search_exclude=True), head,
           '<div class="xx-search-cta" data-search-exclude><label for="__search" class="xx-search-box" '
           f'role="button" tabindex="0">搜索机关、地名或主题，例如：{esc("、".join(_examples(archive)))}</label></div>',
           rest.strip()]
    span = f"{years[0]}–{years[-1]} 年" if len(years) > 1 else (f"{years[0]} 年" if years else "—")
    stats = [("份报告", len(es)), ("个机关", agencies), ("个地区", len(places))]
    cards = "".join(f'<li><strong>{n}</strong>{esc(label)}</li>' for label, n in stats)
    cards += f'<li><strong>{esc(span)}</strong>覆盖年度</li>'
    out.append(f'<ul class="xx-stats" data-search-exclude>{cards}</ul>')
    check = (f"校验发现：{link(Pages.href(page, A.STATUS, 'fail'), f'{errors} 份报告有错误')}，"
             f"{link(Pages.href(page, A.STATUS, 'warn'), f'{warns} 份报告有警告')}。")
    if unreadable:
        check += f"另有 {link(Pages.href(page, A.BUILD_REPORT), f'{unreadable} 个文件无法读取')}。"
    out.append(f'<p class="xx-check" data-search-exclude>{check}</p>')
    out.append("## 最新收录 {#newest data-search-exclude}")
    items = []
    for e in archive.newest(NEWEST):
        place = " ".join(n for n, _ in A.region_path(e))
        items.append(f'<li>{link(Pages.href(page, e.page), e.title)}<span class="xx-dim">　{esc(place)}</span></li>')
    out.append(f'<ul class="xx-newest">{"".join(items)}</ul>')
    out.append("## 浏览 {#browse data-search-exclude}")
    nav = [(A.REGIONS, "按地区", "省、市、县，各机关各年度"), (A.YEARS, "按年度", "每年收录的报告"),
           (A.AGENCIES, "机关索引", "按拼音 A–Z 排列"), (A.STATUS, "校验结果", "有错误、有警告和全部通过的报告"),
           (A.STATISTICS, "统计", "申请数量、办理结果、复议和诉讼"), (A.DOWNLOADS, "下载", "JSON 和 CSV 数据"),
           (A.RULES, "校验规则", "每项检查核对什么、为什么")]
    out.append('<ul class="xx-browse">' + "".join(
        f"<li>{link(Pages.href(page, p), t)}<span class=\"xx-dim\">　{esc(d)}</span></li>" for p, t, d in nav) + "</ul>")
    return "\n\n".join(out) + "\n"


def _region_tree(archive: Archive) -> dict:
    """{(province, anchor): {(city, anchor) | None: {(county, anchor) | None: [entries]}}}."""
    tree: dict = {}
    for e in archive.shown:
        path = A.region_path(e)
        prov = path[0]
        city = path[1] if len(path) > 1 and e.region and e.region.get("city") else None
        county = path[-1] if e.region and e.region.get("county") else None
        tree.setdefault(prov, {}).setdefault(city, {}).setdefault(county, []).append(e)
    return tree


def _code_key(archive_entries: list[Entry], digits: int) -> tuple:
    codes = sorted(str((e.region or {}).get("code") or "") for e in archive_entries)
    code = codes[0][:digits] if codes and codes[0] else "999999"
    return (code,)


def regions(archive: Archive) -> str:
    page = A.REGIONS
    tree = _region_tree(archive)
    out = [front_matter("按地区浏览", hide=("navigation",), search_exclude=True), "# 按地区浏览"]
    out.append('<p class="xx-lead">按省、市、县列出每个机关及其各年度报告。机关名称无法对应到行政区划的报告列在'
               f"“{UNKNOWN_REGION}”之下。</p>")

    def all_of(node) -> list[Entry]:
        if isinstance(node, list):
            return node
        return [e for v in node.values() for e in all_of(v)]

    def order(items, digits):
        # By code; by pinyin only among places that share one (a name's first pinyin costs a
        # lookup in pypinyin's dictionaries, and places seldom share a code).
        keyed = [((kv[0] is not None and kv[0][0] == UNKNOWN_REGION, _code_key(all_of(kv[1]), digits)), kv)
                 for kv in items]
        shared = Counter(k for k, _kv in keyed)
        return [kv for _k, kv in sorted(keyed, key=lambda p: (p[0], pinyin(p[1][0][0])
                                                              if shared[p[0]] > 1 and p[1][0] else ""))]

    for prov, cities in order(tree.items(), 2):
        n = len(all_of(cities))
        out.append(heading(2, prov[0], prov[1]))
        out.append(f'<p class="xx-dim">{n} 份报告</p>')
        if prov[0] == UNKNOWN_REGION:
            out.append('<p class="xx-note">这些报告的机关名称和正文中，没有能在行政区划库中确定所属省、市、县的地名'
                       "（地名不在库中，或对应多个地区而无法确定）。各报告页面的“所属地区”和“解析说明”写明了具体原因。</p>")
        for city, counties in order(cities.items(), 4):
            if city is not None:
                out.append(heading(3, city[0], city[1]))
            for county, entries in order(counties.items(), 6):
                if county is not None:
                    out.append(heading(4, county[0], county[1]))
                out.append(_agency_list(page, entries))
    return "\n\n".join(out) + "\n"


def years(archive: Archive) -> str:
    page = A.YEARS
    out = [front_matter("按年度浏览", hide=("navigation",), search_exclude=True), "# 按年度浏览"]
    for year, entries in archive.by_year().items():
        out.append(heading(2, f"{year}年" if year else "年份不详", A.year_anchor(year)))
        items = []
        for e in sorted(entries, key=lambda e: ([n for n, _ in A.region_path(e)], e.sort_key)):
            place = " ".join(n for n, _ in A.region_path(e))
            items.append(f"<li>{link(Pages.href(page, e.page), e.agency)}"
                         f'<span class="xx-dim">　{esc(place)}</span></li>')
        out.append(f'<p class="xx-dim">{len(entries)} 份报告</p>')
        out.append(f'<ul class="xx-agencies">{"".join(items)}</ul>')
    return "\n\n".join(out) + "\n"


def agencies(archive: Archive) -> str:
    page = A.AGENCIES
    letters: dict[str, list[Entry]] = {}
    for e in archive.shown:
        first = pinyin(e.agency)[:1].upper()
        letters.setdefault(first if "A" <= first <= "Z" else "#", []).append(e)
    keys = sorted(letters, key=lambda k: (k == "#", k))
    out = [front_matter("机关索引", hide=("navigation",), search_exclude=True), "# 机关索引（按拼音）"]
    jump = " ".join(link(f"#{_letter_anchor(k)}", k) for k in keys)
    out.append(f'<p class="xx-letters">{jump}</p>')
    for k in keys:
        out.append(heading(2, k if k != "#" else "其他", _letter_anchor(k)))
        out.append(_agency_list(page, letters[k]))
    return "\n\n".join(out) + "\n"


def _letter_anchor(k: str) -> str:
    return f"letter-{k.lower()}" if k != "#" else "letter-other"


STATUS_SECTIONS = (
    ("fail", "有错误的报告", "至少一项检查结果为“错误”：表格数字相互矛盾，或缺少必须有的内容。"),
    ("warn", "有警告的报告", "没有错误，但至少一项检查结果为“警告”：例如正文与表格说法不一致。"),
    ("unknown", "有无法核对项的报告", "没有错误和警告，但有检查因原文缺少数据（如落款日期、空白单元格）而无法核对。"),
    ("pass", "全部通过的报告", "所有检查都通过。"),
    ("none", "尚未校验的报告", "这些报告没有校验结果。"),
)


def status(archive: Archive) -> str:
    page = A.STATUS
    labels = archive.status_labels or {}
    rules = {getattr(r, "id", None): getattr(r, "title", None) for r in archive.rules}
    out = [front_matter("按校验结果浏览", hide=("navigation",), search_exclude=True), "# 按校验结果浏览"]
    out.append(f'<p class="xx-lead">每份报告都经过一组自动检查，规则见{link(Pages.href(page, A.RULES), "校验规则")}。'
               "报告按最严重的结果归类；有错误或警告的报告列出了具体内容。</p>")
    groups: dict[str, list[Entry]] = {}
    for e in archive.shown:
        groups.setdefault(e.status, []).append(e)
    counts = " · ".join(f"{link('#' + s, t)} {len(groups.get(s, []))}" for s, t, _ in STATUS_SECTIONS
                        if groups.get(s) or s in ("fail", "warn"))
    out.append(f"<p>{counts}</p>")
    for s, title, desc in STATUS_SECTIONS:
        entries = groups.get(s, [])
        if not entries and s not in ("fail", "warn"):
            continue
        out.append(heading(2, f"{title}（{len(entries)}）", s))
        out.append(f'<p class="xx-dim">{esc(desc)}</p>')
        if not entries:
            out.append("<p>没有。</p>")
            continue
        items = []
        for e in entries:
            c = e.status_counts()
            summary = "，".join(f"{labels.get(k, k)} {c[k]}" for k in ("fail", "warn", "unknown") if c[k])
            body = ""
            if s in ("fail", "warn"):
                msgs = [f for f in e.findings if f.get("status") in ("fail", "warn")]
                body = '<ul class="xx-msgs">' + "".join(
                    f'<li><span class="xx-chip xx-{esc(f["status"])}">{esc(labels.get(f["status"], f["status"]))}</span> '
                    f'{esc(rules.get(f.get("rule")) or f.get("rule") or "")}：{esc(f.get("message") or "")}</li>'
                    for f in msgs) + "</ul>"
            items.append(f"<li>{link(Pages.href(page, e.page), e.title)}"
                         f'<span class="xx-dim">　{esc(summary)}</span>{body}</li>')
        out.append(f'<ul class="xx-status-list">{"".join(items)}</ul>')
    return "\n\n".join(out) + "\n"
