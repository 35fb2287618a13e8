"""Anchor ids and link targets shared by the report pages and the index pages."""
from __future__ import annotations

import re

from ..slug import slugify
from .model import UNKNOWN_REGION, Entry

REGIONS = "browse/regions.md"
YEARS = "browse/years.md"
AGENCIES = "browse/agencies.md"
STATUS = "browse/status.md"
STATISTICS = "browse/statistics.md"
DOWNLOADS = "browse/downloads.md"
RULES = "browse/rules.md"
BUILD_REPORT = "browse/build-report.md"


def safe_id(s: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", s.lower()).strip("-") or "x"


def region_path(entry: Entry) -> list[tuple[str, str]]:
    """[(name, anchor)] from province down to county; one 地区未知 step when unresolved."""
    r = entry.region
    if r is None:
        return [(UNKNOWN_REGION, "r-unknown")]
    out = [(r["province"], "r-" + safe_id(slugify(r["province"])))]
    if r.get("city"):
        out.append((r["city"], "r-" + safe_id(slugify(r["province"] + r["city"]))))
    if r.get("county"):
        code = str(r.get("code") or "")
        key = code if code.isdigit() else slugify(r["province"] + (r.get("city") or "") + r["county"])
        out.append((r["county"], "r-" + safe_id(key)))
    return out


def year_anchor(year: int | None) -> str:
    return f"y-{year}" if year else "y-unknown"


def rule_anchor(rule_id: str) -> str:
    return "rule-" + safe_id(str(rule_id).replace(".", "-"))
