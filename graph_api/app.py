"""The ASGI application: GraphQL, health endpoints, metrics and the explorer, one driver per
process."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api import processes
from graph_api.api.briefs import brief_routes
from graph_api.api.compiled.compiler import ReadCompiler
from graph_api.api.compiled.lane import CompiledReads
from graph_api.api.explorer import explorer_routes
from graph_api.api.ratelimit import rate_limiter_for
from graph_api.api.schema import Schema, build_schema
from graph_api.api.view import (
    GRAPHQL_RESPONSE_MEDIA_TYPE,
    JSON_MEDIA_TYPE,
    AuthenticatedGraphQL,
    GraphQLView,
    request_id_of,
)
from graph_api.config import Settings, load_settings
from graph_api.db.driver import Database, open_database, wait_until_ready
from graph_api.db.migrations import apply_migrations, pending_migrations
from graph_api.errors import Unavailable
from graph_api.observability.logs import quiet_duplicate_error_log
from graph_api.observability.metrics import MetricsListener, metrics_endpoint
from graph_api.observability.requests import RequestTelemetry
from graph_api.observability.tracing import configure_tracing, flush_traces

log = logging.getLogger("graph_api")
LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


_RAW_SECURITY_HEADERS = tuple(
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in SECURITY_HEADERS.items()
)
_NOT_CACHED = (JSON_MEDIA_TYPE.encode("latin-1"), GRAPHQL_RESPONSE_MEDIA_TYPE.encode("latin-1"))


class CrossOriginOnly:
    """CORS for the requests that carry an ``Origin`` (every cross-origin one does); the
    others (servers, CLIs, load balancers) skip it: it read and rewrote every response's
    headers, a tenth of a key-authenticated no-op's CPU."""

    def __init__(self, app: ASGIApp, /, **cors: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **cors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(
            name == b"origin" for name, _ in scope.get("headers", ())
        ):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class SecurityHeaders:
    """Gives every request an id (the caller's ``X-Request-Id`` if sane) and every response
    that id plus headers that keep browsers from sniffing, framing or leaking referrers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # the raw header list, read once: this runs on every response
                raw: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
                given = {name.lower(): value for name, value in raw}
                raw = [(n, v) for n, v in raw if n.lower() != b"x-request-id"]
                raw.extend(h for h in _RAW_SECURITY_HEADERS if h[0] not in given)
                raw.append((b"x-request-id", request_id.encode("latin-1")))
                if b"cache-control" not in given and given.get(b"content-type", b"").startswith(
                    _NOT_CACHED
                ):
                    raw.append((b"cache-control", b"no-store"))
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings | None = None, database: Database | None = None) -> Starlette:
    """The service. A ``database`` passed in is used (and not closed); else one is opened.

    In production, unsafe settings raise :class:`UnsafeSettings` naming every problem.
    """
    settings = settings or load_settings()
    settings.refuse_if_unsafe()
    configure_tracing(settings)
    quiet_duplicate_error_log()
    rate_limiter = rate_limiter_for(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = database is None
        db = open_database(settings) if database is None else database
        await wait_until_ready(db)
        applied = await apply_migrations(db)
        if applied:
            log.info("applied schema migrations %s", ", ".join(applied))
        app.state.database = db
        listen = settings.metrics_listen
        listener = None
        try:
            if listen is not None:
                listener = MetricsListener(*listen)
                log.info("serving /metrics on %s:%d", listen[0], listener.port)
            yield
        finally:
            if listener is not None:
                listener.close()
            await rate_limiter.aclose()
            await graphql_endpoint.aclose()
            processes.shutdown()
            flush_traces()
            if owned:
                await db.close()

    view = GraphQLView(
        settings,
        schema=build_schema(settings, rate_limiter),
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
    )
    schema = view.schema
    assert isinstance(schema, Schema)
    assert schema.documents is not None  # a schema built with settings checks documents
    compiled = CompiledReads(
        schema.documents,
        ReadCompiler(schema, settings.max_page_size),
        rate_limiter,
        settings,
    )
    graphql_endpoint = AuthenticatedGraphQL(view, lambda: app.state.database, settings, compiled)
    app = Starlette(lifespan=lifespan)
    if database is not None:  # usable at once, e.g. by tests that do not run the lifespan
        app.state.database = database

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        db: Database = request.app.state.database
        try:
            await db.ping()
            pending = await pending_migrations(db)
        except Unavailable as error:
            return JSONResponse({"status": "unavailable", "reason": error.message}, 503)
        if pending:
            return JSONResponse({"status": "migrating", "pending": pending}, 503)
        return JSONResponse({"status": "ready"})

    app.router.routes.extend(
        [
            Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),  # first: most asked
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint(settings)),
            *explorer_routes(),
            *brief_routes(settings, lambda: app.state.database, graphql_endpoint.authenticator),
        ]
    )
    app.add_middleware(
        CrossOriginOnly,
        allow_origins=settings.cors_origins,
        allow_origin_regex=None if settings.production or settings.cors_origins else LOCAL_ORIGINS,
        allow_methods=["GET", "POST"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "X-Request-Id",
            "traceparent",
            "tracestate",
        ],
        expose_headers=["X-Request-Id", "Retry-After"],
        max_age=600,
    )
    app.add_middleware(RequestTelemetry, settings=settings)  # inside: the request id is set
    app.add_middleware(SecurityHeaders)
    return app
