"""Reading figures and their labels out of a record, for the rules' messages.

Labels come from `builder.template`; nothing here keeps its own list.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import cache, lru_cache

from .. import template as T

APPEAL_FIELD_LABEL = {f.key: f.label for f in T.APPEAL_FIELDS}


# ------------------------------------------------------------------ a memo for one validation
# The rules of one report look up about a thousand figures and read the same sentences
# three times; `validate()` opens a memo so each is worked out once per record.
_memo: dict | None = None
_MISSING = object()


@contextmanager
def memo():
    """Within this block, `cached()` keeps what it computes, per record (by identity).
    Only for code that does not change the records meanwhile."""
    global _memo
    outer, _memo = _memo, {}
    try:
        yield
    finally:
        _memo = outer
        _last[:] = None, None


def cached(record: dict, kind: str, build):
    """`build(record)`, computed once per record and kind inside `memo()`."""
    if _memo is None:
        return build(record)
    key = (id(record), kind)
    kept, hit = _memo.get(key, (None, _MISSING))
    if kept is not record:  # the record itself is kept with it, so its id is not reused meanwhile
        hit = build(record)
        _memo[key] = (record, hit)
    return hit


# Every path of the template, split once.
_SPLIT = {p: tuple(p.split(".")) for p, _r, _f in T.all_cell_paths()}


def _flat(record: dict) -> dict | None:
    """{dotted path: figure}; None when the tables are not plain nested dicts (then `value`
    takes the long way and fails just as it would have)."""
    out = {}
    for table, rows in ((record.get("tables") or {}).items()):
        if not rows:
            continue
        if not isinstance(rows, dict):
            return None
        for row, fields in rows.items():
            if not isinstance(fields, dict):
                return None
            for field, v in fields.items():
                out[f"{table}.{row}.{field}"] = v
    return out


_last: list = [None, None]  # (record, its flat figures): the record whose rules are running


def value(record: dict, path: str):
    """The figure at a dotted path such as `requests.received.total`, or None."""
    if _last[0] is record:  # the usual call: a rule of the record in `_last` (set only inside `memo()`)
        if _last[1] is not None and path in _SPLIT:
            return _last[1].get(path)
    elif _memo is not None and path in _SPLIT:
        _last[:] = record, cached(record, "flat", _flat)
        if _last[1] is not None:
            return _last[1].get(path)
    table, row, field = _SPLIT.get(path) or path.split(".")
    return ((record.get("tables") or {}).get(table) or {}).get(row, {}).get(field)


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
    y, m, day = (d.year, d.month, d.day) if hasattr(d, "year") else map(int, str(d).split("-"))
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




def expected_tables(record: dict) -> list[str]:
    """The table keys a report on this template must carry, in order."""
    return [T.active_key(record.get("template")), "requests", "appeals"]


def table_paths(record: dict, table: str) -> list[tuple[T.Row, str]]:
    """(row, path) of every cell of one table, in template order."""
    template = record.get("template")
    if template is None:  # both templates' rows are candidates; keep the ones the parser filled in
        present = (record.get("tables") or {}).get(table) or {}
        rows = tuple(r for r in T.rows_for(table, template) if r.key in present) or T.rows_for(table, "2021")
        return _paths_of(table, rows)
    return list(_template_paths(table, template))


@lru_cache(maxsize=64)  # the same for every report of a template
def _template_paths(table: str, template: str) -> tuple[tuple[T.Row, str], ...]:
    return tuple(_paths_of(table, T.rows_for(table, template)))


def _paths_of(table: str, rows) -> list[tuple[T.Row, str]]:
    return [(row, f"{table}.{row.key}.{f.key}") for row in rows for f in row.fields]
