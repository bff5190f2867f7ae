"""The question page: ``GET /`` and its files under ``/static``.

The page is plain HTML, CSS and JavaScript shipped in ``service/static`` (no build step,
nothing fetched from another host). It calls ``POST /v1/ask`` and shows the answer with
clickable citation markers, each opening the cited paragraph with the quoted span
highlighted. Report text is inserted as text only, never as markup; the Content Security
Policy below backs that up by refusing inline scripts and every other origin.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX_HTML = STATIC_DIR / "index.html"

# Same-origin only: no inline script, no third-party host, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class _SecureStaticFiles(StaticFiles):
    """Static files served with the page's security headers (and no caching of stale JS)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                for name, value in SECURITY_HEADERS.items():
                    headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
                headers.append((b"cache-control", b"no-cache"))
                message = {**message, "headers": headers}
            await send(message)

        await super().__call__(scope, receive, send_with_headers)


def mount_web(app: FastAPI) -> None:
    """Serve the question page at ``GET /`` and its assets at ``/static/*``.

    Neither needs an API key: the page holds no data, and the key the user types into
    it is sent with each ``/v1/ask`` call. Calling this twice on one app is harmless.

    Args:
        app: The service app, as built by :func:`service.api.create_app`.
    """
    if getattr(app.state, "web_mounted", False):
        return
    app.state.web_mounted = True

    @app.get("/", include_in_schema=False)
    async def index_page() -> FileResponse:
        """The question page."""
        return FileResponse(INDEX_HTML, media_type="text/html; charset=utf-8",
                            headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})

    app.mount("/static", _SecureStaticFiles(directory=STATIC_DIR), name="static")
