"""The report's year: title, statistics period and prose should name the same one."""
from __future__ import annotations

from functools import lru_cache

from . import figures as F
from .registry import rule
from .text import YEAR, prose_years


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
    m = YEAR.search(record.get("title") or "")
    period = record.get("period")
    span = (period["start"], period["end"]) if period and period.get("start") and period.get("end") else None
    years = tuple(sorted(prose_years(record).items()))
    return [rule_.finding(*_verdict(year, m and m.group(1), span, years))]


@lru_cache(maxsize=4096, typed=True)  # reports of one year mostly say the same
def _verdict(year: int, titled: str | None, span: tuple[str, str] | None,
             years: tuple[tuple[int, int], ...]) -> tuple[str, str]:
    """(status, message) for a report on `year` whose title names `titled` (None: no year), whose
    statistics period is `span` (ISO start and end, None when not given) and whose prose names
    each year of `years` (year, times) so many times."""
    fails, warns, facts = [], [], []
    if titled is None:
        warns.append(f"标题中没有年份，年度{year}取自统计期限")
    elif int(titled) != year:
        fails.append(f"标题年度为{titled}年，记录年度为{year}年")
    else:
        facts.append(f"标题年度{year}年")

    if span is not None:
        start, end = span
        shown = f"{F.cn_date(start)}至{F.cn_date(end)}"
        if int(start[:4]) != year or int(end[:4]) != year:
            fails.append(f"统计期限为{shown}，与{year}年度不符")
        elif start[5:] != "01-01" or end[5:] != "12-31":
            warns.append(f"统计期限为{shown}，不是{year}年1月1日至12月31日的完整年度")
        else:
            facts.append(f"统计期限{shown}")
    else:
        facts.append("正文未写明统计期限")

    if years:
        top, n = max(years, key=lambda kv: kv[1])
        counts = "、".join(f"{y}年{k}次" for y, k in years)
        if top != year and n > dict(years).get(year, 0):
            warns.append(f"正文提到的年份以{top}年最多（{counts}），不是报告年度{year}年，可能沿用了往年的文字")
        else:
            facts.append(f"正文年份以{year}年为主（{counts}）")

    if fails:
        return "fail", "；".join(fails + warns)
    if warns:
        return "warn", "；".join(warns + facts)
    return "pass", "；".join(facts) + "，一致"
