"""The build report: every input file, what became of it, and why when it could not be read.

File names are untrusted text like the reports themselves: they are shown
escaped, inside <code>, and never used as a link target or an output path.
"""
from __future__ import annotations

from . import anchors as A
from .html import Pages, esc, front_matter, link
from .model import Archive

STATUS_TEXT = {"ok": "已收录", "duplicate": "重复文件，已合并", "version": "已收录（同年度另一文本）",
               "error": "无法读取", "ignored": "已忽略"}


def page(archive: Archive) -> str:
    here = A.BUILD_REPORT
    counts: dict[str, int] = {}
    for i in archive.inputs:
        counts[i.status] = counts.get(i.status, 0) + 1
    out = [front_matter("构建报告", hide=("navigation",), search_exclude=True), "# 构建报告"]
    summary = "，".join(f"{STATUS_TEXT[s]} {counts[s]} 个" for s in STATUS_TEXT if counts.get(s))
    out.append(f'<p class="xx-lead">本次构建共列出 {len(archive.inputs)} 个输入文件：{esc(summary) or "无"}。'
               f"生成了 {len(archive.shown)} 份报告的页面"
               + (f"（另有 {len(archive.entries) - len(archive.shown)} 个同年度其他文本的页面）"
                  if len(archive.entries) > len(archive.shown) else "")
               + "。每个文件都列在下面；无法读取或被忽略的文件注明了原因。</p>")
    if archive.render_errors:
        items = "".join(f"<li>{esc(e)}</li>" for e in archive.render_errors)
        out.append(f'<div class="admonition failure"><p class="admonition-title">生成页面时出错</p><ul>{items}</ul></div>')
    rows = []
    for i in archive.inputs:
        target = link(Pages.href(here, i.entry.page), i.entry.title) if i.entry else ""
        rows.append(f'<tr class="xx-in-{esc(i.status)}"><td><code>{esc(i.path)}</code></td>'
                    f'<td>{esc(STATUS_TEXT.get(i.status, i.status))}</td><td>{esc(i.reason)}</td><td>{target}</td></tr>')
    out.append('<div class="xx-scroll"><table class="xx-t xx-inputs"><thead><tr><th>输入文件</th><th>状态</th>'
               f'<th>说明</th><th>报告页面</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    return "\n\n".join(out) + "\n"
