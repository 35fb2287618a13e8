"""Read tables 二, 三 and 四 by meaning.

Each row of the template is found by its label (declared in `template`),
and takes the values that follow that label. A row whose values cannot be
placed with certainty stays `null` with a note: a figure shifted into the
wrong cell is worse than a missing one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import template as T
from .cells import BOX_CHAR, BOX_RULE, Cell, Segment, fit, segments, tokenize
from .rows import place


@dataclass
class TableResult:
    values: dict = field(default_factory=dict)  # {row: {field: value}}
    raw: dict = field(default_factory=dict)  # {"row.field": {"text": raw, "line": n}}
    notes: list[str] = field(default_factory=list)
    found: int = 0  # rows whose label was found


def _empty(rows: tuple[T.Row, ...]) -> dict:
    return {r.key: {f.key: None for f in r.fields} for r in rows}


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
    for f, c in zip(fields, cells):
        res.values[row.key][f.key] = _typed(c, f)
        res.raw[f"{row.key}.{f.key}"] = {"text": c.raw, "line": c.line}


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


def _lines(doc_lines, start: int, end: int):
    return [(ln.no, ln.raw) for ln in doc_lines[start:end]]


# A tab after a cell's text: the line is a row of a tab-separated table (an
# indented cell on a line of its own, as in one-cell-per-line text, is not).
_ROW_TAB = re.compile(r"\S *\t")


def _place(doc_lines, start: int, end: int, segs: list[Segment], rows: tuple[T.Row, ...],
           ordered: bool = True):
    """Which row each segment's figures belong to (see `rows.place`)."""
    lines = doc_lines[start:end]
    # Lines that only draw a table's rules (┼──┼): they separate rows. A Markdown
    # |---| line only ends the header, so it separates nothing that matters.
    rules = [ln.no for ln in lines if len(ln.raw.strip()) >= 3 and BOX_RULE.match(ln.raw)
             and not set(ln.raw.strip()) <= set("|-: ")]
    delimited = {ln.no for ln in lines if _ROW_TAB.search(ln.raw) or BOX_CHAR.search(ln.raw)}
    return place(segs, rows, rules, delimited, ordered)


# ---------------------------------------------------------------- table 二
def read_active(doc_lines, start: int, end: int) -> tuple[str, TableResult]:
    """Returns (table key, result): `active` for 2021, `active_2019` for the trial template."""
    text = T.compact("".join(ln.raw for ln in doc_lines[start:end]))
    key = "active_2019" if re.search(T.ACTIVE_2019_MARKERS, text) else "active"
    rows = T.TABLE[key].rows
    res = TableResult(values=_empty(rows))
    done: set[str] = set()
    segs = [s for s in segments(tokenize(_lines(doc_lines, start, end))) if s.values]
    placed = _place(doc_lines, start, end, segs, rows, ordered=False)
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
def detect_request_template(doc_lines, start: int, end: int) -> str:
    """The 2021 template splits （六）其他处理 into three rows; the 2019 trial prints one."""
    text = T.compact("".join(ln.raw for ln in doc_lines[start:end]))
    split_rows = [T.REQUEST_ROW[k].pattern for k in ("other_no_correction", "other_unpaid_fee")]
    if any(re.search(p, text) for p in split_rows):
        return "2021"
    if re.search(T.REQUEST_ROW["other"].pattern.replace("$", ""), text):
        return "2019"
    return "2021"


def read_requests(doc_lines, start: int, end: int, template: str) -> TableResult:
    rows = T.rows_for("requests", template)
    res = TableResult(values=_empty(rows))
    segs = [s for s in segments(tokenize(_lines(doc_lines, start, end))) if s.values]
    header = T.compact(" ".join(ln.raw for ln in doc_lines[start:end]))
    subtotal_at = _subtotal_column(header)
    placed = _place(doc_lines, start, end, segs, rows)
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
    read = {k.split(".", 1)[0] for k in res.raw}  # rows with a figure read
    for row in rows:
        if row.key not in read and not _noted(res, row):
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
    res = TableResult(values=_empty(rows))
    segs = [s for s in segments(tokenize(_lines(doc_lines, start, end))) if s.values]
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
