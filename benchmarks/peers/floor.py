"""The floor: the least a Python server on this stack can spend on each workload.

A Starlette app on uvicorn (one process, like this API) that answers each workload with one
hand-written Cypher statement (``workloads.FLOOR_CYPHER``) run by the async driver in a read
transaction, returning the record's value as JSON. No GraphQL, no authentication: the tenant
is fixed at start-up (``FLOOR_TENANT``) and passed to every statement.

    NEO4J_URI=… NEO4J_PASSWORD=… FLOOR_TENANT=t .venv/bin/python -m benchmarks.peers.floor --port P
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from benchmarks.peers.workloads import FLOOR_CYPHER


def create_app(uri: str, user: str, password: str, tenant: str) -> Starlette:
    driver: AsyncDriver | None = None

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        nonlocal driver
        # No notifications: absent optional properties (evidence) would log a warning a request.
        driver = AsyncGraphDatabase.driver(
            uri, auth=(user, password), notifications_min_severity="OFF"
        )
        await driver.verify_connectivity()
        try:
            yield
        finally:
            await driver.close()

    def route(name: str) -> Route:
        cypher = FLOOR_CYPHER[name]

        async def run(tx: AsyncManagedTransaction, parameters: dict[str, Any]) -> Any:
            result = await tx.run(cypher, parameters)
            record = await result.single(strict=True)
            return record.data()

        async def endpoint(request: Request) -> Response:
            assert driver is not None
            parameters = {**json.loads(await request.body()), "tenantId": tenant}
            async with driver.session() as session:
                answer = await session.execute_read(run, parameters)
            return JSONResponse(answer)

        return Route(f"/{name}", endpoint, methods=["POST"])

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        lifespan=lifespan,
        routes=[Route("/healthz", healthz), *(route(name) for name in FLOOR_CYPHER)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    app = create_app(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ["NEO4J_PASSWORD"],
        os.environ["FLOOR_TENANT"],
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
