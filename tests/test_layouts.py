"""The seeds' tables re-laid in other layouts and encodings parse to the same figures.

`layouts.py` prints the tables from the template declaration, in the layouts
real reports come in, inside the seed's own prose. Besides the seed's own
figures (mostly zeros, which would hide a shifted value), every variant is
also filled with distinct non-zero figures that satisfy the template's
arithmetic, so a value read into a neighbouring cell is caught.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

import layouts as L
from builder import template as T
from builder.ingest import read, read_bytes
from builder.parse import parse

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
SEED_IDS = [p.name[:3] for p in SEEDS]


@lru_cache(maxsize=None)
def original(i: int) -> tuple[str, dict]:
    src = read(SEEDS[i])
    return src.text, parse(src)


def figures(i: int, template: str = "2021") -> dict:
    return L.figures(template, base=10 * i + 1)


def parse_text(text: str, name: str = "variant.txt") -> dict:
    return parse(read_bytes(text.encode("utf-8"), name))


def flat(tables: dict) -> dict:
    return {f"{t}.{r}.{f}": v for t, rows in tables.items() for r, fs in rows.items() for f, v in fs.items()}


def assert_same_report(got: dict, rec: dict) -> None:
    """What a re-layout must not change: metadata and the six sections."""
    for key in ("agency", "year", "published", "region", "contact"):
        assert got[key] == rec[key], key
    assert [s["no"] for s in got["sections"]] == [1, 2, 3, 4, 5, 6]
    for a, b in zip(got["sections"], rec["sections"]):
        assert a["text"] == b["text"], a["no"]


# ------------------------------------------------------------------ the generator itself
def test_figures_are_distinct_and_consistent():
    for template in ("2021", "2019"):
        f = L.figures(template, base=1)
        req = f["requests"]
        cols = [c.key for c in T.APPLICANT_COLUMNS]
        for key, row in req.items():
            assert len({row[c] for c in cols}) == len(cols), key  # a shift changes the value
            assert row["total"] == sum(row[c] for c in cols)
            assert all(v > 0 for v in row.values())
        for c in cols:
            assert req["results_total"][c] == sum(req[k][c] for k in T.RESULT_KEYS[template])
            assert req["received"][c] + req["carried_over"][c] == \
                req["results_total"][c] + req["carried_forward"][c]
        for g in f["appeals"].values():
            assert g["total"] == g["upheld"] + g["corrected"] + g["other"] + g["pending"]
    assert L.figures("2021", 1) != L.figures("2021", 11)


@pytest.mark.parametrize("layout", L.LAYOUTS)
def test_variant_really_is_that_layout(layout):
    text, rec = original(0)
    variant = L.relay(text, rec, figures(0), layout)
    assert variant != text
    marks = {"tab": "规章\t2\t3\t31", "aligned": "-3-", "centred": "-3-", "box": "┌", "pipe": "|---|",
             "percell": "\t\u3000\u3000"}
    assert marks[layout] in variant
    if layout == "centred":
        # A merged group label sits in the middle of its group, beside its fifth row.
        assert any("（三）不予公开" in ln and "5.属于三类内部事务信息" in ln for ln in variant.split("\n"))
    if layout == "aligned":
        assert "\f" in variant and "\t" not in variant.split("二、主动公开")[1].split("五、")[0]
        # A long label wraps, its figures on the first line.
        assert any(ln.strip().startswith("，不计其他情形）") for ln in variant.split("\n"))
    # The seed's own table rows are gone: only the re-laid ones are left.
    assert "规章\t0\t0\t0" not in variant


# ------------------------------------------------------------------ same figures, other layouts
@pytest.mark.parametrize("layout", L.LAYOUTS)
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_seed_figures_in_layout(i, layout):
    text, rec = original(i)
    got = parse_text(L.relay(text, rec, rec["tables"], layout))
    assert got["tables"] == rec["tables"]
    assert got["template"] == "2021"
    assert_same_report(got, rec)
    assert not [n for n in got["notes"] if n.startswith("表")]


@pytest.mark.parametrize("layout", L.LAYOUTS)
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_distinct_figures_in_layout(i, layout):
    text, rec = original(i)
    figs = figures(i)
    variant = L.relay(text, rec, figs, layout)
    got = parse_text(variant)
    assert flat(got["tables"]) == flat(figs)
    assert_same_report(got, rec)
    assert not [n for n in got["notes"] if n.startswith("表")]
    # Every figure traces to the line that prints it.
    lines = variant.split("\n")
    for path, cell in got["cells"].items():
        assert cell["text"] == L._fmt(flat(figs)[path]), path
        assert cell["text"] in lines[cell["line"] - 1], path


ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-16-le-bom": "utf-16", "utf-16-be-bom": "utf-16",
             "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be", "gb18030": "gb18030",
             "utf-8-crlf": "utf-8", "gb18030-crlf": "gb18030"}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_encodings(i, encoding):
    text, rec = original(i)
    figs = figures(i)
    data = L.encodings(L.relay(text, rec, figs, "aligned"))[encoding]
    src = read_bytes(data, f"seeds/{SEEDS[i].name}")
    got = parse(src)
    assert src.encoding == ENCODINGS[encoding]
    assert "\r" not in src.text and "\ufeff" not in src.text
    assert flat(got["tables"]) == flat(figs)
    assert_same_report(got, rec)
    assert got["title"] == rec["title"] and got["period"] == rec["period"]


def test_seed_bytes_reencoded_unchanged():
    """The seeds themselves, re-encoded, give the identical record apart from the source."""
    for i, path in enumerate(SEEDS):
        text, rec = original(i)
        for enc, data in L.encodings(text).items():
            got = parse(read_bytes(data, f"seeds/{path.name}"))
            for key in ("tables", "cells", "sections", "agency", "title", "year", "published",
                        "period", "contact", "region", "notes", "intro", "id"):
                assert got[key] == rec[key], (path.name, enc, key)


@pytest.mark.parametrize("layout", L.LAYOUTS)
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_fullwidth_digits_and_ideographic_spaces(i, layout):
    text, rec = original(i)
    figs = figures(i)
    variant = L.fullwidth(L.relay(text, rec, figs, layout))
    assert "１" in variant and "\u3000" in variant
    got = parse_text(variant)
    assert flat(got["tables"]) == flat(figs)
    for key in ("agency", "year", "published", "region", "contact", "period"):
        if key == "period" and rec["period"]:
            assert {k: got["period"][k] for k in ("start", "end")} == \
                {k: rec["period"][k] for k in ("start", "end")}
        else:
            assert got[key] == rec[key], key


@pytest.mark.parametrize("layout", L.LAYOUTS)
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_noisy_labels(i, layout):
    """“(四) 无法 提供”, “结 果 纠 正”, “社会组织”, “其它”, and “行政法复议” in a title."""
    text, rec = original(i)
    figs = figures(i)
    variant = L.relay(text, rec, figs, layout, noisy=True)
    for noise in ("无法 提供", "社会组织", "3. 其它", "行政法复议"):
        assert noise in variant.replace("\n", "")  # one cell per line wraps “社会\n组织”
    got = parse_text(variant)
    assert flat(got["tables"]) == flat(figs)
    titles = {s["no"]: s["title"] for s in got["sections"]}
    assert titles[4] == "政府信息公开行政法复议、行政诉讼情况"
    assert sorted(titles) == [1, 2, 3, 4, 5, 6]
    assert not [n for n in got["notes"] if n.startswith("表") or "标题" in n]


# ------------------------------------------------------------------ the 2019 trial template
@pytest.mark.parametrize("layout", L.LAYOUTS)
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_2019_template(i, layout):
    text, rec = original(i)
    figs = figures(i, "2019")
    variant = L.relay(text, rec, figs, layout, template="2019")
    assert "本年新制" in variant and "政府集中采购" in variant  # the trial template's own words
    got = parse_text(variant)
    assert got["template"] == "2019"
    assert set(got["tables"]) == {"active_2019", "requests", "appeals"}
    assert "other" in got["tables"]["requests"] and "other_no_correction" not in got["tables"]["requests"]
    assert flat(got["tables"]) == flat(figs)
    assert got["tables"]["active_2019"]["licensing"]["change"] < 0  # 本年增/减 may be negative
    assert not [n for n in got["notes"] if n.startswith("表") or "格式" in n]


def test_2019_noisy_fullwidth():
    text, rec = original(3)
    figs = figures(3, "2019")
    got = parse_text(L.fullwidth(L.relay(text, rec, figs, "aligned", template="2019", noisy=True)))
    assert got["template"] == "2019"
    assert flat(got["tables"]) == flat(figs)


# ------------------------------------------------------------------ blanked and garbled cells
# Interior cells: their place in the row is known in every layout that keeps a mark there.
MARKED = {
    "requests.withheld_internal.research": "/",
    "requests.declined_repeat.legal_service": "—",
    "requests.carried_over.nonprofit": "O",
    "requests.unavailable_unclear.other_org": "l",
    "requests.granted.natural_person": "?",
    "requests.results_total.total": "/",
    "appeals.suit_direct.other": "?",
    "appeals.review.upheld": "—",
    "active.normative_documents.repealed": "-",
    "active.penalty.decisions": "/",
    "requests.declined_excessive.commercial": "*",
    "requests.withheld_third_party.total": "1O",
}
# Cells left empty: between two figures of a tab row, anywhere in a ruled (│, |) row.
EMPTY_INTERIOR = {
    "requests.granted.commercial": "",
    "requests.withheld_case_file.legal_service": "",
    "active.regulations.repealed": "",
    "appeals.suit_after_review.corrected": "",
}
EMPTY_EDGE = {
    "requests.partly_granted.natural_person": "",
    "requests.carried_forward.total": "",
    "appeals.review.upheld": "",
    "active.coercion.decisions": "",
}


def check_nulls(got: dict, figs: dict, blanked: dict, exact_rows: bool) -> None:
    """Blanked cells are null; every other cell keeps its figure, or — where the
    position is unknowable — its whole row is null and a note names the row."""
    want, have = flat(figs), flat(got["tables"])
    assert set(have) == set(want)
    for path in blanked:
        assert have[path] is None, path
    rows_nulled = set()
    for path, v in have.items():
        if path in blanked:
            continue
        if v != want[path]:
            assert v is None, f"{path}: {v} is not the printed {want[path]}"  # never a shifted figure
            rows_nulled.add(path.rsplit(".", 1)[0])
    if exact_rows:
        assert not rows_nulled, rows_nulled
    for row in rows_nulled:
        table, key = row.split(".")
        assert all(have[p] is None for p in have if p.startswith(row + ".")), row
        if table == "appeals":
            assert any(n.startswith("表四") for n in got["notes"])
        else:
            label = {r.key: r.label for r in T.TABLE[table].rows}[key]
            assert any(label in n and "留空" in n for n in got["notes"]), (row, got["notes"])


@pytest.mark.parametrize("layout", L.LAYOUTS)
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_marked_and_garbled_cells_are_null_in_place(i, layout):
    text, rec = original(i)
    figs = figures(i)
    got = parse_text(L.relay(text, rec, figs, layout, overrides=MARKED))
    check_nulls(got, figs, MARKED, exact_rows=True)
    for path, mark in MARKED.items():
        assert got["cells"][path]["text"] == mark  # the raw text is kept


@pytest.mark.parametrize("layout", ["tab", "box", "pipe"])
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_empty_interior_cells_are_null_in_place(i, layout):
    text, rec = original(i)
    figs = figures(i)
    got = parse_text(L.relay(text, rec, figs, layout, overrides=EMPTY_INTERIOR))
    check_nulls(got, figs, EMPTY_INTERIOR, exact_rows=True)


@pytest.mark.parametrize("layout", ["box", "pipe"])
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_empty_edge_cells_in_ruled_tables_are_null_in_place(i, layout):
    """A ruled row draws every cell, so an empty first or last cell is still placed."""
    text, rec = original(i)
    figs = figures(i)
    got = parse_text(L.relay(text, rec, figs, layout, overrides=EMPTY_EDGE))
    check_nulls(got, figs, EMPTY_EDGE, exact_rows=True)


@pytest.mark.parametrize("layout", ["aligned", "percell", "tab"])
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_lost_cell_nulls_its_row_with_a_note(i, layout):
    """Space-aligned and one-cell-per-line text keep no trace of an empty cell, nor
    does a tab row at its ends: the row reads one figure short. Its figures
    cannot be placed, so the whole row is null, with a note — never shifted."""
    text, rec = original(i)
    figs = figures(i)
    blanked = dict(EMPTY_EDGE) if layout == "tab" else {**EMPTY_INTERIOR, **EMPTY_EDGE}
    got = parse_text(L.relay(text, rec, figs, layout, overrides=blanked))
    check_nulls(got, figs, blanked, exact_rows=False)
    # Only the rows that lost a cell are affected (table 四 is one row of 15).
    lost = {p.rsplit(".", 1)[0] if not p.startswith("appeals") else "appeals" for p in blanked}
    for path, v in flat(got["tables"]).items():
        row = "appeals" if path.startswith("appeals") else path.rsplit(".", 1)[0]
        if row not in lost:
            assert v == flat(figs)[path], path
    if layout != "tab":
        for path in ("requests.granted.total", "active.regulations.issued",
                     "requests.partly_granted.commercial"):
            assert flat(got["tables"])[path] is None, path
        assert any("“（一）予以公开”行读到6个值" in n for n in got["notes"])
    # Rows that lost nothing keep every figure.
    untouched = ("requests.received", "requests.withheld_state_secret", "requests.other_misc",
                 "active.licensing")
    for row in untouched:
        for path, v in flat(figs).items():
            if path.startswith(row + "."):
                assert flat(got["tables"])[path] == v, path


# ------------------------------------------------------------------ labels wrapped at any width
WRAPPED = ("aligned", "centred", "box")


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("noisy", [False, True], ids=["clean", "noisy"])
@pytest.mark.parametrize("layout", WRAPPED)
@pytest.mark.parametrize("width", [6, 10, 14, 16, 20, 24, 30, 40])
@pytest.mark.parametrize("i", range(len(SEEDS)), ids=SEED_IDS)
def test_wrapped_labels_never_shift_figures(i, width, layout, noisy, template):
    """However narrow the label column, a figure is read into its own row or not at all.

    From 8 characters (16 columns) on every row is read; narrower columns cut
    the template's words into pieces too small to name a row (“1.本机” /
    “关不掌”), and those rows stay null with a note.
    """
    text, rec = original(i)
    figs = figures(i, template)
    got = parse_text(L.relay(text, rec, figs, layout, template=template, noisy=noisy, label_width=width))
    want, have = flat(figs), flat(got["tables"])
    shifted = {p: (have[p], want[p]) for p in want if have.get(p) is not None and have[p] != want[p]}
    assert not shifted
    nulled = {p.rsplit(".", 1)[0] for p in want if have.get(p) is None}
    for row in nulled:
        table, key = row.split(".")
        label = {r.key: r.label for r in T.TABLE[table].rows}[key]
        assert any(label in n for n in got["notes"]), (row, got["notes"])
    if width >= 16:
        assert not nulled, (nulled, got["notes"])


@pytest.mark.parametrize("layout", ["tab", "aligned", "pipe", "percell"])
def test_sub_tables_of_table_two_in_another_order(layout):
    """Table 二's sub-tables are found by their words, whatever order they are printed in."""
    text, rec = original(2)
    figs = figures(2)
    lines = L.relay(text, rec, figs, layout).split("\n")
    start = next(i for i, ln in enumerate(lines) if "第二十条第（五）项" in ln)
    stop = next(i for i, ln in enumerate(lines) if "第二十条第（六）项" in ln)
    end = next(i for i, ln in enumerate(lines) if "第二十条第（八）项" in ln)
    # (五) 行政许可 moved after (六) 行政处罚、行政强制.
    lines = lines[:start] + lines[stop:end] + lines[start:stop] + lines[end:]
    got = parse_text("\n".join(lines))
    assert got["tables"]["active"] == figs["active"]
    assert not [n for n in got["notes"] if n.startswith("表")]
