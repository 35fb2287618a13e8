"""Hostile and odd inputs (issue 5): the archive keeps working, keeps every report, and never
turns text into code. The corpus (tests/hostile.py) is made from the real seeds and built once.

Each item of the issue has its test here:
- empty file, binary garbage, GB18030 permissiveness ........ test_empty_*, test_binary_*, test_real_gb18030_*
- GB18030, UTF-16, BOM, CRLF, full-width digits ............. test_encodings_and_layout_noise_*
- a report cut off halfway .................................. test_cut_off_report_*
- a prose-only report ....................................... test_prose_only_report_*
- a multi-megabyte report ................................... test_multi_megabyte_*, test_parse_work_grows_linearly
- identical copies, versions of one agency·year ............. test_identical_copies_*, test_versions_*
- markup, javascript: links, templates, paths in names ...... test_hostile_*
- a region not in the gazetteer ............................. test_unknown_region_*
- file names with spaces, brackets, #, Chinese .............. test_awkward_file_names_*
- the build: never crashes, exit 0, summary, build report ... test_cli_build_*, test_build_report_*
- byte-identical docs/ ...................................... test_docs_are_byte_identical_*
(The real-browser check is in test_browser.py; fuzzing of `parse` in test_fuzz.py.)
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import html
import io
import json
import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import hostile as H
from builder.ingest import IngestError, read_bytes
from builder.parse import parse
from built_site import SEEDS, new_project, run_build

REPO = Path(__file__).resolve().parents[1]
SLUG_FILE = re.compile(r"^[a-z0-9][a-z0-9-]*\.(md|json|csv|txt)$")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="session")
def site():
    return H.hostile_site()


def figures(record: dict) -> dict[str, object]:
    return {f"{t}.{r}.{f}": v for t, rows in record["tables"].items() for r, fs in rows.items() for f, v in fs.items()}


def read(data: bytes, name: str = "x.txt") -> dict:
    return parse(read_bytes(data, name))


class Html(HTMLParser):
    """Text of the page (entities decoded), its <title>, its <h1>, every tag with its attributes."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.title = self.h1 = ""
        self._in: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append(data)
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1 += data
        if "script" in self._in:
            self.scripts.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def page(site, rel: str) -> Html:
    return Html((site.site / rel).read_text(encoding="utf-8"))


def entry_of(site, source: str):
    name = f"seeds/{source}"
    return next(e for e in site.result.archive.entries if name in e.sources)


def status_of(site, source: str):
    return next(i for i in site.result.archive.inputs if i.path == f"seeds/{source}")


# ------------------------------------------------------------------ not reports: refused, with a Chinese reason

@pytest.mark.parametrize("name,reason", [("empty.txt", "为空"), ("blank.txt", "为空")])
def test_empty_and_blank_files_are_refused_with_a_reason(name, reason):
    with pytest.raises(IngestError) as err:
        read_bytes(H.corpus()[name], name)
    assert name in str(err.value) and reason in str(err.value)


@pytest.mark.parametrize("name,reason", [
    ("random.bin", "无法按"),
    ("image.png", "PNG 图片"),
    ("archive.zip", "ZIP 压缩文件"),
    ("zeros.dat", "零字节"),
    ("gbk-noise.txt", "罕见字符或乱码"),  # GB18030 decodes it: the characters give it away
    ("mojibake.txt", "罕见字符或乱码"),  # 锟斤拷: text lost before it reached us
])
def test_binary_garbage_is_refused_with_a_reason(name, reason):
    data = H.corpus()[name]
    with pytest.raises(IngestError) as err:
        read_bytes(data, name)
    msg = str(err.value)
    assert msg.startswith(name + "：") and reason in msg and HAN.search(msg.split("：", 1)[1])


def test_gb18030_permissiveness_lets_no_noise_through():
    """Any run of high bytes decodes as GB18030: noise of every kind must still be refused,
    however much ASCII surrounds it."""
    import random
    rng = random.Random(7)
    text = H.seed(H.S001)
    noise = [
        bytes(rng.randrange(0x81, 0xFF) for _ in range(3000)),
        b"Report 2024\r\n" * 50 + bytes(rng.randrange(0x81, 0xFF) for _ in range(400)),
        "Hello wörld ".encode("latin-1") * 100,
        text.encode("big5", errors="replace"),  # another encoding read as GB18030
        re.sub(r"[\u4e00-\u9fff]", "\ufffd", text).encode("utf-8"),
        re.sub(r"[\u4e00-\u9fff]{2}", lambda m: "\ufffd" + m.group()[1], text).encode("utf-8"),
    ]
    for data in noise:
        with pytest.raises(IngestError):
            read_bytes(data, "noise.txt")


def test_real_gb18030_reports_stay_readable():
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text(encoding="utf-8")
        clean = read_bytes(path.read_bytes(), path.name).text
        for data in (text.encode("gb18030"), b"\x84\x31\x95\x33" + text.encode("gb18030")):
            src = read_bytes(data, path.name)
            assert src.encoding == "gb18030" and src.text == clean and not src.notes


# ------------------------------------------------------------------ encodings and layout noise

VARIANTS = {
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-16 with BOM": lambda t: t.encode("utf-16"),
    "utf-16-le without BOM": lambda t: t.encode("utf-16-le"),
    "utf-16-be without BOM": lambda t: t.encode("utf-16-be"),
    "utf-8 with BOM": lambda t: t.encode("utf-8-sig"),
    "utf-32": lambda t: t.encode("utf-32"),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "CR": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "full-width digits": lambda t: H.fullwidth(t).encode("utf-8"),
    "full-width, CRLF, GB18030": lambda t: H.fullwidth(t).replace("\n", "\r\n").encode("gb18030"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_encodings_and_layout_noise_read_to_the_same_figures(variant):
    checked = 0
    for path in sorted(SEEDS.iterdir()):
        clean = read(path.read_bytes(), path.name)
        got = read(VARIANTS[variant](path.read_text(encoding="utf-8")), path.name)
        assert figures(got) == figures(clean), (variant, path.name)
        assert {k: v["line"] for k, v in got["cells"].items()} == {k: v["line"] for k, v in clean["cells"].items()}
        assert (got["agency"], got["year"], got["region"]) == (clean["agency"], clean["year"], clean["region"])
        checked += sum(v is not None for v in figures(clean).values())
    assert checked > 900


def test_encoded_copies_in_the_site_say_they_differ_only_in_encoding(site):
    from builder.render.versions import differences
    copies = {"enc/gb18030.txt": (H.S002, "gb18030"), "enc/utf16be.txt": (H.S003, "utf-16-be"),
              "enc/utf16le-bom.txt": (H.S000, "utf-16"), "enc/utf8-bom.txt": (H.S004, "utf-8-sig"),
              "enc/crlf.txt": (H.S001, "utf-8"), "enc/fullwidth.txt": (H.S001, "utf-8")}
    for source, (original, enc) in copies.items():
        e, o = entry_of(site, source), entry_of(site, original)
        assert e.record["source"]["encoding"] == enc and e.primary is not None and o in e.versions
        assert figures(e.record) == figures(o.record), source
        said = differences(e, o)
        assert said[-1] == "读出的数字、标题、日期和正文都相同，两个文件只在编码、换行、空白或排版上有差别", said
        assert said[:-1] == ([] if enc == "utf-8" else [f"文件编码：本页为 {enc}，该文本为 utf-8"]), said
        text = page(site, f"reports/{e.slug}/index.html").all_text
        assert all(d in text for d in said), source


# ------------------------------------------------------------------ cut off, prose only, huge

def test_cut_off_report_keeps_every_figure_it_still_holds():
    """Cut anywhere (inside a character too), a report is still read: what remains of its tables
    reads to the original's figures, the rest is null, and nothing else is claimed."""
    for path in sorted(SEEDS.iterdir()):
        data = path.read_bytes()
        full = figures(read(data, path.name))
        for k in range(1, 12):
            cut = data[: len(data) * k // 12 + 1]
            rec = read(cut, "cut.txt")
            for key, v in figures(rec).items():
                assert v is None or v == full[key], (path.name, k, key)
    # Cut inside a character: said so, and the text up to there kept.
    rec = read(H.corpus()["0-cut.txt"], "0-cut.txt")
    assert rec["notes"][0].startswith("文件末尾有一个不完整的字符") and rec["agency"] == "海原县贾塘乡人民政府"
    assert any(n.startswith("未找到以下部分的标题") for n in rec["notes"])


def test_cut_off_report_in_the_site(site):
    e = entry_of(site, "0-cut.txt")
    assert status_of(site, "0-cut.txt").status == "version"
    assert e.primary is entry_of(site, H.S002)  # the complete text is shown, though this one sorts first
    p = page(site, f"reports/{e.slug}/index.html")
    assert "文件末尾有一个不完整的字符" in p.all_text and "原文中没有找到这一部分" in p.all_text


def test_prose_only_report_is_kept_with_empty_tables(site):
    rec = read(H.corpus()["prose-only.txt"], "prose-only.txt")
    assert [s["no"] for s in rec["sections"]] == [1, 2, 3, 4, 5, 6]
    assert all(v is None for v in figures(rec).values())
    assert any("表三缺少" in n for n in rec["notes"])
    e = entry_of(site, "prose-only.txt")
    html_text = (site.site / "reports" / e.slug / "index.html").read_text(encoding="utf-8")
    p = Html(html_text)
    cells = [a for t, a in p.tags if t == "td" and "xx-null" in (a.get("class") or "")]
    assert len(cells) == sum(1 for _ in figures(rec))  # every figure shown as blank, none as 0
    assert "该文本有 200 个数字空白或没有读到" in page(site, f"reports/{e.primary.slug}/index.html").all_text


def test_multi_megabyte_report_parses_to_the_same_figures(site):
    data = H.corpus()["big.txt"]
    assert 3_000_000 < len(data) < 5_000_000
    rec = read(data, "big.txt")
    clean = read((SEEDS / H.S004).read_bytes())
    assert figures(rec) == figures(clean) and rec["agency"] == clean["agency"]
    e = entry_of(site, "big.txt")
    assert (site.site / "data" / "raw" / f"{e.slug}.txt").read_bytes() == data
    assert "段落相同，但有重复或次序不同" in page(site, f"reports/{e.primary.slug}/index.html").all_text


def _parse_steps(text: str) -> int:
    """Lines of builder/parse executed while parsing `text`: a measure of work that does not
    depend on the machine (a test never asserts a wall-clock time)."""
    import builder.parse as P
    where = str(Path(P.__file__).parent)
    steps = 0

    def local(frame, event, arg):
        nonlocal steps
        steps += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(where) else None

    source = read_bytes(text.encode("utf-8"), "steps.txt")
    sys.settrace(calls)
    try:
        parse(source)
    finally:
        sys.settrace(None)
    return steps


@pytest.mark.parametrize("section,block", [("二", "prose"), ("三", "table")])
def test_parse_work_grows_linearly(section, block):
    """A report grown by k copies of a block costs k times the block's work, not k²: the increments
    from 1→2 and 2→3 copies are equal. (Row placement used to be quadratic in both shapes.)"""
    text = H.seed(H.S001)
    lines = text.split("\n")
    at = H.sections(text)
    chunk = "\n".join(lines[at["一"] + 1:at["二"]] if block == "prose" else lines[at["三"] + 1:at["四"]])
    unit = 40 if block == "prose" else 10

    def grown(k):
        i = at[section] + 1
        return "\n".join(lines[:i]) + ("\n" + chunk) * (k * unit) + "\n" + "\n".join(lines[i:])

    parse(read_bytes(text.encode("utf-8"), "warm.txt"))  # imports and caches out of the count
    s1, s2, s3 = (_parse_steps(grown(k)) for k in (1, 2, 3))
    assert (s3 - s2) / (s2 - s1) < 1.15, (s1, s2, s3)


def test_a_figure_thousands_of_digits_long_does_not_crash():
    rec = read(H.corpus()["huge-number.txt"], "huge-number.txt")
    assert rec["agency"] == "海原县西安镇人民政府"
    row = rec["tables"]["requests"]["received"]
    assert all(v is None for v in row.values())  # the row cannot be read: null, not a guess
    assert all(v is None or abs(v) < 10 ** 24 for v in figures(rec).values())
    json.dumps(rec, allow_nan=False)


# ------------------------------------------------------------------ the build

def test_cli_build_never_crashes_exits_0_and_ends_with_a_summary(site):
    """`python -m builder build` on a fresh copy of the corpus: exit 0, the summary last. Its docs/
    are compared with the session build's in test_docs_are_byte_identical_across_builds."""
    root = H.project()
    proc = subprocess.run([sys.executable, "-m", "builder", "build", "--no-site", "--root", str(root)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    tail = proc.stderr.strip().splitlines()
    summary = next(i for i, ln in enumerate(tail) if ln.startswith("构建完成"))
    n = len(H.corpus()) + H.ON_DISK_ONLY
    assert f"构建完成：{n} 个输入文件，收录 {len(site.result.archive.shown)} 份报告" in tail[summary]
    assert "无法读取 8 个，忽略 5 个" in tail[summary] and tail[-1].startswith("页面已写入 docs/")
    assert all(ln.startswith(("  ", "校验：", "每个输入文件", "页面已写入")) for ln in tail[summary + 1:])
    _CLI_DOCS["docs"] = root / "docs"
    assert site.result.exit_code == 0 and site.result.site_ok


_CLI_DOCS: dict[str, Path] = {}


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_docs_are_byte_identical_across_builds(site):
    """Three builds of the same inputs — the session's, the CLI's in another folder, and that one
    again from the parse cache — write byte-identical docs/."""
    root = _CLI_DOCS["docs"].parent if "docs" in _CLI_DOCS else None
    if root is None:  # run on its own: build the corpus in another folder first
        root = H.project()
        run_build(root, make_site=False)
    once = tree(root / "docs")
    again = run_build(root, make_site=False)
    assert "来自缓存" in again.log
    assert tree(site.docs) == once == tree(again.docs)
    assert sum(k.startswith("reports/") for k in once) == len(site.result.archive.entries)


def test_build_report_lists_every_input_file_with_status_and_reason(site):
    inputs = site.result.archive.inputs
    names = [i.path for i in inputs]
    assert len(names) == len(set(names)) == len(H.corpus()) + H.ON_DISK_ONLY
    for name in H.corpus():
        assert f"seeds/{name}".replace("\n", "\\n") in names
    report_html = (site.site / "browse" / "build-report" / "index.html").read_text(encoding="utf-8")
    rows = {}
    p = Html(report_html)
    for t, a in p.tags:
        assert not any(k.startswith("on") for k in a), (t, a)
    text = p.all_text
    for i in inputs:
        assert i.path in text, i.path  # every file named, as text
        assert html.escape(i.path) in report_html  # escaped, quotes too
        rows[i.path] = i
        if i.status in ("error", "ignored"):
            assert HAN.search(i.reason) and i.reason in text, i.path
        if i.status == "error":
            assert i.reason.startswith(i.path + "："), i.reason  # the reason names the file
    statuses = {Path(n).name: i.status for n, i in rows.items()}
    for name in ("empty.txt", "blank.txt", "random.bin", "image.png", "archive.zip", "zeros.dat",
                 "gbk-noise.txt", "mojibake.txt"):
        assert statuses[name] == "error", name
    for name in (".DS_Store", "pipe.fifo", "link-outside.txt", "loop.txt", ".hidden-loop"):
        assert statuses[name] == "ignored", name
    assert "不是普通文件" in rows["seeds/pipe.fifo"].reason
    assert "输入文件夹之外" in rows["seeds/link-outside.txt"].reason
    assert "循环" in rows["seeds/loop.txt"].reason and "隐藏文件" in rows["seeds/.hidden-loop"].reason
    assert not any("不应发布" in p.read_text(encoding="utf-8", errors="replace")
                   for p in site.site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".txt", ".csv"))


# ------------------------------------------------------------------ copies and versions

def test_identical_copies_collapse_to_one_page_naming_both(site):
    e = entry_of(site, H.S001)
    assert sorted(e.sources) == sorted([f"seeds/{H.S001}", "seeds/001 copy (1) #2 [副本].txt"])
    assert {status_of(site, n).status for n in (H.S001, "001 copy (1) #2 [副本].txt")} == {"ok", "duplicate"}
    text = page(site, f"reports/{e.slug}/index.html").all_text
    assert all(s in text for s in e.sources)
    nested = entry_of(site, "子目录/报告 副本.txt")
    assert f"seeds/{H.S000}" in nested.sources
    assert sum(1 for x in site.result.archive.entries if "seeds/子目录/报告 副本.txt" in x.sources) == 1


def test_versions_are_both_kept_and_the_page_says_how_they_differ(site):
    revised = entry_of(site, "修订/000 修订版.txt")
    original = entry_of(site, H.S000)
    # Same figure count and no more errors: the later-dated text is primary, though its name sorts last.
    assert revised.primary is None and original.primary is revised
    assert revised.record["published"] == "2025-01-22" and original.record["published"] == "2025-01-15"
    assert status_of(site, H.S000).status == "version" and status_of(site, "修订/000 修订版.txt").status == "ok"
    main = (site.site / "reports" / revised.slug / "index.html").read_text(encoding="utf-8")
    text = Html(main).all_text
    changed = [k for k, v in figures(revised.record).items() if figures(original.record)[k] != v]
    assert len(changed) == 1
    from builder.render.versions import cell_label
    a, b = figures(revised.record)[changed[0]], figures(original.record)[changed[0]]
    assert f"{cell_label(changed[0])}：本页为 {a}，该文本为 {b}" in text
    assert "发布日期：本页为“2025-01-22”，该文本为“2025-01-15”" in text
    assert f'href="../{original.slug}/"' in main
    other = Html((site.site / "reports" / original.slug / "index.html").read_text(encoding="utf-8"))
    assert "这是另一文本" in other.all_text and "（另一文本）" in other.h1
    assert f"本页为 {b}，该文本为 {a}" in other.all_text
    # Indexes and statistics show the agency·year once; the raw texts are both published.
    years = (site.site / "browse" / "years" / "index.html").read_text(encoding="utf-8")
    assert years.count(f'href="../../reports/{revised.slug}/"') == 1 and f"/{original.slug}/" not in years
    for e in (revised, original):
        assert (site.site / "data" / "raw" / f"{e.slug}.txt").read_bytes() == (site.root / e.sources[0]).read_bytes()
    bulk = json.loads(gzip.decompress((site.site / "data" / "all.json.gz").read_bytes()))
    assert len(bulk) == len(site.result.archive.shown)
    assert sum(r["agency"] == revised.record["agency"] for r in bulk) == 1


def test_primary_choice_does_not_depend_on_file_names():
    revised = H.revised(H.seed(H.S000)).encode("utf-8")
    original = (SEEDS / H.S000).read_bytes()
    chosen = []
    for names in (("a.txt", "b.txt"), ("b.txt", "a.txt")):
        built = run_build(new_project({names[0]: revised, names[1]: original}), make_site=False)
        (primary,) = built.result.archive.shown
        chosen.append(primary.record["source"]["sha256"])
        assert len(built.result.archive.entries) == 2
    assert chosen[0] == chosen[1] == hashlib.sha256(revised).hexdigest()


# ------------------------------------------------------------------ hostile text

def hostile_entries(site):
    return {key: entry_of(site, f"hostile-{key}.txt") for key in H.HOSTILE_AGENCIES}


def test_hostile_agency_names_are_read_as_names(site):
    for key, e in hostile_entries(site).items():
        name = e.record["agency"]
        expected = H.HOSTILE_AGENCIES[key][2].replace("&lt;", "<").replace("&gt;", ">")
        expected = re.sub("[\x80-\x9f\ufffe]", "", expected)  # ingest drops C1 controls and noncharacters
        assert name == expected, (key, name)
        assert re.fullmatch(r"[a-z0-9-]+", e.slug)


def test_hostile_text_never_becomes_markup_script_or_link(site):
    """No page holds an event handler, a javascript: link or a script that is not the theme's."""
    clean_scripts = None
    for path in sorted(site.site.rglob("*.html")):
        p = Html(path.read_text(encoding="utf-8"))
        for tag, a in p.tags:
            assert not [k for k in a if k.startswith("on")], (path, tag, a)
            for k in ("href", "src", "action", "formaction", "data"):
                v = (a.get(k) or "").strip().lower()
                assert not v.startswith(("javascript:", "vbscript:", "data:text")), (path, tag, a)
            assert tag not in ("img", "iframe", "object", "embed", "b", "i"), (path, tag, a)
            if tag == "script":
                assert not a.get("src") or a["src"].split("/")[-2:-1] in (["javascripts"], ["assets"]) \
                    or a["src"].endswith("xxgk.js"), (path, a)
        assert not any("alert" in s for s in p.scripts), path
        if clean_scripts is None:
            clean_scripts = len(p.scripts)
    index = (site.site / "search" / "search_index.json").read_text(encoding="utf-8")
    for bad in ("<script>alert", "<img", "<b>", 'href="javascript', "root:"):
        assert bad not in index, bad


def test_hostile_names_render_as_literal_text_everywhere(site):
    shown = {key: e.record["agency"] for key, e in hostile_entries(site).items()}
    pages = {rel: page(site, rel) for rel in ("index.html", "browse/regions/index.html", "browse/years/index.html",
                                               "browse/agencies/index.html", "browse/status/index.html",
                                               "browse/downloads/index.html", "browse/build-report/index.html")}
    for key, e in hostile_entries(site).items():
        name = shown[key]
        p = page(site, f"reports/{e.slug}/index.html")
        assert p.h1 == e.title and p.title.startswith(e.title + " - "), key  # the tab and the heading
        header = (site.site / "reports" / e.slug / "index.html").read_text(encoding="utf-8")
        assert html.escape(name, quote=False) in header or html.escape(name) in header
        for rel in ("browse/regions/index.html", "browse/years/index.html", "browse/agencies/index.html",
                    "browse/status/index.html", "browse/downloads/index.html", "browse/build-report/index.html"):
            assert name in pages[rel].all_text, (key, rel)
        # Data files keep the name as data.
        one = json.loads((site.site / "data" / "reports" / f"{e.slug}.json").read_text(encoding="utf-8"))
        assert one["agency"] == name
    rows = list(csv.reader(io.StringIO((site.site / "data" / "reports.csv").read_text(encoding="utf-8-sig"))))
    agencies = {r[1] for r in rows[2:]}
    assert set(shown.values()) <= agencies
    # The search index holds the names escaped (Material renders its text as HTML).
    docs = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    titles = {d["location"]: d["title"].replace("\u200b", "") for d in docs}
    for key, e in hostile_entries(site).items():
        assert titles[f"reports/{e.slug}/"].startswith(html.escape(shown[key], quote=False)), key
    # The statistics and the nav name no agency at all; they still parse as plain pages.
    stats = page(site, "browse/statistics/index.html")
    assert not any(n in stats.all_text for n in shown.values())
    nav = [a.get("href") for t, a in pages["index.html"].tags if t == "a" and "md-nav__link" in (a.get("class") or "")]
    assert nav and not any("reports/" in (h or "") for h in nav)


def test_front_matter_loads_whatever_the_title_holds():
    """MkDocs keeps front matter that YAML cannot load as page text, which Markdown would then
    interpret: a title must never make it unloadable."""
    from mkdocs.utils.meta import get_data

    from builder.render.html import front_matter
    for title in ("[x](javascript:alert(1))\x81", "a\ufffe\uffff", "b\ud800", 'c"\\n---\n<script>', "d\x85\u2028e"):
        doc, meta = get_data(front_matter(title) + "<p>正文</p>\n")
        assert doc == "<p>正文</p>\n" and set(meta) >= {"title", "hide"}, title
        assert "javascript" not in doc


def test_hostile_prose_stays_text(site):
    e = entry_of(site, "hostile-script.txt")
    raw = (site.site / "reports" / e.slug / "index.html").read_text(encoding="utf-8")
    text = Html(raw).all_text
    for piece in ("<img src=x onerror=alert(2)>", "[点我](javascript:alert(3))", "{{ config.site_name }}",
                  "{% raw %}", '--8<-- "/etc/passwd"', '<a href="javascript:alert(4)">链接</a>'):
        assert piece in text, piece


def test_report_text_never_becomes_a_file_path(site):
    """Every generated name comes from a slug or a fixed name; nothing was written outside docs/ and site/."""
    for base in (site.docs, site.site):
        for p in base.rglob("*"):
            rel = p.relative_to(base).as_posix()
            assert ".." not in rel.split("/") and "/etc/" not in "/" + rel and not HAN.search(rel), rel
            assert re.fullmatch(r"[A-Za-z0-9._/-]+", rel), rel
    for folder in ("reports", "data/reports", "data/raw"):
        for p in (site.docs / folder).iterdir():
            assert SLUG_FILE.match(p.name), p.name
    assert sorted(p.name for p in site.root.iterdir()) == sorted(
        [".cache", "builder", "docs", "mkdocs.yml", "secret.txt", "seeds", "site"])
    assert not Path("/etc/passwd/西堡镇人民政府").exists()


# ------------------------------------------------------------------ regions and file names

def test_unknown_region_goes_under_unknown_with_a_note(site):
    e = entry_of(site, H.ODD_NAME)
    assert e.record["region"] is None and e.record["agency"] == "亡是县乌何乡人民政府"
    assert any("行政区划" in n for n in e.record["notes"])
    regions = (site.site / "browse" / "regions" / "index.html").read_text(encoding="utf-8")
    unknown = regions.split('id="r-unknown"', 1)[1]
    assert f"../../reports/{e.slug}/" in unknown and "各报告页面的“所属地区”" in Html(unknown).all_text
    text = page(site, f"reports/{e.slug}/index.html").all_text
    assert "所属地区地区未知：未能从机关名称和正文确定所属行政区划" in text
    assert next(n for n in e.record["notes"] if "行政区划" in n) in text


def test_awkward_file_names_are_shown_escaped_and_the_raw_copy_works(site):
    for name in (H.ODD_NAME, H.MARKUP_NAME):
        e = entry_of(site, name)
        src = site.root / "seeds" / name
        raw_html = (site.site / "reports" / e.slug / "index.html").read_text(encoding="utf-8")
        assert html.escape(f"seeds/{name}") in raw_html and f"seeds/{name}" in Html(raw_html).all_text
        links = [a["href"] for t, a in Html(raw_html).tags if t == "a" and a.get("href", "").endswith(".txt")]
        assert links and all(h == f"../../data/raw/{e.slug}.txt" for h in links)
        target = posixpath.normpath(posixpath.join(f"reports/{e.slug}", links[0]))
        assert (site.site / target).read_bytes() == src.read_bytes()
    # A line break in a name is shown as \n, bytes that are not UTF-8 as U+FFFD.
    names = {i.path for i in site.result.archive.inputs}
    assert "seeds/line\\nbreak <i>.txt" in names
    assert "seeds/\ufffd\ufffd bad-utf8 name.txt" in names
    assert entry_of(site, "line\\nbreak <i>.txt") is entry_of(site, H.S003)
    assert os.fsdecode(H.BAD_UTF8_NAME) not in (site.site / "browse" / "build-report" / "index.html").read_text(
        encoding="utf-8", errors="surrogateescape")


def test_agencies_that_read_alike_are_not_versions_of_each_other():
    """西安镇 and 溪安镇 have one pinyin: two agencies, two pages, neither a version of the other;
    reports whose agency could not be read are never grouped either."""
    text = H.seed(H.S001)
    homophone = H.retitle(text, "海原县西安镇人民政府", "海原县溪安镇人民政府")
    lines = text.split("\n")
    nameless = "\n".join(lines[:2] + lines[3:])  # the title line removed
    nameless2 = nameless.replace("主动公开信息 59 条", "主动公开信息 60 条")
    built = run_build(new_project({"a.txt": text.encode(), "b.txt": homophone.encode(),
                                   "c.txt": nameless.encode(), "d.txt": nameless2.encode()}), make_site=False)
    entries = built.result.archive.entries
    assert len(entries) == len(built.result.archive.shown) == 4
    assert len({e.slug for e in entries}) == 4 and not any(e.versions for e in entries)
    assert {i.status for i in built.result.archive.inputs} == {"ok"}
    agencies = {e.record["agency"] for e in entries}
    assert {"海原县西安镇人民政府", "海原县溪安镇人民政府"} <= agencies
