"""Sums inside tables 三 and 四.

A sum with an empty cell cannot be checked: the finding is `unknown` and names
the empty cells — a blank is not a zero, so treating it as one would invent
errors. Passing units are summarised in one finding per rule so pages stay short.
"""
from __future__ import annotations

from .. import template as T
from . import figures as F
from .registry import rule

_TOL = 1e-6
_ROW = T.REQUEST_ROW
_COLS = "、".join(c.label for c in T.REQUEST_COLUMNS)


def _bare(label: str) -> str:
    """“一、本年新收…” → “本年新收…”, for sentences that give the item number themselves."""
    return label.split("、", 1)[-1]


def _n(group: str) -> int:
    return sum(1 for r in T.rows_for("requests", "2021") if r.group == group)


def _diff(a, b) -> str:
    return F.fmt(abs(a - b))


def _terms(vals) -> str:
    return "+".join(F.fmt(v) for v in vals)


def _summary(rule_, units: list[str], all_units: int, noun: str, what: str) -> dict:
    if len(units) == all_units:
        msg = f"全部{all_units}{noun}{what}"
    else:
        msg = "、".join(units) + f"共{len(units)}{noun}{what}"
    return rule_.finding("pass", msg)


def _unknown(rule_, record, gaps: list[tuple[str, list[str]]], noun: str) -> list[dict]:
    """One finding for every unit that could not be checked, naming each empty cell once."""
    if not gaps:
        return []
    cells = list(dict.fromkeys(p for _, miss in gaps for p in miss))
    names = gaps[0][0] if len(gaps) == 1 else "、".join(n for n, _ in gaps) + f"共{len(gaps)}{noun}"
    return [rule_.finding("unknown", f"{names}：有空白单元格，无法核对（空白不等于0）：{F.describe_missing(record, cells)}",
                          cells)]


@rule("requests.balance", "arithmetic", "表三各列收支平衡",
      f"核对表三的每一列（{_COLS}）：第一项“{_bare(_ROW['received'].label)}”加第二项"
      f"“{_bare(_ROW['carried_over'].label)}”，应等于第三项“{_bare(_ROW['results_total'].group)}”的"
      f"{_ROW['results_total'].label}加第四项“{_bare(_ROW['carried_forward'].label)}”。"
      "这是国办公开办函〔2021〕30号格式在表三左上角印明的勾稽关系：收到的申请要么办结，要么结转。"
      "不相等即为错误；所需单元格为空或填“/”时无法核对，结果为“无法核对”，不记为错误。",
      ("pass", "fail", "unknown"))
def balance(rule_, record):
    out, ok, gaps = [], [], []
    first, second = F.ordinal("received"), F.ordinal("carried_over")
    third, fourth = F.ordinal("results_total"), F.ordinal("carried_forward")
    for col in T.REQUEST_COLUMNS:
        paths = [f"requests.{r}.{col.key}" for r in ("received", "carried_over", "results_total", "carried_forward")]
        name = f"{col.label}列"
        miss = F.missing(record, paths)
        if miss:
            gaps.append((name, miss))
            continue
        a, b, c, d = (F.value(record, p) for p in paths)
        if abs((a + b) - (c + d)) <= _TOL:
            ok.append(col.label)
            continue
        out.append(rule_.finding(
            "fail",
            f"{name}：第{first}项+第{second}项={_terms((a, b))}={F.fmt(a + b)}，"
            f"第{third}项+第{fourth}项={_terms((c, d))}={F.fmt(c + d)}，相差{_diff(a + b, c + d)}",
            paths))
    out += _unknown(rule_, record, gaps, "列")
    if ok:
        out.append(_summary(rule_, ok, len(T.REQUEST_COLUMNS), "列", f"均平衡（第{first}项+第{second}项=第{third}项+第{fourth}项）"))
    return out


@rule("requests.results_sum", "arithmetic", "表三办理结果合计",
      f"核对表三每一列的“{_ROW['results_total'].label}”是否等于本年度办理结果各项之和：{_ROW['granted'].label}、"
      f"{_ROW['partly_granted'].label.split('（区分')[0]}、{T.G_WITHHELD}的{_n(T.G_WITHHELD)}种情形、"
      f"{T.G_UNAVAILABLE}的{_n(T.G_UNAVAILABLE)}种情形、{T.G_DECLINED}的{_n(T.G_DECLINED)}种情形和{T.G_OTHER}"
      f"（2021年格式分{_n(T.G_OTHER)}种情形，2019年试行格式为1行）。总计与各项之和不符即为错误；"
      "所需单元格为空时结果为“无法核对”。",
      ("pass", "fail", "unknown"))
def results_sum(rule_, record):
    keys = T.RESULT_KEYS[F.template_of(record)]
    total_label = T.REQUEST_ROW["results_total"].label
    out, ok, gaps = [], [], []
    for col in T.REQUEST_COLUMNS:
        parts = [f"requests.{k}.{col.key}" for k in keys]
        total = f"requests.results_total.{col.key}"
        name = f"{col.label}列"
        miss = F.missing(record, parts + [total])
        if miss:
            gaps.append((name, miss))
            continue
        s = sum(F.value(record, p) for p in parts)
        t = F.value(record, total)
        if abs(s - t) <= _TOL:
            ok.append(col.label)
            continue
        nonzero = [p for p in parts if F.value(record, p)]
        shown = "+".join(f"{T.REQUEST_ROW[p.split('.')[1]].label}{F.fmt(F.value(record, p))}" for p in nonzero)
        out.append(rule_.finding(
            "fail",
            f"{name}：办理结果各项之和={shown + '=' if shown else ''}{F.fmt(s)}，{total_label}={F.fmt(t)}，"
            f"相差{_diff(s, t)}",
            [total] + nonzero))
    out += _unknown(rule_, record, gaps, "列")
    if ok:
        out.append(_summary(rule_, ok, len(T.REQUEST_COLUMNS), "列", f"的{total_label}等于各项办理结果之和"))
    return out


@rule("requests.row_total", "arithmetic", "表三各行总计",
      f"核对表三每一行的“{T.REQUEST_COLUMNS[-1].label}”列是否等于{'、'.join(c.label for c in T.APPLICANT_COLUMNS)}"
      "六类申请人之和（报告自行加印的“法人小计”列不计入）。不符即为错误；"
      "所需单元格为空时结果为“无法核对”。",
      ("pass", "fail", "unknown"))
def row_total(rule_, record):
    req = (record.get("tables") or {}).get("requests") or {}
    rows = [r for r in T.rows_for("requests", record.get("template")) if r.key in req]
    out, ok, gaps = [], [], []
    for row in rows:
        parts = [f"requests.{row.key}.{c.key}" for c in T.APPLICANT_COLUMNS]
        total = f"requests.{row.key}.total"
        name = f"“{F.row_label('requests', row.key)}”行"
        miss = F.missing(record, parts + [total])
        if miss:
            gaps.append((name, miss))
            continue
        vals = [F.value(record, p) for p in parts]
        s, t = sum(vals), F.value(record, total)
        if abs(s - t) <= _TOL:
            ok.append(row.key)
            continue
        out.append(rule_.finding(
            "fail",
            f"{name}：六类申请人之和={_terms(vals)}={F.fmt(s)}，总计={F.fmt(t)}，相差{_diff(s, t)}",
            [total] + [p for p in parts if F.value(record, p)]))
    out += _unknown(rule_, record, gaps, "行")
    if ok:
        if len(ok) == len(rows):
            out.append(rule_.finding("pass", f"全部{len(rows)}行的总计均等于六类申请人之和"))
        else:
            out.append(rule_.finding("pass", f"其余{len(ok)}行的总计等于六类申请人之和"))
    return out


@rule("appeals.group_total", "arithmetic", "表四各组总计",
      f"核对表四的{'、'.join(F.row_label('appeals', g.key) for g in T.APPEAL_GROUPS)}三组：每组“总计”应等于"
      f"{'、'.join(f.label for f in T.APPEAL_FIELDS[:-1])}四项之和。不符即为错误；所需单元格为空时结果为“无法核对”。",
      ("pass", "fail", "unknown"))
def group_total(rule_, record):
    parts_keys = [f.key for f in T.APPEAL_FIELDS if f.key != "total"]
    names = "+".join(F.APPEAL_FIELD_LABEL[k] for k in parts_keys)
    out, ok, gaps = [], [], []
    for group in T.APPEAL_GROUPS:
        parts = [f"appeals.{group.key}.{k}" for k in parts_keys]
        total = f"appeals.{group.key}.total"
        name = F.row_label("appeals", group.key)
        miss = F.missing(record, parts + [total])
        if miss:
            gaps.append((name, miss))
            continue
        vals = [F.value(record, p) for p in parts]
        s, t = sum(vals), F.value(record, total)
        if abs(s - t) <= _TOL:
            ok.append(name)
            continue
        out.append(rule_.finding(
            "fail",
            f"{name}：{names}={_terms(vals)}={F.fmt(s)}，总计={F.fmt(t)}，相差{_diff(s, t)}",
            [total] + [p for p in parts if F.value(record, p)]))
    out += _unknown(rule_, record, gaps, "组")
    if ok:
        out.append(_summary(rule_, ok, len(T.APPEAL_GROUPS), "组", "的总计等于四项结果之和"))
    return out
