"""Figures for tables 二, 三 and 四 that satisfy the template's arithmetic, year after year.

Rows, columns and result rows come from `builder.template`. A township
receives few requests (most none at all); a county department more. This
year's 上年结转 is last year's 结转下年度, and 现行有效件数 carries on from last
year's by what was issued and repealed, so the rules across years pass.
"""
from __future__ import annotations

import random

from .. import template as T

COLS = tuple(f.key for f in T.APPLICANT_COLUMNS)
RESULTS = T.RESULT_KEYS["2021"]
# How often each applicant column and each result row is used, roughly as in published reports.
COL_WEIGHT = {"natural_person": 80, "commercial": 8, "research": 1, "nonprofit": 2, "legal_service": 4,
              "other_org": 5}
RESULT_WEIGHT = {"granted": 45, "partly_granted": 10, "withheld_third_party": 3, "withheld_deliberative": 2,
                 "withheld_inquiry": 2, "unavailable_not_held": 18, "unavailable_needs_creation": 4,
                 "unavailable_unclear": 2, "declined_complaint": 4, "declined_repeat": 3,
                 "declined_confirmation": 1, "other_no_correction": 3, "other_misc": 3}


def _split(rng: random.Random, n: int, weights: dict[str, int], keys) -> dict[str, int]:
    out = dict.fromkeys(keys, 0)
    names = list(weights)
    for k in rng.choices(names, weights=[weights[x] for x in names], k=n):
        out[k] += 1
    return out


def requests(rng: random.Random, department: bool, carried_over: dict[str, int] | None) -> dict:
    """Table 三 as {row: {column: count}}; `carried_over`: last year's carried_forward."""
    if department:
        received = rng.choice((0, 0, 1, 2, 3, 5, 8, 12, 20, 35, 60))
    else:
        received = rng.choice((0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 5))
    if carried_over is None:
        carried_over = dict.fromkeys(COLS, 0)
        if received and rng.random() < 0.2:
            carried_over["natural_person"] = rng.randint(1, 2)
    req = {key: dict.fromkeys(COLS, 0) for key in ("received", "carried_over", "results_total", "carried_forward")}
    req.update({key: dict.fromkeys(COLS, 0) for key in RESULTS})
    req["received"] = _split(rng, received, COL_WEIGHT, COLS)
    req["carried_over"] = dict(carried_over)
    for c in COLS:
        pool = req["received"][c] + req["carried_over"][c]
        forward = rng.randint(1, min(pool, 3)) if pool and rng.random() < 0.15 else 0
        req["carried_forward"][c] = forward
        for key, n in _split(rng, pool - forward, RESULT_WEIGHT, RESULTS).items():
            req[key][c] = n
        req["results_total"][c] = pool - forward
    return finish_requests(req)


def finish_requests(req: dict) -> dict:
    """Row totals, and the rows in the template's order."""
    for row in req.values():
        row["total"] = sum(row[c] for c in COLS)
    return {r.key: req[r.key] for r in T.rows_for("requests", "2021")}


def _fee(rng: random.Random, department: bool) -> int | float:
    if rng.random() < (0.5 if department else 0.85):
        return 0
    places = rng.choice((1, 2, 4, 6))
    top = 300 if department else 20
    return round(rng.uniform(0.01, top), places)


def active(rng: random.Random, department: bool, in_force: dict[str, int] | None) -> dict:
    """Table 二; `in_force`: last year's 现行有效件数 of 规章 and 规范性文件."""
    out = {"regulations": {"issued": 0, "repealed": 0, "in_force": 0}}  # counties make no 规章
    before = (in_force or {}).get("normative_documents")
    if before is None:
        before = rng.randint(3, 40) if department else rng.choice((0, 0, 1, 2, 3, 5))
    issued = rng.choice((0, 0, 0, 1, 2, 3)) if department else rng.choice((0, 0, 0, 0, 1))
    repealed = min(before, rng.choice((0, 0, 0, 1, 2)))
    out["normative_documents"] = {"issued": issued, "repealed": repealed, "in_force": before + issued - repealed}
    scale = 10 if department else 1
    out["licensing"] = {"decisions": rng.choice((0, 0, 1, 3, 8, 15, 40)) * scale}
    out["penalty"] = {"decisions": rng.choice((0, 0, 0, 1, 2, 5, 12)) * scale}
    out["coercion"] = {"decisions": rng.choice((0, 0, 0, 0, 0, 1, 2)) * (3 if department else 1)}
    out["fees"] = {"amount_wan_yuan": _fee(rng, department)}
    return {r.key: out[r.key] for r in T.rows_for("active", "2021")}


def appeals(rng: random.Random, department: bool) -> dict:
    out = {}
    for g in T.APPEAL_GROUPS:
        vals = {f.key: 0 for f in T.APPEAL_FIELDS[:-1]}
        if rng.random() < (0.12 if department else 0.03) * (1 if g.key == "review" else 0.5):
            for k in rng.choices(list(vals), weights=(6, 2, 1, 2), k=rng.randint(1, 3)):
                vals[k] += 1
        vals["total"] = sum(vals.values())
        out[g.key] = vals
    return out
