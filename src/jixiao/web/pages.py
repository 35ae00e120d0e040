"""The pages: upload, documents, one document (tables with findings beside them), findings,
evaluations, entities, dashboard; every list exportable as CSV and XLSX.

Forms post with a CSRF token (``jixiao.web.security``) and answer with a redirect, so they
work without JavaScript; with htmx present the review buttons update their section in place.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from jixiao.model import Finding as ModelFinding
from jixiao.render.table_html import render_table, table_from_json
from jixiao.store import models as m
from jixiao.store import queries as q
from jixiao.store.ingest import Store, UploadRefused
from jixiao.web import export
from jixiao.web.api import cached_stats, file_response, read_upload, upload_message
from jixiao.web.labels import KIND_NAMES, LEVELS, STATUS_NAMES

router = APIRouter(include_in_schema=False)

REVIEWER_COOKIE = "jixiao_reviewer"
EXPORT_LIMIT = 100_000


# -- helpers ---------------------------------------------------------------------------------


def _store(request: Request) -> Store:
    return request.app.state.store


def choices_of(request: Request, s: Session) -> q.Choices:
    """The filter choices (entities, regions, years, checks): cached until the next write."""
    return _store(request).cache.get(s, ("choices",), lambda: q.choices(s))


def kinds_present(request: Request, s: Session) -> list[str]:
    return _store(request).cache.get(s, ("kinds",), lambda: q.evaluation_kinds_present(s))


def _render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    templates = request.app.state.templates
    context.setdefault("nav", "")
    context["url_with"] = lambda **changes: url_with(request, **changes)
    context["reviewer_name"] = _reviewer_name(request)
    return templates.TemplateResponse(request, name, context, status_code=status)


def url_with(request: Request, **changes: Any) -> str:
    """The current query string with ``changes`` applied (None or "" removes a key)."""
    params = {k: v for k, v in request.query_params.items()}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _bool(value: str | None) -> bool | None:
    return {"1": True, "0": False, "true": True, "false": False}.get((value or "").lower())


def _text(value: str | None, n: int = 200) -> str | None:
    value = (value or "").strip()
    return value[:n] or None


def doc_filter(request: Request) -> q.DocFilter:
    p = request.query_params
    kind = p.get("kind")
    return q.DocFilter(
        entity=_int(p.get("entity")),
        region=_text(p.get("region"), 100),
        year=_int(p.get("year")),
        kind=kind if kind in q.KINDS else None,
        has_errors=_bool(p.get("has_errors")),
        pending=_bool(p.get("pending")),
        q=_text(p.get("q")),
    )


def finding_filter(request: Request) -> q.FindingFilter:
    p = request.query_params
    severity = p.get("severity")
    status = p.get("status")
    return q.FindingFilter(
        document=_int(p.get("document")),
        entity=_int(p.get("entity")),
        region=_text(p.get("region"), 100),
        year=_int(p.get("year")),
        severity=severity if severity in m.SEVERITIES else None,
        family=_text(p.get("family"), 20),
        check=_text(p.get("check"), 80),
        status=status if status in m.REVIEW_STATUSES else None,
        q=_text(p.get("q")),
    )


@dataclass
class Page:
    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.offset + self.size)


def _page(request: Request) -> tuple[int, int]:
    number = max(1, _int(request.query_params.get("page")) or 1)
    return number, request.app.state.settings.page_size


def _download(data: bytes, name: str, ext: str) -> Response:
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    filename = f"jixiao-{name}-{stamp}.{ext}"
    media = (
        "text/csv; charset=utf-8"
        if ext == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    ascii_name = f"jixiao-{stamp}.{ext}"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


def _export(
    request: Request, ext: str, title: str, columns: list[Any], rows: list[Any]
) -> Response:
    if ext == "csv":
        return _download(export.to_csv(columns, rows), title, "csv")
    if ext == "xlsx":
        return _download(export.to_xlsx(title, columns, rows), title, "xlsx")
    raise HTTPException(404, "不支持的导出格式")


def _check_csrf(request: Request, submitted: Any) -> None:
    token = submitted if isinstance(submitted, str) else None
    token = token or request.headers.get("x-csrf-token")
    if not request.app.state.csrf.valid(request, token):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


def _safe_next(value: Any, default: str) -> str:
    """Only a path on this site (``/…``, not ``//host``) is followed after a form."""
    if isinstance(value, str) and re.fullmatch(r"/(?!/)[^\s\\]*", value):
        return value
    return default


def _remember(response: Response, name: str | None) -> None:
    if name:
        response.set_cookie(
            REVIEWER_COOKIE,
            quote(name),
            max_age=60 * 60 * 24 * 365,
            samesite="strict",
            httponly=True,
        )


def _reviewer_name(request: Request) -> str:
    from urllib.parse import unquote

    return unquote(request.cookies.get(REVIEWER_COOKIE, ""))


# -- pages -----------------------------------------------------------------------------------


@router.get("/")
def home() -> Response:
    return RedirectResponse("/documents", status_code=302)


@router.get("/upload")
def upload_page(request: Request) -> Response:
    return _render(request, "upload.html", nav="upload", results=None)


@router.post("/upload")
async def upload_post(request: Request) -> Response:
    st = _store(request)
    settings = request.app.state.settings
    form = await request.form(max_files=settings.max_files_per_request, max_fields=20)
    _check_csrf(request, form.get("csrf_token"))
    uploader = _text(form.get("uploader") if isinstance(form.get("uploader"), str) else None, 100)
    region = _text(form.get("region") if isinstance(form.get("region"), str) else None, 100)
    files = [
        f
        for f in form.getlist("files") + form.getlist("file")
        if isinstance(f, UploadFile) and (f.filename or f.size)
    ]
    results: list[dict[str, Any]] = []
    for up in files:
        try:
            data = await read_upload(up, st.max_bytes)
            result = await run_in_threadpool(
                st.ingest, data, up.filename, uploader=uploader, region=region
            )
        except UploadRefused as e:
            results.append(
                {"filename": e.path, "status": "refused", "code": e.status, "message": e.message}
            )
            continue
        finally:
            await up.close()
        results.append(
            {
                "filename": result.filename,
                "status": "created" if result.created else "exists",
                "code": 201 if result.created else 200,
                "message": upload_message(result),
                "document_id": result.document_id,
                "url": f"/documents/{result.document_id}",
                "entity": result.entity,
                "year": result.year,
                "findings": result.findings,
            }
        )
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        response: Response = JSONResponse({"results": results})
    else:
        response = _render(
            request,
            "upload.html",
            nav="upload",
            results=results,
            nothing=not files,
            status=200 if files else 400,
        )
    _remember(response, uploader)
    return response


@router.get("/documents")
def documents(request: Request) -> Response:
    f = doc_filter(request)
    number, size = _page(request)
    sort = request.query_params.get("sort") or "uploaded"
    with _store(request).db.read() as s:
        total, rows = q.list_documents(
            s, f, sort=sort, limit=size, offset=(number - 1) * size, cache=_store(request).cache
        )
        choices = choices_of(request, s)
        kinds = kinds_present(request, s)
    return _render(
        request,
        "documents.html",
        nav="documents",
        rows=rows,
        page=Page(number, size, total),
        f=f,
        sort=sort,
        choices=choices,
        kinds=kinds,
    )


@router.get("/documents.{ext}")
def documents_export(request: Request, ext: str) -> Response:
    sort = request.query_params.get("sort") or "uploaded"
    with _store(request).db.read() as s:
        _, rows = q.list_documents(s, doc_filter(request), sort=sort, limit=EXPORT_LIMIT)
        return _export(request, ext, "文档", export.document_columns(request.app.state.tz), rows)


@dataclass
class FindingView:
    finding: m.Finding
    cell: str | None = None  # id of the table cell it points at


@dataclass
class Section:
    """One block of the document page: a table (an evaluation's, or another one that has
    findings) with its findings beside it, or the findings outside any table."""

    key: str
    title: str
    evaluation: m.Evaluation | None = None
    table_html: str | None = None
    findings: list[FindingView] = field(default_factory=list)
    score_rows: list[m.Indicator] = field(default_factory=list)


def _model_finding(f: m.Finding) -> ModelFinding:
    return ModelFinding.model_construct(
        check=f.check_id,
        severity=f.severity,
        message=f.message,
        loc=f.loc,
        evidence=f.evidence,
        reported=f.reported,
        expected=f.expected,
        related=list(f.related or []),
    )


def build_sections(report: m.Report) -> list[Section]:
    tables = {t.get("index"): t for t in report.tables or []}
    evaluations = list(report.evaluations)
    by_id = {ev.id: ev for ev in evaluations}
    by_table = {ev.table_index: ev for ev in evaluations if ev.table_index is not None}
    sections: dict[str, Section] = {}
    for ev in evaluations:
        title = (
            f"{ev.title}（{ev.subject}）" if ev.subject and ev.subject not in ev.title else ev.title
        )
        sections[f"ev-{ev.position}"] = Section(f"ev-{ev.position}", title, ev)
    loose: list[m.Finding] = []
    for f in report.findings:
        loc = f.loc or {}
        t = loc.get("table")
        if f.evaluation_id in by_id:
            key = f"ev-{by_id[f.evaluation_id].position}"
        elif t in by_table:
            key = f"ev-{by_table[t].position}"
        elif t in tables:
            key = f"table-{t}"
            sections.setdefault(key, Section(key, f"表{t + 1}"))
        else:
            loose.append(f)
            continue
        sections[key].findings.append(FindingView(f))
    fmt = report.reader_format
    for sec in sections.values():
        ev = sec.evaluation
        t = ev.table_index if ev is not None else int(sec.key.split("-")[1])
        data = tables.get(t)
        if data is None:
            continue
        table = table_from_json(data)
        active = [fv for fv in sec.findings if fv.finding.status != "rejected"]
        html, targets = render_table(table, [_model_finding(fv.finding) for fv in active], fmt=fmt)
        sec.table_html = html
        for k, fv in enumerate(active):
            fv.cell = targets.get(k)
        rejected = [fv for fv in sec.findings if fv.finding.status == "rejected"]
        if rejected:
            _, targets = render_table(table, [_model_finding(fv.finding) for fv in rejected])
            for k, fv in enumerate(rejected):
                fv.cell = targets.get(k)
    out = [s for s in sections.values() if s.evaluation is not None or s.findings]
    if loose:
        out.append(Section("other", "表格以外的问题", findings=[FindingView(f) for f in loose]))
    return out


@router.get("/documents/{document_id}")
def document_view(request: Request, document_id: int) -> Response:
    with _store(request).db.read() as s:
        row = q.get_document(s, document_id, indicators=True)
        if row is None:
            raise HTTPException(404, "文档不存在")
        sections = build_sections(row.report)
        for sec in sections:  # the rows whose printed score the rules give differently
            if sec.evaluation is not None:
                sec.score_rows = [
                    ind
                    for ind in sec.evaluation.indicators
                    if ind.score_status in ("above", "below")
                ]
        return _render(
            request,
            "document.html",
            nav="documents",
            row=row,
            doc=row.document,
            report=row.report,
            entity=row.entity,
            sections=sections,
        )


@router.get("/documents/{document_id}/file")
def document_file(request: Request, document_id: int) -> Response:
    return file_response(_store(request), document_id)


@router.post("/documents/{document_id}/delete")
async def document_delete(request: Request, document_id: int) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    _check_csrf(request, form.get("csrf_token"))
    if not await run_in_threadpool(_store(request).delete_document, document_id):
        raise HTTPException(404, "文档不存在")
    return RedirectResponse("/documents", status_code=303)


@router.get("/findings")
def findings(request: Request) -> Response:
    f = finding_filter(request)
    number, size = _page(request)
    with _store(request).db.read() as s:
        total, rows = q.list_findings(
            s, f, limit=size, offset=(number - 1) * size, cache=_store(request).cache
        )
        choices = choices_of(request, s)
    return _render(
        request,
        "findings.html",
        nav="findings",
        rows=rows,
        page=Page(number, size, total),
        f=f,
        choices=choices,
    )


@router.get("/findings.{ext}")
def findings_export(request: Request, ext: str) -> Response:
    with _store(request).db.read() as s:
        _, rows = q.list_findings(s, finding_filter(request), limit=EXPORT_LIMIT)
        return _export(request, ext, "问题清单", export.finding_columns(request.app.state.tz), rows)


@router.post("/findings/{finding_id}/review")
async def finding_review(request: Request, finding_id: int) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    _check_csrf(request, form.get("csrf_token"))
    status = form.get("status")
    if status not in m.REVIEW_STATUSES:
        raise HTTPException(422, "复核状态应为：待复核、已接受或已驳回")
    comment = _text(form.get("comment") if isinstance(form.get("comment"), str) else None, 2000)
    reviewer = _text(form.get("reviewer") if isinstance(form.get("reviewer"), str) else None, 100)
    st = _store(request)
    finding = await run_in_threadpool(
        st.set_review, finding_id, str(status), comment=comment, reviewer=reviewer
    )
    if finding is None:
        raise HTTPException(404, "问题不存在")
    with st.db.read() as s:
        report = s.get(m.Report, finding.report_id)
        document_id = report.document_id if report is not None else 0
    default = f"/documents/{document_id}#finding-{finding_id}"
    response = RedirectResponse(_safe_next(form.get("next"), default), status_code=303)
    _remember(response, reviewer)
    return response


@router.get("/evaluations")
def evaluations(request: Request) -> Response:
    f = doc_filter(request)
    number, size = _page(request)
    with _store(request).db.read() as s:
        total, rows = q.list_evaluations(
            s, f, limit=size, offset=(number - 1) * size, cache=_store(request).cache
        )
        choices = choices_of(request, s)
        kinds = [k for k in kinds_present(request, s) if k != "accounts"]
    return _render(
        request,
        "evaluations.html",
        nav="evaluations",
        rows=rows,
        page=Page(number, size, total),
        f=f,
        choices=choices,
        kinds=kinds,
    )


@router.get("/evaluations.{ext}")
def evaluations_export(request: Request, ext: str) -> Response:
    with _store(request).db.read() as s:
        _, rows = q.list_evaluations(s, doc_filter(request), limit=EXPORT_LIMIT)
        return _export(
            request, ext, "评价表复算", export.evaluation_columns(request.app.state.tz), rows
        )


@router.get("/entities")
def entities(request: Request) -> Response:
    p = request.query_params
    with _store(request).db.read() as s:
        rows = q.list_entities(s, region=_text(p.get("region"), 100), q=_text(p.get("q")))
        choices = choices_of(request, s)
    return _render(
        request,
        "entities.html",
        nav="entities",
        rows=rows,
        region=p.get("region") or "",
        search=p.get("q") or "",
        choices=choices,
        levels=LEVELS,
    )


@router.get("/entities.{ext}")
def entities_export(request: Request, ext: str) -> Response:
    p = request.query_params
    with _store(request).db.read() as s:
        rows = q.list_entities(s, region=_text(p.get("region"), 100), q=_text(p.get("q")))
        return _export(request, ext, "单位", export.entity_columns(request.app.state.tz), rows)


@router.post("/entities/{entity_id}")
async def entity_update(request: Request, entity_id: int) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    _check_csrf(request, form.get("csrf_token"))
    region = _text(form.get("region") if isinstance(form.get("region"), str) else None, 100)
    level = _text(form.get("level") if isinstance(form.get("level"), str) else None, 20)
    entity = await run_in_threadpool(
        _store(request).update_entity, entity_id, region=region, level=level
    )
    if entity is None:
        raise HTTPException(404, "单位不存在")
    return RedirectResponse(_safe_next(form.get("next"), "/entities"), status_code=303)


@dataclass
class Dashboard:
    """What the dashboard page draws for one filter, computed once per data version."""

    stats: dict[str, Any]
    chart_json: Markup  # the charts' data, as ``{{ chart|tojson }}`` writes it
    scatter_rows: Markup  # the score table's rows: highest printed totals first, 200 at most


def dashboard_data(request: Request, s: Session, f: q.DocFilter) -> Dashboard:
    def compute() -> Dashboard:
        data = cached_stats(_store(request), s, f)
        env = request.app.state.templates.env
        chart = {
            "scatter": data["scatter"],
            "rate_bins": data["rate_bins"],
            "by_family": [
                {"family": fam, "name": env.filters["family"](fam), **counts}
                for fam, counts in data["by_family"].items()
            ],
            "by_region_year": data["by_region_year"],
            "top_entities": data["top_entities"],
            "kind_names": KIND_NAMES,
            "status_names": STATUS_NAMES,
        }
        chart_json = htmlsafe_json_dumps(
            chart, dumps=env.policies["json.dumps_function"], **env.policies["json.dumps_kwargs"]
        )
        top = sorted(data["scatter"], key=lambda p: p["printed"], reverse=True)[:200]
        rows = Markup(env.get_template("_scatter_rows.html").render(scatter_top=top))
        return Dashboard(data, chart_json, rows)

    return _store(request).dashboard_cache.get(s, ("dashboard", *astuple(f)), compute)


@router.get("/dashboard")
def dashboard(request: Request) -> Response:
    f = doc_filter(request)
    f.has_errors = f.pending = None
    with _store(request).db.read() as s:
        view = dashboard_data(request, s, f)
        choices = choices_of(request, s)
        kinds = kinds_present(request, s)
    return _render(
        request,
        "dashboard.html",
        nav="dashboard",
        stats=view.stats,
        chart_json=view.chart_json,
        scatter_rows=view.scatter_rows,
        f=f,
        choices=choices,
        kinds=kinds,
    )
