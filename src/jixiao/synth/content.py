"""What a sample report says, as data: the single source every format and the truth derive from.

All departments, projects, people and numbers are invented (the regions are called 示例市 /
示例省 so nobody mistakes them for real ones).

Values that people type are stored as printed (a rate, a score, an amount). Values that are
sums of other printed values (总分, an expert's 合计, a level-1 weight note) are derived, unless
a planted error overrides them in ``EvalTable.overrides``: so a planted error breaks exactly the
identity it names and nothing downstream of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from jixiao.synth.fmt import q2

Kind = Literal["project_self", "department_self", "project_review", "expert_panel"]
FundSource = Literal["total", "fiscal", "carryover", "other"]
Family = Literal["funds", "scores", "rubric", "narrative", "units", "consistency"]

TITLES: dict[str, str] = {
    "project_self": "项目支出绩效自评表",
    "project_review": "项目支出绩效评分表",
    "expert_panel": "专家评分汇总表",
    "department_self": "部门整体支出绩效评价评分表",
}
FUND_LABELS: dict[str, str] = {
    "total": "年度资金总额",
    "fiscal": "其中：当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}
FUND_WEIGHT = 10.0  # the 预算执行率 row of the self-evaluation table


@dataclass
class FundLine:
    """One row of the 项目资金 block; amounts in the table's money unit, rate in percent."""

    source: FundSource
    initial_budget: float | None = None
    annual_budget: float | None = None
    executed: float | None = None
    weight: float | None = None
    rate: float | None = None
    score: float | None = None


@dataclass
class IndicatorRow:
    """One scored row. ``score`` is as printed; for an expert panel it is the 平均分."""

    level1: str
    level2: str
    name: str
    weight: float
    score: float = 0.0
    target: str | None = None
    actual: str | None = None
    note: str | None = None  # 偏差原因分析及改进措施 / 扣分原因
    rule: str | None = None  # 评分标准 (review and department sheets)
    expert_scores: list[float] = field(default_factory=list)


@dataclass
class EvalTable:
    """One scored table and the paragraphs printed just before it."""

    kind: Kind
    subject: str
    indicators: list[IndicatorRow]
    intro: list[str] = field(default_factory=list)
    title: str = ""
    competent_dept: str | None = None
    implementing_unit: str | None = None
    money_unit: str | None = None
    funds: list[FundLine] = field(default_factory=list)
    goal: str | None = None  # "\n" inside = a multi-line cell
    goal_actual: str | None = None
    experts: list[str] = field(default_factory=list)
    level1_notes: bool = True  # print 产出指标（50分）rather than 产出指标
    level2_notes: bool = False
    overrides: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.title = self.title or TITLES[self.kind]

    # -- derived printed values ------------------------------------------------------------
    def level1_weight(self, level1: str) -> float:
        default = sum(i.weight for i in self.indicators if i.level1 == level1)
        return self.overrides.get(f"level1_weight[{level1}]", q2(default))

    def level2_weight(self, level1: str, level2: str) -> float:
        rows = [i for i in self.indicators if i.level1 == level1 and i.level2 == level2]
        return q2(sum(i.weight for i in rows))

    def total_weight(self) -> float:
        funds = sum(f.weight or 0 for f in self.funds)
        return q2(funds + sum(i.weight for i in self.indicators))

    def row_sums(self) -> list[float]:
        """Expert panels: the 合计 column."""
        return [
            self.overrides.get(f"row_sums[{k}]", q2(sum(i.expert_scores)))
            for k, i in enumerate(self.indicators)
        ]

    def expert_totals(self) -> list[float]:
        """Expert panels: each expert's 总分."""
        return [
            self.overrides.get(
                f"experts[{j}].total", q2(sum(i.expert_scores[j] for i in self.indicators))
            )
            for j in range(len(self.experts))
        ]

    def total_sum(self) -> float:
        """Expert panels: the 合计 of the 总分 row, from the scores themselves (so a wrong
        expert total or row sum stays a single error)."""
        default = q2(sum(sum(i.expert_scores) for i in self.indicators))
        return self.overrides.get("total_sum", default)

    def total_score(self) -> float:
        if "total_score" in self.overrides:
            return self.overrides["total_score"]
        if self.kind == "expert_panel":
            return q2(self.total_sum() / len(self.experts))
        funds = sum(f.score or 0 for f in self.funds)
        return q2(funds + sum(i.score for i in self.indicators))


@dataclass
class Narrative:
    """Figures of the 部门决算说明, in 万元 unless ``units`` says otherwise (a planted slip)."""

    income_total: float  # 收入总计
    expense_total: float  # 支出总计 (balances 收入总计)
    last_total: float  # 上年收支总计
    change: float  # 较上年增减, signed
    growth: float  # 增长率 in percent, signed
    spend: float  # 本年支出合计
    basic: float  # 基本支出
    basic_share: float
    project: float  # 项目支出
    project_share: float
    carry_end: float  # 年末结转和结余
    three_public_budget: float
    three_public_final: float
    three_public_rate: float  # 完成预算的 %
    three_public_abroad: float
    three_public_vehicle: float
    three_public_reception: float
    procurement_total: float
    procurement_goods: float
    procurement_works: float
    procurement_services: float
    procurement_sme: float  # 授予中小企业合同金额
    procurement_sme_share: float
    reason_change: str = "业务工作任务调整，相应经费有所变化"
    reason_three_public: str = "严格执行厉行节约有关规定，压减一般性支出"
    units: dict[str, str] = field(default_factory=dict)

    def unit(self, name: str) -> str:
        return self.units.get(name, "万元")


@dataclass(frozen=True)
class PlantedError:
    """A deliberate arithmetic error. ``where`` is a path into the truth JSON
    (``evaluations[0].funds[0].rate``) or a narrative field (``narrative.basic_share``);
    ``row_sums[k]``/``total_sum`` name an expert panel's 合计 column (a model extra)."""

    check_family: Family
    where: str
    printed: str
    correct: str
    description: str


@dataclass
class SampleReport:
    stem: str  # ASCII file stem, e.g. shiyan-shichang-2023
    entity: str
    year: int
    narrative: Narrative
    tables: list[EvalTable]
    planted: list[PlantedError] = field(default_factory=list)


# -- builders that keep derived figures consistent ---------------------------------------------

Amounts = tuple[float, float, float]  # 年初预算数, 全年预算数, 全年执行数


def _rate(executed: float | None, annual: float | None) -> float | None:
    if executed is None or not annual:
        return None
    return q2(executed / annual * 100)


def make_funds(
    fiscal: Amounts, carryover: Amounts | None = None, other: Amounts | None = None
) -> list[FundLine]:
    """The four fund rows; the total row is the column sums, its rate and score computed."""
    parts: list[tuple[FundSource, Amounts | None]] = [
        ("fiscal", fiscal),
        ("carryover", carryover),
        ("other", other),
    ]
    lines = [FundLine("total")]
    for source, amounts in parts:
        line = FundLine(source)
        if amounts is not None:
            line.initial_budget, line.annual_budget, line.executed = amounts
            line.rate = _rate(line.executed, line.annual_budget)
        lines.append(line)
    total = lines[0]
    total.initial_budget = q2(sum(a[0] for _, a in parts if a))
    total.annual_budget = q2(sum(a[1] for _, a in parts if a))
    total.executed = q2(sum(a[2] for _, a in parts if a))
    total.weight = FUND_WEIGHT
    total.rate = _rate(total.executed, total.annual_budget)
    total.score = funds_score(total.executed, total.annual_budget)
    return lines


def funds_score(executed: float, annual: float, weight: float = FUND_WEIGHT) -> float:
    """score = min(执行数 ÷ 全年预算数, 1) × 分值 (财预〔2020〕10号)."""
    return q2(min(executed / annual, 1.0) * weight)


def set_expert_means(table: EvalTable) -> None:
    """Expert panels: each row's printed 平均分 from its experts' scores."""
    n = len(table.experts)
    for row in table.indicators:
        row.score = q2(sum(row.expert_scores) / n)


def make_narrative(
    *,
    total: float,
    last_total: float,
    spend: float,
    basic: float,
    three_public_budget: float,
    three_public: tuple[float, float, float],
    procurement: tuple[float, float, float],
    procurement_sme: float,
    reason_change: str,
    reason_three_public: str,
) -> Narrative:
    """A 决算说明 whose figures all agree: shares, growth and completion from the amounts."""
    abroad, vehicle, reception = three_public
    goods, works, services = procurement
    project = q2(spend - basic)
    tp_final = q2(abroad + vehicle + reception)
    proc_total = q2(goods + works + services)
    change = q2(total - last_total)
    return Narrative(
        income_total=total,
        expense_total=total,
        last_total=last_total,
        change=change,
        growth=q2(change / last_total * 100),
        spend=spend,
        basic=basic,
        basic_share=q2(basic / spend * 100),
        project=project,
        project_share=q2(project / spend * 100),
        carry_end=q2(total - spend),
        three_public_budget=three_public_budget,
        three_public_final=tp_final,
        three_public_rate=q2(tp_final / three_public_budget * 100),
        three_public_abroad=abroad,
        three_public_vehicle=vehicle,
        three_public_reception=reception,
        procurement_total=proc_total,
        procurement_goods=goods,
        procurement_works=works,
        procurement_services=services,
        procurement_sme=procurement_sme,
        procurement_sme_share=q2(procurement_sme / proc_total * 100),
        reason_change=reason_change,
        reason_three_public=reason_three_public,
    )


# -- entry points ------------------------------------------------------------------------------


def sample_reports(correct: bool = False) -> list[SampleReport]:
    """The three hand-written samples; by default each carries its planted errors."""
    # imported here: those modules build on the dataclasses above
    from jixiao.synth.samples import build_samples

    return build_samples(correct=correct)


def random_report(seed: int, correct: bool = True) -> SampleReport:
    """A varied, valid report drawn from ``random.Random(seed)``; with ``correct=False``
    two errors are planted in it."""
    from jixiao.synth.randomgen import build_random

    return build_random(seed, correct=correct)
