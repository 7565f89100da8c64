"""What watching the service costs per request: metrics, the request log line and spans.

Times, without a database or network, the pieces the service adds to every request:
the HTTP middleware (metrics, one JSON log line), the GraphQL operation extension, and one
Neo4j round trip's observer, each with tracing off and on. Prints CPU microseconds per call.

    .venv/bin/python benchmarks/telemetry_bench.py [--rounds 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable

import strawberry
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from graph_api.config import Settings
from graph_api.observability.graphql import OperationTelemetry
from graph_api.observability.logs import JsonFormatter
from graph_api.observability.requests import RequestTelemetry
from graph_api.observability.timing import observed_transaction
from graph_api.observability.tracing import disable_tracing, enable_tracing


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "hi"


async def plain_app(scope: dict, receive: Callable, send: Callable) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def per_call(rounds: int, call: Callable[[], Awaitable[object]]) -> float:
    for _ in range(min(rounds, 500)):  # warm up
        await call()
    started = time.process_time()  # CPU time: the machine's other load does not count
    for _ in range(rounds):
        await call()
    return (time.process_time() - started) / rounds * 1e6


async def measure(rounds: int) -> list[tuple[str, float]]:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "headers": [],
        "state": {"request_id": "bench"},
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        return None

    middleware = RequestTelemetry(plain_app, Settings())
    bare = strawberry.Schema(query=Query)
    observed = strawberry.Schema(query=Query, extensions=[OperationTelemetry])

    def work(tx: object) -> None:
        return None

    async def transaction() -> None:
        with observed_transaction("read", work, "neo4j"):
            pass

    async def middleware_call() -> None:
        await middleware(scope, receive, send)

    async def bare_call() -> None:
        await plain_app(scope, receive, send)

    async def bare_query() -> object:
        return await bare.execute("query Bench { hello }")

    async def observed_query() -> object:
        return await observed.execute("query Bench { hello }")

    figures = [
        ("ASGI app alone", await per_call(rounds, bare_call)),
        ("+ request middleware (metrics, JSON log line)", await per_call(rounds, middleware_call)),
        ("GraphQL { hello } alone", await per_call(rounds // 4, bare_query)),
        ("+ operation extension", await per_call(rounds // 4, observed_query)),
        ("Neo4j round-trip observer", await per_call(rounds, transaction)),
    ]
    enable_tracing(SimpleSpanProcessor(InMemorySpanExporter()))
    try:
        figures += [
            ("tracing on: request middleware", await per_call(rounds, middleware_call)),
            ("tracing on: + operation extension", await per_call(rounds // 4, observed_query)),
            ("tracing on: Neo4j round-trip observer", await per_call(rounds, transaction)),
        ]
    finally:
        disable_tracing()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20_000)
    rounds = parser.parse_args().rounds
    with open(os.devnull, "w", encoding="utf-8") as sink:
        handler = logging.StreamHandler(sink)
        handler.setFormatter(JsonFormatter())
        logging.getLogger().addHandler(handler)
        logging.getLogger().setLevel(logging.INFO)
        figures = asyncio.run(measure(rounds))
    width = max(len(name) for name, _ in figures)
    print(f"{'what':<{width}}  CPU µs per call")
    for name, micros in figures:
        print(f"{name:<{width}}  {micros:8.1f}")


if __name__ == "__main__":
    main()
