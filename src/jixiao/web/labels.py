"""Chinese names and number formats for the pages and the exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from jixiao.render.findings import FAMILY_NAMES, where

KIND_NAMES = {
    "project_self": "项目支出绩效自评表",
    "department_self": "部门整体支出绩效评价",
    "project_review": "项目支出绩效评价评分表",
    "expert_panel": "专家评分表",
    "accounts": "部门决算报表",
}
SEVERITY_NAMES = {"error": "错误", "warning": "疑似", "info": "提示"}
STATUS_NAMES = {"open": "待复核", "accepted": "已接受", "rejected": "已驳回"}
STATUS_HELP = {
    "open": "尚未复核",
    "accepted": "复核确认：确有问题，需单位更正或说明",
    "rejected": "复核驳回：不是问题（误报）",
}
FORMAT_NAMES = {
    "pdf": "PDF",
    "docx": "Word（DOCX）",
    "xlsx": "Excel（XLSX）",
    "text": "文本",
    "text_cells": "Word 另存文本",
    "markdown": "Markdown",
    "tsv_html": "TAB 表格文本",
    "html": "HTML",
}
FUND_SOURCES = {
    "total": "年度资金总额",
    "fiscal": "其中：财政拨款",
    "carryover": "上年结转",
    "other": "其他资金",
}
SCORE_STATUS = {
    "above": "自评分高于规则",
    "below": "自评分低于规则",
    "ok": "相符",
    "not_recomputable": "无法复算",
    "not_printed": "未填得分",
}
LEVELS = ("省级", "市级", "区县级", "乡镇级")

__all__ = [
    "FAMILY_NAMES",
    "FORMAT_NAMES",
    "KIND_NAMES",
    "LEVELS",
    "SEVERITY_NAMES",
    "STATUS_NAMES",
    "kinds_text",
    "local_time",
    "num",
    "size_text",
    "where",
]


def zone(name: str) -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:
        return timezone(timedelta(hours=8), "CST")


def local_time(value: datetime | None, tz: tzinfo, seconds: bool = False) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def num(value: Any, digits: int = 2) -> str:
    """A number as people write it: no trailing zeros, ``—`` when absent."""
    if value is None:
        return "—"
    if isinstance(value, (int, float)):
        text = f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"
        return "0" if text in ("-0", "") else text
    return str(value)


def signed(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = num(abs(value), digits)
    if abs(value) < 0.5 * 10**-digits:
        return "0"
    return ("+" if value > 0 else "−") + text


def size_text(n: int | None) -> str:
    if n is None:
        return ""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def kinds_text(kinds: str | None) -> str:
    return "、".join(KIND_NAMES.get(k, k) for k in (kinds or "").split(",") if k)
