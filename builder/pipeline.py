"""Report files → records: ingest, parse (cached), in parallel. Shared by `parse` and `build`.

Parsing is the expensive step and depends only on a file's bytes and on the
builder's code, so its result is cached under both hashes: after adding one
report to a thousand, only that one is parsed again.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .ingest import IngestError, read
from .parse import SCHEMA, parse


@dataclass
class Outcome:
    path: str
    record: dict | None  # None when the file could not be read
    error: str | None = None  # Chinese, names the file
    cached: bool = False


@lru_cache(maxsize=1)
def builder_version() -> str:
    """Hash of the builder's own source: any code change invalidates the cache."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def process(path: str | Path, display: str | None = None, cache_dir: str | Path | None = None) -> Outcome:
    name = display or str(path)
    try:
        source = read(path, name)
    except IngestError as exc:
        return Outcome(name, None, str(exc))
    cache_file = None
    if cache_dir is not None:
        cache_file = Path(cache_dir) / f"{source.sha256}-{builder_version()}.json"
        if cache_file.exists():
            try:
                record = json.loads(cache_file.read_text("utf-8"))
                record["source"]["path"] = name  # same bytes may sit under another name
                return Outcome(name, record, cached=True)
            except (OSError, ValueError, KeyError, TypeError):
                pass  # a damaged cache entry is simply rebuilt
    try:
        record = parse(source)
    except Exception as exc:  # a parser bug must not lose the report or stop the build
        return Outcome(name, None, f"{name}：解析时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        tmp.replace(cache_file)
    return Outcome(name, record)


def _process_args(args):
    return process(*args)


def process_many(items: list[tuple[Path, str]], cache_dir: str | Path | None = None,
                 jobs: int | None = None, progress=None) -> list[Outcome]:
    """Process (path, display name) pairs on all cores; results keep the input order."""
    jobs = jobs or os.cpu_count() or 1
    args = [(p, name, cache_dir) for p, name in items]
    out: list[Outcome] = []
    if jobs <= 1 or len(args) < 8:
        for a in args:
            out.append(process(*a))
            if progress:
                progress(len(out))
        return out
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for o in pool.map(_process_args, args, chunksize=max(1, len(args) // (jobs * 8))):
            out.append(o)
            if progress:
                progress(len(out))
    return out


def error_record(outcome: Outcome) -> dict:
    return {"schema": SCHEMA, "source": {"path": outcome.path}, "error": outcome.error}


def input_files(folder: str | Path) -> list[Path]:
    """Every file in the seeds folder, in a stable order; none is skipped silently."""
    root = Path(folder)
    return sorted((p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")),
                  key=lambda p: p.relative_to(root).as_posix())
