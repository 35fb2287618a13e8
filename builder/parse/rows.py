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
import operator
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


@functools.lru_cache(maxsize=None)
def first_chars(pattern: str) -> frozenset[str] | None:
    """Characters one of which every match of `pattern` starts with (None: cannot tell).
    A label holding none of them cannot name the row, and needs no search."""
    try:
        found, empty, end = _alternatives(pattern, 0)
    except (IndexError, ValueError):  # an unusual pattern: always search
        return None
    return frozenset(found) if found and not empty and end == len(pattern) else None


# The row patterns are plain: literals, groups, alternatives, classes of literals, quantifiers,
# anchors and look-arounds. They are read here (a small reader of just those, rather than the
# regex module's private parser); anything else makes the answer "cannot tell".
_QUANTIFIER = re.compile(r"(?:[?*+]|\{(\d*)(?:,\d*)?\})[?+]?")
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")


def _alternatives(p: str, pos: int) -> tuple[set[str] | None, bool, int]:
    """(first characters, whether a match may be empty, where the group ends) of the
    alternatives from `pos` to the closing bracket or the end."""
    out: set[str] | None = set()
    empty = False
    while True:
        chars, may_be_empty, pos = _sequence(p, pos)
        out = None if out is None or chars is None else out | chars
        empty = empty or may_be_empty
        if pos == len(p) or p[pos] == ")":
            return out, empty, pos
        pos += 1  # past "|"


def _sequence(p: str, pos: int) -> tuple[set[str] | None, bool, int]:
    """The same for one alternative: its items up to "|", ")" or the end."""
    out: set[str] | None = set()
    empty = True  # so far, every item may take no character
    while pos < len(p) and p[pos] not in "|)":
        chars, may_be_empty, pos = _item(p, pos)
        if empty:
            out = None if out is None or chars is None else out | chars
            empty = may_be_empty
    return out, empty, pos


def _item(p: str, pos: int) -> tuple[set[str] | None, bool, int]:
    """One atom and its quantifier."""
    c = p[pos]
    if c == "(":
        head = next((h for h in _LOOKAROUND if p.startswith(h, pos)), "(?:" if p.startswith("(?:", pos) else "(")
        if head == "(" and p.startswith("?", pos + 1):  # flags, names, conditionals
            raise ValueError("an unusual group")
        chars, empty, pos = _alternatives(p, pos + len(head))
        if p[pos] != ")":
            raise ValueError("an unclosed group")
        pos += 1
        if head in _LOOKAROUND:  # takes no character
            chars, empty = set(), True
    elif c == "[":
        end = p.index("]", pos + 2 if p.startswith("[]", pos) else pos + 1)
        body = p[pos + 1:end]
        plain = body[:1] != "^" and not any(x in body for x in "-\\[")  # literals only: no range, no escape
        chars, empty, pos = set(body) if plain else None, False, end + 1
    elif c == "\\":
        nxt = p[pos + 1]
        chars = None if nxt.isalnum() or nxt == "_" else {nxt}  # \d, \s, \u4e00 …: cannot tell
        empty, pos = False, pos + 2
    elif c in "^$":
        chars, empty, pos = set(), True, pos + 1
    elif c == ".":
        chars, empty, pos = None, False, pos + 1
    elif c in "*+?{":
        raise ValueError("nothing to repeat")
    else:
        chars, empty, pos = {c}, False, pos + 1
    m = _QUANTIFIER.match(p, pos)
    if m:
        empty = empty or m.group(0)[0] in "?*" or (m.group(1) is not None and int(m.group(1) or 0) == 0)
        pos = m.end()
    return chars, empty, pos


@functools.lru_cache(maxsize=64)
def _rows_by_first_char(patterns: tuple[str, ...]) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """{character: indices of the patterns whose matches can start with it}, and the
    indices of patterns that can start with anything."""
    by_char: dict[str, list[int]] = {}
    always = []
    for i, p in enumerate(patterns):
        chars = first_chars(p)
        if chars is None:
            always.append(i)
            continue
        for c in chars:
            by_char.setdefault(c, []).append(i)
    return {c: tuple(ix) for c, ix in by_char.items()}, tuple(always)


def _band(line: int, rule_lines: list[int]) -> int:
    """Which ruled row a line is in: the number of rules above it."""
    return bisect.bisect_left(rule_lines, line)


def regions(segs: list[Segment], rule_lines: list[int], delimited: set[int]) -> list[tuple[tuple[int, int, str], ...]]:
    """Per segment, its label's character ranges and their class.
    `delimited`: lines whose cells are separated by tabs or rules (whole table rows).

    A segment's label cells come before its figures, in line order, so a label cell is
    on a line with figures exactly when it is on the line of the first figure."""
    out = []
    for k, seg in enumerate(segs):
        first = seg.values[0].line
        parts = seg.parts
        spans, pos = [], 0
        if k == 0 or not parts or parts[0][1] == first:
            for text, _ in parts:  # the usual row: its label beside its figures
                spans.append((pos, pos + len(text), OWN))
                pos += len(text)
        else:
            kinds = _kinds(parts, first, segs[k - 1].values[-1].line, rule_lines, delimited)
            for (text, _), kind in zip(parts, kinds):
                spans.append((pos, pos + len(text), kind))
                pos += len(text)
        out.append(tuple(spans))
    return out


def _kinds(parts: list[tuple[str, int]], first: int, prev_last: int, rule_lines: list[int],
           delimited: set[int]) -> list[str]:
    """The class of each label cell of a segment (not the first) whose label begins above the
    line of its first figure, `first`; `prev_last`: the line of the previous segment's last figure."""
    texts_on_value_lines = parts[-1][1] == first
    band = _band(first, rule_lines)
    prev_band = _band(prev_last, rule_lines)
    kinds = []
    for _, line in parts:
        if line == first:
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
        kinds.append(kind)
    return kinds


def candidates(patterns: tuple[str, ...], labels: tuple[str, ...],
               regs: tuple[tuple[tuple[int, int, str], ...], ...]) -> dict[int, dict[int, int]]:
    """Row index → {segment its words could name: weight of that evidence}, from the rows'
    patterns and each segment's label and its `regions`."""
    cand: dict[int, dict[int, int]] = {}
    for k, label in enumerate(labels):
        nxt = labels[k + 1] if k + 1 < len(labels) else ""
        for i, named in _evidence(patterns, label, nxt, regs[k], k == 0):
            mine = cand.setdefault(i, {})
            for step, w in named:
                s = k + step
                mine[s] = max(mine.get(s, 0), w)
    return cand


@functools.lru_cache(maxsize=16384)  # a template's labels, laid out alike, come back report after report
def _evidence(patterns: tuple[str, ...], label: str, nxt: str, spans: tuple[tuple[int, int, str], ...],
              first: bool) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
    """What one segment's label says: (row index, ((segment, weight), …)) for each row its words
    name, the segment counted from this one (0) or the one before (-1); see `candidates`.
    `spans`: the label's character ranges and their class (`regions`); `nxt`: the next label run."""
    cut = len(label)
    # Part boundaries, for a binary search: a label run can hold thousands of parts.
    starts, ends = [a for a, _, _ in spans], [b for _, b, _ in spans]
    found = []  # (start, end, row index, segments named)
    for i, hits in _named(patterns, label, nxt):
        for start, end in hits:
            stop = min(end, cut)
            near = spans[bisect.bisect_right(ends, start):bisect.bisect_left(starts, stop)]
            kinds = {kind for a, b, kind in near if a < stop and b > start}
            if OWN in kinds:
                named = ((0, SURE),)
            elif PREV in kinds:
                named = ((-1, SURE),)
            elif FLOAT in kinds:
                named = ((0, SURE),) if first else ((-1, UNSURE), (0, UNSURE))
            else:
                continue
            found.append((start, end, i, named))
    # Of several rows named in a segment's own text, the one nearest its
    # figures is theirs; the others were printed without figures.
    own = [(start, end, i) for start, end, i, named in found if (0, SURE) in named]
    nearest = max(own)[2] if own else None
    return tuple((i, named) for start, end, i, named in found
                 if nearest is None or i == nearest or (0, SURE) not in named)


@functools.lru_cache(maxsize=16384)  # the same labels come back in report after report
def _named(patterns: tuple[str, ...], label: str, nxt: str) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
    """(row index, (start, end) of each match) for every row whose words occur in `label`,
    in row order; matches that run on into `nxt`, the next label run, count too."""
    by_char, always = _rows_by_first_char(patterns)
    joined = label + nxt
    cut = len(label)
    # Most rows are named nowhere near this segment: only rows whose words can start
    # with one of its characters are searched, in row order.
    near_rows = set(always)
    for c in by_char.keys() & set(joined):
        near_rows.update(by_char[c])
    out = []
    for i in sorted(near_rows):
        pattern = _compiled(patterns[i])
        if pattern.search(label) is not None:
            hits = [(m.start(), m.end()) for m in pattern.finditer(label)]
        elif nxt and pattern.search(joined) is not None:
            hits = []
        else:
            continue
        if nxt:
            # Words a line break carried over into the next label run.
            hits += [(m.start(), m.end()) for m in pattern.finditer(joined) if m.start() < cut < m.end()]
        out.append((i, tuple(hits)))
    return tuple(out)


def place(segs: list[Segment], rows: tuple[T.Row, ...], rule_lines: list[int],
          delimited: set[int], ordered: bool = True) -> Placement:
    """Rows in template order onto segments in text order, as the words best allow.
    `ordered=False`: the rows may come in any order (the sub-tables of table 二);
    they are then taken in the order their words first appear."""
    regs = tuple(regions(segs, sorted(rule_lines), delimited))
    order, evidence = _table_evidence(tuple(row.pattern for row in rows), tuple(s.label for s in segs),
                                      regs, ordered)
    rows = tuple(rows[i] for i in order)
    at, unsure = _assign(evidence, len(rows), len(segs))
    return Placement([None if i is None else rows[i] for i in at], [rows[i] for i in unsure])


@functools.lru_cache(maxsize=1024)  # tables of one template, laid out alike, come back report after report
def _table_evidence(patterns: tuple[str, ...], labels: tuple[str, ...],
                    regs: tuple[tuple[tuple[int, int, str], ...], ...], ordered: bool
                    ) -> tuple[tuple[int, ...], tuple[tuple[int, tuple[tuple[int, int], ...]], ...]]:
    """The order the rows are taken in (their indices), and the evidence for `_assign`:
    (row index in that order, ((segment, weight), …)) of each row named."""
    cand = candidates(patterns, labels, regs)
    order = tuple(range(len(patterns)))
    if not ordered:
        first = {i: min(c) for i, c in cand.items() if c}
        order = tuple(sorted(order, key=lambda i: (first.get(i, len(labels)), i)))
        cand = candidates(tuple(patterns[i] for i in order), labels, regs)
    # Tables of one template give the same evidence report after report: the assignment
    # depends only on it, the number of rows and the number of segments.
    return order, tuple((i, tuple(sorted(c.items()))) for i, c in sorted(cand.items()))


@functools.lru_cache(maxsize=1024)
def _assign(evidence: tuple[tuple[int, tuple[tuple[int, int], ...]], ...], m: int, n: int
            ) -> tuple[tuple[int | None, ...], tuple[int, ...]]:
    """(row index or None per segment, indices of the unsure rows) for `m` rows in order onto
    `n` segments, given (row index, ((segment, weight), …)) of the candidates."""
    cand = {i: dict(c) for i, c in evidence}
    # after[i][j]: best evidence placing rows[i:] onto segs[j:]; before[i][j]: rows[:i] onto segs[:j].
    # Running maxima over the candidate segments keep this linear in the number of
    # segments (a table repeated over megabytes has thousands of candidates per row).
    after = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        c, nxt, best, here = cand.get(i, {}), after[i + 1], 0, after[i]
        for j in range(n, -1, -1):
            if j in c and c[j] + nxt[j + 1] > best:
                best = c[j] + nxt[j + 1]
            here[j] = nxt[j] if nxt[j] > best else best
    before = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        c, prev, best, here = cand.get(i - 1, {}), before[i - 1], 0, before[i]
        for j in range(n + 1):
            if j - 1 in c and prev[j - 1] + c[j - 1] > best:
                best = prev[j - 1] + c[j - 1]
            here[j] = prev[j] if prev[j] > best else best
    total = after[0][0]

    out: list[int | None] = [None] * n
    unsure: list[int] = []
    for i in range(m):
        options = {s for s, w in cand.get(i, {}).items() if before[i][s] + w + after[i + 1][s + 1] == total}
        can_skip = total in map(operator.add, before[i], after[i + 1])
        if len(options) == 1 and not can_skip:
            out[options.pop()] = i
        elif options:
            unsure.append(i)
    return tuple(out), tuple(unsure)
