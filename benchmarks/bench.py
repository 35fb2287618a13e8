"""Build synthetic archives of several sizes and measure them: `python benchmarks/bench.py`.

For each N (default 500, 1000, 2000) it writes N synthetic reports
(`python -m builder synth`), builds the site from a cold cache in a fresh
process, and prints:

- time per stage: ingest and parse (CPU seconds summed over the worker
  processes, and the wall time of the two together), validate, render, MkDocs;
- the work before MkDocs in milliseconds per report per core (wall time × cores / N), and
  its CPU time (user + system, of the build process and its worker processes) per report;
- site bytes and search-index bytes per report;
- the time until Material's search answers in headless Chromium: from the
  start of navigation to the home page until the first result of a typed
  query is listed (median of several fresh browser contexts);

then, at the middle size, the incremental case (one report added: how many
files were parsed and how many came from the cache), and how build time and
site size grow from N to 2N.

It is a script, not a test: timings depend on the machine. Everything it
writes goes under --work (default /dev/shm/xxgk-bench: in memory, see main()).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from builder.build import GENERATED  # noqa: E402
from builder.synth import generate, write  # noqa: E402

HOOKS = "builder/render/mkdocs_hooks.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# The interpreter the builds run on (--python). It matters: on this machine Debian's python3.11
# (built with profile-guided optimisation, as CPython is for GitHub Actions' setup-python) took
# 5–22 % less time before MkDocs, in alternating runs, than pyenv's CPython (compiled without it).
PYTHON = sys.executable
# How fast the machine is at the moment: this one's speed varies by a third from hour to hour
# (other work on the host), so each run records a fixed piece of pure-Python work beside its figures.
CALIBRATE = "import time\nt = time.process_time()\ns = 0\nfor i in range(5_000_000):\n    s += i\nprint(time.process_time() - t)"
PRE_MKDOCS = ("collect", "parse", "validate", "assemble", "tidy", "render", "save", "prune")

# Runs in a fresh interpreter, so each build starts cold (no imports, no warm caches in memory).
BUILD = """
import time
t = time.perf_counter()
import io, json, sys
from builder import build
imports = time.perf_counter() - t
r = build.run(sys.argv[1], stream=io.StringIO(), quiet=True, make_site=sys.argv[2] == "site")
print(json.dumps({"timings": r.timings, "cpu": r.cpu, "work": r.work, "site_ok": r.site_ok, "imports": imports,
                  "reports": len(r.archive.entries), "mkdocs": r.mkdocs_output[-2000:]}))
"""


def project(where: Path, count: int, seed: int) -> Path:
    """A project copy (mkdocs.yml, hand-written docs, hooks) with `count` synthetic reports."""
    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(REPO / "docs", where / "docs",
                    ignore=lambda d, names: [n for n in names if Path(d) == REPO / "docs" and n in GENERATED])
    (where / HOOKS).parent.mkdir(parents=True)
    shutil.copy(REPO / HOOKS, where / HOOKS)
    write(count, where / "seeds", seed=seed, seeds=REPO / "seeds")
    return where


def build(root: Path, cache: bool, site: bool = True) -> dict:
    """One build in a fresh interpreter; `cache=False`: a cold build (the parse cache and the
    generated pages are removed first, as before the first build); `site=False`: without MkDocs."""
    if not cache:
        shutil.rmtree(root / ".cache", ignore_errors=True)
        for name in GENERATED:
            p = root / "docs" / name
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    # The files written and removed before (the synthetic seeds, the previous size's project)
    # are flushed to the disk first: the build is timed, not the disk catching up with them.
    os.sync()
    t = time.perf_counter()
    proc = subprocess.run([PYTHON, "-c", BUILD, str(root), "site" if site else "no-site"],
                          capture_output=True, text=True, env=env, cwd="/")
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if site and not out["site_ok"]:
        raise SystemExit(f"MkDocs failed in {root}:\n{out['mkdocs']}")
    out["total"] = time.perf_counter() - t
    return out


def calibrate(runs: int = 5) -> float:
    """Milliseconds of CPU for a fixed loop of 5,000,000 additions on the build interpreter (best of `runs`)."""
    return min(float(subprocess.run([PYTHON, "-c", CALIBRATE], capture_output=True, text=True, check=True).stdout)
               for _ in range(runs)) * 1000


def sizes(site: Path) -> tuple[int, int]:
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return total, (site / "search" / "search_index.json").stat().st_size


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def search_ready(site: Path, query: str, runs: int) -> list[float]:
    """Seconds from navigation to the first listed result of `query`, once per fresh browser context."""
    from playwright.sync_api import sync_playwright

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}/"
    out = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                t = time.perf_counter()
                page.goto(base, wait_until="domcontentloaded")
                page.click("input.md-search__input")
                page.keyboard.type(query)
                page.keyboard.press("End")  # typed text fires no keyup; Material's search listens for one
                page.wait_for_selector(".md-search-result__item a", timeout=120_000)
                out.append(time.perf_counter() - t)
                ctx.close()
            browser.close()
    finally:
        srv.shutdown()
        srv.server_close()
    return out


def _per_report_core(b: dict, n: int) -> float:
    return sum(b["timings"].get(k, 0.0) for k in PRE_MKDOCS) * (os.cpu_count() or 1) / n * 1000


def measure(n: int, work: Path, seed: int, runs: int, browser: bool, repeat: int) -> dict:
    root = project(work / f"n{n}", n, seed)
    first = next(iter(generate(1, seed, REPO / "seeds")))
    b = build(root, cache=False)
    t = b["timings"]
    site_bytes, index_bytes = sizes(root / "site")
    pre = sum(t.get(k, 0.0) for k in PRE_MKDOCS)
    # The same cold build again without MkDocs, a few times: on a shared machine one build's
    # time before MkDocs can be off by a fifth either way.
    again = [build(root, cache=False, site=False) for _ in range(repeat)]
    row = {
        "n": n, "reports": b["reports"],
        "ingest_cpu": b["work"].get("ingest", 0.0), "parse_cpu": b["work"].get("parse", 0.0),
        "ingest_parse_wall": t["parse"], "validate": t["validate"], "render": t["render"],
        "other": t["collect"] + t["assemble"] + t["tidy"] + t.get("save", 0.0) + t["prune"], "pre_mkdocs": pre,
        "mkdocs": t["mkdocs"],
        "total": b["total"], "ms_per_report_core": pre * (os.cpu_count() or 1) / n * 1000,
        "ms_per_report_core_again": [_per_report_core(x, n) for x in again], "imports": b["imports"],
        "cpu_ms_per_report": sum(b["cpu"].get(k, 0.0) for k in PRE_MKDOCS) / n * 1000,
        "site_bytes": site_bytes, "index_bytes": index_bytes,
        "query": first.agency.core,
    }
    if browser:
        row["search_ready"] = search_ready(root / "site", first.agency.core, runs)
    return row


def incremental(n: int, work: Path, seed: int) -> dict:
    """After a cold build of n reports, add report n+1 and build again with the cache."""
    root = work / f"n{n}"
    new = list(generate(n + 1, seed, REPO / "seeds"))[-1]
    (root / "seeds" / new.name).write_bytes(new.data)
    b = build(root, cache=True)
    (root / "seeds" / new.name).unlink()
    return {"parsed": b["work"]["parsed"], "cached": b["work"]["cached"],
            "ingest_parse_wall": b["timings"]["parse"], "pre_mkdocs": sum(b["timings"].get(k, 0.0) for k in PRE_MKDOCS),
            "total": b["total"]}


def table(rows: list[dict]) -> str:
    cores = os.cpu_count() or 1
    lines = [f"{'N':>6} {'ingest cpu':>10} {'parse cpu':>9} {'ing+parse':>9} {'validate':>8} {'render':>7} "
             f"{'MkDocs':>7} {'total':>7} {'ms/rep/core':>11} {'again':>15} {'CPU ms/rep':>10} {'imports':>7} "
             f"{'site KB/rep':>11} {'index KB/rep':>12} {'search ready s':>15}",
             f"{'':>6} {'(s)':>10} {'(s)':>9} {'wall s':>9} {'wall s':>8} {'wall s':>7} {'wall s':>7} {'wall s':>7} "
             f"{'pre-MkDocs':>11} {'median (min)':>15} {'pre-MkDocs':>10} {'s':>7} {'':>11} {'':>12} {'median (runs)':>15}"]
    for r in rows:
        ready = r.get("search_ready")
        shown = f"{statistics.median(ready):.2f} ({', '.join(f'{x:.2f}' for x in ready)})" if ready else "—"
        again = r.get("ms_per_report_core_again") or []
        shown_again = f"{statistics.median(again):.2f} ({min(again):.2f})" if again else "—"
        lines.append(f"{r['n']:>6} {r['ingest_cpu']:>10.2f} {r['parse_cpu']:>9.2f} {r['ingest_parse_wall']:>9.2f} "
                     f"{r['validate']:>8.2f} {r['render']:>7.2f} {r['mkdocs']:>7.2f} {r['total']:>7.2f} "
                     f"{r['ms_per_report_core']:>11.2f} {shown_again:>15} {r['cpu_ms_per_report']:>10.2f} "
                     f"{r['imports']:>7.2f} "
                     f"{r['site_bytes'] / r['n'] / 1024:>11.1f} "
                     f"{r['index_bytes'] / r['n'] / 1024:>12.2f} {shown:>15}")
    lines.append(f"({cores} cores; ms/rep/core = wall time of everything before MkDocs × cores ÷ N; again = the "
                 "same cold build without MkDocs, repeated; CPU ms/rep = CPU time (user + system) of the build "
                 "process and its workers before MkDocs ÷ N; imports = importing the builder in the fresh "
                 "interpreter, before the build starts, not in the figures before it)")
    return "\n".join(lines)


def growth(rows: list[dict]) -> str:
    by_n = {r["n"]: r for r in rows}
    out = []
    for n in sorted(by_n):
        if 2 * n in by_n:
            a, b = by_n[n], by_n[2 * n]
            out.append(f"{2 * n} vs {n}: before MkDocs ×{b['pre_mkdocs'] / a['pre_mkdocs']:.2f}, "
                       f"MkDocs ×{b['mkdocs'] / a['mkdocs']:.2f}, whole build ×{b['total'] / a['total']:.2f}, "
                       f"site ×{b['site_bytes'] / a['site_bytes']:.2f}, "
                       f"search index ×{b['index_bytes'] / a['index_bytes']:.2f}; "
                       f"marginal site bytes per report {(b['site_bytes'] - a['site_bytes']) / n / 1024:.1f} KB")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    # In memory by default: on this machine's ext4 disk, creating thousands of files within minutes
    # of deleting thousands (the previous run's) makes the kernel scan for recently freed inodes,
    # up to 1 ms per file — that measures the disk's history, not the build. --work /tmp/… for a disk.
    ap.add_argument("--work", type=Path,
                    default=Path("/dev/shm/xxgk-bench" if Path("/dev/shm").is_dir() else "/tmp/xxgk-bench"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="browser runs per size")
    ap.add_argument("--no-browser", action="store_true", help="skip the search-ready measurement")
    ap.add_argument("--repeat", type=int, default=5,
                    help="cold builds without MkDocs after the full one, per size (time before MkDocs)")
    ap.add_argument("--incremental", type=int, default=None,
                    help="size for the incremental case (default: the middle size)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python the builds run on (with the project's dependencies installed)")
    args = ap.parse_args(argv)
    global PYTHON
    PYTHON = args.python
    where = subprocess.run([PYTHON, "-c", "import sys, platform; print(sys.executable, platform.python_version())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    speed = [calibrate()]
    print(f"builds run on: {where}; fixed loop {speed[0]:.0f} ms", file=sys.stderr, flush=True)
    browser = not args.no_browser and Path(CHROMIUM).exists()
    if not args.no_browser and not browser:
        print(f"{CHROMIUM} not found: search-ready times are skipped (apt-get install chromium)", file=sys.stderr)
    rows = []
    for n in args.sizes:
        print(f"building {n} synthetic reports …", file=sys.stderr, flush=True)
        rows.append(measure(n, args.work, args.seed, args.runs, browser, args.repeat))
        print(table(rows[-1:]).splitlines()[-2], file=sys.stderr, flush=True)
    inc_n = args.incremental or sorted(args.sizes)[len(args.sizes) // 2]
    inc = incremental(inc_n, args.work, args.seed) if inc_n in args.sizes else None
    speed.append(calibrate())
    print(f"builds run on: {where}; machine speed: a fixed loop of 5,000,000 additions took "
          f"{speed[0]:.0f} ms before the run and {speed[1]:.0f} ms after it (best of 5; lower is faster)")
    print(table(rows))
    print(growth(rows))
    if inc:
        print(f"incremental: one report added to {inc_n}: {inc['parsed']} parsed, {inc['cached']} from the cache; "
              f"ingest+parse {inc['ingest_parse_wall']:.2f} s, before MkDocs {inc['pre_mkdocs']:.2f} s, "
              f"whole build {inc['total']:.2f} s")
    if args.json:
        args.json.write_text(json.dumps({"python": where, "loop_ms": speed, "rows": rows, "incremental": inc}, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
