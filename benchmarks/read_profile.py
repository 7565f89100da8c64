"""Where a read's time goes: the peer benchmark's API workloads run in-process under cProfile,
their self time grouped by layer (issue 10: "say in the README where the time goes now").

Imports the peer benchmark's data set (``benchmarks/generate.py``: a 1,000-person and a
200-person account) for a fresh tenant into a throwaway local Neo4j (``.data/bench-neo4j-<port>``,
stopped at the end; or ``NEO4J_URI`` if set — NOT wiped, each run uses a fresh tenant), then
sends each workload's document through the ASGI app (``httpx.ASGITransport``, a real key)
``--requests`` times after a warm-up, and prints, per workload, the milliseconds per request
and the share of the server's CPU in each layer. The test client's own frames (httpx) are left
out; waiting for Neo4j shows as ``waiting (I/O)`` (the event loop's ``select``), and a
built-in's time (``dict.get``, ``list.append`` …) counts for the layers that called it.

    .venv/bin/python benchmarks/read_profile.py [--requests 20] [--bolt-port 7763]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate_account_document
from benchmarks.peers.workloads import (
    API_ACCOUNT_GRAPH,
    API_COACHING_PLAN,
    API_FIRST_STAKEHOLDERS,
    API_STAKEHOLDER,
    TYPENAME,
)
from benchmarks.plan_bench import settings
from graph_api.app import create_app
from graph_api.db.driver import open_database, wait_until_ready
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.repositories.documents import import_document
from graph_api.repositories.keys import create_key

LAYERS = (  # (layer, substrings of a frame's file or name), first match wins
    ("test client (left out)", ("/httpx/", "/httpcore/")),
    ("waiting (I/O)", ("select.epoll", "select.poll", "selectors.py")),
    ("Neo4j driver (Bolt, records)", ("/neo4j/",)),
    ("compiled read path", ("graph_api/api/compiled/",)),
    ("coaching engine", ("graph_api/engine/",)),
    ("coaching service and loaders", ("graph_api/coaching.py", "graph_api/repositories/")),
    ("domain records", ("graph_api/domain/",)),
    ("GraphQL execution (graphql-core, strawberry)", ("/graphql/", "/strawberry/")),
    ("API layer (auth, limits, view, types)", ("graph_api/",)),
    ("JSON encoding", ("orjson", "json")),
    ("asyncio, starlette", ("asyncio", "/starlette/", "uvloop", "contextvars")),
)


def layer_of(file: str, name: str) -> str:
    where = f"{file}:{name}"
    for layer, marks in LAYERS:
        if any(mark in where for mark in marks):
            return layer
    return "other"


async def main(requests: int, bolt_port: int) -> None:
    config, server = settings(bolt_port)
    database = open_database(config)
    try:
        await wait_until_ready(database)
        await apply_migrations(database)
        tenant = f"profile-{uuid.uuid4().hex[:8]}"
        principal = Principal(tenant, Role.ADMIN, "bench")
        for people, seed in ((1000, 1), (200, 2)):
            document = generate_account_document(people, seed=seed)
            if seed > 1:
                document["accounts"] = document["accounts"][:1]
            await import_document(database, principal, document, ImportMode.MERGE)
        key = (await create_key(database, tenant, Role.VIEWER)).secret
        # as the peer benchmark runs it: no rate limit, and a cost limit the page fits in
        config = config.model_copy(
            update={"rate_limit_cost_per_minute": 10**12, "max_query_cost": 100_000}
        )
        app = create_app(config, database=database)
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
        ) as client:

            async def ask(query: str, variables: dict[str, Any] | None = None) -> Any:
                answer = await client.post(
                    "/graphql", json={"query": query, "variables": variables}, headers=headers
                )
                body = answer.json()
                assert "errors" not in body, body["errors"]
                return body["data"]

            found = await ask(
                '{ a: account(externalId: "acct-1000-1") { id stakeholders(first: 1) '
                "{ edges { node { externalId } } } opportunities { edges { node { id } } } }"
                ' b: account(externalId: "acct-200-2") {'
                " opportunities { edges { node { id } } } } }"
            )
            big, small = found["a"], found["b"]
            opportunity = big["opportunities"]["edges"][0]["node"]["id"]
            workloads = {
                "`{ __typename }` with a key": (TYPENAME, None),
                "one stakeholder with its influences": (
                    API_STAKEHOLDER,
                    {"externalId": big["stakeholders"]["edges"][0]["node"]["externalId"]},
                ),
                "first 100 stakeholders with influences and reporting lines": (
                    API_FIRST_STAKEHOLDERS,
                    {"account": "acct-1000-1", "first": 100},
                ),
                "accountGraph, 1,000 people": (
                    API_ACCOUNT_GRAPH,
                    {"account": big["id"], "opportunity": opportunity},
                ),
                "coachingPlan, 200 people": (
                    API_COACHING_PLAN,
                    {"id": small["opportunities"]["edges"][0]["node"]["id"]},
                ),
                "coachingPlan, 1,000 people": (API_COACHING_PLAN, {"id": opportunity}),
            }
            for title, (query, variables) in workloads.items():
                for _ in range(3):  # warm-up: the document's checks and compiled plan
                    await ask(query, variables)
                profile = cProfile.Profile()
                started = time.perf_counter()
                profile.enable()
                for _ in range(requests):
                    await ask(query, variables)
                profile.disable()
                elapsed = (time.perf_counter() - started) / requests
                report(title, profile, elapsed)
    finally:
        await database.close()
        if server is not None:
            server.stop()


def report(title: str, profile: cProfile.Profile, elapsed: float) -> None:
    shares: dict[str, float] = defaultdict(float)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (file, _, name), (_, _, self_time, _, callers) in stats.items():
        if file == "~" and callers and not layer_of(file, name).startswith("waiting"):
            # a built-in (dict.get, list.append …) counts for the layers that called it
            edges = {caller: edge[2] for caller, edge in callers.items()}
            spent = sum(edges.values()) or 1.0
            for (caller_file, _, caller_name), seconds in edges.items():
                shares[layer_of(caller_file, caller_name)] += self_time * seconds / spent
        else:
            shares[layer_of(file, name)] += self_time
    counted = {k: v for k, v in shares.items() if not k.endswith("(left out)")}
    total = sum(counted.values()) or 1.0
    print(f"\n{title}: {elapsed * 1000:.1f} ms per request in-process (profiled)")
    for layer, seconds in sorted(counted.items(), key=lambda kv: -kv[1]):
        if seconds / total >= 0.01:
            print(f"  {seconds / total * 100:5.1f} %  {layer}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--bolt-port", type=int, default=7763)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.bolt_port))
