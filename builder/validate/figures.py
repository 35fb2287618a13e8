"""Reading figures and their labels out of a record, for the rules' messages.

Labels come from `builder.template`; nothing here keeps its own list.
"""
from __future__ import annotations

from functools import cache, lru_cache, partial
from itertools import chain, repeat
from operator import call, itemgetter

from .. import template as T

# ------------------------------------------------------------------ a memo for one validation
# The rules of one report read the same sentences three times and the same rows of table 三
# four times; `validate()` opens a memo so each is worked out once per record.
_memo: tuple[dict, dict] | None = None  # (the record, {kind: what was worked out for it})
_MISSING = object()


class memo:
    """Within this block, `cached()` keeps what it computes for `record`.
    Only for code that does not change the record meanwhile. (A class: this is entered once
    per report, and a generator-based context manager costs several times more.)"""

    def __init__(self, record: dict):
        self.record, self.outer = record, None

    def __enter__(self):
        global _memo
        self.outer, _memo = _memo, (self.record, {})

    def __exit__(self, *exc):
        global _memo
        _memo = self.outer


def cached(record: dict, kind, build):
    """`build(record)`, computed once per kind for the record of the open `memo()`."""
    m = _memo
    if m is None or m[0] is not record:
        return build(record)
    hit = m[1].get(kind, _MISSING)
    if hit is _MISSING:
        hit = m[1][kind] = build(record)
    return hit


# Every path of the template, split once.
_SPLIT = {p: tuple(p.split(".")) for p, _r, _f in T.all_cell_paths()}


def value(record: dict, path: str):
    """The figure at a dotted path such as `requests.received.total`, or None.
    For a few look-ups; a rule reading many figures reads `grid(record, table)`."""
    table, row, field = _SPLIT.get(path) or path.split(".")
    return ((record.get("tables") or {}).get(table) or {}).get(row, {}).get(field)


def table(record: dict, key: str) -> dict:
    """One table's rows by row key ({} when it has none)."""
    return (record.get("tables") or {}).get(key) or {}


# {table key: {row key: (its field keys, their dotted paths)}} for every row of the template.
ROW_CELLS = {t.key: {r.key: T.ROW_FIELDS[t.key, r.key] for r in t.rows} for t in T.TABLES}


def grid(record: dict, key: str) -> dict[str, tuple]:
    """{row key: the row's figures in the template's field order, None where empty (as `value`
    reads them)} for every row the template declares for one table. Read once per record inside
    `memo()`: the arithmetic and blank-cell rules go over the same rows, a few hundred cells."""
    return cached(record, _GRID_KIND[key], _GRID_BUILD[key])


def _grid(record: dict, key: str) -> dict[str, tuple]:
    rows, keys = table(record, key), _ROW_KEYS[key]
    try:  # the usual table: every figure of each row there, in C (a row not there reads as blanks)
        return dict(zip(keys, map(call, _GETTERS[key], map(rows.get, keys, repeat(_NO_ROW)))))
    except (KeyError, TypeError, AttributeError):  # a row without some figure: one by one
        return {row: tuple(map(rows.get(row, {}).get, fields)) for row, (fields, _) in ROW_CELLS[key].items()}


# A row that is not there: every figure of it reads as None. Only ever read.
_NO_ROW = {f: None for rows in ROW_CELLS.values() for fields, _ in rows.values() for f in fields}


def _getter(keys: tuple[str, ...]):
    """d → (d[k] for k in keys) as a tuple, in one call (KeyError when one is missing)."""
    if len(keys) > 1:
        return itemgetter(*keys)
    return lambda d: (d[keys[0]],)  # itemgetter of one key gives the value, not a tuple


# Per table: its row keys, and a getter of each row's figures in field order.
_ROW_KEYS = {t: tuple(rows) for t, rows in ROW_CELLS.items()}
_GETTERS = {t: tuple(_getter(fields) for fields, _ in rows.values()) for t, rows in ROW_CELLS.items()}
_GRID_KIND = {t: ("grid", t) for t in ROW_CELLS}  # its key in the memo
_GRID_BUILD = {t: partial(_grid, key=t) for t in ROW_CELLS}


def raw(record: dict, path: str) -> str | None:
    """The cell's text as printed, or None when no cell was read for it."""
    c = (record.get("cells") or {}).get(path)
    return None if c is None else c.get("text")


def label(path: str) -> str:
    """“表三·（七）总计·自然人” for `requests.results_total.natural_person`."""
    return T.path_label(path)


@cache
def row_label(table: str, key: str) -> str:
    return T.row_name(next(r for r in T.TABLE[table].rows if r.key == key))


def ordinal(key: str) -> str:
    """The item number the corner of table 三 uses: 一 for received, 三 for results_total."""
    row = T.REQUEST_ROW[key]
    text = row.label if "、" in row.label else (row.group or row.label)
    return text.split("、", 1)[0]


fmt = T.fmt_number


def cn_date(d) -> str:
    """A date (datetime.date or ISO text) as Chinese prose writes it: 2025年1月15日."""
    if hasattr(d, "year"):
        return f"{d.year}年{d.month}月{d.day}日"
    return _cn_date(str(d))


@lru_cache(maxsize=1024)  # a few hundred dates recur in every archive (1 January, 31 December, …)
def _cn_date(iso: str) -> str:
    y, m, day = map(int, iso.split("-"))
    return f"{y}年{m}月{day}日"


def missing(record: dict, paths) -> list[str]:
    return [p for p in paths if value(record, p) is None]


def describe_missing(record: dict, paths: list[str], limit: int = 6) -> str:
    """“表三·（七）总计·总计（原文“/”）、…” naming each empty cell and what was printed."""
    parts = []
    for p in paths[:limit]:
        r = raw(record, p)
        if r is None:
            parts.append(f"{label(p)}（未读到）")
        elif r.strip() == "":
            parts.append(f"{label(p)}（空白）")
        else:
            parts.append(f"{label(p)}（原文“{r.strip()}”）")
    more = f"等{len(paths)}处" if len(paths) > limit else ""
    return "、".join(parts) + more


def template_of(record: dict) -> str:
    """The template whose result rows table 三 uses; a record without one falls back on its rows."""
    t = record.get("template")
    if t in ("2021", "2019"):
        return t
    req = (record.get("tables") or {}).get("requests") or {}
    if "other" in req and not any(v is not None for k in T.RESULT_KEYS["2021"]
                                  if k.startswith("other_") for v in (req.get(k) or {}).values()):
        return "2019"
    return "2021"


_TEMPLATES = ("2021", "2019", None)  # what the parser writes in `template`


@cache
def _rows_for(table: str, template: str | None) -> tuple[T.Row, ...]:
    return T.rows_for(table, template)


def rows_for(table: str, template) -> tuple[T.Row, ...]:
    """`T.rows_for`, worked out once per template instead of once per report."""
    return _rows_for(table, template) if template in _TEMPLATES else T.rows_for(table, template)


def expected_tables(record: dict) -> list[str]:
    """The table keys a report on this template must carry, in order."""
    return [T.active_key(record.get("template")), "requests", "appeals"]


def table_rows(record: dict, table: str) -> tuple[T.Row, ...]:
    """The rows of one table a report on this template carries, in template order."""
    template = record.get("template")
    if template is None:  # both templates' rows are candidates; keep the ones the parser filled in
        present = (record.get("tables") or {}).get(table) or {}
        return tuple(r for r in T.rows_for(table, template) if r.key in present) or rows_for(table, "2021")
    return rows_for(table, template)


@cache
def _keys_for(table: str, template: str | None) -> tuple[str, ...]:
    return tuple(r.key for r in _rows_for(table, template))


def keys_for(table: str, template) -> tuple[str, ...]:
    """The keys of `rows_for(table, template)`."""
    return _keys_for(table, template) if template in _TEMPLATES else tuple(r.key for r in T.rows_for(table, template))


def table_keys(record: dict, table: str) -> tuple[str, ...]:
    """The keys of `table_rows(record, table)`."""
    template = record.get("template")
    if template in ("2021", "2019"):
        return _keys_for(table, template)
    return tuple(r.key for r in table_rows(record, table))


def complete(record: dict, table: str) -> bool:
    """Every figure of the rows of `table_rows(record, table)` was read (the usual table: the rules
    about unread rows and blank cells need not look at its rows one by one)."""
    return cached(record, _COMPLETE_KIND[table], _COMPLETE_BUILD[table])


def _complete(record: dict, table: str) -> bool:
    rows = grid(record, table)
    try:  # summing the figures stops at the first blank (None), faster than looking for one
        sum(chain.from_iterable(map(rows.__getitem__, table_keys(record, table))))
    except TypeError:
        return None not in chain.from_iterable(map(rows.__getitem__, table_keys(record, table)))
    return True


_COMPLETE_KIND = {t: ("complete", t) for t in ROW_CELLS}  # its key in the memo
_COMPLETE_BUILD = {t: partial(_complete, table=t) for t in ROW_CELLS}
