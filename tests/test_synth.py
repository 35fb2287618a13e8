"""Synthetic reports (`python -m builder synth`) read back as what they were written to say.

A sample of 30 is parsed and validated: every figure, the agency, its county,
the year and the signature date come back exactly; the errors planted on
purpose are flagged by the rule named for them, and reports without one have
no error or warning at all. The same seed gives the same bytes.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from builder import template as T
from builder import validate as V
from builder.cli import main
from builder.ingest import read_bytes
from builder.parse import parse
from builder.synth import generate, write

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
N = 30


@lru_cache(maxsize=None)
def sample(count: int = N, seed: int = 11):
    made = list(generate(count, seed, SEEDS))
    records = [parse(read_bytes(s.data, s.name)) for s in made]
    V.apply(records)
    return made, records


def problems(record: dict) -> set[tuple[str, str]]:
    return {(f["rule"], f["status"]) for f in record["findings"] if f["status"] in ("fail", "warn")}


def test_parses_back_to_the_figures_written():
    made, records = sample()
    assert len(made) == N
    for s, r in zip(made, records):
        assert r["tables"] == s.tables, s.name
        assert r["template"] == "2021"
        assert r["agency"] == s.agency.name
        assert r["region"] == s.region
        assert r["year"] == s.year
        assert r["published"] == s.published
        assert r["notes"] == [], (s.name, r["notes"])
        # Every figure traces to a line of the text that prints it.
        lines = s.text.split("\n")
        for path, cell in r["cells"].items():
            assert cell["text"] in lines[cell["line"] - 1], (s.name, path)


def test_sample_covers_layouts_years_and_agency_kinds():
    made, _ = sample()
    assert len({s.layout for s in made}) >= 4
    assert {s.year for s in made} <= set(range(2021, 2026)) and len({s.year for s in made}) >= 3
    assert any(s.agency.department for s in made) and any(s.agency.township for s in made)
    counties = {s.agency.region.code for s in made}
    assert len(counties) >= 5
    # Several years of one agency, so the rules across years have pairs to compare.
    by_agency: dict[str, list[int]] = {}
    for s in made:
        by_agency.setdefault(s.agency.name, []).append(s.year)
    assert any(len(ys) >= 2 for ys in by_agency.values())


def test_carried_over_is_last_years_carried_forward():
    made, _ = sample()
    last: dict[tuple[str, int], dict] = {(s.agency.name, s.year): s.tables for s in made}
    pairs = 0
    for s in made:
        prev = last.get((s.agency.name, s.year - 1))
        if prev is None or ("across.carry_over", "fail") in s.errors:
            continue
        pairs += 1
        for c in T.REQUEST_COLUMNS:
            assert s.tables["requests"]["carried_over"][c.key] == prev["requests"]["carried_forward"][c.key]
    assert pairs >= 5


def test_planted_errors_are_flagged_and_clean_reports_are_clean():
    made, records = sample(300, 4)
    planted = [(s, r) for s, r in zip(made, records) if s.errors]
    kinds = {rule for s, _ in planted for rule, _ in s.errors}
    assert {"requests.balance", "requests.row_total", "prose.requests", "across.carry_over",
            "deadline.art49"} <= kinds
    assert 0.02 <= len(planted) / len(made) <= 0.12  # a few per cent
    for s, r in planted:
        assert set(s.errors) <= problems(r), (s.name, s.errors, problems(r))
    for s, r in zip(made, records):
        if not s.errors:
            assert problems(r) == set(), (s.name, problems(r))


def test_prose_contradiction_quotes_the_sentence():
    made, records = sample(300, 4)
    s, r = next((s, r) for s, r in zip(made, records) if ("prose.requests", "warn") in s.errors)
    f = next(f for f in r["findings"] if f["rule"] == "prose.requests" and f["status"] == "warn")
    assert f["quote"] in s.text
    assert str(s.tables["requests"]["received"]["total"]) in f["message"]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = [(s.name, s.data) for s in generate(12, 3, SEEDS)]
    b = [(s.name, s.data) for s in generate(12, 3, SEEDS)]
    c = [(s.name, s.data) for s in generate(12, 4, SEEDS)]
    assert a == b
    assert a != c
    # The command writes exactly those bytes.
    assert main(["synth", "--count", "12", "--out", str(tmp_path), "--seed", "3", "--seeds", str(SEEDS)]) == 0
    assert sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir()) == a


def test_write_replaces_earlier_synthetic_files_only(tmp_path):
    (tmp_path / "mine.txt").write_text("不是合成报告", encoding="utf-8")
    write(5, tmp_path, seed=1, seeds=SEEDS)
    write(3, tmp_path, seed=1, seeds=SEEDS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt", "synth-00001.txt", "synth-00002.txt",
                                                          "synth-00003.txt"]
