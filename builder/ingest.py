"""Bytes → clean text.

Reports arrive as text extracted from PDFs, Word files and web pages, in
whatever encoding the extractor chose. This stage decodes them and folds the
typographic noise (full-width digits, odd spaces, CR line ends) that would
otherwise make the same figure read differently from one file to the next.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
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


_FULLWIDTH_DIGITS = {ord("０") + i: str(i) for i in range(10)}
_SPACES = {c: " " for c in (0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
                             0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000)}
_DROP = {c: None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)}
# pdftotext starts each page with a form feed on the page's first line: it is
# not a line break of its own, and counting it as one would put every figure
# after it on the wrong line number.
_TABLE = {**_FULLWIDTH_DIGITS, **_SPACES, **_DROP, ord("\f"): " ", ord("\v"): " "}
# A full-width point or comma between digits is part of a number.
_FW_POINT = re.compile(r"(?<=\d)[．](?=\d)")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises ValueError when no encoding fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    # UTF-16 without a BOM. UTF-8 and GB18030 text has no zero bytes; UTF-16 has
    # one in every ASCII character (digits, spaces, line ends), mostly on one
    # side of the pair: odd offsets for little-endian, even for big-endian.
    # The decoded text must then read as Chinese and ASCII.
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if len(data) >= 4 and len(data) % 2 == 0 and even + odd:
        for enc in (("utf-16-le", "utf-16-be") if odd > even else ("utf-16-be", "utf-16-le")):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text) and _mostly_readable(text):
                return text, enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ValueError(f"第{exc.start}字节处无法按 UTF-8、UTF-16 或 GB18030 解码") from exc


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


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TABLE)
    text = _FW_POINT.sub(".", text)
    return _CONTROL.sub("", text)


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
    if not data.strip():
        raise IngestError(f"{name}：文件为空")
    try:
        text, enc = decode(data)
    except ValueError as exc:
        raise IngestError(f"{name}：不是可读的文本文件（{exc}）") from exc
    if not _looks_like_text(text):
        raise IngestError(f"{name}：文件含大量控制字符，像是二进制文件而不是报告文本")
    text = clean(text)
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise IngestError(f"{name}：文件中没有中文文字，不像是一份年度报告")
    return Source(path=name, sha256=digest, encoding=enc, text=text, size=len(data))
