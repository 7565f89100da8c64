"""The GraphQL endpoint: authentication before anything runs, one error format after.

Every answer is JSON in the GraphQL error shape, refusals included: a malformed body is a 400
whose message names what is wrong (``extensions.code = "BAD_REQUEST"``), never a 500; an
unexpected error is masked (``INTERNAL`` with the request id) in every mode and logged with its
traceback; a refusal by a limit is logged in one line; a request that failed as a whole
because the database is not answering is a 503 with ``Retry-After``.

GraphQL over HTTP (the graphql-over-http draft): ``application/graphql-response+json`` when
the Accept header prefers it, with 400 for a request that never executed (unparseable,
invalid, bad variables); ``application/json`` otherwise, 200 for every well-formed request.
Either way a request that never executed has no ``data`` entry. GET runs queries only; a
mutation over GET is 405 with ``Allow: POST``. A rate-limit refusal is 429 with
``Retry-After`` under both media types.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import re
from collections.abc import Callable
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from graph_api.api.auth import Authenticator
from graph_api.api.compiled.lane import CompiledReads
from graph_api.api.context import Context
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.errors import (
    FlagbearerError,
    InvalidInput,
    LimitExceeded,
    Unauthenticated,
    Unavailable,
)
from graph_api.observability.metrics import LIMIT_REFUSALS
from graph_api.observability.requests import actor_label, current_request, outcome_of_errors

log = logging.getLogger("graph_api.graphql")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
JSON_MEDIA_TYPE = "application/json"
GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json"
MAX_JSON_NESTING = 64
"""Deepest nesting of arrays and objects in a body; an account document needs about ten."""
INT64 = 2**63
UNAVAILABLE_RETRY_AFTER = 5
"""Seconds a client should wait after a 503: the driver reconnects within that."""
HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "LIMIT_EXCEEDED"}
OPERATION_FIELDS = {"query": str, "operationName": str, "variables": dict, "extensions": dict}
JSON_TYPE_NAMES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


class BadRequest(HTTPException):
    """A 400 whose reason names what is wrong with the request."""

    def __init__(self, reason: str) -> None:
        super().__init__(400, reason)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    return JSON_TYPE_NAMES.get(type(value), "a number")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise BadRequest(f"the number {literal[:40]} is too large: numbers must be finite")
    return value


def _int64(literal: str) -> int:
    try:
        value = int(literal)
    except ValueError:  # more digits than Python converts
        value = INT64
    if not -INT64 <= value < INT64:
        raise BadRequest(
            f"the integer {literal[:40]}{'…' if len(literal) > 40 else ''} is too large:"
            " integers must fit in 64 bits"
        )
    return value


def _no_constant(literal: str) -> Any:
    raise BadRequest(f"{literal} is not a JSON number: numbers must be finite")


def decode_json(data: str | bytes) -> Any:
    """JSON as this service accepts it: UTF-8, finite numbers, 64-bit integers, at most
    :data:`MAX_JSON_NESTING` levels deep. Anything else raises :class:`BadRequest`. ``data``
    is the request body (bytes) or a query parameter (str)."""
    what = "the body" if isinstance(data, bytes) else "a query parameter"
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadRequest(
                f"the body is not UTF-8 text (invalid byte at offset {error.start})"
            ) from None
    try:
        value = json.loads(
            data, parse_float=_finite_float, parse_int=_int64, parse_constant=_no_constant
        )
    except RecursionError:
        value = None
        too_deep = True
    except json.JSONDecodeError as error:
        raise BadRequest(
            f"{what} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    else:
        too_deep = nesting_exceeds(value, MAX_JSON_NESTING)
    if too_deep:
        raise BadRequest(f"the JSON is nested too deeply: at most {MAX_JSON_NESTING} levels")
    return value


def nesting_exceeds(value: Any, limit: int) -> bool:
    """Whether arrays and objects in ``value`` nest deeper than ``limit`` (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        current, depth = stack.pop()
        for child in current.values() if isinstance(current, dict) else current:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def check_operation(value: Any, where: str) -> None:
    """One GraphQL-over-HTTP request object: a JSON object with a string ``query``, and
    ``operationName``, ``variables``, ``extensions`` of the right types when present."""
    if not isinstance(value, dict):
        raise BadRequest(
            f"{where} must be a JSON object with a 'query' string, not {json_type(value)}"
        )
    for name, expected in OPERATION_FIELDS.items():
        given = value.get(name)
        if given is not None and not isinstance(given, expected):
            raise BadRequest(
                f"'{name}' in {where} must be {JSON_TYPE_NAMES[expected]} (or null),"
                f" not {json_type(given)}"
            )
    if not value.get("query"):
        raise BadRequest(f"{where} has no 'query': send the GraphQL document as a string")


def request_id_of(scope: Scope) -> str:
    """The caller's ``X-Request-Id`` when it is a short plain token, else a fresh one."""
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if REQUEST_ID.fullmatch(candidate):
                return candidate
    return os.urandom(16).hex()  # 32 hex digits, as uuid4().hex, for a fifth of its CPU


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


def internal_error(request_id: str) -> dict[str, Any]:
    return {
        "message": "internal error; quote the request id to support",
        "extensions": {"code": "INTERNAL", "requestId": request_id},
    }


def wholly_unavailable(response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> bool:
    """Whether every operation failed only because the database is not answering: errors,
    all UNAVAILABLE, and no root field with a value."""
    results = response_data if isinstance(response_data, list) else [response_data]
    for result in results:
        errors = result.get("errors") or []
        data = result.get("data")
        if not errors or (data and any(value is not None for value in data.values())):
            return False
        for error in errors:
            extensions = error.get("extensions") if isinstance(error, dict) else None
            if not isinstance(extensions, dict) or extensions.get("code") != "UNAVAILABLE":
                return False
    return True


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


class GraphQLView(GraphQL[Context, None]):
    """strawberry's ASGI view with this service's context and error policy."""

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except MutationOverGet as refused:
            response = error_response(405, "METHOD_NOT_ALLOWED", refused.reason, Allow="POST")
        except HTTPException as error:
            code = HTTP_CODES.get(error.status_code, "BAD_REQUEST")
            response = error_response(error.status_code, code, error.reason)
        except Exception:  # the last line: logged, and answered in the usual shape
            request_id = scope.get("state", {}).get("request_id") or request_id_of(scope)
            log.exception("unexpected error in request %s", request_id)
            response = JSONResponse({"errors": [internal_error(request_id)]}, status_code=500)
        await response(scope, receive, send)

    def parse_json(self, data: str | bytes) -> Any:
        """``data`` decoded strictly (:func:`decode_json`). The POST body arrives as bytes
        (query parameters as str), and its shape is checked as well."""
        value = decode_json(data)
        if isinstance(data, bytes):
            self.check_body(value)
        return value

    def check_body(self, value: Any) -> None:
        if not isinstance(value, list):
            check_operation(value, "the body")
            return
        batching = self.schema.config.batching_config
        if batching is None:
            raise BadRequest(
                "Batching is not enabled on this server: the body is a JSON array (a batch);"
                " send one operation as a JSON object"
            )
        if not 1 <= len(value) <= batching["max_operations"]:
            raise BadRequest(
                f"the batch has {len(value)} operations; from 1 to"
                f" {batching['max_operations']} are allowed"
            )
        for index, operation in enumerate(value):
            check_operation(operation, f"operation {index} of the batch")

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

    async def get_context(self, request: Any, response: Any) -> Context:
        state = request.state
        return Context(
            database=state.database,
            principal=state.principal,
            settings=self.settings,
            request_id=state.request_id,
            api_keys=getattr(state, "api_keys", None),
            charged=getattr(state, "charged", False),
        )

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
        elif wholly_unavailable(response_data):
            sub_response.status_code = 503
            sub_response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
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
        if isinstance(original, FlagbearerError):
            if isinstance(original, LimitExceeded):
                count_refusal(original.limit)  # named in the request's one log line
            formatted["message"] = original.message
            formatted["extensions"] = error_extensions(original)
            return dict(formatted)
        if original is None or (error.path is None and error.locations):
            # A syntax, validation or input-coercion error (a bad Date literal, say): it
            # describes the caller's document, not the server, so it is safe to show.
            formatted["extensions"] = {"code": "GRAPHQL_VALIDATION_FAILED"}
            return dict(formatted)
        # Anything else is a bug, and its message may carry internals (Cypher, addresses,
        # node ids): masked in every mode, the log has it all.
        request_id = request.state.request_id
        log.error("unexpected error in request %s", request_id, exc_info=original)
        return {**internal_error(request_id), "path": formatted.get("path")}


class AuthenticatedGraphQL:
    """Refuses, before GraphQL sees the request: no valid credential (401), a body over the
    size limit (413). The body is read here, at most ``max_body_bytes`` of it."""

    def __init__(
        self,
        view: GraphQLView,
        database_ref: Callable[[], Database],
        settings: Settings,
        compiled: CompiledReads | None = None,
    ) -> None:
        self.view = view
        self.database_ref = database_ref
        self.max_body_bytes = settings.max_body_bytes
        self.authenticator = Authenticator(settings)
        self.compiled = compiled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await JSONResponse({"error": "not found"}, status_code=404)(scope, receive, send)
            return
        scope.setdefault("state", {}).setdefault("request_id", request_id_of(scope))
        await answer_if_cancelled(self.serve, scope, receive, send)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        state = scope["state"]
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
        except Unavailable as error:
            await error_response(
                503, error.code, error.message, **{"Retry-After": str(UNAVAILABLE_RETRY_AFTER)}
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
        state["api_keys"] = self.authenticator.keys
        if self.compiled is not None:
            answered = await self.compiled.answer(
                request,
                body,
                state["principal"],
                database,
                state,
                response_media_type(request.headers.get("accept")),
            )
            if answered is not None:
                await answered(scope, receive, send)
                return
        await self.view(scope, replay(body, receive), send)

    async def aclose(self) -> None:
        """At shutdown: write the last uses of keys still pending."""
        await self.authenticator.keys.aclose()

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


async def answer_if_cancelled(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run ``app``; if it is cancelled before answering (the server's graceful shutdown ran
    out of time), answer 503 instead, so the caller sees a clean error rather than a dropped
    connection or a bare 500. Work in flight is abandoned: a transaction rolls back.

    The request task is cancelled only to end it, and it ends here, answered: letting the
    cancellation go on would only make the server log the request as a crash.
    """
    started = False

    async def send_tracked(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive, send_tracked)
    except asyncio.CancelledError:
        if started:
            raise
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        log.warning(
            "request %s cancelled before it was answered (shutdown)", scope["state"]["request_id"]
        )
        shutting_down = error_response(
            503,
            Unavailable.code,
            "the server is shutting down; retry the request",
            **{"Retry-After": "1", "Connection": "close"},
        )
        with contextlib.suppress(OSError, RuntimeError):  # the client may have gone
            await shutting_down(scope, receive, send)


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
