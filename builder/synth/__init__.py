"""Synthetic reports for benchmarks and tests: `python -m builder synth --count N --out DIR [--seed S]`.

Each report is a real county (from the gazetteer) with a made-up township or
a county department, on a year from 2021 to 2025; most agencies publish
several consecutive years, so this year's 上年结转 is last year's 结转下年度.
Tables satisfy the template's arithmetic; their layout is one the seeds come
in (tab-separated, aligned as pdftotext prints, one cell per line, ruled,
Markdown pipes); the prose is a seed's, re-addressed; the signature is dated.

A few per cent of the reports carry one deliberate error, recorded in
`Synth.errors` with the rule that must flag it: a broken balance, a wrong row
total, prose that contradicts table 三, a 上年结转 that does not match last
year, or a late publication. The same seed gives the same bytes.
"""
from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from pathlib import Path

from .. import template as T
from . import figures as F
from .names import Namer
from .prose import load_donors
from .report import LAYOUT_WEIGHTS, Synth, compose, encode

ERROR_RATE = 0.06
ERROR_KINDS = ("balance", "row_total", "prose", "carry_over", "late")
FIRST_YEAR, LAST_YEAR = 2021, 2025
FILE_PATTERN = "synth-{:05d}.txt"


def _plant(rng: random.Random, kind: str, tables: dict, township: bool) -> list[tuple[str, str]]:
    """Change the tables for one deliberate error; returns the (rule, status) that must flag it."""
    req = tables["requests"]
    cols = [c.key for c in T.APPLICANT_COLUMNS]
    if kind == "balance":
        c = rng.choice(cols)
        d = rng.randint(1, 3)
        req["received"][c] += d
        req["received"]["total"] += d
        return [("requests.balance", "fail")]
    if kind == "row_total":
        req[rng.choice(("received", "granted", "results_total"))]["total"] += rng.choice((1, 2, 10))
        return [("requests.row_total", "fail")]
    if kind == "carry_over":
        c = rng.choice(cols[:2])
        d = rng.randint(1, 2)
        for row in ("carried_over", "granted", "results_total"):
            req[row][c] += d
            req[row]["total"] += d
        return [("across.carry_over", "fail")]
    if kind == "prose":
        return [("prose.requests", "warn")]
    return [("deadline.art49", "warn" if township else "fail")]


def generate(count: int, seed: int = 0, seeds: str | Path = "seeds") -> Iterator[Synth]:
    """`count` synthetic reports, in file order."""
    rng = random.Random(seed)
    donors = load_donors(seeds)
    if not donors:
        raise ValueError(f"{seeds}：没有可用作正文来源的种子报告")
    namer = Namer(rng)
    layouts = list(LAYOUT_WEIGHTS)
    made = 0
    while made < count:
        agency = namer.agency()
        span = rng.choices((1, 2, 3, 4, 5), weights=(25, 25, 20, 15, 15))[0]
        start = rng.randint(FIRST_YEAR, LAST_YEAR + 1 - span)
        donor = rng.choice(donors)  # an agency keeps its wording from year to year
        prev: dict | None = None
        for year in range(start, start + span):
            if made == count:
                return
            dept = agency.department
            carried = None if prev is None else {c.key: prev["requests"]["carried_forward"][c.key]
                                                 for c in T.APPLICANT_COLUMNS}
            in_force = None if prev is None else {
                "normative_documents": prev["active"]["normative_documents"]["in_force"]}
            tables = {"active": F.active(rng, dept, in_force), "requests": F.requests(rng, dept, carried),
                      "appeals": F.appeals(rng, dept)}
            kinds = [k for k in ERROR_KINDS if k != "carry_over" or prev is not None]
            kind = rng.choice(kinds) if rng.random() < ERROR_RATE else None
            errors = _plant(rng, kind, tables, agency.township) if kind else []
            if kind == "late":
                published = datetime.date(year + 1, rng.randint(2, 5), rng.randint(1, 28))
            else:
                published = datetime.date(year + 1, 1, rng.randint(5, 31))
            layout = rng.choices(layouts, weights=[LAYOUT_WEIGHTS[x] for x in layouts])[0]
            text = compose(rng, donor, agency, year, tables, published, layout, prose_error=kind == "prose")
            yield Synth(FILE_PATTERN.format(made + 1), encode(rng, text), text, agency, year,
                        published.isoformat(), tables, layout, donor.name, errors)
            made += 1
            prev = tables


def write(count: int, out: str | Path, seed: int = 0, seeds: str | Path = "seeds") -> list[Synth]:
    """Write the reports into `out`; earlier synthetic files there (synth-NNNNN.txt) are replaced."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("synth-[0-9][0-9][0-9][0-9][0-9].txt"):
        old.unlink()
    made = []
    for s in generate(count, seed, seeds):
        (folder / s.name).write_bytes(s.data)
        made.append(s)
    return made
