"""Inline SVG charts, drawn in Python: they render in the static site with no script or server.

Sizes are in SVG user units; the viewBox lets the browser scale the chart to
the column width. Every label is escaped; numbers are formatted here.
"""
from __future__ import annotations

from .html import esc, number

PALETTE = ("#1f6f8b", "#99c24d", "#f18f01", "#c73e1d", "#6a4c93", "#8d99ae", "#2e294e", "#d4a373")
WIDTH = 640
ROW = 26
LABEL = 150


def _svg(height: int, title: str, body: str) -> str:
    svg = (f'<svg class="xx-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
           f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>{body}</svg>')
    return f'<figure class="xx-figure"><figcaption>{esc(title)}</figcaption>{svg}</figure>'



def bars(title: str, items: list[tuple[str, float | None]], unit: str = "") -> str:
    """Horizontal bars, one per (label, value); None is drawn as “无数据”, not as zero."""
    if not items:
        return ""
    top = max((v for _, v in items if v), default=0) or 1
    span = WIDTH - LABEL - 70
    parts = []
    for i, (label, v) in enumerate(items):
        y = i * ROW + 4
        parts.append(f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" class="xx-cl">{esc(label)}</text>')
        if v is None:
            parts.append(f'<text x="{LABEL}" y="{y + 15}" class="xx-cv xx-cnull">无数据</text>')
            continue
        w = round(span * v / top, 1)
        parts.append(f'<rect x="{LABEL}" y="{y + 3}" width="{w}" height="{ROW - 8}" fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{LABEL + w + 6}" y="{y + 15}" class="xx-cv">{esc(number(v))}{esc(unit)}</text>')
    return _svg(len(items) * ROW + 8, title, "".join(parts))


def stacked(title: str, categories: list[str], rows: list[tuple[str, list[float]]]) -> str:
    """100% stacked horizontal bars with a legend: the mix of categories in each row."""
    if not rows:
        return ""
    span = WIDTH - LABEL - 20
    parts = []
    for i, (label, values) in enumerate(rows):
        y = i * ROW + 4
        parts.append(f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" class="xx-cl">{esc(label)}</text>')
        total = sum(values)
        if not total:
            parts.append(f'<text x="{LABEL}" y="{y + 15}" class="xx-cv xx-cnull">没有办结的申请</text>')
            continue
        x = float(LABEL)
        for j, v in enumerate(values):
            if not v:
                continue
            w = span * v / total
            tip = f"{label} {categories[j]}：{number(v)}（{v * 100 / total:.1f}%）"
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 8}" '
                         f'fill="{PALETTE[j % len(PALETTE)]}"><title>{esc(tip)}</title></rect>')
            x += w
    legend_y = len(rows) * ROW + 12
    x = 10
    for j, c in enumerate(categories):
        parts.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{legend_y + 11}" class="xx-cl">{esc(c)}</text>')
        x += 16 + 14 * len(c) + 18
    return _svg(legend_y + 22, title, "".join(parts))


def grouped(title: str, series: list[str], rows: list[tuple[str, list[float | None]]]) -> str:
    """Side-by-side bars: one group per row label, one bar per series."""
    if not rows:
        return ""
    top = max((v for _, vs in rows for v in vs if v), default=0) or 1
    span = WIDTH - LABEL - 70
    bar = 16
    height_per = bar * len(series) + 12
    parts = []
    for i, (label, values) in enumerate(rows):
        y0 = i * height_per + 4
        parts.append(f'<text x="{LABEL - 8}" y="{y0 + height_per / 2 + 2:.0f}" text-anchor="end" '
                     f'class="xx-cl">{esc(label)}</text>')
        for j, v in enumerate(values):
            y = y0 + j * bar
            if v is None:
                parts.append(f'<text x="{LABEL}" y="{y + bar - 2}" class="xx-cv xx-cnull">无数据</text>')
                continue
            w = round(span * v / top, 1)
            parts.append(f'<rect x="{LABEL}" y="{y}" width="{max(w, 1)}" height="{bar - 3}" '
                         f'fill="{PALETTE[(j * 3) % len(PALETTE)]}"/>')
            parts.append(f'<text x="{LABEL + w + 6}" y="{y + bar - 5}" class="xx-cv">{esc(number(v))}</text>')
    legend_y = len(rows) * height_per + 10
    x = 10
    for j, s in enumerate(series):
        parts.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{PALETTE[(j * 3) % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{legend_y + 11}" class="xx-cl">{esc(s)}</text>')
        x += 16 + 14 * len(s) + 18
    return _svg(legend_y + 22, title, "".join(parts))
