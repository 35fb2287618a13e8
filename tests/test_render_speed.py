"""A report's files made by the quick paths are exactly what the plain algorithms make.

The plain algorithms are those the quick paths stand in for (row by row, cell by cell, field
by field; posixpath for links). Both run on the real seeds, the hostile corpus and synthetic
reports, and on copies of them edited to hit the rare paths: CSV fields to quote or guard
against formulas, blank or decimal figures, figures off their row's line or with unknown
lines, findings on cells, odd types.
"""
from __future__ import annotations

import copy
import io
import json
import posixpath
from functools import lru_cache

import hostile
import pytest
from built_site import SEEDS, _tmp

from builder import build
from builder.render import downloads as D
from builder.render import tables as T
from builder.render.html import Pages
from builder.render.model import Entry
from builder.synth import generate


@lru_cache(maxsize=1)
def _archive():
    root = _tmp() / "speed"
    (root / "seeds").mkdir(parents=True)
    for name, data in hostile.corpus().items():
        if not name.startswith("big"):  # 4 MB of repeated prose adds nothing here
            (root / "seeds" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "seeds" / name).write_bytes(data)
    for i, s in enumerate(generate(60, 7, SEEDS)):
        (root / "seeds" / f"synth-{i:03d}.txt").write_text(s.text, encoding="utf-8")
    files, _skipped = build.collect(root / "seeds")
    parsed = build.parse(files, root, build.Progress(io.StringIO(), False), None, {}, {})
    registry = build.validate([r for _p, _s, r, _e in parsed if r is not None], {})
    archive = build.assemble(parsed)
    archive.rules, archive.families, archive.status_labels = registry
    assert len(archive.entries) > 70
    return archive


def _odd(entries):
    """Copies of entries whose findings hold what the quick paths must leave to the plain ones."""
    edits = [
        lambda f: f.update(message="=1+1，" + str(f.get("message"))),
        lambda f: f.update(message=str(f.get("message")) + ', "引号"'),
        lambda f: f.update(quote="第一行\n第二行"),
        lambda f: f.update(quote="-5"),
        lambda f: f.update(cells=["a,b", 3]),
        lambda f: f.update(rule=12),
        lambda f: f.update(message=None, quote="@x"),
        lambda f: f.update(message="\t缩进"),
    ]
    out = []
    for i, e in enumerate(entries[:len(edits) * 2]):
        odd = copy.copy(e)
        odd.__dict__.pop("findings", None)  # the cached list of the original
        odd.record = copy.deepcopy(e.record)
        found = odd.record.get("findings") or []
        if found:
            edits[i % len(edits)](found[len(found) // 2])
            out.append(odd)
    return out


def _plain_finding_lines(e) -> str:
    report = [D._field(e.slug), D._field(e.agency), D._field(e.year)]
    return "".join(D._record(report + [D._field(v) for v in (f.get("rule"), f.get("family"), f.get("status"),
                                                            f.get("message"), ";".join(map(str, f.get("cells") or ())),
                                                            f.get("quote"))])
                   for f in e.findings)


def test_finding_lines_on_real_synthetic_and_odd_reports():
    entries = _archive().entries
    odd = _odd(entries)
    assert len(odd) >= 8
    for e in entries + odd:
        assert D.finding_lines(e) == _plain_finding_lines(e), e.slug
    # The odd ones do reach the plain path, and it quotes and guards them.
    assert any('"' in D.finding_lines(e) for e in odd) and any(",'=1+1" in D.finding_lines(e) for e in odd)


def _odd_tables(entries):
    """Copies of records whose tables hold what the quick paths must leave to the plain ones:
    a blank figure, a decimal, a figure on a line of its own, a line unknown, a finding on a cell."""
    def edit(record, i):
        tables, cells = record.get("tables") or {}, record.get("cells") or {}
        table = ("active" if "active" in tables else "active_2019", "requests", "appeals")[i % 3]
        paths = sorted(p for p in cells if p.startswith(table + "."))
        if not paths:
            return False
        path = paths[(i * 7) % len(paths)]
        _t, row, key = path.split(".")
        kind = i % 5
        if kind == 0:
            tables[table][row][key] = None
        elif kind == 1:
            tables[table][row][key] = 12.5
        elif kind == 2:
            cells[path]["line"] += 1
        elif kind == 3:
            cells[path]["line"] = None
        else:
            record.setdefault("findings", []).append(
                {"rule": "x", "family": "arithmetic", "status": "fail", "message": "<不符>", "cells": [path]})
        return True

    out = []
    for i, e in enumerate(entries[:60]):
        record = copy.deepcopy(e.record)
        if record.get("tables") and edit(record, i):
            out.append(record)
    return out


def _plain_tables(record: dict) -> dict[int, str]:
    """Tables 二, 三 and 四 row by row, cell by cell."""
    cells = T.Cells(record)
    key = "active_2019" if "active_2019" in (record.get("tables") or {}) else "active"
    before, rows, after = T._active_layout(key)
    out = {2: before + rows.row_by_row(cells) + after}
    data = (record.get("tables") or {}).get("requests") or {}
    keys = T._request_keys(record.get("template"))[0]
    if not data.keys() >= set(keys):
        keys = tuple(k for k in keys if k in data) or T._request_keys(record.get("template") or "2021")[0]
    before, rows, after = T._requests_layout(keys)
    out[3] = before + rows.row_by_row(cells) + after
    before, after = T._appeals_frame()
    out[4] = before + T._appeals_row(cells) + after
    return out


def test_tables_on_real_synthetic_and_odd_reports():
    entries = _archive().entries
    odd = _odd_tables(entries)
    assert len(odd) >= 50
    unusual = 0
    for record in [e.record for e in entries] + odd:
        cells = T.Cells(record)
        plain = _plain_tables(record)
        for no, table in T.TABLE_FOR_SECTION.items():
            assert table(record, cells) == plain[no], (record.get("id"), no)
        unusual += "xx-null" in plain[3] or "xx-fail" in plain[2] + plain[3] + plain[4]
    assert unusual >= 10


def _plain_href(from_md: str, to: str, anchor: str = "") -> str:
    rel = posixpath.relpath("/" + Pages.url(to) if to.endswith(".md") else "/" + to, "/" + Pages.url(from_md))
    if to.endswith(".md"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def test_links_between_pages_and_files():
    pages = ["index.md", "reports/x.md", "reports/y.md", "reports/xy.md", "browse/regions.md", "browse/index.md",
             "a/b/c.md", "a/b/d.md", "a/bc.md", "a/b.md", "a/index.md", "reports/../x.md", "./y.md", "reports//z.md",
             "reports/.hidden.md"]
    files = ["data/raw/a.txt", "data/reports/b.json", "data/all.json.gz", "reports/x/c.txt", "reports/x", "reports/q",
             "a/b/c", "a/b/e.txt", ".well/x", "a//b.txt", ""]
    e = _archive().entries[0]
    for start in pages + [e.page]:
        for to in pages + files + [e.page, e.json_file, e.raw_file]:
            for anchor in ("", "y-2024"):
                assert Pages.href(start, to, anchor) == _plain_href(start, to, anchor), (start, to, anchor)


def test_report_csv_on_real_synthetic_and_odd_reports():
    records = [e.record for e in _archive().entries]
    odd = _odd_tables(_archive().entries)
    for record in odd[:10]:  # and a few whose lines are not whole numbers, or are numbers of another kind
        path = sorted(record.get("cells") or {})[5]
        record["cells"][path]["line"] = float(record["cells"][path]["line"])
        odd.append(copy.deepcopy(record))
        record["cells"][path]["line"] = True
    for record in records + odd:
        e = Entry(record, "x", [], [])
        layout = D._layout(record.get("template") or "2021")
        assert D.report_csv(e) == layout.header + D._row_by_row(layout, record), record.get("id")


def test_status_counts_are_shared_and_read_only():
    e = next(e for e in _archive().entries if e.findings)
    counts = e.status_counts()
    assert counts is e.status_counts() and sum(counts.values()) == sum(
        f.get("status") in counts for f in e.findings)
    with pytest.raises(TypeError):  # shared by every caller: none may change it
        counts["fail"] = 99
    assert e.status_counts()["fail"] == sum(f.get("status") == "fail" for f in e.findings)


def test_all_json_depends_on_the_content_alone():
    """all.json.gz is the same whether a report's JSON comes whole or in pieces (ISA-L's output
    depends on how its input is cut, so it is fed in blocks of a fixed size), over several blocks."""
    import gzip
    from types import SimpleNamespace

    from builder.render import downloads

    records = [json.dumps({"id": f"r{i}", "text": "报告正文" * (300 + i % 7), "n": i}, ensure_ascii=False).encode()
               for i in range(1200)]

    def archive(cut):
        return SimpleNamespace(shown=[SimpleNamespace(json_pieces=lambda r=r: cut(r)) for r in records])

    whole = downloads.all_json(archive(lambda r: (r,)))
    pieces = downloads.all_json(archive(lambda r: (memoryview(r)[:5], r[5:-1], r[-1:])))
    assert len(b"".join(records)) > 3 * downloads._BLOCK
    assert whole == pieces
    assert gzip.decompress(whole) == b"[\n" + b",\n".join(records) + b"\n]\n"
