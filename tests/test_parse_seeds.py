"""Each seed parses to exactly what it prints.

Every expected value below was read off the seed text by a person (line
numbers refer to the seed files), never produced by running the parser.
"""
from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from builder import template as T
from builder.ingest import read
from builder.parse import parse

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

S000 = "000_e50f6d005f8d8b68.txt"
S001 = "001_672a93e96f8a197d.txt"
S002 = "002_3d5a5a7e12036567.txt"
S003 = "003_025603475ffff513.txt"
S004 = "004_305873c2aaa66a8b.txt"
ALL = (S000, S001, S002, S003, S004)


@lru_cache(maxsize=None)
def record(name: str) -> dict:
    return parse(read(SEEDS / name, f"seeds/{name}"))


@lru_cache(maxsize=None)
def source_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def grid(text: str) -> dict:
    """“key v v v …” lines → {key: [values]}, for transcribing a printed table."""
    out = {}
    for line in text.strip().splitlines():
        key, *vals = line.split()
        out[key] = [float(v) if "." in v else int(v) for v in vals]
    return out


# ------------------------------------------------------------------ the figures
# Table 二. All five seeds print 0 in every cell of all four sub-tables
# (000: lines 21–33; 001: 39–50; 002: 53–65; 003: 41–76 one cell per line; 004: 25–36).
ACTIVE_ZERO = grid("""
regulations          0 0 0
normative_documents  0 0 0
licensing            0
penalty              0
coercion             0
fees                 0
""")

# Table 三, columns: 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计.
# Seeds 000 (lines 40–66), 002 (72–97), 003 (99–363) and 004 (43–67) print 0 everywhere.
REQUESTS_ZERO = grid("""
received                    0 0 0 0 0 0 0
carried_over                0 0 0 0 0 0 0
granted                     0 0 0 0 0 0 0
partly_granted              0 0 0 0 0 0 0
withheld_state_secret       0 0 0 0 0 0 0
withheld_prohibited         0 0 0 0 0 0 0
withheld_security           0 0 0 0 0 0 0
withheld_third_party        0 0 0 0 0 0 0
withheld_internal           0 0 0 0 0 0 0
withheld_deliberative       0 0 0 0 0 0 0
withheld_case_file          0 0 0 0 0 0 0
withheld_inquiry            0 0 0 0 0 0 0
unavailable_not_held        0 0 0 0 0 0 0
unavailable_needs_creation  0 0 0 0 0 0 0
unavailable_unclear         0 0 0 0 0 0 0
declined_complaint          0 0 0 0 0 0 0
declined_repeat             0 0 0 0 0 0 0
declined_publication        0 0 0 0 0 0 0
declined_excessive          0 0 0 0 0 0 0
declined_confirmation       0 0 0 0 0 0 0
other_no_correction         0 0 0 0 0 0 0
other_unpaid_fee            0 0 0 0 0 0 0
other_misc                  0 0 0 0 0 0 0
results_total               0 0 0 0 0 0 0
carried_forward             0 0 0 0 0 0 0
""")

# Seed 001, lines 57–82: one request from a natural person, received and granted.
REQUESTS_001 = grid("""
received                    1 0 0 0 0 0 1
carried_over                0 0 0 0 0 0 0
granted                     1 0 0 0 0 0 1
partly_granted              0 0 0 0 0 0 0
withheld_state_secret       0 0 0 0 0 0 0
withheld_prohibited         0 0 0 0 0 0 0
withheld_security           0 0 0 0 0 0 0
withheld_third_party        0 0 0 0 0 0 0
withheld_internal           0 0 0 0 0 0 0
withheld_deliberative       0 0 0 0 0 0 0
withheld_case_file          0 0 0 0 0 0 0
withheld_inquiry            0 0 0 0 0 0 0
unavailable_not_held        0 0 0 0 0 0 0
unavailable_needs_creation  0 0 0 0 0 0 0
unavailable_unclear         0 0 0 0 0 0 0
declined_complaint          0 0 0 0 0 0 0
declined_repeat             0 0 0 0 0 0 0
declined_publication        0 0 0 0 0 0 0
declined_excessive          0 0 0 0 0 0 0
declined_confirmation       0 0 0 0 0 0 0
other_no_correction         0 0 0 0 0 0 0
other_unpaid_fee            0 0 0 0 0 0 0
other_misc                  0 0 0 0 0 0 0
results_total               1 0 0 0 0 0 1
carried_forward             0 0 0 0 0 0 0
""")

# Table 四: 行政复议 ×5, 未经复议直接起诉 ×5, 复议后起诉 ×5 (维持 纠正 其他 尚未审结 总计).
APPEALS = {
    S000: "0 0 0 0 0  0 0 0 0 0  0 0 0 0 0",  # line 73
    S001: "0 0 0 0 0  0 0 0 0 0  0 0 0 0 0",  # line 89
    S002: "0 0 0 0 0  0 0 0 0 0  0 0 0 0 0",  # line 104
    S003: "0 0 0 0 0  0 0 0 0 0  0 0 0 0 0",  # lines 405–419, one per line
    S004: "0 0 0 0 0  1 0 0 1 2  0 0 0 0 0",  # line 74: two direct suits, one upheld, one pending
}
REQUESTS = {S000: REQUESTS_ZERO, S001: REQUESTS_001, S002: REQUESTS_ZERO, S003: REQUESTS_ZERO,
            S004: REQUESTS_ZERO}


def expected_tables(name: str) -> dict:
    active = {r.key: dict(zip((f.key for f in r.fields), ACTIVE_ZERO[r.key])) for r in T.ACTIVE_ROWS}
    requests = {r.key: dict(zip((f.key for f in r.fields), REQUESTS[name][r.key]))
                for r in T.rows_for("requests", "2021")}
    nums = [int(v) for v in APPEALS[name].split()]
    n = len(T.APPEAL_FIELDS)
    appeals = {g.key: dict(zip((f.key for f in g.fields), nums[i * n:(i + 1) * n]))
               for i, g in enumerate(T.APPEAL_GROUPS)}
    return {"active": active, "requests": requests, "appeals": appeals}


@pytest.mark.parametrize("name", ALL)
def test_every_figure(name):
    rec = record(name)
    assert rec["template"] == "2021"
    assert set(rec["tables"]) == {"active", "requests", "appeals"}
    assert rec["tables"] == expected_tables(name)
    # Every figure is a number: none of the 200 cells was left unread.
    paths = [p for p, _, _ in T.cell_paths("2021")]
    assert sorted(rec["cells"]) == sorted(paths)
    assert not [n for n in rec["notes"] if n.startswith("表")]


@pytest.mark.parametrize("name", ALL)
def test_figures_trace_to_their_line(name):
    """Each cell's raw text is printed on the line the record names."""
    rec = record(name)
    lines = source_lines(name)
    for path, cell in rec["cells"].items():
        assert cell["text"] in lines[cell["line"] - 1], path


@pytest.mark.parametrize(("name", "path", "text", "line"), [
    (S000, "requests.received.natural_person", "0", 40),
    (S000, "appeals.suit_after_review.total", "0", 73),
    (S001, "requests.received.natural_person", "1", 57),
    (S001, "requests.granted.total", "1", 59),
    (S001, "requests.results_total.natural_person", "1", 81),
    (S002, "requests.withheld_security.total", "0", 78),
    (S003, "active.regulations.issued", "0", 42),
    (S003, "requests.carried_forward.total", "0", 363),
    (S003, "appeals.suit_after_review.total", "0", 419),
    (S004, "appeals.suit_direct.upheld", "1", 74),
    (S004, "appeals.suit_direct.total", "2", 74),
])
def test_cell_sources(name, path, text, line):
    assert record(name)["cells"][path] == {"text": text, "line": line}


# ------------------------------------------------------------------ metadata
HAIYUAN = {"province": "宁夏回族自治区", "city": "中卫市", "county": "海原县", "code": "640522"}
META = {
    S000: dict(
        title="西堡镇人民政府 2024年信息公开工作年度报告",
        agency="西宁市湟中区西堡镇人民政府",  # signature, line 87; the title gives the short name
        agency_in_title="西堡镇人民政府",
        year=2024, published="2025-01-15",  # line 89
        period=None,
        contact={"address": None, "postcode": None, "phone": None, "website": None},
        region={"province": "青海省", "city": "西宁市", "county": "湟中区", "code": "630106"},
    ),
    S001: dict(
        title="海原县西安镇人民政府 2023 年政府信息公开工作年度报告",
        agency="海原县西安镇人民政府", agency_in_title="海原县西安镇人民政府",
        year=2023, published=None,
        period={"start": "2023-01-01", "end": "2023-12-31"},  # line 5
        contact={"address": "海原县西安镇人民政府（小红公路南）", "postcode": "755208",
                 "phone": "0955-4719171", "website": "http://www.hy.gov.cn"},
        region=HAIYUAN,
    ),
    S002: dict(
        title="海原县贾塘乡人民政府 2024 年政府信息公开工作年度报告",  # lines 3 and 5
        agency="海原县贾塘乡人民政府", agency_in_title="海原县贾塘乡人民政府",
        year=2024, published=None,
        period={"start": "2024-01-01", "end": "2024-12-31"},  # line 7
        contact={"address": "海原县贾塘乡贾塘街道", "postcode": "755201",
                 "phone": "0955-4811130", "website": "http://www.hy.gov.cn/"},
        region=HAIYUAN,
    ),
    S003: dict(
        title="微山县西平镇人民政府 2024年政府信息公开工作年度报告",  # lines 1 and 3
        agency="微山县西平镇人民政府", agency_in_title="微山县西平镇人民政府",
        year=2024, published=None,
        period={"start": "2024-01-01", "end": "2024-12-31"},  # line 6
        contact={"address": "微山县西平镇县乡公路111号", "postcode": None,
                 "phone": "0537-8341001", "website": "http://www.weishan.gov.cn/"},
        region={"province": "山东省", "city": "济宁市", "county": "微山县", "code": "370826"},
    ),
    S004: dict(
        title="红寺堡区红寺堡镇人民政府 2024 年政府信息公开工作年度报告",
        agency="红寺堡区红寺堡镇人民政府", agency_in_title="红寺堡区红寺堡镇人民政府",
        year=2024, published=None,
        period={"start": "2024-01-01", "end": "2024-12-31"},  # line 5: “2024 年 1 月 1 日至 12 月 31 日”
        contact={"address": None, "postcode": None, "phone": None, "website": None},
        region={"province": "宁夏回族自治区", "city": "吴忠市", "county": "红寺堡区", "code": "640303"},
    ),
}


@pytest.mark.parametrize("name", ALL)
def test_metadata(name):
    rec = record(name)
    want = META[name]
    assert rec["schema"] == "xxgk-report/1"
    assert rec["source"]["path"] == f"seeds/{name}"
    assert rec["source"]["encoding"] == "utf-8"
    assert rec["source"]["bytes"] == (SEEDS / name).stat().st_size
    for key in ("title", "agency", "agency_in_title", "year", "published", "contact", "region"):
        assert rec[key] == want[key], key
    if want["period"] is None:
        assert rec["period"] is None
    else:
        assert {k: rec["period"][k] for k in ("start", "end")} == want["period"]
        # The period's text is quoted from the report.
        assert rec["period"]["text"] in (SEEDS / name).read_text(encoding="utf-8")
    assert rec["id"] and all(c.isascii() and (c.isalnum() or c == "-") for c in rec["id"])
    assert str(rec["year"]) in rec["id"]


@pytest.mark.parametrize("name", ALL)
def test_publication_note(name):
    """A report with no dated signature says so; seed 000 is signed and dated."""
    notes = record(name)["notes"]
    missing = "报告末尾没有带日期的落款，发布日期未知"
    assert (missing in notes) == (name != S000)


# ------------------------------------------------------------------ sections
TITLES = [
    (1, "总体情况"),
    (2, "主动公开政府信息情况"),
    (3, "收到和处理政府信息公开申请情况"),
    (4, "政府信息公开行政复议、行政诉讼情况"),
    (5, "存在的主要问题及改进情况"),
    (6, "其他需要报告的事项"),
]


@pytest.mark.parametrize("name", ALL)
def test_six_sections_as_printed(name):
    rec = record(name)
    assert [(s["no"], s["title"]) for s in rec["sections"]] == TITLES
    assert not [n for n in rec["notes"] if "标题" in n]


@pytest.mark.parametrize("name", ALL)
def test_prose_has_no_markup(name):
    rec = record(name)
    texts = [s["text"] for s in rec["sections"]] + [rec["intro"]]
    for t in texts:
        assert "**" not in t and "##" not in t and "<http" not in t
    # Tables are data, not prose: sections 2–4 of the seeds hold only tables.
    assert [s["text"] for s in rec["sections"] if s["no"] in (2, 3, 4)] == ["", "", ""]


# (seed, section no, text that must be in it) — bold marks gone, page breaks mended.
PROSE = [
    (S000, 1, "一是强化政府信息管理，优化信息公开体系。明确工作责任"),  # line 9, was **…**
    (S000, 1, "通过政务公示栏、村务微信群"),  # lines 11–13, broken mid-word by a page end
    (S000, 5, "（一）存在的主要问题。2024年，西堡镇"),  # line 77
    (S000, 5, "三是扩大宣传覆盖面"),  # lines 79–81
    (S001, 1, "二是严格信息发布审核工作。政府信息公开办公室"),  # line 23
    (S001, 1, "确保依法依规开展工作。自 2023 年 1 月 1 日起"),  # lines 13–15
    (S001, 6, "（一）围绕高质量发展强化信息公开。"),
    (S002, 1, "规范公开流程、提升公开实效，有序开展政府信息公开工作。"),  # lines 15–17
    (S002, 5, "虽然取得一定的成效，但存在信息公开的全面性有待提高"),  # lines 108–110
    (S003, 1, "现将有关情况总结如下："),
    (S003, 6, "（三）本行政机关人大代表建议和政协提案办理结果公开情况"),
    (S004, 1, "（一）主动公开政府信息情况。2024 年，红寺堡镇"),  # line 11
    (S004, 1, "(五) 监督保障情况。我镇严格按照"),  # line 19
    (S004, 6, "（二）信息处理费收取情况。2024年，红寺堡镇人民政府"),  # line 88
]


@pytest.mark.parametrize(("name", "no", "text"), PROSE)
def test_prose(name, no, text):
    sec = {s["no"]: s for s in record(name)["sections"]}[no]
    assert text in sec["text"]


@pytest.mark.parametrize(("name", "ending"), [
    (S000, "暂无其它需要报告的事项。"),  # the signature (lines 87–89) is not prose
    (S001, "本机关 2023 年未收取信息处理费用。"),
    (S002, "本机关 2024 年未收到政府信息公开申请，未收取信息处理费。"),
    (S003, "全力保障人民群众知情权、参与权和监督权。"),  # the spreadsheet dump after it is cut
    (S004, "未收取任何信息处理费。"),
])
def test_last_section_ends_where_the_report_ends(name, ending):
    sec6 = record(name)["sections"][-1]
    assert sec6["no"] == 6
    assert sec6["text"].endswith(ending)


def test_signature_is_not_prose():
    sec6 = record(S000)["sections"][-1]["text"]
    assert "西宁市湟中区西堡镇人民政府" not in sec6 and "2025年1月15日" not in sec6


def test_spreadsheet_dump_is_junk():
    """Seed 003 ends (lines 436–455) with “_1234567890.xls Sheet1 … 58 5 1 1 1 38 8”."""
    rec = record(S003)
    sec6 = rec["sections"][-1]["text"]
    for junk in ("xls", "Sheet", "通知公告", "财政预算", "工作动态", "58"):
        assert junk not in sec6
    # No figure was read from the dump: every cell comes from the report's tables.
    junk_start = source_lines(S003).index("_1234567890.xls") + 1
    assert max(c["line"] for c in rec["cells"].values()) < junk_start
    assert max(c["line"] for c in rec["cells"].values()) == 419
    values = [v for t in rec["tables"].values() for row in t.values() for v in row.values()]
    assert set(values) == {0}


def test_intro_is_the_preamble():
    rec = record(S001)
    assert rec["intro"].startswith("根据《中华人民共和国政府信息公开条例》")
    assert "http://www.hy.gov.cn" in rec["intro"]
    assert record(S000)["intro"] == ""


# ------------------------------------------------------------------ the command line
def run_cli(*files: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", "parse", *files], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_cli_one_file_prints_one_object():
    out = run_cli(f"seeds/{S004}")
    assert out.returncode == 0, out.stderr
    rec = json.loads(out.stdout)
    assert isinstance(rec, dict)
    assert rec["agency"] == "红寺堡区红寺堡镇人民政府"
    assert rec["tables"]["appeals"]["suit_direct"] == {"upheld": 1, "corrected": 0, "other": 0,
                                                       "pending": 1, "total": 2}


def test_cli_several_files_print_an_array_in_order():
    out = run_cli(*(f"seeds/{n}" for n in ALL))
    assert out.returncode == 0, out.stderr
    recs = json.loads(out.stdout)
    assert isinstance(recs, list)
    assert [r["source"]["path"] for r in recs] == [f"seeds/{n}" for n in ALL]
    assert [r["year"] for r in recs] == [2024, 2023, 2024, 2024, 2024]


@pytest.mark.parametrize(("filename", "data", "words"), [
    ("empty.txt", b"", "为空"),
    ("blank.txt", b"  \n\t\n", "为空"),
    ("noise.bin", bytes(range(256)) * 8, "不是可读的文本文件"),
    ("nulls.txt", b"\x00" * 100, "二进制"),
    ("english.txt", b"no report here\n", "没有中文"),
])
def test_cli_unreadable_file_gives_an_error_record(tmp_path, filename, data, words):
    bad = tmp_path / filename
    bad.write_bytes(data)
    out = run_cli(f"seeds/{S001}", str(bad))
    assert out.returncode == 0
    good, err = json.loads(out.stdout)
    assert good["agency"] == "海原县西安镇人民政府"  # the build goes on past the bad file
    assert err["source"]["path"] == str(bad)
    assert str(bad) in err["error"] and words in err["error"]
    assert "tables" not in err
    assert str(bad) in out.stderr


def test_cli_missing_file(tmp_path):
    missing = tmp_path / "不存在.txt"
    out = run_cli(str(missing))
    assert out.returncode == 0
    err = json.loads(out.stdout)
    assert str(missing) in err["error"] and "无法打开" in err["error"]


def test_a_missing_row_is_noted_even_when_a_longer_key_holds_its_name():
    """Deleting 予以公开 (`granted`) must be noted although `partly_granted` is read."""
    from builder.ingest import read_bytes

    data = (SEEDS / "001_672a93e96f8a197d.txt").read_bytes()
    kept = b"\n".join(ln for ln in data.split(b"\n") if "予以公开".encode() not in ln)
    rec = parse(read_bytes(kept, "001-cut.txt"))
    assert rec["tables"]["requests"]["granted"]["total"] is None
    assert rec["tables"]["requests"]["partly_granted"]["total"] == 0
    assert "表三缺少“（一）予以公开”行" in rec["notes"]


def test_a_file_name_inside_the_report_is_not_junk():
    """Only a file name followed by nothing but a dump ends the report; here prose follows."""
    from builder.ingest import read_bytes

    data = (SEEDS / "001_672a93e96f8a197d.txt").read_text("utf-8")
    data = data.replace("六、其他需要报告的事项\n", "六、其他需要报告的事项\n\n政府信息公开工作年度报告.pdf\n", 1)
    rec = parse(read_bytes(data.encode(), "001-attachment.txt"))
    six = rec["sections"][-1]["text"]
    assert "本机关 2023 年未收取信息处理费用。" in six
    assert not any("残留" in n for n in rec["notes"])


def test_the_spreadsheet_dump_is_cut_with_a_note():
    rec = record("003_025603475ffff513.txt")
    notes = [n for n in rec["notes"] if "残留" in n]
    assert len(notes) == 1 and "_1234567890.xls" in notes[0]
