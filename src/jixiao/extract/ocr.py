"""Recovering tables that OCR broke: flattened into one line, or cut off from their header.

* An OCR tool sometimes prints a whole 自评表 as one heading line: labels and values in
  reading order. The funds block survives this well (``年度资金总额`` followed by its six
  numbers), and so do the title, the project name (printed before its label) and the unit.
* The rest of such a table, or the second half of a table split by the OCR, comes as a
  table without a header. The national 自评表 has a fixed column order (一级 | 二级 | 三级 |
  指标值 | 完成值 | 分值 | 得分 | 偏差原因), so the column where the 二级 names stand fixes the
  others.

Everything read here is marked ``uncertain``.
"""

from __future__ import annotations

import re

from jixiao.document import Paragraph, Table
from jixiao.extract.columns import ColumnMap
from jixiao.extract.grid import GridResult, read_grid
from jixiao.extract.text import compact
from jixiao.model import Evaluation, FundRow, loc_dict
from jixiao.numbers import parse_number

_LEVEL2 = re.compile(
    r"^(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度)指标"
)
_NUMBER = re.compile(r"\d[\d,，.]*%?")
_FLAT = re.compile(
    r"(?P<title>\S*自评表)\s*[（(]\s*\d[\d\s]*年度\s*[)）]\s*(?P<subject>.*?)\s*项目名称\s*(?P<dept>\S*?)\s*主管部门"
)
_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[)）]")
_STANDARD_ROLES = ["level1", "level2", "name", "target", "actual", "weight", "score", "note"]


def flattened_self_eval(para: Paragraph) -> Evaluation | None:
    text = para.value
    if "年度资金总额" not in text or "自评表" not in text:
        return None
    head = _FLAT.search(text)
    ev = Evaluation(kind="project_self", title="", loc=loc_dict(para.loc), uncertain=True)
    if head:
        ev.title = head.group("title")
        ev.subject = head.group("subject") or None
        ev.competent_dept = head.group("dept") or None
    unit = _UNIT.search(text)
    ev.money_unit = unit.group(1) if unit else None  # type: ignore[assignment]
    total = _numbers_after(text, "年度资金总额", 6)
    fiscal = _numbers_after(text, "当年财政拨款", 4)
    ev.funds = [
        _fund(
            "total",
            total,
            ("initial_budget", "annual_budget", "executed", "weight", "rate", "score"),
            para,
        ),
        _fund("fiscal", fiscal, ("initial_budget", "annual_budget", "executed", "rate"), para),
        FundRow(source="carryover", loc=loc_dict(para.loc)),
        FundRow(source="other", loc=loc_dict(para.loc)),
    ]
    return ev


def _numbers_after(text: str, label: str, count: int) -> list[str]:
    at = text.find(label)
    if at < 0:
        return []
    tokens = text[at + len(label) :].split()
    out: list[str] = []
    for token in tokens:
        if _NUMBER.fullmatch(token):
            out.append(token)
            if len(out) == count:
                break
        elif out:
            break
    return out


def _fund(source: str, values: list[str], fields: tuple[str, ...], para: Paragraph) -> FundRow:
    fund = FundRow(source=source, loc=loc_dict(para.loc))  # type: ignore[arg-type]
    for field, value in zip(fields, values, strict=False):
        setattr(fund, field, parse_number(value))
        fund.printed[field] = value
    return fund


def headerless_grid(table: Table) -> GridResult | None:
    """Indicator rows of a self-evaluation table whose header is elsewhere."""
    hits: dict[int, int] = {}
    for row in table.rows:
        for k, cell in enumerate(row):
            if _LEVEL2.match(compact(cell.text)):
                hits[k] = hits.get(k, 0) + 1
    if not hits:
        return None
    col = max(hits, key=lambda k: hits[k])
    if hits[col] < 2 or col < 1:
        return None
    width = max(len(r) for r in table.rows)
    roles: list[str | None] = [None] * width
    for offset, role in enumerate(_STANDARD_ROLES, start=col - 1):
        if offset < width:
            roles[offset] = role
    grid = read_grid(table.rows, 0, ColumnMap(roles, grid_known=False), uncertain=True)
    return grid if grid.indicators else None


def attach(ev: Evaluation, grid: GridResult) -> None:
    """Append a continuation's indicators; its total counts when the table had none."""
    ev.indicators.extend(grid.indicators)
    if ev.total_score is None and grid.total_score is not None:
        ev.total_weight, ev.total_score = grid.total_weight, grid.total_score
    ev.uncertain = True
