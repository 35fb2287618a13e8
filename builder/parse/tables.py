"""Read tables 二, 三 and 四 by meaning.

Each row of the template is found by its label (declared in `template`),
and takes the values that follow that label. A row whose values cannot be
placed with certainty stays `null` with a note: a figure shifted into the
wrong cell is worse than a missing one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from .. import template as T
from .cells import Segment, Slot, Table, TableText, fit, layout, read_table
from .rows import place


@dataclass
class TableResult:
    table: str  # its key under `tables`
    values: dict = field(default_factory=dict)  # {row: {field: value}}
    raw: dict = field(default_factory=dict)  # {"table.row.field": {"text": raw, "line": n}}
    notes: list[str] = field(default_factory=list)
    template: str | None = None  # table 三: the template its rows follow


# {(table, template): {row: {field: None}}}: what a table holds before any figure is read.
_SKELETONS = {(t.key, tpl): {r.key: dict.fromkeys(f.key for f in r.fields) for r in T.rows_for(t.key, tpl)}
              for t in T.TABLES for tpl in (None, "2021", "2019")}


def empty(table: str, template: str | None = None) -> dict:
    """{row: {field: None}} of the table's rows (of that template's, if given), in order."""
    return {row: fields.copy() for row, fields in _SKELETONS[table, template].items()}


# ---------------------------------------------------------------- plans
# A table is read in two steps. Its plan says which of its values fill which row's cells
# and which notes to write; it is worked out from the table's layout alone (`cells.layout`:
# labels, lines and blanks, no figure), so the tables of one template printed alike, report
# after report, share one. The plan is then carried out with each table's own values.
#
# Values are named by pieces of lines: (line, start, stop) of each run of a line's values.
Pieces = tuple[tuple[int, int, int], ...]


@dataclass(frozen=True)
class Plan:
    table: str  # its key under `tables`
    template: str | None  # table 三: the template its rows follow
    fills: tuple[tuple[str, tuple[T.Field, ...], tuple[str, ...], Pieces], ...]
    # (row key, its fields, their keys, the pieces holding their values) of each row read
    paths: tuple[str, ...]  # the cell paths of every row read, in order (a row read twice: twice)
    notes: tuple  # in order, each called as note(notes, table, number of the table's first line)
    whole: bool  # every row of the table read once, in the template's order: the rows read are the table


def _read(raws: list[str], start: int, end: int, planner) -> TableResult:
    """The table on raws[start:end] (the document's lines, as in the text)."""
    table = read_table(raws[start:end])
    plan = _plan(planner, table)
    first = start + 1  # line i of the document is numbered i + 1
    got: dict[str, dict] = {}
    cells: list[dict] = []  # of every row read, in the plan's order (`Plan.paths`)
    line_values = table.values
    for key, fields, keys, pieces in plan.fills:
        if len(pieces) == 1:  # the usual row: its values side by side on one line
            k, a, b = pieces[0]
            v = line_values[k]
            numbers = v.numbers[a:b]
            plain = v.plain
            texts = v.texts[a:b]
            cells += _ROW_CELLS.get((first + k, a, texts)) or _row_cells(first + k, a, texts)
        else:
            numbers, plain = [], True
            for k, a, b in pieces:
                v = line_values[k]
                numbers += v.numbers[a:b]
                plain = plain and v.plain
                texts = v.texts[a:b]
                cells += _ROW_CELLS.get((first + k, a, texts)) or _row_cells(first + k, a, texts)
        # Counts are kept as they are; other figures as the field takes them.
        got[key] = dict(zip(keys, numbers if plain else map(_typed, numbers, fields)))
    raw = dict(zip(plan.paths, cells))
    notes: list[str] = []
    for note in plan.notes:
        note(notes, table, first)
    if plan.whole:
        values = got
    else:
        values = {row: got[row] if row in got else fields.copy()
                  for row, fields in _SKELETONS[plan.table, plan.template].items()}
    return TableResult(plan.table, values, raw, notes, plan.template)


# {(line, where the values start on it, texts): the source cells of a row's values printed side
# by side on that line}. Rows print alike report after report (“0”, “/”, on the same line of the
# same layout), so their cells are made once and the records share them (within one record, two
# figures never share a cell). A cell must never be changed once read — the validator, pages and
# downloads only read it — and then no output can tell a shared one from its copy.
_ROW_CELLS: dict[tuple[int, int, tuple[str, ...]], tuple[dict, ...]] = {}
_MAX_ROW_CELLS = 65536


def _row_cells(line: int, start: int, texts: tuple[str, ...]) -> tuple[dict, ...]:
    if len(_ROW_CELLS) >= _MAX_ROW_CELLS:
        _ROW_CELLS.clear()
    cells = _ROW_CELLS[line, start, texts] = tuple({"text": text, "line": line} for text in texts)
    return cells


# {(planner, table key): plan}. A plan depends on nothing but the layout, which the key
# determines (`cells.Table.key`): whatever was read before, the same key gets the same plan.
_PLANS: dict = {}
_MAX_PLANS = 4096


def _plan(planner, table: Table) -> Plan:
    if table.key is None:
        return planner(layout(table))
    plan = _PLANS.get((planner, table.key))
    if plan is None:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        plan = _PLANS[planner, table.key] = planner(layout(table))
    return plan


# The plans look for these words in a table's whole text, where each run of digits reads
# as one “0” (`cells.TableText.compact`): words without a digit are found there exactly as
# in the full text.
_SPLIT_ROWS = tuple(T.REQUEST_ROW[k].pattern for k in ("other_no_correction", "other_unpaid_fee"))
_ONE_OTHER_ROW = T.REQUEST_ROW["other"].pattern.replace("$", "")
_FIRST_ORG = T.compact(T.APPLICANT_COLUMNS[1].label)
if any(re.search(r"[\x00-\x7f]", w.replace("|", "")) for w in
       (T.ACTIVE_2019_MARKERS, *_SPLIT_ROWS, _ONE_OTHER_ROW, T.SUBTOTAL_HEADER, _FIRST_ORG)):
    raise RuntimeError("parse.tables: the words looked for in a table's text must hold no digit or regex sign")


class _Planned:
    """A plan being worked out: the rows read and the notes, in order."""

    def __init__(self, table: str):
        self.table = table
        self.title = f"表{T.table_no(table)}"
        self.fills: list = []
        self.paths: list[str] = []
        self.notes: list = []
        self.read: set[str] = set()  # rows read

    def row(self, row: T.Row, slots: list[Slot]) -> None:
        """Fill `row` from these slots, or note why it cannot be."""
        n = len(row.fields)
        slots = fit(slots, n)
        if len(slots) == n:
            keys, paths = T.ROW_FIELDS[self.table, row.key]
            self.fills.append((row.key, row.fields, keys, _pieces(slots)))
            self.paths += paths
            self.read.add(row.key)
        elif slots:
            self.notes.append(partial(_miscount, self.title, row, _pieces(slots)))
        else:
            self.note(f"{self.title}“{row.label}”行没有读到数值，本行留空")

    def note(self, text: str) -> None:
        self.notes.append(partial(_note, text))

    def plan(self, template: str | None = None) -> Plan:
        rows = [fill[0] for fill in self.fills]
        return Plan(self.table, template, tuple(self.fills), tuple(self.paths), tuple(self.notes),
                    rows == list(_SKELETONS[self.table, template]))


# The notes of a plan: those that show figures are written with each table's own.
def _note(text: str, notes: list[str], table: Table, first: int) -> None:
    notes.append(text)


def _miscount(title: str, row: T.Row, pieces: Pieces, notes: list[str], table: Table, first: int) -> None:
    texts = _texts(table, pieces)
    notes.append(f"{title}“{row.label}”行读到{len(texts)}个值（{_got(texts)}），应为{len(row.fields)}个，"
                 f"无法确定各值所在的列，本行留空")


def _stray(title: str, line: int, pieces: Pieces, notes: list[str], table: Table, first: int) -> None:
    shown = " ".join(t or "空" for t in _texts(table, pieces))[:60]
    notes.append(f"{title}第{first + line}行的数值“{shown}”找不到所属的行，未采用")


def _missing(row: T.Row, notes: list[str], table: Table, first: int) -> None:
    """Table 三: a row not read, unless a note says why already."""
    if not _noted(notes, row):
        notes.append(f"表三缺少“{row.label}”行")


def _got(texts: list[str]) -> str:
    return "、".join(t or "空" for t in texts)


def _texts(table: Table, pieces: Pieces) -> list[str]:
    """The texts of the values in `pieces`, as printed."""
    return [text for k, a, b in pieces for text in table.values[k].texts[a:b]]


def _pieces(slots: list[Slot]) -> Pieces:
    """The slots as runs of neighbouring values on one line: (line, start, stop) of each."""
    out: list[list[int]] = []
    for s in slots:
        if out and out[-1][0] == s.line and out[-1][2] == s.at:
            out[-1][2] += 1
        else:
            out.append([s.line, s.at, s.at + 1])
    return tuple(map(tuple, out))


def _typed(v, f: T.Field):
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


# ---------------------------------------------------------------- table 二
def read_active(raws: list[str], start: int, end: int) -> tuple[str, TableResult]:
    """Returns (table key, result): `active` for 2021, `active_2019` for the trial template."""
    res = _read(raws, start, end, _plan_active)
    return res.table, res


def _plan_active(tt: TableText) -> Plan:
    key = "active_2019" if re.search(T.ACTIVE_2019_MARKERS, tt.compact) else "active"
    rows = T.TABLE[key].rows
    out = _Planned(key)
    done: set[str] = set()
    segs = [s for s in tt.segments if s.values]
    placed = place(segs, rows, tt.rules, tt.delimited, ordered=False)
    for row in placed.unsure:
        out.note(f"表二“{row.label}”行的标签跨行排印，无法确定它与哪一行数值对应，本行留空")
    for seg, row in zip(segs, placed.rows):
        if row is None:
            out.notes.append(partial(_stray, "表二", seg.line, _pieces(seg.values)))
            continue
        done.add(row.key)
        out.row(row, seg.values)
    for row in rows:
        if row.key not in done:
            out.note(f"表二缺少“{row.label}”行")
    return out.plan()


# ---------------------------------------------------------------- table 三
def detect_request_template(text: str) -> str:
    """The 2021 template splits （六）其他处理 into three rows; the 2019 trial prints one.
    `text`: the table's text, compacted."""
    if any(re.search(p, text) for p in _SPLIT_ROWS):
        return "2021"
    if re.search(_ONE_OTHER_ROW, text):
        return "2019"
    return "2021"


def read_requests(raws: list[str], start: int, end: int) -> TableResult:
    """Table 三, of the template it follows (`TableResult.template`)."""
    return _read(raws, start, end, _plan_requests)


def _plan_requests(tt: TableText) -> Plan:
    template = detect_request_template(tt.compact)
    rows = T.rows_for("requests", template)
    out = _Planned("requests")
    segs = [s for s in tt.segments if s.values]
    subtotal_at = _subtotal_column(tt.compact)
    placed = place(segs, rows, tt.rules, tt.delimited)
    for row in placed.unsure:
        out.note(f"表三“{row.label}”行的标签跨行排印，无法确定它与哪一行数值对应，本行留空")
    for seg, row in zip(segs, placed.rows):
        if row is None:
            out.notes.append(partial(_stray, "表三", seg.line, _pieces(seg.values)))
            continue
        slots = fit(seg.values, len(row.fields) + (subtotal_at is not None))
        if subtotal_at is not None and len(slots) == len(row.fields) + 1:
            slots = slots[:subtotal_at] + slots[subtotal_at + 1:]
        out.row(row, slots)
    for row in rows:
        if row.key not in out.read:
            out.notes.append(partial(_missing, row))
    return out.plan(template)


def _noted(notes: list[str], row: T.Row) -> bool:
    return any(f"“{row.label}”" in n for n in notes)


def _subtotal_column(header: str) -> int | None:
    """Index of an added 法人小计 column among the values, if the header has one."""
    m = re.search(T.SUBTOTAL_HEADER, header)
    if not m:
        return None
    before = header[:m.start()]
    # 小计 printed before the first legal-person column sits right after 自然人.
    return 1 if _FIRST_ORG not in before else len(T.APPLICANT_COLUMNS)


# ---------------------------------------------------------------- table 四
def read_appeals(raws: list[str], start: int, end: int) -> TableResult:
    return _read(raws, start, end, _plan_appeals)


def _plan_appeals(tt: TableText) -> Plan:
    rows = T.APPEAL_GROUPS
    out = _Planned("appeals")
    segs = [s for s in tt.segments if s.values]
    n_fields = len(T.APPEAL_FIELDS)
    slots = fit([c for s in segs for c in s.values], n_fields * len(rows))
    if len(slots) == n_fields * len(rows):
        for i, row in enumerate(rows):
            out.row(row, slots[i * n_fields:(i + 1) * n_fields])
        return out.plan()
    # One row per group (a transposed layout): each run labelled by its group.
    by_group = {}
    for s in segs:
        row = _best_row(s, rows, lambda r: r.key not in by_group)
        values = fit(s.values, n_fields)
        if row is not None and len(values) == n_fields:
            by_group[row.key] = values
    if len(by_group) == len(rows):
        for row in rows:
            out.row(row, by_group[row.key])
    elif slots:
        out.notes.append(partial(_table_miscount, _pieces(slots), n_fields * len(rows)))
    else:
        out.note("表四没有读到数值，整表留空")
    return out.plan()


def _table_miscount(pieces: Pieces, n: int, notes: list[str], table: Table, first: int) -> None:
    texts = _texts(table, pieces)
    notes.append(f"表四读到{len(texts)}个值（{_got(texts)}），应为{n}个，无法确定各值所在的列，整表留空")
