"""Disclosure checks: what a published 决算说明 must contain (DESIGN.md, family disclosure).

A 部门决算说明 explains, besides 收入 and 支出, the “三公”经费, 机关运行经费, 政府采购,
国有资产占用 and 预算绩效 (the national 部门决算 template). Only a document that is a 决算说明
is asked for them. A filled report must not keep the template's ``XXX万元`` slots; the blank
template itself (nothing but slots) is not a department's error.

The report keeps the narrative's figures, not its full text: a part is taken as present when a
figure's sentence or section heading names it. A part stated only in words, with no number
anywhere in it, may therefore be reported missing — hence info, not warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.checks.registry import Context, check
from jixiao.model import Figure, Finding, Report

_PARTS = (
    ("“三公”经费", re.compile(r"三公")),
    ("机关运行经费", re.compile(r"机关运行经费|日常公用经费")),
    ("政府采购", re.compile(r"政府采购")),
    ("国有资产占用", re.compile(r"国有资产|资产占[用有]|车辆|以上设备")),
    ("预算绩效", re.compile(r"绩效")),
)
_TOTALS = frozenset({"收入总计", "支出总计", "收支总计", "本年收入合计", "本年支出合计"})


def is_final_accounts(report: Report) -> bool:
    """A 决算说明: its own clauses state the department's totals, under a 决算 heading or
    in a sentence about 决算."""
    stated = {f.subject for f in report.figures if f.subject in _TOTALS and not f.inferred}
    named = any("决算" in (f.section or "") or "决算" in f.text for f in report.figures)
    return len(stated) >= 2 and named


def _placeholders(report: Report) -> tuple[list[Figure], int]:
    slots = [f for f in report.figures if f.placeholder]
    filled = sum(
        1 for f in report.figures if not f.placeholder and f.unit in ("万元", "元", "亿元")
    )
    return slots, filled


def is_template(report: Report) -> bool:
    """The blank template: its amounts are mostly XXX slots."""
    slots, filled = _placeholders(report)
    return len(slots) >= 5 and len(slots) > filled


@check(
    "disclosure.missing_part",
    "info",
    "决算说明缺少规定内容",
    "部门决算说明应说明“三公”经费、机关运行经费、政府采购、国有资产占用和预算绩效情况；"
    "文档是决算说明而未见其中某一部分时提示（仅依据带数字的句子和小标题判断，故为提示）。",
)
def missing_part(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if not is_final_accounts(report) or is_template(report):
        return
    texts = "\n".join({f.text for f in report.figures} | {f.section or "" for f in report.figures})
    if report.evaluations:
        texts += "\n绩效"  # its 绩效 tables are there
    first = next((f for f in report.figures if f.loc), None)
    for part, pattern in _PARTS:
        if not pattern.search(texts):
            yield Finding(
                check="disclosure.missing_part",
                severity="info",
                message=f"本决算说明未见{part}情况的说明。",
                loc=first.loc if first else None,
                reported="缺",
                expected=part,
            )


@check(
    "disclosure.placeholder",
    "warning",
    "已填报告中残留占位符",
    "已填写的报告中仍留有模板的“XXX万元”“XX%”等占位符，数字未填。空白模板本身不报告。",
)
def placeholder(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    slots, _ = _placeholders(report)
    if not slots or is_template(report):
        return
    for f in slots:
        yield Finding(
            check="disclosure.placeholder",
            severity="warning",
            message=f"报告中留有未填写的占位符“{f.label}”。",
            loc=f.loc,
            evidence=f.text,
            reported=f.label,
            expected="填写实际数字",
        )
