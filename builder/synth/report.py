"""One synthetic report: its text, and what a correct parse and validation must find in it."""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from .. import template as T
from . import layouts as L
from .names import Agency
from .prose import Donor, Readdress, appeal_claim, contact, insert_claim, request_claim, without_claims

# How often each table layout, title form and encoding is used.
LAYOUT_WEIGHTS = {"tab": 35, "aligned": 22, "percell": 15, "centred": 8, "box": 8, "pipe": 12}
ENCODING_WEIGHTS = {"utf-8": 80, "gb18030": 7, "utf-8-sig": 4, "utf-16-le-bom": 4, "utf-8-crlf": 5}
_CN_NUM = "〇一二三四五六七八九"


@dataclass
class Synth:
    """A synthetic report and the truth about it."""
    name: str  # file name
    data: bytes  # the file's bytes
    text: str
    agency: Agency
    year: int
    published: str  # ISO date of the signature
    tables: dict  # the figures printed, as the parser must read them
    layout: str
    donor: str  # the seed whose prose it borrows
    errors: list[tuple[str, str]] = field(default_factory=list)  # (rule id, status) planted on purpose

    @property
    def region(self) -> dict:
        r = self.agency.region
        return {"province": r.province, "city": r.city, "county": r.county, "code": r.code}


def _cn_year(y: int) -> str:
    return "".join(_CN_NUM[int(d)] for d in str(y))


def _cn_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _CN_NUM[tens]) + "十" if tens else "") + (_CN_NUM[ones] if ones or not tens else "")


def signature_date(rng: random.Random, d: datetime.date) -> str:
    if rng.random() < 0.1:
        return f"{_cn_year(d.year)}年{_cn_small(d.month)}月{_cn_small(d.day)}日"
    return f"{d.year}年{d.month}月{d.day}日"


def title_lines(rng: random.Random, agency: Agency, year: int, short: bool) -> list[str]:
    who = agency.short if short else agency.name
    form = rng.randrange(4)
    if form == 0:
        return [f"# {who} {year}年政府信息公开工作年度报告"]
    if form == 1:
        return [f"{who} {year} 年政府信息公开工作年度报告"]
    if form == 2:
        return [who, "", f"{year} 年政府信息公开工作年度报告"]
    return [f"{who}{year}年度政府信息公开工作年度报告"]


def compose(rng: random.Random, donor: Donor, agency: Agency, year: int, tables: dict, published: datetime.date,
            layout: str, prose_error: bool = False) -> str:
    """The report's text: title, the donor's introduction and prose re-addressed, the tables in `layout`,
    sentences about the tables' requests and appeals, and a dated signature."""
    fix = Readdress(donor, agency, year, contact(rng, agency.region))
    short_title = agency.township and rng.random() < 0.15  # the county only in the signature
    markdown = rng.random() < 0.35
    lines = ["", ""] + title_lines(rng, agency, year, short_title) + [""]
    for p in donor.intro:
        lines += [fix(p), ""]
    req, app = tables["requests"], tables["appeals"]
    received = req["received"]["total"]
    if prose_error:
        received = received + rng.randint(1, 3) + req["carried_over"]["total"]
    who = "本机关" if rng.random() < 0.5 else agency.core
    claim = request_claim(year, who, received, req["carried_over"]["total"], req["results_total"]["total"],
                          req["carried_forward"]["total"])
    suits = sum(app[g.key]["total"] for g in T.APPEAL_GROUPS if g.group)
    printed = L.tables(tables, layout)
    for sec in T.SECTIONS:
        head = f"{T.CN_ORDINALS[sec.no - 1]}、{sec.title}"
        lines += [("## " + head) if markdown else head, ""]
        paras = [fix(p) for p in without_claims(donor.sections.get(sec.no, []))]
        if sec.no == 1:
            paras = insert_claim(paras, claim)
        if sec.no == 4:
            paras = [appeal_claim(year, app["review"]["total"], suits)] + paras
        for p in paras:
            lines += [p, ""]
        if sec.no in printed:
            lines += printed[sec.no] + [""]
    lines += ["", agency.name, signature_date(rng, published), ""]
    return "\n".join(lines)


def encode(rng: random.Random, text: str) -> bytes:
    names = list(ENCODING_WEIGHTS)
    enc = rng.choices(names, weights=[ENCODING_WEIGHTS[n] for n in names])[0]
    return text.encode("utf-8") if enc == "utf-8" else L.encodings(text)[enc]
