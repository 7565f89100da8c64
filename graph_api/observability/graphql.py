"""The schema extension that names each GraphQL operation for metrics and logs and, when
tracing is on, wraps it in a span: parse, validation, limits and execution, so Cypher round
trips and engine runs appear as its children."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from opentelemetry.trace import Span, Status, StatusCode
from strawberry.extensions import SchemaExtension

from graph_api.errors import FlagbearerError, Unavailable
from graph_api.observability.requests import current_request, loggable_operation_name
from graph_api.observability.tracing import TRACING


class OperationTelemetry(SchemaExtension):
    """Puts the operation's name and type on the request record (and span)."""

    def on_operation(self) -> Iterator[None]:
        tracer = TRACING.tracer
        if tracer is None:
            try:
                yield
            finally:
                self.describe(None)
            return
        with tracer.start_as_current_span("graphql", record_exception=False) as span:
            try:
                yield
            finally:
                self.describe(span)

    def describe(self, span: Span | None) -> None:
        context = self.execution_context
        # operationName comes from the client unchecked: it may be a number or a list
        name = context.operation_name if isinstance(context.operation_name, str) else None
        try:
            kind: str | None = context.operation_type.value
        except RuntimeError:  # nothing parsed, or no operation by that name
            kind = None
        result = context.result
        errors = list((result.errors if result else context.pre_execution_errors) or ())
        describe_operation(span, name, kind, errors)


def describe_operation(
    span: Span | None, name: str | None, kind: str | None, errors: list[GraphQLError]
) -> None:
    """Name an operation on the request's record (metrics, the log line) and its span."""
    record = current_request()
    if record is not None:
        record.operation = name
        record.operation_type = kind
    if span is None:
        return
    shown = loggable_operation_name(name)
    span.update_name(" ".join(part for part in (kind or "graphql", shown) if part))
    if kind is not None:
        span.set_attribute("graphql.operation.type", kind)
    if shown is not None:
        span.set_attribute("graphql.operation.name", shown)
    if record is not None and record.tenant is not None:
        span.set_attribute("flagbearer.tenant", record.tenant)
    if errors:
        span.set_attribute("graphql.errors", len(errors))
        unexpected = [e for e in errors if not _expected(e)]
        if unexpected:
            original = unexpected[0].original_error
            span.set_status(Status(StatusCode.ERROR, type(original).__name__))


def _expected(error: GraphQLError) -> bool:
    """A refusal or a caller's mistake, as opposed to a failure of the service."""
    original = error.original_error
    return original is None or (
        isinstance(original, FlagbearerError) and not isinstance(original, Unavailable)
    )
