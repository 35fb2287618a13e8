"""Small HTML helpers shared by every page.

Report text is untrusted. It only ever reaches a page through `esc()` (text
and attribute values), never as markup, a link target or a file name. Pages
are Markdown files whose body is raw HTML blocks: Python-Markdown passes
those through untouched, so no Markdown or template syntax inside report
text is ever interpreted.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from functools import lru_cache

from .. import template as T

# C0 controls other than tab/newline: Python-Markdown uses \x02/\x03 as its
# placeholder markers, so they must never reach a page.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,95}$")


def esc(value) -> str:
    """Text → HTML-escaped text, safe in element content and quoted attributes."""
    if type(value) is str:  # the usual value
        return _escaped(value)
    if value is None:
        return ""
    return _escaped(str(value))


@lru_cache(maxsize=16384)  # labels, names and titles repeat on every page: each is escaped once
def _escaped(text: str) -> str:
    if not _SPECIAL.search(text):  # most text: nothing to escape or drop, one scan tells
        return text
    return html.escape(_CONTROL.sub("", text), quote=True)


_SPECIAL = re.compile(r"[&<>\"'\x00-\x08\x0b-\x1f\x7f]")  # what escaping changes or drops


def is_plain(text: str) -> bool:
    """True when esc() would return `text` itself, and so would for any slice of it."""
    return not _SPECIAL.search(text)


def attrs(**kw) -> str:
    """Keyword attributes → ' a="…"' (values escaped; None/False dropped; class_ → class)."""
    out = []
    for k, v in kw.items():
        if v is None or v is False:
            continue
        name = k.rstrip("_").replace("_", "-")
        out.append(f" {name}" if v is True else f' {name}="{esc(v)}"')
    return "".join(out)


def link(href: str, text: str, **kw) -> str:
    """An anchor; `href` is built by this package (never from report text), `text` is escaped."""
    return f'<a href="{esc(href)}"{attrs(**kw) if kw else ""}>{esc(text)}</a>'


def is_safe_slug(slug: str) -> bool:
    return bool(slug) and bool(_SAFE_SLUG.match(slug))


def title_text(value: str) -> str:
    """A page title for front matter, already HTML-escaped.

    Material writes `page.meta.title` into <title> and the header without
    autoescaping (MkDocs' Jinja environment has none), so the title must be
    HTML already: escaped, it shows literally — “<script>” reads as <script>
    in the tab and the header, and runs nowhere. Jinja never evaluates the
    text of a variable, so “{{ … }}” in a title stays text too.
    """
    s = _CONTROL.sub("", str(value)).replace("\n", " ")
    s = _NOT_YAML.sub("\ufffd", s)
    return html.escape(s, quote=True)


# What YAML refuses in a document (C1 controls, U+FFFE/FFFF, lone surrogates). MkDocs
# keeps front matter it cannot load as page text, which Markdown would then interpret.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def front_matter(title: str, *, hide=("navigation",), search_exclude=False, search_boost=None,
                 extra: dict | None = None) -> str:
    """YAML front matter; values are JSON strings (valid YAML) so nothing in them is YAML syntax."""
    shown = title_text(title)
    lines = ["---", "title: " + _json_text(shown)]
    if hide:
        lines.append("hide:")
        lines.extend(f"  - {h}" for h in hide)
    if search_exclude:
        lines.append("search:\n  exclude: true")
    elif search_boost is not None:
        lines.append(f"search:\n  boost: {float(search_boost)}")
    for k, v in (extra or {}).items():
        lines.append(f"{k}: {json.dumps(v)}")  # ASCII escapes: nothing YAML could refuse
    lines.append("---")
    if extra or not _PLAIN_TITLE.match(shown):  # a title of only these characters always loads
        _check_yaml("\n".join(lines[1:-1]))
    return "\n".join(lines) + "\n\n"


_json_text = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False), without a new encoder per call

# Chinese, ASCII letters and digits, spaces and common punctuation: in a double-quoted YAML
# scalar none of them needs checking (loading the front matter is most of a report page's cost).
_PLAIN_TITLE = re.compile(r"[\u4e00-\u9fff\u3001-\u3011\uff01-\uff5eA-Za-z0-9 ·—–\-.,:;()&#]*\Z")


def _check_yaml(text: str) -> None:
    """Front matter that YAML could not load would be shown as page text: refuse to write it."""
    import yaml

    data = yaml.safe_load(text)
    if not isinstance(data, dict) or "title" not in data:
        raise ValueError("front matter does not load as a YAML mapping")


def number(value) -> str:
    """A figure as printed: integers plainly, decimals without trailing zeros."""
    if isinstance(value, bool) or value is None:
        return ""
    return T.fmt_number(value)


def paragraphs(text: str | None) -> str:
    """Plain report prose → escaped <p> elements, one per blank-line separated paragraph."""
    if not text:
        return ""
    parts = [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]
    return "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in parts)


_PARAGRAPH = re.compile(r"\n\s*\n")


class Pages:
    """URLs of generated pages, relative links between them.

    A page path is its Markdown path under docs/ ("reports/x.md"); with
    `use_directory_urls` its URL is "reports/x/". Links in raw HTML are not
    rewritten by MkDocs, so they are computed here, relative to the page.
    """

    @staticmethod
    def url(md_path: str) -> str:
        if md_path == "index.md":
            return ""
        if md_path.endswith("/index.md"):
            return md_path[: -len("index.md")]
        return md_path[:-3] + "/" if md_path.endswith(".md") else md_path

    @classmethod
    def href(cls, from_md: str, to: str, anchor: str = "") -> str:
        """Relative href from page `from_md` to a page (".md") or a static file under docs/."""
        is_page = to.endswith(".md")
        target = "/" + (cls.url(to) if is_page else to)
        base, b, first, up, folder = _base(from_md)
        t = target.strip("/")
        if up is None or "/." in target or "//" in t:
            rel = _relpath(target, base)
        elif t.partition("/")[0] != first:
            # Nothing in common (a report page linking outside reports/): up to the root, then down.
            rel = (f"{up}/{t}" if t else up) if b else t
        elif folder and t != b and t.startswith(folder) and "/" not in t[len(folder):]:
            rel = "../" + t[len(folder):]  # a page beside this one (another report)
        else:
            rel = _relpath(target, base)
        if is_page:
            rel = "./" if rel == "." else rel + "/"
        return rel + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=64)  # a page links from itself a dozen times
def _base(from_md: str) -> tuple[str, str, str, str | None, str]:
    """A page's URL path as `_relpath` reads it: the path, without its outer slashes, its first
    segment, the way up from it to the root (None when the path needs normalising), and the
    folder it is in, with a slash (empty at the top)."""
    base = "/" + Pages.url(from_md)
    b = base.strip("/")
    up = None if "/." in base or "//" in b else "../" * b.count("/") + ".."
    folder = b.rpartition("/")[0]
    return base, b, b.partition("/")[0], up, folder + "/" if folder else ""


def _relpath(target: str, base: str) -> str:
    """posixpath.relpath for the absolute URL paths above, without its normalising (a report page
    links a dozen times: this is most of the cost of its links)."""
    if "/." in target or "/." in base:  # “.” or “..” segments: let posixpath normalise them
        return posixpath.relpath(target, base)
    t, b = target.strip("/"), base.strip("/")
    if "//" not in t and "//" not in b and t.partition("/")[0] != b.partition("/")[0]:
        # Nothing in common (a report page linking outside reports/): up to the root, then down.
        if not b:
            return t
        return "../" * b.count("/") + (f"../{t}" if t else "..")
    t = list(filter(None, target.split("/")))
    b = list(filter(None, base.split("/")))
    i, n = 0, min(len(t), len(b))
    while i < n and t[i] == b[i]:
        i += 1
    return "/".join([".."] * (len(b) - i) + t[i:]) or "."


_MD_SPECIAL = re.compile(r"[\\`*_\[\]{}<>&#!|~^$+=\n\r]")


def heading(level: int, text: str, anchor: str, *, exclude: bool = False) -> str:
    """A heading with a fixed id. Plain text becomes a Markdown heading (listed in the page's table of
    contents); anything with Markdown or HTML syntax characters becomes an escaped raw HTML heading."""
    flags = " data-search-exclude" if exclude else ""
    s = _CONTROL.sub("", str(text)).strip()
    if s and not _MD_SPECIAL.search(s):
        return f"{'#' * level} {s} {{#{anchor}{flags}}}"
    return f"<h{level} id=\"{esc(anchor)}\"{flags}>{esc(s)}</h{level}>"
