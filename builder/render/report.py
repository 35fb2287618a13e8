"""One report page: header, validation badges, the six sections with their tables, findings, links."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from .. import template as T
from . import anchors as A
from .html import Pages, attrs, esc, front_matter, link, paragraphs
from .model import PRIMARY_RULE, UNKNOWN_REGION, Archive, Entry
from .searchtext import Budget
from .tables import TABLE_FOR_SECTION, Cells
from .versions import differences
from ..validate.registry import STATUS_LABELS

STATUS_ORDER = ("fail", "warn", "unknown", "pass")
STATUS_FALLBACK = STATUS_LABELS
TEMPLATE_NAMES = {
    "2021": "2021年格式（国办公开办函〔2021〕30号）",
    "2019": "2019年试行格式（国办公开办函〔2019〕60号）",
}


def cell_label(path: str) -> str:
    return T.path_label(path)


def _one_line(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def render(entry: Entry, archive: Archive) -> str:
    r = entry.record
    page = entry.page
    title = entry.title
    labels = archive.status_labels or STATUS_FALLBACK
    # Another version of a report that has its own page stays out of the search index:
    # a search should list the report once.
    out = [front_matter(title, hide=("navigation",), search_exclude=entry.primary is not None)]
    out.append(f'<h1 id="report-title">{esc(title)}</h1>')
    out.append(version_notice(entry, page))
    year = link(Pages.href(page, A.YEARS, A.year_anchor(entry.year)), entry.year_text)
    out.append(f'<p class="xx-crumbs">{_crumbs(Pages.href(page, A.REGIONS), A.region_path(entry))} › {year}</p>')
    out.append(badges(entry, archive, page))
    out.append(meta(entry, page))
    if r.get("intro"):
        out.append(f'<section class="xx-intro" data-search-exclude>{paragraphs(r["intro"])}</section>')

    cells = Cells(r)
    texts = _texts(r)
    blocks = entry.made.get("prose") or prose(r)
    for no, heading, heading_excluded in _SECTION_HEADINGS:
        text = texts.get(no)
        # A section with no prose of its own (only its table) stays out of the search index.
        out.append(heading if text else heading_excluded)
        if text:
            out.append(blocks[no])
        elif no not in texts:
            out.append('<div class="xx-prose"><p class="xx-missing">原文中没有找到这一部分。</p></div>')
        if no in TABLE_FOR_SECTION:
            out.append(TABLE_FOR_SECTION[no](r, cells))
    out.append("## 校验结果 {#findings data-search-exclude}")
    out.append(findings(entry, archive, page, labels))
    out.append("## 该机关的年度报告 {#years data-search-exclude}")
    out.append(other_years(entry, archive, page))
    out.append("## 下载 {#downloads data-search-exclude}")
    out.append(downloads(entry, page))
    return "\n\n".join(filter(None, out)) + "\n"


def prose(record: dict) -> dict[int, str]:
    """Each section's prose, by section number, as its page shows it: what depends on the
    record's text alone (so it can be made before the findings across years are known)."""
    texts = _texts(record)
    budget = Budget(blocks=sum(1 for s in T.SECTIONS if texts.get(s.no)))
    return {no: f'<div class="xx-prose">{budget.render(texts[no])}</div>'
            for no, _h, _x in _SECTION_HEADINGS if texts.get(no)}


def _texts(record: dict) -> dict:
    return {s.get("no"): s.get("text") for s in record.get("sections") or [] if isinstance(s, dict)}


# Per section: its number, its heading, and its heading when the section is kept out of search.
_SECTION_HEADINGS = tuple(
    (sec.no, *(f"## {T.CN_ORDINALS[sec.no - 1]}、{sec.title} {{#s{sec.no}{flag}}}" for flag in ("", " data-search-exclude")))
    for sec in T.SECTIONS)


@lru_cache(maxsize=4096)  # reports of one county share their crumbs
def _crumbs(regions: str, path: tuple[tuple[str, str], ...]) -> str:
    """Province › city › county, each linked to its place on the region index (`regions`, relative)."""
    return " › ".join(link(f"{regions}#{anchor}", name) for name, anchor in path)


def badges(entry: Entry, archive: Archive, page: str) -> str:
    """Badge row: overall counts, then one badge per rule family with its worst status."""
    fs = entry.findings
    if not fs:
        text = "尚未校验" if not archive.rules else "没有校验结果"
        return f'<p class="xx-badges" data-search-exclude><span class="xx-badge xx-none">{text}</span></p>'
    labels = archive.status_labels or STATUS_FALLBACK
    # The row depends only on how many findings of each family and status there are: many
    # reports share it.
    pairs = tuple(Counter([(f.get("family"), f.get("status")) for f in fs]).items())
    return _badge_row(pairs, tuple(archive.families.items()), tuple(labels.items()))


@lru_cache(maxsize=4096)
def _badge_row(pairs: tuple, families_known: tuple, status_labels: tuple) -> str:
    """The badge row from ((family, status), how many) in order of first appearance."""
    labels = dict(status_labels)
    families = dict(families_known)
    counts = dict.fromkeys(STATUS_ORDER, 0)
    tally: dict = {}  # family → status → how many
    for (family, status), n in pairs:
        families.setdefault(family or "其他", family or "其他")
        if status in _MARKS:
            counts[status] += n
            c = tally.setdefault(family, {})
            c[status] = c.get(status, 0) + n
    parts = [_total_badge(tuple((s, labels.get(s, s), counts[s]) for s in STATUS_ORDER))]
    for fam, name in families.items():
        c = tally.get(fam)
        if not c:
            continue
        shown = tuple((s, c[s]) for s in STATUS_ORDER if s in c)
        parts.append(_badge(name, tuple((labels.get(s, s), n) for s, n in shown), shown[0][0]))
    return f'<p class="xx-badges" data-search-exclude>{"".join(parts)}</p>'


_MARKS = {"fail": "✗", "warn": "!", "unknown": "?", "pass": "✓"}


@lru_cache(maxsize=4096)  # many reports have the same counts
def _total_badge(counts: tuple[tuple[str, str, int], ...]) -> str:
    """The badge with the overall counts: (status, its label, how many), errors and warnings always."""
    total = "　".join(f'<span class="xx-count xx-{s}">{esc(label)} {n}</span>'
                     for s, label, n in counts if n or s in ("fail", "warn"))
    return f'<a class="xx-badge xx-total-badge" href="#findings">校验 {total}</a>'


@lru_cache(maxsize=4096)  # the same few badges recur on page after page
def _badge(name: str, counts: tuple[tuple[str, int], ...], worst: str) -> str:
    """One family's badge: its worst status, and how many of each (status label, count)."""
    detail = "，".join(f"{label}{n}项" for label, n in counts)
    return (f'<span{attrs(class_=f"xx-badge xx-{worst}", title=f"{name}：{detail}")}>'
            f'<span class="xx-mark" aria-hidden="true">{_MARKS[worst]}</span>{esc(name)}'
            f'<span class="xx-sr">：{esc(detail)}</span></span>')


def meta(entry: Entry, page: str) -> str:
    r = entry.record
    src = r.get("source") or {}
    rows = [("年度", esc(entry.year_text)),
            ("发布日期", esc(r.get("published") or "原文未注明"))]
    period = r.get("period") or {}
    if isinstance(period, dict) and (period.get("start") or period.get("text")):
        span = f"{period.get('start') or '？'} 至 {period.get('end') or '？'}"
        rows.append(("统计期间", esc(span)))
    rows.append(("报告格式", esc(TEMPLATE_NAMES.get(r.get("template"), "未能识别"))))
    if r.get("title"):
        rows.append(("原文标题", esc(_one_line(r["title"]))))
    contact = r.get("contact") or {}
    bits = [f"{k}：{_one_line(contact[key])}" for key, k in
            (("address", "地址"), ("postcode", "邮编"), ("phone", "电话"), ("website", "网站"))
            if isinstance(contact, dict) and contact.get(key)]
    if bits:
        rows.append(("联系方式", esc("；".join(bits))))
    files = "<br>".join(f"<code>{esc(p)}</code>" for p in entry.sources)
    enc = f"{esc(src.get('encoding') or '')}，{esc(src.get('bytes') or '')} 字节"
    rows.append(("来源文件", f"{files}（{enc}）　{link(Pages.href(page, entry.raw_file), '查看原文')}"))
    rows.append(("SHA-256", f'<code class="xx-sha">{esc(src.get("sha256") or "")}</code>'))
    if entry.versions:
        rows.append(("其他文本", versions(entry, page)))
    if entry.region is None:
        rows.append(("所属地区", f"{UNKNOWN_REGION}：未能从机关名称和正文确定所属行政区划，"
                                 "本报告列在“按地区浏览”的“地区未知”之下（原因见下方解析说明）"))
    notes = [n for n in r.get("notes") or [] if n]
    if notes:
        rows.append(("解析说明", "<br>".join(esc(_one_line(n)) for n in notes)))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return f'<dl class="xx-meta" data-search-exclude>{body}</dl>'


def version_notice(entry: Entry, page: str) -> str:
    """On a version that is not the primary: which page the indexes show, and why."""
    p = entry.primary
    if p is None:
        return ""
    return ('<div class="admonition info" data-search-exclude><p class="admonition-title">这是另一文本</p>'
            f"<p>同一机关同一年度的报告有几个不同的文本。本页显示来源文件 <code>{esc(entry.sources[0])}</code>；"
            f"索引中显示的主文本是 {link(Pages.href(page, p.page), p.title)}"
            f"（来源文件 <code>{esc(p.sources[0])}</code>）。{esc(PRIMARY_RULE)}两者的差别见下方“其他文本”。</p></div>")


def versions(entry: Entry, page: str) -> str:
    """Every other text of this agency·year: a link, its role, and how it differs from this one."""
    items = []
    for v in entry.versions:
        role = "主文本" if v.primary is None else "另一文本"
        diff = "".join(f"<li>{esc(d)}</li>" for d in differences(entry, v))
        items.append(f"<li>{link(Pages.href(page, v.page), v.sources[0])}（{role}）与本页的差别："
                     f"<ul>{diff}</ul></li>")
    n = len(entry.versions)
    return f'同一机关同一年度还有 {n} 个不同的文本：<ul class="xx-versions">{"".join(items)}</ul>'


def findings(entry: Entry, archive: Archive, page: str, labels: dict) -> str:
    fs = entry.findings
    if not fs:
        return '<p class="xx-none">本报告没有校验结果。</p>'
    names = {getattr(r, "id", None): getattr(r, "title", None) for r in archive.rules}
    rules = Pages.href(page, A.RULES)  # every rule links there, to its anchor
    # Each finding's item, by status in the order shown; within a status, in the findings' order.
    by_status: dict[str, list[str]] = {s: [] for s in STATUS_ORDER}
    shown = {s: (by_status[s].append, labels.get(s, s)) for s in STATUS_ORDER}
    for f in fs:
        get = f.get
        status = get("status")
        if status not in shown:
            continue
        add, label = shown[status]
        rid = str(get("rule") or "")
        name, message, cells, quote = names.get(rid) or rid, get("message"), get("cells"), get("quote")
        try:  # the same finding recurs from report to report (most checks pass the same way)
            add(_finding_cached(status, label, rules, rid, name, message, tuple(cells or ()), quote))
        except TypeError:  # something unhashable in it
            add(_finding(status, label, rules, rid, name, message, cells, quote))
    passed = by_status.pop("pass")
    items = [html for found in by_status.values() for html in found]
    out = ""
    if items:
        out += f'<ol class="xx-findings">{"".join(items)}</ol>'
    else:
        out += '<p>没有发现错误或警告。</p>'
    if passed:
        out += (f'<details class="xx-passed"><summary>通过的检查（{len(passed)}项）</summary>'
                f'<ul class="xx-findings">{"".join(passed)}</ul></details>')
    return f'<div class="xx-findings-box">{out}</div>'


def _finding(status: str, label: str, rules: str, rid: str, name: str, message, cells, quote) -> str:
    """One finding's list item: status chip, the rule's name linked to its explanation (`rules`: the
    rules page, relative to the report page), the message, the cells involved, the sentence quoted."""
    body = esc(message or "")
    cells = [cell_label(str(c)) for c in cells or []]
    if cells and status != "pass":
        body += f'<br><span class="xx-cells">涉及：{esc("、".join(cells))}</span>'
    if quote:
        body += f'<br><q class="xx-quote">{esc(_one_line(quote))}</q>'
    return (f'<li class="xx-f-{esc(status)}"><span class="xx-chip xx-{esc(status)}">{esc(label)}</span> '
            + link(f"{rules}#{A.rule_anchor(rid)}", name) + f"：{body}</li>")


_finding_cached = lru_cache(maxsize=4096)(_finding)


def other_years(entry: Entry, archive: Archive, page: str) -> str:
    same = archive.by_agency().get(entry.agency_key, [entry])
    items = []
    for e in sorted(same, key=lambda e: (e.year or 0, e.primary is not None, e.slug)):
        label = e.year_text
        if e.versions:
            label += "（另一文本）" if e.primary is not None else "（主文本）"
        if e is entry:
            items.append(f'<li><strong>{esc(label)}（本页）</strong></li>')
        else:
            items.append(f"<li>{link(Pages.href(page, e.page), label)}</li>")
    return f'<ul class="xx-years">{"".join(items)}</ul>'


def downloads(entry: Entry, page: str) -> str:
    return ('<ul class="xx-downloads">'
            f"<li>{link(Pages.href(page, entry.json_file), '本报告的 JSON')}（结构化记录，含每个数字的原文和行号，xxgk-report/1）</li>"
            f"<li>{link(Pages.href(page, entry.csv_file), '本报告的 CSV')}（按原表排列，附中文名称和原文行号）</li>"
            f"<li>{link(Pages.href(page, entry.raw_file), '原文文本')}（与来源文件逐字节相同）</li>"
            "</ul>")
