"""OpenTelemetry traces: off unless configured, then exported over OTLP/HTTP.

On when ``FLAGBEARER_TRACING=true`` or an OTLP endpoint is set in the standard variables
(``OTEL_EXPORTER_OTLP_ENDPOINT``, ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``);
``OTEL_SDK_DISABLED=true`` or ``OTEL_TRACES_EXPORTER=none`` keep it off. Every other
``OTEL_*`` variable (headers, sampler, service name, resource attributes) is read by the SDK.

When off, :data:`TRACING` holds no tracer and every instrumented place skips span work after
reading that one attribute: no span objects, no context switches.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from opentelemetry import context as otel_context
from opentelemetry import propagate
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Tracer

from graph_api.config import Settings

SERVICE_NAME = "flagbearer-api"
INSTRUMENTATION = "graph_api"


class Tracing:
    """The process's tracer, or None while tracing is off."""

    def __init__(self) -> None:
        self.tracer: Tracer | None = None
        self.provider: TracerProvider | None = None


TRACING = Tracing()


def tracing_wanted(settings: Settings, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the settings or the standard ``OTEL_*`` variables ask for traces."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "none":
        return False
    return settings.tracing or bool(
        environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def enable_tracing(processor: SpanProcessor) -> TracerProvider:
    """Send spans to ``processor`` (an OTLP exporter's, or a test's in-memory one) from now on.

    Example:
        ``enable_tracing(SimpleSpanProcessor(InMemorySpanExporter()))`` in a test.
    """
    disable_tracing()
    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": SERVICE_NAME}
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(processor)
    TRACING.provider = provider
    TRACING.tracer = provider.get_tracer(INSTRUMENTATION)
    return provider


def disable_tracing() -> None:
    """Stop tracing, flushing and shutting down the provider that was in use."""
    provider = TRACING.provider
    TRACING.tracer = None
    TRACING.provider = None
    if provider is not None:
        provider.shutdown()


def configure_tracing(settings: Settings) -> bool:
    """Turn OTLP export on when configured (once per process); whether tracing is on."""
    if not tracing_wanted(settings):
        return TRACING.tracer is not None
    if TRACING.tracer is None:
        # Imported only when wanted: the exporter pulls in protobuf and an HTTP session.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter,
        )

        enable_tracing(BatchSpanProcessor(OTLPSpanExporter()))
    return True


def flush_traces(timeout_millis: int = 5_000) -> None:
    if TRACING.provider is not None:
        TRACING.provider.force_flush(timeout_millis)


def incoming_context(headers: list[tuple[bytes, bytes]]) -> otel_context.Context:
    """The caller's trace context (W3C ``traceparent``/``tracestate``) from ASGI headers."""
    carrier = {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in headers
        if name in (b"traceparent", b"tracestate", b"baggage")
    }
    return propagate.extract(carrier)
