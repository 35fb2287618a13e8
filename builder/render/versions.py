"""How two texts of one agency·year differ: figures, metadata, prose, the file itself.

Read from the two records only (no second look at the files), and told in
Chinese, figure by figure, so a reader can see at once whether a second text
is a correction, a re-extraction or the same report saved another way.
"""
from __future__ import annotations

import re

from .. import template as T
from .html import number
from .model import Entry

MAX_FIGURES = 30  # listed one by one; beyond that, a count
_META = (("published", "发布日期"), ("title", "原文标题"), ("template", "报告格式"))


def cell_label(path: str) -> str:
    return T.path_label(path)


def _value(record: dict, path: str):
    table, row, key = path.split(".")
    return (((record.get("tables") or {}).get(table) or {}).get(row) or {}).get(key)


def _shown(v) -> str:
    return "空白" if v is None else number(v)


def figure_changes(here: dict, there: dict) -> list[tuple[str, object, object]]:
    """(cell path, value here, value there) for every figure that differs, in template order."""
    out = []
    for path, _row, _f in T.all_cell_paths():
        a, b = _value(here, path), _value(there, path)
        if a != b:
            out.append((path, a, b))
    return out


def _paragraphs(record: dict) -> dict[int, list[str]]:
    out = {}
    for s in record.get("sections") or []:
        if isinstance(s, dict) and isinstance(s.get("no"), int):
            out[s["no"]] = [p for p in re.split(r"\n\s*\n", s.get("text") or "") if p.strip()]
    return out


def differences(here: Entry, there: Entry) -> list[str]:
    """Chinese sentences: how `there` differs from `here` (“本页” is here, “该文本” is there)."""
    a, b = here.record, there.record
    out: list[str] = []
    changes = figure_changes(a, b)
    both = [c for c in changes if c[1] is not None and c[2] is not None]
    for path, x, y in both[:MAX_FIGURES]:
        out.append(f"{cell_label(path)}：本页为 {_shown(x)}，该文本为 {_shown(y)}")
    if len(both) > MAX_FIGURES:
        out.append(f"另有 {len(both) - MAX_FIGURES} 个数字不同（两边都有值的共 {len(both)} 个）")
    # Figures one side could not read: counted per table (a cut-off text lacks whole tables).
    for side, missing in (("该文本", [c for c in changes if c[2] is None]), ("本页", [c for c in changes if c[1] is None])):
        if not missing:
            continue
        per = {}
        for path, _x, _y in missing:
            name = "表" + T.table_no(path.split(".")[0])
            per[name] = per.get(name, 0) + 1
        where = "、".join(f"{k} {n} 个" for k, n in per.items())
        example = "，例如" + cell_label(missing[0][0]) if len(missing) > 1 else "：" + cell_label(missing[0][0])
        out.append(f"{side}有 {len(missing)} 个数字空白或没有读到，另一边有值（{where}）{example}")
    for key, label in _META:
        if (a.get(key) or None) != (b.get(key) or None):
            out.append(f"{label}：本页为“{a.get(key) or '无'}”，该文本为“{b.get(key) or '无'}”")
    pa, pb = _paragraphs(a), _paragraphs(b)
    for sec in T.SECTIONS:
        x, y = pa.get(sec.no), pb.get(sec.no)
        name = f"第{T.CN_ORDINALS[sec.no - 1]}部分（{sec.title}）"
        if x is None and y is not None:
            out.append(f"{name}：本页的原文中没有这一部分，该文本有")
        elif y is None and x is not None:
            out.append(f"{name}：该文本中没有这一部分")
        elif x != y:
            only_here = len(set(x) - set(y))
            only_there = len(set(y) - set(x))
            size = f"本页 {sum(map(len, x))} 字，该文本 {sum(map(len, y))} 字"
            if not only_here and not only_there:
                out.append(f"{name}：段落相同，但有重复或次序不同（{size}）")
            else:
                out.append(f"{name}：正文有 {only_here} 段只见于本页、{only_there} 段只见于该文本（{size}）")
    sa, sb = a.get("source") or {}, b.get("source") or {}
    if sa.get("encoding") != sb.get("encoding"):
        out.append(f"文件编码：本页为 {sa.get('encoding') or '未知'}，该文本为 {sb.get('encoding') or '未知'}")
    if not changes and not any(s.startswith("第") or s.startswith(tuple(lbl for _, lbl in _META)) for s in out):
        out.append("读出的数字、标题、日期和正文都相同，两个文件只在编码、换行、空白或排版上有差别")
    return out
