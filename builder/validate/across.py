"""Checks across consecutive years of one agency.

Reports are grouped by agency name and region code. Each check compares a
report with the same agency's report on the year before; the findings belong
to the later report.
"""
from __future__ import annotations

import re

from .. import template as T
from . import figures as F
from .registry import rule

_TOL = 1e-6
_STOCK_ROWS = tuple(r for r in T.ACTIVE_ROWS if any(f.key == "in_force" for f in r.fields))


def agency_key(record: dict) -> tuple[str, str] | None:
    name = record.get("agency")
    if not name or not isinstance(record.get("year"), int):
        return None
    code = (record.get("region") or {}).get("code") or ""
    return re.sub(r"\s+", "", name), code


def pairs(records: list[dict]) -> list[tuple[int, int]]:
    """(index of previous-year report, index of report) for every consecutive pair.

    When one agency has several reports on the same year (duplicates), the
    earlier year's one with the smallest source hash is the reference, so the
    result does not depend on input order.
    """
    groups: dict[tuple, dict[int, list[int]]] = {}
    for i, r in enumerate(records):
        key = agency_key(r)
        if key is not None:
            groups.setdefault(key, {}).setdefault(r["year"], []).append(i)
    out = []
    for key in sorted(groups):
        by_year = groups[key]
        for year in sorted(by_year):
            prev = by_year.get(year - 1)
            if not prev:
                continue
            ref = min(prev, key=lambda i: ((records[i].get("source") or {}).get("sha256") or "", i))
            out.extend((ref, i) for i in by_year[year])
    return sorted(out, key=lambda p: p[1])


def _prev_name(prev: dict) -> str:
    return f"{prev.get('year')}年度报告"


@rule("across.carry_over", "across", "上年结转与上年报告衔接",
      f"同一机关相邻两年的报告：本年表三“{T.REQUEST_ROW['carried_over'].label}”应等于上一年度报告表三"
      f"“{T.REQUEST_ROW['carried_forward'].label}”，逐列核对。上年结转下来的申请就是本年要接着办理的申请，两者不符说明"
      "至少一年的数字有误。不符记为错误；任一单元格为空时为“无法核对”。机关按名称和行政区划代码归并。",
      ("pass", "fail", "unknown"), scope="across")
def carry_over(rule_, prev, record):
    this_label = T.REQUEST_ROW["carried_over"].label
    prev_label = T.REQUEST_ROW["carried_forward"].label
    out, ok = [], []
    for col in T.REQUEST_COLUMNS:
        here, there = f"requests.carried_over.{col.key}", f"requests.carried_forward.{col.key}"
        a, b = F.value(record, here), F.value(prev, there)
        name = f"{col.label}列"
        if a is None or b is None:
            gaps = []
            if a is None:
                gaps.append(f"本报告{F.describe_missing(record, [here])}")
            if b is None:
                gaps.append(f"{_prev_name(prev)}{F.describe_missing(prev, [there])}")
            out.append(rule_.finding("unknown", f"{name}：有空白单元格，无法核对：" + "、".join(gaps),
                                     [here] if a is None else []))
            continue
        if abs(a - b) <= _TOL:
            ok.append(col.label)
            continue
        out.append(rule_.finding(
            "fail",
            f"{name}：本年“{this_label}”={F.fmt(a)}，{_prev_name(prev)}“{prev_label}”={F.fmt(b)}，"
            f"相差{F.fmt(abs(a - b))}",
            [here]))
    if ok:
        n = len(T.REQUEST_COLUMNS)
        head = f"全部{n}列" if len(ok) == n else "、".join(ok) + f"共{len(ok)}列"
        out.append(rule_.finding("pass", f"{head}的上年结转数等于{_prev_name(prev)}的结转下年度数"))
    return out


@rule("across.in_force", "across", "现行有效件数前后衔接",
      f"同一机关相邻两年的报告：本年表二{'、'.join(r.label for r in _STOCK_ROWS)}的“{T.F_IN_FORCE.label}”，"
      f"大致应等于上一年度的{T.F_IN_FORCE.label}加{T.F_ISSUED.label}、减{T.F_REPEALED.label}。修改、失效、统计口径调整都会让两者不完全相等，所以不符只给警告。"
      "只适用于两年都采用2021年格式的报告；任一单元格为空时为“无法核对”。",
      ("pass", "warn", "unknown"), scope="across")
def in_force(rule_, prev, record):
    if record.get("template") == "2019" or prev.get("template") == "2019":
        return []  # the 2019 trial table has no 现行有效件数
    out, ok = [], []
    for row in _STOCK_ROWS:
        base = f"active.{row.key}"
        paths = [f"{base}.issued", f"{base}.repealed", f"{base}.in_force"]
        last = f"{base}.in_force"
        issued, repealed, now = (F.value(record, p) for p in paths)
        before = F.value(prev, last)
        if None in (issued, repealed, now, before):
            miss = F.missing(record, paths)
            gaps = [F.describe_missing(record, miss)] if miss else []
            if before is None:
                gaps.append(f"{_prev_name(prev)}{F.describe_missing(prev, [last])}")
            out.append(rule_.finding("unknown", f"{row.label}：有空白单元格，无法核对：" + "、".join(gaps), miss))
            continue
        expected = before + issued - repealed
        if abs(expected - now) <= _TOL:
            ok.append(row.label)
            continue
        out.append(rule_.finding(
            "warn",
            f"{row.label}：{_prev_name(prev)}{T.F_IN_FORCE.label}{F.fmt(before)}+{T.F_ISSUED.label}{F.fmt(issued)}"
            f"−{T.F_REPEALED.label}{F.fmt(repealed)}={F.fmt(expected)}，本年{T.F_IN_FORCE.label}{F.fmt(now)}，"
            f"相差{F.fmt(abs(expected - now))}",
            paths))
    if ok:
        out.append(rule_.finding("pass", "、".join(ok) + "的现行有效件数与上一年度衔接"))
    return out
