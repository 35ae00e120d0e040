"""Terminal view of recomputed scores: one table per evaluation, rows off the rules marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from jixiao.numbers import format_number
from jixiao.render.terminal import KIND_NAMES
from jixiao.scoring import ABOVE, BELOW, STATUS_TEXT, EvaluationScore, ScoredReport, Value

if TYPE_CHECKING:
    from jixiao.frameworks.loader import Framework

_STYLE = {ABOVE: "bold red", BELOW: "yellow"}


def fmt_value(value: Value | list[float]) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple | list):
        low, high = value
        return f"{format_number(round(low, 3))}～{format_number(round(high, 3))}"
    return format_number(round(value, 3))


def print_scores(reports: list[ScoredReport], console: Console) -> None:
    for report in reports:
        console.print(f"[bold]{report.source}[/bold]")
        if not report.evaluations:
            console.print("  没有识别到绩效评价表\n")
        for k, ev in enumerate(report.evaluations, start=1):
            _print_evaluation(k, ev, console)


def _print_evaluation(k: int, ev: EvaluationScore, console: Console) -> None:
    kind = KIND_NAMES.get(ev.kind, ev.kind)
    fw = ev.framework or "（无匹配框架：只检查得分不超过分值）"
    console.print(f"\n[bold]{k}. {kind}[/bold] {ev.subject or ev.title}  框架：{fw}")
    table = Table(pad_edge=False)
    for col in ("指标", "分值", "自评分", "复算", "规则", "结果", "依据"):
        table.add_column(col, overflow="fold")
    above = below = 0
    for row in ev.rows:
        style = _STYLE.get(row.status)
        above += row.status == ABOVE
        below += row.status == BELOW
        table.add_row(
            row.name,
            fmt_value(row.weight),
            fmt_value(row.printed),
            fmt_value(row.recomputed),
            row.rule or "—",
            STATUS_TEXT.get(row.status, row.status),
            row.explain,
            style=style,
        )
    console.print(table)
    grade = ev.recomputed_grade
    grade_text = "～".join(grade) if isinstance(grade, list) else (grade or "—")
    console.print(
        f"  总分：表列 {fmt_value(ev.printed_total)}，行得分合计 {fmt_value(ev.sum_printed)}，"
        f"复算 {fmt_value(ev.recomputed_total)}；等次：表列 {ev.printed_grade or '—'}，"
        f"复算 {grade_text}"
    )
    if above or below:
        console.print(f"  [bold red]{above} 行自评分高于规则[/bold red]，{below} 行低于规则")
    if ev.panel is not None:
        _print_panel(ev, console)


def _print_panel(ev: EvaluationScore, console: Console) -> None:
    panel = ev.panel
    assert panel is not None
    table = Table(title="专家评分复核", pad_edge=False)
    for col in ("指标", "表列平均分", "复算平均", "去极值平均", "表列合计", "复算合计"):
        table.add_column(col, overflow="fold")
    for row in panel.rows:
        table.add_row(
            row.name,
            fmt_value(row.printed),
            fmt_value(row.mean),
            fmt_value(row.trimmed_mean),
            fmt_value(row.printed_sum),
            fmt_value(row.sum),
        )
    console.print(table)
    totals = "，".join(
        f"{e.name} 表列 {fmt_value(e.printed)} / 复算 {fmt_value(e.recomputed)}"
        for e in panel.experts
    )
    console.print(f"  专家总分：{totals}")
    for g in panel.groups:
        level = "一级" if g.level == 1 else "二级"
        console.print(
            f"  {level}「{g.name}」分值 {fmt_value(g.weight)}，得分 {fmt_value(g.score)}，"
            f"失分率 {g.loss_rate:.2%}"
        )


def print_frameworks(frameworks: list[Framework], console: Console) -> None:
    table = Table(title="内置评分框架", pad_edge=False)
    for col in ("id", "名称", "适用", "依据", "地区", "年份"):
        table.add_column(col, overflow="fold")
    for fw in frameworks:
        table.add_row(
            fw.id,
            fw.title,
            "、".join(KIND_NAMES.get(k, k) for k in fw.kinds),
            f"{fw.source.document} {fw.source.clause or ''}".strip(),
            fw.source.region,
            str(fw.source.year),
        )
    console.print(table)
