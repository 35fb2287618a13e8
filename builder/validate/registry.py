"""The rule registry and the shape of one finding.

A rule is a small named function. Its id is stable (findings, pages and
downloads refer to it), and its Chinese title and description are what the
archive's rule page shows to readers.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

STATUSES = ("pass", "warn", "fail", "unknown")
STATUS_LABELS = {"pass": "通过", "warn": "警告", "fail": "错误", "unknown": "无法核对"}

# Family id → Chinese name, in the order pages show them.
FAMILIES: dict[str, str] = {
    "arithmetic": "表内勾稽",
    "structure": "结构完整",
    "prose": "正文与表格",
    "year": "年度一致",
    "deadline": "发布时限",
    "across": "跨年度衔接",
}


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    title: str  # Chinese, short
    description: str  # Chinese: what it checks and why
    statuses: tuple[str, ...]  # the statuses it can give
    fn: Callable  # per-report: (rule, record) → findings; across: (rule, previous, record) → findings
    scope: str = "report"  # "report" or "across"

    def run(self, *args) -> list[dict]:
        return self.fn(self, *args)

    def finding(self, status: str, message: str, cells=(), quote: str | None = None) -> dict:
        assert status in self.statuses, (self.id, status)
        out = {"rule": self.id, "family": self.family, "status": status,
               "message": message, "cells": list(cells)}
        if quote is not None:
            out["quote"] = quote
        return out


_RULES: list[Rule] = []


def rule(id: str, family: str, title: str, description: str, statuses: tuple[str, ...],
         scope: str = "report"):
    """Register the decorated function as a rule; the function receives the Rule first."""
    assert family in FAMILIES and set(statuses) <= set(STATUSES)
    assert all(r.id != id for r in _RULES), id

    def wrap(fn):
        _RULES.append(Rule(id, family, title, description, tuple(statuses), fn, scope))
        return fn
    return wrap


def registered() -> list[Rule]:
    return list(_RULES)
