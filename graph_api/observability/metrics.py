"""Prometheus metrics: one registry for the process, every metric the service exports.

Metrics are per process (each API process is scraped on its own); labels are bounded: route
and limit names come from the code, operation names from clients are capped by
:class:`OperationNames`, Neo4j work names are the code's transaction functions.
"""

from __future__ import annotations

import hmac
import re
import weakref
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graph_api.config import Settings

disable_created_metrics()  # type: ignore[no-untyped-call]  # *_created: twice the scrape, no panel
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
QUERY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
ENGINE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)
IMPORT_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
SIZE_BUCKETS = (1, 10, 100, 1_000, 10_000, 100_000, 1_000_000)

GRAPHQL_REQUESTS = Counter(
    "flagbearer_graphql_requests",
    "GraphQL requests by operation name (capped), operation type and outcome.",
    ["operation", "type", "outcome"],
    registry=REGISTRY,
)
GRAPHQL_DURATION = Histogram(
    "flagbearer_graphql_request_duration_seconds",
    "Time from request received to response sent, by operation name (capped) and type.",
    ["operation", "type"],
    buckets=REQUEST_BUCKETS,
    registry=REGISTRY,
)
COMPILED_READS = Counter(
    "flagbearer_compiled_reads",
    "GraphQL POSTs the compiled read path answered, or handed to the executor.",
    ["outcome"],
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "flagbearer_http_requests",
    "HTTP requests by route (/graphql, /healthz, /readyz, /metrics, /explorer, other) and status.",
    ["route", "status"],
    registry=REGISTRY,
)
HTTP_IN_FLIGHT = Gauge(
    "flagbearer_http_requests_in_flight", "HTTP requests being served now.", registry=REGISTRY
)
NEO4J_DURATION = Histogram(
    "flagbearer_neo4j_transaction_duration_seconds",
    "Neo4j round trips (one managed transaction, retries included) by access mode and work.",
    ["access", "work"],
    buckets=QUERY_BUCKETS,
    registry=REGISTRY,
)
NEO4J_ERRORS = Counter(
    "flagbearer_neo4j_errors",
    "Neo4j transactions that failed on a driver or database error, by the error's class.",
    ["access", "error"],
    registry=REGISTRY,
)
NEO4J_SESSIONS = Gauge(
    "flagbearer_neo4j_sessions_in_use",
    "Neo4j sessions open in this process now; each holds one pooled connection while it runs.",
    registry=REGISTRY,
)
ENGINE_DURATION = Histogram(
    "flagbearer_engine_duration_seconds",
    "Time in the pure coaching engine, by computation.",
    ["computation"],
    buckets=ENGINE_BUCKETS,
    registry=REGISTRY,
)
LIMIT_REFUSALS = Counter(
    "flagbearer_limit_refusals",
    "Requests refused by a limit (rate, cost, depth, tokens, aliases, pageSize, body, ...).",
    ["limit"],
    registry=REGISTRY,
)
RATE_LIMIT_BACKEND_ERRORS = Counter(
    "flagbearer_rate_limit_backend_errors",
    "Shared rate-limit checks that could not reach Redis (the process's own bucket was used).",
    registry=REGISTRY,
)
IMPORTS = Counter(
    "flagbearer_imports",
    "Account document imports by source and outcome (ok, invalid, conflict, limited, error).",
    ["source", "outcome"],
    registry=REGISTRY,
)
IMPORT_DURATION = Histogram(
    "flagbearer_import_duration_seconds",
    "Time to validate and apply an account document, by source.",
    ["source"],
    buckets=IMPORT_BUCKETS,
    registry=REGISTRY,
)
IMPORT_SIZE = Histogram(
    "flagbearer_import_document_entries",
    "Entries (JSON objects: accounts, stakeholders, edges, seats ...) per imported document.",
    ["source"],
    buckets=SIZE_BUCKETS,
    registry=REGISTRY,
)

OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")


class OperationNames:
    """Turns untrusted client operation names into a bounded set of label values.

    The first ``capacity`` distinct valid names are kept as they are; later new names, and
    anything that is not a GraphQL name of at most 64 characters, become ``other``; an
    operation without a name is ``anonymous``.

    Example:
        ``OperationNames(1).label("Plan")`` is ``"Plan"``; then ``label("Other")`` is ``"other"``.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.known: set[str] = set()

    def label(self, name: str | None) -> str:
        if name is None:
            return "anonymous"
        if name in self.known:
            return name
        if len(self.known) >= self.capacity or not OPERATION_NAME.fullmatch(name):
            return "other"
        self.known.add(name)
        return name


class Neo4jPoolCollector(Collector):
    """Connections in the Neo4j driver's pool, read at scrape time.

    The async driver has no public pool statistics; this reads its pool's connection table
    (``driver._pool.connections``: address -> connections, each with ``in_use``) and its
    configured maximum. When a driver version changes those internals the figures are left
    out rather than wrong; ``flagbearer_neo4j_sessions_in_use`` is counted by this service
    and stays.
    """

    def __init__(self) -> None:
        self.drivers: weakref.WeakSet[Any] = weakref.WeakSet()

    def track(self, driver: object) -> None:
        self.drivers.add(driver)

    def describe(self) -> Iterator[Metric]:
        return iter(())

    def collect(self) -> Iterator[Metric]:
        connections = GaugeMetricFamily(
            "flagbearer_neo4j_pool_connections",
            "Connections in the Neo4j driver's pool by server address and state (in_use, idle).",
            labels=["address", "state"],
        )
        maximum = GaugeMetricFamily(
            "flagbearer_neo4j_pool_max_size",
            "Most connections the pool opens per server address.",
        )
        counts: dict[tuple[str, str], int] = {}
        largest = 0
        for driver in list(self.drivers):
            pool = getattr(driver, "_pool", None)
            table = getattr(pool, "connections", None)
            if not isinstance(table, dict):
                continue
            size = getattr(getattr(pool, "pool_config", None), "max_connection_pool_size", 0)
            largest = max(largest, size if isinstance(size, int) else 0)
            try:
                entries = [(str(address), tuple(pooled)) for address, pooled in table.items()]
            except RuntimeError:  # the table changed under us (a scrape from another thread)
                continue
            for address, pooled in entries:
                busy = sum(1 for connection in pooled if getattr(connection, "in_use", False))
                for state, count in (("in_use", busy), ("idle", len(pooled) - busy)):
                    counts[address, state] = counts.get((address, state), 0) + count
        for (address, state), count in sorted(counts.items()):
            connections.add_metric([address, state], count)
        if largest:
            maximum.add_metric([], largest)
        yield connections
        yield maximum


NEO4J_POOLS = Neo4jPoolCollector()
REGISTRY.register(NEO4J_POOLS)


def exposition() -> bytes:
    """The registry in the Prometheus text format."""
    return generate_latest(REGISTRY)


def metrics_endpoint(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """``/metrics`` on the API's own port.

    With ``FLAGBEARER_METRICS_TOKEN`` it needs ``Authorization: Bearer <token>``. Without
    one it is open in development and absent (404) in production, and absent too when the
    metrics have their own address (``FLAGBEARER_METRICS_ADDRESS``).
    """
    token = settings.metrics_token
    open_here = token is None and not settings.production and settings.metrics_address is None
    expected = f"Bearer {token}".encode() if token is not None else b""

    async def metrics(request: Request) -> Response:
        if token is None and not open_here:
            return JSONResponse({"error": "not found"}, status_code=404)
        if token is not None:
            given = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                return JSONResponse(
                    {"error": "send 'Authorization: Bearer <FLAGBEARER_METRICS_TOKEN>'"},
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
                )
        return Response(
            exposition(), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"}
        )

    return metrics


class MetricsListener:
    """``/metrics`` on an address of its own (a small HTTP server on a daemon thread), for
    networks where only the scraper can reach that port."""

    def __init__(self, host: str, port: int) -> None:
        try:
            self.server, self.thread = start_http_server(port, host, registry=REGISTRY)
        except OSError as error:
            raise OSError(
                f"cannot serve metrics on {host}:{port} (FLAGBEARER_METRICS_ADDRESS): {error}"
            ) from error

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
