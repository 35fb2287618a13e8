"""Which template row each run of figures belongs to.

A segment (see `cells`) is a label run followed by figures. The label run
holds the row's own words, but a wrapped label spreads them over several
lines: pdftotext prints a long label's first line beside the figures and
the rest below them (“2.其他法律行政法规禁止公” / “开”), or centres the
figures on the label's middle line. Text on a line without figures
therefore may belong to the figures above it or to those below it.

Each piece of label text is classed by where it sits:

- ``own``   on the line of the segment's figures, inside the same ruled row
            (between the same ┼──┼ rules), or leading figures that stand on
            lines of their own (one cell per line);
- ``prev``  inside the ruled row of the previous segment's figures: the tail
            of the previous row's label;
- ``none``  a whole row of its own that has no figures: a tab-separated or
            ruled line, or a ruled row, without any value;
- ``float`` a line of plain text between the previous figures and these:
            either the previous row's tail or this row's head.

A row's words in ``own`` or ``prev`` text name one segment for sure; in
``float`` text either neighbour, as weaker evidence. When a segment's own
text names several rows, the one nearest its figures is theirs (the others
were printed without figures). Rows keep the
template's order, so the assignment with the most (and surest) evidence is
taken, and a row whose place is not the same in every such assignment stays
unplaced (null, with a note): a figure shifted into the wrong row is worse
than a missing one.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from .. import template as T
from .cells import Segment

OWN, PREV, NONE, FLOAT = "own", "prev", "none", "float"
SURE, UNSURE = 2, 1  # weight of a row's words in own/prev text, in float text


@dataclass
class Placement:
    rows: list[T.Row | None]  # per segment
    unsure: list[T.Row]  # rows named in the text whose segment could not be told


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _band(line: int, rule_lines: list[int]) -> int:
    """Which ruled row a line is in: the number of rules above it."""
    return bisect.bisect_left(rule_lines, line)


def regions(segs: list[Segment], rule_lines: list[int], delimited: set[int]) -> list[list[tuple[int, int, str]]]:
    """Per segment, its label's character ranges and their class.
    `delimited`: lines whose cells are separated by tabs or rules (whole table rows)."""
    out = []
    for k, seg in enumerate(segs):
        value_lines = {c.line for c in seg.values}
        texts_on_value_lines = any(line in value_lines for _, line in seg.parts)
        band = _band(min(value_lines), rule_lines)
        prev_band = _band(max(c.line for c in segs[k - 1].values), rule_lines) if k else None
        spans, pos = [], 0
        for text, line in seg.parts:
            if k == 0 or line in value_lines:
                kind = OWN
            elif rule_lines:
                b = _band(line, rule_lines)
                kind = OWN if b == band else PREV if b == prev_band else NONE
            elif not texts_on_value_lines:
                kind = OWN  # a label standing above figures that have lines of their own
            elif line in delimited:
                kind = NONE
            else:
                kind = FLOAT
            spans.append((pos, pos + len(text), kind))
            pos += len(text)
        out.append(spans)
    return out


def candidates(segs: list[Segment], rows: tuple[T.Row, ...], rule_lines: list[int],
               delimited: set[int]) -> dict[int, dict[int, int]]:
    """Row index → {segment its words could name: weight of that evidence}."""
    regs = regions(segs, rule_lines, delimited)
    cand: dict[int, dict[int, int]] = {}
    for k, seg in enumerate(segs):
        nxt = segs[k + 1].label if k + 1 < len(segs) else ""
        joined = seg.label + nxt
        cut = len(seg.label)
        found = []  # (start, end, row index, segments named)
        for i, row in enumerate(rows):
            pattern = _compiled(row.pattern)
            hits = [(m.start(), m.end()) for m in pattern.finditer(seg.label)]
            if nxt:
                # Words a line break carried over into the next label run.
                hits += [(m.start(), m.end()) for m in pattern.finditer(joined) if m.start() < cut < m.end()]
            for start, end in hits:
                kinds = {kind for a, b, kind in regs[k] if a < min(end, cut) and b > start}
                if OWN in kinds:
                    named = {k: SURE}
                elif PREV in kinds:
                    named = {k - 1: SURE}
                elif FLOAT in kinds:
                    named = {k - 1: UNSURE, k: UNSURE} if k else {k: SURE}
                else:
                    continue
                found.append((start, end, i, named))
        # Of several rows named in a segment's own text, the one nearest its
        # figures is theirs; the others were printed without figures.
        own = [(start, end, i) for start, end, i, named in found if named.get(k) == SURE]
        nearest = max(own)[2] if own else None
        for start, end, i, named in found:
            if nearest is not None and i != nearest and named.get(k) == SURE:
                continue
            mine = cand.setdefault(i, {})
            for s, w in named.items():
                mine[s] = max(mine.get(s, 0), w)
    return cand


def place(segs: list[Segment], rows: tuple[T.Row, ...], rule_lines: list[int],
          delimited: set[int], ordered: bool = True) -> Placement:
    """Rows in template order onto segments in text order, as the words best allow.
    `ordered=False`: the rows may come in any order (the sub-tables of table 二);
    they are then taken in the order their words first appear."""
    rule_lines = sorted(rule_lines)
    cand = candidates(segs, rows, rule_lines, delimited)
    if not ordered:
        first = {i: min(c) for i, c in cand.items() if c}
        rows = tuple(sorted(rows, key=lambda r: (first.get(rows.index(r), len(segs)), rows.index(r))))
        cand = candidates(segs, rows, rule_lines, delimited)
    m, n = len(rows), len(segs)
    # after[i][j]: best evidence placing rows[i:] onto segs[j:]; before[i][j]: rows[:i] onto segs[:j].
    after = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n, -1, -1):
            best = after[i + 1][j]
            for s, w in cand.get(i, {}).items():
                if s >= j:
                    best = max(best, w + after[i + 1][s + 1])
            after[i][j] = best
    before = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(n + 1):
            best = before[i - 1][j]
            for s, w in cand.get(i - 1, {}).items():
                if s < j:
                    best = max(best, before[i - 1][s] + w)
            before[i][j] = best
    total = after[0][0]

    out: list[T.Row | None] = [None] * n
    unsure: list[T.Row] = []
    for i, row in enumerate(rows):
        options = {s for s, w in cand.get(i, {}).items() if before[i][s] + w + after[i + 1][s + 1] == total}
        can_skip = any(before[i][j] + after[i + 1][j] == total for j in range(n + 1))
        if len(options) == 1 and not can_skip:
            out[options.pop()] = row
        elif options:
            unsure.append(row)
    return Placement(out, unsure)
