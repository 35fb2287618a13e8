"""Text → lines with their plain reading, and the six sections.

Some reports carry Markdown (`##` headings, `**bold**`) from the converter
that produced them. markdown-it-py reads those marks as tokens, so the prose
we keep is what a reader sees, not the markup.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common import utils as md_utils
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, Scanned, StateInline

from ..template import CN_ORDINALS, SECTIONS, compact

_MARKUP_CHARS = "*_`[]<>\\&#"
_MARKUP = re.compile(f"[{re.escape(_MARKUP_CHARS)}]")
_HEADING_MARK = re.compile(r"^ {0,3}#{1,6}(?:\s|$)", re.M)
# A section heading starts with its ordinal: “二、”, “二.”, “第二部分”, “（二）” is a subsection.
_ORDINAL = re.compile(r"^(?:第([一二三四五六])(?:部分|章|节)|([一二三四五六])[.．、，,\s])")
_ORDINAL_FIRST = tuple("第一二三四五六")  # the characters `_ORDINAL` can start with
SIGNATURE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
# Extraction junk after the report: spreadsheet dumps, file names.
JUNK = re.compile(r"^(?:_?[\w\-]+\.(?:xlsx?|docx?|wps|et|pdf|csv)|Sheet\d+)$", re.I)


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.inline.ruler.at("emphasis", _emphasis_cjk)
    return md


_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _is_punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def _scan_cjk(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """CommonMark's flanking rules, friendly to Chinese.

    “**一是强化管理。**明确责任” is bold to any reader, but CommonMark refuses
    to close emphasis after “。” when a letter follows, so the marks would stay
    in the text. Following the CommonMark CJK-friendly draft, a CJK character
    next to a run counts as punctuation when that helps the run open or close,
    and never blocks it. Runs with no CJK neighbour keep the standard result.
    """
    scanned = state.scanDelims(start, can_split_word)
    pos = start + scanned.length
    last = state.src[start - 1] if start > 0 else " "
    nxt = state.src[pos] if pos < state.posMax else " "
    if not (_CJK_CHAR.match(last) or _CJK_CHAR.match(nxt)):
        return scanned
    last_ws, next_ws = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    last_block = _is_punct(last) and not _CJK_CHAR.match(last)
    next_block = _is_punct(nxt) and not _CJK_CHAR.match(nxt)
    last_allow = bool(_CJK_CHAR.match(last)) or _is_punct(last)
    next_allow = bool(_CJK_CHAR.match(nxt)) or _is_punct(nxt)
    left = not next_ws and (not next_block or last_ws or last_allow)
    right = not last_ws and (not last_block or next_ws or next_allow)
    if can_split_word:
        return Scanned(left, right, scanned.length)
    return Scanned(left and (not right or last_allow), right and (not left or next_allow), scanned.length)


def _emphasis_cjk(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer with `_scan_cjk` for the flanking test."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = _scan_cjk(state, state.pos, marker == "*")
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=scanned.length,
                                          token=len(state.tokens) - 1, end=-1,
                                          open=scanned.can_open, close=scanned.can_close))
    state.pos += scanned.length
    return True


def inline_plain(text: str) -> str:
    """The text of one line as a reader sees it: emphasis and link marks removed."""
    if not _MARKUP.search(text):
        return text
    out = []
    for tok in _md().parseInline(text)[0].children or []:
        if tok.type in ("text", "code_inline", "html_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


@dataclass
class SectionSpan:
    no: int
    title: str  # as printed
    start: int  # index of the heading line in `lines`
    end: int  # exclusive


@dataclass
class Document:
    # The lines, as two lists: line i (numbered i + 1) as in the text, and as a reader sees it.
    raws: list[str]
    plains: list[str]  # markup removed, stripped
    sections: list[SectionSpan] = field(default_factory=list)
    end: int = 0  # index after the report's last line (junk after it excluded)
    text: str = ""  # the plain text of lines[:end], one line per line


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Each line of the text as it is, and as a reader sees it: markup removed, stripped."""
    raw_lines = text.split("\n")
    plains = list(map(str.strip, raw_lines))  # a line without markup reads as it is
    marked = _marked_lines(text)
    headings: dict[int, str] = {}
    if any(_HEADING_MARK.match(raw_lines[i]) for i in marked):
        quick = atx_headings(text, raw_lines, [i for i in marked if "#" in raw_lines[i]])
        if quick is not None:
            headings = quick
        else:
            tokens = _md().parse(text)
            for i, tok in enumerate(tokens):
                if tok.type == "heading_open" and tok.map:
                    headings[tok.map[0]] = tokens[i + 1].content
    for i in marked + list(headings):
        plains[i] = inline_plain(headings.get(i, raw_lines[i])).strip()
    return raw_lines, plains


def _marked_lines(text: str) -> list[int]:
    """Indices of the lines holding a markup character: most reports have few or none.
    Looking for each character on its own (`in`, a memchr) is much faster than a regex."""
    out: list[int] = []
    line = pos = 0
    for at in sorted(at for c in _MARKUP_CHARS if c in text for at in _find_all(text, c)):
        line += text.count("\n", pos, at)
        pos = at
        if not out or out[-1] != line:
            out.append(line)
    return out


def _find_all(text: str, c: str):
    at = text.find(c)
    while at >= 0:
        yield at
        at = text.find(c, at + 1)


# markdown-it parses a whole report to find its few “#” headings, which costs more than the
# rest of the parse. Where nothing can put a “#” line inside another block or make a heading
# without one, the headings are exactly its ATX lines, read here line by line; otherwise
# (fences, setext underlines, markers or tabs before a “#”, control characters) markdown-it decides.
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_BEFORE_HASH = re.compile(r"[ \t>*+\-\d.)]*#")  # a “#” after list or quote markers, tabs …
_HASH_START = re.compile(r" {0,3}#")
_SETEXT = re.compile(r"\n[ \t]*(?:=+|-+)[ \t]*$", re.M)  # on "\n" + text
_SETEXT_LINE = re.compile(r"[ \t]*(?:=+|-+)[ \t]*")  # the same, as a whole line
_md_trim = getattr(md_utils, "mdTrim", str.strip)  # how this markdown-it version trims a heading


def atx_headings(text: str, raw_lines: list[str], hashed: list[int] | None = None) -> dict[int, str] | None:
    """{line index: heading text} as markdown-it reads them, or None when only markdown-it can tell.
    `hashed`: the indices of the lines holding a “#”, if known."""
    if "```" in text or "~~~" in text or "\r" in text or "\0" in text or _setext_underline(text):
        return None
    out = {}
    for i in range(len(raw_lines)) if hashed is None else hashed:
        line = raw_lines[i]
        if "#" not in line:
            continue
        m = _ATX.match(line)
        if m is None:
            # “#5”, “#　x”, seven “#”: at the line's start no heading; after markers, only markdown-it knows
            if not _HASH_START.match(line) and _BEFORE_HASH.match(line):
                return None
            continue
        rest = line[m.end(1):].rstrip(" \t")
        bare = rest.rstrip("#")  # a closing sequence counts only after a space
        out[i] = _md_trim(bare if bare and bare[-1] in " \t" else rest)
    return out


def _setext_underline(text: str) -> bool:
    """Whether a line holds only “=” or only “-” between spaces or tabs (= `_SETEXT`, which
    tries every line, slowly): `str.find` goes straight to the few lines holding either."""
    for mark in "=-":
        at = text.find(mark)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            if _SETEXT_LINE.fullmatch(text, start, end):
                return True
            at = text.find(mark, end)  # on the next line
    return False


def heading_number(plain: str) -> int | None:
    s = plain.replace("\u3000", "").strip()
    m = _ORDINAL.match(s)
    if not m:
        return None
    return CN_ORDINALS.index(m.group(1) or m.group(2)) + 1


def find_sections(raws: list[str], plains: list[str], plain_text: str | None = None) -> list[SectionSpan]:
    """Find the six headings in order, by their ordinal and their words.
    `plain_text`: the plains joined by line breaks, if at hand."""
    numbered = [(i, heading) for i in _ordinal_lines(plains, plain_text) if len(plains[i]) <= 60
                and "\t" not in raws[i].strip() and (heading := _heading(plains[i]))[0]]
    found: list[SectionSpan] = []
    start = 0
    for sec in SECTIONS:
        for i, (n, named, title) in numbered:
            if i < start or n != sec.no:
                continue
            if named:
                found.append(SectionSpan(sec.no, title, i, len(plains)))
                start = i + 1
                break
    for a, b in zip(found, found[1:]):
        a.end = b.start
    return found


_SECTION_WORDS = {sec.no: re.compile(sec.pattern) for sec in SECTIONS}


@lru_cache(maxsize=4096)  # headings repeat from report to report
def _heading(plain: str) -> tuple[int | None, bool, str]:
    """(its ordinal's number, whether its words name that section, its title) of a line
    that may be a section heading."""
    n = heading_number(plain)
    if n is None:
        return None, False, ""
    return n, _SECTION_WORDS[n].search(compact(plain)) is not None, _title(plain)
_ORDINAL_AFTER_BREAK = re.compile("\n[" + "".join(_ORDINAL_FIRST) + "]")


def _ordinal_lines(plains: list[str], plain_text: str | None) -> list[int]:
    """Indices of the lines starting with an ordinal, as a heading does (a stripped line
    cannot start with the ideographic space `heading_number` drops): the few that can be one.
    Found in the joined text, whose line breaks a search skips to in C."""
    if plain_text is None:
        plain_text = "\n".join(plains)
    if plain_text.count("\n") != len(plains) - 1:  # a line holding a break (never seen): line by line
        return list(itertools.compress(itertools.count(), map(str.startswith, plains,
                                                                itertools.repeat(_ORDINAL_FIRST))))
    out = [0] if plains and plains[0].startswith(_ORDINAL_FIRST) else []
    line = pos = 0
    for m in _ORDINAL_AFTER_BREAK.finditer(plain_text):
        line += plain_text.count("\n", pos, m.start() + 1)
        pos = m.start() + 1
        out.append(line)
    return out


def _title(plain: str) -> str:
    s = plain.strip()
    s = re.sub(r"^(?:第[一二三四五六](?:部分|章|节)|[一二三四五六][.．、，,\s])\s*", "", s)
    return s.strip(" 　:：")


_DUMP_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月")


def _dump_like(raw: str, plain: str) -> bool:
    """A line of a spreadsheet dump: short cells, no sentence, no date."""
    if not plain:
        return True
    if JUNK.match(plain):
        return True
    if _DUMP_DATE.search(plain) or re.search(r"[。，；]", plain):
        return False
    return all(len(c.strip()) <= 12 for c in re.split(r"\t| {2,}", raw.strip()))


def report_end(raws: list[str], plains: list[str], after: int) -> int:
    """Index just past the report: a file name (“_123.xls”, “Sheet1”) followed only
    by dump lines is extraction junk and is cut off. A file name followed by more
    prose or a dated signature is part of the report and stays."""
    end = len(plains)
    for i in range(len(plains) - 1, after - 1, -1):  # from the end: linear in the lines
        if JUNK.match(plains[i]):
            end = i
        elif not _dump_like(raws[i], plains[i]):
            break
    return end


def read(text: str) -> Document:
    raws, plains = split_lines(text)
    plain_text = "\n".join(plains)
    sections = find_sections(raws, plains, plain_text)
    end = report_end(raws, plains, sections[-1].start if sections else 0)
    if sections:
        sections[-1].end = end
    return Document(raws, plains, sections, end, plain_text if end == len(plains) else "\n".join(plains[:end]))


_END_PUNCT = "。！？；：…”）)」』!?;:"


def paragraphs(plains: list[str]) -> list[str]:
    """Lines (as a reader sees them) → paragraphs. A long line that stops mid-sentence
    was broken by a page end or the extractor, so the next line continues it."""
    paras: list[str] = []
    glue = False
    for text in plains:
        if not text:
            continue
        if glue and paras and not _starts_new_item(text):
            sep = " " if re.match(r"[A-Za-z0-9]", text) and re.search(r"[A-Za-z0-9]$", paras[-1]) else ""
            paras[-1] += sep + text
        else:
            paras.append(text)
        glue = paras[-1][-1] not in _END_PUNCT and len(text) >= 20
    return paras


def _starts_new_item(text: str) -> bool:
    return bool(re.match(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.]|\d+[.、．]|第[一二三四五六七八九十]|[#*])", text))
