"""Bytes → clean text.

Reports arrive as text extracted from PDFs, Word files and web pages, in
whatever encoding the extractor chose. This stage decodes them and folds the
typographic noise (full-width digits, odd spaces, CR line ends) that would
otherwise make the same figure read differently from one file to the next.

Anyone can drop a file into seeds/, so this stage is also the gate: a file
that is not report text (an image, an archive, noise) is refused here with a
Chinese reason, and a report damaged on the way (cut off mid-character, a few
bad bytes) is kept, with a note saying what was lost.
"""
from __future__ import annotations

import hashlib
import re
import sys
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


class IngestError(Exception):
    """A file that cannot be read as a report; the message is Chinese and names the file."""


@dataclass(frozen=True)
class Source:
    path: str  # as given, for display and the JSON `source.path`
    sha256: str
    encoding: str
    text: str
    size: int
    notes: tuple[str, ...] = ()  # Chinese: damage found while decoding (parse copies them into the record)


_FULLWIDTH_DIGITS = {ord("０") + i: str(i) for i in range(10)}
_SPACES = {c: " " for c in (0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
                             0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000)}
_DROP = {c: None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)}
# pdftotext starts each page with a form feed on the page's first line: it is
# not a line break of its own, and counting it as one would put every figure
# after it on the wrong line number.
_TABLE = {**_FULLWIDTH_DIGITS, **_SPACES, **_DROP, ord("\f"): " ", ord("\v"): " "}
# The same, as a pattern: a report holds few of these characters, and replacing just those
# is many times faster than translating every character through a dict.
_TABLE_CHARS = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]")
_TABLE_STR = {chr(k): v or "" for k, v in _TABLE.items()}
# A full-width point or comma between digits is part of a number.
_FW_POINT = re.compile(r"(?<=\d)[．](?=\d)")


def _class(ranges) -> str:
    """(first, last) code points as the body of a regex class: “a-z”, one range after another.
    The classes below are declared as ranges so that `_plain_run` can combine them cheaply."""
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


def _singles(chars: str) -> tuple[tuple[int, int], ...]:
    return tuple((ord(c), ord(c)) for c in chars)


_C0 = ((0x00, 0x08), (0x0e, 0x1f), (0x7f, 0x7f))
_CONTROL = re.compile(f"[{_class(_C0)}]")
# C1 controls and noncharacters never belong to a report's text (and YAML, which carries
# page titles, refuses them): dropped like the C0 controls.
_C1_AND_NONCHARACTERS = ((0x80, 0x9f), (0xfdd0, 0xfdef), (0xfffe, 0xffff))
_DROPPED = re.compile(f"[{_class(_C0 + _C1_AND_NONCHARACTERS)}]")
# Everything `_cleaned` replaces or drops but the full-width point, in one pass (see `_cleaned`).
_CLEANED_RANGES = _singles("".join(_TABLE_STR)) + _C0 + _C1_AND_NONCHARACTERS
_CLEAN_CHARS = re.compile(f"[{_class(_CLEANED_RANGES)}]")

# Files that are plainly something else, by their first bytes: the reason says what they are.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "这是 PNG 图片文件"),
    (b"\xff\xd8\xff", "这是 JPEG 图片文件"),
    (b"GIF87a", "这是 GIF 图片文件"),
    (b"GIF89a", "这是 GIF 图片文件"),
    (b"%PDF-", "这是 PDF 文件，请先用 pdftotext 等工具提取其中的文字"),
    (b"PK\x03\x04", "这是 ZIP 压缩文件（也可能是 Word .docx 或 Excel .xlsx 文件），请先提取其中的文字"),
    (b"PK\x05\x06", "这是空的 ZIP 压缩文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "这是旧版 Word/Excel（.doc/.xls）文件，请先提取其中的文字"),
    (b"\x1f\x8b", "这是 gzip 压缩文件"),
    (b"7z\xbc\xaf\x27\x1c", "这是 7z 压缩文件"),
    (b"Rar!\x1a\x07", "这是 RAR 压缩文件"),
    (b"\x7fELF", "这是程序文件（ELF）"),
)
_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
    (b"\x84\x31\x95\x33", "gb18030"),
)
_BOM_NAMES = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
              "utf-32-le": "utf-32", "utf-32-be": "utf-32", "gb18030": "gb18030"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises ValueError (Chinese message) when no encoding fits."""
    d = decode_report(data)
    return d.text, d.encoding


def decode_report(data: bytes) -> Decoded:
    """The text of a report file, its encoding, and notes on damage. Raises ValueError (Chinese)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            d = _tolerant(body, enc) if enc in ("utf-8", "gb18030") else _wide(body, enc)
            if d is None:
                raise ValueError(f"文件开头标明是 {enc.upper()} 编码，但内容无法按此编码解码")
            return Decoded(d.text, _BOM_NAMES[enc], d.notes)
    wide = _utf16_without_bom(data)
    if wide is not None:
        return wide
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Not clean UTF-8: either GB18030, or UTF-8 cut off or with a few damaged bytes.
    # Each reading is scored by how much of it looks like a report's characters.
    options = [d for d in (_tolerant(data, "utf-8"), _tolerant(data, "gb18030")) if d is not None]
    if not options:
        raise ValueError("无法按 UTF-8、UTF-16 或 GB18030 解码")
    if len(options) == 1:
        return options[0]  # nothing to choose between: spare scoring it (the caller scores it once)
    return max(options, key=lambda d: _likely_share(d.text, d.encoding))


def _wide(body: bytes, enc: str) -> Decoded | None:
    """UTF-16/32 after a BOM; an odd tail (a file cut off mid-character) is dropped with a note."""
    unit = 4 if "32" in enc else 2
    cut = len(body) % unit
    notes = ()
    if cut:
        body = body[:-cut]
        notes = ("文件末尾有一个不完整的字符，可能是文件被截断了；已略去",)
    d = _tolerant(body, enc)
    return None if d is None else Decoded(d.text, enc, notes + d.notes)


def _tolerant(data: bytes, enc: str) -> Decoded | None:
    """Decode, keeping a file that is damaged in a few places: a character cut off at the
    end is dropped, other undecodable bytes become U+FFFD; both are noted. None when
    more than one character in a hundred is damaged: then this is not the file's encoding."""
    try:
        return Decoded(data.decode(enc), enc)
    except UnicodeDecodeError as exc:
        first = exc
    notes = []
    if first.start >= len(data) - 4 and re.search("end of data|incomplete", str(first.reason)):
        data = data[:first.start]
        notes.append("文件末尾有一个不完整的字符，可能是文件被截断了；已略去")
        try:
            return Decoded(data.decode(enc), enc, tuple(notes))
        except UnicodeDecodeError:
            pass
    text = data.decode(enc, errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode(enc))  # U+FFFD already in the file is not damage
    if bad > max(1, len(text) // 100):
        return None
    notes.append(f"文件中有 {bad} 处字节无法按 {enc.upper()} 解码（文件可能已损坏），显示为“\ufffd”")
    return Decoded(text, enc, tuple(notes))


def _utf16_without_bom(data: bytes) -> Decoded | None:
    # UTF-8 and GB18030 text has no zero bytes; UTF-16 has one in every ASCII
    # character (digits, spaces, line ends), mostly on one side of the pair: odd
    # offsets for little-endian, even for big-endian. The decoded text must then
    # read as Chinese and ASCII.
    if b"\0" not in data:  # as in almost every file: spare counting
        return None
    zeros = data.count(0)
    if len(data) < 4 or zeros == len(data):
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for enc in (("utf-16-le", "utf-16-be") if odd > even else ("utf-16-be", "utf-16-le")):
        d = _wide(data, enc)
        if d is not None and _looks_like_text(d.text) and _mostly_readable(d.text):
            return d
    return None


_READABLE = re.compile(r"[\s\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2460-\u27bf\u3000-\u303f"
                       r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def _mostly_readable(text: str) -> bool:
    """Chinese, ASCII and their punctuation: what a report is made of. A wrong
    guess of byte order gives rare symbols and unassigned code points instead."""
    return len(_READABLE.findall(text)) >= 0.95 * len(text)


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = len(_CONTROL.findall(text))
    return bad <= len(text) // 50


# What report text is made of: ASCII, Latin-1 signs (·×), general punctuation, number
# forms (Ⅰ), arrows and maths, enclosed numbers (①), box drawing (tables), shapes and
# dingbats (■★), CJK punctuation, enclosed CJK (㈠), ideographs, full-width forms.
_LIKELY_RANGES = ((0x20, 0x7e), (0xa0, 0xff), (0x2000, 0x206f), (0x2100, 0x27bf), (0x3000, 0x303f),
                  (0x3200, 0x32ff), (0x3400, 0x4dbf), (0x4e00, 0x9fff), (0xf900, 0xfaff), (0xfe30, 0xfe4f),
                  (0xff00, 0xffef))
_LIKELY = re.compile(f"[{_class(_LIKELY_RANGES)}]")
_LIKELY_RUN = re.compile(_LIKELY.pattern + "+")
# Text that was already lost before it reached us: U+FFFD, and U+FFFD bytes read
# as GBK (锟斤拷) or uninitialised memory shown by old Windows tools (烫烫, 屯屯).
_LOST_FORMS = (r"\ufffd", "锟斤拷", "烫{2,}", "屯{2,}")
_LOST = re.compile("|".join(_LOST_FORMS))
# What `\s` matches beyond ASCII (Python's spaces: `str.isspace`), spelled out so that a
# class can leave out the ASCII ones that are C0 controls too (\x1c-\x1f).
# (Found by a search of the BMP as one string: far faster than testing each character.)
_WIDE_SPACES = "".join(re.findall(r"\s", array("I", range(0x80, 0x10000)).tobytes().decode(
    f"utf-32-{sys.byteorder[0]}e", "surrogatepass")))  # = filter(str.isspace, …)
# Usual characters: likely ones, spaces, ASCII letters, digits, signs and line breaks. The
# others are C0 controls and characters that count and are not likely (U+FFFD among them).
_USUAL_RANGES = _singles("\t\n\x0b\x0c\r" + _WIDE_SPACES) + _LIKELY_RANGES
_USUAL = _class(_USUAL_RANGES)  # as a class
_USUAL_CHAR = re.compile(f"[{_USUAL}]")
# A run of them. Matching a run goes through the text in one tight loop, several times
# faster than searching it for the first character that is not usual.
_USUAL_RUN = re.compile(f"[{_USUAL}]*+")
_LOST_STARTS = tuple(f[0] for f in _LOST_FORMS[1:])  # likely characters, but they may start lost text
SAMPLE = 100_000  # characters from each end: enough to judge, and fast on a multi-megabyte file
MIN_LIKELY = 0.85


# After GB18030 a character counts as likely when it is in GB2312 (what Chinese prose and
# tables are written in) or general punctuation (U+2000–U+206F); ASCII and spaces do not count.
# The `gb2312` codec encodes exactly ASCII and GB2312, so a text is all likely or uncounted when
# it encodes once the other uncounted and likely characters are taken out (`_SPACES_AND_PUNCTUATION`):
# far cheaper than a regex class of GB2312's 7,000 characters, which took a worker 10 ms to build
# (tests/test_ingest_speedups.py compares the two over every code point).
_SPACES_AND_PUNCTUATION = re.compile(f"[{re.escape(_WIDE_SPACES)}\u2000-\u206f]+")


def _all_likely_after_gb18030(text: str) -> bool:
    """Whether every character of the text is likely after GB18030 or does not count."""
    try:
        _SPACES_AND_PUNCTUATION.sub("", text).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _unlikely_after_gb18030(wide: str) -> int:
    """How many characters of a text without ASCII or spaces are not likely after GB18030."""
    # The codec writes one "?" for each character it cannot encode, and the text has no "?" of its own.
    return _SPACES_AND_PUNCTUATION.sub("", wide).encode("gb2312", "replace").count(b"?")


def _likely_share(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters that a report is likely to hold.

    GB18030 decodes almost any run of high bytes, so after it a character only
    counts when it is in GB2312 (what Chinese prose and tables are written in)
    or common punctuation: random bytes give mostly rare ideographs and
    private-use code points. Other encodings reject noise themselves; there any
    ideograph counts. Already-lost text (U+FFFD, 锟斤拷) never counts. ASCII is
    left out so that digits and Latin letters cannot hide the rest."""
    sample = text if len(text) <= 2 * SAMPLE else text[:SAMPLE] + text[-SAMPLE:]
    if encoding.startswith("gb18030") and _all_likely_after_gb18030(sample) \
            and not any(c in sample for c in _LOST_STARTS):
        return 1.0  # every counted character is likely, none is lost: no need to count
    wide = re.sub(r"[\x00-\x7f\s]+", "", sample)
    if not wide:
        return 1.0  # plain ASCII: nothing to judge here (and no Chinese: refused later)
    lost = sum(len(m) for m in _LOST.findall(wide))
    if encoding.startswith("gb18030"):
        likely = len(wide) - _unlikely_after_gb18030(wide)
    else:
        likely = sum(map(len, _LIKELY_RUN.findall(wide)))  # runs, not one match per character: faster
    return max(0, likely - lost) / len(wide)


def _cleaned(text: str) -> tuple[str, bool]:
    """The text cleaned, and whether all its characters are usual (`_USUAL`)."""
    if "\r" in text:  # line breaks are usual either way
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "．" in text:
        usual = _USUAL_RUN.match(text).end() == len(text)
        text = _TABLE_CHARS.sub(lambda m: _TABLE_STR[m.group()], text)
        text = _FW_POINT.sub(".", text)
        return _DROPPED.sub("", text), usual
    if "\u3000" in text:  # reports indent with ideographic spaces: replaced at once, the loop below
        text = text.replace("\u3000", _TABLE_STR["\u3000"])  # need not stop at each (both are usual)
    # Each character is replaced (= text.translate(_TABLE)) or dropped on its own, so without
    # a full-width point for _FW_POINT to see between them, one pass does both: it goes from
    # one character that is cleaned or unusual to the next (`_plain_run`).
    pieces: list[str] = []
    usual = True
    pos, n = 0, len(text)
    run = _plain_run()
    while (end := run.match(text, pos).end()) < n:
        c = text[end]
        pieces += (text[pos:end], _TABLE_STR.get(c, c if _CLEAN_CHARS.match(c) is None else ""))
        usual = usual and _USUAL_CHAR.match(c) is not None
        pos = end + 1
    if not pieces:
        return text, True
    pieces.append(text[pos:])
    return "".join(pieces), usual


@lru_cache(maxsize=1)
def _plain_run() -> re.Pattern:
    """A run of usual characters that `_cleaned` keeps as they are: nearly all of a report."""
    plain = bytearray(0x10000)  # 1 for each such character of the BMP (both classes lie in it)
    for ranges, mark in ((_USUAL_RANGES, 1), (_CLEANED_RANGES, 0)):
        for first, last in ranges:
            plain[first:last + 1] = bytes([mark]) * (last + 1 - first)
    ranges, stop = [], 0
    while (start := plain.find(1, stop)) >= 0:
        stop = plain.find(0, start) % (len(plain) + 1)  # -1 (none left): the end
        ranges.append((start, stop - 1))
    return re.compile(f"[{_class(ranges)}]*+")


def read(path: str | Path, display: str | None = None) -> Source:
    """Read one report file. Raises IngestError with a Chinese message naming the file."""
    p = Path(path)
    name = display or str(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(f"{name}：无法打开文件（{exc.strerror or exc}）") from exc
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> Source:
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise IngestError(f"{name}：文件为空（0 字节）")
    if not data.strip():
        raise IngestError(f"{name}：文件为空（只有空白字符）")
    if not data.strip(b"\0"):
        raise IngestError(f"{name}：文件全部是零字节（NUL），像是二进制文件或没有写完的文件")
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise IngestError(f"{name}：{what}，不是报告文本")
    try:
        d = decode_report(data)
    except ValueError as exc:
        raise IngestError(f"{name}：不是可读的文本文件（{exc}）") from exc
    text, usual = _cleaned(d.text)
    # No control character, no unlikely character and no lost text, as in almost every report:
    # then `_looks_like_text` and (but after GB18030) `_likely_share` need no counting.
    ordinary = usual and not any(c in d.text for c in _LOST_STARTS)
    if not (d.text and ordinary) and not _looks_like_text(d.text):
        raise IngestError(f"{name}：文件含大量控制字符，像是二进制文件而不是报告文本")
    share = 1.0 if ordinary and not d.encoding.startswith("gb18030") else _likely_share(d.text, d.encoding)
    if share < MIN_LIKELY:
        raise IngestError(f"{name}：按 {d.encoding.upper()} 解码后，非英文字符中只有 {share:.0%} 是中文报告常用的汉字和符号，"
                          "其余是罕见字符或乱码，像是二进制文件或编码有误的文本")
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise IngestError(f"{name}：文件中没有中文文字，不像是一份年度报告")
    return Source(path=name, sha256=digest, encoding=d.encoding, text=text, size=len(data), notes=d.notes)
