"""The fast paths added for speed give exactly what the general code gives.

Each shortcut (ATX headings without markdown-it, first-character filtering of
row patterns, the ingest character table, relative links, work on forked
processes) is checked against the code it stands in for, on the seeds and on
synthetic reports.
"""
from __future__ import annotations

import io
import posixpath
import random
import shutil
from pathlib import Path

import pytest

from built_site import make_project
from builder import build, pipeline
from builder import ingest as I
from builder import template as T
from builder.ingest import read_bytes
from builder.parse import document
from builder.parse.rows import first_chars
from builder.render.html import _relpath
from builder.synth import generate

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def markdown_it_headings(text: str) -> dict[int, str]:
    tokens = document._md().parse(text)
    return {tok.map[0]: tokens[i + 1].content for i, tok in enumerate(tokens)
            if tok.type == "heading_open" and tok.map}


def reference_lines(text: str) -> list[tuple[int, str, str]]:
    """`document.split_lines` as it was before the quick path: markdown-it finds the headings."""
    raw = text.split("\n")
    heads = markdown_it_headings(text) if document._HEADING_MARK.search(text) else {}
    return [(i + 1, r, document.inline_plain(heads.get(i, r)).strip()) for i, r in enumerate(raw)]


def lines(text: str) -> list[tuple[int, str, str]]:
    raws, plains = document.split_lines(text)
    return [(i + 1, r, p) for i, (r, p) in enumerate(zip(raws, plains))]


QUICK = [
    "# 标题\n\n## 一、总体情况\n正文\n  ### 二、主动公开 ###\n#\n# #\n#　x\n#5 不是标题\n",
    "## 三、收到和处理 #不是结尾\n   #### 四 ####   \n",
    "####### 七个井号不是标题\n# 是标题\n",
]
ODD = [
    "```\n# 代码里的井号\n```\n# 标题\n",  # a fence
    "标题\n===\n# 标题\n",  # a setext underline
    "正文\n---\n# 标题\n",
    "- # 列表里的标题\n# 标题\n",  # a list marker before “#”
    "> # 引用里的标题\n# 标题\n",  # a quote
    "\t# 制表符缩进\n# 标题\n",  # a tab
    "1. # 编号列表\n# 标题\n",
]


@pytest.mark.parametrize("text", QUICK)
def test_atx_headings_match_markdown_it(text):
    assert document.atx_headings(text, text.split("\n")) == markdown_it_headings(text)
    assert lines(text) == reference_lines(text)


@pytest.mark.parametrize("text", ODD)
def test_atx_headings_defer_to_markdown_it_where_blocks_differ(text):
    assert document.atx_headings(text, text.split("\n")) is None
    assert lines(text) == reference_lines(text)


def test_atx_headings_on_real_and_synthetic_reports():
    texts = [read_bytes(p.read_bytes(), p.name).text for p in sorted(SEEDS.glob("*.txt"))]
    texts += [s.text for s in generate(60, 2, SEEDS)]
    quick = 0
    for text in texts:
        assert lines(text) == reference_lines(text)
        quick += bool(document.atx_headings(text, text.split("\n")))
    assert quick >= 10  # the Markdown-headed ones were read the quick way


def test_first_characters_of_row_patterns():
    """A label in which a row's pattern matches always holds one of its first characters."""
    labels = {T.compact(r.label) for t in T.TABLES for r in t.rows}
    labels |= {T.compact(ln) for s in generate(40, 3, SEEDS) for ln in s.text.split("\n") if ln.strip()}
    rows = [r for t in T.TABLES for r in t.rows]
    assert all(first_chars(r.pattern) for r in rows)  # every template row can be filtered
    hits = 0
    for r in rows:
        for label in labels:
            for m in __import__("re").finditer(r.pattern, label):
                assert label[m.start()] in first_chars(r.pattern), (r.key, label)
                hits += 1
    assert hits > 200
    assert first_chars(r".x") is None and first_chars(r"a?") is None
    assert first_chars(r"(?:ab)?c|d") == frozenset("acd")


def test_ingest_character_table():
    rng = random.Random(5)
    alphabet = "".join(map(chr, I._TABLE)) + "ab中文１２\n\r　."
    for _ in range(500):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert I._TABLE_CHARS.sub(lambda m: I._TABLE_STR[m.group()], s) == s.translate(I._TABLE)
        assert sum(map(len, I._LIKELY_RUN.findall(s))) == len(I._LIKELY.findall(s))


def test_relative_links():
    paths = ["/", "/reports/x/", "/browse/regions/", "/data/raw/a.txt", "/data/reports/b.json", "/a/b/c/",
             "/reports/../x/", "/./y/"]
    for a in paths:
        for b in paths:
            assert _relpath(a, b) == posixpath.relpath(a, b), (a, b)


def test_forked_map_keeps_order_and_sees_this_process():
    seen = {"offset": 1000}
    items = list(range(300))
    assert list(pipeline.forked_map(lambda x: x + seen["offset"], items, min_items=10)) == [x + 1000 for x in items]
    assert list(pipeline.forked_map(lambda x: -x, items[:3])) == [0, -1, -2]  # few items: here


def test_parallel_and_serial_builds_write_the_same_files(tmp_path, monkeypatch):
    """Parsing, validation and page rendering on worker processes (each making the pages of the
    reports it parsed) give byte-identical docs/."""
    seeds = {p.name: p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))}
    seeds.update({s.name: s.data for s in generate(20, 6, SEEDS)})
    docs = {}
    for mode in ("serial", "forked"):
        root = make_project(tmp_path / mode, seeds)
        # forked: for any number of items; serial: never
        monkeypatch.setattr(pipeline, "will_fork", lambda n, jobs=None, min_items=0: mode == "forked" and n > 1)
        result = build.run(root, make_site=False, stream=io.StringIO(), quiet=True)
        assert not result.render_errors
        docs[mode] = {p.relative_to(root / "docs").as_posix(): p.read_bytes()
                      for p in sorted((root / "docs").rglob("*")) if p.is_file()}
        shutil.rmtree(root / ".cache", ignore_errors=True)
    assert len(docs["serial"]) > 100
    assert docs["serial"] == docs["forked"]


def _texts() -> dict[str, bytes]:
    texts = {p.name: p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))}
    texts.update({s.name: s.data for s in generate(30, 8, SEEDS)})
    return texts


def test_cells_of_a_line_match_classify():
    """The per-line memo gives the cells the general code cuts and classifies."""
    from builder.parse import cells as C

    lines = {line for data in _texts().values() for line in read_bytes(data, "x").text.split("\n")}
    assert len(lines) > 1000
    for line in lines:
        ruled, parts = C._line_cells(line)
        if not line.strip() or C.PAGE_NUMBER.match(line):
            assert parts == ()
            continue
        expected = [c for part in C.split_line(line) for c in C.classify(part, 0)]
        assert parts == tuple((c.kind, c.raw, c.value) for c in expected), line
        assert ruled == (C.BOX_CHAR.search(line) is not None)


def test_words_of_a_line_from_its_shape_are_its_own():
    """A line's compacted words (each run of digits one “0”) are worked out once per shape:
    the line with its digit runs as “0”. They match the line's own, on every line of the seeds
    and synthetic reports and on lines whose digits meet across spaces and marks."""
    from builder.parse import cells as C

    lines = {line for data in _texts().values() for line in read_bytes(data, "x").text.split("\n")}
    lines |= {"1 2\t3", "1 234 567", "（一）予以公开 1.5\t12,345", "第 3 页", "- 12 -", "2021年 5 月"}
    for line in lines:
        assert C._words(C._DIGITS.sub("0", line)) == C._DIGITS.sub("0", T.compact(line)), line


def test_memos_do_not_depend_on_what_was_parsed_before():
    """Labels, lines and row assignments are memoised across reports: parsing the same
    files in the opposite order, from empty memos, gives the same records."""
    from builder.parse import cells as C
    from builder.parse import parse
    from builder.parse import rows as R
    from builder.parse import tables as TB

    sources = [read_bytes(data, name) for name, data in _texts().items()]

    def parse_all(order):
        for module in (C, R, TB):  # every memo of the parser, whatever layer it sits in
            for memo in vars(module).values():
                if hasattr(memo, "cache_clear"):
                    memo.cache_clear()
        TB._PLANS.clear()  # table plans, by layout
        TB._ROW_CELLS.clear()  # source cells of rows, shared by the records
        return {s.path: parse(s) for s in order}

    forward = parse_all(sources)
    assert C._line_cells.cache_info().hits > 0 and R._assign.cache_info().misses > 0 and TB._PLANS
    assert parse_all(list(reversed(sources))) == forward


def test_shared_source_cells_stay_as_read(tmp_path, monkeypatch):
    """Records share the source cells of rows printed alike (`tables._ROW_CELLS`): after a whole
    build here (parse, rules, pages, downloads), every shared cell still holds what was read, and
    the records give the same JSON as records parsed each from empty memos."""
    from builder import recordjson
    from builder.parse import parse
    from builder.parse import tables as TB

    texts = _texts()
    monkeypatch.setattr(pipeline, "will_fork", lambda n, jobs=None, min_items=0: False)
    TB._ROW_CELLS.clear()
    root = make_project(tmp_path / "p", texts)
    result = build.run(root, make_site=False, stream=io.StringIO(), quiet=True)
    assert not result.render_errors and len(TB._ROW_CELLS) > 100
    assert any(len(cells) > 1 for cells in TB._ROW_CELLS.values())
    for (line, _start, row_texts), cells in TB._ROW_CELLS.items():
        assert list(cells) == [{"text": t, "line": line} for t in row_texts]
    for record in (e.record for e in result.archive.entries):  # within a record, no cell is shared
        cells = list((record.get("cells") or {}).values())
        assert len({id(c) for c in cells}) == len(cells), record["id"]

    sources = [read_bytes(data, name) for name, data in texts.items()]
    warm = [recordjson.dumps(parse(s)) for s in sources]
    cold = []
    for s in sources:
        TB._ROW_CELLS.clear()
        cold.append(recordjson.dumps(parse(s)))
    assert warm == cold


def test_findings_worked_out_in_the_parse_workers_are_the_validate_stages(tmp_path):
    """Per-report rules run where each record was parsed; the validate stage then gives
    every record the findings it would have worked out itself."""
    from builder import validate as V

    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, data in _texts().items():
        (folder / name).write_bytes(data)
    items = [(p, p.name) for p in sorted(folder.iterdir())]
    outcomes = pipeline.process_many(items, jobs=2, check=V.validate)
    records = [o.record for o in outcomes if o.record is not None]
    assert len(records) == len(items) and all(o.checked is not None for o in outcomes)
    assert all(o.checked == V.validate(o.record) for o in outcomes)
    assert any(f["status"] == "fail" for o in outcomes for f in o.checked)  # synthetic reports carry errors

    reference = [dict(r) for r in records]
    V.apply(reference)
    V.apply(records, [o.checked for o in outcomes])
    assert [r["findings"] for r in records] == [r["findings"] for r in reference]


def test_pinyin_word_by_word_is_pypinyins():
    """slug.pinyin transcribes each word once; the result is lazy_pinyin's for the whole text,
    on every place name of the gazetteer, the agencies of the seeds and names built from them."""
    from pypinyin import lazy_pinyin

    from builder import region, slug
    from builder.pipeline import process

    rows, _ = region._divisions()
    names = sorted({r[3] for r in rows})
    agencies = sorted({process(p).record["agency"] for p in SEEDS.glob("*.txt")} - {None})
    texts = names + agencies + [a + b for a, b in zip(names, reversed(names))] + [
        n + "人民政府办公室" for n in names[:500]] + ["重庆市长寿区", "银行业协会2023abc", "朝阳区朝阳街道", ""]
    assert len(texts) > 5000 and agencies
    for text in texts:
        assert slug.pinyin(text) == "".join(lazy_pinyin(text, errors=lambda s: list(s))).lower(), text
