"""Column roles from header keywords, and data cells aligned to them.

A scored table says what each column is in its header: ``三级指标``, ``年度指标值``,
``分值``, ``自评得分`` … Headers differ from province to province and may span several rows
(``一级指标`` above ``名称 | 参考分值``), so roles come from keywords, not positions, and a
``分值`` column right of a level column is that level's weight.

Data rows are matched to the header by grid column when the format knows its grid (DOCX,
XLSX, HTML, PDF). Text exports only know the order of cells: a row as long as the header is
read by position; a shorter row (a label cell spanning several columns, like ``总分``) is
read from the right, where the numbers are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.document import Cell
from jixiao.extract.text import compact
from jixiao.numbers import parse_number

# Checked in this order: the first pattern that matches a header cell names its role.
_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("note", re.compile(r"偏差原因|扣分原因|扣分情况|原因分析|扣分说明|改进措施|^备注$|^说明$")),
    (
        "criteria",
        re.compile(
            r"评分标准|评价标准|评分细则|指标说明|具体指标|指标解释|评分办法|计算公式|指标定义"
        ),
    ),
    ("rowsum", re.compile(r"^合计$|^小计$|^总计$")),
    (
        "target",
        re.compile(r"指标值|目标值|指标（目标）值|指标\(目标\)值|^年度目标$|^绩效目标$|^目标$"),
    ),
    # not 实际完成率: that is an indicator name (a rate), not the column of actual values
    ("actual", re.compile(r"完成值|实际完成(?!率)|^实际值$|^完成情况$|^实际$")),
    ("score", re.compile(r"得分|^评分$|平均分|^分数$")),
    ("weight", re.compile(r"分值|权重|^满分$|^标准分$")),
    ("level1", re.compile(r"^一级(指标)?$|^一级指标")),
    ("level2", re.compile(r"^二级(指标)?$|^二级指标")),
    ("name", re.compile(r"^三级(指标)?$|^三级指标|^指标内容$|^指标名称$|^绩效指标$|^评价内容$")),
]
LEVEL_ROLES = ("level1", "level2", "name")
_WEIGHT_OF = {"level1": "level1_weight", "level2": "level2_weight", "name": "weight"}


def header_role(text: str) -> str | None:
    return role_of_key(compact(text))


@lru_cache(maxsize=4096)
def role_of_key(key: str) -> str | None:
    """``header_role`` of a text already compacted."""
    if not key or len(key) > 24:
        return None
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(key):
            return role
    return None


@dataclass(slots=True)
class ColumnMap:
    """Which column holds what: ``roles[k]`` is the role of column ``k``.

    Columns are grid columns when the format knows its grid, else physical cell indices.
    """

    roles: list[str | None]
    grid_known: bool
    header_rows: int = 1
    extra: dict[int, str] = field(default_factory=dict)  # expert columns: index -> heading
    # memos: rows of one table repeat the same shapes, and the recognizers ask per cell
    _placements: dict[tuple, tuple[int, int]] = field(default_factory=dict, repr=False)
    _columns: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def has(self, role: str) -> bool:
        return role in self.roles

    def index(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def align(self, row: list[Cell]) -> list[Cell | None]:
        """For each column, the data cell that starts there (None where there is none)."""
        n = len(self.roles)
        if self.grid_known:
            out: list[Cell | None] = [None] * n
            for cell in row:
                if cell.col < n:
                    out[cell.col] = cell
            return out
        if len(row) >= n:
            return list(row[:n])
        return self._align_short(row)

    def _align_short(self, row: list[Cell]) -> list[Cell | None]:
        """A row with fewer cells than the header: some cell spans several columns.

        Put the missing columns where the row fits best: numbers under numeric columns, words
        under text columns. Ties go to the earliest gap after the first cell (a spanning
        label such as ``总分`` stands at the left).
        """
        n = len(self.roles)
        kinds = tuple(_cell_kind(c.text) for c in row)
        key = (kinds, tuple(self.extra))
        placement = self._placements.get(key)
        if placement is None:
            placement = self._placements[key] = _best_placement(
                tuple(self.roles), frozenset(self.extra), kinds
            )
        at, gap = placement
        out: list[Cell | None] = list(row[:at]) + [None] * gap + list(row[at:])
        out += [None] * (n - len(out))
        return out[:n]

    def get(
        self, row: list[Cell], role: str, aligned: list[Cell | None] | None = None
    ) -> Cell | None:
        """The first cell under a column of this role that holds text (or the first at all)."""
        cells = aligned if aligned is not None else self.align(row)
        first = None
        for k in self.columns(role):
            if (c := cells[k]) is not None:
                if c.value:
                    return c
                first = first or c
        return first

    def columns(self, role: str) -> list[int]:
        """The columns of this role, left to right."""
        columns = self._columns.get(role)
        if columns is None:
            columns = self._columns[role] = [k for k, r in enumerate(self.roles) if r == role]
        return columns

    def pick(self, aligned: list[Cell | None]) -> dict[str, Cell]:
        """``get`` for every role at once (one pass over the row): role -> its cell."""
        found: dict[str, Cell] = {}
        with_text: set[str] = set()
        for role, cell in zip(self.roles, aligned, strict=False):
            if role is None or cell is None or role in with_text:
                continue
            if cell.value:
                found[role] = cell
                with_text.add(role)
            elif role not in found:
                found[role] = cell
        return found


@lru_cache(maxsize=4096)  # the tables of one form repeat their header and row shapes
def _best_placement(
    roles: tuple[str | None, ...], extra: frozenset[int], kinds: tuple[str, ...]
) -> tuple[int, int]:
    """Where the gap goes (index, width) for a row of these cell kinds under these columns
    (``extra``: the expert columns)."""
    n = len(roles)
    best, best_at, best_gap = None, 0, n - len(kinds)
    # a gap in the row, and perhaps one missing cell at its end (a dropped empty last cell)
    for tail in (0, 1):
        gap = n - len(kinds) - tail
        if gap < 0:
            continue
        for at in [1, 0, *range(2, len(kinds) + 1)]:
            fit = sum(
                _fit(
                    kind,
                    roles[i if i < at else i + gap],
                    (i if i < at else i + gap) in extra,
                )
                for i, kind in enumerate(kinds)
            )
            if best is None or fit > best:
                best, best_at, best_gap = fit, at, gap
    return best_at, best_gap


_NUMERIC_ROLES = {"weight", "score", "level1_weight", "level2_weight", "rowsum"}
_TEXT_ROLES = {"level1", "level2", "name", "criteria", "note"}


@lru_cache(maxsize=1 << 16)
def _cell_kind(text: str) -> str:
    if not text.strip():
        return "empty"
    return "number" if parse_number(text) is not None else "text"


def _fit(kind: str, role: str | None, expert: bool) -> int:
    if kind == "empty" or (role is None and not expert):
        return 0
    numeric = expert or role in _NUMERIC_ROLES
    if kind == "number":
        return 1 if numeric else (-1 if role in _TEXT_ROLES else 0)
    return -1 if numeric else (1 if role in _TEXT_ROLES else 0)


def build_column_map(header: list[list[Cell]], grid_known: bool) -> ColumnMap:
    """Combine header rows into column roles: earlier rows in ``header`` win, later ones fill gaps."""
    if grid_known:
        width = max(c.col + c.colspan for r in header for c in r)
        roles: list[str | None] = [None] * width
        for row in header:
            for cell in row:
                role = header_role(cell.text)
                for k in range(cell.col, min(cell.col + cell.colspan, width)):
                    roles[k] = roles[k] or role
    else:
        width = max(len(r) for r in header)
        roles = [None] * width
        for row in header:
            for k, cell in enumerate(row[:width]):
                roles[k] = roles[k] or header_role(cell.text)
    _weights_by_adjacency(roles)
    return ColumnMap(roles, grid_known, header_rows=len(header))


def _weights_by_adjacency(roles: list[str | None]) -> None:
    """``分值`` right of a level column is that level's weight; the name's weight stays ``weight``."""
    weights = [k for k, r in enumerate(roles) if r == "weight"]
    if len(weights) <= 1:
        return
    for k in weights:
        left = next((roles[j] for j in range(k - 1, -1, -1) if roles[j] is not None), None)
        if left in _WEIGHT_OF:
            roles[k] = _WEIGHT_OF[left]


def is_header_row(row: list[Cell]) -> bool:
    roles = {header_role(c.text) for c in row} - {None}
    core = roles & {"level1", "level2", "name", "target", "actual", "weight", "score"}
    return len(core) >= 2 or (
        len(roles & {"level1", "level2", "name"}) >= 1 and len(core) >= 1 and len(row) >= 3
    )


_GENERIC_HEADINGS = {"名称", "指标名称", "评价指标", "指标", "绩效指标", "考核指标"}


def continues_header(row: list[Cell]) -> bool:
    """Another header row: only headings (名称 / 参考分值 / role words), no data."""
    texts = [compact(c.text) for c in row if compact(c.text)]
    if not texts:
        return False
    return all(t in _GENERIC_HEADINGS or header_role(t) is not None for t in texts)
