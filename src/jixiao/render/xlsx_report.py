"""The findings as a workbook ready to send back to the departments (openpyxl).

Sheet 问题清单: one row per finding (文件, 位置, 检查项, 严重程度, 说明, 表列值, 应为, 原文),
filterable, header frozen. Sheet 检查项说明: what each check that fired compares.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jixiao.checks.registry import CHECKS
from jixiao.checks.runner import SEVERITY_NAMES, CheckedDocument
from jixiao.render.findings import check_title, where

COLUMNS = ("文件", "位置", "检查项", "严重程度", "说明", "表列值", "应为", "原文")
WIDTHS = (30, 22, 30, 9, 60, 14, 14, 50)
FILLS = {
    "error": PatternFill("solid", fgColor="FFD9D6"),
    "warning": PatternFill("solid", fgColor="FFEEB0"),
    "info": PatternFill("solid", fgColor="DCEBFF"),
}
_HEAD_FILL = PatternFill("solid", fgColor="E3E7EC")


def _clean(text: str | None) -> str:
    """Cell text without the control characters that openpyxl refuses."""
    if not text:
        return ""
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32)


def render_xlsx(docs: list[CheckedDocument]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(COLUMNS)
    for k, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    fired: set[str] = set()
    for doc in docs:
        for finding in doc.findings:
            fired.add(finding.check)
            ws.append(
                [
                    _clean(doc.report.source),
                    where(finding.loc, doc.report.format),
                    _clean(f"{check_title(finding.check)}（{finding.check}）"),
                    SEVERITY_NAMES.get(finding.severity, finding.severity),
                    _clean(finding.message),
                    _clean(finding.reported),
                    _clean(finding.expected),
                    _clean(finding.evidence),
                ]
            )
            row = ws.max_row
            for col, cell in enumerate(ws[row], start=1):
                cell.alignment = wrap if col in (3, 5, 8) else top
                if cell.data_type == "f":  # printed text like "=100" is not a formula
                    cell.data_type = "s"
            ws.cell(row, 4).fill = FILLS.get(finding.severity, _HEAD_FILL)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"

    about = wb.create_sheet("检查项说明")
    about.append(("检查项", "名称", "严重程度", "说明"))
    for cell in about[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
    for k, width in enumerate((30, 30, 9, 80), start=1):
        about.column_dimensions[get_column_letter(k)].width = width
    for check_id in sorted(fired):
        info = CHECKS.get(check_id)
        if info is None:
            continue
        about.append(
            (
                info.id,
                _clean(info.title),
                SEVERITY_NAMES.get(info.severity, info.severity),
                _clean(info.explain),
            )
        )
        about.cell(about.max_row, 4).alignment = wrap
    about.freeze_panes = "A2"

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
