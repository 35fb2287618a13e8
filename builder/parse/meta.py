"""Metadata: title, agency, year, publication date, statistics period, contact."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT.update({"零": 0, "○": 0, "O": 0, "０": 0})
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
CN_DATE = re.compile(r"([〇○零O一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
TITLE_WORDS = re.compile(r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)|年度报告")
ORG_SUFFIX = re.compile(r"(?:人民政府|政府|办事处|委员会|管理委员会|局|厅|委|办公室|办|署|院|中心|所|站|会)$")
_PERIOD_LINK = r"日\s*(?:起)?\s*(?:至|到|—|–|-|~)"  # “…日至…”: where the first date meets the second
PERIOD = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*" + _PERIOD_LINK + r"\s*"
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SPACES = re.compile(r"\s+")
_LEADING_GUANYU = re.compile(r"^(?:关于)")
_TITLE_PARTS = re.compile(r"^(?P<agency>.*?)(?:关于)?(?P<year>\d{4})年(?:度)?(?P<rest>.*)$")
_NAME_THEN_DATE = re.compile(r"^(.+?)(\d{4}年\d{1,2}月\d{1,2}日)$")
_CLAUSE_MARK = re.compile(r"[，。；：、]")
# The link starts with a word, which a search finds fast; a text without it holds no period.
PERIOD_LINK = re.compile(_PERIOD_LINK)


@dataclass
class Meta:
    title: str | None = None
    title_end: int = 0  # index of the first line after the title
    agency: str | None = None
    title_agency: str | None = None
    signature_agency: str | None = None
    year: int | None = None
    title_year: int | None = None
    published: str | None = None
    period: dict | None = None
    contact: dict = field(default_factory=dict)
    template_cited: str | None = None
    notes: list[str] = field(default_factory=list)


def _cn_number(s: str) -> int:
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def find_date(text: str) -> tuple[int, int, int] | None:
    m = DATE.search(text)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = CN_DATE.search(text)
    if m:
        return _cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3))
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


def read_title(plains: list[str], first_section: int) -> tuple[str | None, int]:
    """The title: the opening lines (as a reader sees them) up to the one naming the report;
    and the index of the line after it."""
    parts: list[str] = []
    for i in [i for i in range(min(first_section, len(plains))) if plains[i]][:6]:
        plain = plains[i]
        if len(plain) > 80 or plain.endswith(("。", "；")):
            break
        parts.append(plain)
        if TITLE_WORDS.search(plain):
            return _SPACES.sub(" ", " ".join(parts)).strip(), i + 1
    return None, 0


def split_title(title: str) -> tuple[str | None, int | None]:
    """(agency, year) from a title, with the year before or after the name."""
    t = _SPACES.sub("", title)
    t = _LEADING_GUANYU.sub("", t)
    m = _TITLE_PARTS.match(t)
    if not m:
        return None, None
    agency = m.group("agency")
    year = int(m.group("year"))
    if not agency:  # “2024年某某县政府信息公开工作年度报告”
        agency = TITLE_WORDS.split(m.group("rest"))[0]
        agency = re.sub(r"(?:政府)?信息公开.*$", "", agency) or None
        if agency and not ORG_SUFFIX.search(agency):
            agency = agency or None
    return (agency or None), year


def read_signature(plains: list[str], start: int, end: int) -> tuple[str | None, str | None, int]:
    """(agency, ISO date, index of the first signature line) from the report's closing lines."""
    name, date, first = None, None, end
    for i, plain in _last_nonblank(plains, start, end, 3):
        s = _SPACES.sub("", plain)
        if date is None and (DATE.fullmatch(s) or CN_DATE.fullmatch(s)):
            y, mo, d = find_date(s)
            date, first = _iso(y, mo, d), i
            continue
        m = _NAME_THEN_DATE.match(s)
        if date is None and m and ORG_SUFFIX.search(m.group(1)):
            y, mo, d = find_date(m.group(2))
            return m.group(1), _iso(y, mo, d), i
        if len(s) <= 40 and ORG_SUFFIX.search(s) and not _CLAUSE_MARK.search(s):
            name, first = s, i
        break
    return name, date, first


def _last_nonblank(plains: list[str], start: int, end: int, n: int) -> list[tuple[int, str]]:
    """The last `n` non-blank lines of plains[start:end] with their indices, last first."""
    out = []
    for i in range(min(end, len(plains)) - 1, start - 1, -1):
        if plains[i]:
            out.append((i, plains[i]))
            if len(out) == n:
                break
    return out


# 通讯地址, 联系地址 or 办公地址 reads as 地址 and 联系电话 or 咨询电话 as 电话: the words before
# change nothing read, and a search for a pattern that starts with a literal skips ahead fast.
_ADDRESS = re.compile(r"地址\s*[:：]\s*([^，,。；;\n]{2,60})")
_POSTCODE = re.compile(r"(?:邮编|邮政编码)\s*[:：]?\s*(\d{6})")
_PHONE = re.compile(r"电话\s*[:：]?\s*((?:\d{3,4}\s*[-－—]\s*)?\d{7,8}(?:\s*[-－—]\s*\d{1,4})?)")
_WEBSITE = re.compile(r"https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[A-Za-z0-9._~/%\-?=&#]*)?")


def read_contact(text: str) -> dict:
    out = {"address": None, "postcode": None, "phone": None, "website": None}
    m = _ADDRESS.search(text)
    if m:
        addr = m.group(1).strip()
        # Drop a closing bracket that belongs to the sentence, keep a balanced one.
        while addr.endswith(("）", ")")) and addr.count("（") + addr.count("(") < addr.count("）") + addr.count(")"):
            addr = addr[:-1]
        out["address"] = addr
    m = _POSTCODE.search(text)
    if m:
        out["postcode"] = m.group(1)
    m = _PHONE.search(text)
    if m:
        out["phone"] = _SPACES.sub("", m.group(1)).replace("－", "-").replace("—", "-")
    m = _WEBSITE.search(text)
    if m:
        out["website"] = m.group(0).rstrip(".,)")
    return out


def _periods(text: str):
    """= PERIOD.finditer(text). A match starts with the four digits before its first 年 (and
    the spaces after them), so only those places are tried: a search tries every character."""
    pos = 0  # where the last match ended
    y = text.find("年")
    while y >= 0:
        w = y
        while w > 0 and text[w - 1].isspace():  # \s
            w -= 1
        if w - 4 >= pos and text[w - 4:w].isdecimal():  # \d{4}
            m = PERIOD.match(text, w - 4)
            if m:
                yield m
                pos = m.end()
        y = text.find("年", max(y + 1, pos))


def read_period(text: str) -> dict | None:
    if not PERIOD_LINK.search(text):
        return None
    for m in _periods(text):
        y1 = int(m.group(1))
        y2 = int(m.group(4)) if m.group(4) else y1
        start = _iso(y1, int(m.group(2)), int(m.group(3)))
        end = _iso(y2, int(m.group(5)), int(m.group(6)))
        if start and end:
            ctx = text[max(0, m.start() - 30):m.end() + 10]
            if "统计" in ctx or (start.endswith("-01-01") and end.endswith("-12-31")):
                return {"start": start, "end": end, "text": _SPACES.sub(" ", m.group(0))}
    return None


# The documents that set each template out (国办公开办函〔2021〕30号, 〔2019〕60号).
_CITES_2021 = re.compile(r"〔2021〕\s*30\s*号|\[2021\]\s*30\s*号")
_CITES_2019 = re.compile(r"〔2019〕\s*60\s*号|\[2019\]\s*60\s*号")


def read_meta(plains: list[str], first_section: int, body_end: int, head_text: str) -> tuple[Meta, int]:
    """Returns the metadata and the index where the signature starts (the body's end).
    `plains`: the lines as a reader sees them; `head_text`: plains[:body_end], one line per line."""
    meta = Meta()
    title, meta.title_end = read_title(plains, first_section if first_section else min(len(plains), 10))
    meta.title = title
    if title:
        meta.title_agency, meta.title_year = split_title(title)
    sig_name, sig_date, sig_start = read_signature(plains, first_section, body_end)
    meta.signature_agency = sig_name
    meta.published = sig_date
    meta.agency = _choose_agency(meta.title_agency, sig_name, meta.notes)
    meta.period = read_period(head_text)
    meta.contact = read_contact("\n".join(plains[:first_section or 20]) or head_text)
    # The year, with its closing bracket, stands in the text before either citation can match.
    if ("2021〕" in head_text or "2021]" in head_text) and _CITES_2021.search(head_text):
        meta.template_cited = "2021"
    elif ("2019〕" in head_text or "2019]" in head_text) and _CITES_2019.search(head_text):
        meta.template_cited = "2019"
    meta.year = meta.title_year
    if meta.year is None and meta.period:
        meta.year = int(meta.period["start"][:4])
        meta.notes.append("标题中没有年份，年份取自统计期限")
    if meta.year is None:
        meta.notes.append("无法确定报告年度：标题和统计期限中都没有年份")
    if meta.agency is None:
        meta.notes.append("无法从标题或落款中确定发布机关名称")
    if meta.published is None:
        meta.notes.append("报告末尾没有带日期的落款，发布日期未知")
    return meta, sig_start


def _choose_agency(title_name: str | None, sig_name: str | None, notes: list[str]) -> str | None:
    """Prefer the longer of two names for one agency (the signature often adds the county)."""
    if title_name and sig_name:
        core = ORG_SUFFIX.sub("", title_name)
        if sig_name != title_name and core and core in sig_name and len(sig_name) > len(title_name):
            return sig_name
        if sig_name != title_name and not (core and core in sig_name):
            notes.append(f"标题中的机关“{title_name}”与落款“{sig_name}”不一致，采用标题中的名称")
        return title_name
    return title_name or sig_name
