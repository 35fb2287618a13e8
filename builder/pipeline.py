"""One report file → its record: ingest, parse, validate. Shared by `parse` and `build`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .ingest import IngestError, read
from .parse import SCHEMA, parse

INPUT_SUFFIXES = (".txt", ".md", ".text")


@dataclass
class Outcome:
    path: str
    record: dict | None  # None when the file could not be read
    error: str | None = None  # Chinese, names the file


def process(path: str | Path, display: str | None = None) -> Outcome:
    name = display or str(path)
    try:
        source = read(path, name)
    except IngestError as exc:
        return Outcome(name, None, str(exc))
    try:
        record = parse(source)
    except Exception as exc:  # a parser bug must not lose the report or stop the build
        return Outcome(name, None, f"{name}：解析时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    return Outcome(name, record)


def error_record(outcome: Outcome) -> dict:
    return {"schema": SCHEMA, "source": {"path": outcome.path}, "error": outcome.error}


def input_files(folder: str | Path) -> list[Path]:
    """Every file in the seeds folder, in a stable order; none is skipped silently."""
    root = Path(folder)
    return sorted((p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")),
                  key=lambda p: p.relative_to(root).as_posix())
