"""The cheap checks of ingest agree with what they stand for, character by character."""
from __future__ import annotations

import random
import re
from pathlib import Path

from builder import ingest as I

EVERY = [chr(i) for i in range(0x110000)]


def _gb2312() -> set[str]:
    """GB2312 by its definition: every double-byte code the codec decodes (rows A1–F7)."""
    out = set()
    for a in range(0xA1, 0xF8):
        for b in range(0xA1, 0xFF):
            try:
                out.add(bytes((a, b)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def test_gb2312_check_is_gb2312_and_punctuation():
    gb = _gb2312()
    assert len(gb) > 7000 and "报" in gb and "\u3400" not in gb

    def likely_or_uncounted(c: str) -> bool:
        return c.isascii() or c.isspace() or c in gb or "\u2000" <= c <= "\u206f"

    wrong = [c for c in EVERY if I._all_likely_after_gb18030(c) != likely_or_uncounted(c)]
    assert wrong == []
    counted = "".join(c for c in EVERY if not (c.isascii() or c.isspace()))
    assert I._unlikely_after_gb18030(counted) == sum(not likely_or_uncounted(c) for c in counted)
    assert I._all_likely_after_gb18030("二零二三年\u3000报告—“公开”…\u2002") is True
    assert I._all_likely_after_gb18030("报告\ufffd") is False


def test_plain_run_is_usual_and_not_cleaned():
    run = I._plain_run()
    wrong = [c for c in EVERY if (run.fullmatch(c) is not None)
             != (I._USUAL_CHAR.match(c) is not None and I._CLEAN_CHARS.match(c) is None)]
    assert wrong == []


def test_wide_spaces_are_pythons():
    assert I._WIDE_SPACES == "".join(filter(str.isspace, EVERY[0x80:0x10000]))
    assert I._WIDE_SPACES == "".join(c for c in EVERY[0x80:] if re.match(r"\s", c))


def _cleaned_plainly(text: str) -> tuple[str, bool]:
    """`ingest._cleaned` spelled out: line breaks, the table, the full-width point, controls."""
    usual = all(I._USUAL_CHAR.match(c) for c in text.replace("\r", "\n"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(I._TABLE)
    return I._DROPPED.sub("", I._FW_POINT.sub(".", text)), usual


def test_cleaning_is_the_plain_one():
    import hostile

    from builder.synth import generate

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    files = list(hostile.corpus().values()) + [p.read_bytes() for p in seeds.glob("*.txt")]
    files += [s.data for s in generate(30, seed=3, seeds=seeds)]
    texts = [data.decode(enc, "replace") for data in files for enc in ("utf-8", "gb18030")]
    rng = random.Random(7)
    alphabet = "".join(map(chr, I._TABLE)) + "ab中文１２\n\r\u3000．.\x00\x85\ufffe\U00020000㐀"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    for t in texts:
        assert I._cleaned(t) == _cleaned_plainly(t)
