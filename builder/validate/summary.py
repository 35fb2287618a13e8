"""Counts for a report's badge row, and the cells a page should mark."""
from __future__ import annotations

from .registry import FAMILIES, STATUSES


def _zero() -> dict[str, int]:
    return {s: 0 for s in STATUSES}


def summarize(findings_or_record) -> dict:
    """{"counts": {pass, warn, fail, unknown}, "families": {family: counts} (every family, registry order),
    "fail_cells": [...], "warn_cells": [...], "unknown_cells": [...]} — cell lists sorted and unique.

    Accepts a record (reads its `findings`) or a list of findings.
    """
    findings = findings_or_record.get("findings") or [] if isinstance(findings_or_record, dict) \
        else list(findings_or_record)
    counts, families = _zero(), {f: _zero() for f in FAMILIES}
    cells: dict[str, set[str]] = {s: set() for s in ("fail", "warn", "unknown")}
    for f in findings:
        status = f.get("status")
        if status not in counts:
            continue
        counts[status] += 1
        families.setdefault(f.get("family") or "", _zero())[status] += 1
        if status in cells:
            cells[status].update(f.get("cells") or [])
    return {
        "counts": counts,
        "families": families,
        "fail_cells": sorted(cells["fail"]),
        "warn_cells": sorted(cells["warn"] - cells["fail"]),
        "unknown_cells": sorted(cells["unknown"] - cells["fail"] - cells["warn"]),
    }
