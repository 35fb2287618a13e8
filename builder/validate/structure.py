"""The report's shape: six sections, complete tables, a known template, blank cells."""
from __future__ import annotations

from .. import template as T
from . import figures as F
from .registry import rule


def _cn(no: int) -> str:
    return T.CN_ORDINALS[no - 1]


@rule("structure.sections", "structure", "六个部分齐全有序",
      "年度报告格式（国办公开办函〔2021〕30号，2019年试行格式亦同）规定报告由六部分组成，依次为："
      + "；".join(f"{T.CN_ORDINALS[s.no - 1]}、{s.title}" for s in T.SECTIONS) + "。"
      "本规则核对六个部分是否都有、顺序是否正确。标题写法各异时按含义宽松匹配；"
      "找不到某一部分的标题，可能是报告缺了这部分，也可能是标题写法过于特殊，因此只给警告。",
      ("pass", "warn"))
def sections(rule_, record):
    nos = [s.get("no") for s in record.get("sections") or []]
    if nos == _IN_ORDER:  # the usual report
        return [rule_.finding("pass", "六个部分齐全，顺序正确")]
    problems = []
    missing = [s for s in T.SECTIONS if s.no not in nos]
    if missing:
        problems.append("未找到" + "、".join(f"第{_cn(s.no)}部分“{s.title}”" for s in missing) + "的标题")
    if nos != sorted(nos) or len(set(nos)) != len(nos):
        order = "、".join(_cn(n) for n in nos if isinstance(n, int) and 1 <= n <= 6)
        problems.append(f"各部分出现的顺序为{order}，应为一至六依次排列")
    if problems:
        return [rule_.finding("warn", "；".join(problems))]
    return [rule_.finding("pass", "六个部分齐全，顺序正确")]


_IN_ORDER = sorted(s.no for s in T.SECTIONS)
assert len(set(_IN_ORDER)) == len(_IN_ORDER)


def _table_notes(notes: list[str], table: str) -> list[str]:
    """The parser's notes about one table (e.g. “表三“…”行读到5个值…本行留空”)."""
    title = _TITLE[table]
    return [n for n in notes if n.startswith(title) or f"{title}无法读取" in n]


_TITLE = {t.key: f"表{T.table_no(t.key)}" for t in T.TABLES}  # 表二, 表三, 表四


@rule("structure.tables_complete", "structure", "表格完整",
      "核对表二（主动公开）、表三（依申请公开）、表四（行政复议、行政诉讼）的每一行是否都读出了数值。"
      "整张表没有读到任何数值（报告缺表，或表格无法识别）记为错误，因为这张表的数字无法核对也无法进入档案；"
      "只缺部分行，或解析时有数值无法确定所在的行列而被留空，记为警告，并附上解析说明。",
      ("pass", "warn", "fail"))
def tables_complete(rule_, record):
    out, fine = [], []
    tables = record.get("tables") or {}
    all_notes = record.get("notes") or []
    for table in F.expected_tables(record):
        title = _TITLE[table]
        rows = F.table_keys(record, table)
        figures = tables.get(table) or {}
        unread = [] if F.complete(record, table) else \
            [k for k in rows if _unread(record, table, k, figures.get(k) or {})]
        notes = _table_notes(all_notes, table) if all_notes else []
        explain = ("；解析说明：" + "；".join(notes)) if notes else ""
        if rows and len(unread) == len(rows):
            cells = _cells_of(record, table, unread)
            out.append(rule_.finding("fail", f"{title}没有读到任何数值（报告中没有这张表，或表格无法识别）{explain}", cells))
        elif unread:
            cells = _cells_of(record, table, unread)
            names = "、".join(f"“{F.row_label(table, k)}”" for k in unread)
            out.append(rule_.finding("warn", f"{title}有{len(unread)}行没有读到数值：{names}{explain}", cells))
        elif notes:
            out.append(rule_.finding("warn", f"{title}各行均已读出，但解析时有内容未采用{explain}"))
        else:
            fine.append(title)
    if fine:
        out.append(rule_.finding("pass", "、".join(fine) + "各行均已读出数值"))
    return out


def _unread(record: dict, table: str, row: str, figures: dict) -> bool:
    """No figure in the row and no cell read for it (`figures`: the row's figures by field)."""
    for v in figures.values():
        if v is not None:
            return False
    prefix = f"{table}.{row}."
    return not any(k.startswith(prefix) for k in record.get("cells") or {})


def _cells_of(record: dict, table: str, rows: list[str]) -> list[str]:
    return [p for k in rows for p in F.ROW_CELLS[table][k][1]]


_TEMPLATE_NAME = {"2021": "2021年格式（国办公开办函〔2021〕30号）",
                  "2019": "2019年试行格式（国办公开办函〔2019〕60号）"}


@rule("structure.template", "structure", "报告格式可识别",
      "识别报告采用的格式：2019、2020年度报告使用国办公开办函〔2019〕60号试行格式，"
      "自2021年度报告起使用国办公开办函〔2021〕30号格式。两种格式的表二、表三行目不同，"
      "识别格式才能正确核对。无法识别为“无法核对”；格式与报告年度不符、正文引用的格式与表格不符，"
      "或表二、表三分属两种格式时给警告。",
      ("pass", "warn", "unknown"))
def template_known(rule_, record):
    t = record.get("template")
    year = record.get("year")
    if t not in _TEMPLATE_NAME:
        return [rule_.finding("unknown", "未能识别表格采用2019年试行格式还是2021年格式")]
    problems = [n for n in record.get("notes") or [] if "格式" in n and ("表格却是" in n or "分别像是" in n)]
    if isinstance(year, int):
        if t == "2019" and year >= 2021:
            problems.append(f"报告为{year}年度，应使用2021年格式，表格却是2019年试行格式")
        elif t == "2021" and year < 2021:
            problems.append(f"报告为{year}年度，当时适用2019年试行格式，表格却是2021年格式")
    if problems:
        return [rule_.finding("warn", f"表格为{_TEMPLATE_NAME[t]}；" + "；".join(problems))]
    tail = f"，与{year}年度相符" if isinstance(year, int) else ""
    return [rule_.finding("pass", f"表格为{_TEMPLATE_NAME[t]}{tail}")]


@rule("structure.blank_cells", "structure", "空白与“/”单元格",
      "列出表格中留空、填“/”“—”“-”或写了非数字内容的单元格。按照格式，每个单元格都应填数字，"
      "没有发生的事项填0；空白不等于0，档案按“空值”保存并保留原文，依赖这些单元格的核对结果为“无法核对”。"
      "有这类单元格时给警告。",
      ("pass", "warn"))
def blank_cells(rule_, record):
    out = []
    for table in F.expected_tables(record):
        if F.complete(record, table):  # the usual table
            continue
        grid, cells, blanks = F.grid(record, table), F.ROW_CELLS[table], []
        for row in F.table_rows(record, table):
            vals = grid[row.key]
            if None in vals:  # most rows are filled in
                blanks += [p for p, v in zip(cells[row.key][1], vals) if v is None and F.raw(record, p) is not None]
        if blanks:
            out.append(rule_.finding(
                "warn", f"表{T.table_no(table)}有{len(blanks)}个单元格没有数字，按空值处理：{F.describe_missing(record, blanks)}",
                blanks))
    if not out:
        out.append(rule_.finding("pass", "已读出的单元格都填有数字"))
    return out
