"""The FastAPI application: pages (Jinja2, server-rendered, Chinese) and the JSON API."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from jixiao import __version__
from jixiao.store.engine import ENV_URL, Database
from jixiao.store.files import FileStore
from jixiao.store.ingest import Store
from jixiao.web import labels
from jixiao.web.security import BodyLimit, Csrf, SecurityHeaders
from jixiao.web.settings import Settings
from jixiao.web.vendor import VENDOR_FILES, vendor_files

log = logging.getLogger("jixiao.web")

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

_MEDIA = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
ERROR_TEXT = {
    400: "请求有误",
    403: "拒绝访问",
    404: "页面或对象不存在",
    405: "不支持的请求方法",
    413: "上传内容过大",
    415: "不支持的文件类型",
    422: "无法处理",
    500: "服务器内部错误",
}


# what ``jixiao serve --workers N`` gives uvicorn: each worker process calls it (no
# arguments: the settings come from the environment that ``prepare_workers`` completed)
APP_FACTORY = "jixiao.web.app:create_app"


def prepare_workers(settings: Settings) -> None:
    """Before several worker processes start: bring the schema up to date and make the
    signing key once (not N times at once), and tell the workers, through the environment
    they inherit, which database and file store to use.

    The workers then share everything through the database and the files: SQLite in WAL
    mode lets them read while one writes, and writers queue (``BEGIN IMMEDIATE``, busy
    timeout); an upload of the same bytes by two workers stores one document (unique
    sha256); cached figures are invalidated by the data version (``jixiao.store.cache``);
    the CSRF key is the one file every worker reads."""
    db = Database(settings.database_url)
    try:
        db.migrate()
    finally:
        db.dispose()
    settings.load_secret()
    assert settings.data_dir is not None
    os.environ[ENV_URL] = settings.database_url
    os.environ["JIXIAO_DATA_DIR"] = str(settings.data_dir)


def tcp_listener(sock: socket.socket) -> socket.socket:
    """The listening socket, marked as TCP. uvicorn binds the socket it hands its workers
    with ``proto`` 0; accepted connections inherit that, and asyncio then never turns on
    TCP_NODELAY, so every keep-alive response after the first waits ~40 ms for the client's
    delayed ACK (uvicorn issue #3149). The same descriptor, declared ``IPPROTO_TCP``."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)
    return tcp


def run_workers(host: str, port: int, workers: int) -> None:
    """What ``uvicorn.run(APP_FACTORY, factory=True, workers=N)`` does, with the listening
    socket marked as TCP (``tcp_listener``). Call ``prepare_workers`` first."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_level="info"
    )
    listener = tcp_listener(config.bind_socket())
    try:
        Multiprocess(config, sockets=[listener]).run()
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    from jixiao.checks.registry import load_families

    load_families()  # the checks' Chinese titles, for the pages
    db = Database(settings.database_url)
    db.migrate()
    assert settings.data_dir is not None
    store = Store(db, FileStore(settings.data_dir / "files"), settings.max_upload_bytes)

    app = FastAPI(
        title="jixiao 绩效 API",
        version=__version__,
        description=(
            "预算绩效评价报告的上传、复算与复核。上传报告（DOCX/XLSX/PDF/HTML/文本），"
            "读取评价表与问题清单，设置问题的复核状态。错误信息为中文，字段为英文。"
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.csrf = Csrf(settings.load_secret())
    app.state.tz = labels.zone(settings.timezone)
    assert settings.vendor_dir is not None
    app.state.vendor = vendor_files(settings.vendor_dir)
    app.state.templates = _templates(app)

    limit = settings.max_upload_bytes
    per_request = limit * settings.max_files_per_request + 1024 * 1024

    def limit_for(path: str) -> int | None:
        if path == "/api/documents":
            return limit + 1024 * 1024
        if path == "/upload":
            return per_request
        return 1024 * 1024  # forms and JSON bodies are small

    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        BodyLimit,
        limit_for=limit_for,
        message=f"上传内容过大：单个文件上限 {labels.size_text(limit)}",
    )

    own = {p.name: p for p in STATIC.iterdir() if p.is_file() and not p.name.startswith(".")}

    @app.get("/static/{name}", include_in_schema=False, name="static")
    def static(name: str) -> Response:
        # only files known at startup, looked up by name: a request never names a path
        path = own.get(name) or app.state.vendor.get(name)
        if path is None:
            if name in VENDOR_FILES:
                return Response("前端库未安装（运行 make web-assets）", status_code=404)
            return Response("not found", status_code=404)
        media = _MEDIA.get(path.suffix)
        return FileResponse(
            path, media_type=media, headers={"Cache-Control": "public, max-age=3600"}
        )

    from jixiao.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": _validation_text(exc), "errors": _errors(exc)}, 422)
        return _error(request, 422, _validation_text(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(request, 500, "服务器内部错误，请稍后重试或联系管理员")

    return app


def _errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]


def _validation_text(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{loc}：{e.get('msg', '')}" if loc else str(e.get("msg", "")))
    return "参数有误：" + "；".join(parts)


def _wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _error(request: Request, status: int, detail: str, headers: Any = None) -> Response:
    if detail in ("Not Found", "Method Not Allowed", "Internal Server Error", "Bad Request"):
        detail = ERROR_TEXT.get(status, detail)
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    templates = request.app.state.templates
    try:
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "title": ERROR_TEXT.get(status, "出错了"), "detail": detail},
            status_code=status,
        )
    except Exception:  # the error page itself must never fail
        log.exception("error page failed")
        return HTMLResponse(f"<p>{status}</p>", status_code=status)


def _templates(app: FastAPI) -> Any:
    from fastapi.templating import Jinja2Templates

    from jixiao.render.findings import check_title

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    tz = app.state.tz
    env.filters.update(
        num=labels.num,
        signed=labels.signed,
        size=labels.size_text,
        kinds=labels.kinds_text,
        time=lambda v, seconds=False: labels.local_time(v, tz, seconds),
        kind=lambda k: labels.KIND_NAMES.get(k, k or ""),
        severity=lambda s: labels.SEVERITY_NAMES.get(s, s),
        status=lambda s: labels.STATUS_NAMES.get(s, s),
        family=lambda f: labels.FAMILY_NAMES.get(f, f),
        fmt=lambda f: labels.FORMAT_NAMES.get(f, f or ""),
        fund_source=lambda s: labels.FUND_SOURCES.get(s, s),
        score_status=lambda s: labels.SCORE_STATUS.get(s, s or ""),
        check_title=check_title,
    )
    env.globals.update(
        version=__version__,
        KIND_NAMES=labels.KIND_NAMES,
        SEVERITY_NAMES=labels.SEVERITY_NAMES,
        STATUS_NAMES=labels.STATUS_NAMES,
        STATUS_HELP=labels.STATUS_HELP,
        FAMILY_NAMES=labels.FAMILY_NAMES,
        LEVELS=labels.LEVELS,
        where=labels.where,
    )
    templates = Jinja2Templates(env=env)

    def common(request: Request) -> dict[str, Any]:
        return {
            "csrf_token": app.state.csrf.form_token(request),
            "vendor": app.state.vendor,
            "max_upload": labels.size_text(app.state.settings.max_upload_bytes),
        }

    templates.context_processors.append(common)
    return templates
