"""The extracted model: what a document *says*, in the interchange shape.

``Report.to_json()`` is the public face described in ``shared/schema/evaluation-json.md``:
the schema's fields first and exact, plus extra fields (``loc``, ``cells``, ``warnings``)
that point back at the source. Recomputed values never live here: they belong to scoring
and to findings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from jixiao.document import Loc

Kind = Literal["project_self", "department_self", "project_review", "expert_panel"]
FundSource = Literal["total", "fiscal", "carryover", "other"]

LocDict = dict[str, Any]


def loc_dict(loc: Loc | None) -> LocDict | None:
    return loc.to_dict() if loc is not None else None


class FundRow(BaseModel):
    source: FundSource
    initial_budget: float | None = None
    annual_budget: float | None = None
    executed: float | None = None
    weight: float | None = None
    rate: float | None = None
    score: float | None = None
    # extras: where the row and each printed value stand, and the printed text of each
    loc: LocDict | None = None
    cells: dict[str, LocDict] = Field(default_factory=dict)
    printed: dict[str, str] = Field(default_factory=dict)


class Indicator(BaseModel):
    level1: str | None = None
    level2: str | None = None
    name: str
    target: str | None = None
    actual: str | None = None
    weight: float | None = None
    score: float | None = None
    note: str | None = None
    loc: LocDict | None = None
    # extras
    criteria: str | None = None  # the 评分标准 / 指标说明 printed in the row, if any
    cells: dict[str, LocDict] = Field(default_factory=dict)
    printed: dict[str, str] = Field(default_factory=dict)
    # the level-1 / level-2 weights printed in their cells, e.g. ``产出指标(50分)`` -> 50
    level1_weight: float | None = None
    level2_weight: float | None = None


class Expert(BaseModel):
    name: str
    scores: list[float | None]
    total: float | None = None
    loc: LocDict | None = None


class Evaluation(BaseModel):
    kind: Kind
    title: str
    subject: str | None = None
    competent_dept: str | None = None
    implementing_unit: str | None = None
    money_unit: Literal["万元", "元"] | None = None
    funds: list[FundRow] = Field(default_factory=list)
    goal: str | None = None
    goal_actual: str | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    total_weight: float | None = None
    total_score: float | None = None
    grade: str | None = None
    experts: list[Expert] = Field(default_factory=list)
    # extras
    loc: LocDict | None = None
    cells: dict[str, LocDict] = Field(default_factory=dict)
    # expert panels: the 合计 column (sum over experts) and the 平均分 column as printed
    row_sums: list[float | None] = Field(default_factory=list)
    uncertain: bool = False


class Figure(BaseModel):
    """A number stated in the narrative, with the words that lead to it."""

    label: str
    value: float
    unit: str | None = None
    decimals: int = 0
    text: str  # the sentence it stands in
    loc: LocDict | None = None


Severity = Literal["error", "warning", "info"]


class Finding(BaseModel):
    """One inconsistency, with the evidence to send back to the department."""

    check: str  # stable id, e.g. ``funds.rate_mismatch``
    severity: Severity  # error = 确定矛盾, warning = 疑似, info = 提示
    message: str  # Chinese, one sentence, names both numbers
    loc: LocDict | None = None  # where the reported value stands (1-based line range for text)
    evidence: str | None = None  # the source text quoted
    reported: str | None = None  # the value as printed
    expected: str | None = None  # what the arithmetic or the rule gives
    # extras
    evaluation: int | None = None  # index into report.evaluations, when the finding is in one
    related: list[LocDict] = Field(default_factory=list)  # the other values the check read


class Report(BaseModel):
    source: str
    entity: str | None = None
    year: int | None = None
    evaluations: list[Evaluation] = Field(default_factory=list)
    # extras
    format: str | None = None
    warnings: list[str] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The interchange object: schema fields in schema order, then the extras."""
        return tidy_numbers(self.model_dump(mode="json"))


def tidy_numbers(value: Any) -> Any:
    """Integral floats print as integers (``100`` rather than ``100.0``), like the gold files."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: tidy_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tidy_numbers(v) for v in value]
    return value
