"""Test helper: the seeds' tables re-laid in other layouts, with figures made for testing.

The layout writer itself lives in the package (`builder.synth.layouts`), shared
with the synthetic report writer; this module re-exports it under the names the
layout tests use and adds `figures()`: distinct non-zero figures that make a
value shifted by one cell visible.
"""
from __future__ import annotations

from builder import template as T
from builder.synth.layouts import (  # noqa: F401  (re-exported for the tests)
    APPLICANTS, ARTICLE, CONTENT, CORNER, FULLWIDTH, HEADER_WIDTH, LABEL_WIDTH, LAYOUTS, LITIGATION,
    RESULTS_GROUP, STRAY, Cell, Row, _fmt, _join_formfeed, _layout, _pad, _val, active_key, aligned, box,
    center_groups, encodings, fullwidth, grid_active, grid_appeals, grid_requests, heading_lines, ljust,
    noisy_labels, percell, pipe, relay, tab, tables, width, wrap,
)


# ---------------------------------------------------------------- figures
def figures(template: str = "2021", base: int = 1) -> dict:
    """Distinct non-zero figures that satisfy the template's arithmetic.

    Every applicant cell of table 三 differs from its neighbours, so a value
    shifted by one cell is caught; `base` makes each seed's figures differ.
    Returns the `tables` dict a parse should give (fees as floats).
    """
    out: dict = {}
    if template == "2019":
        b = base
        out["active_2019"] = {
            "regulations": {"made": b + 1, "published": b + 2, "total_public": b + 30},
            "normative_documents": {"made": b + 3, "published": b + 4, "total_public": b + 31},
            "licensing": {"previous": b + 5, "change": -(b + 1), "decisions": b + 6},
            "other_services": {"previous": b + 7, "change": b + 2, "decisions": b + 8},
            "penalty": {"previous": b + 9, "change": -2, "decisions": b + 10},
            "coercion": {"previous": b + 11, "change": 3, "decisions": b + 12},
            "fees": {"previous": b + 13, "change": -1},
            "procurement": {"items": b + 14, "amount_wan_yuan": float(f"{b + 15}.25")},
        }
    else:
        b = base
        out["active"] = {
            "regulations": {"issued": b + 1, "repealed": b + 2, "in_force": b + 30},
            "normative_documents": {"issued": b + 3, "repealed": b + 4, "in_force": b + 31},
            "licensing": {"decisions": b + 5},
            "penalty": {"decisions": b + 6},
            "coercion": {"decisions": b + 7},
            "fees": {"amount_wan_yuan": float(f"{b + 8}.123456")},
        }
    cols = [f.key for f in T.APPLICANT_COLUMNS]
    result_keys = T.RESULT_KEYS[template]
    req: dict = {}
    for i, key in enumerate(result_keys):
        req[key] = {c: base + i * len(cols) + j + 1 for j, c in enumerate(cols)}
    req["results_total"] = {c: sum(req[k][c] for k in result_keys) for c in cols}
    req["carried_forward"] = {c: base + 200 + 3 * j for j, c in enumerate(cols)}
    req["carried_over"] = {c: base + 100 + 5 * j for j, c in enumerate(cols)}
    req["received"] = {c: req["results_total"][c] + req["carried_forward"][c] - req["carried_over"][c]
                       for c in cols}
    for row in req.values():
        row["total"] = sum(row[c] for c in cols)
    out["requests"] = {r.key: req[r.key] for r in T.rows_for("requests", template)}
    app = {}
    for g, row in enumerate(T.APPEAL_GROUPS):
        vals = {f.key: base + 10 * g + k + 1 for k, f in enumerate(T.APPEAL_FIELDS[:-1])}
        vals["total"] = sum(vals.values())
        app[row.key] = vals
    out["appeals"] = app
    return out
