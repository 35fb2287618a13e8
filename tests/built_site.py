"""The seeds built once per test session into a temporary project (never the repo's docs/ or site/).

A project copy holds what a site build reads: mkdocs.yml, the hand-written
pages under docs/, the MkDocs hooks file and a seeds folder.
"""
from __future__ import annotations

import atexit
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from builder import build

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
HOOKS = "builder/render/mkdocs_hooks.py"


@dataclass
class Built:
    root: Path
    result: build.Result
    log: str

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"


def make_project(where: Path, seeds: dict[str, bytes] | None = None) -> Path:
    """A project copy under `where`; `seeds` maps file names to contents (default: the real seeds)."""
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(REPO / "docs", where / "docs",
                    ignore=lambda d, names: [n for n in names if Path(d) == REPO / "docs" and n in build.GENERATED])
    (where / HOOKS).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / HOOKS, where / HOOKS)
    (where / "seeds").mkdir(exist_ok=True)
    if seeds is None:
        seeds = {p.name: p.read_bytes() for p in sorted(SEEDS.iterdir()) if p.is_file()}
    for name, data in seeds.items():
        (where / "seeds" / name).write_bytes(data)
    return where


def run_build(root: Path, make_site: bool = True) -> Built:
    log = io.StringIO()
    result = build.run(root, make_site=make_site, stream=log)
    return Built(root, result, log.getvalue())


def _tmp() -> Path:
    d = Path(tempfile.mkdtemp(prefix="xxgk-site-"))
    atexit.register(shutil.rmtree, d, True)
    return d


@lru_cache(maxsize=1)
def built_site() -> Built:
    """The real seeds, built with the site, once per session."""
    built = run_build(make_project(_tmp() / "project"))
    assert built.result.site_ok, built.log
    return built


def new_project(seeds: dict[str, bytes] | None = None) -> Path:
    return make_project(_tmp() / "project", seeds)


HOSTILE = "<script>alert(1)</script>海原县西安镇人民政府"
HOSTILE_PROSE = ("注意：<img src=x onerror=alert(2)> [点我](javascript:alert(3)) {{ config.site_name }} {% raw %} "
                 '--8<-- "/etc/passwd"')


@lru_cache(maxsize=1)
def edited_site() -> Built:
    """Seed 001 edited: a hostile agency name and prose, one table cell blanked to “/”;
    plus an empty file and binary garbage beside it."""
    text = (SEEDS / "001_672a93e96f8a197d.txt").read_text(encoding="utf-8")
    text = text.replace("海原县西安镇人民政府 2023", HOSTILE + " 2023", 1)
    text = re.sub(r"(一、本年新收政府信息公开申请数量\t\t1\t)0", r"\1/", text, count=1)
    text = text.replace("一、总体情况\n", "一、总体情况\n\n" + HOSTILE_PROSE + "。\n", 1)
    root = new_project({"001_edited.txt": text.encode("utf-8"), "empty.txt": b"",
                        "garbage.bin": bytes(range(256)) * 4})
    built = run_build(root)
    assert built.result.site_ok, built.log
    return built
