"""The graph explorer: the built single-page app (package data) served at ``/explorer``.

The page holds no data; it talks to ``/graphql`` with the key the user gives it. When the
front end has not been built the routes answer 503 with the command that builds it, so a
missing build is obvious rather than a bare 404.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from graph_api.package_data import EXPLORER_DIST

# Everything the page loads comes from this origin (no CDN); the app adds nosniff and friends.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "Cache-Control": "no-cache",
}

_NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto;">
<h1>The explorer has not been built</h1>
<p>The API is running, but the graph explorer's front end is missing from
<code>graph_api/static/explorer</code>. Build it once (needs Node.js 20 and npm) and reload
this page:</p>
<pre>scripts/build-explorer</pre>
<p>GraphQL itself is available at <a href="/graphql">/graphql</a>.</p>
</body></html>
"""


def _not_built() -> Response:
    return HTMLResponse(_NOT_BUILT, status_code=503, headers={"Retry-After": "60"})


class _Assets:
    """Static files of the build, looked up per request so a later build needs no restart."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist
        self.files = StaticFiles(directory=dist, check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (self.dist / "index.html").is_file():
            await _not_built()(scope, receive, send)
            return
        await self.files(scope, receive, send)


def explorer_routes(dist: Path = EXPLORER_DIST) -> list[BaseRoute]:
    """``/explorer`` and ``/explorer/`` give the page; ``/explorer/assets/…`` its files."""

    async def page(_: Request) -> Response:
        index = dist / "index.html"
        if not index.is_file():
            return _not_built()
        return FileResponse(index, media_type="text/html", headers=_PAGE_HEADERS)

    return [
        Route("/explorer", page, methods=["GET", "HEAD"]),
        Route("/explorer/", page, methods=["GET", "HEAD"]),
        Route("/explorer/index.html", page, methods=["GET", "HEAD"]),
        Mount("/explorer", app=_Assets(dist), name="explorer-assets"),
    ]
