"""The JSON API under ``/api`` (OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``).

Writes (upload, review, entity, delete) are refused when a browser says they come from
another site; scripts (curl, Python) call them directly.
"""

from __future__ import annotations

from dataclasses import astuple
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from jixiao.store import queries as q
from jixiao.store.ingest import IngestResult, Store, UploadRefused
from jixiao.web.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    EntityOut,
    EntityPatch,
    EntityStats,
    EvaluationOut,
    FindingList,
    FindingOut,
    Problem,
    ReviewIn,
    UploadOut,
)
from jixiao.web.security import cross_site

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "不存在"},
}


# async: a dependency this small runs on the event loop; a plain ``def`` would be sent to
# the thread pool and back, one more wait for the interpreter lock on a busy server
async def store(request: Request) -> Store:
    return request.app.state.store


async def same_site(request: Request) -> None:
    if cross_site(request):
        raise HTTPException(403, "拒绝来自其他网站的写请求")


StoreDep = Annotated[Store, Depends(store)]
router = APIRouter(prefix="/api", tags=["api"])


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """The file's bytes, refusing as soon as they pass ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            name = upload.filename or "文件"
            raise UploadRefused(name, f"文件过大，上限为 {limit / 1024 / 1024:.0f} MB", 413)
        chunks.append(chunk)
    return b"".join(chunks)


def upload_message(result: IngestResult) -> str:
    if not result.created:
        return "该文件此前已上传（内容相同），未重复保存"
    n = result.findings
    if result.evaluations == 0 and not sum(n.values()):
        return "已保存；未识别出绩效评价表"
    return (
        f"已保存：{result.evaluations} 张评价表，错误 {n.get('error', 0)} 条、"
        f"疑似 {n.get('warning', 0)} 条、提示 {n.get('info', 0)} 条"
    )


def summary(st: Store, document_id: int) -> DocumentSummary:
    with st.db.read() as s:
        row = q.get_document(s, document_id)
        if row is None:
            raise HTTPException(404, "文档不存在")
        return DocumentSummary.of(row)


@router.post(
    "/documents",
    response_model=UploadOut,
    status_code=201,
    dependencies=[Depends(same_site)],
    responses={
        200: {"model": UploadOut, "description": "同一文件此前已上传：返回原文档"},
        413: {"model": Problem, "description": "文件过大"},
        415: {"model": Problem, "description": "不支持的文件类型（按内容识别）"},
        422: {"model": Problem, "description": "文件无法读取（损坏、空文件）"},
    },
    summary="上传一份报告",
)
async def upload_document(
    request: Request,
    st: StoreDep,
    file: Annotated[
        UploadFile, File(description="报告文件：DOCX、XLSX、PDF、HTML、Markdown 或文本")
    ],
    uploader: Annotated[str | None, Form(max_length=100, description="上传人")] = None,
    region: Annotated[str | None, Form(max_length=100, description="地区（可选）")] = None,
) -> Response:
    try:
        data = await read_upload(file, st.max_bytes)
        result = await run_in_threadpool(
            st.ingest, data, file.filename, uploader=uploader, region=region
        )
    except UploadRefused as e:
        return JSONResponse({"detail": str(e)}, status_code=e.status)
    out = UploadOut(
        created=result.created,
        message=upload_message(result),
        document=await run_in_threadpool(summary, st, result.document_id),
    )
    return JSONResponse(
        out.model_dump(mode="json"),
        status_code=201 if result.created else 200,
        headers={"Location": f"/api/documents/{result.document_id}"},
    )


@router.get("/documents", response_model=DocumentList, summary="文档列表（可筛选、搜索）")
def list_documents(
    st: StoreDep,
    entity: Annotated[int | None, Query(description="单位编号")] = None,
    region: Annotated[str | None, Query(description="地区")] = None,
    year: Annotated[int | None, Query(description="年度")] = None,
    kind: Annotated[str | None, Query(description="报告类型：" + "、".join(q.KINDS))] = None,
    has_errors: Annotated[bool | None, Query(description="有（未驳回的）错误级问题")] = None,
    pending: Annotated[bool | None, Query(description="有待复核的问题")] = None,
    search: Annotated[
        str | None, Query(alias="q", max_length=200, description="搜索文件名、单位、项目")
    ] = None,
    sort: Annotated[
        str, Query(description="uploaded | filename | entity | year | errors")
    ] = "uploaded",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentList:
    f = q.DocFilter(entity, region, year, kind, has_errors, pending, search)
    with st.db.read() as s:
        total, rows = q.list_documents(s, f, sort=sort, limit=limit, offset=offset, cache=st.cache)
        return DocumentList(
            total=total, limit=limit, offset=offset, items=[DocumentSummary.of(r) for r in rows]
        )


@router.get(
    "/documents/{document_id}",
    response_model=DocumentDetail,
    responses=ERRORS,
    summary="一份文档：概要与各评价表的印刷分、复算分",
)
def get_document(st: StoreDep, document_id: int) -> DocumentDetail:
    with st.db.read() as s:
        row = q.get_document(s, document_id)
        if row is None:
            raise HTTPException(404, "文档不存在")
        base = DocumentSummary.of(row).model_dump()
        return DocumentDetail(
            **base,
            warnings=list(row.report.warnings or []),
            evaluation_details=[EvaluationOut.of(ev) for ev in row.report.evaluations],
            report_url=f"/api/documents/{document_id}/report",
            findings_url=f"/api/documents/{document_id}/findings",
            file_url=f"/api/documents/{document_id}/file",
        )


@router.get(
    "/documents/{document_id}/report",
    responses=ERRORS,
    summary="报告的交换 JSON（与 jixiao extract --format json 相同）",
)
def get_report(st: StoreDep, document_id: int) -> dict[str, Any]:
    with st.db.read() as s:
        row = q.get_document(s, document_id)
        if row is None:
            raise HTTPException(404, "文档不存在")
        return row.report.data


@router.get(
    "/documents/{document_id}/findings",
    response_model=FindingList,
    responses=ERRORS,
    summary="一份文档的问题清单",
)
def document_findings(
    st: StoreDep,
    document_id: int,
    severity: Annotated[str | None, Query(description="error | warning | info")] = None,
    status: Annotated[str | None, Query(description="open | accepted | rejected")] = None,
) -> FindingList:
    with st.db.read() as s:
        if not q.document_exists(s, document_id):
            raise HTTPException(404, "文档不存在")
        f = q.FindingFilter(document=document_id, severity=severity, status=status)
        total, rows = q.list_findings(s, f, limit=100000)
        return FindingList(
            total=total, limit=total, offset=0, items=[FindingOut.of_row(r) for r in rows]
        )


@router.get(
    "/documents/{document_id}/file",
    responses={**ERRORS, 200: {"content": {"application/octet-stream": {}}}},
    response_class=FileResponse,
    summary="下载原文件（按原样保存）",
)
def get_file(st: StoreDep, document_id: int) -> Response:
    return file_response(st, document_id)


def file_response(st: Store, document_id: int) -> Response:
    from jixiao.store.sniff import CONTENT_TYPES

    with st.db.read() as s:
        row = q.get_document(s, document_id)
        if row is None:
            raise HTTPException(404, "文档不存在")
        doc = row.document
        path = st.file_path(doc)
        media = CONTENT_TYPES.get(doc.format, "application/octet-stream")
        if doc.format == "text":
            media = "text/plain; charset=utf-8"  # never rendered as HTML by the browser
        name = doc.filename
    if not path.is_file():
        raise HTTPException(404, "原文件缺失")
    return FileResponse(
        path, media_type=media, filename=name, content_disposition_type="attachment"
    )


@router.delete(
    "/documents/{document_id}",
    status_code=204,
    responses=ERRORS,
    dependencies=[Depends(same_site)],
    summary="删除文档（连同读出的内容与原文件）",
)
def delete_document(st: StoreDep, document_id: int) -> Response:
    if not st.delete_document(document_id):
        raise HTTPException(404, "文档不存在")
    return Response(status_code=204)


@router.get("/findings", response_model=FindingList, summary="问题列表（可筛选）")
def list_findings(
    st: StoreDep,
    document: int | None = None,
    entity: int | None = None,
    region: str | None = None,
    year: int | None = None,
    severity: Annotated[str | None, Query(description="error | warning | info")] = None,
    family: Annotated[str | None, Query(description="检查类别，如 funds、scores")] = None,
    check: Annotated[str | None, Query(description="检查项 id")] = None,
    status: Annotated[str | None, Query(description="open | accepted | rejected")] = None,
    search: Annotated[str | None, Query(alias="q", max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FindingList:
    f = q.FindingFilter(document, entity, region, year, severity, family, check, status, search)
    with st.db.read() as s:
        total, rows = q.list_findings(s, f, limit=limit, offset=offset, cache=st.cache)
        return FindingList(
            total=total, limit=limit, offset=offset, items=[FindingOut.of_row(r) for r in rows]
        )


@router.get(
    "/findings/{finding_id}", response_model=FindingOut, responses=ERRORS, summary="一条问题"
)
def get_finding(st: StoreDep, finding_id: int) -> FindingOut:
    with st.db.read() as s:
        row = q.get_finding(s, finding_id)
        if row is None:
            raise HTTPException(404, "问题不存在")
        return FindingOut.of_row(row)


@router.patch(
    "/findings/{finding_id}",
    response_model=FindingOut,
    responses=ERRORS,
    dependencies=[Depends(same_site)],
    summary="设置复核状态（接受 / 驳回 / 重新打开）",
)
def review_finding(st: StoreDep, finding_id: int, body: ReviewIn) -> FindingOut:
    finding = st.set_review(finding_id, body.status, comment=body.comment, reviewer=body.reviewer)
    if finding is None:
        raise HTTPException(404, "问题不存在")
    with st.db.read() as s:
        row = q.get_finding(s, finding_id)
        assert row is not None
        return FindingOut.of_row(row)


@router.get("/entities", response_model=list[EntityStats], summary="单位列表")
def list_entities(
    st: StoreDep,
    region: str | None = None,
    search: Annotated[str | None, Query(alias="q", max_length=200)] = None,
) -> list[EntityStats]:
    with st.db.read() as s:
        return [
            EntityStats(
                **EntityOut.of(r.entity).model_dump(),  # type: ignore[union-attr]
                documents=r.documents,
                errors=r.errors,
                warnings=r.warnings,
                open=r.open,
            )
            for r in q.list_entities(s, region=region, q=search)
        ]


@router.patch(
    "/entities/{entity_id}",
    response_model=EntityOut,
    responses=ERRORS,
    dependencies=[Depends(same_site)],
    summary="设置单位的地区与层级",
)
def patch_entity(st: StoreDep, entity_id: int, body: EntityPatch) -> EntityOut:
    entity = st.update_entity(entity_id, region=body.region, level=body.level)
    if entity is None:
        raise HTTPException(404, "单位不存在")
    return EntityOut.of(entity)  # type: ignore[return-value]


@router.get("/stats", summary="统计：评分虚高散点、执行率分布、问题分布、错误最多的单位")
def get_stats(
    st: StoreDep,
    entity: int | None = None,
    region: str | None = None,
    year: int | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    with st.db.read() as s:
        return cached_stats(st, s, q.DocFilter(entity, region, year, kind))


def cached_stats(st: Store, s: Session, f: q.DocFilter) -> dict[str, Any]:
    """``queries.stats`` for ``f``, kept until the next write (``jixiao.store.cache``)."""
    return st.dashboard_cache.get(s, ("stats", *astuple(f)), lambda: q.stats(s, f))


@router.get("/health", summary="健康检查")
def health(st: StoreDep) -> dict[str, Any]:
    from sqlalchemy import text

    with st.db.read() as s:
        s.execute(text("SELECT 1"))
    return {"ok": True, "database": st.db.engine.dialect.name}


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    """Swagger UI from the front-end libraries this server serves (no CDN)."""
    vendor = request.app.state.vendor
    if "swagger-ui-bundle.js" not in vendor:
        return HTMLResponse(
            '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>API 文档</title>'
            "<p>Swagger UI 未安装（运行 <code>make web-assets</code>）。"
            '接口说明见 <a href="/api/openapi.json">/api/openapi.json</a>。</p></html>'
        )
    return HTMLResponse(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>jixiao API 文档</title>"
        '<link rel="stylesheet" href="/static/swagger-ui.css"></head><body>'
        '<div id="swagger-ui" data-url="/api/openapi.json"></div>'
        '<script src="/static/swagger-ui-bundle.js"></script>'
        '<script src="/static/swagger-init.js"></script></body></html>'
    )
