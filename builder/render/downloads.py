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
import io
import re
from functools import lru_cache
from itertools import accumulate, chain
from operator import call

from isal import isal_zlib

from .. import template as T
from . import anchors as A
from .html import Pages, esc, front_matter, link
from .model import LINE, Archive, Entry, RowFigures, getter, row_figures
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
    if type(v) is str:  # the usual cell, first
        return "'" + v if v.startswith(_FORMULA) else v
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    s = str(v)
    return "'" + s if s.startswith(_FORMULA) else s


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet could run as a formula


def _csv(rows, bom: bool = True) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows(rows)
    return "\ufeff" + buf.getvalue() if bom else buf.getvalue()


def _record(fields: list[str]) -> str:
    """One CSV record of text fields as the csv module writes it (minimal quoting, CRLF): a field
    is quoted when it holds a comma, a quote or a line break, and its quotes are doubled. Most
    records have none: they are checked at once, not field by field (the csv module calls a
    function per character of every field)."""
    line = ",".join(fields)
    if line.count(",") == len(fields) - 1 and not ('"' in line or "\r" in line or "\n" in line) and line:
        return line + "\r\n"
    return ",".join(f'"{f.replace(_QUOTE, _QUOTE * 2)}"' if _SPECIAL.search(f) or line == "" else f
                    for f in fields) + "\r\n"


_QUOTE = '"'
_SPECIAL = re.compile('[,"\r\n]')  # what makes the csv module quote a field


def report_json(entry: Entry) -> bytes:
    # Compact: browsers and tools pretty-print JSON; the bytes count once per report.
    return entry.json_bytes + b"\n"


def _header() -> list[list[str]]:
    paths = [p for p, _r, _f in T.all_cell_paths()]
    return [[k for k, _l, _g in META_COLUMNS] + paths,
            [label for _k, label, _g in META_COLUMNS] + [cell_label(p) for p in paths]]


def _row(e: Entry) -> list:
    # A figure is a number or None (blank), which the csv module writes as _text() would: as it is, or empty.
    return [*[_text(g(e)) for _k, _l, g in META_COLUMNS], *e.cell_values]


class _Layout:
    """A report's CSV as far as it is the same for every report of a template: its two header
    rows (CSV text); per row, in the template's order: (table key, “table.row”, Chinese name, the
    row's figures, each figure's column, the row's line up to its source lines (CSV text), and
    after them a format of its cells when each figure is a number); how many columns of figures
    it has (a column per field key, in order of appearance); getters of every row's figures and
    source cells at once; and the rows after the headers as one format of every figure, then
    each row's source line, for the usual report whose rows are each on one line."""

    def __init__(self, template: str):
        active = T.active_key(template)
        columns: dict[str, str] = {}
        rows = []
        for table in (active, "requests", "appeals"):
            for row in T.rows_for(table, template):
                for f in row.fields:
                    columns.setdefault(f.key, f.label)
                rows.append((table, row))
        keys = list(columns)
        self.header = _csv([["key", "label", "source_line"] + keys, ["键", "名称", "原文行号"] + list(columns.values())])
        self.width = len(keys)
        layout = []
        for table, row in rows:
            key, name = f"{table}.{row.key}", f"表{T.table_no(table)}·{T.row_name(row)}"
            at = tuple(keys.index(f.key) for f in row.fields)
            # A number needs no quoting in CSV and prints as str(); a column the row lacks stays empty.
            cells = ",".join(f"{{{at.index(c)}}}" if c in at else "" for c in range(len(keys)))
            prefix = _csv([[key, name, ""]], bom=False)[:-2]  # as the csv module writes them, up to the lines
            layout.append((table, key, name, row_figures(table, row), at, prefix, f",{cells}\r\n"))
        self.rows = tuple(layout)
        self.tables = (active, "requests", "appeals")
        self.row_keys = tuple(getter(tuple(r.key for t, r in rows if t == table)) for table in self.tables)
        figures = [f for _t, _k, _n, f, _a, _p, _c in layout]
        self.values = tuple(f.values for f in figures)
        self.cells = getter(tuple(p for f in figures for p in f.paths))
        ends = list(accumulate(len(f.keys) for f in figures))
        self.slices = tuple(zip([0] + ends[:-1], ends))
        # Each figure's row's first figure, and each row's first figure: a report whose every row
        # is on one line has lines == firsts(lines), and shows row_lines(lines).
        self.firsts = getter(tuple(a for a, b in self.slices for _ in range(a, b)))
        self.row_lines = getter(tuple(a for a, _b in self.slices))
        # The rows after the headers as one %-format (faster than str.format; a number prints as
        # str() in both): each row's line, then its figures in column order. `order` picks its
        # arguments from (every figure, each row's line).
        n, order, body = ends[-1], [], []
        for i, ((_t, _k, _n, _f, at, prefix, cells), (a, b)) in enumerate(zip(layout, self.slices)):
            order += [n + i] + [a + at.index(c) for c in sorted(at)]
            body.append(prefix.replace("%", "%%") + "%s" + cells.format(*["%s"] * (b - a)))
        self.body, self.order = "".join(body), getter(tuple(order))

    def grid(self, record: dict) -> tuple[list, tuple] | None:
        """(every figure, every figure's source line) in order when the report is the usual one:
        every table, row and figure there, each a number, each with its cell and its line (which
        the caller checks: when each row is on one line, only the rows' lines matter)."""
        try:
            tables = record["tables"]
            rows = chain.from_iterable(map(call, self.row_keys, map(tables.__getitem__, self.tables)))
            values = list(chain.from_iterable(map(call, self.values, rows)))
            lines = tuple(map(LINE, self.cells(record["cells"])))
        except (KeyError, TypeError):
            return None
        return (values, lines) if {*map(type, values)} <= _NUMBER else None


@lru_cache(maxsize=None)
def _layout(template: str) -> _Layout:
    return _Layout(template)


def report_csv(entry: Entry) -> str:
    """One report laid out as its tables are printed: a row per table row (key “table.row”,
    Chinese name, the source lines of its figures), a column per field (JSON key, Chinese
    label). A row has only its own fields: an empty cell there is a blank or unreadable
    figure (null), never zero. A figure's JSON path is the row key and the column key.
    (One figure per line would repeat each row's long name seven times: five times the bytes.)"""
    r = entry.record
    layout = _layout(r.get("template") or "2021")
    grid = layout.grid(r)
    if grid is not None:  # the usual report: every row from one pass over its figures
        values, lines = grid
        if lines == layout.firsts(lines):  # and each row on one line: in one call
            heads = layout.row_lines(lines)
            if {*map(type, heads)} <= _INT:
                return layout.header + layout.body % layout.order((*values, *heads))
        if {*map(type, lines)} <= _INT:
            shown = []
            for a, b in layout.slices:
                row_lines = lines[a:b]
                if row_lines.count(row_lines[0]) == b - a:
                    shown.append(row_lines[0])
                else:
                    shown.append(";".join(map(str, sorted(set(row_lines)))))
            return layout.header + layout.body % layout.order((*values, *shown))
    return layout.header + _row_by_row(layout, r)


def _row_by_row(layout: _Layout, r: dict) -> str:
    """A report's rows after the headers, row by row."""
    out = []
    raw = r.get("cells") or {}
    tables = r.get("tables") or {}
    for table, key, name, figures, at, prefix, cells in layout.rows:
        if table not in tables:
            continue
        values = (tables.get(table) or {}).get(figures.row) or {}
        try:  # the usual row, every figure present: in one call
            shown = figures.values(values)
        except (KeyError, TypeError):
            shown = tuple(values.get(k) for k in figures.keys)
        if {*map(type, shown)} <= _NUMBER:  # the usual row: every figure a number
            out.append(prefix + _lines(raw, figures) + cells.format(*shown))
            continue
        row = [""] * layout.width
        for column, v in zip(at, shown):  # as _text() writes a figure: a number as it is, else blank
            row[column] = v if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
        out.append(_csv([[key, name, _lines(raw, figures)] + row], bom=False))
    return "".join(out)


_NUMBER = {int, float}
_INT = {int}


def _lines(raw: dict, figures: RowFigures) -> str:
    """The source lines of a row's figures, “12;13”."""
    try:  # the usual row: every figure's cell there, with its line (most often one line)
        lines = set(map(LINE, figures.cells(raw)))
        if len(lines) == 1 and type(line := next(iter(lines))) is int:
            return str(line)
        if {*map(type, lines)} <= _INT:
            return ";".join(map(str, sorted(lines)))
    except (KeyError, TypeError):
        pass
    lines = set()
    for path in figures.paths:
        c = raw.get(path)
        if isinstance(c, dict) and isinstance(c.get("line"), int):
            lines.add(c["line"])
    return ";".join(map(str, sorted(lines)))


def reports_csv(archive: Archive, lines: dict | None = None) -> str:
    """`lines`: {id(entry): its line} for the entries whose line was made already (see `lines_of`)."""
    lines = lines or {}
    return _csv(_header(), bom=True) + "".join([lines.get(id(e)) or report_line(e) for e in archive.shown])


def report_line(e: Entry) -> str:
    """An entry's line of reports.csv."""
    return _csv([_row(e)], bom=False)


def findings_csv(archive: Archive, lines: dict | None = None) -> str:
    """`lines`: {id(entry): its lines} for the entries whose lines were made already."""
    lines = lines or {}
    out = ["\ufeff", _record([k for k, _ in FINDING_COLUMNS]), _record([label for _, label in FINDING_COLUMNS])]
    for e in archive.shown:
        done = lines.get(id(e))
        out.append(done if done is not None else finding_lines(e))
    return "".join(out)


def finding_lines(e: Entry) -> str:
    """An entry's lines of findings.csv, one per finding."""
    report = [_field(e.slug), _field(e.agency), _field(e.year)]
    rows = [(get("rule"), get("family"), get("status"), get("message"), ";".join(map(str, get("cells") or ())),
             get("quote")) for get in [f.get for f in e.findings]]
    # The usual report: every field text (a missing quote is empty) that neither needs quoting nor
    # could run as a formula. Checked for all its findings at once, in the fields joined by a
    # character that is neither: then each line is its fields as they are.
    fields = [v if v is not None else "" for row in rows for v in row]
    if {*map(type, fields)} <= _STR:
        joined = "\0".join(fields)
        if not (_SPECIAL.search(joined) or joined.startswith(_FORMULA)
                or _FORMULA_FIELD.search(joined)):
            head = _record(report)[:-2]
            return "".join([f"{head},{','.join(row)}\r\n" for row in zip(*[iter(fields)] * 6)])
    return "".join([_record(report + [v if type(v) is str and not v.startswith(_FORMULA) else _field(v) for v in row])
                    for row in rows])


_STR = {str}
_FORMULA_FIELD = re.compile(f"\0[{re.escape(''.join(_FORMULA))}]")  # a later field that begins as one


def lines_of(e: Entry) -> tuple[str, str] | None:
    """An entry's lines of reports.csv and findings.csv, made where its page is made (the
    bulk files then only join them); None when they cannot be made (they are made again,
    and the failure reported, with the file)."""
    try:
        return report_line(e), finding_lines(e)
    except Exception:  # noqa: BLE001 — see above
        return None


def _field(v) -> str:
    """A value as the csv module writes what _text() gives for it."""
    v = _text(v)
    return v if type(v) is str else str(v)  # a number: str() is repr() for a float


_BLOCK = 1 << 20  # bytes of JSON compressed at a time


def all_json(archive: Archive) -> bytes:
    """Every record in one JSON array, one record per line, gzip-compressed (mtime 0: deterministic).
    Uncompressed it would repeat every report's JSON a second time in the site."""
    # ISA-L at its highest level (3): on 500 reports about 0.07 ms per report for 2.5 KB, where
    # zlib took 0.13 ms at level 4 for 2.3 KB. The JSON goes in by blocks of a fixed size, never
    # all 14 MB at once; fixed, because ISA-L's output depends on how its input is cut, and it
    # must depend on the content alone (a report's JSON may come whole or in pieces).
    pack = isal_zlib.compressobj(3, isal_zlib.DEFLATED, 31)  # 31: a gzip member, mtime 0
    out: list[bytes] = []
    block = bytearray(b"[\n")
    for n, e in enumerate(archive.shown):
        if n:
            block += b",\n"
        for piece in e.json_pieces():
            block += piece
        if len(block) >= _BLOCK:
            whole = len(block) // _BLOCK * _BLOCK
            out.append(pack.compress(block[:whole]))
            del block[:whole]
    block += b"\n]\n"
    out.append(pack.compress(block))
    out.append(pack.flush())
    return b"".join(out)


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
