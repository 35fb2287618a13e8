"""The build: every seed gets its page, the tables show the parsed figures, null is not zero,
report text is escaped everywhere, the output is deterministic and `mkdocs build --strict` is clean."""
from __future__ import annotations

import csv
import gzip
import hashlib
import os
import time
import html
import io
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder import template as T
from builder.pipeline import input_files, process
from built_site import HOSTILE, SEEDS, built_site, edited_site, new_project, run_build


@pytest.fixture(scope="session")
def site():
    return built_site()


class Page(HTMLParser):
    """Collects the tables of class xx-t* (rows of td texts with their attributes), ids, links and resources."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[tuple[str, dict]]]] = {}
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[tuple[str, str]] = []
        self.title = ""
        self._table = None
        self._row = None
        self._cell = None
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.resources.append((tag, a["src"]))
        loads = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch", "apple-touch-icon"}
        if tag == "link" and a.get("href") and loads & set((a.get("rel") or "").split()):
            self.resources.append((tag, a["href"]))
        if tag == "title":
            self._in_title = True
        if tag == "table":
            kind = next((c for c in (a.get("class") or "").split() if re.match(r"xx-t\d$", c)), None)
            self._table = kind
            if kind:
                self.tables[kind] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = ["", a]

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "td" and self._cell is not None:
            self._row.append((self._cell[0], self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data
        if self._in_title:
            self.title += data


def shown(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return ("%.6f" % v).rstrip("0").rstrip(".")
    return str(v)


def page_of(site_dir: Path, slug: str) -> Page:
    return Page((site_dir / "reports" / slug / "index.html").read_text(encoding="utf-8"))


def records_by_source(root: Path) -> dict[str, dict]:
    out = {}
    for p in input_files(root / "seeds"):
        o = process(p, f"seeds/{p.name}")
        if o.record:
            out[p.name] = o.record
    return out


# ------------------------------------------------------------------ every seed, every figure

def test_every_seed_gets_its_page(site):
    seeds = sorted(p.name for p in SEEDS.iterdir() if p.is_file())
    inputs = {Path(i.path).name: i for i in site.result.archive.inputs}
    assert sorted(inputs) == seeds
    for name in seeds:
        entry = inputs[name].entry
        assert inputs[name].status == "ok" and entry is not None, name
        page = page_of(site.site, entry.slug)
        assert entry.record["agency"] and entry.record["year"]
        title = f"{entry.record['agency']} {entry.record['year']}年政府信息公开工作年度报告"
        assert page.title.startswith(title), (page.title, title)
        assert {"report-title", "s1", "s6", "findings", "downloads"} <= page.ids


def expected_rows(record: dict) -> dict[str, list[list]]:
    """The figures of each table, row by row, in the official order, from the record."""
    t = record["tables"]
    key = "active_2019" if "active_2019" in t else "active"
    rows = {"xx-t2": [[t[key][r.key][f.key] for f in r.fields] for r in T.TABLE[key].rows]}
    rows["xx-t3"] = [[t["requests"][r.key][f.key] for f in r.fields]
                     for r in T.rows_for("requests", record["template"]) if r.key in t["requests"]]
    rows["xx-t4"] = [[t["appeals"][g.key][f.key] for g in T.APPEAL_GROUPS for f in g.fields]]
    return rows


def test_tables_show_every_parsed_figure_in_template_order(site):
    checked = 0
    for e in site.result.archive.entries:
        page = page_of(site.site, e.slug)
        for kind, rows in expected_rows(e.record).items():
            got = [[text for text, _ in row] for row in page.tables[kind]]
            assert got == [[shown(v) for v in row] for row in rows], (e.slug, kind)
            checked += sum(len(r) for r in rows)
    assert checked >= 5 * 200


def test_known_figures_of_the_seeds(site):
    """Spot checks against the seed texts: 西安镇 2023 received one request from a natural person;
    红寺堡镇 2024 reports two lawsuits filed directly, one upheld and one pending."""
    by_agency = {e.agency: e for e in site.result.archive.entries}
    xian = page_of(site.site, by_agency["海原县西安镇人民政府"].slug).tables["xx-t3"]
    assert [c for c, _ in xian[0]] == ["1", "0", "0", "0", "0", "0", "1"]
    hong = page_of(site.site, by_agency["红寺堡区红寺堡镇人民政府"].slug).tables["xx-t4"][0]
    assert [c for c, _ in hong[5:10]] == ["1", "0", "0", "1", "2"]


def test_failing_and_warning_cells_are_marked(site):
    """Seed 004's prose denies any lawsuit while table 四 shows two: the cells named by that finding are marked."""
    e = next(e for e in site.result.archive.entries if e.agency == "红寺堡区红寺堡镇人民政府")
    flagged = {c for f in e.findings if f["status"] in ("warn", "fail") for c in f["cells"]}
    assert "appeals.suit_direct.total" in flagged
    cells = page_of(site.site, e.slug).tables["xx-t4"][0]
    paths = [f"appeals.{g.key}.{f.key}" for g in T.APPEAL_GROUPS for f in g.fields]
    for path, (_text, attrs) in zip(paths, cells):
        marked = bool({"xx-warn", "xx-fail"} & set((attrs.get("class") or "").split()))
        assert marked == (path in flagged), path
        if marked:
            assert "行政诉讼" in attrs["title"]


# ------------------------------------------------------------------ an edited seed: null, hostile text, bad files

@pytest.fixture(scope="session")
def edited():
    return edited_site()


def test_null_is_shown_distinctly_from_zero(edited):
    e = edited.result.archive.entries[0]
    assert e.record["tables"]["requests"]["received"]["commercial"] is None
    row = page_of(edited.site, e.slug).tables["xx-t3"][0]
    (nat, _), (com, com_a), (res, res_a) = row[0], row[1], row[2]
    assert (nat, res) == ("1", "0") and "xx-null" not in (res_a.get("class") or "")
    assert com == "—" and "xx-null" in com_a["class"].split()
    assert com_a["title"].startswith("原文空白或无法读取") and "“/”" in com_a["title"]
    # downloads keep the distinction: null in JSON, an empty cell in CSV
    data = json.loads((edited.site / "data" / "reports" / f"{e.slug}.json").read_text(encoding="utf-8"))
    assert data["tables"]["requests"]["received"]["commercial"] is None
    rows = list(csv.reader(io.StringIO((edited.site / "data" / "reports" / f"{e.slug}.csv")
                                       .read_text(encoding="utf-8-sig"))))
    # The CSV is laid out as the tables are printed: a row per table row, a column per field.
    assert rows[0][:3] == ["key", "label", "source_line"]
    col = {k: i for i, k in enumerate(rows[0])}
    assert rows[1][col["natural_person"]] == T.REQUEST_COLUMNS[0].label
    received = {r[0]: r for r in rows[2:]}["requests.received"]
    assert received[col["commercial"]] == "" and received[col["research"]] == "0"
    assert received[col["natural_person"]] == "1" and T.REQUEST_ROW["received"].label in received[1]
    assert received[2].isdigit()
    assert len(rows) == 2 + sum(len(T.rows_for(t, e.record["template"])) for t in e.record["tables"])


def test_hostile_text_is_escaped_everywhere(edited):
    e = edited.result.archive.entries[0]
    assert e.record["agency"] == HOSTILE
    assert re.fullmatch(r"[a-z0-9-]+", e.slug)
    # Markup and the search index (Material renders its text as HTML); data files keep the text as data.
    for path in [*edited.site.rglob("*.html"), *edited.site.rglob("*.xml"), edited.site / "search" / "search_index.json"]:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text and 'href="javascript:' not in text, path
        assert "root:" not in text, path  # no snippet include ever ran
    page_html = (edited.site / "reports" / e.slug / "index.html").read_text(encoding="utf-8")
    assert html.escape(HOSTILE) in page_html
    assert "{{ config.site_name }}" in page_html  # shown literally, never evaluated
    assert "[点我](javascript:alert(3))" in page_html
    page = Page(page_html)
    # The window title shows the name literally, because the markup holds it escaped.
    assert page.title.startswith(HOSTILE + " ") and f"<title>{html.escape(HOSTILE)} " in page_html
    assert not any(href.lower().startswith("javascript") for href in page.links)


def test_unreadable_inputs_are_listed_and_the_build_goes_on(edited):
    assert edited.result.exit_code == 0
    statuses = {Path(i.path).name: (i.status, i.reason) for i in edited.result.archive.inputs}
    assert statuses["001_edited.txt"][0] == "ok"
    for name in ("empty.txt", "garbage.bin"):
        status, reason = statuses[name]
        assert status == "error" and name in reason and re.search(r"[\u4e00-\u9fff]", reason)
    report = (edited.site / "browse" / "build-report" / "index.html").read_text(encoding="utf-8")
    for name in ("001_edited.txt", "empty.txt", "garbage.bin"):
        assert f"seeds/{name}" in report
    assert "无法读取 2 个" in edited.log and "构建完成" in edited.log


def test_copies_collapse_and_versions_are_both_kept():
    """Same bytes under two names → one page naming both; a different text of the same agency·year → its own page."""
    original = (SEEDS / "001_672a93e96f8a197d.txt").read_bytes()
    changed = original.replace("主动公开信息 59 条".encode(), "主动公开信息 60 条".encode())
    assert changed != original
    built = run_build(new_project({"a.txt": original, "b copy [1].txt": original, "c.txt": changed}),
                      make_site=False)
    entries = built.result.archive.entries
    assert len(entries) == 2 and len({e.slug for e in entries}) == 2
    first = next(e for e in entries if "seeds/a.txt" in e.sources)
    assert first.sources == ["seeds/a.txt", "seeds/b copy [1].txt"]
    other = next(e for e in entries if e is not first)
    assert other.versions == [first] and first.versions == [other]
    page = (built.docs / first.page).read_text(encoding="utf-8")
    assert "seeds/b copy [1].txt" in page and f"../{other.slug}/" in page
    statuses = {i.path: i.status for i in built.result.archive.inputs}
    assert statuses == {"seeds/a.txt": "ok", "seeds/b copy [1].txt": "duplicate", "seeds/c.txt": "version"}


# ------------------------------------------------------------------ determinism, strictness, links, downloads

def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_docs_are_byte_identical_across_builds(site):
    """Another project, built twice (the second time from the parse cache), writes the same docs/."""
    root = new_project()
    first = run_build(root, make_site=False)
    assert first.result.site_ok is None
    once = tree(first.docs)
    again = run_build(root, make_site=False)
    assert "来自缓存" in again.log
    assert tree(site.docs) == once == tree(again.docs)
    assert any(k.startswith("reports/") for k in once) and "data/all.json.gz" in once


def test_rebuild_rewrites_only_what_changed_and_removes_what_is_gone(tmp_path):
    """A second build leaves unchanged files untouched, rewrites changed ones, removes the pages
    of a report taken out of seeds/ and anything foreign in the generated area, and never
    writes through a link (symbolic or hard) planted there."""
    root = new_project()
    first = tree(run_build(root, make_site=False).docs)
    docs = root / "docs"
    seeds = sorted((root / "seeds").iterdir())
    gone = seeds[0]
    page_of = {rel for rel in first if rel.startswith("reports/") and rel.endswith(".md")}
    before = {rel: (docs / rel).stat().st_mtime_ns for rel in first}
    outside = tmp_path / "outside.txt"
    outside.write_text("不可改动", encoding="utf-8")
    (docs / "reports" / "stray.md").write_text("上次构建遗留", encoding="utf-8")
    (docs / "reports" / "empty").mkdir()  # an empty folder, and one that only its stale file fills
    (docs / "data" / "old" / "deeper").mkdir(parents=True)
    (docs / "data" / "old" / "deeper" / "stale.json").write_text("{}", encoding="utf-8")
    (docs / "data" / "link.json").symlink_to(outside)
    (docs / "data" / "all.json.gz").unlink()
    (docs / "data" / "all.json.gz").symlink_to(outside)  # where the build will write
    (docs / "data" / "reports.csv").unlink()
    os.link(outside, docs / "data" / "reports.csv")  # a second name of a file outside docs/
    (docs / "index.md").unlink()
    os.mkfifo(docs / "index.md")  # writing into a pipe would wait forever
    gone.unlink()
    time.sleep(0.01)  # so that a rewritten file would show a newer modification time
    second = run_build(root, make_site=False)
    after = tree(docs)
    fresh = tree(run_build(new_project({p.name: p.read_bytes() for p in seeds[1:]}), make_site=False).docs)
    assert after == fresh  # exactly what a build into an empty docs/ writes
    assert outside.read_text(encoding="utf-8") == "不可改动"
    assert not (docs / "data" / "link.json").exists() and not (docs / "data" / "all.json.gz").is_symlink()
    assert not (docs / "reports" / "empty").exists() and not (docs / "data" / "old").exists()
    removed = page_of - {rel for rel in after if rel.startswith("reports/")}
    assert removed and all(rel not in after for rel in removed)
    # a file whose content did not change (the raw copy of a report still there, …) was not written again
    unchanged = [rel for rel in after if rel in first and after[rel] == first[rel]]
    assert unchanged and all((docs / rel).stat().st_mtime_ns == before[rel] for rel in unchanged)
    assert any(rel.startswith("data/raw/") for rel in unchanged)


def test_generated_area_is_separate_and_git_ignored(site):
    from builder.build import GENERATED
    ignored = (Path(__file__).resolve().parents[1] / ".gitignore").read_text(encoding="utf-8").split()
    for name in GENERATED:
        assert f"/docs/{name}" in ignored or f"/docs/{name}/" in ignored, name
    hand = {p.relative_to(site.docs).as_posix().split("/")[0] for p in site.docs.rglob("*") if p.is_file()}
    assert hand - set(GENERATED) == {"about.md", "performance.md", "assets", "partials"}


def test_mkdocs_strict_build_is_clean(site):
    assert site.result.site_ok
    assert "WARNING -" not in site.result.mkdocs_output and "ERROR -" not in site.result.mkdocs_output


def test_internal_links_and_anchors_resolve(site):
    pages: dict[str, Page] = {}
    for p in site.site.rglob("*.html"):
        pages[p.relative_to(site.site).as_posix()] = Page(p.read_text(encoding="utf-8"))
    broken = []
    for name, page in pages.items():
        base = posixpath.dirname(name)
        for href in page.links:
            if re.match(r"^(https?:|mailto:|#$)", href) or not href:
                continue
            path, _, anchor = href.partition("#")
            if not path:
                target = name
            elif path.startswith("/"):  # 404.html links from the site root
                target = posixpath.normpath(path.lstrip("/") or ".")
                if (site.site / target).is_dir():
                    target = posixpath.join(target, "index.html")
            else:
                target = posixpath.normpath(posixpath.join(base, path))
                if (site.site / target).is_dir():
                    target = posixpath.join(target, "index.html")
            if not (site.site / target).is_file():
                broken.append((name, href))
            elif anchor and target in pages and anchor not in pages[target].ids:
                broken.append((name, href))
    assert not broken, broken[:20]


def test_site_loads_nothing_from_outside(site):
    for p in site.site.rglob("*.html"):
        for tag, url in Page(p.read_text(encoding="utf-8")).resources:
            assert not re.match(r"^(https?:)?//", url), (p, tag, url)
    css = (site.site / "assets" / "xxgk.css").read_text(encoding="utf-8")
    assert "http://" not in css.replace("http://www.w3.org/2000/svg", "") and "https://" not in css


def test_downloads(site):
    entries = site.result.archive.entries
    data = site.site / "data"
    packed = gzip.decompress((data / "all.json.gz").read_bytes())
    records = json.loads(packed.decode("utf-8"))
    assert [r["id"] for r in records] == [e.record["id"] for e in entries]
    # One record per line, each exactly the report's own JSON file (compressed piece by piece).
    lines = packed.split(b"\n")
    assert lines[0] == b"[" and lines[-2:] == [b"]", b""]
    assert [x.removesuffix(b",") for x in lines[1:-2]] == [
        (data / "reports" / f"{e.slug}.json").read_bytes().rstrip(b"\n") for e in site.result.archive.shown]
    by_source = records_by_source(site.root)
    for e in entries:
        one = json.loads((data / "reports" / f"{e.slug}.json").read_text(encoding="utf-8"))
        assert one["schema"] == "xxgk-report/1" and one["tables"] == by_source[Path(e.sources[0]).name]["tables"]
        assert (data / "raw" / f"{e.slug}.txt").read_bytes() == (site.root / e.sources[0]).read_bytes()
    raw = (data / "reports.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    paths = [p for p, _r, _f in T.all_cell_paths()]
    assert rows[0][-len(paths):] == paths
    assert rows[1][-len(paths):] == [T.cell_label(p.split(".")[0], r, f) for p, r, f in T.all_cell_paths()]
    assert len(rows) == 2 + len(entries)
    col = rows[0].index("requests.received.total")
    assert {r[0]: r[col] for r in rows[2:]}[next(e.slug for e in entries if "西安镇" in e.agency)] == "1"
    findings = list(csv.reader(io.StringIO((data / "findings.csv").read_text(encoding="utf-8-sig"))))
    assert len(findings) == 2 + sum(len(e.findings) for e in entries)
    assert any(r[3] == "prose.appeals" and r[5] == "warn" for r in findings[2:])


def test_pages_from_the_rule_registry(site):
    from builder import validate as V
    rules = Page((site.site / "browse" / "rules" / "index.html").read_text(encoding="utf-8"))
    for r in V.RULES:
        assert "rule-" + r.id.replace(".", "-").replace("_", "-") in rules.ids
    status = (site.site / "browse" / "status" / "index.html").read_text(encoding="utf-8")
    assert "红寺堡区红寺堡镇人民政府" in status.split('id="warn"')[1].split('id="unknown"')[0]


def test_nav_holds_index_pages_only(site):
    home = (site.site / "index.html").read_text(encoding="utf-8")
    nav_links = re.findall(r'<a href="([^"]*)"\s+class="md-(?:nav|tabs)__link', home)
    assert any(h.startswith("browse/regions") for h in nav_links), nav_links
    assert not [h for h in nav_links if "reports/" in h]
