"""Downloads at stable paths: each report's JSON and CSV, the raw text, and the bulk files.

CSV files are UTF-8 with a BOM so Excel opens them as Unicode. Their first
header row holds the JSON keys (dotted paths for figures), the second the
Chinese labels from `template.cell_label()`. An empty figure cell means the
report's cell was blank or unreadable (null), never zero. Text cells that
begin with = + - @ get a leading apostrophe so spreadsheets do not run them
as formulas.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
from functools import lru_cache

from .. import template as T
from . import anchors as A
from .html import Pages, esc, front_matter, link
from .model import Archive, Entry
from .report import cell_label

ALL_JSON = "data/all.json.gz"
REPORTS_CSV = "data/reports.csv"
FINDINGS_CSV = "data/findings.csv"

META_COLUMNS = (
    ("id", "报告编号", lambda e: e.slug),
    ("agency", "机关", lambda e: e.agency),
    ("year", "年度", lambda e: e.year),
    ("province", "省级", lambda e: (e.region or {}).get("province")),
    ("city", "地级", lambda e: (e.region or {}).get("city")),
    ("county", "县级", lambda e: (e.region or {}).get("county")),
    ("region_code", "区划代码", lambda e: (e.region or {}).get("code")),
    ("published", "发布日期", lambda e: e.record.get("published")),
    ("template", "报告格式", lambda e: e.record.get("template")),
    ("source.path", "来源文件", lambda e: (e.record.get("source") or {}).get("path")),
    ("source.sha256", "SHA-256", lambda e: (e.record.get("source") or {}).get("sha256")),
    ("status", "校验结论", lambda e: e.status),
    ("findings.fail", "错误数", lambda e: e.status_counts()["fail"]),
    ("findings.warn", "警告数", lambda e: e.status_counts()["warn"]),
    ("findings.unknown", "无法核对数", lambda e: e.status_counts()["unknown"]),
)
FINDING_COLUMNS = (("report_id", "报告编号"), ("agency", "机关"), ("year", "年度"), ("rule", "规则"),
                   ("family", "规则类别"), ("status", "结果"), ("message", "说明"), ("cells", "涉及单元格"),
                   ("quote", "引用原文"))


def _text(v):
    """CSV cell: numbers stay numbers, text is guarded against formula execution."""
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    s = str(v)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def _csv(rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows(rows)
    return "\ufeff" + buf.getvalue()


@lru_cache(maxsize=1)
def _paths() -> tuple[tuple[str, str, str, str, str], ...]:
    """(path, table, row, field, Chinese label) of every figure of both templates."""
    return tuple((p, *p.split("."), cell_label(p)) for p, _r, _f in T.all_cell_paths())


def _values(record: dict, paths) -> list:
    """The figure at each path (None unless a number), reading the record's tables once."""
    tables = record.get("tables") or {}
    out = []
    for _p, table, row, key, _label in paths:
        v = ((tables.get(table) or {}).get(row) or {}).get(key)
        out.append(v if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
    return out


def report_json(entry: Entry) -> str:
    # Compact: browsers and tools pretty-print JSON; the bytes count once per report.
    return json.dumps(entry.record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _header() -> list[list[str]]:
    paths = [p for p, _r, _f in T.all_cell_paths()]
    return [[k for k, _l, _g in META_COLUMNS] + paths,
            [label for _k, label, _g in META_COLUMNS] + [cell_label(p) for p in paths]]


def _row(e: Entry) -> list:
    return [_text(g(e)) for _k, _l, g in META_COLUMNS] + [_text(v) for v in _values(e.record, _paths())]


@lru_cache(maxsize=None)
def _table_rows(template: str) -> tuple[tuple[tuple[str, str], ...],
                                        tuple[tuple[str, T.Row, str, tuple[tuple[str, int, str], ...]], ...]]:
    """The columns of a report's CSV, (field key, Chinese label), and its rows, (table key, row,
    Chinese name, its figures), in the template's order; a row's figures are (field key, its
    column, its dotted path). The same for every report of a template: worked out once."""
    active = T.active_key(template)
    columns: dict[str, str] = {}
    rows = []
    for table in (active, "requests", "appeals"):
        for row in T.rows_for(table, template):
            for f in row.fields:
                columns.setdefault(f.key, f.label)
            rows.append((table, row, f"表{T.table_no(table)}·{T.row_name(row)}"))
    keys = list(columns)
    figures = [tuple((f.key, keys.index(f.key), f"{table}.{row.key}.{f.key}") for f in row.fields)
               for table, row, _name in rows]
    return tuple(columns.items()), tuple((*r, fs) for r, fs in zip(rows, figures))


def report_csv(entry: Entry) -> str:
    """One report laid out as its tables are printed: a row per table row (key “table.row”,
    Chinese name, the source lines of its figures), a column per field (JSON key, Chinese
    label). A row has only its own fields: an empty cell there is a blank or unreadable
    figure (null), never zero. A figure's JSON path is the row key and the column key.
    (One figure per line would repeat each row's long name seven times: five times the bytes.)"""
    r = entry.record
    raw = r.get("cells") or {}
    tables = r.get("tables") or {}
    columns, rows = _table_rows(r.get("template") or "2021")
    keys = [k for k, _label in columns]
    out = [["key", "label", "source_line"] + keys, ["键", "名称", "原文行号"] + [label for _k, label in columns]]
    for table, row, name, figures in rows:
        if table not in tables:
            continue
        values = (tables.get(table) or {}).get(row.key) or {}
        cells = [""] * len(keys)
        lines = set()
        for fkey, column, path in figures:
            v = values.get(fkey)
            # as _text() writes a figure: numbers as they are, anything else blank
            cells[column] = v if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
            c = raw.get(path)
            if isinstance(c, dict) and isinstance(c.get("line"), int):
                lines.add(c["line"])
        out.append([f"{table}.{row.key}", name, ";".join(map(str, sorted(lines)))] + cells)
    return _csv(out)



def reports_csv(archive: Archive) -> str:
    return _csv(_header() + [_row(e) for e in archive.shown])


def findings_csv(archive: Archive) -> str:
    rows = [[k for k, _ in FINDING_COLUMNS], [label for _, label in FINDING_COLUMNS]]
    for e in archive.shown:
        for f in e.findings:
            rows.append([_text(v) for v in (
                e.slug, e.agency, e.year, f.get("rule"), f.get("family"), f.get("status"), f.get("message"),
                ";".join(str(c) for c in f.get("cells") or []), f.get("quote"))])
    return _csv(rows)


def all_json(archive: Archive) -> bytes:
    """Every record in one JSON array, one record per line, gzip-compressed (mtime 0: deterministic).
    Uncompressed it would repeat every report's JSON a second time in the site."""
    lines = [json.dumps(e.record, ensure_ascii=False, separators=(",", ":")) for e in archive.shown]
    text = "[\n" + ",\n".join(lines) + "\n]\n"
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def page(archive: Archive) -> str:
    here = A.DOWNLOADS
    n = len(archive.shown)
    findings = sum(len(e.findings) for e in archive.shown)
    out = [front_matter("数据下载", search_exclude=True), "# 数据下载"]
    out.append(
        '<p class="xx-lead">档案中的全部数据都可以下载，路径固定，可以直接引用。CSV 文件为带 BOM 的 UTF-8 编码，'
        "可直接用 Excel 打开；第一行是字段键名（数字用 JSON 中的点号路径，如 <code>requests.received.total</code>），"
        "第二行是中文名称。数字单元格空白表示原文空白或无法读取（JSON 中为 <code>null</code>），不等于 0。"
        "以 = + - @ 开头的文字前加了一个单引号，防止电子表格把它当作公式执行。</p>")
    out.append(
        '<table class="xx-list"><thead><tr><th>文件</th><th>内容</th></tr></thead><tbody>'
        f"<tr><td>{link(Pages.href(here, ALL_JSON), 'all.json.gz')}</td>"
        f"<td>全部 {n} 份报告的结构化记录（gzip 压缩的 JSON 数组，每行一份，格式 xxgk-report/1）</td></tr>"
        f"<tr><td>{link(Pages.href(here, REPORTS_CSV), 'reports.csv')}</td>"
        f"<td>每份报告一行、每个数字一列（共 {len(T.all_cell_paths())} 个数字列，涵盖 2021 年格式和 2019 年试行格式）</td></tr>"
        f"<tr><td>{link(Pages.href(here, FINDINGS_CSV), 'findings.csv')}</td>"
        f"<td>全部 {findings} 条校验结果，每条一行</td></tr>"
        "</tbody></table>")
    out.append("## 单份报告 {#reports}")
    out.append(
        "<p>每份报告有三个文件：<code>data/reports/编号.json</code>（该报告的记录，含每个数字的原文和行号）、"
        "<code>data/reports/编号.csv</code>（按原表排列：表格的每一行一行，每个数字一列；第一、二行是键名和中文名称，"
        "每行注明原文行号）和 "
        "<code>data/raw/编号.txt</code>（原始文本，与来源文件逐字节相同，可用页面上的 SHA-256 核对）。</p>")
    others = len(archive.entries) - n
    if others:
        out.append(f"<p>有 {others} 个文本是某机关某年度报告的另一文本（同一机关同一年度有几个不同文本时，索引只显示其中的主文本）。"
                   "上面三个汇总文件只收录主文本，以免同一份报告被重复统计；另一文本的文件也在下表中，标题注有“另一文本”。</p>")
    rows = []
    for e in archive.entries:
        rows.append(f"<tr><td>{link(Pages.href(here, e.page), e.title)}</td>"
                    f"<td>{link(Pages.href(here, e.json_file), 'JSON')} · {link(Pages.href(here, e.csv_file), 'CSV')}"
                    f" · {link(Pages.href(here, e.raw_file), '原文')}</td></tr>")
    out.append('<table class="xx-list"><thead><tr><th>报告</th><th>下载</th></tr></thead>'
               f'<tbody>{"".join(rows)}</tbody></table>')
    out.append(f'<p class="xx-note">字段说明见 {esc("xxgk-report/1")} 格式说明；校验规则见'
               f'{link(Pages.href(here, A.RULES), "校验规则")}。</p>')
    return "\n\n".join(out) + "\n"
