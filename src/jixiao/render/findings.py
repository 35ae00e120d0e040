"""Findings in the terminal: one table per document, then a summary (rich).

Also the helpers the other findings renderers share: how a location reads for people, the
Chinese names of severities and families, and the run's counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao.checks.registry import CHECKS, FAMILIES
from jixiao.checks.runner import SEVERITIES, SEVERITY_NAMES, CheckedDocument
from jixiao.model import Finding

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
FAMILY_NAMES = {
    "funds": "资金执行",
    "scores": "分值得分",
    "rubric": "评分规则",
    "narrative": "决算说明",
    "units": "计量单位",
    "consistency": "前后一致",
    "quality": "填报质量",
    "disclosure": "公开完整",
    "accounts": "决算报表",
}


def family_of(check_id: str) -> str:
    return check_id.split(".", 1)[0]


def check_title(check_id: str) -> str:
    info = CHECKS.get(check_id)
    return info.title if info is not None else check_id


def where(loc: dict[str, Any] | None, fmt: str | None = None) -> str:
    """A location for people, without the file: ``第47行 表1 行4 列7``, ``第2页 表1 行4``."""
    if not loc:
        return ""
    parts: list[str] = []
    page, line, end = loc.get("page"), loc.get("line"), loc.get("line_end")
    if fmt == "xlsx":
        if page is not None:
            parts.append(f"工作表{page}")
        if line is not None:
            parts.append(f"第{line}行")
    else:
        if page is not None:
            parts.append(f"第{page}页")
        if line is not None:
            parts.append(f"第{line}行" if end in (None, line) else f"第{line}–{end}行")
    if loc.get("table") is not None:
        cell = f"表{loc['table'] + 1}"
        if loc.get("row") is not None:
            cell += f" 行{loc['row'] + 1}"
        if loc.get("col") is not None:
            cell += f" 列{loc['col'] + 1}"
        parts.append(cell)
    return " ".join(parts)


def file_position(path: str, loc: dict[str, Any] | None, fmt: str | None = None) -> str:
    """Short, for the terminal: ``path:47`` where the source has lines (editors open it there),
    else ``path 第2页 表1 行4`` (PDF), ``path 第39行`` (XLSX: the sheet's row), ``path 表2 行4``.
    """
    loc = loc or {}
    page, line, end = loc.get("page"), loc.get("line"), loc.get("line_end")
    if line is not None and fmt != "xlsx":
        return f"{path}:{line}" if end in (None, line) else f"{path}:{line}-{end}"
    parts = [path]
    if fmt == "xlsx":
        if page not in (None, 1):
            parts.append(f"工作表{page}")
        if line is not None:
            parts.append(f"第{line}行")
    else:
        if page is not None:
            parts.append(f"第{page}页")
        if loc.get("table") is not None:
            parts.append(f"表{loc['table'] + 1}")
            if loc.get("row") is not None:
                parts.append(f"行{loc['row'] + 1}")
    return " ".join(parts)


@dataclass
class Summary:
    documents: int = 0
    with_findings: int = 0
    failed: int = 0  # files that could not be read
    accepted: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_family: dict[str, Counter[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, docs: list[CheckedDocument], failed: int = 0) -> Summary:
        out = cls(documents=len(docs), failed=failed)
        for doc in docs:
            out.with_findings += bool(doc.findings)
            out.accepted += len(doc.accepted)
            for finding in doc.findings:
                out.by_severity[finding.severity] += 1
                family = family_of(finding.check)
                out.by_family.setdefault(family, Counter())[finding.severity] += 1
        return out

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    def families(self) -> list[str]:
        order = {f: k for k, f in enumerate((*FAMILIES, "accounts"))}
        return sorted(self.by_family, key=lambda f: (order.get(f, 99), f))

    def line(self) -> str:
        """The summary in one sentence."""
        text = f"共 {self.documents} 个文件，{self.with_findings} 个有问题"
        if self.total:
            counts = "，".join(
                f"{SEVERITY_NAMES[s]} {self.by_severity[s]} 条"
                for s in SEVERITIES
                if self.by_severity[s]
            )
            text += f"：{counts}"
        else:
            text += "：未发现问题"
        if self.failed:
            text += f"；{self.failed} 个文件无法读取"
        text += "。"
        if self.accepted:
            text += f"另有 {self.accepted} 条已确认的问题未显示。"
        return text


def print_findings(
    docs: list[CheckedDocument], console: Console, *, failed: int = 0, details: bool = True
) -> Summary:
    """Per document its findings (``details``), then the summary; returns the summary."""
    if details:
        for doc in docs:
            _print_document(doc, console)
    summary = Summary.of(docs, failed)
    print_summary(summary, console)
    return summary


def _print_document(doc: CheckedDocument, console: Console) -> None:
    report = doc.report
    head = Text()
    head.append(str(doc.path), style="bold")
    if report.entity or report.year:
        head.append(f"  {report.entity or ''} {report.year or ''}".rstrip())
    if not doc.findings:
        head.append("  未发现问题", style="green")
        if doc.accepted:
            head.append(f"（{len(doc.accepted)} 条已确认的问题未显示）", style="dim")
        console.print(head)
        return
    counts = "，".join(f"{SEVERITY_NAMES[s]} {doc.count(s)}" for s in SEVERITIES if doc.count(s))
    head.append(f"  {counts}")
    if doc.accepted:
        head.append(f"（另有 {len(doc.accepted)} 条已确认的问题未显示）", style="dim")
    console.print(head)
    table = Table(pad_edge=False, show_edge=False, box=None, padding=(0, 1))
    table.add_column("位置", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("说明", overflow="fold", ratio=3)
    table.add_column("表列值", overflow="fold", max_width=16)
    table.add_column("应为", overflow="fold", max_width=16)
    table.add_column("检查项", overflow="fold", style="dim")
    for finding in doc.findings:
        table.add_row(*_cells(doc, finding))
    console.print(table)
    console.print()


def _cells(doc: CheckedDocument, finding: Finding) -> list[str | Text]:
    style = SEVERITY_STYLES.get(finding.severity, "")
    return [
        file_position(str(doc.path), finding.loc, doc.report.format),
        Text(SEVERITY_NAMES.get(finding.severity, finding.severity), style=style),
        finding.message,
        finding.reported or "",
        finding.expected or "",
        finding.check,
    ]


def print_summary(summary: Summary, console: Console) -> None:
    console.print(summary.line(), markup=False)
    if not summary.by_family:
        return
    table = Table(title=None, pad_edge=False, show_edge=False, box=None, padding=(0, 1))
    table.add_column("检查类别")
    for severity in SEVERITIES:
        table.add_column(SEVERITY_NAMES[severity], justify="right", style=SEVERITY_STYLES[severity])
    table.add_column("合计", justify="right")
    for family in summary.families():
        counts = summary.by_family[family]
        name = FAMILY_NAMES.get(family, family)
        table.add_row(
            f"{family}（{name}）",
            *(str(counts[s]) if counts[s] else "·" for s in SEVERITIES),
            str(sum(counts.values())),
        )
    console.print(table)


def print_explain(check_id: str, console: Console) -> None:
    info = CHECKS[check_id]
    style = SEVERITY_STYLES.get(info.severity, "")
    console.print(Text.assemble((info.id, "bold"), "  ", info.title))
    console.print(
        Text.assemble(
            "严重程度：",
            (SEVERITY_NAMES.get(info.severity, info.severity), style),
            f"（{info.severity}）  类别：{info.family}（{FAMILY_NAMES.get(info.family, '')}）",
        )
    )
    console.print()
    console.print(info.explain, markup=False)


def print_check_list(console: Console) -> None:
    if not CHECKS:
        console.print("（尚未注册任何检查项）")
        return
    table = Table(pad_edge=False, show_edge=False, box=None, padding=(0, 1))
    table.add_column("检查项")
    table.add_column("级别", no_wrap=True)
    table.add_column("名称", overflow="fold")
    for info in sorted(CHECKS.values(), key=lambda i: (FAMILIES.index(i.family), i.id)):
        table.add_row(
            info.id,
            Text(
                SEVERITY_NAMES.get(info.severity, info.severity),
                style=SEVERITY_STYLES.get(info.severity, ""),
            ),
            info.title,
        )
    console.print(table)
