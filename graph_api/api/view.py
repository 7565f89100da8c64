"""The GraphQL endpoint: authentication before anything runs, one error format after."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from graph_api.api.auth import Authenticator
from graph_api.api.context import Context
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.errors import FlagbearerError, InvalidInput, LimitExceeded, Unauthenticated

log = logging.getLogger("graph_api.graphql")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_of(scope: Scope) -> str:
    """The caller's ``X-Request-Id`` when it is a short plain token, else a fresh one."""
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if REQUEST_ID.fullmatch(candidate):
                return candidate
    return uuid.uuid4().hex


def error_response(status: int, code: str, message: str, **headers: str) -> Response:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers=headers,
    )


def error_extensions(error: FlagbearerError) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": error.code}
    if isinstance(error, InvalidInput):
        extensions["problems"] = [{"path": p.path, "message": p.message} for p in error.problems]
    if isinstance(error, LimitExceeded):
        extensions["limit"] = error.limit
        if error.retry_after is not None:
            extensions["retryAfter"] = error.retry_after
    return extensions


def rate_limited(response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> int | None:
    """The longest ``retryAfter`` among rate-limit errors in a response, if any."""
    results = response_data if isinstance(response_data, list) else [response_data]
    waits = [
        int(extensions["retryAfter"])
        for result in results
        for error in result.get("errors") or []
        if isinstance(error, dict)
        and isinstance(extensions := error.get("extensions"), dict)
        and extensions.get("limit") == "rate"
    ]
    return max(waits) if waits else None


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

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [self.format_error(request, e) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        retry_after = rate_limited(response_data)
        if retry_after is not None:
            sub_response.status_code = 429
            sub_response.headers["Retry-After"] = str(retry_after)
        return super().create_response(response_data, sub_response)

    def format_error(self, request: Request, error: GraphQLError) -> dict[str, Any]:
        original = error.original_error
        formatted = error.formatted
        if isinstance(original, FlagbearerError):
            formatted["message"] = original.message
            formatted["extensions"] = error_extensions(original)
            return dict(formatted)
        if original is None or (error.path is None and error.locations):
            # A syntax, validation or input-coercion error (a bad Date literal, say): it
            # describes the caller's document, not the server, so it is safe to show.
            formatted["extensions"] = {"code": "GRAPHQL_VALIDATION_FAILED"}
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
    """Refuses, before GraphQL sees the request: no valid credential (401), a body over the
    size limit (413). The body is read here, at most ``max_body_bytes`` of it."""

    def __init__(
        self,
        view: GraphQLView,
        database_ref: Callable[[], Database],
        settings: Settings,
    ) -> None:
        self.view = view
        self.database_ref = database_ref
        self.max_body_bytes = settings.max_body_bytes
        self.authenticator = Authenticator(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await JSONResponse({"error": "not found"}, status_code=404)(scope, receive, send)
            return
        request = Request(scope, receive)
        state = scope.setdefault("state", {})
        state.setdefault("request_id", request_id_of(scope))
        if self._is_ide_page(request):
            page = await self.view.render_graphql_ide(request)
            await page(scope, receive, send)
            return
        too_large = error_response(
            413,
            "LIMIT_EXCEEDED",
            f"request body too large: at most {self.max_body_bytes} bytes are accepted",
        )
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > self.max_body_bytes:
            await too_large(scope, receive, send)
            return
        database = self.database_ref()
        try:
            state["principal"] = await self.authenticator.authenticate(request, database)
        except Unauthenticated as error:
            await error_response(
                401, error.code, error.message, **{"WWW-Authenticate": 'Bearer realm="flagbearer"'}
            )(scope, receive, send)
            return
        body = await read_body(receive, self.max_body_bytes)
        if body is None:
            await too_large(scope, receive, send)
            return
        state["database"] = database
        await self.view(scope, replay(body, receive), send)

    def _is_ide_page(self, request: Request) -> bool:
        """GraphiQL's page itself holds no data; its requests carry the key like any other."""
        return (
            self.view.graphql_ide is not None
            and request.method == "GET"
            and "query" not in request.query_params
            and "text/html" in request.headers.get("accept", "")
        )


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it grows past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the already-read body once, then waits on the real one."""
    pending = True

    async def receive_again() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_again
