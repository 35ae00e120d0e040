"""Narrative figures and what they mean: subject, role, period, links (extract/narrative.py)."""

from __future__ import annotations

import json

from jixiao.document import Document, Loc, Paragraph
from jixiao.extract import extract
from jixiao.extract.narrative import narrative_figures
from jixiao.model import Figure


def doc(*paragraphs: str, fmt: str = "text") -> Document:
    blocks = [
        Paragraph(text, Loc("t.txt", line=2 * k + 1, line_end=2 * k + 1))
        for k, text in enumerate(paragraphs)
    ]
    return Document("t.txt", fmt, blocks)


def figures(*paragraphs: str, fmt: str = "text") -> list[Figure]:
    return narrative_figures(doc(*paragraphs, fmt=fmt))


def by_value(figs: list[Figure], value: float, unit: str | None = None) -> Figure:
    found = [f for f in figs if f.value == value and (unit is None or f.unit == unit)]
    assert len(found) == 1, (value, [(f.value, f.unit, f.label) for f in figs])
    return found[0]


def test_totals_named_in_their_clause():
    figs = figures("2023年度收入总计1251.39万元，支出总计1251.39万元。")
    income, spent = figs
    assert (income.subject, spent.subject) == ("收入总计", "支出总计")
    assert income.unit == "万元" and income.decimals == 2 and not income.inferred
    assert [f.id for f in figs] == [0, 1]


def test_change_growth_parts_and_shares_of_one_statement():
    figs = figures(
        "2021年度本年支出合计4125.94万元，比上年增加1872.04万元，增长83.06%，其中：基本支出673.06万元，"
        "占支出合计的16.31%；项目支出3452.88万元，占支出合计的83.69%。"
    )
    total = by_value(figs, 4125.94)
    change = by_value(figs, 1872.04)
    growth = by_value(figs, 83.06)
    basic, project = by_value(figs, 673.06), by_value(figs, 3452.88)
    basic_share = by_value(figs, 16.31)
    assert total.subject == "本年支出合计" and total.role == "total"
    assert change.role == "change" and change.of == total.id and change.direction == 1
    assert change.versus == "上年"
    assert growth.role == "growth" and growth.pair == change.id and growth.of == total.id
    assert (basic.role, basic.subject, basic.of) == ("part", "基本支出", total.id)
    assert (project.subject, project.of) == ("项目支出", total.id)
    assert basic_share.role == "share" and basic_share.of == basic.id
    assert basic_share.base == total.id and basic_share.base_label == "支出合计"
    assert basic_share.subject == "基本支出"


def test_three_public_costs_inherit_their_subject_and_link_budget_and_items():
    figs = figures(
        "2020年“三公”经费预算19.5万元，实际开支8.2万元，比预算减少11.3万元，其中公务接待费0.36万元，"
        "比上年度减少0.57万元，公务用车运行费7.83万元，比上年度增加1.68万元。"
    )
    budget, actual, change = by_value(figs, 19.5), by_value(figs, 8.2), by_value(figs, 11.3)
    reception, vehicle = by_value(figs, 0.36), by_value(figs, 7.83)
    assert budget.subject == "三公经费" and budget.period == "预算" and not budget.inferred
    assert actual.subject == "三公经费" and actual.inferred and actual.period == "决算"
    assert change.role == "change" and change.direction == -1 and change.versus == "预算"
    assert change.of == actual.id and change.base == budget.id
    assert (reception.subject, reception.of) == ("公务接待费", actual.id)
    assert (vehicle.subject, vehicle.of) == ("公务用车运行维护费", actual.id)
    assert by_value(figs, 0.57).of == reception.id
    assert by_value(figs, 1.68).direction == 1


def test_completion_rate_links_its_actual_and_budget():
    figs = figures(
        "2024年度“三公”经费年初预算数为36.00万元，决算数为29.12万元，完成预算的80.89%。"
        "其中：因公出国（境）费0.00万元；公务用车购置及运行维护费22.74万元；公务接待费6.38万元。"
    )
    budget, actual, rate = by_value(figs, 36.0), by_value(figs, 29.12), by_value(figs, 80.89)
    assert budget.period == "年初预算"
    assert rate.role == "completion" and rate.of == actual.id and rate.base == budget.id
    items = [f for f in figs if f.role == "part"]
    assert {f.subject for f in items} == {
        "因公出国（境）费",
        "公务用车购置及运行维护费",
        "公务接待费",
    }
    assert all(f.of == actual.id for f in items)  # the 决算 total, not the budget


def test_procurement_share_names_its_base_in_another_sentence():
    figs = figures(
        "2024年度政府采购支出总额8956.37万元，其中：政府采购货物支出2860.45万元、政府采购工程支出"
        "4120.30万元、政府采购服务支出1975.62万元。授予中小企业合同金额7650.18万元，占政府采购支出"
        "总额的85.42%。"
    )
    total = by_value(figs, 8956.37)
    assert {f.subject for f in figs if f.of == total.id} == {
        "政府采购货物支出",
        "政府采购工程支出",
        "政府采购服务支出",
    }
    sme, share = by_value(figs, 7650.18), by_value(figs, 85.42)
    assert sme.subject == "授予中小企业合同金额" and sme.of is None
    assert share.of == sme.id and share.base == total.id
    assert share.base_label == "政府采购支出总额"


def test_staff_counts_and_a_noun_that_is_not_inherited():
    figs = figures(
        "本部门年末实有人数40人，其中在职人员35人，离休人员0人，退休人员5人；年末其他人员2人。"
    )
    total = by_value(figs, 40)
    assert total.subject == "实有人数" and total.role == "total"
    assert by_value(figs, 35).subject == "在职人员"
    assert by_value(figs, 5).of == total.id
    other = by_value(figs, 2)
    assert other.subject is None  # 其他人员 is not 退休人员 just because it follows it


def test_scope_from_the_clause_and_from_the_section_heading():
    figs = figures(
        "二、支出决算情况说明",
        "本年支出合计2940.05万元，其中：基本支出2336.91万元，项目支出603.14万元。",
        "六、一般公共预算财政拨款基本支出决算情况说明",
        "基本支出2336.91万元。其中：人员经费2152.26万元，公用经费184.65万元。",
    )
    whole, scoped = [f for f in figs if f.value == 2336.91]
    assert whole.scope is None and whole.section == "二、支出决算情况说明"
    assert scoped.scope == "一般公共预算财政拨款"
    assert by_value(figs, 2152.26).of == scoped.id  # its own section's 基本支出
    explicit = figures("本部门一般公共预算财政拨款基本支出1432.32万元。")[0]
    assert (explicit.subject, explicit.scope) == ("基本支出", "一般公共预算财政拨款")
    income = figures("财政拨款收入2940.05万元，财政拨款收入支出总计2961.68万元。")
    assert (income[0].subject, income[0].scope) == ("财政拨款收入", None)
    assert (income[1].subject, income[1].scope) == ("收支总计", "财政拨款")


def test_a_list_continues_over_the_paragraphs_after_its_lead():
    figs = figures(
        "四、一般公共预算财政拨款基本支出决算情况说明",
        "本部门2021年度一般公共预算财政拨款基本支出1432.32万元，其中：",
        "（一）工资福利支出829.12万元，较2020年增加了21.31万元，增长了2.7%。",
        "（二）商品和服务支出199.75万元，较2020年减少300.95万元，下降60.1%。",
        "五、政府采购支出情况说明",
        "政府采购支出总额117.82万元。",
    )
    total = by_value(figs, 1432.32)
    wages, goods = by_value(figs, 829.12), by_value(figs, 199.75)
    assert wages.of == total.id and goods.of == total.id
    assert wages.passage == total.passage == goods.passage
    assert by_value(figs, 117.82).passage != total.passage
    assert by_value(figs, 21.31).of == wages.id  # a change is not a part
    assert by_value(figs, 300.95).role == "change"


def test_unnamed_list_items_belong_to_the_lead_of_their_period():
    figs = figures(
        "一般公共预算财政拨款支出年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.46%。"
        "其中：",
        "1、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。"
        "年初预算为54.53万元，支出决算为54.53万元，完成年初预算的100.00%。",
    )
    budget, actual = by_value(figs, 10210.34), by_value(figs, 9746.50)
    item_budget, item_actual = [f for f in figs if f.value == 54.53]
    assert item_budget.of == budget.id and item_actual.of == actual.id
    assert item_budget.subject == "行政单位离退休"  # the item's title sentence
    rate = by_value(figs, 100.0)
    assert rate.of == item_actual.id and rate.base == item_budget.id


def test_parenthetical_remark_does_not_become_the_subject():
    figs = figures(
        "本单位2021年度机关运行经费支出851.11万元（与基本支出中公用经费之和一致），"
        "较年初预算数增加220.01万元，增长34.86%。"
    )
    amount, change, growth = figs
    assert change.subject == "机关运行经费" and change.of == amount.id
    assert change.versus == "预算" and growth.pair == change.id


def test_both_totals_change_together():
    figs = figures(
        "2024年度收入总计58421.67万元，支出总计58421.67万元。与2023年度相比，"
        "收、支总计各增加3113.55万元，增长5.63%，主要原因是新建学校投入使用。"
    )
    change = by_value(figs, 3113.55)
    assert change.subject == "收支总计" and change.of is not None


def test_claims_and_template_alternatives():
    figs = figures(
        "年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员变化。"
    )
    actual = by_value(figs, 1511.89)
    assert actual.claim == "小于" and actual.base == by_value(figs, 1560.05).id
    assert "小于预算数" in (actual.claim_text or "")
    template = figures(
        "年初预算为10.00万元，支出决算为12.00万元。决算数大于（小于）预算数的主要原因：XX。"
    )
    assert all(f.claim is None for f in template)
    flat = figures("年初预算为10.00万元，支出决算为10.00万元。决算数与预算数基本持平。")
    assert [f.claim for f in flat] == [None, "持平"]


def test_a_share_after_prose_says_nothing_about_its_part():
    figs = figures("1699个事项完成“委托受理”，占比89.42%。")
    share = by_value(figs, 89.42)
    assert share.role == "share" and share.of is None and share.base is None


def test_dates_list_markers_and_bare_numbers_are_not_figures():
    figs = figures("1、2021年12月，依托平台完成3项改造；项目编号5G。")
    assert [(f.value, f.unit) for f in figs] == [(3.0, "项")]
    money = figures("我局驻场技术服务项目预算金额为250万，占预算总数的4%。")
    assert by_value(money, 250).unit == "万元"


def test_placeholders_left_from_the_template():
    figs = figures("本年收入合计XXX万元，其中：财政拨款收入XXX万元，占XX%。")
    assert len(figs) == 3 and all(f.placeholder for f in figs)
    assert figs[0].label == "XXX万元" and figs[2].unit == "%"


def test_pdf_numbers_printed_on_a_line_of_their_own_go_back_into_their_gaps():
    lines = [
        "本年收入合计 万元，其中：财政拨款收入 万元，占 ；其他",
        "2946.25 2940.05 99.79%",
        "收入 万元，占 。",
        "6.2 0.21%",
    ]
    blocks = [
        Paragraph(t, Loc("t.pdf", page=3, line=k + 1, line_end=k + 1)) for k, t in enumerate(lines)
    ]
    figs = narrative_figures(Document("t.pdf", "pdf", blocks))
    assert [(f.value, f.unit) for f in figs] == [
        (2946.25, "万元"),
        (2940.05, "万元"),
        (99.79, "%"),
        (6.2, "万元"),
        (0.21, "%"),
    ]
    total, fiscal, share = figs[:3]
    assert fiscal.of == total.id and share.base == total.id
    assert figs[3].subject == "其他收入" and figs[3].of == total.id
    assert figs[0].loc == {"file": "t.pdf", "page": 3, "line": 1, "line_end": 4}


def test_pdf_sentence_broken_by_a_page_is_joined():
    blocks = [
        Paragraph("本年支出合计307.82万元。", Loc("t.pdf", page=17, line=10, line_end=10)),
        Paragraph(
            "一般公共预算财政拨款支出307.82万元，占本年支出合计的",
            Loc("t.pdf", page=17, line=11, line_end=11),
        ),
        Paragraph("100.00%。与上年相比增加307.82万元。", Loc("t.pdf", page=18, line=1, line_end=1)),
    ]
    figs = narrative_figures(Document("t.pdf", "pdf", blocks))
    share = by_value(figs, 100.0)
    assert share.role == "share" and share.of == figs[1].id and share.base == figs[0].id
    assert figs[1].loc["page"] == 17


def test_figures_are_json_in_the_report():
    d = doc("2024年度收入总计100.00万元，其中：财政拨款收入90.00万元，占90.00%。")
    data = extract(d).to_json()
    text = json.dumps(data, ensure_ascii=False)
    assert '"subject": "财政拨款收入"' in text
    fig = data["figures"][1]
    assert fig["role"] == "part" and fig["of"] == 0 and fig["value"] == 90


def test_extraction_is_fast_on_a_long_narrative():
    import time

    para = (
        "2021年度本年支出合计4125.94万元，比上年增加1872.04万元，增长83.06%，其中：基本支出673.06万元，"
        "占支出合计的16.31%；项目支出3452.88万元，占支出合计的83.69%。主要原因是业务调整。"
    )
    d = doc(*([para] * 60 + ["这一段没有数字。"] * 200))
    start = time.perf_counter()
    figs = narrative_figures(d)
    assert len(figs) == 60 * 7
    assert time.perf_counter() - start < 2.0  # generous: about 0.05 s on a laptop
