"""Family ``scores``: the scores and weights of a table add up and stay in bounds.

Row scores within [0, 分值]; Σ scores (with the 预算执行 score of a self-evaluation table) =
总分; Σ weights = 总分's 分值 (100); the weights under a 一级/二级指标 = the weight printed in
its header, e.g. ``产出指标（50分）``; the grade printed = the grade of the printed total; and
for an expert panel: 合计 = Σ experts, 平均分 = 合计 ÷ experts, each expert's 总分 = Σ column.

A row whose weight (or score) is not printed may be covered by a merged cell: a sum with such a
row is only reported when the known terms alone already exceed what is printed.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.checks.precision import Span, contradicts, exact
from jixiao.checks.precision import printed as rounded_to
from jixiao.checks.registry import Context, check
from jixiao.checks.tables_common import (
    cell,
    finding,
    fused_half,
    table_name,
    term,
    total_span,
)
from jixiao.model import Evaluation, Finding, FundRow, Indicator
from jixiao.numbers import decimals_of, format_number
from jixiao.scoring import default_grade

STANDARD_TOTAL = 100.0
# printed grade words -> the four grades of 财预〔2020〕10号
GRADE_WORDS = {
    "优": "优",
    "优秀": "优",
    "良": "良",
    "良好": "良",
    "较好": "良",
    "中": "中",
    "中等": "中",
    "合格": "中",
    "及格": "中",
    "一般": "中",
    "差": "差",
    "较差": "差",
    "不合格": "差",
    "不及格": "差",
}
_NOT_SCORED = ("不适用", "不涉及")


@check(
    "scores.over_weight",
    "error",
    "得分超出分值或为负",
    "每项指标的得分应在0与该项分值之间；专家评分表中每位专家的评分同样如此。",
)
def over_weight(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        for i, ind in enumerate(ev.indicators):
            if ind.weight is None:
                continue
            given = [(ind.score, ind.printed.get("score"), "得分")]
            given += [
                (e.scores[i], None, f"专家{e.name}评分") for e in ev.experts if i < len(e.scores)
            ]
            for value, shown, who in given:
                if value is None:
                    continue
                s = term(value, shown)
                if s.hi >= 0 and s.lo <= ind.weight + 1e-9:
                    continue
                half = fused_half(shown)
                glued = half is not None and 0 <= half <= ind.weight
                yield finding(
                    "scores.over_weight",
                    k,
                    ev,
                    f"{table_name(ev)}「{ind.name}」{who}{_num(value, shown)}"
                    + (f"超过其分值{_num(ind.weight)}" if value > 0 else "为负数"),
                    loc=cell(ev, ind, "score"),
                    reported=_num(value, shown),
                    expected=f"≤{_num(ind.weight)}" if value > 0 else "≥0",
                    evidence=f"{ind.name}：分值 {_num(ind.weight)}；{who} {_num(value, shown)}",
                    related=[cell(ev, ind, "weight")],
                    suspect="疑似两格数字粘连" if glued else None,
                )


@check(
    "scores.total_mismatch",
    "error",
    "各项得分之和与总分不符",
    "总分应等于各项指标得分之和（项目支出绩效自评表还要加上预算执行率一行的得分；专家评分表为"
    "各项平均分之和）。总分可按其印出位数舍入。",
)
def total_mismatch(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        if ev.total_score is None:
            continue
        terms = _score_terms(ev)
        known = [(v, t) for v, t, _ in terms if v is not None]
        if not known:
            continue
        total = sum((term(v, t) for v, t in known), exact(0.0))
        printed = total_span(ev.total_score)
        missing = len(known) < len(terms)
        if not contradicts(printed, total) or (missing and total.hi < printed.lo):
            continue
        if _exact_means_meet(ev, printed):
            continue
        exp = _num(total.mid, digits=_digits(known))
        yield finding(
            "scores.total_mismatch",
            k,
            ev,
            f"{table_name(ev)}总分印为{_num(ev.total_score)}，{_what_adds_up(ev)}合计为{exp}",
            loc=ev.cells.get("total"),
            reported=_num(ev.total_score),
            expected=exp,
            evidence=f"总分 {_num(ev.total_score)}；各项得分 "
            + "、".join(f"{name} {_num(v, t)}" for v, t, name in terms if v is not None),
            related=[r for ind in ev.indicators if (r := ind.cells.get("score"))],
            suspect=_fused_term(known, printed) or _lost_row(ev),
        )


@check(
    "scores.weights_total",
    "error",
    "各项分值之和与总分值不符",
    "各项指标的分值（项目支出绩效自评表含预算执行率一行的分值）之和应等于总分一行的分值，"
    "且一般为100分。总分值未印出而分值之和不是100时，只提示疑似。",
)
def weights_total(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        terms = _weight_terms(ev)
        known = [w for w in terms if w is not None]
        if not known:
            continue
        total, printed = sum(known), ev.total_weight
        short = len(known) < len(terms)  # a merged weight cell may cover the blank rows
        target = printed if printed is not None else STANDARD_TOTAL
        if _same(total, target) and _same(target, STANDARD_TOTAL):
            continue
        if short and total < target:
            continue
        severity = None
        if printed is not None and not _same(total, printed):
            message = f"{table_name(ev)}总分值印为{_num(printed)}，各项分值之和为{_num(total)}"
            reported, expected = _num(printed), _num(total)
        else:  # the weights agree with what is printed, but do not make 100
            message = f"{table_name(ev)}各项分值之和为{_num(total)}，不是{_num(STANDARD_TOTAL)}分"
            severity, reported, expected = "warning", _num(total), _num(STANDARD_TOTAL)
        yield finding(
            "scores.weights_total",
            k,
            ev,
            message,
            loc=ev.cells.get("total"),
            reported=reported,
            expected=expected,
            evidence="各项分值 " + "、".join(_num(w) for w in known),
            severity=severity,
            suspect=_lost_row(ev),
        )


@check(
    "scores.level_weight",
    "error",
    "下级指标分值之和与上级标注分值不符",
    "一级、二级指标单元格中标注的分值（如“产出指标（50分）”）应等于其下各项指标分值之和。",
)
def level_weight(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        for level, name, rows in _level_groups(ev):
            header = next(
                (h for ind in rows if (h := getattr(ind, f"{level}_weight")) is not None), None
            )
            weights = [ind.weight for ind in rows if _counts(ind)]
            known = [w for w in weights if w is not None]
            if header is None or not known:
                continue
            total = sum(known)
            if _same(total, header) or (len(known) < len(weights) and total < header):
                continue
            label = "一级" if level == "level1" else "二级"
            yield finding(
                "scores.level_weight",
                k,
                ev,
                f"{table_name(ev)}{label}指标「{name}」标注{_num(header)}分，"
                f"其下各指标分值之和为{_num(total)}分",
                loc=rows[0].loc,
                reported=f"{name}（{_num(header)}分）",
                expected=f"{name}（{_num(total)}分）",
                evidence="；".join(f"{ind.name} {_num(ind.weight)}" for ind in rows),
                related=[ind.cells.get("weight") for ind in rows],
                suspect=_lost_row(ev),
            )


@check(
    "scores.grade_mismatch",
    "error",
    "评价等次与总分不符",
    "评价等次应与总分所在的分数段一致：优≥90，良80–90，中60–80，差<60（财预〔2020〕10号）。"
    "优秀按优、良好按良、合格/及格按中理解。",
)
def grade_mismatch(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        grade = GRADE_WORDS.get((ev.grade or "").strip(" “”\"'「」（）()"))
        if grade is None or ev.total_score is None:
            continue
        total = total_span(ev.total_score)
        allowed = {default_grade(total.lo), default_grade(total.hi)}
        if grade in allowed:
            continue
        expected = default_grade(ev.total_score)
        yield finding(
            "scores.grade_mismatch",
            k,
            ev,
            f"{table_name(ev)}评价等次印为“{ev.grade}”，总分{_num(ev.total_score)}"
            f"对应的等次应为“{expected}”",
            loc=ev.cells.get("grade") or ev.cells.get("total"),
            reported=ev.grade,
            expected=expected,
            evidence=f"总分 {_num(ev.total_score)}；评价等次 {ev.grade}",
        )


@check(
    "scores.expert_mean",
    "error",
    "平均分与专家评分不符",
    "专家评分表中每项的平均分应等于各位专家评分之和÷专家人数（按平均分印出的位数舍入）。",
)
def expert_mean(ctx: Context) -> Iterator[Finding]:
    for k, ev, _i, ind, column in _panel_rows(ctx):
        if ind.score is None:
            continue
        mean = sum(column) / len(column)
        if not contradicts(rounded_to(ind.score, _mean_decimals(ev)), exact(mean)):
            continue
        exp = format_number(mean, 2)
        yield finding(
            "scores.expert_mean",
            k,
            ev,
            f"{table_name(ev)}「{ind.name}」平均分印为{_num(ind.score, ind.printed.get('score'))}，"
            f"{len(column)}位专家评分之和{_num(sum(column))}÷{len(column)}应为{exp}",
            loc=cell(ev, ind, "score"),
            reported=_num(ind.score, ind.printed.get("score")),
            expected=exp,
            evidence=f"{ind.name}：" + "、".join(_num(s) for s in column),
        )


@check(
    "scores.expert_total",
    "error",
    "专家总分与其各项评分之和不符",
    "专家评分表中每位专家的总分应等于该专家各项评分之和。",
)
def expert_total(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        for expert in ev.experts:
            scores = expert.scores
            if expert.total is None or not scores or any(s is None for s in scores):
                continue
            total = sum(s for s in scores if s is not None)
            if not contradicts(total_span(expert.total), exact(total)):
                continue
            yield finding(
                "scores.expert_total",
                k,
                ev,
                f"{table_name(ev)}专家{expert.name}的总分印为{_num(expert.total)}，"
                f"其各项评分之和为{_num(total)}",
                loc=expert.loc or ev.cells.get("total"),
                reported=_num(expert.total),
                expected=_num(total),
                evidence=f"{expert.name}：" + "、".join(_num(s) for s in scores if s is not None),
            )


@check(
    "scores.row_sum",
    "error",
    "专家评分合计与各专家评分之和不符",
    "专家评分表中每项的合计应等于各位专家对该项的评分之和。",
)
def row_sum(ctx: Context) -> Iterator[Finding]:
    for k, ev, i, ind, column in _panel_rows(ctx):
        if i >= len(ev.row_sums) or ev.row_sums[i] is None:
            continue
        printed = ev.row_sums[i]
        if not contradicts(total_span(printed), exact(sum(column))):
            continue
        yield finding(
            "scores.row_sum",
            k,
            ev,
            f"{table_name(ev)}「{ind.name}」专家评分合计印为{_num(printed)}，"
            f"{len(column)}位专家评分之和为{_num(sum(column))}",
            loc=ind.loc,
            reported=_num(printed),
            expected=_num(sum(column)),
            evidence=f"{ind.name}：" + "、".join(_num(s) for s in column),
        )


# --- the terms of each identity --------------------------------------------------------------


def _counts(ind: Indicator) -> bool:
    """A row that carries points: not a '不涉及' placeholder without weight or score."""
    texts = (ind.name, ind.target, ind.actual, ind.note)
    blank = ind.weight is None and ind.score is None
    return not (blank and any(w in (t or "") for t in texts for w in _NOT_SCORED)) and not (
        blank and not ind.target and not ind.actual
    )


def _what_adds_up(ev: Evaluation) -> str:
    if ev.kind == "expert_panel":
        return "各项平均分"
    funds = _funds_row(ev)
    with_funds = ev.kind == "project_self" and funds is not None and funds.score is not None
    return "各项得分（含预算执行得分）" if with_funds else "各项得分"


def _funds_row(ev: Evaluation) -> FundRow | None:
    return next((f for f in ev.funds if f.source == "total"), None)


def _score_terms(ev: Evaluation) -> list[tuple[float | None, str | None, str]]:
    """(score, printed text, row name) of every row that counts towards the total."""
    out: list[tuple[float | None, str | None, str]] = []
    funds = _funds_row(ev)
    if ev.kind == "project_self" and funds is not None and funds.weight is not None:
        out.append((funds.score, funds.printed.get("score"), "预算执行率"))
    for ind in ev.indicators:
        if ind.score is not None or (ind.weight is not None and _counts(ind)):
            out.append((ind.score, ind.printed.get("score"), ind.name))
    return out


def _weight_terms(ev: Evaluation) -> list[float | None]:
    out: list[float | None] = []
    funds = _funds_row(ev)
    if ev.kind == "project_self" and funds is not None and funds.weight is not None:
        out.append(funds.weight)
    out += [ind.weight for ind in ev.indicators if ind.weight is not None or ind.score is not None]
    return out


def _level_groups(ev: Evaluation) -> Iterator[tuple[str, str, list[Indicator]]]:
    """(level, header name, rows) for each 一级 header, then each 二级 header within it.
    A row whose level cell is empty continues the group above it (a merged cell read once);
    the same name with another printed weight starts a new group."""
    for name, rows in _runs(ev.indicators, "level1"):
        if name is not None:
            yield "level1", name, rows
        for name2, rows2 in _runs(rows, "level2"):
            if name2 is not None:
                yield "level2", name2, rows2


def _runs(rows: list[Indicator], level: str) -> Iterator[tuple[str | None, list[Indicator]]]:
    name: str | None = None
    weight: float | None = None
    run: list[Indicator] = []
    for ind in rows:
        this, w = getattr(ind, level), getattr(ind, f"{level}_weight")
        if this is not None and (
            this != name or (w is not None and weight is not None and w != weight)
        ):
            if run:
                yield name, run
            name, weight, run = this, w, []
        weight = weight if weight is not None else w
        run.append(ind)
    if run:
        yield name, run


def _panel_rows(ctx: Context) -> Iterator[tuple[int, Evaluation, int, Indicator, list[float]]]:
    """Expert panels: each row with every expert's score printed."""
    for k, ev in enumerate(ctx.report.evaluations):
        if not ev.experts:
            continue
        for i, ind in enumerate(ev.indicators):
            column = [e.scores[i] if i < len(e.scores) else None for e in ev.experts]
            if all(s is not None for s in column):
                yield k, ev, i, ind, [s for s in column if s is not None]


def _mean_decimals(ev: Evaluation) -> int:
    """The 平均分 column is formatted as one: a '5' among '4.75's is 5.00 with its zeros
    dropped, not 4.5 rounded to a whole point."""
    shown = [
        ind.printed.get("score") or format_number(ind.score)
        for ind in ev.indicators
        if ind.score is not None
    ]
    return max((decimals_of(t) for t in shown), default=0)


def _exact_means_meet(ev: Evaluation, printed: Span) -> bool:
    """Expert panels: the total may be the sum of the unrounded means (Σ experts ÷ n)."""
    columns = [e.scores for e in ev.experts]
    if not columns or any(len(c) != len(ev.indicators) or None in c for c in columns):
        return False
    means = [sum(c[i] for c in columns) / len(columns) for i in range(len(ev.indicators))]
    return printed.meets(exact(sum(means)))


def _lost_row(ev: Evaluation) -> str | None:
    """Σ weights and Σ scores both short of the printed totals, by amounts one missing row
    (scored between 0 and its weight) explains: the conversion probably lost a row."""
    if ev.total_weight is None or ev.total_score is None:
        return None
    weights = [w for w in _weight_terms(ev) if w is not None]
    scores = [term(v, t) for v, t, _ in _score_terms(ev) if v is not None]
    if not weights or not scores:
        return None
    weight_short = ev.total_weight - sum(weights)
    score_short = total_span(ev.total_score) - sum(scores, exact(0.0))
    if weight_short > 1e-6 and score_short.hi >= 0 and score_short.lo <= weight_short:
        return "分值与得分之和同时短缺，疑似有一行未能提取"
    return None


def _fused_term(known: list[tuple[float, str | None]], printed: Span) -> str | None:
    """A term like '1010' whose half restores the sum: two cells glued by the converter."""
    total = sum((term(v, t) for v, t in known), exact(0.0))
    for v, t in known:
        half = fused_half(t)
        if half is not None and printed.meets(total + exact(half - v)):
            return "疑似两格数字粘连"
    return None


def _decimals(x: float) -> int:
    return len(format_number(x).partition(".")[2])


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def _digits(known: list[tuple[float, str | None]]) -> int:
    return max((decimals_of(t) if t else _decimals(v) for v, t in known), default=0)


def _num(value: float, shown: str | None = None, digits: int | None = None) -> str:
    if shown and digits is None and shown.strip().replace(".", "", 1).isdigit():
        return shown.strip()
    return format_number(value, digits)
