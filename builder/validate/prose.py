"""What the prose says about requests and appeals, against tables 三 and 四.

Prose often describes only a part of the whole (“其中自然人申请10件”), so a
mismatch is a warning, never an error. The patterns are narrow on purpose:
a claim is read only where a verb of receiving/handling and the word 申请 (or
行政复议/行政诉讼) sit in the same clause as the figure, so counts of 主动公开
items (“发布信息59条”) or “未收取信息处理费” are not mistaken for requests.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .. import template as T
from . import figures as F
from .registry import rule
from .text import YEAR, Sentence, sentences

_CLAUSE = "[^。；;，,]"  # stays inside one clause
_UNIT = r"(?:件|份|宗|条|起|次|个(?!工作日|月))"
# Comparisons with another period: their figures are not this year's.
_COMPARE = re.compile(r"同比|较上年|比上年|较去年|比去年|去年|上一年度")


class Claim(NamedTuple):
    kind: str
    value: int
    sentence: Sentence

    @property
    def quote(self) -> str:
        return self.sentence[1]


_CLAUSE_END = re.compile(r"[，,。；;]")


def _clause(s: str, start: int, end: int) -> str:
    """The clause of `s` around s[start:end]: from after the clause mark before it to the next one."""
    a = 1 + max(s.rfind("，", 0, start), s.rfind(",", 0, start), s.rfind("。", 0, start),
                s.rfind("；", 0, start), s.rfind(";", 0, start))
    stop = _CLAUSE_END.search(s, end)
    return s[a:stop.start() if stop else len(s)]


def _other_year(compact: str, year) -> bool:
    """The sentence dates itself to another year only: its figures are not this report's."""
    if "年" not in compact:  # most sentences name no year: skip the scan
        return False
    years = _years_named(compact)
    return bool(years) and isinstance(year, int) and year not in years


@lru_cache(maxsize=4096)
def _years_named(compact: str) -> frozenset[int]:
    return frozenset(int(y) for y in YEAR.findall(compact))  # compact holds no space for YEAR's \s*


# ------------------------------------------------------------------ requests
_RECEIVE = r"(?:收到|接到|受理|接收|新收)"
_NEG_RECEIVED = (
    re.compile(r"(?:未|没有|没)(?:收到|接到|受理|接收)过?" + _CLAUSE + r"{0,30}?申请"),
    re.compile(r"(?:无|没有)(?:依申请公开|政府信息公开申请|申请公开)"),
    re.compile(r"(?:依申请公开|信息公开申请)(?:数量|件数)?(?:为|均为)?(?:0|零)" + _UNIT + r"?(?![\d.])"),
)
_POS_RECEIVED = (
    re.compile(_RECEIVE + _CLAUSE + r"{0,40}?申请[^。；;，,\d]{0,12}?(\d+)" + _UNIT),
    re.compile(_RECEIVE + r"[^。；;，,\d]{0,10}?(\d+)" + _UNIT + _CLAUSE + r"{0,20}?申请"),
)
_CARRIED_OVER = re.compile(r"上年度?结转[^。；;，,\d]{0,10}?(\d+)" + _UNIT)
_HANDLED = re.compile(r"(?:办结|答复|办理完毕|处理完毕)[^。；;，,\d]{0,10}?(\d+)" + _UNIT)
_ALL_HANDLED = re.compile(r"(?:全部|均已|均|已全部)(?:按时|依法|按期)?(?:办结|答复|办理完毕)")
_CARRIED_FORWARD = (
    re.compile(r"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?[^。；;，,\d]{0,6}?(\d+)" + _UNIT),
    re.compile(r"(\d+)" + _UNIT + r"[^。；;，,\d]{0,8}?结转(?:至|到)?下一?年"),
)
_NOT_REQUESTS = re.compile(r"复议|诉讼|起诉|主动公开|建议|提案|信访|办结率")
_DIGIT = re.compile(r"\d")  # the figure patterns read \d+: a sentence without one cannot match them


def _request_claims(record: dict) -> list[Claim]:
    year = record.get("year")
    out: list[Claim] = []
    for sent in sentences(record):
        c = sent[2]
        if "申请" in c and not _other_year(c, year):
            out += _requests_said(sent)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)  # boilerplate sentences recur from report to report
def _requests_said(sent: Sentence) -> tuple[Claim, ...]:
    """Every claim about requests one sentence makes, in order."""
    c = sent[2]
    out: list[Claim] = []

    def ok(m) -> bool:
        clause = _clause(c, m.start(), m.end())
        return not _NOT_REQUESTS.search(clause) and not _COMPARE.search(clause)

    for pat in _NEG_RECEIVED:
        for m in pat.finditer(c):
            if ok(m):
                out.append(Claim("none_received", 0, sent))
    figures = _DIGIT.search(c) is not None
    carried = "结转" in c  # both carried-over and carried-forward patterns name it
    if figures:
        for pat in _POS_RECEIVED:
            for m in pat.finditer(c):
                if ok(m) and "结转" not in m.group(0):
                    out.append(Claim("received", int(m.group(1)), sent))
        if carried:
            for m in _CARRIED_OVER.finditer(c):
                if ok(m):
                    out.append(Claim("carried_over", int(m.group(1)), sent))
        for m in _HANDLED.finditer(c):
            if ok(m):
                out.append(Claim("handled", int(m.group(1)), sent))
    for m in _ALL_HANDLED.finditer(c):
        if ok(m):
            out.append(Claim("all_handled", 0, sent))
    if figures and carried:
        for pat in _CARRIED_FORWARD:
            for m in pat.finditer(c):
                if ok(m):
                    out.append(Claim("carried_forward", int(m.group(1)), sent))
    return tuple(out)


def _row(key: str) -> str:
    return f"表三“{T.REQUEST_ROW[key].label}”总计"


@rule("prose.requests", "prose", "正文中的申请数与表三一致",
      "从报告正文中找出关于依申请公开的说法——收到多少件申请、上年结转多少件、办结多少件、"
      "结转下年度多少件，以及“未收到……申请”“全部办结”一类表述——与表三的总计列比对。"
      "正文可能只说其中一部分（例如只说自然人申请），所以不一致只给警告，并引用正文原句。"
      "表格相应单元格为空时为“无法核对”。正文没有这类说法时记为通过并注明无可比对内容。",
      ("pass", "warn", "unknown"))
def requests_prose(rule_, record):
    claims = _request_claims(record)
    if not claims:
        return [rule_.finding("pass", "正文没有给出可与表三比对的申请数字或“未收到申请”一类表述")]
    return [_judge_request(rule_, record, cl) for cl in claims]


_RECEIVED, _OVER = "requests.received.total", "requests.carried_over.total"
# The cell each kind of claim is compared with.
_CLAIM_PATH = {"none_received": _RECEIVED, "received": _RECEIVED, "carried_over": _OVER,
               "handled": "requests.results_total.total", "all_handled": "requests.carried_forward.total",
               "carried_forward": "requests.carried_forward.total"}


def _judge_request(rule_, record: dict, cl: Claim) -> dict:
    got = F.value(record, _CLAIM_PATH[cl.kind])
    # A count of requests received may include those carried over: read only when it is off.
    before = F.value(record, _OVER) if _RECEIVED == _CLAIM_PATH[cl.kind] and got is not None \
        and got != cl.value else None
    status, message, cells = _request_verdict(cl.kind, cl.value, got, before)
    return rule_.finding(status, message, cells, cl.quote)


@lru_cache(maxsize=1024, typed=True)  # most reports say the same few things about the same few figures
def _request_verdict(kind: str, value: int, got, before) -> tuple[str, str, tuple[str, ...]]:
    """(status, message, cells) of a claim about requests, given the figure it is compared with
    (`got`) and, for requests received, the one carried over (`before`, read when `got` is off)."""
    received, over = _RECEIVED, _OVER
    if kind in ("none_received", "received"):
        said = "未收到申请" if kind == "none_received" else f"收到申请{value}件"
        cells = (received,) if kind == "none_received" else (received, over)
        if got is None:
            return "unknown", f"正文称{said}，但{_row('received')}为空，无法核对", (received,)
        if got == value:
            return "pass", f"正文称{said}，{_row('received')}={F.fmt(got)}，相符", (received,)
        both = None if before is None else got + before
        if kind == "received" and both == value:
            return "pass", (f"正文称{said}，等于{_row('received')}{F.fmt(got)}加"
                            f"{_row('carried_over')}{F.fmt(before)}，相符"), cells
        return "warn", f"正文称{said}，{_row('received')}={F.fmt(got)}，相差{F.fmt(abs(got - value))}", cells
    said = {
        "carried_over": f"上年结转申请{value}件",
        "handled": f"办结申请{value}件",
        "all_handled": "申请已全部办结",
        "carried_forward": f"结转下年度{value}件",
    }[kind]
    path = _CLAIM_PATH[kind]
    row = path.split(".")[1]
    if got is None:
        return "unknown", f"正文称{said}，但{_row(row)}为空，无法核对", (path,)
    if got == value:
        return "pass", f"正文称{said}，{_row(row)}={F.fmt(got)}，相符", (path,)
    return "warn", f"正文称{said}，{_row(row)}={F.fmt(got)}，相差{F.fmt(abs(got - value))}", (path,)


# ------------------------------------------------------------------ appeals
_NEG_APPEAL = re.compile(r"(?:(?<![无])无(?!论|法|需|须|正当)|没有|未(?:发生|出现|收到|有|产生|涉及|接到)|不存在)"
                         + _CLAUSE + r"{0,40}?(?:复议|诉讼|起诉)")
_ZERO_APPEAL = re.compile(r"(?:行政复议|行政诉讼)" + _CLAUSE + r"{0,20}?(?:均为|为|：|:)(?:0|零|无)" + _UNIT
                          + r"?(?=$|[。；;，,])")
_POS_APPEAL = (
    re.compile(r"(行政复议|行政诉讼|起诉)[^。；;，,\d]{0,12}?(\d+)" + r"(?:件|起|宗|个|次)"),
    re.compile(r"(\d+)(?:件|起|宗|个|次)[^。；;，,、\d]{0,6}?(行政复议|行政诉讼)"),
)
_APPEAL_CONTEXT = re.compile(r"信息公开|依申请|公开申请")
_SUIT_GROUPS = tuple(g.key for g in T.SUIT_GROUPS)
_SUIT_TOTALS = tuple(f"appeals.{g}.total" for g in _SUIT_GROUPS)


def _kinds(text: str) -> list[str]:
    kinds = []
    if "复议" in text.replace("复议后起诉", "").replace("经复议", ""):
        kinds.append("review")
    if "诉讼" in text or "起诉" in text:
        kinds.append("suit")
    return kinds


def _appeal_claims(record: dict) -> list[Claim]:
    year = record.get("year")
    out: list[Claim] = []
    for sent in sentences(record):
        c = sent[2]
        if ("复议" in c or "诉讼" in c) and not _other_year(c, year):
            out += _appeals_said(sent)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)  # boilerplate sentences recur from report to report
def _appeals_said(sent: Sentence) -> tuple[Claim, ...]:
    """Every claim about reviews and suits one sentence makes, in order. Outside part 四 a
    sentence counts only when it speaks of information disclosure."""
    section, _, c = sent
    if not (section == 4 or _APPEAL_CONTEXT.search(c)):
        return ()
    out: list[Claim] = []
    for pat in (_NEG_APPEAL, _ZERO_APPEAL):
        for m in pat.finditer(c):
            clause = _clause(c, m.start(), m.end())
            if _COMPARE.search(clause):
                continue
            # The negation reaches to the end of its clause: “无……行政复议、行政诉讼案件”.
            tail = clause[clause.find(m.group(0)):]
            for kind in _kinds(tail if pat is _NEG_APPEAL else m.group(0)):
                out.append(Claim(kind, 0, sent))
    used: set[int] = set()  # a figure is read once, by the first pattern that names it
    for pat in _POS_APPEAL:
        for m in pat.finditer(c):
            if _COMPARE.search(_clause(c, m.start(), m.end())):
                continue
            g = 2 if pat is _POS_APPEAL[0] else 1
            if m.start(g) in used:
                continue
            used.add(m.start(g))
            word, num = m.group(3 - g), m.group(g)
            for kind in _kinds(word):
                out.append(Claim(kind, int(num), sent))
    return tuple(out)


# The cells each kind of claim is compared with: a suit is either of two groups.
_APPEAL_PATHS = {"review": ("appeals.review.total",), "suit": _SUIT_TOTALS}


def _appeal_total(kind: str, vals: tuple) -> tuple[int | None, str]:
    """The figure a claim of this kind is compared with (None when a cell is blank), as shown."""
    if kind == "review":
        v = vals[0]
        return v, f"表四行政复议总计={F.fmt(v) if v is not None else '空'}"
    parts = "，".join(f"{F.row_label('appeals', g)}·总计={F.fmt(v) if v is not None else '空'}"
                     for g, v in zip(_SUIT_GROUPS, vals))
    total = None if None in vals else sum(vals)
    return total, f"表四行政诉讼共{F.fmt(total) if total is not None else '？'}件（{parts}）"


@rule("prose.appeals", "prose", "正文中的复议、诉讼与表四一致",
      "从报告正文中找出关于因政府信息公开引起的行政复议、行政诉讼的说法——例如“无因政府信息公开申请"
      "引起的行政复议、行政诉讼案件”或“被申请行政复议2件”——与表四各组的总计比对"
      "（行政诉讼为未经复议直接起诉与复议后起诉之和）。正文可能只说一部分，所以不一致只给警告，"
      "并引用正文原句；表格单元格为空时为“无法核对”。正文没有这类说法时记为通过并注明无可比对内容。",
      ("pass", "warn", "unknown"))
def appeals_prose(rule_, record):
    claims = _appeal_claims(record)
    if not claims:
        return [rule_.finding("pass", "正文没有给出可与表四比对的行政复议、行政诉讼数字或表述")]
    out = []
    for cl in claims:
        vals = [F.value(record, p) for p in _APPEAL_PATHS[cl.kind]]
        status, message, cells = _appeal_verdict(cl.kind, cl.value, *vals)
        out.append(rule_.finding(status, message, cells, cl.quote))
    return out


@lru_cache(maxsize=1024, typed=True)  # most reports say the same few things about the same few figures
def _appeal_verdict(kind: str, value: int, *vals) -> tuple[str, str, tuple[str, ...]]:
    """(status, message, cells) of a claim about reviews or suits, given the figures of its cells."""
    paths = _APPEAL_PATHS[kind]
    noun = T.REVIEW.label if kind == "review" else T.SUIT_LABEL
    said = f"没有{noun}案件" if value == 0 else f"{noun}{value}件"
    total, shown = _appeal_total(kind, vals)
    if total is None:
        return ("unknown", f"正文称{said}，但{shown}，有空白单元格，无法核对",
                tuple(p for p, v in zip(paths, vals) if v is None))
    if total == value:
        return "pass", f"正文称{said}，{shown}，相符", paths
    return "warn", f"正文称{said}，{shown}，相差{F.fmt(abs(total - value))}", paths
