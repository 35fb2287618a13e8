"""The parse cache: keyed by a file's bytes and the builder's code (issue 6).

After adding one report to a set already built, only that one is parsed again,
and a cached record reads exactly as a fresh parse.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from builder.pipeline import process, process_many

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _items(folder: Path) -> list[tuple[Path, str]]:
    return [(p, f"seeds/{p.name}") for p in sorted(folder.glob("*.txt"))]


def test_adding_one_report_parses_only_that_one(tmp_path):
    folder, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(SEEDS, folder)
    first = process_many(_items(folder), cache_dir=cache, jobs=1)
    assert [o.cached for o in first] == [False] * 5

    # A new report: seed 001 one year later (different bytes, so a new cache key).
    text = (SEEDS / "001_672a93e96f8a197d.txt").read_text("utf-8").replace("2023", "2024")
    (folder / "005_new.txt").write_text(text, "utf-8")
    second = process_many(_items(folder), cache_dir=cache, jobs=1)
    assert sum(not o.cached for o in second) == 1
    assert [o.path for o in second if not o.cached] == ["seeds/005_new.txt"]
    assert second[-1].record["year"] == 2024

    # Cached records are the records a fresh parse gives.
    for o in second[:5]:
        fresh = process(folder / Path(o.path).name, o.path)
        assert o.record == fresh.record


def test_same_bytes_under_another_name_keep_their_own_path(tmp_path):
    cache = tmp_path / "cache"
    seed = SEEDS / "002_3d5a5a7e12036567.txt"
    copy = tmp_path / "副本 (1).txt"
    copy.write_bytes(seed.read_bytes())
    a = process(seed, "seeds/a.txt", cache=cache)
    b = process(copy, "seeds/副本 (1).txt", cache=cache)
    assert not a.cached and b.cached
    assert b.record["source"]["path"] == "seeds/副本 (1).txt"
    assert a.record["source"]["path"] == "seeds/a.txt"
    assert b.record["tables"] == a.record["tables"]


def test_the_cache_is_one_file_holding_this_builds_reports(tmp_path):
    """One file, whatever the number of reports; a report taken out of seeds/ leaves it; a
    damaged file is rebuilt, not trusted."""
    folder, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(SEEDS, folder)
    first = process_many(_items(folder), cache_dir=cache, jobs=1)
    files = list(cache.iterdir())
    assert len(files) == 1 and len(files[0].read_text("utf-8").splitlines()) == 5

    sorted(folder.glob("*.txt"))[0].unlink()
    second = process_many(_items(folder), cache_dir=cache, jobs=1)
    assert all(o.cached for o in second) and len(files[0].read_text("utf-8").splitlines()) == 4

    lines = files[0].read_text("utf-8").splitlines()
    damaged = [lines[0][:200], lines[1].replace('"tables"', '"tab'), *lines[2:]]  # cut short, then broken JSON
    files[0].write_text("\n".join(damaged) + "\n", "utf-8")
    third = process_many(_items(folder), cache_dir=cache, jobs=1)
    assert [o.cached for o in third] == [False, False, True, True]
    assert [o.record for o in third] == [o.record for o in second] == [o.record for o in first[1:]]


def test_a_cache_that_cannot_be_written_is_said_and_the_build_goes_on(tmp_path):
    """The cache is written beside the build; when it cannot be (here a file stands where its
    folder belongs), the summary says so in Chinese and the pages are made all the same."""
    import io

    from built_site import make_project
    from builder import build
    from builder.synth import generate

    seeds = {s.name: s.data for s in generate(12, 4, SEEDS)}  # enough to share out between workers
    blocked = make_project(tmp_path / "blocked", seeds)
    (blocked / ".cache").write_text("不是文件夹", encoding="utf-8")
    out = io.StringIO()
    result = build.run(blocked, make_site=False, stream=out)
    assert result.notes and "解析缓存未能写入" in result.notes[0] and ".cache" in result.notes[0]
    assert "注意：解析缓存未能写入" in out.getvalue()
    fine = build.run(make_project(tmp_path / "fine", seeds), make_site=False, quiet=True, stream=io.StringIO())
    assert not fine.notes
    docs = {p: sorted(x.relative_to(p).as_posix() for x in (p / "docs" / "reports").iterdir())
            for p in (blocked, tmp_path / "fine")}
    assert docs[blocked] == docs[tmp_path / "fine"] and len(docs[blocked]) == len(seeds)
