"""Statistics per year and per region: requests received, how they were handled, reviews and lawsuits.

Sums skip blank (null) cells and say how many reports lacked the figure: a
blank is not a zero. Outcome categories come from the template's rows: each
sub-group of table 三 (不予公开, 无法提供, …) is one category.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import template as T
from . import anchors as A
from . import charts
from .html import esc, front_matter, number
from .model import UNKNOWN_REGION, Archive, Entry

TOP_REGIONS = 20


@lru_cache(maxsize=1)
def categories() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """((short label, row keys), …) over both templates, in template order."""
    block = T.REQUEST_ROW["results_total"].group
    result_keys = set(T.RESULT_KEYS["2021"]) | set(T.RESULT_KEYS["2019"])
    out: dict[str, list[str]] = {}
    for r in T.REQUEST_ROWS:
        if r.key not in result_keys:
            continue
        label = r.group if r.group and r.group != block else r.label
        out.setdefault(_short(label), []).append(r.key)
    return tuple((k, tuple(v)) for k, v in out.items())


def _short(label: str) -> str:
    s = re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", label)
    return re.sub(r"[（(].*?[）)]$", "", s) or label


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, ...], tuple[slice, ...], tuple[str, ...]]:
    """The rows whose totals are summed here: every outcome category's rows of table 三 in one run,
    where each category's rows sit in that run, and the groups of table 四 (review, then suits)."""
    run: list[str] = []
    spans = []
    for _label, keys in categories():
        spans.append(slice(len(run), len(run) + len(keys)))
        run += keys
    return tuple(run), tuple(spans), (T.REVIEW.key, *(g.key for g in T.SUIT_GROUPS))


def _totals(rows: dict, keys: tuple[str, ...]) -> list:
    """The rows' totals as `Entry.cell_values` reads them: None unless a number (a bool is not)."""
    got = [(rows.get(k) or {}).get("total") for k in keys]
    return [v if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in got]


@dataclass(frozen=True)
class Figures:
    """What one report adds to each total it counts in (None: blank; a blank is not a zero)."""
    received: float | None
    outcomes: tuple[float, ...]  # per category, its blanks skipped
    review: float | None
    suits: tuple[float | None, ...]

    @classmethod
    def of(cls, e: Entry) -> "Figures":
        # Read straight from the record: a few dozen of the report's few hundred figures.
        tables = e.record.get("tables") or {}
        run, spans, groups = _rows()
        received, *results = _totals(tables.get("requests") or {}, ("received", *run))
        review, *suits = _totals(tables.get("appeals") or {}, groups)
        return cls(received, tuple(sum([x for x in results[span] if x is not None]) for span in spans),
                   review, tuple(suits))


@dataclass
class Totals:
    reports: int = 0
    received: float = 0
    received_missing: int = 0
    outcomes: list = field(default_factory=lambda: [0] * len(categories()))
    reviews: float = 0
    suits: float = 0
    appeals_missing: int = 0

    def add(self, f: Figures) -> None:
        self.reports += 1
        if f.received is None:
            self.received_missing += 1
        else:
            self.received += f.received
        for i, x in enumerate(f.outcomes):
            self.outcomes[i] += x
        if f.review is None or None in f.suits:
            self.appeals_missing += 1
        self.reviews += f.review or 0
        self.suits += sum(s for s in f.suits if s is not None)


def _row(label: str, t: Totals, cls: str = "") -> str:
    miss = f'<span class="xx-dim">（{t.received_missing}份缺）</span>' if t.received_missing else ""
    tds = "".join(f'<td>{esc(number(v))}</td>' for v in t.outcomes)
    amiss = f'<span class="xx-dim">（{t.appeals_missing}份缺）</span>' if t.appeals_missing else ""
    return (f'<tr{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}><th scope="row">{esc(label)}</th>'
            f'<td>{t.reports}</td><td>{esc(number(t.received))}{miss}</td>{tds}'
            f'<td>{esc(number(t.reviews))}</td><td>{esc(number(t.suits))}{amiss}</td></tr>')


def _table(first: str, rows: list[str]) -> str:
    heads = "".join(f'<th scope="col">{esc(c)}</th>' for c, _ in categories())
    return (f'<div class="xx-scroll"><table class="xx-t xx-stats-t"><thead><tr><th scope="col">{esc(first)}</th>'
            f'<th scope="col">报告数</th><th scope="col">新收申请</th>{heads}'
            f'<th scope="col">{esc(T.REVIEW.label)}</th><th scope="col">{esc(T.SUIT_LABEL)}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def page(archive: Archive) -> str:
    figures = {id(e): Figures.of(e) for e in archive.shown}  # each report counts in several totals
    by_year: dict[int | None, Totals] = {}
    for year, entries in sorted(archive.by_year().items(), key=lambda kv: kv[0] or 0):
        t = by_year.setdefault(year, Totals())
        for e in entries:
            t.add(figures[id(e)])
    regions: dict[tuple, Totals] = {}
    codes: dict[tuple, str] = {}  # the official code order, as on the region index
    for e in archive.shown:
        path = tuple(n for n, _ in A.region_path(e))
        code = str((e.region or {}).get("code") or "999999")
        for depth in range(1, len(path) + 1):
            regions.setdefault(path[:depth], Totals()).add(figures[id(e)])
            codes[path[:depth]] = min(codes.get(path[:depth], code), code)

    def year_label(y):
        return f"{y}年" if y else "年份不详"

    out = [front_matter("统计", hide=("navigation",), search_exclude=True), "# 统计"]
    out.append('<p class="xx-lead">以下数字由各报告表三、表四汇总而来。空白单元格不计入合计，'
               "并注明缺少该数字的报告份数；办理结果按表三的分组归类。</p>")
    out.append("## 按年度 {#by-year}")
    out.append(charts.bars("各年度新收政府信息公开申请数",
                           [(year_label(y), t.received) for y, t in by_year.items()], "件"))
    out.append(charts.stacked("各年度申请办理结果构成", [c for c, _ in categories()],
                              [(year_label(y), t.outcomes) for y, t in by_year.items()]))
    out.append(charts.grouped("各年度政府信息公开行政复议和行政诉讼案件数", [T.REVIEW.label, T.SUIT_LABEL],
                              [(year_label(y), [t.reviews, t.suits]) for y, t in by_year.items()]))
    out.append(_table("年度", [_row(year_label(y), t) for y, t in by_year.items()]))
    out.append("## 按地区 {#by-region}")
    leaves = {tuple(n for n, _ in A.region_path(e)) for e in archive.shown if e.region and e.region.get("county")}
    counties = sorted(((p, regions[p]) for p in leaves), key=lambda pt: (-pt[1].received, pt[0]))[:TOP_REGIONS]
    if counties:
        out.append(charts.bars(f"新收申请数最多的县级地区（前{TOP_REGIONS}个）",
                               [(p[-1], t.received) for p, t in counties], "件"))
    rows = []
    for path in sorted(regions, key=lambda p: (p[0] == UNKNOWN_REGION,) + tuple(
            (codes[p[:d]][:2 * d], p[d - 1]) for d in range(1, len(p) + 1))):
        cls = f"xx-depth{len(path)}"
        rows.append(_row("　" * (len(path) - 1) + path[-1], regions[path], cls))
    out.append(_table("地区", rows))
    return "\n\n".join(out) + "\n"
