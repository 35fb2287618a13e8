"""Sums inside tables 三 and 四.

A sum with an empty cell cannot be checked: the finding is `unknown` and names
the empty cells — a blank is not a zero, so treating it as one would invent
errors. Passing units are summarised in one finding per rule so pages stay short.
"""
from __future__ import annotations

from operator import add, itemgetter

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
    return rule_.finding("pass", _summary_text(units, all_units, noun, what))


def _summary_text(units: list[str], all_units: int, noun: str, what: str) -> str:
    if len(units) == all_units:
        return f"全部{all_units}{noun}{what}"
    return "、".join(units) + f"共{len(units)}{noun}{what}"


def _all_add_up(units, empty: bool = False) -> bool:
    """In every unit the last figure is exactly the sum of the others, none blank, and there are
    units (or `empty` is true): the usual report, whose rule gives one finding without going over
    its units one by one. (Exactly: a unit off by less than the tolerance is left to the loop.)"""
    try:  # in C, unit by unit; a blank (None) stops the sum
        return (empty or bool(units)) and list(map(sum, map(_PARTS, units))) == list(map(_TOTAL, units))
    except TypeError:
        return False


_PARTS, _TOTAL = itemgetter(slice(0, -1)), itemgetter(-1)
_ZEROS = (0,) * len(T.REQUEST_COLUMNS)  # a row of table 三 with nothing in it


def _empty(vals, paths) -> list[str]:
    """The paths whose figure is empty, `vals` being the figures read from `paths` in order."""
    return [p for p, v in zip(paths, vals) if v is None]


def _off_total(name: str, vals: tuple, paths: tuple, gaps: list, ok: list, key) -> tuple | None:
    """(parts, their sum, the total) of a unit whose last figure should be the sum of the others,
    when it is not; otherwise None, the unit noted in `gaps` (an empty cell) or `ok` (as `key`)."""
    if None in vals:
        gaps.append((name, _empty(vals, paths)))
        return None
    parts, t = vals[:-1], vals[-1]
    s = sum(parts)
    if abs(s - t) <= _TOL:
        ok.append(key)
        return None
    return parts, s, t


def _unknown(rule_, record, gaps: list[tuple[str, list[str]]], noun: str) -> list[dict]:
    """One finding for every unit that could not be checked, naming each empty cell once."""
    if not gaps:
        return []
    cells = list(dict.fromkeys(p for _, miss in gaps for p in miss))
    names = gaps[0][0] if len(gaps) == 1 else "、".join(n for n, _ in gaps) + f"共{len(gaps)}{noun}"
    return [rule_.finding("unknown", f"{names}：有空白单元格，无法核对（空白不等于0）：{F.describe_missing(record, cells)}",
                          cells)]


# What each rule compares, derived from the template once (the same for every report). The rules
# read the figures from `F.grid` (each row's figures in the template's field order); the dotted
# paths only name cells in findings.
# The rules read every row of table 三 as the columns of REQUEST_COLUMNS and every group of
# table 四 as APPEAL_FIELDS, each ending with its total.
assert all(r.fields == T.REQUEST_COLUMNS for r in T.REQUEST_ROWS) and T.REQUEST_COLUMNS[-1].key == "total"
assert all(g.fields == T.APPEAL_FIELDS for g in T.APPEAL_GROUPS) and T.APPEAL_FIELDS[-1].key == "total"
_QUAD = ("received", "carried_over", "results_total", "carried_forward")
_FIRST, _SECOND, _THIRD, _FOURTH = (F.ordinal(k) for k in _QUAD)
_REQUEST_PATHS = {k: paths for k, (_, paths) in F.ROW_CELLS["requests"].items()}
# Per column of table 三: (label, the paths of its four rows).
_BALANCE = tuple((col.label, tuple(_REQUEST_PATHS[k][j] for k in _QUAD)) for j, col in enumerate(T.REQUEST_COLUMNS))
_COLUMN_LABELS = [col.label for col in T.REQUEST_COLUMNS]
_BALANCED = f"均平衡（第{_FIRST}项+第{_SECOND}项=第{_THIRD}项+第{_FOURTH}项）"
# Per template: the rows summed into the results total, then the total's row.
_RESULT_ROWS = {t: keys + ("results_total",) for t, keys in T.RESULT_KEYS.items()}
# Per template, per column: (label, the paths of `_RESULT_ROWS`).
_RESULTS = {t: tuple((col.label, tuple(_REQUEST_PATHS[k][j] for k in rows)) for j, col in enumerate(T.REQUEST_COLUMNS))
            for t, rows in _RESULT_ROWS.items()}
# Per row of table 三: (its name, its paths, the total's last).
_ROW_TOTAL = {k: (f"“{F.row_label('requests', k)}”行", paths) for k, paths in _REQUEST_PATHS.items()}
# Per group of table 四: (its name, its key, its paths, the total's last).
_GROUP_TOTAL = tuple((F.row_label("appeals", g.key), g.key, F.ROW_CELLS["appeals"][g.key][1]) for g in T.APPEAL_GROUPS)
_GROUP_KEYS = [key for _name, key, _paths in _GROUP_TOTAL]
# The one finding of a report in which every unit adds up.
_ALL_BALANCED = _summary_text(_COLUMN_LABELS, len(_COLUMN_LABELS), "列", _BALANCED)
_ALL_RESULTS = _summary_text(_COLUMN_LABELS, len(_COLUMN_LABELS), "列",
                             f"的{T.REQUEST_ROW['results_total'].label}等于各项办理结果之和")
_ALL_GROUPS = _summary_text(_GROUP_KEYS, len(_GROUP_KEYS), "组", "的总计等于四项结果之和")


@rule("requests.balance", "arithmetic", "表三各列收支平衡",
      f"核对表三的每一列（{_COLS}）：第一项“{_bare(_ROW['received'].label)}”加第二项"
      f"“{_bare(_ROW['carried_over'].label)}”，应等于第三项“{_bare(_ROW['results_total'].group)}”的"
      f"{_ROW['results_total'].label}加第四项“{_bare(_ROW['carried_forward'].label)}”。"
      "这是国办公开办函〔2021〕30号格式在表三左上角印明的勾稽关系：收到的申请要么办结，要么结转。"
      "不相等即为错误；所需单元格为空或填“/”时无法核对，结果为“无法核对”，不记为错误。",
      ("pass", "fail", "unknown"))
def balance(rule_, record):
    grid = F.grid(record, "requests")
    first, second, third, fourth = rows = [grid[k] for k in _QUAD]
    try:  # the usual report, in C: every column balances exactly; a blank (None) stops the sums
        if list(map(add, first, second)) == list(map(add, third, fourth)):
            return [rule_.finding("pass", _ALL_BALANCED)]
    except TypeError:
        pass
    out, ok, gaps = [], [], []
    for (label, paths), vals in zip(_BALANCE, zip(*rows)):
        name = f"{label}列"
        if None in vals:
            gaps.append((name, _empty(vals, paths)))
            continue
        a, b, c, d = vals
        if abs((a + b) - (c + d)) <= _TOL:
            ok.append(label)
            continue
        out.append(rule_.finding(
            "fail",
            f"{name}：第{_FIRST}项+第{_SECOND}项={_terms((a, b))}={F.fmt(a + b)}，"
            f"第{_THIRD}项+第{_FOURTH}项={_terms((c, d))}={F.fmt(c + d)}，相差{_diff(a + b, c + d)}",
            paths))
    out += _unknown(rule_, record, gaps, "列")
    if ok:
        out.append(_summary(rule_, ok, len(T.REQUEST_COLUMNS), "列", _BALANCED))
    return out


@rule("requests.results_sum", "arithmetic", "表三办理结果合计",
      f"核对表三每一列的“{_ROW['results_total'].label}”是否等于本年度办理结果各项之和：{_ROW['granted'].label}、"
      f"{_ROW['partly_granted'].label.split('（区分')[0]}、{T.G_WITHHELD}的{_n(T.G_WITHHELD)}种情形、"
      f"{T.G_UNAVAILABLE}的{_n(T.G_UNAVAILABLE)}种情形、{T.G_DECLINED}的{_n(T.G_DECLINED)}种情形和{T.G_OTHER}"
      f"（2021年格式分{_n(T.G_OTHER)}种情形，2019年试行格式为1行）。总计与各项之和不符即为错误；"
      "所需单元格为空时结果为“无法核对”。",
      ("pass", "fail", "unknown"))
def results_sum(rule_, record):
    template = F.template_of(record)
    grid = F.grid(record, "requests")
    total_label = T.REQUEST_ROW["results_total"].label
    columns = list(zip(*map(grid.__getitem__, _RESULT_ROWS[template])))
    if _all_add_up(columns):
        return [rule_.finding("pass", _ALL_RESULTS)]
    out, ok, gaps = [], [], []
    for (label, paths), vals in zip(_RESULTS[template], columns):
        name = f"{label}列"
        off = _off_total(name, vals, paths, gaps, ok, label)
        if off is None:
            continue
        parts, s, t = off
        nonzero = [(p, v) for p, v in zip(paths, parts) if v]
        shown = "+".join(f"{T.REQUEST_ROW[p.split('.')[1]].label}{F.fmt(v)}" for p, v in nonzero)
        out.append(rule_.finding(
            "fail",
            f"{name}：办理结果各项之和={shown + '=' if shown else ''}{F.fmt(s)}，{total_label}={F.fmt(t)}，"
            f"相差{_diff(s, t)}",
            [paths[-1]] + [p for p, _ in nonzero]))
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
    req = F.table(record, "requests")
    grid = F.grid(record, "requests")
    rows = list(filter(req.__contains__, F.keys_for("requests", record.get("template"))))
    # Most rows are all zeros, which add up: only the others are summed.
    if rows and _all_add_up(list(filter(_ZEROS.__ne__, map(grid.__getitem__, rows))), empty=True):
        return [rule_.finding("pass", f"全部{len(rows)}行的总计均等于六类申请人之和")]
    out, ok, gaps = [], [], []
    for key in rows:
        name, paths = _ROW_TOTAL[key]
        off = _off_total(name, grid[key], paths, gaps, ok, key)
        if off is None:
            continue
        parts, s, t = off
        out.append(rule_.finding(
            "fail",
            f"{name}：六类申请人之和={_terms(parts)}={F.fmt(s)}，总计={F.fmt(t)}，相差{_diff(s, t)}",
            [paths[-1]] + [p for p, v in zip(paths, parts) if v]))
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
    grid = F.grid(record, "appeals")
    if _all_add_up(list(map(grid.__getitem__, _GROUP_KEYS))):
        return [rule_.finding("pass", _ALL_GROUPS)]
    names = "+".join(f.label for f in T.APPEAL_FIELDS[:-1])
    out, ok, gaps = [], [], []
    for name, key, paths in _GROUP_TOTAL:
        off = _off_total(name, grid[key], paths, gaps, ok, name)
        if off is None:
            continue
        parts, s, t = off
        out.append(rule_.finding(
            "fail",
            f"{name}：{names}={_terms(parts)}={F.fmt(s)}，总计={F.fmt(t)}，相差{_diff(s, t)}",
            [paths[-1]] + [p for p, v in zip(paths, parts) if v]))
    out += _unknown(rule_, record, gaps, "组")
    if ok:
        out.append(_summary(rule_, ok, len(T.APPEAL_GROUPS), "组", "的总计等于四项结果之和"))
    return out
