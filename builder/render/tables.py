"""Tables 二, 三 and 四 in the official layout, built from `builder.template` only.

Every label, row and column comes from the template declarations; this module
only knows how the official form merges cells: groups of rows share a
rowspan cell, grouped columns share a colspan header.
"""
from __future__ import annotations

from functools import cache

from .. import template as T
from .html import attrs, esc, number

NULL_TITLE = "原文空白或无法读取"


class Cells:
    """Renders one figure cell of one record: value, null marker, source line, finding marks."""

    def __init__(self, record: dict):
        self.tables = record.get("tables") or {}
        self.raw = record.get("cells") or {}
        self.marks: dict[str, list[tuple[str, str]]] = {}
        self._lines: dict[tuple[str, str], int | None] = {}  # line_of, once per row
        for f in record.get("findings") or []:
            if not isinstance(f, dict) or f.get("status") not in ("fail", "warn"):
                continue
            for path in f.get("cells") or []:
                self.marks.setdefault(str(path), []).append((f["status"], str(f.get("message") or "")))

    def value(self, table: str, row: str, fkey: str):
        return ((self.tables.get(table) or {}).get(row) or {}).get(fkey)

    def line_of(self, table: str, row: T.Row) -> int | None:
        """The source line of a row when all its figures come from one line (the usual case)."""
        key = (table, row.key)
        if key not in self._lines:
            lines = {(self.raw.get(f"{table}.{row.key}.{f.key}") or {}).get("line") for f in row.fields}
            self._lines[key] = lines.pop() if len(lines) == 1 and None not in lines else None
        return self._lines[key]

    def th(self, table: str, row: T.Row, **kw) -> str:
        line = self.line_of(table, row)
        return f'<th{attrs(scope="row", title=f"原文第{line}行" if line else None, **kw)}>{esc(row.label)}</th>'

    def td(self, table: str, row: T.Row, f: T.Field, colspan: int = 1, line_shown: bool | None = None) -> str:
        """One figure; numbers are right-aligned by the table's CSS, so plain cells carry no class."""
        path = f"{table}.{row.key}.{f.key}"
        v = ((self.tables.get(table) or {}).get(row.key) or {}).get(f.key)  # self.value, inline: the hot path
        if type(v) is int and colspan == 1 and path not in self.marks and (  # the usual cell, in short
                line_shown or (line_shown is None and self.line_of(table, row) is not None)):
            return f"<td>{v}</td>"  # as number(v) prints it, with nothing to escape or note
        raw = self.raw.get(path) or {}
        classes = []
        notes = []
        if v is None:
            classes.append("xx-null")
            text = "—"
            shown = str(raw.get("text") or "").strip()
            notes.append(NULL_TITLE + (f"（原文为“{shown}”）" if shown else ""))
        else:
            text = number(v)
            if line_shown is None:  # the row header names the line when the whole row is on one
                line_shown = self.line_of(table, row) is not None
            if raw.get("line") and not line_shown:
                notes.append(f"原文第{raw['line']}行")
            if colspan == 1 and path not in self.marks:  # the usual cells; a number() has nothing to escape
                return f'<td title="{esc(notes[0])}">{text}</td>' if notes else f"<td>{text}</td>"
        marks = self.marks.get(path, [])
        if any(s == "fail" for s, _ in marks):
            classes.append("xx-fail")
        elif marks:
            classes.append("xx-warn")
        notes.extend(("错误：" if s == "fail" else "警告：") + m for s, m in marks)
        return (f"<td{attrs(class_=' '.join(classes) or None, colspan=colspan if colspan > 1 else None, title='；'.join(notes) or None)}"
                f">{esc(text)}</td>")


def _wrap(kind: str, caption: str, body: str) -> str:
    # The wrapper scrolls sideways on narrow screens; tables stay out of the search index.
    return (f'<div class="xx-scroll" data-search-exclude><table class="xx-t xx-{kind}">'
            f"<caption>{esc(caption)}</caption>{body}</table></div>")


def _runs(rows, key) -> list[list]:
    """Consecutive rows with the same key, in order."""
    out: list[list] = []
    for r in rows:
        if out and key(out[-1][0]) == key(r):
            out[-1].append(r)
        else:
            out.append([r])
    return out


def active_table(record: dict, cells: Cells) -> str:
    """Table 二: sub-tables of rows sharing their fields (and group, when the template names one)."""
    key = "active_2019" if "active_2019" in (record.get("tables") or {}) else "active"
    table = T.TABLE[key]
    rows = table.rows
    width = max(len(r.fields) for r in rows)
    body = []
    for run in _runs(rows, lambda r: (r.group, tuple(f.key for f in r.fields))):
        first = run[0]
        if first.group:
            body.append(f'<tr><th colspan="{width + 1}" class="xx-sub">{esc(first.group)}</th></tr>')
        head = "".join(
            f"<th{attrs(scope='col', colspan=_span(i, first.fields, width))}>{esc(f.label)}</th>"
            for i, f in enumerate(first.fields))
        body.append(f'<tr class="xx-head"><th scope="col">信息内容</th>{head}</tr>')
        for r in run:
            tds = "".join(cells.td(key, r, f, _span(i, r.fields, width) or 1) for i, f in enumerate(r.fields))
            body.append(f"<tr>{cells.th(key, r)}{tds}</tr>")
    return _wrap("t2", f"表二　{table.title}", "".join(body))


def _span(i: int, fields, width: int) -> int | None:
    """The last field of a narrower sub-table stretches to the table's width, as printed."""
    if i == len(fields) - 1 and len(fields) < width:
        return width - len(fields) + 1
    return None


def requests_table(record: dict, cells: Cells) -> str:
    """Table 三: three label columns (block, group, item) and the applicant columns."""
    data = (record.get("tables") or {}).get("requests") or {}
    rows = tuple(r for r in T.rows_for("requests", record.get("template")) if r.key in data) \
        or T.rows_for("requests", record.get("template") or "2021")
    head, layout = _requests_layout(tuple(r.key for r in rows))
    body = []
    for r, before, colspan, cls in layout:
        th = before + cells.th("requests", r, colspan=colspan)
        shown = cells.line_of("requests", r) is not None
        tds = "".join([cells.td("requests", r, f, line_shown=shown) for f in r.fields])
        body.append(f"<tr{cls}>{th}{tds}</tr>")
    return _wrap("t3", f"表三　{T.TABLE['requests'].title}", head + "<tbody>" + "".join(body) + "</tbody>")


@cache
def _requests_layout(keys: tuple[str, ...]) -> tuple[str, tuple[tuple[T.Row, str, int | None, str], ...]]:
    """The parts of table 三 that depend only on which rows it has (every report of a template
    has the same): its head, and per row (row, the merged label cells before the row's own
    label, that label's colspan, the <tr> class). Reports only fill in figures and lines.
    Keyed by the rows' keys: cheaper to hash than the rows themselves."""
    by_key = {r.key: r for r in T.TABLE["requests"].rows}  # row keys are unique in the template
    rows = tuple(by_key[k] for k in keys)
    cols = T.REQUEST_COLUMNS
    group_cols = T.APPLICANT_COLUMNS[1:]  # the 法人或其他组织 columns between 自然人 and 总计
    head = (
        '<thead><tr><th colspan="3" rowspan="3" class="xx-corner">'
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>"
        f'<th colspan="{len(cols)}">申请人情况</th></tr>'
        f'<tr><th rowspan="2" scope="col">{esc(cols[0].label)}</th>'
        f'<th colspan="{len(group_cols)}">{esc(T.LEGAL_PERSON_GROUP)}</th>'
        f'<th rowspan="2" scope="col">{esc(cols[-1].label)}</th></tr>'
        "<tr>" + "".join(f'<th scope="col">{esc(c.label)}</th>' for c in group_cols) + "</tr></thead>"
    )
    # A group whose rows enclose rows of other groups is a block (三、本年度办理结果).
    spans: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.group:
            spans.setdefault(r.group, []).append(i)
    blocks = {g: (ix[0], ix[-1]) for g, ix in spans.items()
              if any(rows[j].group != g for j in range(ix[0], ix[-1] + 1))}
    sub_runs = {}
    for run in _runs(list(enumerate(rows)), lambda p: p[1].group):
        g = run[0][1].group
        if g and g not in blocks:
            sub_runs[run[0][0]] = len(run)
    layout = []
    for i, r in enumerate(rows):
        block = next((g for g, (a, b) in blocks.items() if a <= i <= b), None)
        th = ""
        if block is not None:
            a, b = blocks[block]
            if i == a:
                th += f'<th rowspan="{b - a + 1}" class="xx-block">{esc(block)}</th>'
            if r.group and r.group != block:
                if i in sub_runs:
                    th += f'<th rowspan="{sub_runs[i]}" class="xx-group">{esc(r.group)}</th>'
                colspan = None
            else:
                colspan = 2
        elif r.group:
            if i in sub_runs:
                th += f'<th rowspan="{sub_runs[i]}" class="xx-group">{esc(r.group)}</th>'
            colspan = 2
        else:
            colspan = 3
        layout.append((r, th, colspan, ' class="xx-total"' if r.key == "results_total" else ""))
    return head, tuple(layout)


def appeals_table(record: dict, cells: Cells) -> str:
    """Table 四: groups of columns (行政复议; 行政诉讼 → two kinds), one row of figures."""
    groups = T.APPEAL_GROUPS
    units = _runs(list(groups), lambda r: r.group or r.key)
    top, mid, low = [], [], []
    for unit in units:
        width = sum(len(r.fields) for r in unit)
        if unit[0].group is None:
            r = unit[0]
            top.append(f'<th colspan="{width}">{esc(r.label)}</th>')
            mid.extend(f'<th rowspan="2" scope="col">{esc(f.label)}</th>' for f in r.fields)
        else:
            top.append(f'<th colspan="{width}">{esc(unit[0].group)}</th>')
            for r in unit:
                mid.append(f'<th colspan="{len(r.fields)}">{esc(r.label)}</th>')
                low.extend(f'<th scope="col">{esc(f.label)}</th>' for f in r.fields)
    head = f"<thead><tr>{''.join(top)}</tr><tr>{''.join(mid)}</tr><tr>{''.join(low)}</tr></thead>"
    lines = {cells.line_of("appeals", r) for r in groups}
    line = lines.pop() if len(lines) == 1 else None  # the official row has no header: the <tr> names the line
    tds = "".join(cells.td("appeals", r, f, line_shown=line is not None) for r in groups for f in r.fields)
    tr = f'<tr{attrs(title=f"原文第{line}行" if line else None)}>'
    return _wrap("t4", f"表四　{T.TABLE['appeals'].title}", f"{head}<tbody>{tr}{tds}</tr></tbody>")


TABLE_FOR_SECTION = {2: active_table, 3: requests_table, 4: appeals_table}
