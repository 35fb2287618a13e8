"""The report page's quick paths give exactly what the plain algorithms give.

`searchtext.Budget` adds a sentence's bigrams before it knows whether the sentence
is indexed, and rebuilds the seen bigrams when one is turned down; it reads each
paragraph once per process. The plain algorithm below is the one it replaces:
the prose of real and synthetic reports, and texts made to hit the rare paths,
must come out the same, character for character.
"""
from __future__ import annotations

import re

from built_site import SEEDS
from builder import pipeline
from builder.render import searchtext as S
from builder.render.html import esc, is_plain
from builder.synth import generate

_PIECE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?|[。！？；!?;]|\n")
_PARAGRAPH = re.compile(r"\n\s*\n")
_EXCLUDED = "<span data-search-exclude>%s</span>"


def _bigrams(s: str) -> set[str]:
    s = "".join(s.split())
    return {s[i:i + 2] for i in range(len(s) - 1)}


class PlainBudget:
    """The budget as first written: one set difference per sentence, every paragraph read anew."""

    def __init__(self, total: int = S.BUDGET, blocks: int = 1):
        self.left, self.blocks_left, self.seen = total, max(blocks, 1), set()
        self.turned_down = 0

    def render(self, text: str | None) -> str:
        if not text:
            self.blocks_left = max(self.blocks_left - 1, 1)
            return ""
        share = self.left // self.blocks_left
        used = 0
        shown = (lambda t: t.replace("\n", "<br>")) if is_plain(text) else (lambda t: esc(t).replace("\n", "<br>"))
        out = []
        for para in _PARAGRAPH.split(text):
            para = para.strip()
            if not para:
                continue
            runs: list[tuple[bool, str]] = []  # (kept, text) of each run of pieces
            for piece in _PIECE.findall(para):
                if piece == "\n":
                    keep = True
                elif used + len(piece) <= share:
                    grams = _bigrams(piece)
                    new = grams - self.seen
                    keep = len(new) >= max(2, len(grams) // 3)
                    if keep:
                        used += len(piece)
                        self.seen |= new
                    else:
                        self.turned_down += 1
                else:
                    keep = False
                if runs and runs[-1][0] == keep:
                    runs[-1] = (keep, runs[-1][1] + piece)
                else:
                    runs.append((keep, piece))
            out.append("<p>" + "".join(shown(t) if k else _EXCLUDED % shown(t) for k, t in runs) + "</p>")
        self.left -= used
        self.blocks_left = max(self.blocks_left - 1, 1)
        return "".join(out)


def _same(reports: list[list[str | None]]) -> int:
    """Every report's blocks through both budgets; how many sentences the plain one turned down."""
    turned_down = 0
    for blocks in reports:
        n = sum(1 for t in blocks if t)
        quick, plain = S.Budget(blocks=n), PlainBudget(blocks=n)
        for text in blocks:
            assert quick.render(text) == plain.render(text), text[:80] if text else text
        turned_down += plain.turned_down
    return turned_down


def _prose(record: dict) -> list[str | None]:
    return [s.get("text") for s in record.get("sections") or []]


def test_budget_on_real_and_synthetic_reports(tmp_path):
    paths = sorted(SEEDS.glob("*.txt"))
    for i, s in enumerate(generate(40, 3, SEEDS)):
        p = tmp_path / f"{i:03d}.txt"
        p.write_text(s.text, encoding="utf-8")
        paths.append(p)
    records = [pipeline.process(p).record for p in paths]
    reports = [_prose(r) for r in records if r]
    assert len(reports) == len(paths) and sum(len(b) for b in reports) > 200
    # The same reports twice: the second time every paragraph is read from memory.
    _same(reports + reports)


def test_budget_where_sentences_are_turned_down_or_escaped():
    real = [t for p in sorted(SEEDS.glob("*.txt"))
            for t in _prose(pipeline.process(p).record) if t]
    sentence = real[0].split("。")[0] + "。"
    first = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉。"
    reports = [
        # A sentence with a few new words but not enough is turned down, and its new words do not
        # count as seen: the next sentence, made of them, is indexed.
        [first + first[:-1] + "金木水。" + "酉金木水。"],
        # Repeats: the second and third time a sentence adds no new words and is turned down,
        # then later sentences must still be measured against what was kept.
        [sentence * 3 + "\n\n" + real[1], real[2], sentence + "\n" + real[0]],
        # Line breaks inside a paragraph, blank paragraphs, markup, controls, astral characters.
        ["第一行&amp;<b>粗</b>\n第二行\x07。\n \n\n" + sentence * 2, None, "", "😀😀；a；" * 40 + real[3]],
        # A tiny budget: most pieces past it, a few short ones still fit.
        [real[0][:900] + "\n\n好的。对的。" * 30] * 4,
    ]
    assert _same(reports) >= 3
    small = [S.Budget(total=40, blocks=2), PlainBudget(total=40, blocks=2)]
    for text in (real[1], "短句。" * 20 + "\n\n又一段。"):
        assert small[0].render(text) == small[1].render(text)
