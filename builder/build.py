"""`python -m builder build`: seeds/ → docs/ (generated area) → site/.

The build is a short sequence of named stages, each a plain function:

    collect   every input file, in a stable order (hidden and special files listed, not read)
    parse     ingest + parse + per-report rules, each file once (builder.pipeline.process_many:
              cached, on worker processes that keep the whole records they made)
    validate  across-year findings (builder.validate), when present
    assemble  one entry per report; duplicates and versions accounted for
    tidy      list what the previous build generated (links and odd files there are removed)
    render    report pages (each made by the worker that parsed it) and, meanwhile here, the
              indexes, statistics, bulk downloads, search dictionary; a file whose content
              has not changed is not written again
    prune     remove generated files this build did not write (and nothing else)
    mkdocs    `mkdocs build --strict` into site/
    summary   a short Chinese summary on stderr

Generated files live only under GENERATED (git-ignored); the hand-written
pages (about.md, partials/, assets/) sit beside them and are never touched.
Iteration is sorted and nothing records the time, so two builds of the same
inputs write byte-identical docs/.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import validate as V
from .pipeline import Outcome, Workers, process_many, work_done
from .render import buildreport, downloads, indexes, report, rules, searchdict, stats
from .render.html import esc, front_matter
from .render.model import Archive, Entry, InputFile, assemble

# Everything the build writes under docs/; all of it is listed in .gitignore.
GENERATED = ("index.md", "reports", "browse", "data")
GENERATED_FILES = ("index.md",)  # of GENERATED, the files; the rest are folders
HOME_INTRO = "partials/home-intro.md"
PARSE_CACHE = ".cache/parse"  # under the project root, git-ignored
SEARCH_DICT = "data/search-dict.txt"  # mkdocs.yml: plugins.search.jieba_dict_user


@dataclass
class Result:
    archive: Archive
    unreadable: list[Outcome]
    timings: dict[str, float] = field(default_factory=dict)
    # CPU seconds (user + system) per stage, of this process and of the worker processes it ran
    cpu: dict[str, float] = field(default_factory=dict)
    site_ok: bool | None = None  # None: site not built (--no-site)
    mkdocs_output: str = ""
    render_errors: list[str] = field(default_factory=list)  # Chinese; pages replaced by an error notice
    # CPU seconds of "ingest" and "parse" summed over the worker processes (`timings` are wall
    # seconds per stage), and how many files were "parsed" and how many "cached".
    work: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # Chinese; what went wrong beside the reports (the cache)

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

def collect(seeds: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(files to read, [(path, Chinese reason)] for what is listed but not read), each sorted
    by path. Hidden files and folders (.git, .DS_Store) are skipped by convention; what
    cannot be read safely — a link pointing outside the folder, a pipe or a device (reading
    it could wait forever) — is refused. Folders are walked without following links."""
    if not seeds.is_dir():
        return [], []
    files, skipped = [], []
    folders = [seeds]
    while folders:  # os.scandir: what each entry is comes with the listing, without a stat per file
        here = folders.pop()
        try:
            with os.scandir(here) as listing:
                found = list(listing)
        except OSError:
            skipped.append((here, "无法列出这个文件夹中的文件"))
            continue
        for d in found:
            p = here / d.name
            if d.name.startswith("."):
                skipped.append((p, "隐藏文件夹，其中的文件按约定不读取" if _is(d.is_dir)
                                else "隐藏文件（名称以“.”开头），按约定不读取"))
            elif d.is_dir(follow_symlinks=False):
                folders.append(p)
            elif d.is_symlink() and _is(d.is_dir):
                skipped.append((p, "指向别处的文件夹链接，不跟随读取"))
            elif d.is_symlink() and (inside := _inside(p, seeds)) is not True:
                skipped.append((p, "符号链接指向输入文件夹之外，出于安全考虑不读取" if inside is False
                                else "符号链接无法解析（可能指向自身，形成循环），不读取"))
            elif not _is(d.is_file):
                skipped.append((p, "不是普通文件（可能是管道、设备或失效的链接），无法读取"))
            else:
                files.append(p)
    # Every path starts with the folder's: its text sorts as the part below the folder would.
    return sorted(files, key=str), sorted(skipped, key=lambda t: str(t[0]))


def _is(test) -> bool:
    """A directory entry's test that follows a link (`is_dir`, `is_file`): False when the link
    cannot be followed (a loop, a target that may not be read), as for a dangling one."""
    try:
        return test()
    except OSError:
        return False


def _inside(link: Path, folder: Path) -> bool | None:
    """Whether the link leads into the folder; None when it cannot be followed (a loop)."""
    try:
        link.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
    except (OSError, RuntimeError):
        return None


def parse(files: list[Path], root: Path, progress: Progress, cache: Path | None = None, work: dict | None = None,
          checked: dict | None = None, bodies: dict | None = None, keep: list | None = None,
          saving: list | None = None) -> list[tuple[Path, str, dict | None, str | None]]:
    """Each file ingested and parsed once, on all cores; unchanged files come from the parse cache.
    `work` receives the CPU time and cache counts (`pipeline.work_done`). `checked`, when given,
    receives {id(record): its per-report findings}: the rules run in the worker that read the
    record, so the record crosses between processes once (the validate stage adds the rest).
    `bodies`, when given, receives {id(record): its JSON as parsed}. `keep`, when given, receives
    the worker processes, still running and holding the whole records (`pipeline.Workers`): the
    records come home without the source cells of their figures, and the pages are made there.
    `saving`, when given, receives what writes the parse cache (`pipeline.CacheWriter`; see `save`)."""
    items = [(path, _shown(path, root)) for path in files]
    check = V.validate if checked is not None else None
    outcomes = process_many(items, cache_dir=cache, progress=lambda done: progress.step("解析", done, len(items)),
                            check=check, keep=keep, then=_prepare, saving=saving)
    if work is not None:
        work.update(work_done(outcomes))
    if checked is not None:
        checked.update((id(o.record), o.checked) for o in outcomes if o.record is not None and o.checked is not None)
    if bodies is not None:
        bodies.update((id(o.record), o.body) for o in outcomes if o.record is not None and o.body is not None)
    cached = sum(1 for o in outcomes if o.cached)
    progress.note(f"解析：{len(files)} 个文件" + (f"（{cached} 个来自缓存）" if cached else ""))
    return [(path, shown, o.record, o.error) for (path, shown), o in zip(items, outcomes)]


def save(saving: list) -> list[str]:
    """Wait for the parse cache to be written (while the build went on); why it could not be, if so."""
    return [failure for writer in saving if (failure := writer.wait())]


def validate(records: list[dict], checked: dict | None = None) -> tuple[list, dict, dict]:
    """Write findings into the records: per report (unless `checked`, {id(record): findings},
    already holds them from the parse workers) and across years. Returns the registry
    (rules, families, status labels) for the pages that explain it."""
    V.apply(records, [checked.get(id(r)) for r in records] if checked else None)
    return list(V.RULES), dict(V.FAMILIES), dict(V.STATUS_LABELS)


def tidy(docs: Path) -> set[str]:
    """The plain files the previous build left in the generated area (paths relative to docs/).
    Anything else there — a link, a pipe, a folder where a file belongs — is removed now, so
    the writer only ever meets plain files and folders of its own."""
    found: set[str] = set()
    for name in GENERATED:
        top = docs / name
        if name in GENERATED_FILES:
            if top.is_file() and not top.is_symlink():
                found.add(name)
            elif top.is_symlink() or top.exists():
                _remove(top)  # a folder, a link or a pipe where the file belongs
        elif top.is_dir() and not top.is_symlink():
            found.update(_plain_files(top, name))
        elif top.is_symlink() or top.exists():
            _remove(top)
    return found


def _plain_files(folder: Path, rel: str) -> list[str]:
    """Plain files under `folder` (`rel`: its path relative to docs/); links and special files
    are removed, and so are folders left empty (the writer makes the folders it needs). The
    directory entries say what each one is, without a call per file."""
    out = []
    kept = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink() or not (entry.is_file() or entry.is_dir()):
                os.unlink(entry.path)
            elif entry.is_dir():
                inside = _plain_files(Path(entry.path), f"{rel}/{entry.name}")
                out.extend(inside)
                kept += os.path.isdir(entry.path)
            else:
                out.append(f"{rel}/{entry.name}")
                kept += 1
    if not kept:
        os.rmdir(folder)
    return out


def prune(docs: Path, left: set[str], written: set[str]) -> int:
    """Remove what the previous build left and this one did not write, then the folders that
    leaves empty (`tidy` removed those that were empty already). Returns the number of files removed."""
    gone = sorted(left - written)
    folders: set[str] = set()
    for rel in gone:
        (docs / rel).unlink(missing_ok=True)
        parent = rel.rpartition("/")[0]
        while parent and parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    for rel in sorted(folders, key=lambda f: -f.count("/")):  # the deepest first
        try:
            with os.scandir(docs / rel) as entries:
                if next(entries, None) is None:
                    os.rmdir(docs / rel)
        except FileNotFoundError:  # removed meanwhile
            pass
    return len(gone)


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p)
    else:
        p.unlink()


def render(archive: Archive, docs: Path, progress: Progress, errors: list[str] | None = None,
           left: set[str] | frozenset = frozenset(), workers: Workers | None = None,
           items: dict | None = None, checked: dict | None = None) -> set[str]:
    """Write every generated file; returns their paths (relative to docs/). A file of `left`
    (from the previous build) whose content is unchanged is not written again: on a slow disk
    writing a file costs far more than reading it. A page that fails to render
    (a bug) is replaced by a notice, and the failure is reported in `errors`: one bad page
    must not stop the archive from being published.
    `workers` (from the parse stage, holding the whole records), `items` ({id(record): its
    input number}) and `checked` (as `parse` gives it): each report's files are made by the
    worker that parsed it, while this process makes the index pages and bulk downloads."""
    errors = errors if errors is not None else []
    w = _Writer(docs, left)
    intro_file = docs / HOME_INTRO
    intro = intro_file.read_text(encoding="utf-8") if intro_file.is_file() else "# 政府信息公开工作年度报告开放档案\n"
    report_lines: dict[int, str] = {}  # id(entry) → its lines of reports.csv, findings.csv, when made
    finding_lines: dict[int, str] = {}
    bulk = [  # the index pages and bulk downloads: (file, title, function, arguments)
        (indexes.HOME, "首页", indexes.home, (archive, intro)),
        ("browse/regions.md", "按地区浏览", indexes.regions, (archive,)),
        ("browse/years.md", "按年度浏览", indexes.years, (archive,)),
        ("browse/agencies.md", "机关索引", indexes.agencies, (archive,)),
        ("browse/status.md", "按校验结果浏览", indexes.status, (archive,)),
        ("browse/statistics.md", "统计", stats.page, (archive,)),
        ("browse/downloads.md", "数据下载", downloads.page, (archive,)),
        ("browse/rules.md", "校验规则", rules.page, (archive,)),
        (SEARCH_DICT, "", searchdict.render, (archive,)),
        (downloads.ALL_JSON, "", downloads.all_json, (archive,)),
        # Last: the workers make each report's lines of these two with its page (`downloads.lines_of`).
        (downloads.REPORTS_CSV, "", downloads.reports_csv, (archive, report_lines)),
        (downloads.FINDINGS_CSV, "", downloads.findings_csv, (archive, finding_lines)),
    ]
    n = len(archive.entries)
    if workers is not None and workers.forked and items is not None:
        workers.start(_render_share, _shares(archive, workers, items, checked or {}, docs, left), last=True)
        done: dict[int, list[str]] = {}  # entry number → its failures

        def gather(block: bool) -> None:
            for batch in workers.replies(block):
                for at, failures, lines in batch:
                    done[at] = failures
                    if lines is not None:
                        key = id(archive.entries[at])
                        report_lines[key], finding_lines[key] = lines
                progress.step("生成页面", len(done), n)

        # all.json.gz on a thread of its own: zlib lets go of the interpreter while it compresses,
        # so this process makes the other files meanwhile (it has the most to do). Each file is
        # written as soon as it is made; its failures are listed after the reports'.
        failed: list[str] = []
        with ThreadPoolExecutor(1) as pool:
            packed = pool.submit(_attempt, downloads.all_json, archive)
            for rel, title, fn, args in bulk[:-2]:
                if fn is not downloads.all_json:
                    page(w, failed, rel, title, fn, *args)
                    gather(False)
            rel, title, _fn, _args = next(b for b in bulk if b[2] is downloads.all_json)
            page(w, failed, rel, title, _replay, packed.result())
        gather(True)
        workers.stop()  # they exit while the files below are written
        for rel, title, fn, args in bulk[-2:]:
            page(w, failed, rel, title, fn, *args)
        if len(done) != n:
            raise RuntimeError(f"pages of {n - len(done)} reports were not made")
        for at, e in enumerate(archive.entries):  # in the archive's order, as they would be made here
            w.written.extend(_files(e))  # a failed page is written too, as a notice
            errors.extend(done[at])
        errors.extend(failed)
    else:
        for i, e in enumerate(archive.entries, 1):
            report_files(e, archive, w, errors)
            progress.step("生成页面", i, n)
        for rel, title, fn, args in bulk:
            page(w, errors, rel, title, fn, *args)
    archive.render_errors = list(errors)
    page(w, errors, "browse/build-report.md", "构建报告", buildreport.page, archive)  # last: it lists the errors above
    if workers is not None:
        workers.close()
    written = set(w.written)
    progress.note(f"生成页面：{len(archive.shown)} 份报告（{n} 个页面），共 {len(written)} 个文件")
    return written


def page(w: "_Writer", errors: list[str], rel: str, title: str, fn, *args) -> None:
    """Write `rel` with `fn(*args)`; on an exception, a notice in its place and a line in `errors`."""
    try:
        w.text(rel, fn(*args))
    except Exception as exc:  # noqa: BLE001 — reported, and replaced by a notice page
        errors.append(f"{rel}：生成页面时出现内部错误（{type(exc).__name__}: {exc}），已用说明页代替，请报告此问题")
        if rel.endswith(".md"):
            w.text(rel, front_matter(title) + f'<h1 id="error">{esc(title)}</h1>\n\n<p>生成本页时出现内部错误，'
                   f"请报告此问题：<code>{esc(type(exc).__name__)}: {esc(exc)}</code></p>\n")
        else:
            w.text(rel, f"生成此文件时出现内部错误（{type(exc).__name__}），请报告此问题\n")


def report_files(e: Entry, archive: Archive, w: "_Writer", errors: list[str],
                 raw: bytes | None = None) -> tuple[list[str], list[str]]:
    """One report's page, JSON, CSV and raw text (`_files`); returns the files written and the failures.
    `raw`: the bytes of its file, as they were read. Parts made ahead are in `e.made`."""
    done, failed = len(w.written), len(errors)
    page(w, errors, e.page, e.title, report.render, e, archive)
    page(w, errors, e.json_file, "", downloads.report_json, e)
    if "csv" in e.made:
        w.text(e.csv_file, e.made["csv"])
    else:
        page(w, errors, e.csv_file, "", downloads.report_csv, e)
    if raw is not None:
        w.text(e.raw_file, raw)
    else:
        w.copy(e.raw_file, e.files[0])
    return w.written[done:], errors[failed:]


def _shares(archive: Archive, workers: Workers, items: dict, checked: dict, docs: Path, left) -> dict[int, tuple]:
    """What each worker needs to make the pages of the reports it parsed: those entries (their
    final findings: the records there are whole, but have not been validated across years), the
    other years and texts of the same agencies (another worker's: only what their links show,
    or, for another text of the same year, the record without its cells), the registry, and
    which of their files the previous build left."""
    mine: dict[int, list[int]] = {}
    for at, e in enumerate(archive.entries):
        mine.setdefault(workers.owner(items[id(e.record)]), []).append(at)
    number = {id(e): at for at, e in enumerate(archive.entries)}
    agencies = archive.by_agency()
    out = {}
    for w, ats in mine.items():
        own = set(ats)
        need = sorted({number[id(x)] for at in ats for x in agencies[archive.entries[at].agency_key]})
        versions = {number[id(v)] for at in ats for v in archive.entries[at].versions}
        copies = {}
        for at in need:
            e = archive.entries[at]
            record = None if at in own else e.record if at in versions else _stub(e.record)
            copies[at] = Entry(record, e.slug, e.files, e.sources)
        for at in need:
            e, c = archive.entries[at], copies[at]
            c.versions = [copies[number[id(v)]] for v in e.versions]
            c.primary = copies[number[id(e.primary)]] if e.primary is not None else None
        shown = [copies[at] for at in need]
        where = {at: k for k, at in enumerate(need)}
        jobs = [(where[at], at, items[id(archive.entries[at].record)], _findings(archive.entries[at].record, checked))
                for at in ats]
        files = {f for at in ats for f in _files(archive.entries[at])} & left
        out[w] = (docs, files, archive.rules, archive.families, archive.status_labels, shown, jobs)
    return out


def _findings(record: dict, checked: dict) -> tuple[int, list]:
    """A record's findings as (n, more): the first n are the per-report findings its worker
    worked out (and holds), the rest were added here (across years). Only those travel."""
    found = record.get("findings")
    found = found if isinstance(found, list) else []
    mine = checked.get(id(record))
    n = len(mine) if mine is not None and len(mine) <= len(found) else 0
    if n and any(a is not b for a, b in zip(found, mine)):
        n = 0  # not the worker's findings (validation failed here, say): all of them travel
    return n, found[n:]


def _stub(record: dict) -> dict:
    """What another report's link on a page shows: its agency and year."""
    return {k: record.get(k) for k in ("agency", "agency_in_title", "year")}


def _files(e: Entry) -> tuple[str, ...]:
    return e.page, e.json_file, e.csv_file, e.raw_file


def _render_share(kept: dict, share: tuple, reply) -> None:
    """In a worker: the files of the reports it parsed (see `_shares`), replied in batches of
    (entry number, failures, its lines of the bulk CSV files or None): the files are those of
    `_files`; the lines, of a report the indexes show (`downloads.lines_of`)."""
    docs, left, registry, families, labels, entries, jobs = share
    for k, _at, i, (n, more) in jobs:
        record, body, checked, _data = kept[i]
        record["findings"] = checked[:n] + more if n else list(more)
        entries[k].record, entries[k].body = record, body
        entries[k].made = _MADE.pop(i, {})
    archive = Archive(entries, [], registry, families, labels)
    w = _Writer(docs, left)
    errors: list[str] = []
    batch = []
    for k, at, i, _f in jobs:
        e = entries[k]
        failures = report_files(e, archive, w, errors, kept[i][3])[1]
        batch.append((at, failures, downloads.lines_of(e) if e.primary is None else None))
        if len(batch) == 16:
            reply(batch)
            batch = []
    if batch:
        reply(batch)


# In a worker: what `_prepare` made ahead, by input number.
_MADE: dict[int, dict] = {}


def _prepare(kept: dict) -> None:
    """In a worker that has parsed its share while others still parse (and while the main
    process checks across years and assembles the archive): the parts of its reports' files
    that depend on the record alone — the CSV, the page's prose. The rest of the page depends
    on the findings across years and on the other reports."""
    for i, (record, _body, _checked, _data) in kept.items():
        made = {}
        for name, fn, arg in (("csv", downloads.report_csv, Entry(record, "", [], [])), ("prose", report.prose, record)):
            try:
                made[name] = fn(arg)
            except Exception:  # noqa: BLE001 — made again with the page, where a failure is reported
                pass
        _MADE[i] = made


def _attempt(fn, *args) -> tuple[str | bytes | None, tuple[str, str] | None]:
    """(content, None), or (None, (exception class name, message)): plain values, which travel
    back from a worker process whatever the exception was."""
    try:
        return fn(*args), None
    except Exception as exc:  # noqa: BLE001 — reported by `page` when the file is written
        return None, (type(exc).__name__, str(exc))


def _replay(outcome):
    """The content `_attempt` computed, or the failure it met, raised again under its own name."""
    content, failure = outcome
    if failure is not None:
        name, message = failure
        raise type(name, (Exception,), {})(message)
    return content


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
    for e in a.shown:  # as the status page counts: other texts of a report are not counted twice
        c = e.status_counts()
        fails, warns, unknowns = fails + c["fail"], warns + c["warn"], unknowns + c["unknown"]
        fail_reports += bool(c["fail"])
        warn_reports += bool(c["warn"])
    dup = sum(1 for i in a.inputs if i.status == "duplicate")
    alt = sum(1 for i in a.inputs if i.status == "version")
    ignored = [i for i in a.inputs if i.status == "ignored"]
    extra = "，".join(x for x in (f"{dup} 个重复文件已合并" if dup else "",
                                  f"另有 {alt} 个同一机关同一年度的其他文本单独成页" if alt else "") if x)
    lines = [f"构建完成：{len(a.inputs)} 个输入文件，收录 {len(a.shown)} 份报告"
             + (f"（{extra}）" if extra else "") + f"，无法读取 {len(result.unreadable)} 个"
             + (f"，忽略 {len(ignored)} 个" if ignored else "") + "。"]
    if a.rules:
        lines.append(f"校验：错误 {fails} 项（{fail_reports} 份报告），警告 {warns} 项（{warn_reports} 份报告），"
                     f"无法核对 {unknowns} 项。")
    else:
        lines.append("校验：未完成（校验模块出错，见上方说明），报告页面不显示校验结果。")
    for o in result.unreadable:
        lines.append(f"  无法读取：{o.error}")
    for i in ignored:
        lines.append(f"  忽略：{i.path}：{i.reason}")
    for err in result.render_errors:
        lines.append(f"  页面出错：{err}")
    for note in result.notes:
        lines.append(f"  注意：{note}")
    lines.append("每个输入文件的处理结果见构建报告（browse/build-report.md）。")
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
    cpu: dict[str, float] = {}

    def timed(name, fn, *args):
        t, c = time.perf_counter(), _cpu()
        value = fn(*args)
        timings[name], cpu[name] = time.perf_counter() - t, _cpu() - c
        return value

    files, skipped = timed("collect", collect, seeds_dir)
    work: dict = {}
    checked: dict = {}
    bodies: dict = {}
    keep: list = []
    saving: list = []
    try:
        parsed = timed("parse", parse, files, root, progress, root / PARSE_CACHE if use_cache else None, work,
                       checked, bodies, keep, saving)
        records = [rec for _p, _s, rec, _e in parsed if rec is not None]
        registry = timed("validate", _validate_safely, records, stream, checked)
        for writer in saving:  # nothing forks after the validate stage
            writer.start()
        archive = timed("assemble", assemble, parsed, bodies)
        archive.inputs.extend(InputFile(_shown(p, root), "ignored", why) for p, why in skipped)
        archive.rules, archive.families, archive.status_labels = registry
        left = timed("tidy", tidy, docs)
        render_errors: list[str] = []
        items = {id(rec): i for i, (_p, _s, rec, _e) in enumerate(parsed) if rec is not None}
        written = timed("render", render, archive, docs, progress, render_errors, left, keep[0] if keep else None,
                        items, checked)
    finally:
        for workers in keep:
            workers.close()
        notes = timed("save", save, saving)
    timed("prune", prune, docs, left, written)
    unreadable = [Outcome(s, None, err) for _p, s, rec, err in parsed if rec is None]
    result = Result(archive, unreadable, timings, cpu, render_errors=render_errors, work=work, notes=notes)
    if make_site:
        progress.note("MkDocs：正在构建网站……")
        ok, output = timed("mkdocs", mkdocs, root, site_dir)
        result.site_ok, result.mkdocs_output = ok, output
    if not quiet:
        summary(result, root, site_dir if make_site else None, stream)
    return result


def _cpu() -> float:
    """CPU seconds so far of this process and of its finished children (the worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _validate_safely(records: list[dict], stream, checked: dict | None = None) -> tuple[list, dict, dict]:
    try:
        return validate(records, checked)
    except Exception as exc:  # a validator bug must not stop the archive from being published
        stream.write(f"校验模块出错，本次构建不显示校验结果（{type(exc).__name__}: {exc}）\n")
        for r in records:
            r["findings"] = []
        return [], {}, {}


def _shown(path: Path, root: Path) -> str:
    """A file's name as readers see it: relative to the project, printable. Bytes that are not
    UTF-8 show as U+FFFD and control characters (a line break in a name) as \\n, \\x01…, so
    a name can neither break a page's layout nor fail to be written."""
    s = os.path.abspath(path)  # links are not followed: the name is the one in seeds/
    top = os.path.join(str(root), "")  # with one trailing separator
    if s.startswith(top):
        s = s[len(top):]
    elif s == str(root):
        s = "."
    s = s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _NAME_CONTROL.sub(lambda m: repr(m.group())[1:-1], s)


_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# Every file is created new (O_EXCL): a link planted in the generated area after `tidy` is
# refused, never followed, and a file with another name elsewhere (a hard link) is never
# written through. O_NOFOLLOW as well, for systems where O_EXCL alone would follow a link.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


class _Writer:
    """Writes generated files under docs/; paths come from slugs and fixed names only.
    `left`: the files already there (see `tidy`); one with the same content is left alone.
    Plain string paths and os.open: a report writes four files, and path objects and file
    objects cost more than the writing itself."""

    def __init__(self, docs: Path, left: set[str] | frozenset = frozenset()):
        self.docs = docs.resolve()
        self.left = left
        self.written: list[str] = []
        self._folders: dict[str, str] = {}  # folder (as in `rel`) inside the generated area → resolved and made

    def _target(self, rel: str) -> str:
        parent, _, name = rel.rpartition("/")
        folder = self._folders.get(parent)
        path = f"{folder}/{name}" if folder is not None and name not in ("", ".", "..") else self._checked(rel, parent)
        self.written.append(rel)
        return path

    def _checked(self, rel: str, parent: str) -> str:
        target = (self.docs / rel).resolve()
        if rel.split("/", 1)[0] not in GENERATED or self.docs not in target.parents:
            raise ValueError(f"refusing to write outside the generated area: {rel!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = (self.docs / parent).resolve()
        if parent and self.docs in folder.parents:
            self._folders[parent] = str(folder)
        return str(target)

    def _unchanged(self, rel: str, path: str, data: bytes) -> bool:
        if rel not in self.left:
            return False
        try:
            with open(path, "rb") as f:
                return f.read() == data
        except OSError:
            return False

    def text(self, rel: str, content: str | bytes) -> None:
        self._put(rel, content if isinstance(content, bytes) else content.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> None:
        try:
            data = source.read_bytes()
        except OSError as exc:  # the file vanished after it was read: say so in its place
            data = f"原始文件已无法读取（{exc.strerror or exc}）\n".encode("utf-8")
        self._put(rel, data)

    def _put(self, rel: str, data: bytes) -> None:
        path = self._target(rel)
        if self._unchanged(rel, path, data):
            return
        try:
            _create(path, data)
        except FileExistsError:  # the previous build's file (or this build's, written again)
            os.unlink(path)
            _create(path, data)


def _create(path: str, data: bytes) -> None:
    fd = os.open(path, _CREATE, 0o666)  # the mode the umask leaves, as open() gives
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
