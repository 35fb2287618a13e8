"""The report's year: title, statistics period and prose should name the same one."""
from __future__ import annotations

import re
from collections import Counter

from . import figures as F
from .prose import sentences
from .registry import rule

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# Titles of documents and document numbers name other years legitimately
# (《2023年政务公开工作要点》, 〔2021〕30号).
_QUOTED = re.compile(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]")


def prose_years(record: dict) -> Counter:
    years: list[str] = []
    for text in [t for _, t, _ in sentences(record) if "年" in t]:  # most sentences name no year
        if "《" in text or "〔" in text or "[" in text:
            text = _QUOTED.sub("", text)
        years += _YEAR.findall(text)
    return Counter(map(int, years))


@rule("year.consistency", "year", "年度前后一致",
      "核对报告标题中的年度、统计期限和正文中提到的年份是否一致。条例第四十九条要求公布的是"
      "“上一年度”的年度报告，统计期限应为该年1月1日至12月31日。统计期限与标题年度不符是明显的矛盾，记为错误；"
      "统计期限不是完整的自然年、标题没有年份，或正文中出现最多的年份不是报告年度（常见于沿用往年文字），"
      "记为警告。文件名和文号中的年份（《…》〔…〕）不计。无法确定报告年度时为“无法核对”。",
      ("pass", "warn", "fail", "unknown"))
def consistency(rule_, record):
    year = record.get("year")
    if not isinstance(year, int):
        return [rule_.finding("unknown", "标题和统计期限中都没有年份，无法确定报告年度")]
    fails, warns, facts = [], [], []
    m = _YEAR.search(record.get("title") or "")
    if m is None:
        warns.append(f"标题中没有年份，年度{year}取自统计期限")
    elif int(m.group(1)) != year:
        fails.append(f"标题年度为{m.group(1)}年，记录年度为{year}年")
    else:
        facts.append(f"标题年度{year}年")

    period = record.get("period")
    if period and period.get("start") and period.get("end"):
        start, end = period["start"], period["end"]
        shown = f"{F.cn_date(start)}至{F.cn_date(end)}"
        if int(start[:4]) != year or int(end[:4]) != year:
            fails.append(f"统计期限为{shown}，与{year}年度不符")
        elif start[5:] != "01-01" or end[5:] != "12-31":
            warns.append(f"统计期限为{shown}，不是{year}年1月1日至12月31日的完整年度")
        else:
            facts.append(f"统计期限{shown}")
    else:
        facts.append("正文未写明统计期限")

    years = prose_years(record)
    if years:
        top, n = max(sorted(years.items()), key=lambda kv: kv[1])
        counts = "、".join(f"{y}年{k}次" for y, k in sorted(years.items()))
        if top != year and n > years.get(year, 0):
            warns.append(f"正文提到的年份以{top}年最多（{counts}），不是报告年度{year}年，可能沿用了往年的文字")
        else:
            facts.append(f"正文年份以{year}年为主（{counts}）")

    if fails:
        return [rule_.finding("fail", "；".join(fails + warns))]
    if warns:
        return [rule_.finding("warn", "；".join(warns + facts))]
    return [rule_.finding("pass", "；".join(facts) + "，一致")]
