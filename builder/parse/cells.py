"""Table text → a stream of cells → segments of (label, values).

Extracted tables come in many layouts: tab-separated rows, one cell per line,
columns aligned with spaces (pdftotext -layout), box-drawn or pipe tables.
All of them keep the reading order of the printed table, so instead of
guessing the layout we cut every line into cells and read the stream: a run
of text cells is a label, the run of values that follows belongs to it.
"""
from __future__ import annotations

import itertools
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ..template import compact

# Table labels repeat from report to report: each is compacted once.
_compact = lru_cache(maxsize=16384)(compact)

# Dashes, slashes and 无 mark a cell left blank on purpose: not a zero.
NULL_MARK = re.compile(r"^(?:[/／\\—–\-－―‐_]+|无|空)$")
NUMBER = re.compile(r"^[+\-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+\-−]?\d+(?:\.\d+)?$")
# Digits with single spaces inside ("1 2") are one number in extracted text.
SPACED_NUMBER = re.compile(r"^\d(?: ?\d)*(?:\.\d+)?$")
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
BOX_CHARS = "│┃║|┆┊╎╏"
BOX_CHAR = re.compile("[" + re.escape(BOX_CHARS) + "]")  # any one of them
BOX_RULE = re.compile(r"^[\s─━═┄┅┈┉╌╍\-=+:|│┃║┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫┏┓┗┛┣┫┳┻╋]*$")
# "规章 0 0 0": a label followed by numbers inside one cell.
TRAILING_VALUES = re.compile(r"^(?P<label>.*?[^\d\s.,+\-])\s+(?P<values>(?:[+\-]?\d+(?:\.\d+)?\s+)*[+\-]?\d+(?:\.\d+)?)$")
CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_DIGITS = 24
PLAIN_NUMBER = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")
_WIDE_GAP = re.compile(r" {2,}")  # two or more spaces part the columns of an aligned table
ORDINAL = re.compile(r"^(?:[(（]\d{1,2}[)）]|\d{1,2}[.、．])$")


@dataclass(slots=True)
class Cell:
    kind: str  # "text", "value", "blank"
    raw: str
    line: int  # the line it is on
    value: int | float | None = None
    ruled: bool = False  # from a line whose cells are drawn apart (│ or |): a blank there is a cell


Part = tuple[str, str, int | float | None]  # (kind, text, value) of a cell, without its line
# A run of a line's cells as the segments take them: ("text", compacted texts of the label
# cells) or ("value", whether each value is a blank kept as a cell); the values themselves
# are kept apart (`Values`).
Run = tuple[str, tuple]


class Values(NamedTuple):
    """The value cells of a line, in order; a blank kept as a cell is ("", None)."""
    texts: tuple[str, ...]
    numbers: tuple[int | float | None, ...]
    plain: bool  # every number is a count (an int ≥ 0) or None: each cell holds it as it is


def _values(texts: list[str], numbers: list[int | float | None]) -> Values:
    return Values(tuple(texts), tuple(numbers), all(v is None or (type(v) is int and v >= 0) for v in numbers))


@dataclass(slots=True)
class Slot:
    """Where one of a table's values sits. Its text and number are kept apart (`Table.values`),
    so what is worked out from the slots holds for any table laid out alike."""
    line: int  # the line it is on
    at: int  # its index among the line's values
    ruled: bool  # from a line whose cells are drawn apart (│ or |): a blank there is a cell
    placeholder: bool  # a blank kept as a cell: null, and maybe only layout


@dataclass(slots=True)
class Segment:
    label: str  # compact text of the label cells
    line: int  # line of the first label cell
    values: list[Slot] = field(default_factory=list)
    parts: list[tuple[str, int]] = field(default_factory=list)  # (compact text, line) of each label cell


def parse_number(raw: str) -> int | float | None:
    s = raw.strip().replace("−", "-").replace(",", "")
    if SPACED_NUMBER.match(s) and _one_number(s):
        s = s.replace(" ", "")
    if not NUMBER.match(s) and not PLAIN_NUMBER.match(s):
        return None
    if len(s) > MAX_DIGITS:  # no figure is this long; int() would refuse it and float() give inf
        return None
    if "." in s:
        return float(s)
    return int(s)


def classify(raw: str, line: int) -> list[Cell]:
    s = raw.strip()
    if not s:
        return [Cell("blank", raw, line)]
    if s.isdigit() and s.isascii() and len(s) <= MAX_DIGITS:
        return [Cell("value", s, line, int(s))]  # the usual cell, as parse_number reads it
    if NULL_MARK.match(s):
        return [Cell("value", s, line, None)]
    if not ORDINAL.match(s):
        v = parse_number(s)
        if v is not None:
            return [Cell("value", s, line, v)]
    if SPACED_NUMBER.match(s) and not _one_number(s):
        return [Cell("value", tok, line, parse_number(tok)) for tok in s.split()]
    m = TRAILING_VALUES.match(s)
    if m and CJK.search(m.group("label")):
        out = [Cell("text", m.group("label"), line)]
        for tok in m.group("values").split():
            out.append(Cell("value", tok, line, parse_number(tok)))
        return out
    return [Cell("text", s, line)]


def _one_number(s: str) -> bool:
    """“1 2” and “1 234” are one number broken by extraction; “0 0 0” is three cells."""
    groups = s.split()
    if len(groups) <= 2:
        return True
    return all(len(g.split(".")[0]) == 3 for g in groups[1:])


def split_line(line: str) -> list[str]:
    s = line.rstrip()
    if len(s.strip()) >= 3 and BOX_RULE.match(s):
        return []
    if BOX_CHAR.search(s):
        s = s.strip()
        if s[:1] in BOX_CHARS:
            s = s[1:]
        if s[-1:] in BOX_CHARS:
            s = s[:-1]
        parts = BOX_CHAR.split(s)
    else:
        parts = s.split("\t")
    out: list[str] = []
    for p in parts:
        p = p.strip()
        if not p:
            out.append("")
        elif "  " in p:
            out.extend(_WIDE_GAP.split(p))
        else:
            out.append(p)
    return out


def tokenize(lines: list[tuple[int, str]]) -> list[Cell]:
    cells: list[Cell] = []
    suspects: list[int] = []  # where a text cell may be a garbled value
    for no, line in lines:
        ruled, parts = _line_cells(line)
        odd = _reading(line).suspects
        if odd:
            suspects += [len(cells) + j for j in odd]
        cells += [Cell(kind, raw, no, value, ruled) for kind, raw, value in parts]
    return _mark_garbled(cells, suspects)


@dataclass
class Table:
    """A table's lines, read once (`read_table`). Its lines are counted from 0, its first."""
    raws: list[str]  # its lines
    readings: list[Reading]  # of each line
    values: list[Values]  # of each line
    key: tuple[str, ...] | None  # the shape of each line (`Reading.key`): tables with equal keys
    # have the same `layout`. None when a cell may be a garbled figure (see `read_table`).
    segments: list[Segment] | None = None  # when already worked out with the values


@dataclass
class TableText:
    """A table's layout: what its rows are placed from, without its figures (`layout`)."""
    segments: list[Segment]
    rules: list[int]  # the lines that only draw a table's rules (┼──┼)
    delimited: set[int]  # the lines whose cells are separated by tabs or rules
    compact: str  # the whole text compacted (`template.compact`), each run of digits as one “0”


def read_table(raws: list[str]) -> Table:
    """The table of these lines.

    Which blanks count is decided line by line (`_settle`), so all a line gives is memoised
    (`_reading`), and a table's layout follows from its lines' shapes; only a table where a
    cell may be a garbled figure, which depends on the lines around it, is read cell by cell."""
    readings = list(map(_reading, raws))
    if any(map(_SUSPECTS, readings)):
        segs, values = segments(tokenize(list(enumerate(raws))), len(raws))
        return Table(raws, readings, values, None, segs)
    return Table(raws, readings, list(map(_VALUES, readings)), tuple(map(_KEY, readings)))


def layout(table: Table) -> TableText:
    """The table's segments, rule lines, delimited lines and words: all but its figures."""
    readings = table.readings
    segs = table.segments
    if segs is None:  # each line's cells as the segments take them, as `_reading` took them
        segs = _assemble((k, ruled, _settle(parts, ruled)[0])
                         for k, (ruled, parts) in enumerate(map(_line_cells, table.raws)))
    return TableText(segs, list(itertools.compress(itertools.count(), map(_RULE, readings))),
                     set(itertools.compress(itertools.count(), map(_WHOLE_ROW, readings))),
                     "".join(map(_COMPACT, readings)))


class Reading(NamedTuple):
    """What a line gives a table, but for its number."""
    suspects: tuple[int, ...]  # indices of its text cells that look like a garbled figure
    values: Values  # its values (`_settle`)
    compact: str  # the line compacted, each run of digits as one “0”: compacting goes character by
    # character, so a table's text is that of its lines, joined. The template's words hold no
    # digit: they are found in it as in the full text, and tables differing only in figures share it.
    rule: bool  # it only draws rules, which separate rows (a Markdown |---| line only ends the header)
    whole_row: bool  # its cells are separated by tabs or rules: a whole table row
    key: str  # the line's shape: its cells as the segments take them (`_settle`, but for the
    # values), whether they are drawn apart (│ or |), and the above but its suspects and values


# A tab after a cell's text: the line is a row of a tab-separated table (an
# indented cell on a line of its own, as in one-cell-per-line text, is not).
_ROW_TAB = re.compile(r"\S *\t")
_DIGITS = re.compile(r"[0-9]+")


@lru_cache(maxsize=65536)  # like `_line_cells`, whose cells it reads
def _reading(line: str) -> Reading:
    ruled, parts = _line_cells(line)
    odd = tuple(j for j, (kind, raw, _) in enumerate(parts)
                if kind == "text" and not ORDINAL.match(raw) and GARBLED.match(raw))
    s = line.strip()
    rule = len(s) >= 3 and BOX_RULE.match(line) is not None and not set(s) <= set("|-: ")
    whole_row = bool(_ROW_TAB.search(line) or BOX_CHAR.search(line))
    runs, values = _settle(parts, ruled)
    words = _words(_DIGITS.sub("0", line))
    return Reading(odd, values, words, rule, whole_row, repr((runs, ruled, words, rule, whole_row)))


@lru_cache(maxsize=16384)  # lines differing only in figures share it: read once per label
def _words(shape: str) -> str:
    """`Reading.compact` of a line, given the line with each run of digits as one “0”. Compacting
    only drops whitespace and folds marks that are not digits, so the runs of digits it joins
    are joined alike whatever their digits: the same “0”s come out."""
    return _DIGITS.sub("0", compact(shape))


_SUSPECTS, _VALUES, _COMPACT, _KEY = (operator.attrgetter(f) for f in ("suspects", "values", "compact", "key"))
_RULE, _WHOLE_ROW = operator.attrgetter("rule"), operator.attrgetter("whole_row")


@lru_cache(maxsize=65536)  # lines repeat from report to report (labels, “0”, “/”): each is cut once
def _line_cells(line: str) -> tuple[bool, tuple[tuple[str, str, int | float | None], ...]]:
    """Whether the line is ruled, and (kind, text, value) of each of its cells (none for a
    blank line or a page number): `classify` of each part, without the line number."""
    if not line.strip() or PAGE_NUMBER.match(line):
        return False, ()
    parts = tuple(itertools.chain.from_iterable(map(_classified, split_line(line))))
    return BOX_CHAR.search(line) is not None, parts


@lru_cache(maxsize=16384)  # cells repeat even more than lines (“0”, “/”, a row's label)
def _classified(part: str) -> tuple[Part, ...]:
    """`classify` of one part of a line, without the line number."""
    return tuple((c.kind, c.raw, c.value) for c in classify(part, 0))


# What a figure mangled by OCR or extraction looks like: Latin letters, digits,
# question marks and stars (“O”, “l”, “1O”, “?”, “*”). Brackets and quotes are
# a label's tail, not a figure.
GARBLED = re.compile(r"^(?=.*[0-9A-Za-z?？*＊×])[0-9A-Za-z?？*＊×.,'`|!！_~\-]{1,6}$")


def _mark_garbled(cells: list[Cell], suspects: list[int]) -> list[Cell]:
    """A short non-Chinese cell among a row's values is a garbled value, not a label.

    Among means beside a value on its own line, or — when it stands alone on a
    line, one cell per line — between lines of values. `suspects`: the indices,
    in order, of the text cells that look garbled (see `_reading`)."""
    if not suspects:
        return cells
    alone: dict[int, int] = {}
    for c in cells:
        alone[c.line] = alone.get(c.line, 0) + (c.kind != "blank")
    for i in suspects:
        c = cells[i]
        prev = _neighbour(cells, i, -1)
        nxt = _neighbour(cells, i, 1)
        if any(n is not None and n.kind == "value" and (n.line == c.line or alone[c.line] == 1)
               for n in (prev, nxt)):
            cells[i] = Cell("value", c.raw, c.line, None, c.ruled)
    return cells


def _neighbour(cells: list[Cell], i: int, step: int) -> Cell | None:
    j = i + step
    while 0 <= j < len(cells):
        if cells[j].kind != "blank":
            return cells[j]
        j += step
    return None


def segments(cells: list[Cell], n_lines: int) -> tuple[list[Segment], list[Values]]:
    """Group the stream (as `tokenize` gives it: each line's cells together, lines counted
    from 0) into label runs, each with the values that follow it; and each line's values."""
    rows: list[tuple[int, bool, list[Part]]] = []
    for c in cells:
        if not rows or rows[-1][0] != c.line:
            rows.append((c.line, c.ruled, []))
        rows[-1][2].append((c.kind, c.raw, c.value))
    runs = []
    values = [_NO_VALUES] * n_lines
    for no, ruled, parts in rows:
        line_runs, values[no] = _settle(parts, ruled)
        runs.append((no, ruled, line_runs))
    return _assemble(runs), values


def _settle(parts: tuple[Part, ...] | list[Part], ruled: bool) -> tuple[tuple[Run, ...], Values]:
    """One line's cells as the segments take them, in runs (see `Run`): label text compacted,
    values, and the blanks that are cells (as null placeholders); the other blanks are dropped.
    And the line's values (with the placeholders), in order.

    A blank cell between two values on the same line is kept as a null
    placeholder (a cell left empty in the middle of a row); other blanks are
    layout (merged cells, trailing separators) and are dropped. On a ruled
    line (│ or | between cells) every cell is drawn, so blanks before, between
    and after the values of the line are all kept; the table reader trims the
    ones that are only layout (`fit`). Nothing here depends on other lines.
    """
    runs: list[tuple[str, list]] = []  # (kind, compacted texts or whether each value is a blank kept)
    texts: list[str] = []
    numbers: list[int | float | None] = []
    pending = 0  # blanks that are cells if a value follows on this line
    after_value = False  # the last cell taken is a value of this line
    for kind, raw, value in parts:
        if kind == "value":
            if not runs or runs[-1][0] != "value":
                runs.append(("value", []))
            if pending:
                runs[-1][1].extend([True] * pending)
                texts += [""] * pending
                numbers += [None] * pending
                pending = 0
            runs[-1][1].append(not raw and value is None)
            texts.append(raw)
            numbers.append(value)
            after_value = True
        elif kind == "text":
            if not runs or runs[-1][0] != "text":
                runs.append(("text", []))
            runs[-1][1].append(_compact(raw))
            pending, after_value = 0, False
        elif ruled or after_value:
            pending += 1
    if ruled and after_value and pending:  # trailing blanks of a ruled row are its last cells
        runs[-1][1].extend([True] * pending)
        texts += [""] * pending
        numbers += [None] * pending
    return tuple((kind, tuple(items)) for kind, items in runs), _values(texts, numbers)


_NO_VALUES = _values([], [])


def _assemble(rows) -> list[Segment]:
    """Segments from (line, ruled, runs) of each line: a run of text is a label
    (each cell one part), the values after it are its figures."""
    out: list[Segment] = []
    cur: Segment | None = None
    for no, ruled, runs in rows:
        at = 0  # index of the next value among the line's
        for kind, items in runs:
            if kind == "text":
                if cur is None or cur.values:
                    cur = Segment("", no)
                    out.append(cur)
                cur.parts += [(text, no) for text in items]
                cur.label += "".join(items)
            else:
                if cur is None:
                    cur = Segment("", no)
                    out.append(cur)
                cur.values += [Slot(no, i, ruled, blank) for i, blank in enumerate(items, at)]
                at += len(items)
    return out


def fit(values: list[Slot], n: int) -> list[Slot]:
    """Drop layout blanks at the edges of a ruled row until it has `n` cells:
    leading ones first (label columns merged across the row), then trailing
    ones (columns the row does not use). Explicit marks (“/”, “—”) stay."""
    if len(values) <= n:
        return values  # nothing to drop (callers never change the list)
    values = list(values)
    while len(values) > n and values[0].placeholder and values[0].ruled:
        values.pop(0)
    while len(values) > n and values[-1].placeholder and values[-1].ruled:
        values.pop()
    return values
