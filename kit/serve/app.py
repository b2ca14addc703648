"""Turn HTTP requests into the preview's responses: the page and its assets, the state, the event stream, output files and thumbnails.

Every endpoint only reads: GET and HEAD, nothing else. Output files and thumbnails are served
only for files the page lists and that `kit.serve.security.output_file` lets through; the
page's own assets come from a fixed list read at start. A request whose Host header is not this
machine's is refused before any route sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from kit.serve.security import host_allowed, output_file
from kit.serve.state import Preview
from kit.serve.thumbs import WIDTHS, Thumbnails

ASSETS = Path(__file__).resolve().parent.parent / "serve_assets"
ASSET_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}
# The page loads nothing but its own assets and what this server says.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
# A silent event stream is closed by some proxies and browsers: a comment keeps it open.
KEEPALIVE_S = 15.0
FILE_TYPES = {".ics": "text/calendar; charset=utf-8", ".pdf": "application/pdf", ".png": "image/png"}


class Broadcaster:
    """Sends each new page state to every open event stream; callable from any thread."""

    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queues: set[asyncio.Queue] = set()
        self.closed = False

    def publish(self, state: dict) -> None:
        if self.loop is None or self.closed:
            return
        message = f"event: state\ndata: {json.dumps(state, ensure_ascii=False)}\n\n"
        try:
            self.loop.call_soon_threadsafe(self._put, message)
        except RuntimeError:  # the loop has closed: the server is stopping
            pass

    def close(self) -> None:
        """End every stream (the server is stopping: it waits for open responses to finish)."""
        self.closed = True
        if self.loop is not None:
            try:
                self.loop.call_soon_threadsafe(self._put, None)
            except RuntimeError:
                pass

    def _put(self, message: str | None) -> None:
        for queue in self.queues:
            queue.put_nowait(message)


class HostCheck:
    """ASGI middleware: answer 421 to a request whose Host is not this machine (DNS rebinding)."""

    def __init__(self, app, extra_names: frozenset[str]):
        self.app = app
        self.extra_names = extra_names

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if not host_allowed(host, self.extra_names):
                response = PlainTextResponse("Host not allowed: open the preview at 127.0.0.1 or localhost.\n",
                                             status_code=421)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Headers:
    """ASGI middleware: headers that keep other sites from framing or embedding what is served."""

    EXTRA = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
             (b"cross-origin-resource-policy", b"same-origin"), (b"x-frame-options", b"DENY")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.EXTRA]}
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def create_app(preview: Preview, thumbs: Thumbnails, out_dir: Path, broadcaster: Broadcaster,
               extra_hosts: frozenset[str] = frozenset(), on_startup=None, on_shutdown=None):
    """The preview's ASGI application."""
    assets = {p.name: p for p in ASSETS.iterdir() if p.is_file() and p.suffix in ASSET_TYPES}

    def asset_response(name: str) -> Response:
        path = assets[name]
        headers = {"Cache-Control": "no-cache"}
        if path.suffix == ".html":
            headers["Content-Security-Policy"] = PAGE_POLICY
        return FileResponse(path, media_type=ASSET_TYPES[path.suffix], headers=headers)

    async def index(request):
        return asset_response("index.html")

    async def asset(request):
        name = request.path_params["name"]
        if name not in assets:
            return PlainTextResponse("Not found\n", status_code=404)
        return asset_response(name)

    async def state(request):
        return JSONResponse(preview.snapshot(), headers={"Cache-Control": "no-store"})

    async def events(request):
        queue: asyncio.Queue = asyncio.Queue()
        broadcaster.queues.add(queue)
        first = f"retry: 1000\nevent: state\ndata: {json.dumps(preview.snapshot(), ensure_ascii=False)}\n\n"

        async def stream():
            try:
                yield first
                while not broadcaster.closed:
                    try:
                        message = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
                    except asyncio.TimeoutError:
                        yield ": still here\n\n"
                        continue
                    if message is None:
                        return
                    yield message
            finally:
                broadcaster.queues.discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    def served(request) -> tuple[str, Path, str] | None:
        """The output file a request names, its path and digest, if the page lists it and it may be served."""
        relative = request.path_params["path"]
        sha = preview.file_sha(relative)
        path = output_file(out_dir, relative) if sha else None
        return (relative, path, sha) if path else None

    async def files(request):
        found = served(request)
        if found is None:
            return PlainTextResponse("Not found\n", status_code=404)
        _, path, sha = found
        path = thumbs.source(path, sha)  # still in the build's staging folder, if it is being built
        return FileResponse(path, media_type=FILE_TYPES.get(path.suffix, "application/octet-stream"),
                            headers={"Cache-Control": "no-cache"}, content_disposition_type="inline",
                            filename=path.name)

    async def thumb(request):
        found = served(request)
        size = request.query_params.get("size", "small")
        try:
            page = int(request.query_params.get("page", "1")) - 1
        except ValueError:
            page = -1
        if found is None or size not in WIDTHS or page < 0:
            return PlainTextResponse("Not found\n", status_code=404)
        _, path, sha = found
        image = await run_in_threadpool(thumbs.image, path, sha, page, size)
        if image is None:
            return PlainTextResponse("Not found\n", status_code=404)
        # The page asks with the digest it knows (v=): that exact image never changes.
        fresh = request.query_params.get("v") == sha[:16]
        return FileResponse(image, media_type="image/png",
                            headers={"Cache-Control": "max-age=31536000, immutable" if fresh else "no-store"})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        broadcaster.loop = asyncio.get_running_loop()
        if on_startup:
            on_startup()
        try:
            yield
        finally:
            if on_shutdown:
                on_shutdown()

    routes = [
        Route("/", index),
        Route("/assets/{name}", asset),
        Route("/state", state),
        Route("/events", events),
        Route("/files/{path:path}", files),
        Route("/thumbs/{path:path}", thumb),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    return HostCheck(Headers(app), extra_hosts)


class PreviewServer(uvicorn.Server):
    """uvicorn's Server that also ends the event streams when asked to stop (they would hold it open)."""

    def __init__(self, config: uvicorn.Config, broadcaster: Broadcaster):
        super().__init__(config)
        self.broadcaster = broadcaster

    def handle_exit(self, sig, frame) -> None:
        super().handle_exit(sig, frame)
        self.broadcaster.close()
