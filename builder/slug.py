"""Stable, safe identifiers. Report text never becomes a path: ids are pinyin
letters, digits and hyphens only, or a hash when nothing readable is left."""
from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

_SAFE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """Lower-case pinyin of the Chinese characters, other letters/digits kept."""
    return "".join(lazy_pinyin(text, errors=lambda s: [c for c in s])).lower()


def slugify(text: str, limit: int = 48) -> str:
    s = _SAFE.sub("-", pinyin(text)).strip("-")
    return s[:limit].rstrip("-")


def report_id(agency: str | None, year: int | None, sha256: str) -> str:
    name = slugify(agency or "")
    if not name:
        return f"report-{sha256[:12]}"
    return f"{name}-{year if year else 'nian-fen-wei-zhi'}"
