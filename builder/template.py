"""The national template, declared once.

Every other module (parser, validator, renderer, exports) reads these
declarations; none of them keeps its own list of labels or keys.

Label patterns are regular expressions matched against *compact* text:
whitespace removed, brackets and punctuation folded to one form by
`compact()`. They describe the words that identify a row, so they tolerate
the ordinal prefixes, spacing and small wording changes seen in real reports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    decimal: bool = False  # fee amounts are decimals, everything else counts
    signed: bool = False  # 2019 本年增/减 may be negative


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # the official label, as printed in the template
    pattern: str  # regex on compact text identifying this row
    group: str | None = None  # e.g. "（三）不予公开" for its numbered sub-rows
    fields: tuple[Field, ...] = ()
    templates: tuple[str, ...] = ("2021", "2019")


@dataclass(frozen=True)
class Section:
    no: int
    title: str
    pattern: str  # regex on a compact heading line, after its ordinal


# ---------------------------------------------------------------- sections
SECTIONS: tuple[Section, ...] = (
    Section(1, "总体情况", r"总体情况|概述|基本情况"),
    Section(2, "主动公开政府信息情况", r"主动公开"),
    Section(3, "收到和处理政府信息公开申请情况", r"收到和处理|依申请公开|政府信息公开申请"),
    Section(4, "政府信息公开行政复议、行政诉讼情况", r"行政(法)?复议|行政诉讼"),
    Section(5, "存在的主要问题及改进情况", r"问题|改进"),
    Section(6, "其他需要报告的事项", r"其他需要报告|其他事项|其它需要报告"),
)

CN_ORDINALS = "一二三四五六七八九十"

# ---------------------------------------------------------------- table 二
F_ISSUED = Field("issued", "本年制发件数")
F_REPEALED = Field("repealed", "本年废止件数")
F_IN_FORCE = Field("in_force", "现行有效件数")
F_DECISIONS = Field("decisions", "本年处理决定数量")
F_FEE = Field("amount_wan_yuan", "本年收费金额（万元）", decimal=True)

ACTIVE_ROWS: tuple[Row, ...] = (
    Row("regulations", "规章", r"规章", fields=(F_ISSUED, F_REPEALED, F_IN_FORCE)),
    Row("normative_documents", "行政规范性文件", r"(行政)?规范性文件",
        fields=(F_ISSUED, F_REPEALED, F_IN_FORCE)),
    Row("licensing", "行政许可", r"行政许可", fields=(F_DECISIONS,)),
    Row("penalty", "行政处罚", r"行政处罚", fields=(F_DECISIONS,)),
    Row("coercion", "行政强制", r"行政强制", fields=(F_DECISIONS,)),
    Row("fees", "行政事业性收费", r"行政事业性收费|事业性收费", fields=(F_FEE,)),
)

# The 2019 trial template (国办公开办函〔2019〕60号), kept under `active_2019`.
F19_MADE = Field("made", "本年新制作数量")
F19_PUBLISHED = Field("published", "本年新公开数量")
F19_TOTAL = Field("total_public", "对外公开总数量")
F19_PREV = Field("previous", "上一年项目数量")
F19_CHANGE = Field("change", "本年增/减", signed=True)
F19_DECISIONS = Field("decisions", "处理决定数量")
F19_FEE_AMOUNT = Field("amount_wan_yuan", "本年收费金额（万元）", decimal=True)
F19_PROCUREMENT_COUNT = Field("items", "采购项目数量")
F19_PROCUREMENT_AMOUNT = Field("amount_wan_yuan", "采购总金额（万元）", decimal=True)

ACTIVE_2019_ROWS: tuple[Row, ...] = (
    Row("regulations", "规章", r"规章", fields=(F19_MADE, F19_PUBLISHED, F19_TOTAL)),
    Row("normative_documents", "规范性文件", r"(行政)?规范性文件",
        fields=(F19_MADE, F19_PUBLISHED, F19_TOTAL)),
    Row("licensing", "行政许可", r"行政许可", fields=(F19_PREV, F19_CHANGE, F19_DECISIONS)),
    Row("other_services", "其他对外管理服务事项", r"其他对外管理服务事项|对外管理服务",
        fields=(F19_PREV, F19_CHANGE, F19_DECISIONS)),
    Row("penalty", "行政处罚", r"行政处罚", fields=(F19_PREV, F19_CHANGE, F19_DECISIONS)),
    Row("coercion", "行政强制", r"行政强制", fields=(F19_PREV, F19_CHANGE, F19_DECISIONS)),
    Row("fees", "行政事业性收费", r"行政事业性收费|事业性收费",
        fields=(F19_PREV, F19_CHANGE)),
    Row("procurement", "政府集中采购", r"政府集中采购|集中采购",
        fields=(F19_PROCUREMENT_COUNT, F19_PROCUREMENT_AMOUNT)),
)

# Words that only the 2019 trial template prints in table 二.
ACTIVE_2019_MARKERS = r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增|政府集中采购"

# ---------------------------------------------------------------- table 三
REQUEST_COLUMNS: tuple[Field, ...] = (
    Field("natural_person", "自然人"),
    Field("commercial", "商业企业"),
    Field("research", "科研机构"),
    Field("nonprofit", "社会公益组织"),
    Field("legal_service", "法律服务机构"),
    Field("other_org", "其他"),
    Field("total", "总计"),
)
APPLICANT_COLUMNS = REQUEST_COLUMNS[:-1]  # the six columns summed into `total`
# Label of the group heading above columns 2–6.
LEGAL_PERSON_GROUP = "法人或其他组织"
# Some reports add a 法人小计 column; accepted, not required.
SUBTOTAL_HEADER = r"小计"

G_WITHHELD = "（三）不予公开"
G_UNAVAILABLE = "（四）无法提供"
G_DECLINED = "（五）不予处理"
G_OTHER = "（六）其他处理"

_C = REQUEST_COLUMNS
REQUEST_ROWS: tuple[Row, ...] = (
    Row("received", "一、本年新收政府信息公开申请数量", r"本年新收|新收.{0,6}申请", fields=_C),
    Row("carried_over", "二、上年结转政府信息公开申请数量", r"上年结转", fields=_C),
    Row("granted", "（一）予以公开", r"予以公开", group="三、本年度办理结果", fields=_C),
    Row("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        r"部分公开", group="三、本年度办理结果", fields=_C),
    Row("withheld_state_secret", "1.属于国家秘密", r"国家秘密", group=G_WITHHELD, fields=_C),
    Row("withheld_prohibited", "2.其他法律行政法规禁止公开", r"禁止公开", group=G_WITHHELD, fields=_C),
    Row("withheld_security", "3.危及“三安全一稳定”", r"三安全一稳定|危及", group=G_WITHHELD, fields=_C),
    Row("withheld_third_party", "4.保护第三方合法权益", r"第三方", group=G_WITHHELD, fields=_C),
    Row("withheld_internal", "5.属于三类内部事务信息", r"内部事务", group=G_WITHHELD, fields=_C),
    Row("withheld_deliberative", "6.属于四类过程性信息", r"过程性", group=G_WITHHELD, fields=_C),
    Row("withheld_case_file", "7.属于行政执法案卷", r"执法案卷", group=G_WITHHELD, fields=_C),
    Row("withheld_inquiry", "8.属于行政查询事项", r"查询事项", group=G_WITHHELD, fields=_C),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", r"不掌握", group=G_UNAVAILABLE, fields=_C),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", r"另行制作|没有现成",
        group=G_UNAVAILABLE, fields=_C),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确", r"仍不明确|补正后", group=G_UNAVAILABLE, fields=_C),
    Row("declined_complaint", "1.信访举报投诉类申请", r"信访|举报投诉", group=G_DECLINED, fields=_C),
    Row("declined_repeat", "2.重复申请", r"重复申请", group=G_DECLINED, fields=_C),
    Row("declined_publication", "3.要求提供公开出版物", r"出版物", group=G_DECLINED, fields=_C),
    Row("declined_excessive", "4.无正当理由大量反复申请", r"大量反复", group=G_DECLINED, fields=_C),
    Row("declined_confirmation", "5.要求行政机关确认或重新出具已获取信息", r"重新出具|确认或",
        group=G_DECLINED, fields=_C),
    Row("other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        r"逾期不补正|不补正", group=G_OTHER, fields=_C, templates=("2021",)),
    Row("other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        r"缴纳费用|收费通知", group=G_OTHER, fields=_C, templates=("2021",)),
    Row("other_misc", "3.其他", r"^3\.?其[他它]|(?<![\u4e00-\u9fff])其[他它]$|^\(?3\)?其[他它]$",
        group=G_OTHER, fields=_C, templates=("2021",)),
    # The 2019 template prints （六）其他处理 as one row.
    Row("other", "（六）其他处理", r"其他处理$|其它处理$", fields=_C, templates=("2019",)),
    Row("results_total", "（七）总计", r"总计$|合计$", group="三、本年度办理结果", fields=_C),
    Row("carried_forward", "四、结转下年度继续办理", r"结转下年度|下年度继续", fields=_C),
)
REQUEST_ROW = {r.key: r for r in REQUEST_ROWS}
# Result rows summed into results_total, per template.
RESULT_KEYS = {
    t: tuple(r.key for r in REQUEST_ROWS
             if t in r.templates and r.key not in ("received", "carried_over",
                                                   "results_total", "carried_forward"))
    for t in ("2021", "2019")
}

# ---------------------------------------------------------------- table 四
APPEAL_FIELDS: tuple[Field, ...] = (
    Field("upheld", "结果维持"),
    Field("corrected", "结果纠正"),
    Field("other", "其他结果"),
    Field("pending", "尚未审结"),
    Field("total", "总计"),
)
APPEAL_GROUPS: tuple[Row, ...] = (
    Row("review", "行政复议", r"行政复议", fields=APPEAL_FIELDS),
    Row("suit_direct", "未经复议直接起诉", r"未经复议直接起诉", group="行政诉讼", fields=APPEAL_FIELDS),
    Row("suit_after_review", "复议后起诉", r"复议后起诉", group="行政诉讼", fields=APPEAL_FIELDS),
)

REVIEW = APPEAL_GROUPS[0]  # 行政复议
SUIT_GROUPS = tuple(g for g in APPEAL_GROUPS if g.group)  # the two 行政诉讼 groups
SUIT_LABEL = SUIT_GROUPS[0].group  # “行政诉讼”

# ---------------------------------------------------------------- tables
@dataclass(frozen=True)
class Table:
    key: str  # JSON key under `tables`
    title: str
    section: int
    rows: tuple[Row, ...] = field(default_factory=tuple)


TABLES: tuple[Table, ...] = (
    Table("active", "主动公开政府信息情况", 2, ACTIVE_ROWS),
    Table("active_2019", "主动公开政府信息情况（2019年试行模板）", 2, ACTIVE_2019_ROWS),
    Table("requests", "收到和处理政府信息公开申请情况", 3, REQUEST_ROWS),
    Table("appeals", "政府信息公开行政复议、行政诉讼情况", 4, APPEAL_GROUPS),
)
TABLE = {t.key: t for t in TABLES}


# {(table key, row key): (the row's field keys, their dotted paths)}, in declaration order: how
# the parser, the validator and the renderer name a row's cells, worked out once.
ROW_FIELDS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    (t.key, r.key): (tuple(f.key for f in r.fields), tuple(f"{t.key}.{r.key}.{f.key}" for f in r.fields))
    for t in TABLES for r in t.rows}


def rows_for(table: str, template: str | None) -> tuple[Row, ...]:
    rows = TABLE[table].rows
    if template is None:
        return rows
    return tuple(r for r in rows if template in r.templates)


def active_key(template: str | None) -> str:
    """Table 二's JSON key: the 2019 trial template has its own fields."""
    return "active_2019" if template == "2019" else "active"


def table_no(table: str) -> str:
    """The table's number as printed: 二, 三 or 四 (its section's ordinal)."""
    return CN_ORDINALS[TABLE[table].section - 1]


def row_name(row: Row) -> str:
    """A row's name with its group, e.g. “（三）不予公开·1.属于国家秘密”."""
    return f"{row.group}·{row.label}" if row.group else row.label


def cell_paths(template: str | None) -> list[tuple[str, Row, Field]]:
    """Every figure's dotted JSON path, in template order (CSV columns use this)."""
    active = active_key(template)
    out = []
    for tkey in (active, "requests", "appeals"):
        for row in rows_for(tkey, template):
            for f in row.fields:
                out.append((f"{tkey}.{row.key}.{f.key}", row, f))
    return out


def all_cell_paths() -> list[tuple[str, Row, Field]]:
    """Union over both templates, in a stable order: the column set of bulk exports."""
    seen, out = set(), []
    for template in ("2021", "2019"):
        for path, row, f in cell_paths(template):
            if path not in seen:
                seen.add(path)
                out.append((path, row, f))
    return out


def cell_label(table: str, row: Row, f: Field) -> str:
    """Human label of one cell, e.g. “表三·（一）予以公开·自然人”."""
    return f"表{table_no(table)}·{row.label}·{f.label}"


@lru_cache(maxsize=1)
def _path_labels() -> dict[str, str]:
    return {path: cell_label(path.split(".", 1)[0], row, f) for path, row, f in all_cell_paths()}


def path_label(path: str) -> str:
    """The human label of a dotted cell path; the path itself when it names no cell."""
    return _path_labels().get(path, path)


# ---------------------------------------------------------------- text helpers
def fmt_number(value) -> str:
    """A figure as printed: integers plainly, decimals (up to the fee's 6 places) without trailing zeros."""
    if isinstance(value, float):
        s = f"{value:.6f}".rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    return str(value)


_FOLD = str.maketrans({
    "(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）",
    "．": ".", "。": ".", "、": ".", ",": "，", ":": "：", ";": "；",
    "\u201c": "“", "\u201d": "”", '"': "“",
})
_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """Remove whitespace and fold brackets so labels match however they were spaced."""
    s = _SPACE.sub("", text).translate(_FOLD)
    # Parenthesised ordinals read the same with either bracket style: keep ASCII.
    return s.replace("（", "(").replace("）", ")")

