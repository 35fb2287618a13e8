"""The hostile corpus (issue 5): files anyone could drop into seeds/, made from the real seeds.

Every report-like file here is a seed whose text was edited — an agency name
replaced in its title, cut off, repeated, re-encoded, a figure changed — never
an invented report. Beside them lie files that are not reports at all. The
corpus is built once per test session into a temporary project, with the site.
"""
from __future__ import annotations

import io
import os
import random
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from built_site import SEEDS, Built, new_project, run_build

S000, S001, S002, S003, S004 = (sorted(p.name for p in SEEDS.iterdir() if p.is_file()))


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


# Agency names that carry markup, script, template syntax, Markdown links or path characters.
# Reports' titles are read without whitespace, so the markup needs none (“<img/src=x/…>”).
HOSTILE_AGENCIES = {
    "script": (S001, "海原县西安镇人民政府", "<script>alert(1)</script>海原县西安镇人民政府"),
    "img": (S002, "海原县贾塘乡人民政府", "<img/src=x/onerror=alert(1)>海原县贾塘乡人民政府"),
    "mdlink": (S004, "红寺堡区红寺堡镇人民政府", "[点我](javascript:alert(1))红寺堡区红寺堡镇人民政府"),
    "template": (S003, "微山县西平镇人民政府", "{{config.site_name}}{%raw%}&lt;b&gt;微山县西平镇人民政府"),
    "path": (S000, "西堡镇人民政府", "../../../etc/passwd/西堡镇人民政府"),
    # Characters YAML refuses: a page title holding them once left the front matter unread,
    # and MkDocs then rendered it as Markdown — a javascript: link.
    "yaml": (S001, "海原县西安镇人民政府", "[点我](javascript:alert(5))\x81\ufffe海原县西安镇人民政府"),
}
# Prose that would be markup, a link, a template or a file include if it were ever interpreted.
HOSTILE_PROSE = ("注意：<img src=x onerror=alert(2)> [点我](javascript:alert(3)) {{ config.site_name }} {% raw %} "
                 '--8<-- "/etc/passwd" <a href="javascript:alert(4)">链接</a>')


def retitle(text: str, old: str, new: str) -> str:
    """The agency replaced in the title line (the first line that names the report)."""
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        if old in ln:
            lines[i] = ln.replace(old, new, 1)
            return "\n".join(lines)
    raise AssertionError(f"{old} not found")


def sections(text: str) -> dict[str, int]:
    lines = text.split("\n")
    return {k: next(i for i, ln in enumerate(lines) if re.match(r"^[#*\s]*" + k + "、", ln) and "\t" not in ln)
            for k in "一二三四五六"}


def prose_only(text: str) -> str:
    """The seed with every table line removed: sections 二 to 四 keep their headings and sentences."""
    lines = text.split("\n")
    at = sections(text)
    keep = [ln for i, ln in enumerate(lines)
            if not at["二"] < i < at["五"] or i in at.values() or ("。" in ln and "\t" not in ln.strip())]
    return "\n".join(keep)


def repeated_prose(text: str, size: int) -> str:
    """Section 一's prose repeated until the text is about `size` bytes."""
    lines = text.split("\n")
    at = sections(text)
    prose = "\n".join(lines[at["一"] + 1:at["二"]])
    n = max(1, size // len(prose.encode("utf-8")))
    return "\n".join(lines[:at["二"]]) + ("\n" + prose) * n + "\n" + "\n".join(lines[at["二"]:])


def fullwidth(text: str) -> str:
    return text.translate({ord(str(i)): ord("０") + i for i in range(10)})


def unknown_place(text: str) -> str:
    """Every place name of seed 002 (海原县贾塘乡, 中卫市, 宁夏) replaced by made-up ones."""
    for old, new in (("宁夏回族自治区", "乌有自治区"), ("宁夏", "乌有"), ("中卫市", "子虚市"), ("中卫", "子虚"),
                     ("海原县", "亡是县"), ("海原", "亡是"), ("贾塘乡", "乌何乡"), ("贾塘", "乌何")):
        text = text.replace(old, new)
    return text


def revised(text: str) -> str:
    """Seed 000 as a corrected edition: the first figure printed after 行政许可 in table 二 raised
    by 5, signed a week later."""
    lines = text.split("\n")
    i = next(i for i, ln in enumerate(lines) if ln.strip().startswith("行政许可"))
    j = next(j for j in range(i + 1, len(lines)) if re.search(r"\d", lines[j]))
    lines[j] = re.sub(r"\d+", lambda m: str(int(m.group()) + 5), lines[j], count=1)
    out = "\n".join(lines)
    assert "2025年1月15日" in out
    return out.replace("2025年1月15日", "2025年1月22日")


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


BIG = 4_000_000
ODD_NAME = "报告 [2024] #1 (副本) & 50%.txt"
MARKUP_NAME = "<b>粗体</b> 'q' \"dq\".txt"
LINEBREAK_NAME = "line\nbreak <i>.txt"
BAD_UTF8_NAME = b"\xff\xfe bad-utf8 name.txt"


def corpus() -> dict[str, bytes]:
    """File name (may hold a folder) → bytes. Deterministic: the same bytes every session."""
    rng = random.Random(5)
    s = {n: seed(n) for n in (S000, S001, S002, S003, S004)}
    files: dict[str, bytes] = {n: t.encode("utf-8") for n, t in s.items()}
    # Not reports at all.
    files.update({
        "empty.txt": b"",
        "blank.txt": b" \r\n\t\n",
        "random.bin": bytes(rng.getrandbits(8) for _ in range(4096)),
        "image.png": b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(2048)),
        "archive.zip": _zip(S001, files[S001]),
        "zeros.dat": b"\x00" * 4096,
        "gbk-noise.txt": bytes(rng.randrange(0x81, 0xFF) for _ in range(4096)),
        "mojibake.txt": re.sub(r"[\u4e00-\u9fff]{1,3}", "锟斤拷", s[S001]).encode("utf-8"),
    })
    # Encodings and layout noise: the same reports, saved other ways.
    files.update({
        "enc/gb18030.txt": s[S002].encode("gb18030"),
        "enc/utf16le-bom.txt": s[S000].encode("utf-16"),
        "enc/utf16be.txt": s[S003].encode("utf-16-be"),
        "enc/utf8-bom.txt": s[S004].encode("utf-8-sig"),
        "enc/crlf.txt": s[S001].replace("\n", "\r\n").encode("utf-8"),
        "enc/fullwidth.txt": fullwidth(s[S001]).encode("utf-8"),
    })
    # Damaged, partial, huge.
    cut = s[S002].encode("utf-8")
    files.update({
        "0-cut.txt": cut[: len(cut) // 2 + 1],  # sorts first, cut inside a character
        "prose-only.txt": prose_only(s[S003]).encode("utf-8"),
        "big.txt": repeated_prose(s[S004], BIG).encode("utf-8"),
        "huge-number.txt": s[S001].replace("主动公开信息 59 条", "主动公开信息 " + "9" * 5000 + " 条")
                                  .replace("\t1\t0\t", "\t" + "1" * 5000 + "\t0\t", 1).encode("utf-8"),
    })
    # Copies and versions.
    files.update({
        "001 copy (1) #2 [副本].txt": files[S001],
        "子目录/报告 副本.txt": files[S000],
        "修订/000 修订版.txt": revised(s[S000]).encode("utf-8"),
    })
    # Hostile agency names and prose.
    for key, (name, old, new) in HOSTILE_AGENCIES.items():
        text = retitle(s[name], old, new)
        if key == "script":
            text = text.replace("一、总体情况\n", "一、总体情况\n\n" + HOSTILE_PROSE + "。\n", 1)
        files[f"hostile-{key}.txt"] = text.encode("utf-8")
    # A region the gazetteer does not know, under an awkward file name; names holding markup
    # and a line break, copies of other files.
    files[ODD_NAME] = unknown_place(s[S002]).encode("utf-8")
    files[MARKUP_NAME] = files["hostile-img.txt"]
    files[LINEBREAK_NAME] = files[S003]
    return files


# What `write` adds beside the corpus: the non-UTF-8 name, the hidden file, the pipe, the links.
ON_DISK_ONLY = 6


def write(root: Path) -> Path:
    """The corpus written into root/seeds, plus what only a file system can hold: a file whose
    name is not UTF-8, a hidden file, a named pipe, a link pointing outside the folder and links
    to themselves."""
    seeds = root / "seeds"
    for name, data in corpus().items():
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_bytes(data)
    (seeds / os.fsdecode(BAD_UTF8_NAME)).write_bytes((SEEDS / S004).read_bytes())
    (seeds / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(64))
    os.mkfifo(seeds / "pipe.fifo")
    secret = root / "secret.txt"
    secret.write_text(seed(S001), encoding="utf-8")
    (seeds / "link-outside.txt").symlink_to(secret)
    (seeds / "loop.txt").symlink_to("loop.txt")  # a link to itself: following it never ends
    (seeds / ".hidden-loop").symlink_to(".hidden-loop")
    return root


def project() -> Path:
    """A fresh project holding the hostile corpus as its seeds."""
    return write(new_project({}))


@lru_cache(maxsize=1)
def hostile_site() -> Built:
    """The hostile corpus, built with the site, once per session."""
    built = run_build(project())
    assert built.result.site_ok, built.log
    return built
