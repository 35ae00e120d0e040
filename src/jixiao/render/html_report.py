"""The audit as one self-contained HTML page: summary, then per document its findings and every
affected table drawn from the document, the faulty cells highlighted (the finding shows on
hover). Inline CSS only: the file can be mailed or opened offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from jixiao import __version__
from jixiao.checks.runner import SEVERITIES, SEVERITY_NAMES, SEVERITY_RANK, CheckedDocument
from jixiao.document import Table
from jixiao.model import Finding
from jixiao.render.findings import FAMILY_NAMES, Summary, check_title, where

CSS = """
:root{--err:#c62828;--err-bg:#ffd9d6;--warn:#a66300;--warn-bg:#ffeeb0;--info:#1565c0;
--info-bg:#dcebff;--line:#d0d4da;--muted:#666}
*{box-sizing:border-box}
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",
"SimSun",sans-serif;margin:0;padding:24px 32px;color:#222;line-height:1.5;background:#fafbfc}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 4px;padding-top:8px;
border-top:2px solid var(--line)}h3{font-size:15px;margin:20px 0 6px}
.meta,.muted{color:var(--muted);font-size:13px}
table{border-collapse:collapse;margin:6px 0 12px;background:#fff}
th,td{border:1px solid var(--line);padding:4px 8px;vertical-align:top;font-size:13px}
th{background:#f0f2f5;font-weight:600;text-align:left}
.summary td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;white-space:nowrap}
.sev.error{background:var(--err);color:#fff}.sev.warning{background:var(--warn);color:#fff}
.sev.info{background:var(--info);color:#fff}
.findings td.num{white-space:nowrap;font-variant-numeric:tabular-nums}
.findings td.ev{color:#444;max-width:36em}
.findings code,.check{font-size:12px;color:var(--muted)}
.doc table.src td{min-width:2.5em;max-width:28em;white-space:pre-wrap}
table.src td.rn{background:#f0f2f5;color:var(--muted);text-align:right;font-size:11px}
table.src td.cov{background:#f7f7f7}
td.hl{cursor:help;font-weight:600}
td.hl.error{background:var(--err-bg);outline:2px solid var(--err);outline-offset:-2px}
td.hl.warning{background:var(--warn-bg);outline:2px solid var(--warn);outline-offset:-2px}
td.hl.info{background:var(--info-bg);outline:2px solid var(--info);outline-offset:-2px}
td.hlrow{cursor:help}td.hlrow.error{background:var(--err-bg)}
td.hlrow.warning{background:var(--warn-bg)}td.hlrow.info{background:var(--info-bg)}
td.rel{background:#eef1f4;outline:1px dashed #8a94a0;outline-offset:-2px;cursor:help}
td:target{box-shadow:0 0 0 3px #000 inset}
.ok{color:#2e7d32}
a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
.legend span{margin-right:12px}
"""


@dataclass
class _Marks:
    """Which cells of one table the findings point at (primary) or read (related)."""

    primary: dict[tuple[int, int], list[tuple[int, Finding]]] = field(default_factory=dict)
    related: dict[tuple[int, int], list[tuple[int, Finding]]] = field(default_factory=dict)
    rows: dict[int, list[tuple[int, Finding]]] = field(default_factory=dict)  # no column
    whole: list[tuple[int, Finding]] = field(default_factory=list)  # no row


def render_html(
    docs: list[CheckedDocument],
    *,
    failures: list[str] | None = None,
    title: str = "jixiao 复核报告",
    now: datetime | None = None,
) -> str:
    """The page. Each document needs ``document`` kept (``check_document(keep_document=True)``)."""
    failures = failures or []
    summary = Summary.of(docs, len(failures))
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">jixiao {escape(__version__)} · 生成于 {stamp}</p>',
        f"<p>{escape(summary.line())}</p>",
        _summary_tables(docs, summary),
    ]
    if failures:
        out.append("<h3>无法读取的文件</h3><ul>")
        out.extend(f"<li>{escape(line)}</li>" for line in failures)
        out.append("</ul>")
    out.append(
        '<p class="legend muted">'
        '<span><span class="sev error">错误</span> 确定的矛盾</span>'
        '<span><span class="sev warning">疑似</span> 可能有误，请核对</span>'
        '<span><span class="sev info">提示</span> 供参考</span>'
        "表中标色的单元格即问题所在，鼠标悬停显示说明；虚线框为计算中用到的其他数值。</p>"
    )
    for k, doc in enumerate(docs):
        if doc.findings:
            out.append(_document(k, doc))
    out.append("</body></html>\n")
    return "\n".join(out)


def _summary_tables(docs: list[CheckedDocument], summary: Summary) -> str:
    out = ['<table class="summary"><tr><th>文件</th><th>单位</th><th>年度</th>']
    out.extend(f"<th>{SEVERITY_NAMES[s]}</th>" for s in SEVERITIES)
    out.append("<th>已确认</th></tr>")
    for k, doc in enumerate(docs):
        name = escape(str(doc.path))
        link = f'<a href="#doc-{k}">{name}</a>' if doc.findings else name
        out.append(
            f"<tr><td>{link}</td><td>{escape(doc.report.entity or '')}</td>"
            f"<td>{doc.report.year or ''}</td>"
        )
        for s in SEVERITIES:
            n = doc.count(s)
            out.append(f'<td class="n">{n or ""}</td>')
        out.append(f'<td class="n">{len(doc.accepted) or ""}</td></tr>')
    out.append("</table>")
    if summary.by_family:
        out.append('<table class="summary"><tr><th>检查类别</th>')
        out.extend(f"<th>{SEVERITY_NAMES[s]}</th>" for s in SEVERITIES)
        out.append("<th>合计</th></tr>")
        for family in summary.families():
            counts = summary.by_family[family]
            name = f"{family}（{FAMILY_NAMES.get(family, family)}）"
            out.append(f"<tr><td>{escape(name)}</td>")
            out.extend(f'<td class="n">{counts[s] or ""}</td>' for s in SEVERITIES)
            out.append(f'<td class="n">{sum(counts.values())}</td></tr>')
        out.append("</table>")
    return "".join(out)


def _document(k: int, doc: CheckedDocument) -> str:
    report = doc.report
    head = escape(str(doc.path))
    sub = " ".join(x for x in (report.entity or "", str(report.year or "")) if x)
    tables = {t.index: t for t in doc.document.tables()} if doc.document is not None else {}
    marks = _collect_marks(doc.findings, tables)
    targets: dict[int, str] = {}  # finding index -> id of the cell it points at
    captions: dict[int, str] = {}
    for ev in report.evaluations:
        t = (ev.loc or {}).get("table")
        if t is not None and t not in captions:
            captions[t] = f"{ev.title}（{ev.subject}）" if ev.subject else ev.title
    drawn = [
        _table(k, tables[t], marks[t], targets, report.format, captions.get(t))
        for t in sorted(marks)
    ]
    out = [f'<section class="doc" id="doc-{k}"><h2>{head}</h2>']
    if sub:
        out.append(f'<p class="meta">{escape(sub)}</p>')
    out.append(
        '<table class="findings"><tr><th>位置</th><th>级别</th><th>说明</th>'
        "<th>表列值</th><th>应为</th><th>检查项</th><th>原文</th></tr>"
    )
    for i, finding in enumerate(doc.findings):
        place = escape(where(finding.loc, report.format) or "—")
        if i in targets:
            place = f'<a href="#{targets[i]}">{place}</a>'
        sev = finding.severity
        out.append(
            f"<tr><td>{place}</td>"
            f'<td><span class="sev {sev}">{SEVERITY_NAMES.get(sev, sev)}</span></td>'
            f"<td>{escape(finding.message)}</td>"
            f'<td class="num">{escape(finding.reported or "")}</td>'
            f'<td class="num">{escape(finding.expected or "")}</td>'
            f'<td><span class="check" title="{escape(check_title(finding.check))}">'
            f"{escape(finding.check)}</span></td>"
            f'<td class="ev">{escape(finding.evidence or "")}</td></tr>'
        )
    out.append("</table>")
    out.extend(drawn)
    out.append("</section>")
    return "\n".join(out)


def _collect_marks(findings: list[Finding], tables: dict[int, Table]) -> dict[int, _Marks]:
    marks: dict[int, _Marks] = {}
    for i, finding in enumerate(findings):
        loc = finding.loc or {}
        t = loc.get("table")
        if t in tables:
            m = marks.setdefault(t, _Marks())
            if loc.get("row") is None:
                m.whole.append((i, finding))
            elif loc.get("col") is None:
                m.rows.setdefault(loc["row"], []).append((i, finding))
            else:
                m.primary.setdefault((loc["row"], loc["col"]), []).append((i, finding))
        for rel in finding.related:
            t = rel.get("table")
            if t in tables and rel.get("row") is not None and rel.get("col") is not None:
                m = marks.setdefault(t, _Marks())
                m.related.setdefault((rel["row"], rel["col"]), []).append((i, finding))
    return marks


def _worst(items: list[tuple[int, Finding]]) -> str:
    return min((f.severity for _, f in items), key=lambda s: SEVERITY_RANK.get(s, 9))


def _tip(items: list[tuple[int, Finding]], prefix: str = "") -> str:
    return "\n".join(
        f"{prefix}[{SEVERITY_NAMES.get(f.severity, f.severity)}] {f.message}" for _, f in items
    )


def _table(
    k: int,
    table: Table,
    marks: _Marks,
    targets: dict[int, str],
    fmt: str | None,
    caption: str | None,
) -> str:
    t = table.index
    loc = _loc_dict(table.loc)
    loc.pop("table", None)
    place = where(loc, fmt)
    head = escape(f"表{t + 1}" + (f" {caption}" if caption else ""))
    if place:
        head += f' <span class="muted">{escape(place)}</span>'
    out = [f"<h3>{head}</h3>"]
    if marks.whole:
        out.extend(
            f'<p><span class="sev {f.severity}">{SEVERITY_NAMES.get(f.severity, f.severity)}'
            f"</span> {escape(f.message)}</p>"
            for _, f in marks.whole
        )
    out.append('<table class="src">')
    for r, row in enumerate(table.rows):
        out.append(f'<tr><td class="rn">{r + 1}</td>')
        row_items = marks.rows.get(r, [])
        for cell in row:
            cols = range(cell.col, cell.col + max(cell.colspan, 1))
            hits = [x for c in cols for x in marks.primary.get((r, c), [])]
            seen = {i for i, _ in hits} | {i for i, _ in row_items}
            rels = [x for c in cols for x in marks.related.get((r, c), []) if x[0] not in seen]
            cell_id = f"d{k}-t{t}-r{r}-c{cell.col}"
            classes: list[str] = []
            tip = ""
            if hits or row_items:
                classes += ["hl" if hits else "hlrow", _worst(hits + row_items)]
                tip = _tip(hits + row_items)
                for i, _ in hits + row_items:
                    targets.setdefault(i, cell_id)
            elif rels:
                classes.append("rel")
                tip = _tip(rels, "相关：")
            if cell.covered:
                classes.append("cov")
            attrs = f' id="{cell_id}"'
            if classes:
                attrs += f' class="{" ".join(classes)}"'
            if tip:
                attrs += f' title="{escape(tip)}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            out.append(f"<td{attrs}>{escape(cell.text.strip())}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _loc_dict(loc: Any) -> dict[str, Any]:
    return loc.to_dict() if hasattr(loc, "to_dict") else dict(loc or {})
