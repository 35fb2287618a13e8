"""Print a report's tables in the layouts real reports come in.

Shared by the synthetic report writer (`builder.synth`) and the layout tests
(`tests/layouts.py`): one layout writer, not two.

The tables are built from the template declaration (`builder.template`: rows,
labels, fields), filled with given figures, and printed as:

- ``tab``      tab-separated rows, as the seeds are;
- ``aligned``  columns aligned with spaces as `pdftotext -layout` prints them:
               long labels and header cells wrapped over several lines (values on
               the first line), a page number “-3-” and a page break inside table 三;
- ``centred``  the same, with figures on the middle line of a wrapped row and each
               merged group label (（三）不予公开 …) in the middle of its group;
- ``box``      box-drawn tables (┌─┬─┐ │ … │) as w3m prints them, wrapped cells included;
- ``pipe``     Markdown pipe tables (| a | b |, |---|);
- ``percell``  one cell per line, indented, with stray full-width spaces (seed 003).

`relay()` puts such tables in place of the seed's own, keeping the seed's prose,
so a variant reads like a real report. Mutations add the noise seen in the wild:
full-width digits and ideographic spaces, labels broken by spaces, “社会组织”,
“其它” for “其他”, a typo in a section title.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .. import template as T

LAYOUTS = ("tab", "aligned", "centred", "box", "pipe", "percell")

# Which article of 条例 第二十条 each sub-table of table 二 reports (printed above it).
ARTICLE = {
    "regulations": "（一）", "normative_documents": "（一）",
    "licensing": "（五）", "other_services": "（五）",
    "penalty": "（六）", "coercion": "（六）",
    "fees": "（八）", "procurement": "（九）",
}
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
CONTENT = "信息内容"
RESULTS_GROUP = T.REQUEST_ROW["granted"].group  # “三、本年度办理结果”
LITIGATION = T.APPEAL_GROUPS[1].group  # “行政诉讼”


def active_key(template: str) -> str:
    return "active_2019" if template == "2019" else "active"


# ---------------------------------------------------------------- the grid
@dataclass
class Cell:
    text: str
    span: int = 1
    value: bool = False  # a figure (or a blanked / garbled figure)
    header: bool = False  # a column heading (wrapped narrow in print)


Row = list  # list[Cell]


_fmt = T.fmt_number


def _val(table: str, row: str, field: str, figs: dict, overrides: dict) -> Cell:
    path = f"{table}.{row}.{field}"
    text = overrides[path] if path in overrides else _fmt(figs[table][row][field])
    return Cell(text, value=True)


def grid_active(figs: dict, template: str, overrides: dict) -> list[Row]:
    key = active_key(template)
    rows = T.TABLE[key].rows
    width = 1 + max(len(r.fields) for r in rows)
    grid: list[Row] = []
    article = None
    for row in rows:
        if ARTICLE[row.key] != article:
            article = ARTICLE[row.key]
            grid.append([Cell(f"第二十条第{article}项", span=width)])
            head = [Cell(CONTENT)] + [Cell(f.label, header=True) for f in row.fields]
            grid.append(_pad(head, width))
        cells = [Cell(row.label)] + [_val(key, row.key, f.key, figs, overrides) for f in row.fields]
        grid.append(_pad(cells, width))
    return grid


def _pad(cells: list[Cell], width: int) -> Row:
    used = sum(c.span for c in cells)
    return cells + [Cell("") for _ in range(width - used)]


def grid_requests(figs: dict, template: str, overrides: dict) -> list[Row]:
    cols = T.REQUEST_COLUMNS
    legal = cols[1:-1]
    grid: list[Row] = [
        [Cell(CORNER, span=3), Cell(APPLICANTS, span=len(cols))],
        [Cell("", span=3), Cell(cols[0].label, header=True), Cell(T.LEGAL_PERSON_GROUP, span=len(legal)),
         Cell(cols[-1].label, header=True)],
        [Cell("", span=3), Cell("")] + [Cell(f.label, header=True) for f in legal] + [Cell("")],
    ]
    results = set(T.RESULT_KEYS[template]) | {"results_total"}
    seen_groups: set[str] = set()
    results_started = False
    for row in T.rows_for("requests", template):
        vals = [_val("requests", row.key, f.key, figs, overrides) for f in row.fields]
        if row.key not in results:
            label = [Cell(row.label, span=3)]
        else:
            first = not results_started
            results_started = True
            c0 = Cell(RESULTS_GROUP if first else "")
            if row.group and row.group != RESULTS_GROUP:
                c1 = Cell(row.group if row.group not in seen_groups else "")
                seen_groups.add(row.group)
                label = [c0, c1, Cell(row.label)]
            else:
                label = [c0, Cell(row.label, span=2)]
        grid.append(label + vals)
    return grid


def center_groups(grid: list[Row]) -> list[Row]:
    """Move each merged group label (三、本年度办理结果, （三）不予公开 …) from the
    first row of its group to the middle one, where a PDF prints a cell that
    spans several rows."""
    grid = [list(r) for r in grid]
    for col in (0, 1):
        run: list[int] = []

        def settle():
            if run and grid[run[0]][col].text:
                text = grid[run[0]][col].text
                grid[run[0]][col] = Cell("")
                mid = run[len(run) // 2]
                grid[mid][col] = Cell(text)
            run.clear()

        for i, row in enumerate(grid):
            starts = [sum(c.span for c in row[:j]) for j in range(len(row))]
            if col not in starts or row[starts.index(col)].span != 1 or row[0].span > col + 1 \
                    or not any(c.value for c in row):
                settle()
                continue
            cell = row[starts.index(col)]
            if cell.value:
                settle()
                continue
            if cell.text and run:
                settle()
            if cell.text or run:
                run.append(i)
        settle()
    return grid


def grid_appeals(figs: dict, overrides: dict) -> list[Row]:
    n = len(T.APPEAL_FIELDS)
    review, direct, after = T.APPEAL_GROUPS
    fields = [Cell(f.label, header=True) for f in T.APPEAL_FIELDS]
    return [
        [Cell(review.label, span=n), Cell(LITIGATION, span=2 * n)],
        fields + [Cell(direct.label, span=n), Cell(after.label, span=n)],
        [Cell("") for _ in range(n)] + fields + [Cell(f.label, header=True) for f in T.APPEAL_FIELDS],
        [_val("appeals", g.key, f.key, figs, overrides) for g in T.APPEAL_GROUPS for f in g.fields],
    ]


# ---------------------------------------------------------------- label noise
def noisy_labels(grid: list[Row]) -> list[Row]:
    """Labels as careless typing and extraction leave them."""
    subs = [
        (r"^（(\S)）", r"(\1) "),                 # ASCII brackets and a space after the ordinal
        (r"^(\d)\.", r"\1. "),                     # “1. 属于国家秘密”
        ("无法提供", "无法 提供"), ("不予处理", "不予 处理"),
        ("结果纠正", "结 果 纠 正"), ("尚未审结", "尚 未 审 结"),
        ("社会公益组织", "社会组织"),
        ("其他", "其它"),                          # 其它处理, 3.其它, 其它法律…
    ]
    out = []
    for row in grid:
        new = []
        for c in row:
            text = c.text
            if not c.value:
                for a, b in subs:
                    text = re.sub(a, b, text)
            new.append(Cell(text, c.span, c.value, c.header))
        out.append(new)
    return out


# ---------------------------------------------------------------- printing
def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def wrap(s: str, limit: int) -> list[str]:
    """Break a cell's text into lines at most `limit` columns wide."""
    if not s:
        return [""]
    lines, cur = [], ""
    for ch in s:
        if cur and width(cur + ch) > limit:
            lines.append(cur)
            cur = ""
        cur += ch
    lines.append(cur)
    return lines


def ljust(s: str, w: int) -> str:
    return s + " " * max(0, w - width(s))


def tab(grid: list[Row]) -> list[str]:
    out = []
    for row in grid:
        cells = []
        for c in row:
            cells += [c.text] + [""] * (c.span - 1)
        out.append("\t".join(cells))
    return out


def pipe(grid: list[Row]) -> list[str]:
    out = []
    for i, row in enumerate(grid):
        cells = []
        for c in row:
            cells += [c.text] + [""] * (c.span - 1)
        out.append("| " + " | ".join(cells) + " |")
        if i == 0:
            out.append("|" + "|".join("---" for _ in cells) + "|")
    return out


LABEL_WIDTH = 24  # columns a label cell takes before it wraps (12 characters)
HEADER_WIDTH = 8  # a heading over a column of figures wraps after 4 characters


def _layout(grid: list[Row], label_width: int = LABEL_WIDTH) -> tuple[list[int], list[list[list[str]]]]:
    """Column widths and each cell's wrapped lines."""
    ncols = sum(c.span for c in grid[0])
    widths = [1] * ncols
    for row in grid:
        col = 0
        for c in row:
            if c.span == 1:
                limit = 99 if c.value else HEADER_WIDTH if c.header else label_width
                widths[col] = max(widths[col], max(width(x) for x in wrap(c.text, limit)))
            col += c.span
    wrapped = []
    for row in grid:
        col, cells = 0, []
        for c in row:
            w = sum(widths[col:col + c.span]) + 2 * (c.span - 1)
            cells.append([c.text] if c.value else wrap(c.text, w))  # a figure never wraps
            col += c.span
        wrapped.append(cells)
    return widths, wrapped


def aligned(grid: list[Row], page_break_after: int | None = None, page: int = 3,
            middle: bool = False, label_width: int = LABEL_WIDTH) -> list[str]:
    """`middle`: figures on the middle line of a wrapped row, as pdftotext prints
    vertically centred cells; otherwise on its first line."""
    widths, wrapped = _layout(grid, label_width)
    out = []
    for r, (row, cells) in enumerate(zip(grid, wrapped)):
        height = max(len(x) for x in cells)
        for k in range(height):
            col, parts = 0, []
            for c, lines in zip(row, cells):
                w = sum(widths[col:col + c.span]) + 2 * (c.span - 1)
                at = k - (height - 1) // 2 if middle and c.value else k
                text = lines[at] if 0 <= at < len(lines) else ""
                parts.append(text.rjust(w) if c.value else ljust(text, w))
                col += c.span
            out.append("  ".join(parts).rstrip())
        if page_break_after is not None and r == page_break_after:
            total = sum(widths) + 2 * (len(widths) - 1)
            out += ["", " " * (total // 2) + f"-{page}-", "\f"]
    # pdftotext starts the next page right after the form feed.
    return _join_formfeed(out)


def _join_formfeed(lines: list[str]) -> list[str]:
    out = []
    for i, ln in enumerate(lines):
        if ln == "\f" and i + 1 < len(lines):
            continue
        if i > 0 and lines[i - 1] == "\f":
            ln = "\f" + ln
        out.append(ln)
    return out


def box(grid: list[Row], label_width: int = LABEL_WIDTH) -> list[str]:
    widths, wrapped = _layout(grid, label_width)

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * ((w + 1) // 2 * 2) for w in widths) + right

    def cellw(col: int, span: int) -> int:
        return sum((w + 1) // 2 * 2 for w in widths[col:col + span]) + (span - 1)

    out = [rule("┌", "┬", "┐")]
    for r, (row, cells) in enumerate(zip(grid, wrapped)):
        height = max(len(x) for x in cells)
        for k in range(height):
            col, parts = 0, []
            for c, lines in zip(row, cells):
                text = lines[k] if k < len(lines) else ""
                parts.append(ljust(text, cellw(col, c.span)))
                col += c.span
            out.append("│" + "│".join(parts) + "│")
        out.append(rule("├", "┼", "┤") if r < len(grid) - 1 else rule("└", "┴", "┘"))
    return out


STRAY = ("\u3000\u3000{}", " {}", "{} ", "{}")


def percell(grid: list[Row]) -> list[str]:
    """One cell per line, indented by a tab, figures padded with stray spaces (seed 003)."""
    out = []
    n = 0
    for row in grid:
        for c in row:
            if c.value:
                out.append("\t" + STRAY[n % len(STRAY)].format(c.text))
                n += 1
            elif c.header and len(c.text) == 4:  # “商业\n企业”: the cell was too narrow
                half = 2
                out += ["\t" + c.text[:half], c.text[half:]]
            else:
                out.append("\t" + c.text)
        out.append("")
    return out


# ---------------------------------------------------------------- a whole report
def tables(figs: dict, layout: str, template: str = "2021", overrides: dict | None = None,
           noisy: bool = False, label_width: int = LABEL_WIDTH) -> dict[int, list[str]]:
    """The three tables printed in one layout: {section no: lines}."""
    overrides = overrides or {}
    grids = {
        2: grid_active(figs, template, overrides),
        3: grid_requests(figs, template, overrides),
        4: grid_appeals(figs, overrides),
    }
    if noisy:
        grids = {k: noisy_labels(g) for k, g in grids.items()}
    out = {}
    for no, grid in grids.items():
        if layout == "tab":
            out[no] = tab(grid)
        elif layout == "pipe":
            out[no] = pipe(grid)
        elif layout == "box":
            out[no] = box(grid, label_width)
        elif layout == "percell":
            out[no] = percell(grid)
        elif layout == "aligned":
            # The page ends in the middle of table 三, after 8.属于行政查询事项.
            out[no] = aligned(grid, page_break_after=14 if no == 3 else None, page=no,
                              label_width=label_width)
        elif layout == "centred":
            out[no] = aligned(center_groups(grid) if no == 3 else grid, page_break_after=14 if no == 3 else None,
                              page=no, middle=True, label_width=label_width)
        else:
            raise ValueError(layout)
    return out


def heading_lines(lines: list[str], record: dict) -> dict[int, int]:
    """Index of each section's heading line, found by the printed title and its ordinal."""
    found, start = {}, 0
    for sec in record["sections"]:
        ordinal = T.CN_ORDINALS[sec["no"] - 1]
        for i in range(start, len(lines)):
            ln = lines[i]
            if sec["title"] in ln and ordinal in ln.split(sec["title"])[0] and len(ln) < 80:
                found[sec["no"]] = i
                start = i + 1
                break
    return found


def relay(text: str, record: dict, figs: dict, layout: str, template: str = "2021",
          overrides: dict | None = None, noisy: bool = False, label_width: int = LABEL_WIDTH) -> str:
    """The report `text` (parsed as `record`) with its tables 二, 三, 四 re-laid."""
    lines = text.split("\n")
    heads = heading_lines(lines, record)
    missing = {2, 3, 4, 5} - set(heads)
    if missing:
        raise ValueError(f"section headings not found: {sorted(missing)}")
    prose = {s["no"]: s["text"] for s in record["sections"]}
    printed = tables(figs, layout, template, overrides, noisy, label_width)
    out = lines[:heads[2]]
    for no in (2, 3, 4):
        heading = lines[heads[no]]
        if noisy and no == 4:
            heading = heading.replace("行政复议", "行政法复议")
        out += [heading, ""]
        if prose.get(no):
            for para in prose[no].split("\n\n"):
                out += [para, ""]
        out += printed[no] + [""]
    out += lines[heads[5]:]
    text = "\n".join(out)
    if template == "2019":
        text = text.replace("〔2021〕30号", "〔2019〕60号").replace("〔2021〕30 号", "〔2019〕60号")
    return text


# ---------------------------------------------------------------- character noise
FULLWIDTH = str.maketrans({str(i): chr(ord("０") + i) for i in range(10)})


def fullwidth(text: str) -> str:
    """Full-width digits everywhere, ideographic spaces and NBSP for layout spaces."""
    text = text.translate(FULLWIDTH)
    text = re.sub(r"(?<=[０-９])\.(?=[０-９])", "．", text)
    text = text.replace("  ", "\u3000\u3000")
    text = re.sub(r"\t(?=[０-９])", "\t\u3000", text)  # a stray ideographic space in a cell
    return re.sub(r"(?<=[０-９]) (?=[\u4e00-\u9fff])", "\u00a0", text)


def encodings(text: str) -> dict[str, bytes]:
    """The same report as the encodings extractors write."""
    crlf = text.replace("\n", "\r\n")
    return {
        "utf-8-sig": text.encode("utf-8-sig"),
        "utf-16-le-bom": "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"),
        "utf-16-be-bom": "\ufeff".encode("utf-16-be") + text.encode("utf-16-be"),
        "utf-16-le": text.encode("utf-16-le"),  # no BOM
        "utf-16-be": text.encode("utf-16-be"),
        "gb18030": text.encode("gb18030"),
        "utf-8-crlf": crlf.encode("utf-8"),
        "gb18030-crlf": crlf.encode("gb18030"),
    }
