"""Report files → records: ingest, parse (cached), in parallel. Shared by `parse` and `build`.

Parsing is the expensive step and depends only on a file's bytes and on the
builder's code, so its result is cached under both hashes: after adding one
report to a thousand, only that one is parsed again. A cached file is only
hashed, not decoded again.

`Workers` share the reports out between worker processes, one per core, that
keep the whole records they made: the build then has each worker make the pages
of the reports it parsed. `forked_map` spreads any other per-report work over
the cores.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import threading
import time
from collections import deque
from multiprocessing.connection import wait
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import is_not, itemgetter
from pathlib import Path

from . import recordjson, region
from . import template as T
from .ingest import IngestError, read, read_bytes
from .parse import SCHEMA, parse
from .slug import learn, pinyin


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
    # The file's bytes as read (and hashed): kept where the record is kept (`_process_kept`), for
    # the raw copy; never sent home. (So the workers hold the inputs' bytes until the pages are
    # made: about 12 KB per report.)
    data: bytes | None = field(default=None, repr=False)
    # The pinyin of the record's names, as this process worked it out (`slug.learn`).
    names: dict[str, str] | None = None


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
        try:  # JSON from `recordjson` holds no line break
            _write(tmp, [part for k in keys for part in (k.encode("ascii"), b" ", self.index[k], b"\n")])
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        tmp.replace(self.file)  # a build running at the same time sees the old file or the new, whole
        for old in self.folder.iterdir():
            if old != self.file and old.suffix in (".json", ".jsonl"):  # other versions (and the old layout)
                old.unlink(missing_ok=True)
        self.index = {k: self.index[k] for k in keys}
        self.added = 0


class CacheWriter:
    """The parse cache written beside the build, on a thread: `start` it once nothing forks any
    more (a fork while a thread runs can copy a lock it holds), `wait` for it. A failure (a full
    disk, a read-only folder) is said in Chinese, and costs only the next build's time."""

    def __init__(self, cache: ParseCache, keys: list[str]):
        self.cache, self.keys = cache, keys
        self.failure: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._write, name="save-parse-cache")
        self._thread.start()

    def wait(self) -> str | None:
        """None, or why the cache could not be written (written here if it was never started)."""
        if self._thread is None:
            self._write()
        else:
            self._thread.join()
        return self.failure

    def _write(self) -> None:
        try:
            self.cache.save(self.keys)
        except OSError as exc:
            self.failure = f"解析缓存未能写入 {self.cache.file}（{exc.strerror or exc}），下次构建将重新解析全部报告"


def _write(path: Path, parts: list[bytes]) -> None:
    """The parts, one after another, as the file's content. A few large system calls (writev):
    no joined copy, and the interpreter is free all the while (this may run on a thread, beside
    the build: a write per part, or a buffered file, would take the interpreter back thousands
    of times and slow the build down)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        for at in range(0, len(parts), _IOV_MAX):
            chunk = parts[at:at + _IOV_MAX]
            done = os.writev(fd, chunk)
            if done < sum(map(len, chunk)):  # a short write: the rest, however long it takes
                rest = memoryview(b"".join(chunk))[done:]
                while rest:
                    rest = rest[os.write(fd, rest):]
    finally:
        os.close(fd)


_IOV_MAX = 1024  # buffers per writev (the POSIX minimum of IOV_MAX)


def process(path: str | Path, display: str | None = None, cache: str | Path | None = None) -> Outcome:
    """One file → Outcome. `cache`: the cache folder, read and (for a new record) written here."""
    name = display or str(path)
    store = ParseCache(cache) if cache is not None else None
    o = _process(path, name, store)
    o.data = None
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
                           body=hit[1], data=data)
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
    o = Outcome(name, record, seconds=seconds, data=data)
    if cache is not None:
        o.sha256, o.body = source.sha256, recordjson.dumps(record)
    return o


def _process_args(args):
    *where, check, light = args
    o = _checked(_process(*where), check)
    o.data = None  # the result travels: without the file's bytes
    if light and o.record is not None:
        if o.body is None:
            o.body = recordjson.dumps(o.record)
        o.record = lighten(o.record)
    return o


def _checked(o: Outcome, check: Callable | None) -> Outcome:
    """`check(record)` run on the outcome's record, if any (None when it fails: the validate
    stage runs it again and reports what went wrong)."""
    if check is not None and o.record is not None:
        t = time.process_time()
        try:
            o.checked = check(o.record)
        except Exception:  # noqa: BLE001 — left to the validate stage, which reports it
            o.checked = None
        o.seconds["validate"] = time.process_time() - t
    return o


def _process_kept(args) -> tuple[tuple[dict, bytes, list | None, bytes | None] | None, Outcome]:
    """For `Workers.map`: the whole record, its JSON, its per-report findings and the file's
    bytes stay in the worker; the light record goes home (with the JSON and the findings)."""
    *where, check, _light = args
    o = _checked(_process(*where), check)
    data, o.data = o.data, None
    if o.record is None:
        return None, o
    if o.body is None:
        o.body = recordjson.dumps(o.record)
    kept = (o.record, o.body, o.checked, data)
    o.names = {t: pinyin(t) for t in (o.record.get("agency"), o.record.get("agency_in_title")) if isinstance(t, str)}
    o.record = lighten(o.record)
    return kept, o


def lighten(record: dict) -> dict:
    """The record without the source cells of the figures that were read (a shallow copy; the
    record itself is not changed). Those cells are half of a record's objects, and only its
    own page and CSV show them: a record sent home without them costs far less to send and to
    keep, and its page is made where the whole record is (`Workers`). The cells of blanks
    stay: across years, the rules quote what a blank cell held (“原文“/””)."""
    cells = record.get("cells")
    if not isinstance(cells, dict):
        return record
    tables = record.get("tables")
    tables = tables if isinstance(tables, dict) else {}
    # The paths of the figures read, set-wise (most cells are theirs; usually none is left).
    read: set[str] = set()
    for table, rows in tables.items():
        if not isinstance(rows, dict):
            continue
        for row, values in rows.items():
            if not isinstance(values, dict):
                continue
            known = _ROW_PATHS.get((table, row))
            if known is not None and len(values) == len(known[1]):
                try:
                    read.update(compress(known[1], map(is_not, known[0](values), repeat(None))))
                    continue
                except KeyError:  # other keys than the template's
                    pass
            read.update(f"{table}.{row}.{k}" for k, v in values.items() if v is not None)
    left = cells.keys() - read
    blanks = {p: c for p, c in cells.items() if p in left} if left else {}
    light = dict(record)
    light["cells"] = blanks
    return light


# (table, row) → a getter of its figures (as a tuple) and their paths, once from the template.
_ROW_PATHS = {at: (itemgetter(*keys) if len(keys) > 1 else (lambda d, k=keys[0]: (d[k],)), paths)
              for at, (keys, paths) in T.ROW_FIELDS.items()}


def process_many(items: list[tuple[Path, str]], cache_dir: str | Path | None = None,
                 jobs: int | None = None, progress=None, check: Callable | None = None,
                 light: bool = False, keep: list | None = None, then: Callable | None = None,
                 saving: list | None = None) -> list[Outcome]:
    """Process (path, display name) pairs on all cores; results keep the input order.
    `check`: a function of one record, run on it in the same worker (see `Outcome.checked`).
    `light`: records come back without the source cells of their figures (see `lighten`), with
    the record's JSON beside them (`Outcome.body`).
    `keep`: when the work is shared out between worker processes, they are left running,
    each holding the whole records (and their JSON) it parsed, and put in this list (a
    `Workers`; the caller closes it): the records come back light. `then`: see `Workers.map`.
    `saving`: the cache file is not written here: a `CacheWriter` for it goes into this list, for
    the caller to start (the build goes on meanwhile: writing it is mostly the kernel copying
    bytes) and wait for."""
    jobs = jobs or os.cpu_count() or 1
    cache = ParseCache(cache_dir) if cache_dir is not None else None
    workers = Workers(jobs, len(items), min_items=8)
    held = keep is not None and workers.forked
    args = [(p, name, cache, check, light and not held) for p, name in items]
    if workers.forked:
        _load_gazetteer()  # once here, before the workers fork, rather than once in each of them
    out: list[Outcome] = []
    for o in workers.map(_process_kept if held else _process_args, args, progress, keep=held,
                         then=then if held else None):
        if o.names:
            learn(o.names)
            o.names = None
        if cache is not None and o.body is not None and not o.cached:
            cache.put(o.sha256, o.body)
        out.append(o)
    if held:
        keep.append(workers)
    else:
        workers.close()
    if cache is not None:  # the reports of this build, in input order: the file never grows stale
        keys = [o.record["source"]["sha256"] for o in out if o.record is not None]
        if saving is None:
            cache.save(keys)
        else:
            saving.append(CacheWriter(cache, keys))
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


# ------------------------------------------------------------------ workers that keep what they made
_KEPT: dict[int, object] = {}  # in a worker process: what `Workers.map` kept, by item index
_TASK: tuple[Callable, Sequence] | None = None  # the function and items of `Workers.map` (inherited at fork)
LOCAL = -1  # `Workers.owner` of an item kept in this process


class _Failed:
    """A worker's answer when the function raised: the work is done again here (where the
    exception, if it recurs, is raised as it would be without workers)."""


class Workers:
    """Worker processes, one per core, that keep what they made.

    `map(fn, items, keep=True)` runs `fn(item)` → (kept, result) for every item, handed out in
    small chunks as the workers ask for more; the results come home, and each `kept` value
    stays in the process that made it (`owner(i)` says which). `start(fn, payloads)` then runs
    `fn(kept, payload, reply)` in each worker, with the values it kept, and `replies()` brings
    home what they reply. So a report is parsed and its page made in the same process, and its
    whole record never travels. With one core or few items, or without `fork`, everything runs
    here (`forked` is False). A worker that dies or fails has its work done again here."""

    def __init__(self, jobs: int | None = None, n_items: int = 0, min_items: int = 8):
        self.jobs = jobs or os.cpu_count() or 1
        self.forked = will_fork(n_items, self.jobs, min_items)
        self.kept: dict[int, object] = {}  # what was kept here (no workers, or a worker failed)
        self._owner: list[int] = []
        self._conns: list = []  # per worker; None once it is gone
        self._procs: list = []
        self._task: tuple[Callable, Sequence] | None = None
        self._gc = gc.isenabled()
        self._running: dict[int, tuple[Callable, object]] = {}  # worker → (fn, payload) of `start`
        self._redo: list[tuple[int, Callable, object]] = []

    def owner(self, i: int) -> int:
        return self._owner[i]

    # -- the first round: every item, shared out
    def map(self, fn: Callable, items: Sequence, progress=None, keep: bool = False,
            then: Callable | None = None) -> list:
        """`fn(item)` for every item, results in input order; `keep`: fn returns (kept, result).
        `then`: a module-level function that a worker with nothing left to do of this round runs
        on what it kept, `then(kept)`, before the next message: work that would otherwise wait
        for the next round, done while the worker would idle (no reply; if it fails, the next
        round does it). Each worker does all of it, so the work left for the next round stays
        in proportion to the items each one kept."""
        global _TASK
        call = fn if keep else _keep_nothing(fn)
        self._task = (call, items)
        n = len(items)
        self._owner = [LOCAL] * n
        results: list = [None] * n
        if not self.forked:
            for i in range(n):
                self.kept[i], results[i] = call(items[i])
                if progress:
                    progress(i + 1)
            return results
        gc.disable()  # records are trees of dicts and lists: the cycle collector would find nothing
        _TASK = self._task
        try:
            ctx = multiprocessing.get_context("fork")
            for _ in range(self.jobs):
                here, there = ctx.Pipe()
                proc = ctx.Process(target=_serve, args=(there, list(self._conns)), daemon=True)
                proc.start()
                there.close()
                self._conns.append(here)
                self._procs.append(proc)
        finally:
            _TASK = None
        size = max(1, n // (self.jobs * 32))
        todo = deque((a, min(a + size, n)) for a in range(0, n, size))
        sent: dict[int, deque] = {w: deque() for w in range(self.jobs)}
        redo: list[tuple[int, int]] = []
        done = 0

        def feed(w: int) -> None:
            if todo and self._conns[w] is not None:
                chunk = todo.popleft()
                if self._send(w, ("map", *chunk)):
                    sent[w].append(chunk)
                else:
                    redo.append(chunk)

        for _ in range(2):  # two chunks ahead: a worker never waits for the next
            for w in range(self.jobs):
                feed(w)
        while any(sent.values()):
            for w in self._ready([w for w in sent if sent[w]]):
                a, b = sent[w].popleft()
                got = self._recv(w)
                if isinstance(got, list):
                    results[a:b] = got
                    self._owner[a:b] = [w] * (b - a)
                    done += b - a
                    if progress:
                        progress(done)
                else:  # failed, or gone: its chunks are done again here
                    redo.append((a, b))
                    if self._conns[w] is None:
                        redo.extend(sent[w])
                        sent[w].clear()
                feed(w)
                if then is not None and not sent[w] and not todo:
                    self._send(w, ("idle", then))
        for a, b in sorted(redo + list(todo)):
            for i in range(a, b):
                self.kept[i], results[i] = call(items[i])
                done += 1
                if progress:
                    progress(done)
        return results

    # -- later rounds: in each worker, on what it kept
    def start(self, fn: Callable, payloads: dict[int, object], last: bool = False) -> None:
        """Run `fn(kept, payload, reply)` in worker w for each (w, payload); `payloads[LOCAL]`, if
        any, runs here, in `replies`. `fn` must be a module-level function (it is sent by name).
        `last`: there is no more work after this; each worker exits when it has replied (its
        exit overlaps what is left to do here; `close` waits for it)."""
        self._running = {}
        self._redo = []  # (worker, fn, payload) to run here
        for w, payload in payloads.items():
            if w != LOCAL and self._send(w, ("each", fn, payload, last)):
                self._running[w] = (fn, payload)
            else:
                self._redo.append((w, fn, payload))

    def replies(self, block: bool = True) -> Iterator:
        """What the workers replied so far (`block`: until every one has finished). Work of a
        worker that failed is done again here, after everything else, and replies again: `fn`'s
        replies must say what they are about, and the same reply may come twice."""
        while self._running:
            ready = self._ready(list(self._running), None if block else 0)
            if not ready:
                return
            for w in ready:
                got = self._recv(w)
                if isinstance(got, _Done):
                    del self._running[w]
                elif isinstance(got, _Reply):
                    yield got.value
                else:  # failed or gone: done again here
                    self._redo.append((w, *self._running.pop(w)))
        while block and self._redo:
            yield from self._here(*self._redo.pop(0))

    def _here(self, w: int, fn: Callable, payload) -> Iterator:
        call, items = self._task
        for i, owner in enumerate(self._owner):  # what that worker kept is made again
            if owner == w and i not in self.kept:
                self.kept[i] = call(items[i])[0]
        out: list = []
        fn(self.kept, payload, out.append)
        yield from out

    def stop(self) -> None:
        """Tell the workers there is no more work (they exit meanwhile; `close` waits for them)."""
        for w, conn in enumerate(self._conns):
            if conn is not None:
                self._send(w, ("stop",))
                conn.close()
                self._conns[w] = None

    def close(self) -> None:
        self.stop()
        for proc in self._procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
        self._conns, self._procs = [], []
        if self._gc:
            gc.enable()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- plumbing
    def _ready(self, ws: list[int], timeout: float | None = None) -> list[int]:
        conns = {self._conns[w]: w for w in ws if self._conns[w] is not None}
        gone = [w for w in ws if self._conns[w] is None]
        if gone:
            return gone
        return sorted(conns[c] for c in wait(list(conns), timeout))

    def _send(self, w: int, message) -> bool:
        conn = self._conns[w] if w < len(self._conns) else None
        if conn is None:
            return False
        try:
            conn.send(message)
            return True
        except (OSError, ValueError):
            self._gone(w)
            return False

    def _recv(self, w: int):
        conn = self._conns[w]
        if conn is None:
            return None
        try:
            return conn.recv()
        except (EOFError, OSError):
            self._gone(w)
            return None

    def _gone(self, w: int) -> None:
        conn, self._conns[w] = self._conns[w], None
        if conn is not None:
            conn.close()


class _Reply:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _Done:
    """A worker's answer when a `start` call has finished."""


def _keep_nothing(fn: Callable) -> Callable:
    return lambda item: (None, fn(item))


def _serve(conn, others: list) -> None:
    """A worker's loop: chunks of `map`, then `start` calls, until told to stop. `others`: the
    main process's ends of the workers forked before this one, which are not this one's to hold."""
    for other in others:
        other.close()
    call, items = _TASK
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "map":
            out = []
            try:
                for i in range(message[1], message[2]):
                    _KEPT[i], result = call(items[i])
                    out.append(result)
            except Exception:  # noqa: BLE001 — the chunk is done again in the main process
                out = _Failed()
            conn.send(out)
        elif kind == "each":
            _, fn, payload, last = message
            try:
                fn(_KEPT, payload, lambda value: conn.send(_Reply(value)))
                conn.send(_Done())
            except Exception:  # noqa: BLE001 — done again in the main process
                conn.send(_Failed())
            if last:
                return
        elif kind == "idle":
            try:
                message[1](_KEPT)
            except Exception:  # noqa: BLE001 — work ahead only: what it did not do is done later
                pass
        else:
            return


def error_record(outcome: Outcome) -> dict:
    return {"schema": SCHEMA, "source": {"path": outcome.path}, "error": outcome.error}


def input_files(folder: str | Path) -> list[Path]:
    """Every file in the seeds folder, in a stable order; none is skipped silently."""
    root = Path(folder)
    return sorted((p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")),
                  key=lambda p: p.relative_to(root).as_posix())
