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
from functools import lru_cache
from itertools import pairwise

from .html import esc

# Characters of prose indexed per report. With jieba's separators and UTF-8,
# one indexed character costs about 4.5 bytes of search_index.json.
BUDGET = 1200
_SENTENCE = re.compile(r"[^。！？；!?;\n]*[。！？；!?;]?")


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)  # boilerplate sentences recur from report to report
def _bigrams(s: str) -> frozenset[str]:
    s = _SPACE.sub("", s)
    return frozenset(map("".join, pairwise(s)))  # every pair of neighbouring characters


class Budget:
    """Shared by all prose blocks of one report, in page order."""

    def __init__(self, total: int = BUDGET, blocks: int = 1):
        self.left = total
        self.blocks_left = max(blocks, 1)
        self.seen: set[str] = set()

    def render(self, text: str | None) -> str:
        """Prose → <p> elements; sentences outside the budget are excluded from search."""
        if not text:
            self.blocks_left = max(self.blocks_left - 1, 1)
            return ""
        share = self.left // self.blocks_left  # unused share rolls over to later blocks
        used = 0
        out = []
        for para in (p.strip() for p in re.split(r"\n\s*\n", text)):
            if not para:
                continue
            parts: list[tuple[bool, str]] = []
            for line_no, line in enumerate(para.split("\n")):
                if line_no:
                    parts.append((True, "\n"))
                for sent in _SENTENCE.findall(line):
                    if not sent:
                        continue
                    grams = _bigrams(sent)
                    new = grams - self.seen
                    keep = used + len(sent) <= share and len(new) >= max(2, len(grams) // 3)
                    if keep:
                        used += len(sent)
                        self.seen |= grams
                    parts.append((keep, sent))
            out.append("<p>" + _join(parts) + "</p>")
        self.left -= used
        self.blocks_left = max(self.blocks_left - 1, 1)
        return "".join(out)


def _join(parts: list[tuple[bool, str]]) -> str:
    html, run, run_keep = [], [], None
    for keep, s in parts + [(None, "")]:
        if keep is not run_keep and run:
            text = esc("".join(run)).replace("\n", "<br>")
            html.append(text if run_keep else f"<span data-search-exclude>{text}</span>")
            run = []
        run_keep = keep
        run.append(s)
    return "".join(html)
