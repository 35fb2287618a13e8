"""Text → Report record (schema `xxgk-report/1`)."""
from __future__ import annotations

import re

from .. import template as T
from ..ingest import Source
from ..slug import report_id
from . import document, meta, tables

SCHEMA = "xxgk-report/1"
TABLE_SECTION = {"active": 2, "requests": 3, "appeals": 4}


def parse(source: Source) -> dict:
    doc = document.read(source.text)
    raws, plains = doc.raws, doc.plains
    spans = {s.no: s for s in doc.sections}
    first = doc.sections[0].start if doc.sections else 0
    m, sig_start = meta.read_meta(plains, first, doc.end, doc.text)
    notes = list(source.notes) + list(m.notes)  # damage found while decoding comes first

    cut = [i for i in range(doc.end, len(plains)) if plains[i]]
    if cut:
        notes.append(f"第{cut[0] + 1}行起的{len(cut)}行是附在报告后的表格等文件残留（以“{plains[cut[0]][:20]}”开头），已略去")
    missing = [sec.title for sec in T.SECTIONS if sec.no not in spans]
    if missing:
        notes.append("未找到以下部分的标题：" + "、".join(missing))

    sections = []
    for s in doc.sections:
        end = min(s.end, sig_start) if s.no == 6 else s.end
        if s.no in TABLE_SECTION.values():
            body = _prose(raws, plains, s.start + 1, end)
        else:
            body = plains[s.start + 1:end]
        sections.append({"no": s.no, "title": s.title, "text": "\n\n".join(document.paragraphs(body))})

    template_kind, tbls, cells = _read_tables(raws, spans, notes)
    template_kind = template_kind or m.template_cited
    if m.template_cited and template_kind and m.template_cited != template_kind:
        notes.append(f"正文引用的是{m.template_cited}年格式，表格却是{template_kind}年格式")

    intro = document.paragraphs(plains[m.title_end:first]) if first else []

    from ..region import resolve  # imported late: the gazetteer loads on first use
    region, region_note = resolve(m.agency or "", doc.text)
    if region_note:
        notes.append(region_note)

    return {
        "schema": SCHEMA,
        "id": report_id(m.agency, m.year, source.sha256),
        "source": {"path": source.path, "sha256": source.sha256, "encoding": source.encoding,
                   "bytes": source.size},
        "agency": m.agency,
        "agency_in_title": m.title_agency,
        "title": m.title,
        "year": m.year,
        "region": None if region is None else {
            "province": region.province, "city": region.city,
            "county": region.county, "code": region.code},
        "published": m.published,
        "period": m.period,
        "contact": m.contact,
        "template": template_kind,
        "intro": "\n\n".join(intro),
        "sections": sections,
        "tables": tbls,
        "cells": cells,
        "notes": notes,
        "findings": [],
    }


def _prose(raws: list[str], plains: list[str], start: int, end: int) -> list[str]:
    """The prose among lines[start:end] of a table's section (as a reader sees it): long
    lines ending a sentence or leading into a list, outside the table's tab-separated rows."""
    return [s for s, raw in zip(plains[start:end], raws[start:end])
            if len(s) >= 20 and ("。" in s or s[-1] in "：:") and "\t" not in raw.strip()]


def _read_tables(raws, spans, notes) -> tuple[str | None, dict, dict]:
    tbls: dict = {}
    cells: dict = {}
    kinds = []

    def span(no):
        s = spans.get(no)
        return (s.start + 1, s.end) if s else None

    sp = span(2)
    if sp:
        key, res = tables.read_active(raws, *sp)
        kinds.append("2019" if key == "active_2019" else "2021")
        _collect(tbls, cells, notes, res)
    else:
        notes.append("没有找到第二部分，表二无法读取")
        tbls["active"] = tables.empty("active")

    sp = span(3)
    if sp:
        res = tables.read_requests(raws, *sp)
        kinds.append(res.template)
        _collect(tbls, cells, notes, res)
    else:
        notes.append("没有找到第三部分，表三无法读取")
        tbls["requests"] = tables.empty("requests", "2021")

    sp = span(4)
    if sp:
        _collect(tbls, cells, notes, tables.read_appeals(raws, *sp))
    else:
        notes.append("没有找到第四部分，表四无法读取")
        tbls["appeals"] = tables.empty("appeals")

    kind = None
    if kinds:
        kind = "2019" if "2019" in kinds else "2021"
        if len(set(kinds)) > 1:
            notes.append("表二和表三分别像是2019年和2021年格式，按2019年格式处理")
    return kind, tbls, cells


def _collect(tbls, cells, notes, res: tables.TableResult) -> None:
    tbls[res.table] = res.values
    cells.update(res.raw)
    notes.extend(res.notes)


__all__ = ["parse", "SCHEMA"]
_ = re
