"""A report's prose as the rules read it: the sentences about requests, reviews and suits
(prose.py), and the years the sentences name (year.py).

A sentence ends after one of `_ENDS` or at a line break. Both are worked out line by line and
kept per line and per block (the introduction, each section's text): boilerplate recurs from
report to report, so most lines of a new report were read before.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import figures as F

_ENDS = "。！？!?；;"
_MARKUP = re.compile(r"\*\*|__|^#+\s*")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# Titles of documents and document numbers name other years legitimately
# (《2023年政务公开工作要点》, 〔2021〕30号).
_QUOTED = re.compile(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]")
_E = re.escape(_ENDS)
_QUOTED_IN_LINE = re.compile(rf"《[^》{_E}]*》|〔[^〕{_E}]*〕|\[[^\]{_E}]*\]")  # not over a sentence's end

# One sentence of the prose: (section, text, compact), a plain tuple because a report has about
# a hundred of them. section: 0 for the introduction; text: as printed, markup and runs of
# spaces removed (the quote); compact: all whitespace removed (what the patterns match).
Sentence = tuple[int, str, str]


# One block of prose as read: (its sentences naming 申请, 复议 or 诉讼, in order; the years its
# sentences name, except in titles and document numbers). A plain tuple: a named one costs more
# to make than all else a block that was seen before costs.
Block = tuple[tuple[Sentence, ...], tuple[int, ...]]


def sentences(record: dict) -> list[Sentence]:
    """The sentences of the introduction and the sections that name 申请, 复议 or 诉讼, in order."""
    return F.cached(record, "sentences", _sentences)


def prose_years(record: dict) -> dict[int, int]:
    """How often the sentences of the introduction and the sections name each year."""
    counts: dict[int, int] = {}
    for _, years in _blocks(record):
        for y in years:
            counts[y] = counts.get(y, 0) + 1
    return counts


def _sentences(record: dict) -> list[Sentence]:
    out: list[Sentence] = []
    for said, _ in _blocks(record):
        out += said
    return out


def _blocks(record: dict) -> list[Block]:
    return F.cached(record, "blocks", _read_blocks)


def _read_blocks(record: dict) -> list[Block]:
    out = [_block(0, record.get("intro") or "")]
    out += [_block(s.get("no") or 0, s.get("text") or "") for s in record.get("sections") or []]
    return out


def _pieces(line: str) -> list[str]:
    """One line cut after every sentence end, empty pieces included (str.replace and str.split
    are faster than a regex scan)."""
    for end, cut in _CUTS:
        if end in line:
            line = line.replace(end, cut)
    return line.split("\n")


_CUTS = tuple((end, end + "\n") for end in _ENDS)  # made once: iterating over _ENDS makes new strings


@lru_cache(maxsize=4096)
def _block(no, text: str) -> Block:
    """One block of prose (`no`: its section, 0 for the introduction), line by line."""
    said: list[Sentence] = []
    years: list[int] = []
    for line in filter(None, text.split("\n")):  # one in two lines is empty
        sentences, named = _line(line)
        if sentences:
            said += [(no, shown, compact) for shown, compact in sentences]
        years += named
    return tuple(said), tuple(years)


@lru_cache(maxsize=16384)  # most lines of a new report were seen in another one
def _line(text: str) -> tuple[tuple[tuple[str, str], ...], tuple[int, ...]]:
    """((text, compact) of each sentence of one line that names 申请, 复议 or 诉讼, the years its
    sentences name)."""
    # Removing markup and whitespace never takes away 申, 复, 诉 or 年, so the raw text tells
    # whether a sentence can name 申请, 复议, 诉讼 or a year.
    said: tuple[tuple[str, str], ...] = ()
    if "申" in text or "复" in text or "诉" in text:
        said = tuple((shown, compact) for shown, compact in _sentences_of(text, _SAYS)
                     if "申请" in compact or "复议" in compact or "诉讼" in compact)
    if "年" not in text:
        return said, ()
    if "*" in text or "_" in text or "#" in text:  # markup to remove first (rare): sentence by sentence
        return said, tuple(y for shown, _ in _sentences_of(text, _DATES) for y in _years_in(shown, _QUOTED))
    # Over the whole line the patterns find what they find sentence by sentence: neither reaches
    # over a sentence's end, and whitespace matches the way a sentence's spaces would.
    return said, _years_in(text, _QUOTED_IN_LINE)


_SAYS, _DATES = re.compile("[申复诉]"), re.compile("年")


def _sentences_of(line: str, marks: re.Pattern):
    """(text, compact) of each sentence of one line in which `marks` finds something."""
    for part in filter(marks.search, _pieces(line)):
        if "*" in part or "_" in part or "#" in part:  # markup to remove (rare)
            part = _MARKUP.sub("", part)
        words = part.split()  # str.split: the same whitespace as \s
        if words:
            yield " ".join(words), "".join(words)


def _years_in(text: str, quoted: re.Pattern) -> tuple[int, ...]:
    """The years `text` names, those in titles and document numbers (`quoted`) left out."""
    if "《" in text or "〔" in text or "[" in text:
        text = quoted.sub("", text)
    return tuple(map(int, YEAR.findall(text)))
