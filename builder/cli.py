"""Command line: `python -m builder parse FILE...`, `python -m builder build`."""
from __future__ import annotations

import argparse
import json
import os
import sys

from . import validate
from .pipeline import error_record, process


def parse_file(path: str) -> dict:
    """One file → its record, or an error record with a Chinese message."""
    out = process(path)
    return out.record if out.record is not None else error_record(out)


def cmd_parse(args) -> int:
    records = [parse_file(p) for p in args.files]
    validate.apply(records)  # per report, and across the years given together
    out = records[0] if len(records) == 1 else records
    try:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped early: not an error
        sys.stdout = open(os.devnull, "w")
    for r in records:
        if "error" in r:
            print(r["error"], file=sys.stderr)
    return 0


def cmd_build(args) -> int:
    from .build import run  # imported here: `parse` does not need the renderer
    return run(args.root, seeds=args.seeds, site=args.site, make_site=not args.no_site, quiet=args.quiet).exit_code


def cmd_synth(args) -> int:
    from collections import Counter

    from .synth import write  # imported here: only benchmarks and tests need it
    made = write(args.count, args.out, seed=args.seed, seeds=args.seeds)
    errors = Counter(rule for s in made for rule, _status in s.errors)
    planted = "，".join(f"{rule} {n} 份" for rule, n in sorted(errors.items())) or "无"
    print(f"已生成 {len(made)} 份合成报告（{len({s.agency.name for s in made})} 个机关）到 {args.out}；"
          f"有意埋入的错误：{planted}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m builder", description="政府信息公开工作年度报告开放档案的构建工具")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="解析报告文本，以 JSON 输出结构化记录")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_parse)
    b = sub.add_parser("build", help="解析 seeds/ 中的全部报告，生成 docs/ 中的页面和数据，再用 MkDocs 构建网站到 site/")
    b.add_argument("--root", default=".", help="项目目录（含 mkdocs.yml 和 docs/），默认为当前目录")
    b.add_argument("--seeds", default=None, help="报告文件所在目录，默认为 项目目录/seeds")
    b.add_argument("--site", default=None, help="网站输出目录，默认为 项目目录/site")
    b.add_argument("--no-site", action="store_true", help="只生成 docs/，不运行 MkDocs")
    b.add_argument("--quiet", action="store_true", help="不显示进度和总结")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("synth", help="生成合成报告（真实县名、虚构乡镇和部门、2021–2025年），用于性能测试和测试")
    s.add_argument("--count", type=int, required=True, help="报告份数")
    s.add_argument("--out", required=True, help="输出目录（其中已有的 synth-NNNNN.txt 会被替换）")
    s.add_argument("--seed", type=int, default=0, help="随机种子：同一种子生成逐字节相同的文件，默认 0")
    s.add_argument("--seeds", default="seeds", help="提供正文的种子报告目录，默认 seeds")
    s.set_defaults(func=cmd_synth)
    args = ap.parse_args(argv)
    return args.func(args)
