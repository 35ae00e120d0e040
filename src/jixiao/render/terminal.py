"""A readable terminal summary of extracted reports (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from jixiao.model import Evaluation, Report
from jixiao.numbers import format_number

KIND_NAMES = {
    "project_self": "项目自评表",
    "department_self": "部门整体评分表",
    "project_review": "项目评分表",
    "expert_panel": "专家评分表",
}


def _num(x: float | None) -> str:
    return "—" if x is None else format_number(x)


def print_reports(reports: list[Report], console: Console) -> None:
    for report in reports:
        head = f"[bold]{report.source}[/bold]  {report.entity or '（未识别单位）'}  {report.year or ''}"
        console.print(head)
        if not report.evaluations:
            console.print("  没有识别到绩效评价表\n")
            continue
        table = Table(show_lines=False, pad_edge=False)
        for col in (
            "#",
            "类型",
            "标题",
            "项目/单位",
            "资金执行率",
            "指标数",
            "Σ分值",
            "Σ得分",
            "总分",
            "等次",
        ):
            table.add_column(col, overflow="fold")
        for i, ev in enumerate(report.evaluations, start=1):
            table.add_row(*_row(i, ev))
        console.print(table)
        console.print()
    total = sum(len(r.evaluations) for r in reports)
    console.print(f"共 {len(reports)} 个文件，识别 {total} 张评价表。")


def _row(i: int, ev: Evaluation) -> list[str]:
    fund = next((f for f in ev.funds if f.source == "total"), None)
    rate = _num(fund.rate) + ("%" if fund and fund.rate is not None else "") if fund else ""
    weights = [x.weight for x in ev.indicators if x.weight is not None]
    scores = [x.score for x in ev.indicators if x.score is not None]
    return [
        str(i),
        KIND_NAMES[ev.kind],
        ev.title,
        ev.subject or "",
        rate,
        str(len(ev.indicators)),
        _num(sum(weights)) if weights else "—",
        _num(sum(scores)) if scores else "—",
        _num(ev.total_score),
        ev.grade or "",
    ]
