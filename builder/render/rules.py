"""The page explaining every validation rule, generated from the validator's registry."""
from __future__ import annotations

from . import anchors as A
from .html import Pages, esc, front_matter, heading, link
from .model import Archive


def page(archive: Archive) -> str:
    here = A.RULES
    labels = archive.status_labels or {}
    out = [front_matter("校验规则", search_exclude=True), "# 本档案如何核对每份报告"]
    if not archive.rules:
        out.append("<p>本次构建的校验没有完成（校验模块出错），报告页面不显示校验结果。</p>")
        return "\n\n".join(out) + "\n"
    out.append(
        '<p class="xx-lead">每份报告收录时都会自动运行下列检查。每项检查给出四种结果之一：'
        + "、".join(f'<span class="xx-chip xx-{s}">{esc(labels.get(s, s))}</span>'
                   for s in ("pass", "warn", "fail", "unknown"))
        + "。数字为空白或填“/”时，相关检查记为“无法核对”，不会当作 0 计算，也不会记为错误。"
        f"各报告的结果见{link(Pages.href(here, A.STATUS), '按校验结果浏览')}。</p>")
    tally: dict[str, dict[str, int]] = {}
    for e in archive.shown:
        for f in e.findings:
            t = tally.setdefault(str(f.get("rule")), {})
            t[f.get("status")] = t.get(f.get("status"), 0) + 1
    by_family: dict[str, list] = {}
    for r in archive.rules:
        by_family.setdefault(getattr(r, "family", ""), []).append(r)
    names = dict(archive.families)
    for fam, rules in by_family.items():
        out.append(heading(2, names.get(fam, fam), "family-" + A.safe_id(fam)))
        for r in rules:
            rid = str(getattr(r, "id", ""))
            out.append(heading(3, getattr(r, "title", rid), A.rule_anchor(rid)))
            statuses = getattr(r, "statuses", ()) or ()
            if isinstance(statuses, dict):
                statuses = list(statuses)
            can = "、".join(esc(labels.get(s, s)) for s in statuses)
            t = tally.get(rid, {})
            seen = "，".join(f"{esc(labels.get(s, s))} {t[s]}" for s in ("pass", "warn", "fail", "unknown") if t.get(s))
            scope = "跨年度（同一机关相邻两年的报告）" if getattr(r, "scope", "report") == "across" else "单份报告"
            out.append(f'<p>{esc(getattr(r, "description", ""))}</p>'
                       f'<p class="xx-dim">规则编号 <code>{esc(rid)}</code> · 范围：{scope} · '
                       f"可能的结果：{can}" + (f" · 本档案中：{seen}" if seen else "") + "</p>")
    return "\n\n".join(out) + "\n"
