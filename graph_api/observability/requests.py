"""One record per HTTP request, filled in as the request goes, and the middleware that turns
it into metrics, a span and one log line when the response has gone out."""

from __future__ import annotations

import hashlib
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api.config import Settings
from graph_api.observability.metrics import (
    GRAPHQL_DURATION,
    GRAPHQL_REQUESTS,
    HTTP_IN_FLIGHT,
    HTTP_REQUESTS,
    OPERATION_NAME,
    OperationNames,
)
from graph_api.observability.tracing import TRACING, incoming_context

access_log = logging.getLogger("graph_api.access")

ROUTES = ("/graphql", "/healthz", "/readyz", "/metrics")
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes are logged only when they fail: they come every few seconds."""


def route_of(path: str) -> str:
    """The route label of a path: a fixed set, so no caller can grow the label space."""
    if path in ROUTES:
        return path
    if path == "/explorer" or path.startswith("/explorer/"):
        return "/explorer"
    return "other"


def actor_label(actor: str) -> str:
    """What logs may say about who called: an API key's id as it is, a token subject hashed
    (subjects are often e-mail addresses)."""
    kind, _, ident = actor.partition(":")
    if kind == "key":
        return actor
    return f"{kind}:{hashlib.sha256(ident.encode()).hexdigest()[:12]}"


def loggable_operation_name(name: object) -> str | None:
    """A client's operation name when it is a plain GraphQL name of sane length."""
    if name is None:
        return None
    return name if isinstance(name, str) and OPERATION_NAME.fullmatch(name) else "invalid-name"


@dataclass(slots=True)
class RequestRecord:
    """What is known about the request being served; later layers fill in their part."""

    request_id: str
    method: str
    route: str
    graphql: bool = False
    tenant: str | None = None
    key: str | None = None
    operation: str | None = None
    operation_type: str | None = None
    outcome: str | None = None
    limit: str | None = None
    trace_id: str | None = None


CURRENT_REQUEST: ContextVar[RequestRecord | None] = ContextVar("flagbearer_request", default=None)


def current_request() -> RequestRecord | None:
    return CURRENT_REQUEST.get()


OUTCOME_BY_CODE = (
    # worst first: a response with several errors gets the first outcome that matches
    ("INTERNAL", "error"),
    ("UNAVAILABLE", "unavailable"),
    ("LIMIT_EXCEEDED", "limited"),
    ("UNAUTHENTICATED", "unauthenticated"),
    ("FORBIDDEN", "forbidden"),
    ("GRAPHQL_VALIDATION_FAILED", "invalid"),
    ("INVALID_INPUT", "invalid"),
    ("CONFLICT", "invalid"),
    ("NOT_FOUND", "not_found"),
)


def outcome_of_errors(errors: object) -> str:
    """The outcome label of a GraphQL response's ``errors`` (``ok`` without any)."""
    if not isinstance(errors, list) or not errors:
        return "ok"
    codes = {
        extensions.get("code")
        for error in errors
        if isinstance(error, dict) and isinstance(extensions := error.get("extensions"), dict)
    }
    for code, outcome in OUTCOME_BY_CODE:
        if code in codes:
            return outcome
    return "error"


def outcome_of_status(status: int) -> str:
    if status < 400:
        return "ok"
    return {
        400: "invalid",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "not_allowed",
        413: "limited",
        429: "limited",
        503: "unavailable",
    }.get(status, "error")


class RequestTelemetry:
    """Times every HTTP request and, when it is done, counts it, ends its span and logs it.

    Runs inside :class:`graph_api.app.SecurityHeaders`, which has given the request its id.
    The span (only when tracing is on) continues the caller's ``traceparent``.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.operation_names = OperationNames(settings.metrics_max_operations)
        # each label set's series, found once (``labels()`` checks and locks on every call);
        # the label sets are few and bounded (routes by statuses, capped operation names)
        self.series: dict[tuple[object, ...], Any] = {}

    def _series(self, metric: Any, *labels: str) -> Any:
        key = (metric, *labels)
        found = self.series.get(key)
        if found is None:
            found = self.series[key] = metric.labels(*labels)
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        route = route_of(scope["path"])
        record = RequestRecord(
            request_id=scope.get("state", {}).get("request_id", "-"),
            method=scope["method"],
            route=route,
            graphql=route == "/graphql" and scope["method"] in {"GET", "POST"},  # no preflights
        )
        token = CURRENT_REQUEST.set(record)
        status = 500

        async def send_recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        HTTP_IN_FLIGHT.inc()
        try:
            tracer = TRACING.tracer
            if tracer is None:
                await self.app(scope, receive, send_recording)
            else:
                with tracer.start_as_current_span(
                    f"{record.method} {route}",
                    context=incoming_context(scope.get("headers", [])),
                    kind=SpanKind.SERVER,
                    attributes={
                        "http.request.method": record.method,
                        "http.route": route,
                        "url.scheme": scope.get("scheme", "http"),
                        "flagbearer.request_id": record.request_id,
                    },
                    record_exception=False,
                ) as span:
                    record.trace_id = format(span.get_span_context().trace_id, "032x")
                    try:
                        await self.app(scope, receive, send_recording)
                    finally:
                        span.set_attribute("http.response.status_code", status)
                        if status >= 500:
                            span.set_status(Status(StatusCode.ERROR))
        finally:
            HTTP_IN_FLIGHT.dec()
            CURRENT_REQUEST.reset(token)
            self.finish(record, status, time.perf_counter() - started)

    def finish(self, record: RequestRecord, status: int, duration: float) -> None:
        self._series(HTTP_REQUESTS, record.route, str(status)).inc()
        if record.outcome is None or (status >= 500 and record.outcome == "ok"):
            record.outcome = outcome_of_status(status)
        if record.graphql:
            operation = (
                self.operation_names.label(record.operation)
                if record.operation_type is not None
                else "unknown"
            )
            kind = record.operation_type or "unknown"
            self._series(GRAPHQL_REQUESTS, operation, kind, record.outcome).inc()
            self._series(GRAPHQL_DURATION, operation, kind).observe(duration)
        if record.route in QUIET_ROUTES and status < 400:
            return
        fields: dict[str, object] = {
            "request_id": record.request_id,
            "method": record.method,
            "route": record.route,
            "status": status,
            "duration_ms": round(duration * 1000, 1),
            "outcome": record.outcome,
        }
        for name, value in (
            ("trace_id", record.trace_id),
            ("tenant", record.tenant),
            ("key", record.key),
            ("operation", loggable_operation_name(record.operation)),
            ("operation_type", record.operation_type),
            ("limit", record.limit),
        ):
            if value is not None:
                fields[name] = value
        # a refusal by a limit is worth an operator's eye: the one line per request says so
        if status >= 500:
            level = logging.ERROR
        elif record.limit is not None:
            level = logging.WARNING
        else:
            level = logging.INFO
        access_log.log(level, "request", extra={"fields": fields})
