"""Request safety: upload size limit, CSRF for the forms, same-origin for API writes, headers.

- ``BodyLimit``: a request body larger than allowed is refused with 413 before it is read
  (``Content-Length``) or as soon as it grows past the limit (chunked bodies).
- CSRF, signed double submit: a random token lives in an HttpOnly, SameSite=Strict cookie;
  forms carry ``HMAC(secret, token)`` in a hidden field (or the ``X-CSRF-Token`` header for
  scripts of our pages). A form post whose field does not match its cookie is refused (403).
- API writes (``/api``, used by scripts with no cookie) are refused when a browser says they
  come from another site (``Origin`` / ``Sec-Fetch-Site``), so a foreign page cannot make a
  reviewer's browser upload or review.
- Every answer carries a strict Content-Security-Policy (scripts only from this server).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

CSRF_COOKIE = "jixiao_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit_for(path)`` bytes with 413."""

    def __init__(self, app: Any, limit_for: Callable[[str], int | None], message: str):
        self.app = app
        self.limit_for = limit_for
        self.message = message

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        if limit is None:
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            html = "text/html" in Headers(scope=scope).get("accept", "")
            await too_large(self.message, html)(scope, receive, send)
            return
        received = 0

        async def limited() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, self.message)
            return message

        await self.app(scope, limited, send)


def too_large(message: str, html: bool = False) -> Response:
    if html:
        from html import escape

        body = (
            '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>上传内容过大</title>'
            f'<p>{escape(message)}</p><p><a href="/upload">返回上传页</a></p></html>'
        )
        return HTMLResponse(body, status_code=413)
    return JSONResponse({"detail": message}, status_code=413)


class Csrf:
    def __init__(self, secret: str):
        self._key = hashlib.sha256(("jixiao-csrf:" + secret).encode()).digest()

    def sign(self, token: str) -> str:
        return hmac.new(self._key, token.encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def cookie_token(self, request: Request) -> str:
        """The request's token (from its cookie, or new: set by ``SecurityHeaders``)."""
        token = getattr(request.state, "csrf_cookie", None)
        if token:
            return token
        token = request.cookies.get(CSRF_COOKIE)
        if not token or len(token) < 20 or len(token) > 100:
            token = self.new_token()
            request.state.csrf_new = token
        request.state.csrf_cookie = token
        return token

    def form_token(self, request: Request) -> str:
        return self.sign(self.cookie_token(request))

    def valid(self, request: Request, submitted: str | None) -> bool:
        token = request.cookies.get(CSRF_COOKIE)
        if not token or not submitted:
            return False
        return hmac.compare_digest(self.sign(token), submitted)


def cross_site(request: Request) -> bool:
    """Does a browser say this request comes from another site?"""
    site = request.headers.get("sec-fetch-site")
    if site in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        return origin.split("://", 1)[-1].rstrip("/") != host
    return origin == "null"


class SecurityHeaders:
    """ASGI middleware: strict headers on every answer, and the CSRF cookie when a page made
    a new token (pure ASGI, so that errors raised while reading the body pass through)."""

    def __init__(self, app: Any, secure_cookie: bool = False):
        self.app = app
        self.cookie_flags = "; HttpOnly; Max-Age=31536000; Path=/; SameSite=strict"
        if secure_cookie:
            self.cookie_flags += "; Secure"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS:
                    if name not in headers:
                        headers[name] = value
                token = (scope.get("state") or {}).get("csrf_new")
                if token:
                    headers.append("set-cookie", f"{CSRF_COOKIE}={token}{self.cookie_flags}")
            await send(message)

        await self.app(scope, receive, send_with_headers)
