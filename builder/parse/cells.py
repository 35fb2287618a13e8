"""Table text → a stream of cells → segments of (label, values).

Extracted tables come in many layouts: tab-separated rows, one cell per line,
columns aligned with spaces (pdftotext -layout), box-drawn or pipe tables.
All of them keep the reading order of the printed table, so instead of
guessing the layout we cut every line into cells and read the stream: a run
of text cells is a label, the run of values that follows belongs to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

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


@dataclass
class Cell:
    kind: str  # "text", "value", "blank"
    raw: str
    line: int  # 1-based line number in the source text
    value: int | float | None = None
    ruled: bool = False  # from a line whose cells are drawn apart (│ or |): a blank there is a cell

    @property
    def placeholder(self) -> bool:
        """An empty cell kept in a row's values: null, and maybe only layout."""
        return self.kind == "value" and self.value is None and not self.raw


@dataclass
class Segment:
    label: str  # compact text of the label cells
    label_raw: str
    line: int  # line of the first label cell
    values: list[Cell] = field(default_factory=list)
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
    for no, line in lines:
        ruled, parts = _line_cells(line)
        cells.extend(Cell(kind, raw, no, value, ruled) for kind, raw, value in parts)
    return _mark_garbled(cells)


@lru_cache(maxsize=65536)  # lines repeat from report to report (labels, “0”, “/”): each is cut once
def _line_cells(line: str) -> tuple[bool, tuple[tuple[str, str, int | float | None], ...]]:
    """Whether the line is ruled, and (kind, text, value) of each of its cells (none for a
    blank line or a page number): `classify` of each part, without the line number."""
    if not line.strip() or PAGE_NUMBER.match(line):
        return False, ()
    parts = tuple((c.kind, c.raw, c.value) for part in split_line(line) for c in classify(part, 0))
    return BOX_CHAR.search(line) is not None, parts


# What a figure mangled by OCR or extraction looks like: Latin letters, digits,
# question marks and stars (“O”, “l”, “1O”, “?”, “*”). Brackets and quotes are
# a label's tail, not a figure.
GARBLED = re.compile(r"^(?=.*[0-9A-Za-z?？*＊×])[0-9A-Za-z?？*＊×.,'`|!！_~\-]{1,6}$")


def _mark_garbled(cells: list[Cell]) -> list[Cell]:
    """A short non-Chinese cell among a row's values is a garbled value, not a label.

    Among means beside a value on its own line, or — when it stands alone on a
    line, one cell per line — between lines of values."""
    alone = {}
    for c in cells:
        alone[c.line] = alone.get(c.line, 0) + (c.kind != "blank")
    for i, c in enumerate(cells):
        if c.kind != "text" or ORDINAL.match(c.raw) or not GARBLED.match(c.raw):
            continue
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


def segments(cells: list[Cell]) -> list[Segment]:
    """Group the stream into label runs, each with the values that follow it.

    A blank cell between two values on the same line is kept as a null
    placeholder (a cell left empty in the middle of a row); other blanks are
    layout (merged cells, trailing separators) and are dropped. On a ruled
    line (│ or | between cells) every cell is drawn, so blanks before, between
    and after the values of the line are all kept; the table reader trims the
    ones that are only layout (`fit`).
    """
    out: list[Segment] = []
    cur: Segment | None = None
    pending: list[Cell] = []

    def flush(line_of: int) -> None:
        assert cur is not None
        cur.values.extend(Cell("value", "", b.line, None, b.ruled) for b in pending if b.line == line_of)

    for c in cells:
        if pending and c.line != pending[0].line:
            # Trailing blanks of a ruled row are its last cells.
            if pending[0].ruled and cur is not None and cur.values and cur.values[-1].line == pending[0].line:
                flush(pending[0].line)
            pending = []
        if c.kind == "text":
            if cur is None or cur.values:
                cur = Segment("", "", c.line)
                out.append(cur)
            cur.parts.append((_compact(c.raw), c.line))
            cur.label += cur.parts[-1][0]
            cur.label_raw += (" " if cur.label_raw else "") + c.raw
            pending = []
        elif c.kind == "blank":
            if c.ruled or (cur is not None and cur.values and cur.values[-1].line == c.line):
                pending.append(c)
        else:
            if cur is None:
                cur = Segment("", "", c.line)
                out.append(cur)
            if pending:
                flush(c.line)
                pending = []
            cur.values.append(c)
    if pending and pending[0].ruled and cur is not None and cur.values and cur.values[-1].line == pending[0].line:
        flush(pending[0].line)
    return out


def fit(values: list[Cell], n: int) -> list[Cell]:
    """Drop layout blanks at the edges of a ruled row until it has `n` cells:
    leading ones first (label columns merged across the row), then trailing
    ones (columns the row does not use). Explicit marks (“/”, “—”) stay."""
    values = list(values)
    while len(values) > n and values[0].placeholder and values[0].ruled:
        values.pop(0)
    while len(values) > n and values[-1].placeholder and values[-1].ruled:
        values.pop()
    return values
