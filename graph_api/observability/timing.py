"""Timers for the places that cost: Neo4j round trips, engine runs and imports.

Each is a small context manager that records a histogram and, only when tracing is on, a
span (a child of the GraphQL operation's). Used as::

    with timed_engine("coaching_plan"):
        result = engine.coaching_plan(subgraph, options)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import Token
from types import TracebackType
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError
from opentelemetry import context as otel_context
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, set_span_in_context

from graph_api.errors import Conflict, FlagbearerError, Forbidden, InvalidInput, LimitExceeded
from graph_api.observability.metrics import (
    ENGINE_DURATION,
    IMPORT_DURATION,
    IMPORT_SIZE,
    IMPORTS,
    NEO4J_DURATION,
    NEO4J_ERRORS,
    NEO4J_SESSIONS,
)
from graph_api.observability.tracing import TRACING

_WORK_NAMES: dict[str, str] = {}


def work_name(work: Callable[..., Any]) -> str:
    """The function a transaction function was defined in: ``load_account_map`` for
    ``load_account_map.<locals>.work``. Bounded by the code, so usable as a label."""
    qualified = getattr(work, "__qualname__", None) or type(work).__name__
    name = _WORK_NAMES.get(qualified)
    if name is None:
        scopes = qualified.split(".<locals>.")
        name = scopes[-2] if len(scopes) > 1 else scopes[0]
        name = "anonymous" if name.startswith("<") else name
        _WORK_NAMES[qualified] = name
    return name


def driver_error_name(error: BaseException | None) -> str | None:
    """The class of the Neo4j driver error behind ``error`` (raised or mapped), if any.

    Errors the transaction function raises on purpose (NotFound, InvalidInput ...) are the
    caller's outcomes, not database errors, and give None.
    """
    if error is None:
        return None
    for candidate in (error, error.__cause__):
        if isinstance(candidate, (Neo4jError, DriverError)):
            return type(candidate).__name__
    return None


class TransactionObserver:
    """Times one managed transaction and counts its driver errors.

    See :func:`observed_transaction`.
    """

    __slots__ = ("access", "database", "span", "started", "work")

    def __init__(self, access: str, work: Callable[..., Any], database: str) -> None:
        self.access = access
        self.work = work_name(work)
        self.database = database
        self.span: Span | None = None
        self.started = 0.0

    def __enter__(self) -> None:
        NEO4J_SESSIONS.inc()
        tracer = TRACING.tracer
        if tracer is not None:
            self.span = tracer.start_span(
                f"neo4j {self.access} {self.work}",
                kind=SpanKind.CLIENT,
                attributes={
                    "db.system.name": "neo4j",
                    "db.namespace": self.database,
                    "db.operation.name": self.access,
                    "flagbearer.work": self.work,
                },
                record_exception=False,
            )
        self.started = time.perf_counter()

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        elapsed = time.perf_counter() - self.started
        NEO4J_SESSIONS.dec()
        NEO4J_DURATION.labels(self.access, self.work).observe(elapsed)
        failure = driver_error_name(error)
        if failure is not None:
            NEO4J_ERRORS.labels(self.access, failure).inc()
        if self.span is not None:
            if failure is not None:
                self.span.set_attribute("error.type", failure)
                self.span.set_status(Status(StatusCode.ERROR, failure))
            self.span.end()


def observed_transaction(
    access: str, work: Callable[..., Any], database: str
) -> TransactionObserver:
    """Wrap one Neo4j round trip (``access`` is ``read`` or ``write``)."""
    return TransactionObserver(access, work, database)


class EngineTimer:
    """Times one engine computation; see :func:`timed_engine`."""

    __slots__ = ("computation", "span", "started")

    def __init__(self, computation: str) -> None:
        self.computation = computation
        self.span: Span | None = None
        self.started = 0.0

    def __enter__(self) -> None:
        tracer = TRACING.tracer
        if tracer is not None:
            self.span = tracer.start_span(f"engine {self.computation}", record_exception=False)
        self.started = time.perf_counter()

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        ENGINE_DURATION.labels(self.computation).observe(time.perf_counter() - self.started)
        if self.span is not None:
            if error is not None:
                self.span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            self.span.end()


def timed_engine(computation: str) -> EngineTimer:
    """Time a pure engine run; ``computation`` names it (``coaching_plan``, ...).

    Example:
        ``with timed_engine("influence_paths"): found = engine.influence_paths(...)``
    """
    return EngineTimer(computation)


def count_entries(document: object) -> int:
    """JSON objects in a document, nested ones included: its size in entries."""
    count = 0
    pending: list[object] = [document]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            count += 1
            pending.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            pending.extend(v for v in item if isinstance(v, (dict, list)))
    return count


def import_outcome(error: BaseException | None) -> str:
    if error is None:
        return "ok"
    for kind, outcome in (
        (InvalidInput, "invalid"),
        (Conflict, "conflict"),
        (LimitExceeded, "limited"),
        (Forbidden, "forbidden"),
    ):
        if isinstance(error, kind):
            return outcome
    return "refused" if isinstance(error, FlagbearerError) else "error"


class ImportObserver:
    """Counts, sizes and times one document import; see :func:`observed_import`."""

    __slots__ = ("attached", "entries", "source", "span", "started")

    def __init__(self, source: str, document: object) -> None:
        self.source = source
        self.entries = count_entries(document)
        self.span: Span | None = None
        self.attached: Token[otel_context.Context] | None = None
        self.started = 0.0

    def __enter__(self) -> None:
        IMPORT_SIZE.labels(self.source).observe(self.entries)
        tracer = TRACING.tracer
        if tracer is not None:
            self.span = tracer.start_span(
                f"import {self.source}",
                attributes={"flagbearer.import.entries": self.entries},
                record_exception=False,
            )
            # current, so the import's Cypher round trips are its children
            self.attached = otel_context.attach(set_span_in_context(self.span))
        self.started = time.perf_counter()

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        IMPORT_DURATION.labels(self.source).observe(time.perf_counter() - self.started)
        outcome = import_outcome(error)
        IMPORTS.labels(self.source, outcome).inc()
        if self.attached is not None:
            otel_context.detach(self.attached)
        if self.span is not None:
            self.span.set_attribute("flagbearer.import.outcome", outcome)
            self.span.end()


def observed_import(source: str, document: object) -> ImportObserver:
    """Wrap the import of ``document`` (``source``: ``graphql``, ``cli``, ``crm`` ...)."""
    return ImportObserver(source, document)
