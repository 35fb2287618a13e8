"""Search: the built search_index.json, queried the way Material's search worker does.

Material (9.x, src/templates/assets/javascripts/integrations/search/) builds a
lunr index in the browser from search_index.json: its own tokenizer splits on
the configured separator (Chinese was already segmented by jieba at build
time, with zero-width spaces), `b(0)`, fields title ×1000 / text / tags. A
query is transformed before lunr sees it:

1. each run of Han characters is segmented greedily against the terms of the
   index (`segment()` in query/segment) and the pieces joined with "* ";
2. `transformSearchQuery()` splits terms on the separator and appends "*"
   to every term (trailing wildcard);
3. results are boosted (+1 for whole pages, + share of query terms found),
   re-sorted and grouped by page.

The functions below port those steps to Python over the `lunr` package, so
the tests see what a reader's browser would list.
"""
from __future__ import annotations

import json
import re

import pytest
from lunr.builder import Builder
from lunr.stemmer import stemmer

from builder.render.mkdocs_hooks import units_joined_to_numbers
from built_site import built_site

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef]+")
TAG = re.compile(r"<[^>]*>")


# ------------------------------------------------------------------ Material's search, in Python

class MaterialSearch:
    def __init__(self, index_json: dict):
        config = index_json["config"]
        self.separator = re.compile(config["separator"])
        self.docs = index_json["docs"]
        b = Builder()
        b.ref("location")
        b.b(0)
        for name, spec in config["fields"].items():
            b.field(name, boost=spec.get("boost", 1), extractor=self._extractor(name))
        # lunr.zh replaces the indexing pipeline; Material then removes trimmer and stop words
        # (config pipeline: stemmer only, and stemmer-zh is the identity). The default search
        # pipeline keeps lunr's stemmer; wildcard terms skip it anyway.
        b.search_pipeline.add(stemmer)
        for doc in self.docs:
            b.add(doc, {"boost": doc.get("boost", 1)})
        self.index = b.build()
        # setupSearchDocumentMap: the first entry of a page is the article, later ones its sections.
        self.parent: dict[str, str | None] = {}
        seen = set()
        for doc in self.docs:
            path = doc["location"].split("#")[0]
            self.parent[doc["location"]] = path if path in seen else None
            seen.add(path)
        self.terms = set(self.index.inverted_index)

    def _extractor(self, name):
        def extract(doc):
            value = doc.get(name)
            if value is None:
                return None
            values = value if isinstance(value, list) else [value]
            out = []
            for v in values:
                out.extend(t.lower() for t in self.separator.split(TAG.sub(" ", str(v))) if t)
            return out
        return extract

    def segment(self, query: str) -> list[str]:
        """query/segment/index.ts, line for line."""
        n = len(query)
        wordcuts = [0] * n
        for i in range(n):
            for j in range(i + 1, n):
                if query[i:j] in self.terms:
                    wordcuts[i] = j - i
        segments: dict[str, None] = {}
        stack = [0]
        s = len(stack)
        while s > 0:
            s -= 1
            p = stack[s]
            stack = stack[: s]
            for q in range(1, wordcuts[p]):
                if q + p < n and wordcuts[p + q] > wordcuts[p] - q:
                    segments[query[p:p + q]] = None
                    stack.append(p + q)
                    s += 1
            q = p + wordcuts[p]
            if q < n and wordcuts[q] and q < n - 1:
                stack.append(q)
                s += 1
            segments[query[p:q]] = None
        if "" in segments:
            return [query]
        return list(segments)

    def transform(self, query: str) -> str:
        """query/transform + transformSearchQuery: split terms on the separator, add trailing wildcards."""
        query = query.strip()
        parts = re.split(r'"([^"]+)"', query)
        query = "".join(re.sub(r"^\b|^(?![^\x00-\x7F]|$)|\s+", " +", p) if i & 1 else p
                        for i, p in enumerate(parts))
        query = re.sub(r'"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)', "", query)
        terms: list[str] = []
        for part in re.split(r"\s+", query):
            if not part:
                continue
            prefix = re.match(r"^[+-]?", part).group(0)
            body = part[len(prefix):]
            pieces = [t for t in self.separator.split(body) if t]
            terms.extend(prefix + t for t in pieces)
        out = []
        for t in terms:
            if re.search(r"[~^]$", t):
                t += "1"
            if not re.search(r"(^[+-]|[~^]\d+$)", t):
                t += "*"
            out.append(t)
        return " ".join(out)

    def query_string(self, query: str) -> str:
        query = HAN.sub(lambda m: "* ".join(self.segment(m.group(0))), query)
        return self.transform(query)

    def search(self, query: str) -> list[str]:
        """Pages (location without anchor) in the order Material lists them."""
        q = self.query_string(query)
        if not q:
            return []
        clauses = [t.lstrip("+-").rstrip("*").lstrip("*") for t in q.split() if not t.startswith("-")]
        items = []
        for r in self.index.search(q):
            matched = list(r["match_data"].metadata)
            found = {c: any(m.startswith(c) for m in matched) for c in clauses}
            share = sum(found.values()) / len(found) if found else 0
            boost = (0 if self.parent.get(r["ref"]) else 1) + share
            items.append((r["score"] * (1 + boost ** 2), r["ref"]))
        items.sort(key=lambda x: -x[0])
        pages: dict[str, None] = {}
        for _score, ref in items:
            pages.setdefault(self.parent.get(ref) or ref.split("#")[0], None)
        return list(pages)


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="session")
def site():
    return built_site()


@pytest.fixture(scope="session")
def engine(site):
    data = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return MaterialSearch(data)


def report_url(site, agency_part: str) -> str:
    """The page URL of the one seed report whose agency contains `agency_part`."""
    hits = [e for e in site.result.archive.entries if agency_part in e.agency]
    assert len(hits) == 1, (agency_part, [e.agency for e in hits])
    return f"reports/{hits[0].slug}/"


# ------------------------------------------------------------------ tests

SHORT_NAMES = ["西堡镇", "西安镇", "贾塘乡", "西平镇", "红寺堡镇"]


@pytest.mark.parametrize("name", SHORT_NAMES)
def test_agency_short_name_finds_its_report_first(site, engine, name):
    assert engine.search(name)[0] == report_url(site, name)


COUNTIES = {"湟中区": ["西堡镇"], "海原县": ["西安镇", "贾塘乡"], "微山县": ["西平镇"],
            "红寺堡区": ["红寺堡镇"], "海原": ["西安镇", "贾塘乡"], "红寺堡": ["红寺堡镇"]}


@pytest.mark.parametrize("county", list(COUNTIES))
def test_county_finds_all_its_reports_first(site, engine, county):
    expected = {report_url(site, a) for a in COUNTIES[county]}
    pages = [p for p in engine.search(county) if p.startswith("reports/")]
    assert set(pages[: len(expected)]) == expected, pages


@pytest.mark.parametrize("word", ["行政复议", "政务公开", "信息处理费", "依申请公开"])
def test_topic_word_finds_the_reports_that_say_it(site, engine, word):
    """Every report whose indexed prose contains the word is found; none is invented."""
    found = {p for p in engine.search(word) if p.startswith("reports/")}
    holders = set()
    for doc in engine.docs:
        if doc["location"].startswith("reports/") and word in doc["text"].replace("\u200b", ""):
            holders.add(doc["location"].split("#")[0])
    assert holders, f"no report's indexed text holds {word}"
    assert holders <= found
    assert found <= {f"reports/{e.slug}/" for e in site.result.archive.entries}


def test_query_segmentation_mirrors_material(engine):
    # No shorter prefix of 贾塘乡 is an index term, so the word is searched whole, as a prefix.
    assert engine.query_string("贾塘乡") == "贾塘乡*"
    # Material never tests the whole Han run against the index, only shorter prefixes: 行政复议
    # becomes the index term 行政 (and whatever follows), each with a trailing wildcard.
    q = engine.query_string("行政复议 2024").split()
    assert q[-1] == "2024*"
    assert q[0].rstrip("*") == "行政" and "行政" in engine.terms


def test_table_labels_stay_out_of_the_index(engine):
    """Boilerplate repeated in every report (table labels) is not indexed."""
    for label in ("本年新收政府信息公开申请数量", "属于三类内部事务信息", "结果维持", "本年制发件数"):
        for doc in engine.docs:
            if doc["location"].startswith("reports/"):
                assert label not in doc["text"].replace("\u200b", ""), (label, doc["location"])
    assert not [p for p in engine.search("内部事务") if p.startswith("reports/")]


def test_a_number_and_its_unit_are_one_word(site, engine):
    """Material cut 2024年 into 2024 and 年 and matches a query's words by their beginnings, so a
    reader searching 2024年 found nothing. The hook joins a one-character word to the number
    before it when only a zero-width space parts them; the text reads the same."""
    join = units_joined_to_numbers(engine.separator.pattern)
    cases = {  # as Material's jieba segmentation writes them
        "海原县\u200b贾塘乡\u200b人民政府\u200b 2024\u200b年\u200b政府": "海原县\u200b贾塘乡\u200b人民政府\u200b 2024年\u200b政府",
        "在\u200b3\u200b秒\u200b内\u200b可用": "在\u200b3秒\u200b内\u200b可用",
        "<td>12\u200b件\u200b</td>": "<td>12件\u200b</td>",
        # Not after a number, after a visible space, or before a longer word: left as it is.
        "少做\u200b一些\u200b事\u200b，\u200b例如": "少做\u200b一些\u200b事\u200b，\u200b例如",
        "信息\u200b 61 \u200b条\u200b，": "信息\u200b 61 \u200b条\u200b，",
        "2024\u200b年度\u200b报告": "2024\u200b年度\u200b报告",
    }
    for before, after in cases.items():
        assert join(before) == after, before
    assert units_joined_to_numbers("\\s+")("2024\u200b年") == "2024\u200b年"  # another separator: untouched
    # The built index: the seeds' titles say 2024年, which is now one term, found by its query.
    assert "2024年" in engine.terms
    assert engine.query_string("2024年") == "2024年*"
    of_2024 = {f"reports/{e.slug}/" for e in site.result.archive.entries if e.year == 2024}
    assert len(of_2024) == 4 and of_2024 <= set(engine.search("2024年"))


def test_index_is_small_per_report(site, engine):
    """Issue 6 asks for at most 8 KB of search index per report: each report's entries stay under it."""
    sizes: dict[str, int] = {}
    for doc in engine.docs:
        page = doc["location"].split("#")[0]
        if page.startswith("reports/"):
            sizes[page] = sizes.get(page, 0) + len(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
    assert len(sizes) == len(site.result.archive.entries)
    assert max(sizes.values()) <= 8 * 1024, sizes


def test_index_lists_no_index_pages(engine):
    """Index pages list every report; they are excluded so searches land on the reports."""
    pages = {d["location"].split("#")[0] for d in engine.docs}
    assert not {p for p in pages if p.startswith("browse/") or p == ""}
