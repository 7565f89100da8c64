"""The GraphQL endpoint: authentication before anything runs, one error format after.

GraphQL over HTTP (the graphql-over-http draft): ``application/graphql-response+json`` when
the Accept header prefers it, with 400 for a request that never executed (unparseable,
invalid, bad variables); ``application/json`` otherwise, 200 for every well-formed request.
Either way a request that never executed has no ``data`` entry. GET runs queries only; a
mutation over GET is 405 with ``Allow: POST``. A rate-limit refusal is 429 with
``Retry-After`` under both media types.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from graph_api.api.auth import Authenticator
from graph_api.api.context import Context
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.errors import FlagbearerError, InvalidInput, LimitExceeded, Unauthenticated
from graph_api.observability.metrics import LIMIT_REFUSALS
from graph_api.observability.requests import actor_label, current_request, outcome_of_errors

log = logging.getLogger("graph_api.graphql")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
JSON_MEDIA_TYPE = "application/json"
GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json"


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


def response_media_type(accept: str | None) -> str:
    """The media type to answer in: ``application/graphql-response+json`` when the Accept
    header rates it at least as high as ``application/json`` (and above zero), else
    ``application/json`` (also for no Accept header, ``*/*`` or anything unknown).

    Example:
        ``response_media_type("application/graphql-response+json, application/json;q=0.9")``
        is ``"application/graphql-response+json"``.
    """
    if not accept:
        return JSON_MEDIA_TYPE
    graphql_q = json_q = 0.0
    for part in accept.split(","):
        media, *params = part.split(";")
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        if media == GRAPHQL_RESPONSE_MEDIA_TYPE:
            graphql_q = max(graphql_q, quality)
        elif media in {JSON_MEDIA_TYPE, "application/*", "*/*"}:
            json_q = max(json_q, quality)
    return GRAPHQL_RESPONSE_MEDIA_TYPE if graphql_q > 0 and graphql_q >= json_q else JSON_MEDIA_TYPE


def never_executed(result: ExecutionResult) -> bool:
    """Errors raised before execution began (parse, validation, variables, limits) carry
    no path; the GraphQL spec then leaves ``data`` out of the response."""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


class MutationOverGet(Exception):
    """A mutation (or subscription) sent with GET: answered 405, ``Allow: POST``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except MutationOverGet as refused:
            response = error_response(405, "METHOD_NOT_ALLOWED", refused.reason, Allow="POST")
            await response(scope, receive, send)

    async def get_sub_response(self, request: Request) -> Response:  # type: ignore[override]
        sub_response = await super().get_sub_response(request)
        # the negotiated media type travels to create_response on the sub-response
        sub_response.headers["content-type"] = response_media_type(request.headers.get("accept"))
        return sub_response

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=context,
                root_value=root_value,
                request_data=request_data,
            )
        except HTTPException as error:
            if request_adapter.method == "GET" and isinstance(
                error.__cause__, InvalidOperationTypeError
            ):
                raise MutationOverGet(
                    f"{error.reason}: GET runs queries only; send mutations with POST"
                ) from error
            raise

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {} if never_executed(result) else {"data": result.data}
        if result.errors:
            data["errors"] = [self.format_error(request, e) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        record = current_request()
        if record is not None and record.outcome in {None, "ok"}:
            record.outcome = outcome_of_errors(data.get("errors"))
        return data

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        media_type = sub_response.headers.get("content-type", JSON_MEDIA_TYPE)
        del sub_response.headers["content-type"]
        retry_after = rate_limited(response_data)
        if retry_after is not None:
            sub_response.status_code = 429
            sub_response.headers["Retry-After"] = str(retry_after)
        elif (
            media_type == GRAPHQL_RESPONSE_MEDIA_TYPE
            and isinstance(response_data, dict)
            and "data" not in response_data
        ):
            sub_response.status_code = 400
        response = super().create_response(response_data, sub_response)
        if media_type == GRAPHQL_RESPONSE_MEDIA_TYPE:
            response.headers["content-type"] = f"{media_type}; charset=utf-8"
        return response

    def format_error(self, request: Request, error: GraphQLError) -> dict[str, Any]:
        original = error.original_error
        formatted = error.formatted
        if isinstance(original, LimitExceeded):
            count_refusal(original.limit)
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
            if (record := current_request()) is not None:
                record.graphql = False  # the IDE's page, not an operation
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
            count_refusal("body")
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
        if (record := current_request()) is not None:
            record.tenant = state["principal"].tenant_id
            record.key = actor_label(state["principal"].actor)
        body = await read_body(receive, self.max_body_bytes)
        if body is None:
            count_refusal("body")
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


def count_refusal(limit: str) -> None:
    """A request refused by ``limit``: counted, and named in the request's log line."""
    LIMIT_REFUSALS.labels(limit).inc()
    if (record := current_request()) is not None:
        record.limit = limit


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
