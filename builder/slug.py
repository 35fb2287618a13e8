"""Stable, safe identifiers. Report text never becomes a path: ids are pinyin
letters, digits and hyphens only, or a hash when nothing readable is left."""
from __future__ import annotations

import gc
import re
from functools import lru_cache

# pypinyin loads its dictionaries (47,000 phrases) as it is imported: a tenth of a second, a
# third of which the cycle collector spends walking the new objects again and again, finding
# nothing to free. Held off meanwhile (and left as it was found).
_collecting = gc.isenabled()
gc.disable()
try:
    from pypinyin import lazy_pinyin
    from pypinyin.core import Pinyin
finally:
    if _collecting:
        gc.enable()

_SAFE = re.compile(r"[^a-z0-9]+")
_WORDS = Pinyin()  # cuts a text into the words pypinyin transcribes one by one


def pinyin(text: str) -> str:
    """Lower-case pinyin of the Chinese characters, other letters/digits kept: what
    `lazy_pinyin(text)` gives, word by word (pypinyin transcribes each word on its own)."""
    got = _KNOWN.get(text)
    if got is None:
        if len(_KNOWN) >= _MAX_KNOWN:
            _KNOWN.clear()
        got = _KNOWN[text] = "".join(map(_word, _WORDS.seg(text)))
    return got


_KNOWN: dict[str, str] = {}  # text → its pinyin, worked out here or learnt (`learn`)
_MAX_KNOWN = 65536


def learn(known: dict[str, str]) -> None:
    """Take the pinyin of names that another process of this build worked out with `pinyin`:
    the parse workers transcribe each agency's name for its report's id, and the indexes here
    sort by the same transcription."""
    if len(_KNOWN) + len(known) > _MAX_KNOWN:
        _KNOWN.clear()
    _KNOWN.update(known)


@lru_cache(maxsize=65536)  # words recur from name to name (省, 县, 人民政府): each is transcribed once
def _word(word: str) -> str:
    return "".join(lazy_pinyin(word, errors=_as_is)).lower()


def _as_is(text: str) -> list[str]:
    return list(text)


def slugify(text: str, limit: int = 48) -> str:
    s = _SAFE.sub("-", pinyin(text)).strip("-")
    return s[:limit].rstrip("-")


def report_id(agency: str | None, year: int | None, sha256: str) -> str:
    name = slugify(agency or "")
    if not name:
        return f"report-{sha256[:12]}"
    return f"{name}-{year if year else 'nian-fen-wei-zhi'}"
