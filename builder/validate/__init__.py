"""Record → findings.

`RULES` is the ordered registry (per-report rules, then across-year rules);
`validate(record)` runs the per-report rules on one record,
`validate_across(records)` compares consecutive years of each agency, and
`apply(records)` writes both into every record's `findings`.
"""
from __future__ import annotations

from . import arithmetic, structure, prose, year, deadline, across  # noqa: F401  (registration order)
from . import figures
from .registry import FAMILIES, STATUS_LABELS, STATUSES, Rule, registered
from .summary import summarize

RULES: list[Rule] = registered()
RULE = {r.id: r for r in RULES}
_REPORT_RULES = tuple(r for r in RULES if r.scope == "report")
_ACROSS_RULES = tuple(r for r in RULES if r.scope == "across")


def _run(rule: Rule, *args) -> list[dict]:
    try:
        return rule.run(*args)
    except Exception as exc:  # a rule bug must not lose the report or stop the build
        return _broken(rule, exc)


def _broken(rule: Rule, exc: Exception) -> list[dict]:
    return [{"rule": rule.id, "family": rule.family, "status": "unknown",
             "message": f"核对时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题", "cells": []}]


def validate(record: dict) -> list[dict]:
    """Findings of every per-report rule, in registry order."""
    if not isinstance(record, dict) or "tables" not in record:
        return []  # an unreadable file has no record to check; its error is reported elsewhere
    out: list[dict] = []
    with figures.memo(record):  # the record is not changed while its rules run
        for rule in _REPORT_RULES:  # `_run`, inlined: this runs a dozen times per report
            try:
                out += rule.fn(rule, record)
            except Exception as exc:  # a rule bug must not lose the report or stop the build
                out += _broken(rule, exc)
    return out


def _across(records: list[dict]) -> dict[int, list[dict]]:
    usable = [r if isinstance(r, dict) and "tables" in r else {} for r in records]
    out: dict[int, list[dict]] = {}
    for prev, i in across.pairs(usable):
        for rule in _ACROSS_RULES:
            out.setdefault(i, []).extend(_run(rule, usable[prev], usable[i]))
    return out


def validate_across(records: list[dict]) -> dict[str, list[dict]]:
    """{record id: across-year findings} for every record given (an empty list when it has no previous year)."""
    result: dict[str, list[dict]] = {r["id"]: [] for r in records if isinstance(r, dict) and r.get("id")}
    for i, findings in _across(records).items():
        result[records[i]["id"]].extend(findings)
    return result


def apply(records: list[dict], checked: list[list[dict] | None] | None = None) -> None:
    """Set every parsed record's `findings` to its per-report and across-year findings.
    `checked`: per record, its per-report findings when they were already worked out
    (`validate(record)`, e.g. in the process that parsed it), else None. The per-report
    rules of the others run here, on all cores for a large batch."""
    from ..pipeline import forked_map  # imported here: the pipeline imports the parser

    extra = _across(records)
    found = list(checked) if checked is not None else [None] * len(records)
    usable = [i for i, r in enumerate(records) if isinstance(r, dict) and "tables" in r]
    todo = [i for i in usable if found[i] is None]
    for i, f in zip(todo, forked_map(lambda i: validate(records[i]), todo, min_items=200)):
        found[i] = f
    for i in usable:
        records[i]["findings"] = found[i] + extra.get(i, [])


__all__ = ["RULES", "RULE", "FAMILIES", "STATUSES", "STATUS_LABELS", "Rule",
           "validate", "validate_across", "apply", "summarize"]
