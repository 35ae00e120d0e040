"""Family ``quality``: what makes a filled table doubtful without being an arithmetic error.

Full marks next to an explained deviation (one of the two is wrong), a large over-achievement
nobody explains (the target was probably set too low), numbers printed with binary float
noise (``8.3150000000000001``: pasted from a spreadsheet formula, not typed), money spent
with no indicator to show for it, and output targets with nothing to measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.checks.registry import Context, check
from jixiao.checks.rubric import indicator_rows
from jixiao.checks.tables_common import finding, table_name
from jixiao.model import Finding
from jixiao.numbers import format_number
from jixiao.scoring import OK, RowScore

# A note that says there is nothing to explain is no deviation.
_NO_DEVIATION = re.compile(
    r"^\s*(无|没有|不存在|未发生|未出现)?\s*(偏差|差异|问题|扣分)?\s*[。.；;/、—\-\s]*$"
    r"|(无|没有|不存在|未发生|未出现)(明显)?(偏差|差异|扣分)|^\s*(已|全部|均)?(完成|达到|实现)"
)
# 10+ decimals ending in a run of 0s or 9s and a stray digit: binary float noise.
_FLOAT_NOISE = re.compile(r"\d\.(?=\d{10})\d*(?:0{6,}|9{6,})\d{1,3}%?$")
_OUTPUT_KINDS = ("数量", "质量", "时效", "成本")
_MEASURE = re.compile(r"[0-9０-９%]|[≥≤<>=＞＜＝]|不[少低高多超]于|不超[过出]|以[上下内]|控制在")


@check(
    "quality.full_marks_with_deviation",
    "warning",
    "满分却说明了偏差",
    "该项得满分，偏差原因一栏却说明了未完成或有偏差：得分与说明必有一处不实。评分规则本身"
    "给出满分（如完成值仅差舍入）时不报告。",
)
def full_marks_with_deviation(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        rows = _rows_by_indicator(ctx, k)
        for i, ind in enumerate(ev.indicators):
            note = (ind.note or "").strip()
            if ind.score is None or ind.weight is None or ind.score < ind.weight or not note:
                continue
            if _NO_DEVIATION.search(note):
                continue
            row = rows.get(i)
            if row is not None and row.status == OK and not isinstance(row.recomputed, tuple):
                continue  # the rule itself gives full marks
            yield finding(
                "quality.full_marks_with_deviation",
                k,
                ev,
                f"{table_name(ev)}「{ind.name}」得满分{format_number(ind.weight)}，"
                f"偏差原因却写明“{_short(note)}”",
                loc=ind.cells.get("note") or ind.loc,
                reported=format_number(ind.score),
                expected=f"<{format_number(ind.weight)}",
                evidence=f"{ind.name}：年度指标值 {ind.target or '—'}；实际完成值 "
                f"{ind.actual or '—'}；偏差原因 {note}",
                related=[ind.cells.get("score")],
            )


@check(
    "quality.over_achievement_unexplained",
    "info",
    "大幅超额完成未说明原因",
    "实际完成值达到年度指标值的130%以上而未说明原因：多半是目标设得过低，按规定应说明。",
)
def over_achievement_unexplained(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        rows = _rows_by_indicator(ctx, k)
        for i, ind in enumerate(ev.indicators):
            row = rows.get(i)
            if row is None or "over_achievement" not in row.flags or (ind.note or "").strip():
                continue
            yield finding(
                "quality.over_achievement_unexplained",
                k,
                ev,
                f"{table_name(ev)}「{ind.name}」实际完成值{ind.actual}远超年度指标值"
                f"{ind.target}，未说明原因",
                loc=ind.cells.get("actual") or ind.loc,
                reported=ind.actual,
                expected="说明超额完成原因",
                evidence=f"{ind.name}：年度指标值 {ind.target}；实际完成值 {ind.actual}",
            )


@check(
    "quality.float_artifact",
    "info",
    "数字带有浮点运算残留",
    "如 8.3150000000000001：数字由表格公式计算后直接粘贴，未按应有位数舍入。数值本身通常无误。",
)
def float_artifact(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        for obj in (*ev.funds, *ev.indicators):
            for field, shown in obj.printed.items():
                if not _FLOAT_NOISE.search(shown.strip()):
                    continue
                value = getattr(obj, field, None)
                clean = format_number(value) if isinstance(value, float) else shown
                yield finding(
                    "quality.float_artifact",
                    k,
                    ev,
                    f"{table_name(ev)}数字印为{shown.strip()}，带有浮点运算残留，应为{clean}",
                    loc=obj.cells.get(field) or obj.loc,
                    reported=shown.strip(),
                    expected=clean,
                    evidence=shown.strip(),
                )


@check(
    "quality.empty_grid",
    "warning",
    "资金已支出但绩效指标为空",
    "项目资金有执行数，绩效指标表却没有填写任何指标：无法评价资金使用的绩效。",
)
def empty_grid(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        spent = [f for f in ev.funds if f.executed]
        filled = [
            ind
            for ind in ev.indicators
            if ind.target or ind.actual or ind.weight is not None or ind.score is not None
        ]
        if not spent or filled:
            continue
        f = next((f for f in spent if f.source == "total"), spent[0])
        shown = f.printed.get("executed") or format_number(f.executed or 0)
        yield finding(
            "quality.empty_grid",
            k,
            ev,
            f"{table_name(ev)}全年执行数为{shown}，绩效指标却一项未填",
            loc=f.cells.get("executed") or ev.loc,
            reported="0项指标",
            expected="填写绩效指标",
            evidence=f"全年执行数 {shown}",
        )


@check(
    "quality.unmeasurable_target",
    "info",
    "产出指标值不可衡量",
    "数量、质量、时效、成本指标的年度指标值应为可衡量的数值或比较式（如≥95%、≤12万元），"
    "“及时完成”“达到预期”之类无法据以评分。",
)
def unmeasurable_target(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        for ind in ev.indicators:
            level2, target = ind.level2 or "", (ind.target or "").strip()
            if not target or not any(w in level2 for w in _OUTPUT_KINDS):
                continue
            if _MEASURE.search(target) or _MEASURE.search(ind.name):
                continue  # a number in the 三级指标 itself ("培训5次") is a measurable target
            yield finding(
                "quality.unmeasurable_target",
                k,
                ev,
                f"{table_name(ev)}{level2}「{ind.name}」的年度指标值“{target}”无可衡量的数值",
                loc=ind.cells.get("target") or ind.loc,
                reported=target,
                expected="数值或比较式",
                evidence=f"{ind.name}：年度指标值 {target}",
            )


def _rows_by_indicator(ctx: Context, k: int) -> dict[int, RowScore]:
    """Indicator index -> its recomputed row."""
    rows = indicator_rows(ctx.report.evaluations[k], ctx.scored.evaluations[k])
    return dict(enumerate(rows))


def _short(note: str, limit: int = 30) -> str:
    return note if len(note) <= limit else note[:limit] + "…"
