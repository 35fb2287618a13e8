"""`python -m builder build`: seeds/ → docs/ (generated area) → site/.

The build is a short sequence of named stages, each a plain function:

    collect   every input file, in a stable order
    parse     ingest + parse each file once (builder.pipeline.process_many: cached, parallel)
    validate  per-report and across-year findings (builder.validate), when present
    assemble  one entry per report; duplicates and versions accounted for
    clean     remove the previous generated area (and nothing else)
    render    report pages, indexes, statistics, downloads, search dictionary
    mkdocs    `mkdocs build --strict` into site/
    summary   a short Chinese summary on stderr

Generated files live only under GENERATED (git-ignored); the hand-written
pages (about.md, partials/, assets/) sit beside them and are never touched.
Iteration is sorted and nothing records the time, so two builds of the same
inputs write byte-identical docs/.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .pipeline import Outcome, input_files, process_many
from .render import buildreport, downloads, indexes, report, rules, searchdict, stats
from .render.model import Archive, assemble

# Everything the build writes under docs/; all of it is listed in .gitignore.
GENERATED = ("index.md", "reports", "browse", "data")
HOME_INTRO = "partials/home-intro.md"
PARSE_CACHE = ".cache/parse"  # under the project root, git-ignored
SEARCH_DICT = "data/search-dict.txt"  # mkdocs.yml: plugins.search.jieba_dict_user


@dataclass
class Result:
    archive: Archive
    unreadable: list[Outcome]
    timings: dict[str, float] = field(default_factory=dict)
    site_ok: bool | None = None  # None: site not built (--no-site)
    mkdocs_output: str = ""

    @property
    def exit_code(self) -> int:
        return 1 if self.site_ok is False else 0


class Progress:
    """A hand-written progress bar on stderr; on a non-terminal, one line per stage."""

    def __init__(self, stream, enabled: bool = True):
        self.stream = stream
        self.enabled = enabled
        self.tty = enabled and hasattr(stream, "isatty") and stream.isatty()

    def step(self, label: str, done: int, total: int) -> None:
        if not self.tty or total <= 0:
            return
        if done != total and done % max(1, total // 100):
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        if self.enabled and not self.tty:
            self.stream.write(text + "\n")
            self.stream.flush()


# ------------------------------------------------------------------ stages

def collect(seeds: Path) -> list[Path]:
    return input_files(seeds) if seeds.is_dir() else []


def parse(files: list[Path], root: Path, progress: Progress, cache: Path | None = None
          ) -> list[tuple[Path, str, dict | None, str | None]]:
    """Each file ingested and parsed once, on all cores; unchanged files come from the parse cache."""
    items = [(path, _shown(path, root)) for path in files]
    outcomes = process_many(items, cache_dir=cache, progress=lambda done: progress.step("解析", done, len(items)))
    cached = sum(1 for o in outcomes if o.cached)
    progress.note(f"解析：{len(files)} 个文件" + (f"（{cached} 个来自缓存）" if cached else ""))
    return [(path, shown, o.record, o.error) for (path, shown), o in zip(items, outcomes)]


def validate(records: list[dict]) -> tuple[list, dict, dict]:
    """Write findings into the records. Returns the registry (rules, families, status labels),
    empty when the validator is not installed."""
    try:
        from . import validate as V
    except ImportError:
        return [], {}, {}
    if not hasattr(V, "RULES"):
        return [], {}, {}
    if hasattr(V, "apply"):
        V.apply(records)
    else:
        for r in records:
            r["findings"] = list(V.validate(r))
        across = V.validate_across(records)
        for r in records:
            r["findings"].extend(across.get(r.get("id"), []))
    return list(V.RULES), dict(getattr(V, "FAMILIES", {})), dict(getattr(V, "STATUS_LABELS", {}))


def clean(docs: Path) -> None:
    for name in GENERATED:
        p = docs / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def render(archive: Archive, docs: Path, progress: Progress) -> int:
    """Write every generated file; returns the number written."""
    w = _Writer(docs)
    intro_file = docs / HOME_INTRO
    intro = intro_file.read_text(encoding="utf-8") if intro_file.is_file() else "# 政府信息公开工作年度报告开放档案\n"
    n = len(archive.entries)
    for i, e in enumerate(archive.entries, 1):
        w.text(e.page, report.render(e, archive))
        w.text(e.json_file, downloads.report_json(e))
        w.text(e.csv_file, downloads.report_csv(e))
        w.copy(e.raw_file, e.files[0])
        progress.step("生成页面", i, n)
    w.text(indexes.HOME, indexes.home(archive, intro))
    w.text("browse/regions.md", indexes.regions(archive))
    w.text("browse/years.md", indexes.years(archive))
    w.text("browse/agencies.md", indexes.agencies(archive))
    w.text("browse/status.md", indexes.status(archive))
    w.text("browse/statistics.md", stats.page(archive))
    w.text("browse/downloads.md", downloads.page(archive))
    w.text("browse/rules.md", rules.page(archive))
    w.text("browse/build-report.md", buildreport.page(archive))
    w.text(downloads.ALL_JSON, downloads.all_json(archive))
    w.text(downloads.REPORTS_CSV, downloads.reports_csv(archive))
    w.text(downloads.FINDINGS_CSV, downloads.findings_csv(archive))
    w.text(SEARCH_DICT, searchdict.render(archive))
    progress.note(f"生成页面：{n} 份报告，共 {w.count} 个文件")
    return w.count


def mkdocs(root: Path, site: Path) -> tuple[bool, str]:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
           "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site)]
    env = dict(os.environ, PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env)
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def summary(result: Result, root: Path, site: Path | None, stream) -> None:
    a = result.archive
    fails = warns = unknowns = 0
    fail_reports = warn_reports = 0
    for e in a.entries:
        c = e.status_counts()
        fails, warns, unknowns = fails + c["fail"], warns + c["warn"], unknowns + c["unknown"]
        fail_reports += bool(c["fail"])
        warn_reports += bool(c["warn"])
    dup = sum(1 for i in a.inputs if i.status == "duplicate")
    lines = [f"构建完成：{len(a.inputs)} 个输入文件，收录 {len(a.entries)} 份报告"
             + (f"（{dup} 个重复文件已合并）" if dup else "") + f"，无法读取 {len(result.unreadable)} 个。"]
    if a.rules:
        lines.append(f"校验：错误 {fails} 项（{fail_reports} 份报告），警告 {warns} 项（{warn_reports} 份报告），"
                     f"无法核对 {unknowns} 项。")
    else:
        lines.append("校验：未启用（没有找到校验模块）。")
    for o in result.unreadable:
        lines.append(f"  无法读取：{o.error}")
    total = sum(result.timings.values())
    where = f"页面已写入 {_shown(root / 'docs', root)}/"
    if result.site_ok is True:
        where += f"，网站已生成到 {_shown(site, root)}/"
    elif result.site_ok is False:
        where += "，但 MkDocs 构建网站失败：\n" + result.mkdocs_output
    lines.append(f"{where}（用时 {total:.1f} 秒）。")
    stream.write("\n".join(lines) + "\n")
    stream.flush()


# ------------------------------------------------------------------ driver

def run(root: str | Path = ".", seeds: str | Path | None = None, site: str | Path | None = None,
        make_site: bool = True, stream=None, quiet: bool = False, use_cache: bool = True) -> Result:
    stream = stream if stream is not None else sys.stderr
    root = Path(root).resolve()
    seeds_dir = Path(seeds).resolve() if seeds else root / "seeds"
    site_dir = Path(site).resolve() if site else root / "site"
    docs = root / "docs"
    progress = Progress(stream, enabled=not quiet)
    timings: dict[str, float] = {}

    def timed(name, fn, *args):
        t = time.perf_counter()
        value = fn(*args)
        timings[name] = time.perf_counter() - t
        return value

    files = timed("collect", collect, seeds_dir)
    parsed = timed("parse", parse, files, root, progress, root / PARSE_CACHE if use_cache else None)
    records = [rec for _p, _s, rec, _e in parsed if rec is not None]
    registry = timed("validate", _validate_safely, records, stream)
    archive = timed("assemble", assemble, parsed)
    archive.rules, archive.families, archive.status_labels = registry
    timed("clean", clean, docs)
    timed("render", render, archive, docs, progress)
    unreadable = [Outcome(s, None, err) for _p, s, rec, err in parsed if rec is None]
    result = Result(archive, unreadable, timings)
    if make_site:
        progress.note("MkDocs：正在构建网站……")
        ok, output = timed("mkdocs", mkdocs, root, site_dir)
        result.site_ok, result.mkdocs_output = ok, output
    if not quiet:
        summary(result, root, site_dir if make_site else None, stream)
    return result


def _validate_safely(records: list[dict], stream) -> tuple[list, dict, dict]:
    try:
        return validate(records)
    except Exception as exc:  # a validator bug must not stop the archive from being published
        stream.write(f"校验模块出错，本次构建不显示校验结果（{type(exc).__name__}: {exc}）\n")
        for r in records:
            r["findings"] = []
        return [], {}, {}


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class _Writer:
    """Writes generated files under docs/; paths come from slugs and fixed names only."""

    def __init__(self, docs: Path):
        self.docs = docs.resolve()
        self.count = 0

    def _target(self, rel: str) -> Path:
        target = (self.docs / rel).resolve()
        top = rel.split("/", 1)[0]
        if top not in GENERATED or self.docs not in target.parents:
            raise ValueError(f"refusing to write outside the generated area: {rel!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        self.count += 1
        return target

    def text(self, rel: str, content: str | bytes) -> None:
        self._target(rel).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> None:
        shutil.copyfile(source, self._target(rel))
