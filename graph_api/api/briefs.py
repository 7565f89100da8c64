"""A champion brief as a printable page: ``GET /briefs/{opportunityId}/{championId}``.

Authenticated like ``/graphql`` (``Authorization: Bearer <key>``; any role may read) and
scoped to the key's tenant: another tenant's ids answer 404 like ids that do not exist.
``?format=markdown`` answers the Markdown brief instead. The page loads nothing from
anywhere (a Content-Security-Policy forbids it) and every value in it is escaped.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graph_api.api.auth import Authenticator
from graph_api.api.crm import brief_of
from graph_api.api.view import error_response
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.errors import InvalidInput, NotFound, Unauthenticated, Unavailable
from graph_api.plan_report import load_plan_report

PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def brief_routes(
    settings: Settings,
    database_ref: Callable[[], Database],
    authenticator: Authenticator | None = None,
) -> list[Route]:
    """The brief's route; ``authenticator`` is shared with ``/graphql`` (one key cache, so a
    key revoked through the API stops here at once too)."""
    authenticator = authenticator or Authenticator(settings)

    async def page(request: Request) -> Response:
        database = database_ref()
        try:
            principal = await authenticator.authenticate(request, database)
        except Unauthenticated as error:
            return error_response(
                401, error.code, error.message, **{"WWW-Authenticate": 'Bearer realm="flagbearer"'}
            )
        wanted = request.query_params.get("format", "html").lower()
        if wanted not in ("html", "markdown"):
            return error_response(400, InvalidInput.code, "format is html or markdown")
        try:
            report = await load_plan_report(
                database,
                settings,
                principal.tenant_id,
                opportunity_id=request.path_params["opportunity_id"],
            )
            rendered = brief_of(report, request.path_params["champion_id"], wanted == "html")
        except NotFound as error:
            return error_response(404, error.code, error.message)
        except Unavailable as error:
            return error_response(503, error.code, error.message)
        return Response(
            rendered.content,
            media_type=rendered.content_type,
            headers={
                "Content-Security-Policy": PAGE_POLICY,
                "Cache-Control": "no-store",
                "Content-Disposition": f'inline; filename="{rendered.filename}"',
            },
        )

    return [Route("/briefs/{opportunity_id}/{champion_id}", page, methods=["GET"])]
