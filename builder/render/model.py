"""The archive as the pages see it: one entry per published report, every input accounted for.

Page and file names come only from `Entry.slug`, which is the record's id when
that is a safe slug, or a hash otherwise. Two inputs never share a page
silently: identical bytes collapse into one entry that names every source;
different texts of one agency·year are versions of each other. Each keeps its
own page, the indexes show one of them (the primary, chosen by `PRIMARY_RULE`
from the content, so renaming a file does not change it) and every version
says how it differs from the others.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType

from .. import recordjson
from .. import template as T
from ..slug import pinyin
from .html import is_safe_slug

UNKNOWN_REGION = "地区未知"


@dataclass
class Entry:
    """One report as the archive shows it. Its record must not change once the archive is
    assembled: the record's JSON, its figures and its findings are worked out once (cached
    properties below) and shared by its page, its downloads, the indexes and the statistics."""
    record: dict
    slug: str
    files: list[Path]  # every input file with exactly these bytes (the first is copied as the raw text)
    sources: list[str]  # the same files as shown to readers (relative to the project)
    versions: list["Entry"] = field(default_factory=list)  # other texts of the same agency·year
    primary: "Entry | None" = None  # the version the indexes show; None when this is it
    # The record's JSON as parsed (`pipeline.Outcome.body`), when the parse stage sent it: the
    # record may have come without the source cells of its figures (they are in its JSON).
    body: bytes | None = field(default=None, repr=False)
    # Parts of its files made ahead from the record alone, by name (`build._prepare`).
    made: dict = field(default_factory=dict, repr=False, compare=False)

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

    # Read from the record alone (which does not change once the archive is assembled), and
    # asked for by every index: read once.
    @cached_property
    def agency(self) -> str:
        return self.record.get("agency") or self.record.get("agency_in_title") or "未识别的机关"

    @property
    def agency_key(self) -> str:
        """Groups the reports of one agency; a report whose agency is unknown stands alone."""
        return self.record.get("agency") or "\0" + self.slug

    @cached_property
    def year(self) -> int | None:
        y = self.record.get("year")
        return y if isinstance(y, int) else None

    @property
    def year_text(self) -> str:
        return f"{self.year}年" if self.year else "年份不详"

    @property
    def title(self) -> str:
        base = f"{self.agency} {self.year_text}政府信息公开工作年度报告"
        return base if self.primary is None else base + "（另一文本）"

    @property
    def figures(self) -> int:
        """How many figures were read (non-null cells)."""
        return sum(1 for t in (self.record.get("tables") or {}).values() if isinstance(t, dict)
                   for row in t.values() if isinstance(row, dict)
                   for v in row.values() if v is not None)

    @cached_property
    def region(self) -> dict | None:
        r = self.record.get("region")
        return r if isinstance(r, dict) and r.get("province") else None

    # The findings are final once the archive is assembled (validation runs first): the pages
    # ask for them again and again, so they are read once.
    @cached_property
    def findings(self) -> list[dict]:
        return [f for f in self.record.get("findings") or [] if isinstance(f, dict)]

    @cached_property
    def _counts(self) -> Mapping[str, int]:
        out = {"pass": 0, "warn": 0, "fail": 0, "unknown": 0}
        for f in self.findings:
            if f.get("status") in out:
                out[f["status"]] += 1
        return MappingProxyType(out)  # read-only: shared by every caller, not copied per call

    def status_counts(self) -> Mapping[str, int]:
        """How many findings of each status (read-only)."""
        return self._counts

    @property
    def status(self) -> str:
        """Worst status: fail > warn > unknown > pass; "none" when nothing was checked."""
        c = self._counts
        for s in ("fail", "warn", "unknown", "pass"):
            if c[s]:
                return s
        return "none"

    @property
    def sort_key(self) -> tuple:
        return (pinyin(self.agency), self.agency, -(self.year or 0), self.slug)

    # Read once and shared by the pages and files that need them.
    @cached_property
    def json_bytes(self) -> bytes:
        """The record as compact JSON on one line, UTF-8: its own download (and all.json.gz)."""
        return b"".join(self.json_pieces())

    def json_pieces(self) -> tuple:
        """`json_bytes` in pieces (bytes-like), for all.json.gz to compress one by one without
        first copying every report's JSON into one buffer. The JSON sent from the parse stage
        is reused: only the findings are new since."""
        made = self.__dict__.get("json_bytes")
        if made is not None:
            return (made,)
        body = self.body
        if body is not None and body.endswith(_NO_FINDINGS):
            head = memoryview(body)[:len(body) - len(_NO_FINDINGS) + len(_FINDINGS)]
            return head, recordjson.dumps(self.record.get("findings")), b"}"
        return (recordjson.dumps(self.record),)

    @cached_property
    def cell_values(self) -> tuple:
        """The figure at each of `template.all_cell_paths()`, None unless a number (a bool is not)."""
        tables = self.record.get("tables") or {}
        out: list = []
        for figures in _ALL_CELLS:
            values = (tables.get(figures.table) or {}).get(figures.row)
            if not values:  # a row of the other template, or not read: every figure unknown
                out.extend((None,) * len(figures.keys))
                continue
            try:
                got = figures.values(values)
            except (KeyError, TypeError):  # a figure missing from the record: one by one
                got = tuple(values.get(k) for k in figures.keys)
            if {*map(type, got)} <= _NUMBER:  # the usual row: every figure read
                out.extend(got)
            else:
                out.extend(v if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in got)
        return tuple(out)


class RowFigures:
    """Figures of one table row (by default all of them), worked out once from the template: their
    field keys and dotted paths, and getters of all their values, or all their source cells
    (`record["cells"]`), as a tuple in one call (KeyError when one is missing)."""

    def __init__(self, table: str, row: str, keys: tuple[str, ...], paths: tuple[str, ...] | None = None):
        self.table, self.row, self.keys = table, row, keys
        self.paths = paths or tuple(f"{table}.{row}.{k}" for k in keys)
        self.values = getter(keys)
        self.cells = getter(self.paths)


def getter(keys: tuple[str, ...]):
    """d → (d[k] for k in keys) as a tuple, in one call (KeyError when one is missing)."""
    if len(keys) > 1:
        return itemgetter(*keys)
    return lambda d: tuple(d[k] for k in keys)  # itemgetter of one key gives the value, not a tuple


_ROW_FIGURES = {(t, r): RowFigures(t, r, *fields) for (t, r), fields in T.ROW_FIELDS.items()}


def row_figures(table: str, row: T.Row) -> RowFigures:
    return _ROW_FIGURES.get((table, row.key)) or RowFigures(table, row.key, tuple(f.key for f in row.fields))


def _all_cells() -> tuple[RowFigures, ...]:
    """`template.all_cell_paths()` as runs of figures of one row each."""
    runs: list[tuple[str, str, list[str]]] = []
    for path, _row, _f in T.all_cell_paths():
        table, row, key = path.split(".")
        if runs and runs[-1][:2] == (table, row):
            runs[-1][2].append(key)
        else:
            runs.append((table, row, [key]))
    return tuple(RowFigures(t, r, tuple(ks)) for t, r, ks in runs)


_ALL_CELLS = _all_cells()
_FINDINGS = b'"findings":'
_NO_FINDINGS = _FINDINGS + b"[]}"  # how a record's JSON ends before validation (findings come last)
_NUMBER = {int, float}
LINE = itemgetter("line")  # a source cell's line


@dataclass
class InputFile:
    path: str  # as shown (relative to the project)
    status: str  # "ok", "duplicate", "version", "error", "ignored"
    reason: str = ""  # Chinese
    entry: Entry | None = None


@dataclass
class Archive:
    entries: list[Entry]  # every page, sorted: agency pinyin, newest year first, primary before its versions
    inputs: list[InputFile]  # every input file, in input order
    rules: list = field(default_factory=list)  # validator registry, empty when unavailable
    families: dict = field(default_factory=dict)
    status_labels: dict = field(default_factory=dict)
    render_errors: list[str] = field(default_factory=list)  # Chinese, from the build (listed on the build report)
    _agencies: dict | None = field(default=None, repr=False)

    @property
    def shown(self) -> list[Entry]:
        """The entries the indexes, statistics and bulk downloads count: one per agency·year
        (the other versions are reached from its page, and are not counted twice)."""
        return [e for e in self.entries if e.primary is None]

    def by_agency(self) -> dict[str, list[Entry]]:
        """Every page of each agency, versions included (a report page links them all)."""
        if self._agencies is None:  # computed once: report pages ask for it one by one
            self._agencies = {}
            for e in self.entries:
                self._agencies.setdefault(e.agency_key, []).append(e)
        return self._agencies

    def by_year(self) -> dict[int | None, list[Entry]]:
        out: dict[int | None, list[Entry]] = {}
        for e in sorted(self.shown, key=lambda e: (-(e.year or 0), e.sort_key)):
            out.setdefault(e.year, []).append(e)
        return out

    def newest(self, n: int) -> list[Entry]:
        """Latest year first, then latest publication date; ties keep the index order (stable sort)."""
        return sorted(self.shown, key=lambda e: (e.year or 0, e.record.get("published") or ""),
                      reverse=True)[:n]


def _slug_for(record: dict) -> str:
    rid = str(record.get("id") or "")
    if is_safe_slug(rid):
        return rid
    sha = str((record.get("source") or {}).get("sha256") or "")
    digest = "".join(c for c in sha.lower() if c in "0123456789abcdef")[:12]
    return f"report-{digest or 'unknown'}"


PRIMARY_RULE = ("同一机关同一年度有几个不同文本时，本站按以下顺序选定在索引中显示的主文本：读出的数字较多者；"
                "校验错误较少者；发布日期较晚者；以上都相同时，取来源文件路径按字母排序在前者。")


def _primary_key(e: Entry, order: int) -> tuple:
    """Smaller is preferred; see PRIMARY_RULE. Content first, so renaming a file changes nothing
    unless the texts are equal in every respect that matters."""
    return (-e.figures, e.status_counts()["fail"], _negated(e.record.get("published") or ""), order)


def _negated(s: str) -> tuple:
    return tuple(-ord(c) for c in s) + (1,)  # later dates sort first; a missing date last


def assemble(parsed: list[tuple[Path, str, dict | None, str | None]], bodies: dict | None = None) -> Archive:
    """(file, shown path, record or None, Chinese error) in input order → the archive.
    `bodies`: {id(record): its JSON as parsed} from the parse stage (`Entry.body`)."""
    bodies = bodies or {}
    by_sha: dict[str, Entry] = {}
    created: list[Entry] = []
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
            inputs.append(InputFile(shown, "duplicate", f"与 {first.sources[0]} 内容完全相同（SHA-256 一致），"
                                                         "合并为同一页，页面上列出了每个来源文件", first))
            continue
        entry = Entry(record, "", [path], [shown], body=bodies.get(id(record)))
        created.append(entry)
        if sha:
            by_sha[sha] = entry
        inputs.append(InputFile(shown, "ok", "", entry))

    # Versions: the same agency and year, different texts. Without both, nothing can be a version.
    groups: dict[object, list[int]] = {}
    for i, e in enumerate(created):
        key = (e.record.get("agency"), e.year) if e.record.get("agency") and e.year else ("#", i)
        groups.setdefault(key, []).append(i)
    taken: set[str] = set()
    for members in groups.values():  # in input order of each group's first text
        ranked = sorted(members, key=lambda i: _primary_key(created[i], i)) if len(members) > 1 else members
        primary = created[ranked[0]]
        primary.slug = _unique(_slug_for(primary.record), primary, taken)
        for i in ranked[1:]:
            alt = created[i]
            alt.primary = primary
            alt.slug = _unique(f"{primary.slug}-{_sha(alt)[:8] or 'x'}", alt, taken)
        group = [created[i] for i in ranked]
        for e in group:
            e.versions = [v for v in group if v is not e]
    for item in inputs:
        e = item.entry
        if item.status != "ok" or e is None or not e.versions:
            continue
        if e.primary is None:
            others = "、".join(v.sources[0] for v in e.versions)
            item.reason = f"同一机关同一年度还有不同的文本：{others}。本文本为主文本，在索引中显示"
        else:
            item.status = "version"
            item.reason = (f"与 {e.primary.sources[0]} 是同一机关同一年度的不同文本；本站以后者为主文本，"
                           "本文本另存一页，并注明两者的差别")
    return Archive(sorted(created, key=lambda e: (*_group_key(e), e.primary is not None, e.slug)), inputs)


def _group_key(e: Entry) -> tuple:
    p = e.primary or e
    return p.sort_key


def _sha(e: Entry) -> str:
    sha = str((e.record.get("source") or {}).get("sha256") or "")
    return "".join(c for c in sha.lower() if c in "0123456789abcdef")


def _unique(slug: str, entry: Entry, taken: set[str]) -> str:
    """The slug, or — when another report already has it (two agencies whose names read
    alike in pinyin) — the slug with this text's hash, then a counter."""
    if slug in taken:
        slug = f"{slug}-{_sha(entry)[:8] or 'x'}"
    base, n = slug, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
