"""Tables 二, 三 and 四 in the official layout, built from `builder.template` only.

Every label, row and column comes from the template declarations; this module
only knows how the official form merges cells: groups of rows share a
rowspan cell, grouped columns share a colspan header.
"""
from __future__ import annotations

from functools import cache, lru_cache
from itertools import accumulate, chain
from operator import call, eq

from .. import template as T
from .html import attrs, esc, number
from .model import LINE, RowFigures, getter as _getter, row_figures

NULL_TITLE = "原文空白或无法读取"


_INT = {int}
_NUMBER = {int, float}


@cache
def _plain_cells(spans: tuple[int, ...] | None, n: int) -> tuple[str, tuple[str, ...]]:
    """n plain figure cells (`spans`: their colspans, default 1): a format of them all, and each
    one's opening tag up to where a title would go."""
    opening = tuple(f'<td colspan="{s}"' if s > 1 else "<td" for s in spans or (1,) * n)
    return "".join(o + ">{}</td>" for o in opening), opening


def _line_attr(line) -> str:
    """' title="原文第N行"' naming a source line; nothing for an unknown line."""
    if not line:
        return ""
    return f' title="原文第{line}行"' if type(line) is int else f' title="{esc(f"原文第{line}行")}"'


class Cells:
    """Renders one figure cell of one record: value, null marker, source line, finding marks."""

    def __init__(self, record: dict):
        self.tables = record.get("tables") or {}
        self.raw = record.get("cells") or {}
        self.marks: dict[str, list[tuple[str, str]]] = {}
        for f in record.get("findings") or []:
            if not isinstance(f, dict) or f.get("status") not in ("fail", "warn"):
                continue
            for path in f.get("cells") or []:
                self.marks.setdefault(str(path), []).append((f["status"], str(f.get("message") or "")))

    def value(self, table: str, row: str, fkey: str):
        return ((self.tables.get(table) or {}).get(row) or {}).get(fkey)

    def line(self, figures: RowFigures) -> int | None:
        try:  # every figure's cell present, each with its line: the usual case, in one call
            lines = set(map(LINE, figures.cells(self.raw)))
        except (KeyError, TypeError):
            lines = {(self.raw.get(path) or {}).get("line") for path in figures.paths}
        return lines.pop() if len(lines) == 1 else None  # None when that one line is unknown

    def row(self, row: T.Row, figures: RowFigures, spans: tuple[int, ...] | None = None) -> tuple[int | None, str]:
        """(`line`, `tds`) of a row whose header names its line: the usual row in one go."""
        try:
            lines = set(map(LINE, figures.cells(self.raw)))
            shown = figures.values((self.tables.get(figures.table) or {}).get(row.key) or {})
        except (KeyError, TypeError):
            line = self.line(figures)
            return line, self.tds(row, figures, line is not None, spans)
        line = lines.pop() if len(lines) == 1 else None
        if line is not None and spans is None and {*map(type, shown)} <= _INT \
                and not (self.marks and any(p in self.marks for p in figures.paths)):
            return line, ("<td>{}</td>" * len(shown)).format(*shown)  # nothing to escape or note
        return line, self.tds(row, figures, line is not None, spans)

    def tds(self, row: T.Row, figures: RowFigures, line_shown: bool, spans: tuple[int, ...] | None = None) -> str:
        """A row's figure cells (`figures`: the row's, in its table); `spans`: each field's colspan
        (default 1). A number with no finding on it is the usual cell: written as it prints, with
        its line unless the row header names it; nothing in it needs escaping."""
        table = figures.table
        values = (self.tables.get(table) or {}).get(row.key) or {}
        marks = self.marks
        try:
            shown = figures.values(values)
        except (KeyError, TypeError):
            shown = tuple(values.get(k) for k in figures.keys)
        types = {*map(type, shown)}
        if types <= _NUMBER and not (marks and any(p in marks for p in figures.paths)):
            plain, opening = _plain_cells(spans, len(shown))
            if not types <= _INT:
                shown = [number(v) for v in shown]
            if line_shown:
                return plain.format(*shown)
            raw = self.raw
            return "".join([f"{o}{_line_attr((raw.get(p) or {}).get('line'))}>{v}</td>"
                            for o, v, p in zip(opening, shown, figures.paths)])
        return "".join([self.td(table, row, f, spans[i] if spans else 1, line_shown) for i, f in enumerate(row.fields)])

    def td(self, table: str, row: T.Row, f: T.Field, colspan: int, line_shown: bool) -> str:
        """One figure; numbers are right-aligned by the table's CSS, so plain cells carry no class."""
        path = f"{table}.{row.key}.{f.key}"
        v = ((self.tables.get(table) or {}).get(row.key) or {}).get(f.key)
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


def _frame(kind: str, caption: str) -> tuple[str, str]:
    """A table's wrapper, before and after its rows: it scrolls sideways on narrow screens, and
    tables stay out of the search index."""
    return (f'<div class="xx-scroll" data-search-exclude><table class="xx-t xx-{kind}">'
            f"<caption>{esc(caption)}</caption>", "</table></div>")


def _percent(text: str) -> str:
    """Text as it reads in a %-format."""
    return text.replace("%", "%%")


def _runs(rows, key) -> list[list]:
    """Consecutive rows with the same key, in order."""
    out: list[list] = []
    for r in rows:
        if out and key(out[-1][0]) == key(r):
            out[-1].append(r)
        else:
            out.append([r])
    return out


class _Rows:
    """The rows of table 二 or 三 as far as they are the same for every report: per row (its <tr>
    and header cells up to where the row's header names its source line, the row, its figures, the
    rest of that header, each field's colspan or None when all are 1). `html` fills in a report's
    lines and figures."""

    def __init__(self, table: str, rows: tuple[tuple[str, T.Row, RowFigures, str, tuple[int, ...] | None], ...]):
        self.table, self.rows = table, rows
        paths = [p for _o, _r, figures, _c, _s in rows for p in figures.paths]
        self.paths = frozenset(paths)
        self.cells = _getter(tuple(paths))  # every figure's source cell, in one call
        self.row_dicts = _getter(tuple(r.key for _o, r, _f, _c, _s in rows))
        self.getters = tuple(figures.values for _o, _r, figures, _c, _s in rows)
        ends = list(accumulate(len(figures.keys) for _o, _r, figures, _c, _s in rows))
        self.slices = tuple(zip([0] + ends[:-1], ends))
        self.plain = tuple(_plain_cells(spans, len(figures.keys)) for _o, _r, figures, _c, spans in rows)
        # Each figure's row's first figure, as a getter of every figure's line; each row's first.
        self.firsts = _getter(tuple(a for a, b in self.slices for _i in range(a, b)))
        self.heads = _getter(tuple(a for a, b in self.slices if b > a))
        self.one_line = (True,) * len(paths)  # every figure on its row's first line

    def html(self, cells: Cells) -> str:
        """A report's rows."""
        grid = self._grid(cells)
        if grid is None:  # something unusual in the table
            return self.row_by_row(cells)
        values, lines = grid
        if lines == self.firsts(lines):  # the usual table: each row on one line, which its header names
            heads = self.heads(lines)
            if {*map(type, heads)} <= _INT and all(heads):
                fmt, order = self._format(self.one_line)
                return fmt % order((*values, *lines))
        if {*map(type, lines)} <= _INT and all(lines):  # every line known: the table in one format
            # Which figures are on their row's first figure's line: a row all on one line has its
            # header name it, any other row names each figure's own line.
            same = tuple(map(eq, self.firsts(lines), lines))
            fmt, order = self._format(same)
            return fmt % order((*values, *lines))
        out = []
        for (opening, _r, _f, closing, _s), (a, b), (plain, starts) in zip(self.rows, self.slices, self.plain):
            row_lines = lines[a:b]
            first = row_lines[0] if row_lines else None
            if first is not None and row_lines.count(first) == b - a:  # the row on one line: its header names it
                out.append(f"{opening}{_line_attr(first)}{closing}{plain.format(*values[a:b])}</tr>")
            else:  # each figure names its own line
                tds = "".join([f"{o}{_line_attr(line)}>{v}</td>" for o, v, line in zip(starts, values[a:b], row_lines)])
                out.append(f"{opening}{closing}{tds}</tr>")
        return "".join(out)

    def row_by_row(self, cells: Cells) -> str:
        """A report's rows, row by row, cell by cell where needed."""
        out = []
        for opening, r, figures, closing, spans in self.rows:
            line, tds = cells.row(r, figures, spans)
            out.append(f"{opening}{_line_attr(line)}{closing}{tds}</tr>")
        return "".join(out)

    @lru_cache(maxsize=256)  # a table's layouts recur; a _Rows lives as long as the process anyway
    def _format(self, same: tuple[bool, ...]):
        """The rows as one %-format, and a getter of its arguments from every figure then every
        figure's line (n figures: 0…n-1, n…2n-1), given which figures lie on their row's first line
        (`same`)."""
        n = len(same)
        out, order = [], []
        for (opening, _r, _f, closing, _s), (a, b), (_plain, starts) in zip(self.rows, self.slices, self.plain):
            opening, closing = _percent(opening), _percent(closing)
            if all(same[a:b]):
                if b > a:
                    opening += ' title="原文第%s行"'
                    order.append(n + a)
                out.append(opening + closing + "".join(_percent(o) + ">%s</td>" for o in starts))
                order.extend(range(a, b))
            else:
                out.append(opening + closing + "".join(_percent(o) + ' title="原文第%s行">%s</td>' for o in starts))
                order.extend(j for i in range(a, b) for j in (n + i, i))
            out.append("</tr>")
        return "".join(out), _getter(tuple(order))

    def _grid(self, cells: Cells) -> tuple[list, list] | None:
        """(every figure as printed, every figure's source line) in order when the table is the usual
        one: every figure there as a number, with its cell and line, and no finding on any."""
        try:
            lines = tuple(map(LINE, self.cells(cells.raw)))
            rows = self.row_dicts(cells.tables[self.table])
            values = list(chain.from_iterable(map(call, self.getters, rows)))
        except (KeyError, TypeError):
            return None
        types = {*map(type, values)}
        if not types <= _NUMBER or (cells.marks and not self.paths.isdisjoint(cells.marks)):
            return None
        if not types <= _INT:  # decimals (a fee in 万元) as printed
            values = [v if type(v) is int else number(v) for v in values]
        return values, lines


def active_table(record: dict, cells: Cells) -> str:
    """Table 二: sub-tables of rows sharing their fields (and group, when the template names one)."""
    key = "active_2019" if "active_2019" in (record.get("tables") or {}) else "active"
    before, rows, after = _active_layout(key)
    return before + rows.html(cells) + after


@cache
def _active_layout(key: str) -> tuple[str, _Rows, str]:
    """Table 二 as far as it is the same for every report: the table up to its first row, its rows
    (a sub-table's heading goes before its first row), the table's end."""
    table = T.TABLE[key]
    rows = table.rows
    width = max(len(r.fields) for r in rows)
    layout = []
    for run in _runs(rows, lambda r: (r.group, tuple(f.key for f in r.fields))):
        first = run[0]
        head = f'<tr><th colspan="{width + 1}" class="xx-sub">{esc(first.group)}</th></tr>' if first.group else ""
        cols = "".join(
            f"<th{attrs(scope='col', colspan=_span(i, first.fields, width))}>{esc(f.label)}</th>"
            for i, f in enumerate(first.fields))
        head += f'<tr class="xx-head"><th scope="col">信息内容</th>{cols}</tr>'
        for r in run:
            layout.append((f'{head}<tr><th scope="row"', r, row_figures(key, r), f">{esc(r.label)}</th>",
                           tuple(_span(i, r.fields, width) or 1 for i in range(len(r.fields))) if len(r.fields) < width else None))
            head = ""
    before, after = _frame("t2", f"表二　{table.title}")
    return before, _Rows(key, tuple(layout)), after


def _span(i: int, fields, width: int) -> int | None:
    """The last field of a narrower sub-table stretches to the table's width, as printed."""
    if i == len(fields) - 1 and len(fields) < width:
        return width - len(fields) + 1
    return None


def requests_table(record: dict, cells: Cells) -> str:
    """Table 三: three label columns (block, group, item) and the applicant columns."""
    data = (record.get("tables") or {}).get("requests") or {}
    template = record.get("template")
    keys, needed = _request_keys(template)
    if not data.keys() >= needed:  # rows missing: the table has the rows that were read
        keys = tuple(k for k in keys if k in data) or _request_keys(template or "2021")[0]
    before, rows, after = _requests_layout(keys)
    return before + rows.html(cells) + after


@cache
def _request_keys(template: str | None) -> tuple[tuple[str, ...], frozenset[str]]:
    """The keys of a template's rows of table 三, in order and as a set."""
    keys = tuple(r.key for r in T.rows_for("requests", template))
    return keys, frozenset(keys)


@cache
def _requests_layout(keys: tuple[str, ...]) -> tuple[str, _Rows, str]:
    """The parts of table 三 that depend only on which rows it has (every report of a template
    has the same): the table up to its first row, its rows (the merged label cells of a block or
    group go before its first row), the table's end. Keyed by the rows' keys: cheaper to hash than
    the rows themselves."""
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
        tr = '<tr class="xx-total">' if r.key == "results_total" else "<tr>"
        layout.append((f'{tr}{th}<th scope="row"', r, row_figures("requests", r), f"{attrs(colspan=colspan)}>{esc(r.label)}</th>", None))
    before, after = _frame("t3", f"表三　{T.TABLE['requests'].title}")
    return before + head + "<tbody>", _Rows("requests", tuple(layout)), "</tbody>" + after


def appeals_table(record: dict, cells: Cells) -> str:
    """Table 四: groups of columns (行政复议; 行政诉讼 → two kinds), one row of figures."""
    before, after = _appeals_frame()
    try:  # the usual table: every figure a whole number on one line, no finding on any: in one go
        lines = tuple(map(LINE, _APPEALS_CELLS(cells.raw)))
        values = tuple(chain.from_iterable(map(call, _APPEALS_VALUES, _APPEALS_ROWS(cells.tables["appeals"]))))
    except (KeyError, TypeError):
        pass
    else:
        if {*map(type, lines)} <= _INT and all(lines) and {*map(type, values)} <= _INT \
                and not (cells.marks and not _APPEALS_PATHS.isdisjoint(cells.marks)):
            line = lines[0]
            if lines.count(line) == len(lines):  # all on one line: the row names it
                return f'{before}<tr title="原文第{line}行">{_APPEALS_TDS % values}</tr>{after}'
            return f"{before}<tr>{_APPEALS_TITLED % tuple(chain.from_iterable(zip(lines, values)))}</tr>{after}"
    return before + _appeals_row(cells) + after


def _appeals_row(cells: Cells) -> str:
    """Table 四's row, group by group, cell by cell where needed."""
    lines = {cells.line(figures) for _r, figures in _APPEALS}
    line = lines.pop() if len(lines) == 1 else None  # the official row has no header: the <tr> names the line
    tds = "".join([cells.tds(r, figures, line is not None) for r, figures in _APPEALS])
    return f"<tr{_line_attr(line)}>{tds}</tr>"


_APPEALS = tuple((r, row_figures("appeals", r)) for r in T.APPEAL_GROUPS)
_APPEALS_ROWS = _getter(tuple(r.key for r in T.APPEAL_GROUPS))
_APPEALS_VALUES = tuple(figures.values for _r, figures in _APPEALS)
_APPEALS_CELLS = _getter(tuple(p for _r, figures in _APPEALS for p in figures.paths))
_APPEALS_PATHS = frozenset(p for _r, figures in _APPEALS for p in figures.paths)
_APPEALS_TDS = "<td>%s</td>" * len(_APPEALS_PATHS)
_APPEALS_TITLED = '<td title="原文第%s行">%s</td>' * len(_APPEALS_PATHS)  # each figure names its line


@cache
def _appeals_frame() -> tuple[str, str]:
    """Table 四 around its one row of figures: the same for every report."""
    units = _runs(list(T.APPEAL_GROUPS), lambda r: r.group or r.key)
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
    before, after = _frame("t4", f"表四　{T.TABLE['appeals'].title}")
    return before + head + "<tbody>", "</tbody>" + after


TABLE_FOR_SECTION = {2: active_table, 3: requests_table, 4: appeals_table}
