"""Validation rules, exercised on the real seed reports and on copies of them with
figures or prose altered. Every expected figure below is read from the seeds."""
from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import template as T
from builder.ingest import read_bytes
from builder.parse import parse
from builder.pipeline import process
from builder.validate import FAMILIES, RULE, RULES, STATUSES, apply, summarize, validate, validate_across

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXPECTED_IDS = [
    "requests.balance", "requests.results_sum", "requests.row_total", "appeals.group_total",
    "structure.sections", "structure.tables_complete", "structure.template", "structure.blank_cells",
    "prose.requests", "prose.appeals", "year.consistency", "deadline.art49",
    "across.carry_over", "across.in_force",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


# ------------------------------------------------------------------ helpers
def seed_path(n: int) -> Path:
    (path,) = SEEDS.glob(f"{n:03d}_*.txt")
    return path


def seed_text(n: int) -> str:
    return seed_path(n).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _parsed(n: int) -> dict:
    out = process(seed_path(n))
    assert out.record is not None, out.error
    return out.record


def record(n: int) -> dict:
    """A fresh copy of a seed's record, safe to alter."""
    return copy.deepcopy(_parsed(n))


def reparse(text: str, n: int) -> dict:
    return parse(read_bytes(text.encode("utf-8"), f"seeds/{seed_path(n).name}"))


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one “{old}” in the seed"
    return text.replace(old, new)


def set_row(text: str, marker: str, values: list[str]) -> str:
    """Replace the figures of the one table line containing `marker` (tab-separated layout)."""
    lines = text.split("\n")
    hits = [i for i, ln in enumerate(lines) if marker in ln and "\t" in ln]
    assert len(hits) == 1, f"expected one table line with “{marker}”"
    parts = lines[hits[0]].split("\t")
    idx = [i for i, p in enumerate(parts) if re.fullmatch(r"\s*\d+\s*", p)]
    assert len(idx) == len(values), (marker, parts)
    for i, v in zip(idx, values):
        parts[i] = v
    lines[hits[0]] = "\t".join(parts)
    return "\n".join(lines)


def of(findings: list[dict], rule: str, status: str | None = None) -> list[dict]:
    return [f for f in findings if f["rule"] == rule and (status is None or f["status"] == status)]


def statuses(findings: list[dict], rule: str) -> set[str]:
    return {f["status"] for f in of(findings, rule)}


def value(rec: dict, path: str):
    t, r, f = path.split(".")
    return rec["tables"][t][r][f]


def put(rec: dict, path: str, v) -> None:
    t, r, f = path.split(".")
    rec["tables"][t][r][f] = v


# ------------------------------------------------------------------ registry
def test_registry_lists_every_rule_with_chinese_texts():
    assert [r.id for r in RULES] == EXPECTED_IDS
    assert list(FAMILIES) == ["arithmetic", "structure", "prose", "year", "deadline", "across"]
    for r in RULES:
        assert r.family in FAMILIES and CJK.search(FAMILIES[r.family])
        assert CJK.search(r.title) and len(r.description) > 40 and CJK.search(r.description)
        assert "pass" in r.statuses and set(r.statuses) <= set(STATUSES)
        assert r.scope == ("across" if r.family == "across" else "report")
    assert "第四十九条" in RULE["deadline.art49"].description


def test_finding_shape_and_determinism():
    rec = record(4)
    first = validate(rec)
    assert json.dumps(first, ensure_ascii=False) == json.dumps(validate(copy.deepcopy(rec)), ensure_ascii=False)
    for f in first:
        assert set(f) - {"quote"} == {"rule", "family", "status", "message", "cells"}
        assert f["family"] == RULE[f["rule"]].family and f["status"] in RULE[f["rule"]].statuses
        assert CJK.search(f["message"])
        for p in f["cells"]:
            assert p.split(".")[0] in ("active", "active_2019", "requests", "appeals")
    # per-report rules appear in registry order
    order = [r.id for r in RULES]
    seen = [order.index(f["rule"]) for f in first]
    assert seen == sorted(seen)


# ------------------------------------------------------------------ seeds
@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_seeds_000_to_003_have_no_fail_and_no_false_prose_warning(n):
    findings = validate(record(n))
    assert [f for f in findings if f["status"] == "fail"] == []
    assert [f for f in findings if f["family"] == "prose" and f["status"] != "pass"] == []
    # every per-report rule spoke
    assert {f["rule"] for f in findings} == {r.id for r in RULES if r.scope == "report"}


def test_seed_004_lawsuit_contradiction_is_flagged_with_its_quote():
    rec = record(4)
    assert value(rec, "appeals.suit_direct.total") == 2
    warns = of(validate(rec), "prose.appeals", "warn")
    assert len(warns) == 1
    w = warns[0]
    assert "无因政府信息公开申请引起的行政复议、行政诉讼案件" in w["quote"]
    assert "appeals.suit_direct.total" in w["cells"]
    assert "未经复议直接起诉·总计=2" in w["message"] and "相差2" in w["message"]
    # the same sentence's claim about 行政复议 agrees with the table (review total 0)
    assert of(validate(rec), "prose.appeals", "pass")[0]["cells"] == ["appeals.review.total"]


# ------------------------------------------------------------------ arithmetic
def test_balance_pass_and_fail():
    assert statuses(validate(record(1)), "requests.balance") == {"pass"}
    rec = record(1)  # received 1 (自然人), granted 1: make received 2 in both 自然人 and 总计
    put(rec, "requests.received.natural_person", 2)
    put(rec, "requests.received.total", 2)
    findings = validate(rec)
    fails = of(findings, "requests.balance", "fail")
    assert [f["cells"][0] for f in fails] == ["requests.received.natural_person", "requests.received.total"]
    assert fails[0]["message"] == "自然人列：第一项+第二项=2+0=2，第三项+第四项=1+0=1，相差1"
    assert statuses(findings, "requests.row_total") == {"pass"}  # the row still adds up
    assert "共5列均平衡" in of(findings, "requests.balance", "pass")[0]["message"]


def test_blank_total_cell_gives_unknown_not_fail():
    text = set_row(seed_text(1), "(七)总计", ["1", "0", "0", "0", "0", "0", "/"])
    rec = reparse(text, 1)
    assert value(rec, "requests.results_total.total") is None
    assert rec["cells"]["requests.results_total.total"]["text"] == "/"
    findings = validate(rec)
    assert [f for f in findings if f["status"] == "fail"] == []
    for rule in ("requests.balance", "requests.results_sum", "requests.row_total"):
        unknown = of(findings, rule, "unknown")
        assert len(unknown) == 1 and "requests.results_total.total" in unknown[0]["cells"], rule
        assert "原文“/”" in unknown[0]["message"]
    assert of(findings, "structure.blank_cells", "warn")[0]["cells"] == ["requests.results_total.total"]


def test_results_sum_pass_and_fail():
    assert statuses(validate(record(1)), "requests.results_sum") == {"pass"}
    rec = record(1)
    put(rec, "requests.granted.natural_person", 2)
    put(rec, "requests.granted.total", 2)
    fails = of(validate(rec), "requests.results_sum", "fail")
    assert len(fails) == 2
    assert fails[0]["message"] == "自然人列：办理结果各项之和=（一）予以公开2=2，（七）总计=1，相差1"
    assert fails[0]["cells"] == ["requests.results_total.natural_person", "requests.granted.natural_person"]


def test_row_total_pass_and_fail():
    assert statuses(validate(record(1)), "requests.row_total") == {"pass"}
    rec = record(1)
    put(rec, "requests.received.total", 3)
    fails = of(validate(rec), "requests.row_total", "fail")
    assert len(fails) == 1
    assert fails[0]["message"] == ("“一、本年新收政府信息公开申请数量”行：六类申请人之和=1+0+0+0+0+0=1，"
                                   "总计=3，相差2")
    assert fails[0]["cells"] == ["requests.received.total", "requests.received.natural_person"]


def test_appeals_group_total_pass_fail_unknown():
    assert statuses(validate(record(4)), "appeals.group_total") == {"pass"}  # 1+0+0+1=2
    rec = record(4)
    put(rec, "appeals.suit_direct.total", 3)
    fails = of(validate(rec), "appeals.group_total", "fail")
    assert [f["message"] for f in fails] == [
        "行政诉讼·未经复议直接起诉：结果维持+结果纠正+其他结果+尚未审结=1+0+0+1=2，总计=3，相差1"]
    rec = record(4)
    put(rec, "appeals.suit_direct.pending", None)
    assert statuses(validate(rec), "appeals.group_total") == {"pass", "unknown"}


# ------------------------------------------------------------------ structure
def test_sections_pass_and_warn():
    assert statuses(validate(record(1)), "structure.sections") == {"pass"}
    text = replace_once(seed_text(1), "五、存在的主要问题及改进情况\n", "\n")
    warn = of(validate(reparse(text, 1)), "structure.sections", "warn")
    assert len(warn) == 1 and "第五部分“存在的主要问题及改进情况”" in warn[0]["message"]
    rec = record(1)
    rec["sections"] = list(reversed(rec["sections"]))
    assert "顺序" in of(validate(rec), "structure.sections", "warn")[0]["message"]


def test_tables_complete_pass_warn_fail_and_parse_notes_surface():
    assert statuses(validate(record(1)), "structure.tables_complete") == {"pass"}
    # a row whose figures cannot be placed: the parser leaves it blank and says so
    text = set_row(seed_text(1), "2.重复申请", ["0"] * 7)
    text = text.replace("\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0", "\t\t2.重复申请\t0\t0\t0\t0\t0\t0")
    rec = reparse(text, 1)
    warn = of(validate(rec), "structure.tables_complete", "warn")
    assert len(warn) == 1
    assert "重复申请" in warn[0]["message"] and "本行留空" in warn[0]["message"]
    assert "requests.declined_repeat.total" in warn[0]["cells"]
    # table 四 without its row of figures
    text = replace_once(seed_text(1), "\n" + "\t".join(["0"] * 15) + "\n", "\n")
    fail = of(validate(reparse(text, 1)), "structure.tables_complete", "fail")
    assert len(fail) == 1 and fail[0]["message"].startswith("表四没有读到任何数值")
    assert "appeals.review.total" in fail[0]["cells"]


def test_template_pass_warn_unknown():
    assert of(validate(record(1)), "structure.template")[0]["message"] == \
        "表格为2021年格式（国办公开办函〔2021〕30号），与2023年度相符"
    rec = record(1)
    rec["year"] = 2020
    assert "2019年试行格式" in of(validate(rec), "structure.template", "warn")[0]["message"]
    rec = record(1)
    rec["template"] = None
    assert statuses(validate(rec), "structure.template") == {"unknown"}


def test_blank_cells_pass_and_warn():
    assert statuses(validate(record(1)), "structure.blank_cells") == {"pass"}
    text = set_row(seed_text(1), "二、上年结转政府信息公开申请数量", ["0", "/", "0", "0", "0", "0", "0"])
    findings = validate(reparse(text, 1))
    warn = of(findings, "structure.blank_cells", "warn")
    assert warn[0]["cells"] == ["requests.carried_over.commercial"]
    assert "原文“/”" in warn[0]["message"]
    # the blank reaches the sums that need it as unknown, never as fail
    assert statuses(findings, "requests.balance") == {"pass", "unknown"}
    assert [f for f in findings if f["status"] == "fail"] == []


# ------------------------------------------------------------------ prose
def test_prose_requests_seed_figures_agree():
    rec = record(1)
    (f,) = of(validate(rec), "prose.requests")
    assert f["status"] == "pass" and "申请表 1 份" in f["quote"]
    assert value(rec, "requests.received.total") == 1
    for n in (2, 3):
        found = of(validate(record(n)), "prose.requests")
        assert found and all(x["status"] == "pass" and "未收到" in x["quote"] for x in found)
        assert all("收到申请" not in x["quote"] or "未收到" in x["quote"] for x in found)


def test_prose_requests_warns_on_altered_prose_and_tables():
    text = replace_once(seed_text(1), "申请表 1 份", "申请表 3 份")
    (f,) = of(validate(reparse(text, 1)), "prose.requests")
    assert f["status"] == "warn" and "申请表 3 份" in f["quote"]
    assert f["message"].endswith("总计=1，相差2")
    # seed 002 says twice it received no application; give its table two
    text = set_row(seed_text(2), "一、本年新收政府信息公开申请数量", ["2", "0", "0", "0", "0", "0", "2"])
    warns = of(validate(reparse(text, 2)), "prose.requests", "warn")
    assert len(warns) == 2 and all("未收到" in w["quote"] for w in warns)
    assert all(w["cells"] == ["requests.received.total"] for w in warns)
    # an empty table cell: unknown
    rec = record(2)
    put(rec, "requests.received.total", None)
    assert statuses(validate(rec), "prose.requests") == {"unknown"}


@pytest.mark.parametrize("said, status, cell", [
    ("本年度办结政府信息公开申请 1 件，结转下年度继续办理 0 件", "pass", None),
    ("本年度办结政府信息公开申请 2 件", "warn", "requests.results_total.total"),
    ("申请结转下年度继续办理 1 件", "warn", "requests.carried_forward.total"),
])
def test_prose_requests_handled_and_carried_forward(said, status, cell):
    text = replace_once(seed_text(1), "申请表 1 份，", f"申请表 1 份。{said}。")
    found = of(validate(reparse(text, 1)), "prose.requests")
    assert len(found) >= 2 and found[0]["status"] == "pass"  # the received figure still agrees
    others = [f for f in found if said in f["quote"]]
    assert others and {f["status"] for f in others} == {status}
    if cell:
        assert others[0]["cells"] == [cell]


def test_prose_ignores_figures_not_about_requests():
    # seed 001 mentions “59 条” (主动公开) and “未收取信息处理费用”: neither is a claim about requests
    findings = of(validate(record(1)), "prose.requests")
    assert len(findings) == 1 and "59" not in findings[0]["quote"]
    text = replace_once(seed_text(1), "申请表 1 份", "申请表 1 份。全年共主动公开信息 59 条")
    assert len(of(validate(reparse(text, 1)), "prose.requests")) == 1


def test_prose_appeals_pass_when_table_agrees():
    text = set_row(seed_text(4), "0\t0\t0\t0\t0\t1\t0\t0\t1\t2", ["0"] * 15)
    found = of(validate(reparse(text, 4)), "prose.appeals")
    assert len(found) == 2 and {f["status"] for f in found} == {"pass"}
    assert all("无因政府信息公开申请引起的行政复议、行政诉讼案件" in f["quote"] for f in found)
    rec = record(4)
    put(rec, "appeals.suit_after_review.total", None)
    assert statuses(validate(rec), "prose.appeals") == {"pass", "unknown"}


# ------------------------------------------------------------------ year
def test_year_pass_fail_warn_unknown():
    assert statuses(validate(record(1)), "year.consistency") == {"pass"}
    old = "本报告数据统计从 2023 年 1 月 1 日至 2023 年 12 月 31 日"
    text = replace_once(seed_text(1), old, old.replace("2023", "2022"))
    (f,) = of(validate(reparse(text, 1)), "year.consistency")
    assert f["status"] == "fail" and "2022年1月1日至2022年12月31日" in f["message"]
    # seed 000: keep the 2024 title, move the prose to 2023 (as if copied from last year's report)
    head, _, body = seed_text(0).partition("## 一、总体情况")
    rec = reparse(head + "## 一、总体情况" + body.replace("2024年", "2023年"), 0)
    assert rec["year"] == 2024
    (f,) = of(validate(rec), "year.consistency")
    assert f["status"] == "warn" and "以2023年最多" in f["message"]
    rec = record(1)
    rec["year"] = None
    assert statuses(validate(rec), "year.consistency") == {"unknown"}


# ------------------------------------------------------------------ deadline
def test_deadline_seed_000_on_time_and_late():
    rec = record(0)
    assert rec["published"] == "2025-01-15" and rec["year"] == 2024
    (f,) = of(validate(rec), "deadline.art49")
    assert f["status"] == "pass" and "2025年1月31日" in f["message"]
    text = replace_once(seed_text(0), "2025年1月15日", "2025年2月15日")
    (f,) = of(validate(reparse(text, 0)), "deadline.art49")
    assert f["status"] == "warn" and "15天" in f["message"]  # a township: local rule, a warning


def test_deadline_by_kind_of_agency_and_unknown():
    assert statuses(validate(record(1)), "deadline.art49") == {"unknown"}  # no signature date
    rec = record(0)
    rec["agency"], rec["published"] = "西宁市湟中区教育局", "2025-02-15"
    assert statuses(validate(rec), "deadline.art49") == {"fail"}
    rec["agency"] = "西宁市湟中区人民政府"  # a county-level government: 31 March
    assert statuses(validate(rec), "deadline.art49") == {"pass"}
    rec["published"] = "2025-04-01"
    assert statuses(validate(rec), "deadline.art49") == {"fail"}
    rec["published"] = "2024-12-01"
    assert statuses(validate(rec), "deadline.art49") == {"warn"}


# ------------------------------------------------------------------ across years
def next_year_of_seed_001(carried_over=None, in_force_normative=None) -> dict:
    """Seed 001 (2023) rewritten as the same agency's 2024 report."""
    text = seed_text(1).replace("2023", "2024")
    if carried_over:
        text = set_row(text, "二、上年结转政府信息公开申请数量", carried_over)
        text = set_row(text, "四、结转下年度继续办理", carried_over)  # keeps the year's own balance
    if in_force_normative:
        text = set_row(text, "行政规范性文件", in_force_normative)
    return reparse(text, 1)


def test_across_carry_over_pass_and_fail():
    prev = record(1)
    this = next_year_of_seed_001()
    assert this["year"] == 2024 and this["agency"] == prev["agency"]
    result = validate_across([prev, this])
    assert result[prev["id"]] == []
    assert statuses(result[this["id"]], "across.carry_over") == {"pass"}

    this = next_year_of_seed_001(carried_over=["1", "0", "0", "0", "0", "0", "1"])
    assert [f for f in validate(this) if f["status"] == "fail"] == []
    found = validate_across([this, prev])[this["id"]]  # input order does not matter
    fails = of(found, "across.carry_over", "fail")
    assert [f["cells"] for f in fails] == [["requests.carried_over.natural_person"], ["requests.carried_over.total"]]
    assert fails[0]["message"] == ("自然人列：本年“二、上年结转政府信息公开申请数量”=1，2023年度报告"
                                   "“四、结转下年度继续办理”=0，相差1")


def test_across_groups_by_agency_and_region():
    prev = record(1)  # 海原县西安镇, 2023
    other = record(2)  # 海原县贾塘乡, 2024: another agency
    assert validate_across([prev, other]) == {prev["id"]: [], other["id"]: []}


def test_across_in_force_pass_and_warn():
    prev = record(1)
    found = validate_across([prev, next_year_of_seed_001()])
    assert statuses(list(found.values())[1], "across.in_force") == {"pass"}
    this = next_year_of_seed_001(in_force_normative=["0", "0", "2"])
    (w,) = of(validate_across([prev, this])[this["id"]], "across.in_force", "warn")
    assert w["message"] == ("行政规范性文件：2023年度报告现行有效件数0+本年制发件数0−本年废止件数0=0，"
                            "本年现行有效件数2，相差2")
    put(this, "active.normative_documents.in_force", None)
    assert "unknown" in statuses(validate_across([prev, this])[this["id"]], "across.in_force")


def test_apply_writes_per_report_and_across_findings():
    prev, this = record(1), next_year_of_seed_001()
    apply([prev, this])
    assert {f["family"] for f in prev["findings"]} == set(FAMILIES) - {"across"}
    assert {f["rule"] for f in this["findings"] if f["family"] == "across"} == {"across.carry_over", "across.in_force"}


# ------------------------------------------------------------------ summary
def test_summary_counts_and_failing_cells():
    s = summarize(validate(record(4)))
    assert s["counts"] == {"pass": 11, "warn": 1, "fail": 0, "unknown": 1}
    assert s["families"]["prose"]["warn"] == 1 and list(s["families"]) == list(FAMILIES)
    assert s["fail_cells"] == [] and "appeals.suit_direct.total" in s["warn_cells"]
    rec = record(1)
    put(rec, "requests.received.total", 3)
    rec["findings"] = validate(rec)
    s = summarize(rec)
    assert s["counts"]["fail"] == 2  # the row total and the 总计 column's balance
    assert s["families"]["arithmetic"]["fail"] == 2
    assert "requests.received.total" in s["fail_cells"]
    assert sum(s["counts"].values()) == len(rec["findings"])


def test_unreadable_inputs_do_not_crash():
    assert validate({"schema": "xxgk-report/1", "error": "x"}) == []
    rec = record(1)
    rec["tables"], rec["cells"] = {}, {}
    findings = validate(rec)
    assert of(findings, "structure.tables_complete", "fail")
    assert "fail" not in {f["status"] for f in findings if f["family"] == "arithmetic"}


# ------------------------------------------------------------------ properties
REQUEST_PATHS = [p for p, _, _ in T.cell_paths("2021") if p.startswith("requests.")]


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(REQUEST_PATHS), st.one_of(st.none(), st.integers(0, 30)), max_size=12))
def test_arithmetic_fails_exactly_where_filled_sums_break(changes):
    rec = record(1)
    for path, v in changes.items():
        put(rec, path, v)
    findings = validate(rec)
    assert not any("内部错误" in f["message"] for f in findings)
    req = rec["tables"]["requests"]
    rows = [r.key for r in T.rows_for("requests", "2021")]
    broken_rows = {r for r in rows if None not in req[r].values()
                   and sum(req[r][c.key] for c in T.APPLICANT_COLUMNS) != req[r]["total"]}
    failed_rows = {f["cells"][0].split(".")[1] for f in of(findings, "requests.row_total", "fail")}
    assert failed_rows == broken_rows
    cols = [c.key for c in T.REQUEST_COLUMNS]
    quad = ("received", "carried_over", "results_total", "carried_forward")
    broken_cols = {c for c in cols if None not in [req[r][c] for r in quad]
                   and req["received"][c] + req["carried_over"][c] != req["results_total"][c] + req["carried_forward"][c]}
    failed_cols = {f["cells"][0].split(".")[2] for f in of(findings, "requests.balance", "fail")}
    assert failed_cols == broken_cols
    unknown_cols = {c for c in cols if None in [req[r][c] for r in quad]}
    named = {p.split(".")[2] for f in of(findings, "requests.balance", "unknown") for p in f["cells"]}
    assert named == unknown_cols
