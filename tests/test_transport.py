"""Records sent home light (issue 6): the parse workers keep each whole record (its page is
made there) and send it home without the source cells of its figures, with its JSON beside it;
what the main process makes from them must read exactly as from the whole record."""
from __future__ import annotations

import copy
import json
import random
import shutil
from pathlib import Path

from builder import recordjson
from builder import validate as V
from builder.pipeline import lighten, process, process_many
from builder.render import downloads
from builder.render.model import Entry

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _standard(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _records() -> list[dict]:
    return [process(p, f"seeds/{p.name}").record for p in sorted(SEEDS.glob("*.txt"))]


def test_record_json_is_what_the_standard_encoder_writes():
    for record in _records():
        record["findings"] = V.validate(record)
        assert recordjson.dumps(record) == _standard(record)
        assert recordjson.loads(recordjson.dumps(record)) == record


def test_integers_beyond_64_bits_are_written_and_read_back_exactly():
    value = {"big": 123456789012345678901234567890, "small": -(2 ** 63) - 1, "text": "电话 12345678901234567890"}
    data = recordjson.dumps(value)
    assert data == _standard(value)
    assert recordjson.loads(data) == value
    assert type(recordjson.loads(data)["big"]) is int


def test_a_light_record_keeps_only_the_cells_of_blanks():
    for record in _records():
        full = copy.deepcopy(record)
        light = lighten(record)
        assert record == full  # the whole record is not changed: it stays where its page is made
        kept = light["cells"]
        for path, cell in kept.items():
            table, row, key = path.split(".")
            assert full["tables"].get(table, {}).get(row, {}).get(key) is None, path
            assert cell == full["cells"][path]
        blanks = [p for p in full["cells"] if (lambda t, r, k: full["tables"].get(t, {}).get(r, {}).get(k))(*p.split(".")) is None]
        assert sorted(kept) == sorted(blanks)
        assert {k: v for k, v in light.items() if k != "cells"} == {k: v for k, v in full.items() if k != "cells"}


def _plain_blanks(record: dict) -> dict:
    """`lighten`'s cells as first written: each cell whose figure is not read, in order."""
    tables = record["tables"]
    out = {}
    for path, cell in record["cells"].items():
        table, _, rest = path.partition(".")
        row, _, key = rest.partition(".")
        values = tables.get(table, {}).get(row) if isinstance(tables.get(table), dict) else None
        if not isinstance(values, dict) or values.get(key) is None:
            out[path] = cell
    return out


def test_lighten_keeps_the_cells_of_blanks_on_odd_records_too():
    # Rows gone, rows that are not dicts, figures blanked, keys the template does not have,
    # a cell of no row at all: the fast path must keep exactly what the plain reading keeps.
    rnd = random.Random(7)
    for record in _records() * 4:
        record = copy.deepcopy(record)
        for rows in record["tables"].values():
            for row, values in list(rows.items()):
                x = rnd.random()
                if x < 0.05:
                    del rows[row]
                elif x < 0.1:
                    rows[row] = None
                elif x < 0.3 and values:
                    values[rnd.choice(list(values))] = None
                elif x < 0.35 and values:
                    values["odd"] = 1
                elif x < 0.4 and values:
                    del values[rnd.choice(list(values))]
        record["cells"]["nowhere.row.key"] = {"text": "1", "line": 1}
        want = _plain_blanks(record)
        got = lighten(record)["cells"]
        assert list(got.items()) == list(want.items())
        assert "nowhere.row.key" in got and len(got) > 1


def test_the_json_sent_with_a_light_record_is_the_whole_records():
    # Seed 003 has blank cells (“/”), which the across-year rules quote from the light record.
    for p in sorted(SEEDS.glob("*.txt")):
        whole = process(p, f"seeds/{p.name}").record
        [o] = process_many([(p, f"seeds/{p.name}")], jobs=1, check=V.validate, light=True)
        assert o.body == recordjson.dumps(whole)
        assert o.record == lighten(whole) and len(o.record["cells"]) < len(whole["cells"])
        whole["findings"] = V.validate(whole)
        o.record["findings"] = o.checked
        assert o.checked == whole["findings"]
        a = Entry(whole, "x", [p], [o.path])
        b = Entry(o.record, "x", [p], [o.path], body=o.body)
        assert downloads.report_json(b) == downloads.report_json(a) == _standard(whole) + b"\n"


def test_cache_lines_are_the_records_json(tmp_path):
    folder, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(SEEDS, folder)
    items = [(p, f"seeds/{p.name}") for p in sorted(folder.glob("*.txt"))]
    first = process_many(items, cache_dir=cache, jobs=1, light=True)
    [file] = cache.glob("records-*.jsonl")
    lines = file.read_bytes().splitlines()
    assert [line.split(b" ", 1)[1] for line in lines] == [o.body for o in first]
    # From the cache, under the same names: the same JSON, the same light records.
    second = process_many(items, cache_dir=cache, jobs=1, light=True)
    assert all(o.cached for o in second)
    assert [(o.record, o.body) for o in second] == [(o.record, o.body) for o in first]


def test_across_year_rules_quote_blank_cells_from_light_records(tmp_path):
    # The same township a year later, with “/” printed where a figure carried over should be:
    # the carry-over rule compares it with the year before, from the light records, and quotes it.
    text = (SEEDS / "001_672a93e96f8a197d.txt").read_text("utf-8")
    row = "二、上年结转政府信息公开申请数量\t\t0\t"
    assert row in text
    (tmp_path / "a.txt").write_text(text, "utf-8")
    (tmp_path / "b.txt").write_text(text.replace("2023", "2024").replace(row, "二、上年结转政府信息公开申请数量\t\t/\t"), "utf-8")
    items = [(tmp_path / n, f"seeds/{n}") for n in ("a.txt", "b.txt")]

    whole = [process(p, shown).record for p, shown in items]
    V.apply(whole)
    outcomes = process_many(items, jobs=1, check=V.validate, light=True)
    light = [o.record for o in outcomes]
    assert "requests.carried_over.natural_person" in light[1]["cells"]  # the blank's cell stays
    V.apply(light, [o.checked for o in outcomes])

    assert [r["findings"] for r in light] == [r["findings"] for r in whole]
    quoted = [f["message"] for f in light[1]["findings"] if f["rule"].startswith("across.") and "原文“/”" in f["message"]]
    assert quoted, [f["message"] for f in light[1]["findings"] if f["rule"].startswith("across.")]
