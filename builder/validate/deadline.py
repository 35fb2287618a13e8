"""Publication deadline of 《政府信息公开条例》(2019) art. 49, by kind of agency."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from . import figures as F
from .registry import rule

# 乡镇人民政府 and 街道办事处: no statutory date; most provinces ask for 31 January.
_TOWNSHIP = re.compile(r"(?:乡|镇|苏木|街道)(?:人民政府|政府|办事处)$|街道办事处$|街道办$")
# A people's government at county level or above (not one of its departments).
_GOVERNMENT = re.compile(r"(?:省|自治区|市|州|盟|地区|县|区|旗|特区|林区)(?:人民政府|政府)$")


@dataclass(frozen=True, eq=False)  # three kinds, each one object: compared and hashed by identity
class Kind:
    name: str  # Chinese, for the message
    month: int
    day: int
    basis: str  # why this deadline
    late: str  # status when late


TOWNSHIP = Kind("乡镇人民政府、街道办事处", 1, 31,
                "条例未规定乡镇、街道的期限，多数地方要求与政府部门相同，于每年1月31日前公布", "warn")
GOVERNMENT = Kind("县级以上地方人民政府", 3, 31,
                  "条例第四十九条：县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前"
                  "向社会公布本级政府上一年度的年度报告", "fail")
DEPARTMENT = Kind("县级以上人民政府部门", 1, 31,
                  "条例第四十九条：县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门"
                  "提交上一年度的年度报告并向社会公布", "fail")


@lru_cache(maxsize=4096)  # an agency reports every year
def agency_kind(name: str | None) -> Kind | None:
    if not name:
        return None
    s = re.sub(r"\s+", "", name)
    if _TOWNSHIP.search(s):
        return TOWNSHIP
    if _GOVERNMENT.search(s):
        return GOVERNMENT
    return DEPARTMENT


@rule("deadline.art49", "deadline", "按期发布（条例第四十九条）",
      "以报告落款日期核对发布期限。《中华人民共和国政府信息公开条例》第四十九条规定：县级以上人民政府部门"
      "应当在每年1月31日前公布本机关上一年度的年度报告；县级以上地方人民政府的政府信息公开工作主管部门"
      "应当在每年3月31日前公布本级政府上一年度的年度报告。乡镇人民政府、街道办事处由各地规定，"
      "多按1月31日执行。机关类别按名称判断（“××县人民政府”“××镇人民政府”“××局”等）。"
      "部门和县级以上政府晚于法定期限记为错误；乡镇、街道晚于1月31日只给警告，因为这是地方规定；"
      "落款日期早于统计年度结束给警告（多为笔误）；报告没有落款日期时为“无法核对”。",
      ("pass", "warn", "fail", "unknown"))
def art49(rule_, record):
    year = record.get("year")
    kind = agency_kind(record.get("agency") or record.get("agency_in_title"))
    published = record.get("published")
    if not isinstance(year, int):
        return [rule_.finding("unknown", "报告年度不明，无法确定发布期限")]
    if kind is None:
        return [rule_.finding("unknown", "无法确定发布机关，无法确定适用的发布期限")]
    return [rule_.finding(*_verdict(year, kind, published))]


@lru_cache(maxsize=4096, typed=True)  # reports of one year are signed on a few dozen days
def _verdict(year: int, kind: Kind, published) -> tuple[str, str]:
    """(status, message) for a report on `year` by an agency of `kind`, signed on `published`."""
    deadline = datetime.date(year + 1, kind.month, kind.day)
    if not published:
        return "unknown", f"报告没有落款日期，无法核对；{kind.name}的期限为{F.cn_date(deadline)}（{kind.basis}）"
    try:
        date = datetime.date.fromisoformat(published)
    except ValueError:
        return "unknown", f"落款日期“{published}”无法识别，无法核对"
    if date.year <= year:
        return "warn", f"落款日期{F.cn_date(date)}早于{year}年度结束，统计尚未完成，可能是日期笔误"
    if date <= deadline:
        return "pass", f"落款日期{F.cn_date(date)}，不晚于{kind.name}的期限{F.cn_date(deadline)}（{kind.basis}）"
    days = (date - deadline).days
    return kind.late, f"落款日期{F.cn_date(date)}，晚于{kind.name}的期限{F.cn_date(deadline)}{days}天（{kind.basis}）"
