"""The ASGI application: GraphQL, health endpoints and the explorer, one driver per process."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from graph_api.api.schema import schema
from graph_api.api.view import AuthenticatedGraphQL, GraphQLView
from graph_api.config import Settings, load_settings
from graph_api.db.driver import Database, open_database, wait_until_ready
from graph_api.db.migrations import apply_migrations, pending_migrations
from graph_api.errors import Unavailable

log = logging.getLogger("graph_api")


def create_app(settings: Settings | None = None, database: Database | None = None) -> Starlette:
    """The service. A ``database`` passed in is used (and not closed); else one is opened."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = database is None
        db = open_database(settings) if database is None else database
        await wait_until_ready(db)
        applied = await apply_migrations(db)
        if applied:
            log.info("applied schema migrations %s", ", ".join(applied))
        app.state.database = db
        try:
            yield
        finally:
            if owned:
                await db.close()

    view = GraphQLView(
        settings,
        schema=schema,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
    )
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
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Mount("/graphql", AuthenticatedGraphQL(view, lambda: app.state.database)),
        ]
    )
    return app
