"""Worker processes that keep what they parsed (issue 6): a report's page is made in the
process that parsed it, so its whole record never travels. Results keep the input order, the
kept values are the ones later calls see, and a worker that dies or fails has its work done
again in the main process, with the same results."""
from __future__ import annotations

import os
import signal

import pytest

from builder import pipeline
from builder.pipeline import LOCAL, Workers

ITEMS = list(range(200))


def _square(i: int):
    return {"kept": i * i}, -i  # (kept in the worker, sent home)


def _report(kept: dict, payload: list[int], reply) -> None:
    """Replies (item, what was kept for it, which process) in batches of 10."""
    for a in range(0, len(payload), 10):
        reply([(i, kept[i]["kept"], os.getpid()) for i in payload[a:a + 10]])


def _refuse_in_a_worker(kept: dict, payload: list[int], reply) -> None:
    _report(kept, payload, reply)  # replies first, then fails: the replies come again from here
    if 0 in payload and os.getpid() != MAIN:
        raise ValueError("zero")


def _refuse_anywhere(kept: dict, payload: list[int], reply) -> None:
    if 0 in payload:
        raise ValueError("zero")
    _report(kept, payload, reply)


def _fail_on_7(i: int):
    if i == 7 and os.getpid() != MAIN:
        raise ValueError("seven")  # only in a worker: done again here, it succeeds
    return _square(i)


MAIN = os.getpid()


def _shares(workers: Workers) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i in ITEMS:
        out.setdefault(workers.owner(i), []).append(i)
    return out


def _collect(workers: Workers) -> dict[int, tuple[int, int]]:
    got = {}
    for batch in workers.replies():
        for i, value, pid in batch:
            got[i] = (value, pid)
    return got


def test_results_in_order_kept_values_stay_with_their_worker():
    with Workers(2, len(ITEMS)) as workers:
        assert workers.forked
        seen = []
        assert workers.map(_square, ITEMS, progress=seen.append, keep=True) == [-i for i in ITEMS]
        assert seen[-1] == len(ITEMS) and seen == sorted(seen)
        shares = _shares(workers)
        assert len(shares) == 2 and LOCAL not in shares  # both workers took a share
        workers.start(_report, shares)
        got = _collect(workers)
    assert {i: v for i, (v, _pid) in got.items()} == {i: i * i for i in ITEMS}
    # Each item's value came from the process that kept it, and that was not this one.
    pids = {w: {got[i][1] for i in items} for w, items in shares.items()}
    assert all(len(p) == 1 for p in pids.values()) and MAIN not in set.union(*pids.values())


def test_a_worker_that_dies_has_its_work_done_here():
    with Workers(2, len(ITEMS)) as workers:
        workers.map(_square, ITEMS, keep=True)
        os.kill(workers._procs[0].pid, signal.SIGKILL)
        workers._procs[0].join()
        shares = _shares(workers)
        workers.start(_report, shares)
        got = _collect(workers)
    assert {i: v for i, (v, _pid) in got.items()} == {i: i * i for i in ITEMS}
    assert {got[i][1] for i in shares[0]} == {MAIN}  # remade here, from the items


def test_a_call_that_fails_in_a_worker_is_done_again_here():
    with Workers(2, len(ITEMS)) as workers:
        assert workers.map(_fail_on_7, ITEMS, keep=True) == [-i for i in ITEMS]
        assert workers.owner(7) == LOCAL and workers.kept[7] == {"kept": 49}
        shares = _shares(workers)
        workers.start(_refuse_in_a_worker, shares)
        got = _collect(workers)
        assert {i: v for i, (v, _pid) in got.items()} == {i: i * i for i in ITEMS}
        assert got[0][1] == MAIN and got[7][1] == MAIN
        # Failing here too, it is raised, as it would be without workers.
        workers.start(_refuse_anywhere, shares)
        with pytest.raises(ValueError):
            _collect(workers)


def test_few_items_run_here():
    with Workers(2, 3) as workers:
        assert not workers.forked
        assert workers.map(_square, [0, 1, 2], keep=True) == [0, -1, -2]
        assert [workers.owner(i) for i in range(3)] == [LOCAL] * 3
        workers.start(_report, {LOCAL: [0, 1, 2]})
        assert _collect(workers) == {0: (0, MAIN), 1: (1, MAIN), 2: (4, MAIN)}


def test_map_without_keeping_is_forked_map():
    with Workers(2, len(ITEMS)) as workers:
        assert workers.map(abs, [-i for i in ITEMS]) == ITEMS
        assert pipeline._KEPT == {}  # nothing kept in this process


def test_a_page_that_fails_is_a_notice_and_the_build_goes_on(tmp_path, monkeypatch):
    """In the workers as here: the failing report's page says so, the build report lists it,
    every other file is written, and both ways give the same docs/."""
    import io
    from pathlib import Path

    from built_site import make_project
    from builder import build
    from builder.render import report
    from builder.synth import generate

    seeds_dir = Path(__file__).resolve().parent.parent / "seeds"
    seeds = {p.name: p.read_bytes() for p in sorted(seeds_dir.glob("*.txt"))}
    seeds.update({s.name: s.data for s in generate(12, 3, seeds_dir)})
    real = report.render

    def render(entry, archive):
        if entry.record.get("year") == 2022 and "乡" in entry.agency:
            raise KeyError("坏页")
        return real(entry, archive)

    monkeypatch.setattr(report, "render", render)
    docs, errors = {}, {}
    for mode in ("serial", "forked"):
        monkeypatch.setattr(pipeline, "will_fork", lambda n, jobs=None, min_items=0: mode == "forked" and n > 1)
        root = make_project(tmp_path / mode, seeds)
        result = build.run(root, make_site=False, stream=io.StringIO(), quiet=True)
        errors[mode] = result.render_errors
        docs[mode] = {p.relative_to(root / "docs").as_posix(): p.read_bytes()
                      for p in sorted((root / "docs").rglob("*")) if p.is_file()}
    failed = [e for e in errors["serial"] if "KeyError" in e]
    assert failed and errors["forked"] == errors["serial"]
    page = failed[0].split("：", 1)[0]
    assert "生成本页时出现内部错误".encode() in docs["forked"][page]
    assert page.encode() in docs["forked"]["browse/build-report.md"]
    assert docs["serial"] == docs["forked"]
    assert sum(1 for p in docs["forked"] if p.startswith("reports/")) == len(seeds)


def _prepare_then_fail(kept: dict) -> None:
    """Work ahead that stops with an error after three reports (see the test below)."""
    from builder import build
    build._prepare(dict(list(kept.items())[:3]))
    raise RuntimeError("ahead")


def _prepare_then_die(kept: dict) -> None:
    os._exit(3)


@pytest.mark.parametrize("ahead", [_prepare_then_fail, _prepare_then_die])
def test_work_done_ahead_that_fails_or_kills_the_worker_changes_nothing(tmp_path, monkeypatch, ahead):
    """What a worker makes ahead (`build._prepare`) is the same as made with the page; when it
    fails midway, or the worker dies, the rest is made later (by the worker, or here)."""
    import io
    from pathlib import Path

    from built_site import make_project
    from builder import build
    from builder.synth import generate

    seeds_dir = Path(__file__).resolve().parent.parent / "seeds"
    seeds = {p.name: p.read_bytes() for p in sorted(seeds_dir.glob("*.txt"))}
    seeds.update({s.name: s.data for s in generate(16, 6, seeds_dir)})
    docs = {}
    for mode in ("serial", "forked", "failing"):
        monkeypatch.setattr(pipeline, "will_fork", lambda n, jobs=None, min_items=0: mode != "serial" and n > 1)
        monkeypatch.setattr(build, "_prepare", ahead if mode == "failing" else build._prepare)
        root = make_project(tmp_path / mode, seeds)
        result = build.run(root, make_site=False, stream=io.StringIO(), quiet=True)
        assert not result.render_errors
        docs[mode] = {p.relative_to(root / "docs").as_posix(): p.read_bytes()
                      for p in sorted((root / "docs").rglob("*")) if p.is_file()}
    assert docs["serial"] == docs["forked"] == docs["failing"]
