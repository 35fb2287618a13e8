"""The archive as the pages see it: one entry per published report, every input accounted for.

Page and file names come only from `Entry.slug`, which is the record's id when
that is a safe slug, or a hash otherwise. Two inputs with the same id never
share a page: identical bytes collapse into one entry that names every
source; different texts keep separate entries (the later one gets a suffix).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..slug import pinyin
from .html import is_safe_slug

UNKNOWN_REGION = "地区未知"


@dataclass
class Entry:
    record: dict
    slug: str
    files: list[Path]  # every input file with exactly these bytes (the first is copied as the raw text)
    sources: list[str]  # the same files as shown to readers (relative to the project)
    versions: list["Entry"] = field(default_factory=list)  # other texts with the same id

    @property
    def page(self) -> str:
        return f"reports/{self.slug}.md"

    @property
    def json_file(self) -> str:
        return f"data/reports/{self.slug}.json"

    @property
    def csv_file(self) -> str:
        return f"data/reports/{self.slug}.csv"

    @property
    def raw_file(self) -> str:
        return f"data/raw/{self.slug}.txt"

    @property
    def agency(self) -> str:
        return self.record.get("agency") or self.record.get("agency_in_title") or "未识别的机关"

    @property
    def year(self) -> int | None:
        y = self.record.get("year")
        return y if isinstance(y, int) else None

    @property
    def year_text(self) -> str:
        return f"{self.year}年" if self.year else "年份不详"

    @property
    def title(self) -> str:
        return f"{self.agency} {self.year_text}政府信息公开工作年度报告"

    @property
    def region(self) -> dict | None:
        r = self.record.get("region")
        return r if isinstance(r, dict) and r.get("province") else None

    @property
    def findings(self) -> list[dict]:
        return [f for f in self.record.get("findings") or [] if isinstance(f, dict)]

    def status_counts(self) -> dict[str, int]:
        out = {"pass": 0, "warn": 0, "fail": 0, "unknown": 0}
        for f in self.findings:
            if f.get("status") in out:
                out[f["status"]] += 1
        return out

    @property
    def status(self) -> str:
        """Worst status: fail > warn > unknown > pass; "none" when nothing was checked."""
        c = self.status_counts()
        for s in ("fail", "warn", "unknown", "pass"):
            if c[s]:
                return s
        return "none"

    @property
    def sort_key(self) -> tuple:
        return (pinyin(self.agency), self.agency, -(self.year or 0), self.slug)


@dataclass
class InputFile:
    path: str  # as shown (relative to the project)
    status: str  # "ok", "duplicate", "version", "error"
    reason: str = ""  # Chinese
    entry: Entry | None = None


@dataclass
class Archive:
    entries: list[Entry]  # sorted: agency pinyin, newest year first
    inputs: list[InputFile]  # every input file, in input order
    rules: list = field(default_factory=list)  # validator registry, empty when unavailable
    families: dict = field(default_factory=dict)
    status_labels: dict = field(default_factory=dict)
    _agencies: dict | None = field(default=None, repr=False)

    def by_agency(self) -> dict[str, list[Entry]]:
        if self._agencies is None:  # computed once: report pages ask for it one by one
            self._agencies = {}
            for e in self.entries:
                self._agencies.setdefault(e.agency, []).append(e)
        return self._agencies

    def by_year(self) -> dict[int | None, list[Entry]]:
        out: dict[int | None, list[Entry]] = {}
        for e in sorted(self.entries, key=lambda e: (-(e.year or 0), e.sort_key)):
            out.setdefault(e.year, []).append(e)
        return out

    def newest(self, n: int) -> list[Entry]:
        """Latest year first, then latest publication date; ties keep the index order (stable sort)."""
        return sorted(self.entries, key=lambda e: (e.year or 0, e.record.get("published") or ""),
                      reverse=True)[:n]


def _slug_for(record: dict) -> str:
    rid = str(record.get("id") or "")
    if is_safe_slug(rid):
        return rid
    sha = str((record.get("source") or {}).get("sha256") or "")
    digest = "".join(c for c in sha.lower() if c in "0123456789abcdef")[:12]
    return f"report-{digest or 'unknown'}"


def assemble(parsed: list[tuple[Path, str, dict | None, str | None]]) -> Archive:
    """(file, shown path, record or None, Chinese error) in input order → the archive."""
    entries: dict[str, Entry] = {}
    by_sha: dict[str, Entry] = {}
    inputs: list[InputFile] = []
    for path, shown, record, error in parsed:
        if record is None:
            inputs.append(InputFile(shown, "error", error or "无法读取"))
            continue
        sha = (record.get("source") or {}).get("sha256") or ""
        if sha and sha in by_sha:
            first = by_sha[sha]
            first.files.append(path)
            first.sources.append(shown)
            inputs.append(InputFile(shown, "duplicate", f"与 {first.sources[0]} 内容完全相同，合并为同一页", first))
            continue
        slug = _slug_for(record)
        base = entries.get(slug)
        status, reason = "ok", ""
        if base is not None:
            slug = f"{slug}-{(sha or 'x')[:8]}"
            n = 2
            while slug in entries:
                slug, n = f"{slug}-{n}", n + 1
            status, reason = "version", f"与 {base.sources[0]} 是同一机关同一年度的不同文本，另存为一页"
        entry = Entry(record, slug, [path], [shown])
        if base is not None:
            base.versions.append(entry)
            entry.versions.append(base)
        entries[slug] = entry
        if sha:
            by_sha[sha] = entry
        inputs.append(InputFile(shown, status, reason, entry))
    return Archive(sorted(entries.values(), key=lambda e: e.sort_key), inputs)
