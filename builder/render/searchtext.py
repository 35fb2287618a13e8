"""Which sentences of a report's prose go into the search index.

The whole prose is shown on the page, but Material's index ships to every
reader's browser, so each report gets a fixed budget of indexed characters.
Within it, sentences are taken in order when they add words the report has
not said yet (measured with character bigrams, so no segmenter is needed
here); repeats and sentences past the budget are wrapped in
`data-search-exclude` spans. The page text stays exactly the same.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .html import esc, is_plain

# Characters of prose indexed per report. With jieba's separators and UTF-8,
# one indexed character costs about 4.5 bytes of search_index.json.
BUDGET = 1200
# A sentence (up to and with its end mark), or a line break.
_PIECE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?|[。！？；!?;]|\n")
_PARAGRAPH = re.compile(r"\n\s*\n")


@lru_cache(maxsize=16384)  # boilerplate sentences recur from report to report
def _bigrams(s: str) -> tuple[frozenset[int], int]:
    """Every pair of neighbouring characters (spaces removed), each as one number: the two
    characters' UTF-32 codes side by side, read in C rather than built as strings one by one;
    and how many of them must be new for the sentence to be indexed."""
    b = "".join(s.split()).encode("utf-32-le", "surrogatepass")  # whitespace removed (what \s matches)
    # Characters 0-1, 2-3, … then 1-2, 3-4, …: one buffer, so the set is built once.
    pairs = b[: len(b) // 8 * 8] + b[4: 4 + (len(b) - 4) // 8 * 8]
    grams = frozenset(memoryview(pairs).cast("Q"))
    return grams, max(2, len(grams) // 3)


@lru_cache(maxsize=16384)  # boilerplate paragraphs recur too: each is read once
def _pieces(para: str) -> tuple[tuple[str, ...], Callable[[str], str]]:
    """A paragraph's pieces, and how its slices are shown: usually nothing in it needs escaping
    (one scan tells), and then they go out as they are. Escaping works character by character,
    so asking per paragraph rather than per prose block changes nothing."""
    return tuple(_PIECE.findall(para)), _shown if is_plain(para) else _escaped


class Budget:
    """Shared by all prose blocks of one report, in page order."""

    def __init__(self, total: int = BUDGET, blocks: int = 1):
        self.left = total
        self.blocks_left = max(blocks, 1)
        self.seen: set[int] = set()  # the bigrams of every sentence indexed so far
        self.indexed: list[frozenset[int]] = []  # and those sentences' bigrams

    def render(self, text: str | None) -> str:
        """Prose → <p> elements; sentences outside the budget are excluded from search."""
        if not text:
            self.blocks_left = max(self.blocks_left - 1, 1)
            return ""
        share = self.left // self.blocks_left  # unused share rolls over to later blocks
        used = 0
        seen, indexed = self.seen, self.indexed
        out = []
        for para in _PARAGRAPH.split(text):
            para = para.strip()
            if not para:
                continue
            # The pieces tile the paragraph: a run of pieces kept (or not) together is a slice of it.
            html = []
            start = end = 0
            run_keep = None
            pieces, shown = _pieces(para)
            for piece in pieces:
                n = len(piece)
                if piece == "\n":
                    keep = True  # a line break stays with the text around it
                elif used + n <= share:  # only then do its words matter
                    # Its bigrams are added first, and how many were new read off the size: cheaper
                    # than a set difference. A sentence is rarely turned down: then the seen bigrams
                    # are those of the sentences indexed.
                    grams, need = _bigrams(piece)
                    before = len(seen)
                    seen |= grams
                    keep = len(seen) - before >= need
                    if keep:
                        used += n
                        indexed.append(grams)
                    else:
                        seen = self.seen = set().union(*indexed)
                else:
                    keep = False
                if keep is not run_keep:
                    if end:
                        html.append(shown(para[start:end]) if run_keep else _EXCLUDED % shown(para[start:end]))
                    start, run_keep = end, keep
                end += n
            last = shown(para[start:]) if run_keep else _EXCLUDED % shown(para[start:])
            out.append(f"<p>{last}</p>" if not html else f"<p>{''.join(html)}{last}</p>")
        self.left -= used
        self.blocks_left = max(self.blocks_left - 1, 1)
        return "".join(out)


_EXCLUDED = "<span data-search-exclude>%s</span>"  # pieces excluded from search


def _shown(text: str) -> str:
    """Pieces with nothing to escape, as shown: line breaks become <br>."""
    return text.replace("\n", "<br>")


def _escaped(text: str) -> str:
    """Pieces escaped, as shown."""
    return esc(text).replace("\n", "<br>")
