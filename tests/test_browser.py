"""A real browser (Playwright driving Debian's Chromium) against the built site, served locally:
typing into Material's search box lists the right report; pages load nothing from outside the site."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from built_site import built_site, edited_site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not shutil.which("chromium"),
    reason="Chromium 未安装（Debian: apt-get install -y chromium）；CI 会安装它",
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """serve(site_dir) → base URL of a local HTTP server for that folder (one per folder)."""
    servers = {}

    def start(folder: Path) -> str:
        if folder not in servers:
            srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
            threading.Thread(target=srv.serve_forever, daemon=True).start()
            servers[folder] = srv
        return f"http://127.0.0.1:{servers[folder].server_address[1]}/"

    yield start
    for srv in servers.values():
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                              args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.requests_seen = []
    pg.dialogs_seen = []
    pg.on("request", lambda r: pg.requests_seen.append(r.url))
    pg.on("dialog", lambda d: (pg.dialogs_seen.append(d.message), d.dismiss()))
    yield pg
    ctx.close()


def search(page, query: str) -> list[str]:
    """Type a query into Material's search box; the hrefs of the listed results."""
    page.locator("label.md-search__icon, .md-search__input").first.wait_for(state="attached")
    page.click("input.md-search__input")
    page.keyboard.type(query, delay=30)
    # Characters typed as text fire no keyup, which is what Material's search box listens to
    # (an IME commit does); one key press stands in for it.
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")


@pytest.mark.parametrize("query,agency", [("贾塘乡", "贾塘乡"), ("西安镇", "西安镇"), ("红寺堡", "红寺堡镇"),
                                          ("湟中区", "西堡镇")])
def test_search_box_lists_the_right_report(page, serve, query, agency):
    site = built_site()
    base = serve(site.site)
    slug = next(e.slug for e in site.result.archive.entries if agency in e.agency)
    page.goto(base)
    hrefs = search(page, query)
    assert hrefs and hrefs[0].startswith(f"{base}reports/{slug}/"), hrefs
    meta = page.inner_text(".md-search-result__meta")
    assert "结果" in meta  # Material's own Chinese result count
    page.click(".md-search-result__item > a >> nth=0")
    page.wait_for_url(f"{base}reports/{slug}/**")
    assert agency in page.inner_text("h1")
    assert all(u.startswith(base) for u in page.requests_seen), [u for u in page.requests_seen if not u.startswith(base)]


def test_home_search_prompt_opens_the_search(page, serve):
    base = serve(built_site().site)
    page.goto(base)
    page.click(".xx-search-box")
    page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("海原县", delay=30)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")
    assert sum("haiyuanxian" in h for h in hrefs[:2]) == 2, hrefs


def test_report_page_loads_nothing_from_outside(page, serve):
    site = built_site()
    base = serve(site.site)
    for e in site.result.archive.entries:
        page.goto(f"{base}reports/{e.slug}/")
        page.wait_for_load_state("networkidle")
        assert page.locator("table.xx-t3").count() == 1
    assert page.requests_seen and all(u.startswith(base) for u in page.requests_seen)


def test_hostile_report_opens_no_dialog(page, serve):
    site = edited_site()
    base = serve(site.site)
    e = site.result.archive.entries[0]
    page.goto(f"{base}reports/{e.slug}/")
    page.wait_for_load_state("networkidle")
    assert "<script>alert(1)</script>" in page.inner_text("h1")  # shown as text
    hrefs = search(page, "注意")
    assert any(e.slug in h for h in hrefs)
    page.wait_for_timeout(300)
    assert page.dialogs_seen == []
    assert all(u.startswith(base) for u in page.requests_seen)


def test_hostile_site_opens_no_dialog_and_loads_nothing_from_outside(page, serve):
    """Every page built from the hostile corpus (tests/hostile.py) — reports whose agency names hold
    <script>, <img onerror>, javascript: links, templates and paths, versions, the 4 MB report, the
    indexes and the build report listing files named with markup — and searches that list those
    names: no dialog opens, every request goes to the local server and finds a file of the site
    (an injected <img src=x> would ask for a missing “x”)."""
    from hostile import hostile_site

    site = hostile_site()
    base = serve(site.site)
    pages = sorted(p.parent.relative_to(site.site).as_posix() for p in site.site.rglob("index.html"))
    assert len(pages) >= len(site.result.archive.entries) + 8
    for rel in pages:
        page.goto(base + ("" if rel == "." else rel + "/"), wait_until="load")
    hostile = next(e for e in site.result.archive.entries if e.record["agency"].startswith("<script>"))
    page.goto(f"{base}reports/{hostile.slug}/")
    assert page.inner_text("h1") == hostile.title and page.title().startswith(hostile.title)
    hrefs = search(page, "点我")  # the agency named “[点我](javascript:alert(1))…” and the prose quoting it
    assert hrefs and all(h.startswith(base) for h in hrefs)
    shown = page.inner_text(".md-search-result").replace("\u200b", "")  # jieba's word breaks
    assert "[点我](javascript:alert(1))红寺堡区" in shown  # the names and the prose listed as text
    assert '<a href="javascript:alert(4)">链接</a>' in shown
    page.wait_for_timeout(300)
    assert page.dialogs_seen == []
    outside = [u for u in page.requests_seen if not u.startswith(base)]
    assert not outside, outside
    missing = [u for u in page.requests_seen
               if not (site.site / urlpath(u[len(base):])).is_file()]
    assert not missing, missing


def urlpath(rel: str) -> str:
    from urllib.parse import unquote, urlsplit

    path = unquote(urlsplit(rel).path)
    return path + "index.html" if path == "" or path.endswith("/") else path
