"""The indicator grid shared by every scored table: levels, name, target, actual, weight, score.

Rows are read through a ColumnMap. Merged level cells print once, so an empty level cell
continues the one above. Level cells may carry their weight (``产出指标(50分)``), which is
kept apart. OCR places the text of a merged cell in the middle of its span rather than on
its first row; where the table is uncertain, the standard 一级/二级 pairing of the national
framework decides the level-1 name of a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.document import Cell
from jixiao.extract.columns import ColumnMap, header_role
from jixiao.extract.text import compact, split_weight_note, value_or_none
from jixiao.model import Indicator
from jixiao.numbers import parse_number

TOTAL_LABEL = re.compile(
    r"^(总分|总得分|总得分情况|合计得分|得分合计|综合得分|绩效自评综合得分|自评总分|总计|合计)"
    r"([（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）])?$"
)
GRADE_LABEL = re.compile(r"^(评价等次|评价等级|绩效评级|绩效等级|等次|等级|评价结果|自评等级)$")

# 二级 -> 一级 of the national project framework (财预〔2020〕10号 附件)
_STANDARD_LEVEL1 = [
    (re.compile(r"数量|质量|时效|成本"), "产出"),
    (re.compile(r"经济效益|社会效益|生态效益|环境效益|可持续"), "效益"),
    (re.compile(r"满意度"), "满意度"),
]


@dataclass(slots=True)
class GridResult:
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: float | None = None
    total_score: float | None = None
    total_row: list[Cell] | None = None
    expert_scores: list[list[float | None]] = field(default_factory=list)
    row_sums: list[float | None] = field(default_factory=list)
    end: int = 0  # index of the first row after the grid


_MEANINGFUL = re.compile(r"[\u4e00-\u9fff0-9]")


def total_label(row: list[Cell], values: list[str] | None = None) -> re.Match[str] | None:
    """The 总分 label in a row's first meaningful cell (OCR noise like ``)`` is skipped);
    ``values`` are the row's cell values when the caller has them already."""
    if values is None:
        values = [c.value for c in row]
    for k, value in enumerate(values):
        if _MEANINGFUL.search(value):
            return TOTAL_LABEL.match(compact(row[k].text))
    return None


def read_grid(
    rows: list[list[Cell]],
    start: int,
    cmap: ColumnMap,
    uncertain: bool = False,
    stop: re.Pattern[str] | None = None,
    values: list[list[str]] | None = None,
) -> GridResult:
    """Read indicator rows from ``start`` until a total row, a stop label or the table's end
    (``values``: the rows' cell values, when the caller has them already)."""
    out = GridResult(end=len(rows))
    level1: tuple[str | None, float | None] = (None, None)
    level2: tuple[str | None, float | None] = (None, None)
    pending: Indicator | None = None  # an OCR row whose values spilled into the next row
    expert_cols = sorted(cmap.extra)
    for r in range(start, len(rows)):
        row = rows[r]
        # read once: every test below looks at them
        row_values = values[r] if values is not None else [c.value for c in row]
        if not any(row_values):
            continue
        if stop is not None and stop.search(compact(row[0].text if row else "")):
            out.end = r
            break
        if _is_repeated_header(row):
            continue
        aligned = cmap.align(row)
        label = total_label(row, row_values)
        if label or _bare_total(row_values):
            _read_total(out, row, cmap, aligned, label)
            out.total_row = row
            out.end = r + 1
            break
        cells = cmap.pick(aligned)
        l1 = split_weight_note(_text(cells.get("level1")))
        l2 = split_weight_note(_text(cells.get("level2")))
        if l1[0]:
            level1, level2 = l1, (None, None)
        if l2[0]:
            level2 = l2
        name_cell = cells.get("name")
        name = value_or_none(_text(name_cell))
        fields = {role: cells.get(role) for role in _FIELD_ROLES}
        has_data = any(c is not None and value_or_none(c.text) for c in fields.values())
        if pending is not None and not l1[0] and not l2[0] and has_data:
            _fill_spilled(pending, name, fields)  # the second half of a row OCR split in two
            pending = None
            continue
        pending = None
        if not name:
            continue
        level1_name = level1[0]
        if uncertain and level2[0]:
            level1_name = _standard_level1(level2[0], level1_name)
        ind = Indicator(
            level1=level1_name,
            level2=level2[0],
            name=name,
            target=value_or_none(_text(fields["target"])),
            actual=value_or_none(_text(fields["actual"])),
            weight=parse_number(_text(fields["weight"])),
            score=parse_number(_text(fields["score"])),
            note=value_or_none(_text(fields["note"])),
            loc=row[0].loc.row_dict(),
            level1_weight=level1[1] if level1[1] is not None else _num(cells.get("level1_weight")),
            level2_weight=level2[1] if level2[1] is not None else _num(cells.get("level2_weight")),
            criteria=_criteria(cmap, aligned),
        )
        for role, cell in [("name", name_cell), *fields.items()]:
            if cell is not None:
                ind.cells[role] = cell.loc.to_dict()
                if role in ("weight", "score") and cell.value:
                    ind.printed[role] = cell.value
        out.indicators.append(ind)
        if expert_cols:
            out.expert_scores.append([_num(aligned[k]) for k in expert_cols])
            out.row_sums.append(_num(cells.get("rowsum")))
        if uncertain and not has_data:
            pending = ind
    return out


_FIELD_ROLES = ("target", "actual", "weight", "score", "note")


def _criteria(cmap: ColumnMap, aligned: list[Cell | None]) -> str | None:
    """All criteria columns of the row (指标说明 and 评分标准 may both be printed)."""
    texts = [c.value for k in cmap.columns("criteria") if (c := aligned[k]) is not None]
    return "\n".join(t for t in texts if t) or None


def _text(cell: Cell | None) -> str | None:
    return cell.text if cell is not None else None


def _num(cell: Cell | None) -> float | None:
    return parse_number(cell.text) if cell is not None else None


_HEADER_ROLES = frozenset({"level1", "level2", "name", "weight", "score", "target", "actual"})


def _is_repeated_header(row: list[Cell]) -> bool:
    return _names_two_roles(tuple(c.text for c in row))


@lru_cache(maxsize=4096)
def _names_two_roles(texts: tuple[str, ...]) -> bool:
    return len({header_role(t) for t in texts if t.strip()} & _HEADER_ROLES) >= 2


def _bare_total(values: list[str]) -> bool:
    """OCR sometimes drops the 总分 label: a row holding only two numbers, the first 100."""
    texts = [v for v in values if v]
    if len(texts) != 2:
        return False
    return parse_number(texts[0]) == 100 and parse_number(texts[1]) is not None


def _read_total(
    out: GridResult,
    row: list[Cell],
    cmap: ColumnMap,
    aligned: list[Cell | None],
    label: re.Match[str] | None,
) -> None:
    weight_cell = cmap.get(row, "weight", aligned)
    score_cell = cmap.get(row, "score", aligned)
    out.total_weight = _num(weight_cell)
    out.total_score = _num(score_cell)
    if label and label.group(3):
        out.total_weight = float(label.group(3))
    if out.total_score is None or (label is None and out.total_weight is None):
        # not aligned with the header (OCR, or a label spanning columns): numbers in order
        nums = [n for n in (parse_number(c.text) for c in row if c.value) if n is not None]
        if label and label.group(3):
            nums = [float(label.group(3)), *nums] if nums else nums
        if len(nums) >= 2:
            out.total_weight, out.total_score = nums[0], nums[-1] if len(nums) == 2 else nums[1]
        elif len(nums) == 1:
            out.total_score = nums[0]
    if cmap.extra:
        out.expert_scores.append([_num(aligned[k]) for k in sorted(cmap.extra)])
        out.row_sums.append(_num(cmap.get(row, "rowsum", aligned)))


def _fill_spilled(ind: Indicator, name: str | None, fields: dict[str, Cell | None]) -> None:
    if name:
        ind.name = f"{ind.name} {name}"
    ind.target = ind.target or value_or_none(_text(fields["target"]))
    ind.actual = ind.actual or value_or_none(_text(fields["actual"]))
    ind.weight = ind.weight if ind.weight is not None else _num(fields["weight"])
    ind.score = ind.score if ind.score is not None else _num(fields["score"])
    ind.note = ind.note or value_or_none(_text(fields["note"]))


def _standard_level1(level2: str, current: str | None) -> str | None:
    for pattern, stem in _STANDARD_LEVEL1:
        if pattern.search(level2):
            if current and current.startswith(stem):
                return current
            return f"{stem}指标"
    return current
