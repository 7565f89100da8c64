"""The GraphQL endpoint: authentication before anything runs, one error format after."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from graph_api.api.auth import authenticate
from graph_api.api.context import Context
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.errors import FlagbearerError, InvalidInput, LimitExceeded, Unauthenticated

log = logging.getLogger("graph_api.graphql")


def error_extensions(error: FlagbearerError) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": error.code}
    if isinstance(error, InvalidInput):
        extensions["problems"] = [{"path": p.path, "message": p.message} for p in error.problems]
    if isinstance(error, LimitExceeded):
        extensions["limit"] = error.limit
    return extensions


class GraphQLView(GraphQL[Context, None]):
    """strawberry's ASGI view with this service's context and error policy."""

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings

    async def get_context(self, request: Any, response: Any) -> Context:
        state = request.state
        return Context(
            database=state.database,
            principal=state.principal,
            settings=self.settings,
            request_id=state.request_id,
        )

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [self.format_error(request, e) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data

    def format_error(self, request: Request, error: GraphQLError) -> dict[str, Any]:
        original = error.original_error
        formatted = error.formatted
        if isinstance(original, FlagbearerError):
            formatted["message"] = original.message
            formatted["extensions"] = error_extensions(original)
            return dict(formatted)
        if original is None:  # a GraphQL validation or syntax error: safe to show
            formatted.setdefault("extensions", {})["code"] = "GRAPHQL_VALIDATION_FAILED"
            return dict(formatted)
        request_id = request.state.request_id
        log.error("unexpected error in request %s", request_id, exc_info=original)
        if self.settings.production:
            return {
                "message": "internal error; quote the request id to support",
                "path": formatted.get("path"),
                "extensions": {"code": "INTERNAL", "requestId": request_id},
            }
        formatted["extensions"] = {"code": "INTERNAL", "requestId": request_id}
        return dict(formatted)


class AuthenticatedGraphQL:
    """Refuses a request without a valid credential with 401 before GraphQL sees it."""

    def __init__(self, view: GraphQLView, database_ref: Any) -> None:
        self.view = view
        self.database_ref = database_ref

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await JSONResponse({"error": "not found"}, status_code=404)(scope, receive, send)
            return
        request = Request(scope, receive)
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        if self._is_ide_page(request):
            await self.view(scope, receive, send)
            return
        database: Database = self.database_ref()
        try:
            scope["state"]["principal"] = await authenticate(request, database)
        except Unauthenticated as error:
            response: Response = JSONResponse(
                {"errors": [{"message": error.message, "extensions": {"code": error.code}}]},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="flagbearer"'},
            )
            await response(scope, receive, send)
            return
        scope["state"]["database"] = database
        await self.view(scope, receive, send)

    def _is_ide_page(self, request: Request) -> bool:
        """GraphiQL's page itself holds no data; its requests carry the key like any other."""
        return (
            self.view.graphql_ide is not None
            and request.method == "GET"
            and "query" not in request.query_params
            and "text/html" in request.headers.get("accept", "")
        )
