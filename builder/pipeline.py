"""Report files → records: ingest, parse (cached), in parallel. Shared by `parse` and `build`.

Parsing is the expensive step and depends only on a file's bytes and on the
builder's code, so its result is cached under both hashes: after adding one
report to a thousand, only that one is parsed again. A cached file is only
hashed, not decoded again.

`forked_map` spreads any per-report work (validation, page rendering) over
the cores the same way.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import recordjson, region
from .ingest import IngestError, read, read_bytes
from .parse import SCHEMA, parse


@dataclass
class Outcome:
    path: str
    record: dict | None  # None when the file could not be read
    error: str | None = None  # Chinese, names the file
    cached: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # CPU time: "ingest", "parse" or "cache"
    # `check(record)` when process_many was given one (the per-report findings), computed where
    # the record was read so it crosses between processes once; None: not computed, or it failed.
    checked: list | None = None
    sha256: str | None = None  # of the file's bytes, when there is a cache
    # The record's JSON as parsed (its findings still empty): the cache line, and the start of
    # its download (`render.model.Entry.json_bytes`). Set for a record parsed here, and by
    # process_many(light=True) for every record.
    body: bytes | None = None
    # process_many(light=True): the JSON of the source cells left out of `record` (see `lighten`).
    cells: bytes | None = None


@lru_cache(maxsize=1)
def builder_version() -> str:
    """Hash of the builder's own source: any code change invalidates the cache."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


class ParseCache:
    """Parsed records of one builder version, in one file: a line `<sha256 of the bytes> <record
    as JSON>` per report. One file, not one per report: creating a file costs far more than
    writing a record into one (up to a millisecond each on a busy disk). The workers look
    records up in the index loaded before they fork, and send new records home as JSON text;
    `save` writes the file once, holding the reports of this build."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.file = self.folder / f"records-{builder_version()}.jsonl"
        self.index: dict[str, bytes] = {}  # sha256 → record JSON (UTF-8)
        self.added = 0
        try:
            with open(self.file, "rb") as f:
                for line in f:
                    key, _, text = line.partition(b" ")
                    if len(key) == 64 and text.endswith(b"\n"):  # a cut-off last line is ignored
                        self.index[key.decode("ascii", "replace")] = text[:-1]
        except OSError:
            self.index.clear()  # no cache yet: it is simply built

    def get(self, sha: str, name: str) -> tuple[dict, bytes | None] | None:
        """(the record, its JSON when that is still exact), or None: not cached, or a damaged line."""
        text = self.index.get(sha)
        if text is None:
            return None
        try:
            record = recordjson.loads(text)
            source = record["source"]
            if source["path"] == name:
                return record, text
            source["path"] = name  # same bytes may sit under another name
            return record, None
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, sha: str, text: bytes) -> None:
        if self.index.get(sha) != text:
            self.index[sha] = text
            self.added += 1

    def save(self, keep: list[str] | None = None) -> None:
        """Write the file, with the records of `keep` (default: all) in that order; files of other
        builder versions are removed. Nothing is written when nothing changed."""
        keys = list(dict.fromkeys(k for k in (keep if keep is not None else sorted(self.index)) if k in self.index))
        if not self.added and len(keys) == len(self.index) and self.file.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:  # JSON from `recordjson` holds no line break
            f.writelines(b"%s %s\n" % (k.encode("ascii"), self.index[k]) for k in keys)
        tmp.replace(self.file)  # a build running at the same time sees the old file or the new, whole
        for old in self.folder.iterdir():
            if old != self.file and old.suffix in (".json", ".jsonl"):  # other versions (and the old layout)
                old.unlink(missing_ok=True)
        self.index = {k: self.index[k] for k in keys}
        self.added = 0


def process(path: str | Path, display: str | None = None, cache: str | Path | None = None) -> Outcome:
    """One file → Outcome. `cache`: the cache folder, read and (for a new record) written here."""
    name = display or str(path)
    store = ParseCache(cache) if cache is not None else None
    o = _process(path, name, store)
    if store is not None and o.body is not None and not o.cached:
        store.put(o.sha256, o.body)
        store.save()
    return o


def _process(path: str | Path, name: str, cache: ParseCache | None) -> Outcome:
    t0 = time.process_time()
    try:
        data = Path(path).read_bytes()  # read once: hashed for the cache, then decoded
    except OSError:
        data = None  # `read` says why, in Chinese
    sha = hashlib.sha256(data).hexdigest() if cache is not None and data is not None else None
    if sha is not None:
        hit = cache.get(sha, name)
        if hit is not None:
            return Outcome(name, hit[0], cached=True, seconds={"cache": time.process_time() - t0}, sha256=sha,
                           body=hit[1])
    try:
        source = read(path, name) if data is None else read_bytes(data, name)
    except IngestError as exc:
        return Outcome(name, None, str(exc), seconds={"ingest": time.process_time() - t0})
    t1 = time.process_time()
    try:
        record = parse(source)
    except Exception as exc:  # a parser bug must not lose the report or stop the build
        return Outcome(name, None, f"{name}：解析时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    seconds = {"ingest": t1 - t0, "parse": time.process_time() - t1}
    o = Outcome(name, record, seconds=seconds)
    if cache is not None:
        o.sha256, o.body = source.sha256, recordjson.dumps(record)
    return o


def _process_args(args):
    *where, check, light = args
    o = _process(*where)
    if check is not None and o.record is not None:
        t = time.process_time()
        try:
            o.checked = check(o.record)
        except Exception:  # noqa: BLE001 — left to the validate stage, which reports it
            o.checked = None
        o.seconds["validate"] = time.process_time() - t
    if light and o.record is not None:
        if o.body is None:
            o.body = recordjson.dumps(o.record)
        o.cells = lighten(o.record)
    return o


def lighten(record: dict) -> bytes | None:
    """Leave out of the record the source cells of the figures that were read, and return them
    all as JSON. Those cells are half of a record's objects, and only its own page and CSV show
    them: a record sent home without them costs far less to send and to keep, and the process
    that renders its page puts them back (`Entry.restore_cells`). The cells of blanks stay:
    across years, the rules quote what a blank cell held (“原文“/””)."""
    cells = record.get("cells")
    if not isinstance(cells, dict):
        return None
    tables = record.get("tables")
    tables = tables if isinstance(tables, dict) else {}
    blanks = {}
    for path, cell in cells.items():
        table, _, rest = path.partition(".")
        row, _, key = rest.partition(".")
        rows = tables.get(table)
        values = rows.get(row) if isinstance(rows, dict) else None
        if not isinstance(values, dict) or values.get(key) is None:
            blanks[path] = cell
    data = recordjson.dumps(cells)
    record["cells"] = blanks
    return data


def process_many(items: list[tuple[Path, str]], cache_dir: str | Path | None = None,
                 jobs: int | None = None, progress=None, check: Callable | None = None,
                 light: bool = False) -> list[Outcome]:
    """Process (path, display name) pairs on all cores; results keep the input order.
    `check`: a function of one record, run on it in the same worker (see `Outcome.checked`).
    `light`: records come back without the source cells of their figures (see `lighten`), with
    those cells and the record's JSON beside them (`Outcome.cells`, `Outcome.body`)."""
    jobs = jobs or os.cpu_count() or 1
    cache = ParseCache(cache_dir) if cache_dir is not None else None
    args = [(p, name, cache, check, light) for p, name in items]
    out: list[Outcome] = []
    if will_fork(len(args), jobs, min_items=8):
        _load_gazetteer()  # once here, before the workers fork, rather than once in each of them
    for o in forked_map(_process_args, args, jobs, min_items=8, chunksize=max(1, len(args) // (jobs * 32))):
        if cache is not None and o.body is not None and not o.cached:
            cache.put(o.sha256, o.body)
        out.append(o)
        if progress:
            progress(len(out))
    if cache is not None:  # the reports of this build, in input order: the file never grows stale
        cache.save([o.record["source"]["sha256"] for o in out if o.record is not None])
    return out


def _load_gazetteer() -> None:
    try:
        region.lookup("110000")  # the first lookup loads the whole gazetteer (~0.1 s)
    except RuntimeError:
        pass  # the package is missing: each file's parse says so


def work_done(outcomes: list[Outcome]) -> dict:
    """How much work the outcomes took: CPU seconds of ingest and parse (and of the per-report
    check, "validate", when one ran; summed over the worker processes), and how many files
    were parsed or taken from the cache."""
    total = {"ingest": 0.0, "parse": 0.0, "cache": 0.0}
    for o in outcomes:
        for k, v in o.seconds.items():
            total[k] = total.get(k, 0.0) + v
    total["parsed"] = sum(1 for o in outcomes if o.record is not None and not o.cached)
    total["cached"] = sum(1 for o in outcomes if o.cached)
    return total


# ------------------------------------------------------------------ any per-report work, on all cores
_JOB: tuple[Callable, Sequence] | None = None  # what the forked workers run


def _run_job(i: int):
    fn, items = _JOB
    return fn(items[i])


def will_fork(n_items: int, jobs: int | None = None, min_items: int = 64) -> bool:
    """Whether `forked_map` over this many items runs in worker processes (else here)."""
    jobs = jobs or os.cpu_count() or 1
    return jobs > 1 and n_items >= min_items and _JOB is None \
        and "fork" in multiprocessing.get_all_start_methods()


def forked_map(fn: Callable, items: Sequence, jobs: int | None = None, min_items: int = 64,
               chunksize: int | None = None) -> Iterator:
    """`fn(item)` for every item, in order, on all cores.

    The workers are forked from this process, so `fn` may be any callable (a closure too)
    and sees this process's data as it is at the call; only the results travel back, so they
    must pickle. With one core, few items, or no `fork` on this system, it runs here.
    `chunksize`: items handed to a worker at a time (default: a sixteenth of each worker's share).
    """
    global _JOB
    jobs = jobs or os.cpu_count() or 1
    # No cycle collection meanwhile, here or in the workers (they inherit it): records, pages
    # and findings are trees of dicts, lists and strings, so it would find nothing, yet it
    # walks every object again and again as thousands pile up (a third of the time spent
    # unpickling them) and copies the pages a worker shares with this process as it touches
    # them. A worker's memory goes back when it exits.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if not will_fork(len(items), jobs, min_items):
            yield from (fn(x) for x in items)
        else:
            _JOB = (fn, items)
            try:
                with multiprocessing.get_context("fork").Pool(jobs) as pool:
                    yield from pool.imap(_run_job, range(len(items)),
                                         chunksize=chunksize or max(1, len(items) // (jobs * 16)))
            finally:
                _JOB = None
    finally:
        if collecting:
            gc.enable()


def error_record(outcome: Outcome) -> dict:
    return {"schema": SCHEMA, "source": {"path": outcome.path}, "error": outcome.error}


def input_files(folder: str | Path) -> list[Path]:
    """Every file in the seeds folder, in a stable order; none is skipped silently."""
    root = Path(folder)
    return sorted((p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")),
                  key=lambda p: p.relative_to(root).as_posix())
