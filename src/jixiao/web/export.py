"""Every list of the web app as CSV (UTF-8 with BOM, so Excel opens it right) and XLSX.

The columns of each list are defined once here and used by the exports; the pages show the
same rows through the same queries (``jixiao.store.queries``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jixiao.render.findings import check_title
from jixiao.store.queries import DocRow, EntityRow, EvaluationRow, FindingRow
from jixiao.web.labels import (
    FAMILY_NAMES,
    FORMAT_NAMES,
    KIND_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
    kinds_text,
    local_time,
    where,
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 14


def _entity_name(row: Any) -> str:
    return row.entity.name if row.entity is not None else ""


def _region(row: Any) -> str:
    return (row.entity.region or "") if row.entity is not None else ""


def document_columns(tz: tzinfo) -> list[Column]:
    return [
        Column("编号", lambda r: r.document.id, 8),
        Column("文件名", lambda r: r.document.filename, 36),
        Column("单位", _entity_name, 30),
        Column("地区", _region, 18),
        Column("年度", lambda r: r.report.year, 8),
        Column("报告类型", lambda r: kinds_text(r.report.kinds), 30),
        Column("格式", lambda r: FORMAT_NAMES.get(r.document.format, r.document.format), 12),
        Column("评价表数", lambda r: r.report.n_evaluations, 10),
        Column("错误", lambda r: r.errors, 8),
        Column("疑似", lambda r: r.warnings, 8),
        Column("提示", lambda r: r.info, 8),
        Column("待复核", lambda r: r.open, 8),
        Column("已接受", lambda r: r.accepted, 8),
        Column("已驳回", lambda r: r.rejected, 8),
        Column("上传时间", lambda r: local_time(r.document.uploaded_at, tz), 18),
        Column("上传人", lambda r: r.document.uploader or "", 12),
        Column("SHA-256", lambda r: r.document.sha256, 20),
    ]


def finding_columns(tz: tzinfo) -> list[Column]:
    return [
        Column("编号", lambda r: r.finding.id, 8),
        Column("文件名", lambda r: r.document.filename, 30),
        Column("单位", _entity_name, 26),
        Column("地区", _region, 16),
        Column("年度", lambda r: r.report.year, 8),
        Column("位置", lambda r: where(r.finding.loc, r.report.reader_format), 20),
        Column("级别", lambda r: SEVERITY_NAMES.get(r.finding.severity, r.finding.severity), 8),
        Column("类别", lambda r: FAMILY_NAMES.get(r.finding.family, r.finding.family), 10),
        Column(
            "检查项", lambda r: f"{check_title(r.finding.check_id)}（{r.finding.check_id}）", 30
        ),
        Column("说明", lambda r: r.finding.message, 60),
        Column("表列值", lambda r: r.finding.reported or "", 14),
        Column("应为", lambda r: r.finding.expected or "", 14),
        Column("原文", lambda r: r.finding.evidence or "", 40),
        Column("复核状态", lambda r: STATUS_NAMES.get(r.finding.status, r.finding.status), 10),
        Column("复核意见", lambda r: r.finding.comment or "", 30),
        Column("复核人", lambda r: r.finding.reviewed_by or "", 10),
        Column("复核时间", lambda r: local_time(r.finding.reviewed_at, tz), 18),
        Column("指纹", lambda r: r.finding.fingerprint, 30),
    ]


def evaluation_columns(tz: tzinfo) -> list[Column]:
    def ev(r: EvaluationRow) -> Any:
        return r.evaluation

    return [
        Column("文件名", lambda r: r.document.filename, 30),
        Column("单位", _entity_name, 26),
        Column("地区", _region, 16),
        Column("年度", lambda r: r.report.year, 8),
        Column("类型", lambda r: KIND_NAMES.get(ev(r).kind, ev(r).kind), 22),
        Column("项目/对象", lambda r: ev(r).subject or "", 30),
        Column("自评总分", lambda r: ev(r).total_score, 10),
        Column("复算总分", lambda r: _round(ev(r).recomputed_total), 10),
        Column("差值（自评−复算）", lambda r: r.inflation, 12),
        Column("自评等次", lambda r: ev(r).grade or "", 10),
        Column("复算等次", lambda r: ev(r).recomputed_grade or "", 10),
        Column("全年预算数", lambda r: ev(r).annual_budget, 14),
        Column("全年执行数", lambda r: ev(r).executed, 14),
        Column("执行率（印刷）%", lambda r: ev(r).rate, 12),
        Column("执行率（复算）%", lambda r: _round(ev(r).rate_computed), 12),
        Column("金额单位", lambda r: ev(r).money_unit or "", 8),
        Column("评分框架", lambda r: ev(r).framework or "", 24),
    ]


def entity_columns(tz: tzinfo) -> list[Column]:
    return [
        Column("编号", lambda r: r.entity.id, 8),
        Column("单位", lambda r: r.entity.name, 32),
        Column("地区", lambda r: r.entity.region or "", 20),
        Column("层级", lambda r: r.entity.level or "", 10),
        Column("文档数", lambda r: r.documents, 8),
        Column("错误", lambda r: r.errors, 8),
        Column("疑似", lambda r: r.warnings, 8),
        Column("待复核", lambda r: r.open, 8),
    ]


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def _safe(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)
    return value


def to_csv(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow(["" if (v := c.value(row)) is None else _safe(v) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(title: str, columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([c.header for c in columns])
    for k, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = col.width
    fill = PatternFill("solid", fgColor="E3E7EC")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
    n = 1
    for row in rows:
        n += 1
        for k, col in enumerate(columns, start=1):
            value = _clean(col.value(row))
            cell = ws.cell(row=n, column=k)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if "\n" in value or len(value) > col.width:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(n, 1)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = [
    "Column",
    "DocRow",
    "EntityRow",
    "EvaluationRow",
    "FindingRow",
    "document_columns",
    "entity_columns",
    "evaluation_columns",
    "finding_columns",
    "to_csv",
    "to_xlsx",
]
