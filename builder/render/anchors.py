"""Anchor ids and link targets shared by the report pages and the index pages."""
from __future__ import annotations

import re
from functools import lru_cache

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


def region_path(entry: Entry) -> tuple[tuple[str, str], ...]:
    """((name, anchor), …) from province down to county; one 地区未知 step when unresolved."""
    r = entry.region
    if r is None:
        return ((UNKNOWN_REGION, "r-unknown"),)
    return _region_path(r["province"], r.get("city"), r.get("county"), r.get("code"))


@lru_cache(maxsize=16384)  # many reports share a region; its anchors cost a pinyin transcription
def _region_path(province: str, city, county, code) -> tuple[tuple[str, str], ...]:
    out = [(province, "r-" + safe_id(slugify(province)))]
    if city:
        out.append((city, "r-" + safe_id(slugify(province + city))))
    if county:
        code = str(code or "")
        key = code if code.isdigit() else slugify(province + (city or "") + county)
        out.append((county, "r-" + safe_id(key)))
    return tuple(out)


def year_anchor(year: int | None) -> str:
    return f"y-{year}" if year else "y-unknown"


def rule_anchor(rule_id: str) -> str:
    return "rule-" + safe_id(str(rule_id).replace(".", "-"))
