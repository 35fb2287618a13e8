"""Read tables 二, 三 and 四 by meaning.

Each row of the template is found by its label (declared in `template`),
and takes the values that follow that label. A row whose values cannot be
placed with certainty stays `null` with a note: a figure shifted into the
wrong cell is worse than a missing one.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field

from .. import template as T
from .cells import Cell, Segment, TableText, fit, read_table
from .rows import place


@dataclass
class TableResult:
    table: str  # its key under `tables`
    values: dict = field(default_factory=dict)  # {row: {field: value}}
    raw: dict = field(default_factory=dict)  # {"table.row.field": {"text": raw, "line": n}}
    notes: list[str] = field(default_factory=list)
    found: int = 0  # rows whose label was found
    read: set[str] = field(default_factory=set)  # rows whose figures were read
    template: str | None = None  # table 三: the template its rows follow


# {(table, template): {row: {field: None}}}: what a table holds before any figure is read.
_SKELETONS = {(t.key, tpl): {r.key: dict.fromkeys(f.key for f in r.fields) for r in T.rows_for(t.key, tpl)}
              for t in T.TABLES for tpl in (None, "2021", "2019")}


def empty(table: str, template: str | None = None) -> dict:
    """{row: {field: None}} of the table's rows (of that template's, if given), in order."""
    return {row: fields.copy() for row, fields in _SKELETONS[table, template].items()}


def _assign(res: TableResult, row: T.Row, cells: list[Cell], title: str) -> None:
    res.found += 1
    fields = row.fields
    cells = fit(cells, len(fields))
    if len(cells) != len(fields):
        if cells:
            got = "、".join(c.raw or "空" for c in cells)
            res.notes.append(f"{title}“{row.label}”行读到{len(cells)}个值（{got}），应为{len(fields)}个，"
                             f"无法确定各值所在的列，本行留空")
        else:
            res.notes.append(f"{title}“{row.label}”行没有读到数值，本行留空")
        return
    values, raw = res.values[row.key], res.raw
    for f, path, c in zip(fields, T.ROW_FIELDS[res.table, row.key][1], cells):
        v = c.value
        values[f.key] = v if type(v) is int and v >= 0 else _typed(c, f)  # the usual figure as it is
        raw[path] = {"text": c.raw, "line": c.line}
    res.read.add(row.key)


def _typed(c: Cell, f: T.Field):
    v = c.value
    if v is None:
        return None
    if isinstance(v, float) and not f.decimal:
        return None if v != int(v) else int(v)
    if v < 0 and not f.signed:
        return None
    return v


def _best_row(seg: Segment, rows: tuple[T.Row, ...], allowed) -> T.Row | None:
    """The row whose label ends latest in this label run (the label nearest the
    values); on a tie the longer match wins."""
    best, best_key = None, (-1, 0)
    for row in rows:
        if not allowed(row):
            continue
        for m in re.finditer(row.pattern, seg.label):
            key = (m.end(), m.end() - m.start())
            if key > best_key:
                best, best_key = row, key
    return best


def _read(doc_lines, start: int, end: int) -> TableText:
    lines = doc_lines[start:end]
    return read_table(list(map(_NO, lines)), list(map(_RAW, lines)))


_NO, _RAW = operator.attrgetter("no"), operator.attrgetter("raw")


# ---------------------------------------------------------------- table 二
def read_active(doc_lines, start: int, end: int) -> tuple[str, TableResult]:
    """Returns (table key, result): `active` for 2021, `active_2019` for the trial template."""
    tt = _read(doc_lines, start, end)
    key = "active_2019" if re.search(T.ACTIVE_2019_MARKERS, tt.compact) else "active"
    rows = T.TABLE[key].rows
    res = TableResult(key, empty(key))
    done: set[str] = set()
    segs = [s for s in tt.segments if s.values]
    placed = place(segs, rows, tt.rules, tt.delimited, ordered=False)
    for row in placed.unsure:
        res.notes.append(f"表二“{row.label}”行的标签跨行排印，无法确定它与哪一行数值对应，本行留空")
    for seg, row in zip(segs, placed.rows):
        if row is None:
            res.notes.append(f"表二第{seg.line}行的数值“{_show(seg)}”找不到所属的行，未采用")
            continue
        done.add(row.key)
        _assign(res, row, seg.values, "表二")
    for row in rows:
        if row.key not in done:
            res.notes.append(f"表二缺少“{row.label}”行")
    return key, res


# ---------------------------------------------------------------- table 三
def detect_request_template(text: str) -> str:
    """The 2021 template splits （六）其他处理 into three rows; the 2019 trial prints one.
    `text`: the table's text, compacted."""
    split_rows = [T.REQUEST_ROW[k].pattern for k in ("other_no_correction", "other_unpaid_fee")]
    if any(re.search(p, text) for p in split_rows):
        return "2021"
    if re.search(T.REQUEST_ROW["other"].pattern.replace("$", ""), text):
        return "2019"
    return "2021"


def read_requests(doc_lines, start: int, end: int) -> TableResult:
    """Table 三, of the template it follows (`TableResult.template`)."""
    tt = _read(doc_lines, start, end)
    template = detect_request_template(tt.compact)
    rows = T.rows_for("requests", template)
    res = TableResult("requests", empty("requests", template), template=template)
    segs = [s for s in tt.segments if s.values]
    subtotal_at = _subtotal_column(tt.compact)
    placed = place(segs, rows, tt.rules, tt.delimited)
    for row in placed.unsure:
        res.notes.append(f"表三“{row.label}”行的标签跨行排印，无法确定它与哪一行数值对应，本行留空")
    for seg, row in zip(segs, placed.rows):
        if row is None:
            res.notes.append(f"表三第{seg.line}行的数值“{_show(seg)}”找不到所属的行，未采用")
            continue
        cells = fit(seg.values, len(row.fields) + (subtotal_at is not None))
        if subtotal_at is not None and len(cells) == len(row.fields) + 1:
            cells = cells[:subtotal_at] + cells[subtotal_at + 1:]
        _assign(res, row, cells, "表三")
    for row in rows:
        if row.key not in res.read and not _noted(res, row):
            res.notes.append(f"表三缺少“{row.label}”行")
    return res


def _noted(res: TableResult, row: T.Row) -> bool:
    return any(f"“{row.label}”" in n for n in res.notes)


def _subtotal_column(header: str) -> int | None:
    """Index of an added 法人小计 column among the values, if the header has one."""
    m = re.search(T.SUBTOTAL_HEADER, header)
    if not m:
        return None
    before = header[:m.start()]
    # 小计 printed before the first legal-person column sits right after 自然人.
    first_org = T.compact(T.APPLICANT_COLUMNS[1].label)
    return 1 if first_org not in before else len(T.APPLICANT_COLUMNS)


# ---------------------------------------------------------------- table 四
def read_appeals(doc_lines, start: int, end: int) -> TableResult:
    rows = T.APPEAL_GROUPS
    res = TableResult("appeals", empty("appeals"))
    segs = [s for s in _read(doc_lines, start, end).segments if s.values]
    n_fields = len(T.APPEAL_FIELDS)
    cells = fit([c for s in segs for c in s.values], n_fields * len(rows))
    if len(cells) == n_fields * len(rows):
        for i, row in enumerate(rows):
            _assign(res, row, cells[i * n_fields:(i + 1) * n_fields], "表四")
        return res
    # One row per group (a transposed layout): each run labelled by its group.
    by_group = {}
    for s in segs:
        row = _best_row(s, rows, lambda r: r.key not in by_group)
        values = fit(s.values, n_fields)
        if row is not None and len(values) == n_fields:
            by_group[row.key] = values
    if len(by_group) == len(rows):
        for row in rows:
            _assign(res, row, by_group[row.key], "表四")
        return res
    if cells:
        got = "、".join(c.raw or "空" for c in cells)
        res.notes.append(f"表四读到{len(cells)}个值（{got}），应为{n_fields * len(rows)}个，"
                         f"无法确定各值所在的列，整表留空")
    else:
        res.notes.append("表四没有读到数值，整表留空")
    return res


def _show(seg: Segment) -> str:
    return " ".join(c.raw or "空" for c in seg.values)[:60]
