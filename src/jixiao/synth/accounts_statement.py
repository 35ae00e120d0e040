"""The 决算情况说明 of a generated 部门决算: the tables' figures in words, every one right.

Written from a sample's tables (hundredths of a 万元, exact integers) in the wording of the
Shanghai template the Putuo reports use: totals, shares rounded half up to two decimals,
changes against invented figures of the year before with their growth rates, the 项 passages
with budget, 决算, completion rate and a reason wherever the two differ, the 三公 paragraph
and the 截至 date of the assets. ``plant_statement`` puts one error into the words.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from jixiao.accounts.codes import FUNCTION_CLASSES
from jixiao.synth.layout import Para

__all__ = ["STATEMENT_PLANTS", "Statement", "build_statement", "plant_statement"]

_REASONS = (
    "严格落实过紧日子要求，压减一般性支出",
    "人员变动导致人员经费减少",
    "部分项目按进度支付，尚未全部结算",
)


def amount(hundredths: int) -> str:
    return f"{Decimal(hundredths) / 100:.2f}"


def rate(part: int, base: int) -> str:
    """``part / base`` in percent, two decimals, rounded half up (exact on integers)."""
    value = Decimal(part) * 100 / Decimal(base)
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


class Statement:
    """The 说明's paragraphs, with the item passages kept apart so plants can reach them."""

    def __init__(self) -> None:
        self.paras: list[Para] = []
        self.items: list[dict] = []  # per 项: index of its passage, budget, final, names

    def heading(self, text: str) -> None:
        self.paras.append(Para(text, "heading"))

    def body(self, text: str) -> int:
        self.paras.append(Para(text))
        return len(self.paras) - 1


def _line(lines, **match):  # the first table line with these attributes
    return next(x for x in lines if all(getattr(x, k) == v for k, v in match.items()))


def _change(subject: str, now: int, year: int, rng: random.Random, lead: str = "与") -> str:
    """``与2023年度相比，<subject>增加 X 万元，增长 Y%。`` against an invented previous year."""
    delta = rng.randint(1_000, max(1_001, now // 5))
    up = rng.random() < 0.5
    before = now - delta if up else now + delta
    if before <= 0:
        up, before = False, now + delta
    word, grow = ("增加", "增长") if up else ("减少", "下降")
    compared = f"与{year - 1}年度相比，{subject}" if lead == "与" else f"比{year - 1}年度"
    return f"{compared}{word}{amount(delta)}万元，{grow}{rate(delta, before)}"


def _shares(parts: list[tuple[str, int | None]], whole: int) -> str:
    return "；".join(f"{name}{amount(v)}万元，占{rate(v, whole)}" for name, v in parts if v)


def build_statement(sample, rng: random.Random) -> Statement:
    """The 说明 of ``sample`` (an ``AccountsSample``), all figures consistent with its tables."""
    t = sample.tables
    e, y = sample.entity, sample.year
    s = Statement()
    s.heading(f"第三部分 {e} {y} 年度部门决算情况说明")

    s.heading("一、收入支出决算总体情况说明")
    grand = _line(t["income_expense_total"], role="total", side="income").values["final"]
    s.body(
        f"{e}{y}年度收入支出总计{amount(grand)}万元。{_change('收入支出总计', grand, y, rng)}。"
        f"主要原因：{rng.choice(_REASONS)}。"
    )

    s.heading("二、收入决算情况说明")
    inc = _line(t["income"], role="total").values
    text = _shares([("财政拨款收入", inc["fiscal"]), ("其他收入", inc["other"])], inc["total"])
    s.body(f"本年收入合计{amount(inc['total'])}万元，其中：{text}。")

    s.heading("三、支出决算情况说明")
    exp = _line(t["expense"], role="total").values
    text = _shares([("基本支出", exp["basic"]), ("项目支出", exp["project"])], exp["total"])
    s.body(f"本年支出合计{amount(exp['total'])}万元，其中：{text}。")

    s.heading("四、财政拨款收入支出决算总体情况说明")
    fiscal = _line(t["fiscal_total"], role="total", side="income").values["final"]
    s.body(
        f"{e}{y}年度财政拨款收入支出总计{amount(fiscal)}万元。"
        f"{_change('财政拨款收入支出总计', fiscal, y, rng)}。主要原因：{rng.choice(_REASONS)}。"
    )

    s.heading("五、一般公共预算财政拨款支出决算情况说明")
    s.heading("（一）一般公共预算财政拨款支出决算总体情况")
    gb_rows = t["general_budget_expense"]
    gb = _line(gb_rows, role="total").values
    s.body(
        f"一般公共预算财政拨款支出{amount(gb['total'])}万元，占本年支出合计的"
        f"{rate(gb['total'], exp['total'])}。{_change('一般公共预算财政拨款支出', gb['total'], y, rng)}"
        f"。主要原因：{rng.choice(_REASONS)}。"
    )
    s.heading("（二）一般公共预算财政拨款支出决算结构情况")
    classes = [x for x in gb_rows if x.code and len(x.code) == 3 and x.values["total"]]
    text = "；".join(
        f"{FUNCTION_CLASSES[x.code][0]}（类）{amount(x.values['total'])}万元，"
        f"占{rate(x.values['total'], gb['total'])}"
        for x in classes
    )
    s.body(f"一般公共预算财政拨款支出{amount(gb['total'])}万元，主要用于以下方面：{text}。")
    s.heading("（三）一般公共预算财政拨款支出决算具体情况")
    names = {x.code: x.name for x in gb_rows if x.code}
    leaves = [x for x in gb_rows if x.code and len(x.code) == 7 and x.values["total"]]
    budgets = {
        x.code: x.values["total"] + (0 if rng.random() < 0.3 else rng.randint(1, 5_000))
        for x in leaves
    }
    total_budget = sum(budgets.values())
    s.body(
        f"一般公共预算财政拨款支出年初预算为{amount(total_budget)}万元，支出决算为"
        f"{amount(gb['total'])}万元，完成年初预算的{rate(gb['total'], total_budget)}。"
        + (
            f"决算数小于预算数的主要原因：{rng.choice(_REASONS)}。其中："
            if total_budget != gb["total"]
            else "决算数与预算数持平。其中："
        )
    )
    for k, x in enumerate(leaves, 1):
        code, final = x.code, x.values["total"]
        budget = budgets[code]
        path = f"{FUNCTION_CLASSES[code[:3]][0]}（类）{names[code[:5]]}（款）{names[code]}（项）"
        verdict = (
            "决算数与预算数持平。"
            if budget == final
            else f"决算数小于预算数的主要原因：{rng.choice(_REASONS)}。"
        )
        index = s.body(
            f"{k}、{path}。主要用于：{names[code]}相关支出。年初预算为{amount(budget)}万元，"
            f"支出决算为{amount(final)}万元，完成年初预算的{rate(final, budget)}。{verdict}"
        )
        s.items.append({"index": index, "code": code, "budget": budget, "final": final})

    s.heading("六、一般公共预算财政拨款基本支出决算情况说明")
    basic = t["general_budget_basic"]
    people = _line(basic, role="personnel_total").values["final"]
    public = _line(basic, role="public_total").values["final"] or 0
    s.body(
        f"一般公共预算财政拨款基本支出{amount(people + public)}万元。其中：人员经费"
        f"{amount(people)}万元，主要包括：基本工资、津贴补贴、社会保障缴费等；公用经费"
        f"{amount(public)}万元，主要包括：办公费、印刷费、差旅费等。"
    )

    s.heading("七、财政拨款“三公”经费支出决算情况说明")
    tp = t["three_public"][0].values
    budget, final = tp["total.budget"], tp["total.final"]
    groups = [
        ("因公出国（境）费", "abroad"),
        ("公务用车购置及运行维护费", "vehicle"),
        ("公务接待费", "reception"),
    ]

    def clause(name: str, key: str) -> str:
        spent, planned = tp[f"{key}.final"] or 0, tp[f"{key}.budget"]
        done = f"，完成预算的{rate(spent, planned)}" if planned else ""  # no rate of a 0 budget
        return f"{name}支出决算为{amount(spent)}万元{done}"

    clauses = "；".join(clause(name, key) for name, key in groups)
    why = (
        f"{y}年度“三公”经费支出决算数小于预算数的主要原因：{_REASONS[0]}。"
        if final < budget
        else ""
    )
    s.body(
        f"“三公”经费财政拨款支出年初预算为{amount(budget)}万元，支出决算为{amount(final)}万元，"
        f"完成预算的{rate(final, budget)}，其中：{clauses}。{why}"
    )

    s.heading("八、预算绩效管理情况")
    projects = rng.randint(2, 12)
    s.body(
        f"{e}{y}年度预算绩效管理工作开展情况如下：编报绩效目标的{y}年度项目{projects}个，"
        f"涉及预算金额{amount(exp['project'] or 0)}万元；绩效自评的{y}年度项目{projects}个。"
    )

    s.heading("九、其他重要事项的情况说明")
    s.heading("（一）机关运行经费支出情况")
    s.body(
        f"机关运行经费支出{amount(public)}万元，{_change('', public, y, rng, lead='比')}。"
        f"主要原因是{rng.choice(_REASONS)}。"
    )
    s.heading("（二）政府采购支出情况")
    goods, works = rng.randint(0, 50_000), rng.randint(0, 80_000)
    services = rng.randint(1_000, 90_000)
    s.body(
        f"{e}{y}年度政府采购金额（以合同签订为准）为{amount(goods + works + services)}万元，"
        f"其中：货物采购金额{amount(goods)}万元、工程采购金额{amount(works)}万元、服务采购"
        f"金额{amount(services)}万元。"
    )
    s.heading("（三）国有资产占有使用情况说明")
    cars = rng.randint(0, 6)
    s.body(
        f"截至{y}年12月31日，{e}共有车辆{cars}辆，其中：执法执勤用车{cars}辆；"
        f"单价100万元（含）以上设备（不含车辆）{rng.randint(0, 3)}台（套）。"
    )
    return s


# -- planted errors in the words ---------------------------------------------------------------------


def _replace(s: Statement, index: int, old: str, new: str) -> None:
    para = s.paras[index]
    assert old in para.text, (old, para.text)
    s.paras[index] = Para(para.text.replace(old, new, 1), para.role)


def _find(s: Statement, needle: str) -> int:
    return next(k for k, p in enumerate(s.paras) if needle in p.text)


def _plant_class(sample, s: Statement, rng: random.Random) -> str:
    k = _find(s, "主要用于以下方面")
    text = s.paras[k].text
    start = text.index("（类）") + len("（类）")
    end = text.index("万元", start)
    old = text[start:end]
    new = amount(int(Decimal(old) * 100) + rng.choice([1, 100, 2_345]))
    _replace(s, k, f"（类）{old}万元", f"（类）{new}万元")
    return "说明中第一个“类”的金额与决算表不符"


def _plant_item(sample, s: Statement, rng: random.Random) -> str:
    item = s.items[0]
    old = amount(item["final"])
    new = amount(item["final"] + rng.choice([1, 100, 2_345]))
    _replace(s, item["index"], f"支出决算为{old}万元", f"支出决算为{new}万元")
    return "说明中第一个“项”的支出决算与决算表不符"


def _plant_year(sample, s: Statement, rng: random.Random) -> str:
    y = sample.year
    _replace(s, 0, f"{y} 年度部门决算情况说明", f"{y - 1} 年度部门决算情况说明")
    return "说明标题的年度写成上一年"


def _plant_as_of(sample, s: Statement, rng: random.Random) -> str:
    y = sample.year
    _replace(s, _find(s, "截至"), f"截至{y}年", f"截至{y - 1}年")
    return "资产截至日期写成上一年"


def _plant_reason(sample, s: Statement, rng: random.Random) -> str:
    item = next(i for i in s.items if i["budget"] != i["final"])
    text = s.paras[item["index"]].text
    cut = text.index("决算数小于预算数的主要原因")
    s.paras[item["index"]] = Para(text[:cut], "body")
    return "删去一项决算与预算差异的原因"


def _plant_total(sample, s: Statement, rng: random.Random) -> str:
    k = _find(s, "年度收入支出总计")
    text = s.paras[k].text
    start = text.index("收入支出总计") + len("收入支出总计")
    old = text[start : text.index("万元", start)]
    _replace(s, k, f"收入支出总计{old}万元", f"收入支出总计{amount(rng.randint(1, 99))}万元")
    return "说明中的收入支出总计与决算表不符"


# plant -> (writer, check ids expected to report it)
STATEMENT_PLANTS = {
    "statement_class": (_plant_class, ("accounts.statement_amount",)),
    "statement_item": (_plant_item, ("accounts.statement_amount",)),
    "statement_year": (_plant_year, ("accounts.statement_year",)),
    "statement_as_of": (_plant_as_of, ("accounts.statement_year",)),
    "statement_reason": (_plant_reason, ("accounts.statement_reason",)),
    "statement_total": (_plant_total, ("accounts.statement_amount",)),
}


def plant_statement(sample, statement: Statement, plant: str, rng: random.Random) -> str:
    writer, _ = STATEMENT_PLANTS[plant]
    return writer(sample, statement, rng)
