"""The extracted model: what a document *says*, in the interchange shape.

``Report.to_json()`` is the public face described in ``shared/schema/evaluation-json.md``:
the schema's fields first and exact, plus extra fields (``loc``, ``cells``, ``warnings``)
that point back at the source. Recomputed values never live here: they belong to scoring
and to findings.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from jixiao.accounts.model import FinalAccounts
from jixiao.document import Loc, compact

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


FigureRole = Literal["total", "part", "change", "share", "growth", "completion", "value"]


class Figure(BaseModel):
    """A number stated in the narrative, with the words that lead to it and what it means.

    The meaning is read by ``jixiao.extract.narrative``; links (``of``, ``base``, ``pair``)
    hold the ``id`` of another Figure of the same report and are set only where the text
    states the relation.
    """

    label: str
    value: float
    unit: str | None = None
    decimals: int = 0
    text: str  # the sentence it stands in
    loc: LocDict | None = None
    # meaning
    id: int = 0  # position in Report.figures
    subject: str | None = (
        None  # canonical: 收入总计, 基本支出, 三公经费, 公务接待费, 政府采购支出总额…
    )
    scope: str | None = None  # what narrows the subject: 财政拨款, 一般公共预算财政拨款…
    role: FigureRole = "value"
    period: str | None = None  # 年初预算 | 全年预算 | 预算 | 决算 | 本年 | 上年, where stated
    direction: int | None = None  # a change or growth: +1 增加/增长, -1 减少/下降, 0 持平
    versus: str | None = None  # what a change or growth compares with: 上年 | 预算
    of: int | None = None  # a part's total; the amount a change/growth/share/completion is about
    base: int | None = None  # a share's total; a completion's budget; a change's compared amount
    pair: int | None = None  # a growth rate's change
    base_label: str | None = None  # a share's base as named: 占本年支出合计的 → 本年支出合计
    claim: str | None = None  # the text compares this amount with its base: 大于|小于|等于|持平
    claim_text: str | None = None  # the sentence stating that comparison
    inferred: bool = False  # the subject comes from the sentence or paragraph, not the clause
    paragraph: int | None = None  # index of its paragraph among the narrative's paragraphs
    passage: int | None = None  # paragraphs of one 其中 list (a lead and its items) share it
    sentence: int | None = None  # index of its sentence in the document
    section: str | None = None  # the heading of the section it stands in
    placeholder: bool = False  # a slot left unfilled (``XXX万元``): no number was printed


# the title of a sheet about the department as a whole (部门整体支出绩效自评表 …)
_DEPARTMENT_TITLE = re.compile(r"部门整体|整体支出|(?:部门|单位)[（(]单位[)）]整体|单位整体")


def department_wide(ev: Evaluation) -> bool:
    """A self-evaluation table (with a 项目资金 block) whose title makes it the 部门整体 one
    (``部门整体支出绩效自评表``; not a project's, whatever the project is called): the same
    form as a project's, so read as one, but about the whole department."""
    title = compact(ev.title)
    return (
        ev.kind == "project_self" and bool(_DEPARTMENT_TITLE.search(title)) and "项目" not in title
    )


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
    # the nine 部门决算 tables, when the document has them (printed only then: see to_json)
    accounts: FinalAccounts | None = Field(default=None, exclude=True)

    def to_json(self) -> dict[str, Any]:
        """The interchange object: schema fields in schema order, then the extras."""
        data = tidy_numbers(self.model_dump(mode="json"))
        if self.accounts is not None:
            data["accounts"] = self.accounts.to_json()
        return data


def tidy_numbers(value: Any) -> Any:
    """Integral floats print as integers (``100`` rather than ``100.0``), like the gold files."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: tidy_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tidy_numbers(v) for v in value]
    return value
