"""End-to-end coaching plan figures: engine time and the whole GraphQL request.

For generated accounts of 50, 200 and 1,000 stakeholders (about 10 influence edges each),
imports each into a throwaway local Neo4j (``.data/bench-neo4j``, Bolt port 7698, stopped at
the end; or ``NEO4J_URI`` if set — it is NOT wiped, each run uses a fresh tenant), then prints
the median of several runs of: the one-round-trip subgraph load, the pure engine, and the
whole ``coachingPlan`` request through the ASGI app with a real key. For the loaded subgraph it
also prints the engine's full plan (with deal risk) against the plain section-3 plan, in
CPU time over interleaved runs, and their ratio (target: at most 2 at 1,000 stakeholders).

    .venv/bin/python benchmarks/plan_bench.py [--runs 15] [--bolt-port 7698]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_bench import interleaved_cpu_ms
from generate import generate_account_document

from graph_api import engine
from graph_api.app import create_app
from graph_api.coaching import to_engine_subgraph
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.db.driver import Database, open_database, wait_until_ready
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.repositories.documents import import_document
from graph_api.repositories.graph import nodes_by_keys
from graph_api.repositories.keys import create_key
from graph_api.repositories.subgraph import load_account_map

PASSWORD = "flagbearer-bench"
QUERY = """
query Plan($id: ID!) {
  coachingPlan(opportunityId: $id) {
    winProbability winProbabilityWithPlan warnings
    approvers { approver { id name } status approvalProbability approvalProbabilityWithPlan
      plays { champion { name } argument { title } path { name } value explanation }
      threats { opponent { name } reach } developCandidates { stakeholder { name } reach } }
    plan { champion { name } argument { title } approver { name } value }
  }
}
"""


def settings(bolt_port: int) -> tuple[Settings, LocalNeo4j | None]:
    """The database to use, and the local server this run started (stopped at the end)."""
    if os.environ.get("NEO4J_URI"):
        return Settings(), None
    name = "bench-neo4j" if bolt_port == 7698 else f"bench-neo4j-{bolt_port}"
    server = LocalNeo4j(PROJECT_ROOT / ".data" / name, bolt_port=bolt_port, password=PASSWORD)
    status = server.start()
    return Settings(NEO4J_URI=status.bolt_uri, NEO4J_PASSWORD=PASSWORD), server


async def timed(action: Any, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def steady_plans(database: Database) -> None:
    """Measure the plans Neo4j makes with statistics that know the data just imported.

    Without this, the map's statement planned when the database held 50 people (its index
    statistics not yet sampled) is reused for the next sizes for up to
    ``dbms.cypher.min_replan_interval`` (10 s), and the benchmark would measure that plan
    instead of the steady state (``tests/e2e/test_fresh_database_plans.py`` checks that such
    a plan still reads every size). So after each import it resamples the indexes, waits for
    that, and drops cached plans (``db.prepareForReplanning``)."""
    async with database.driver.session(database=database.database) as session:
        await (await session.run("CALL db.prepareForReplanning()")).consume()


async def main(runs: int, bolt_port: int) -> None:
    config, server = settings(bolt_port)
    database = open_database(config)
    await wait_until_ready(database)
    await apply_migrations(database)
    tenant = f"bench-{uuid.uuid4().hex[:8]}"
    principal = Principal(tenant, Role.ADMIN, "bench")
    key = (await create_key(database, tenant, Role.VIEWER)).secret
    app = create_app(config, database=database)
    transport = httpx.ASGITransport(app=app)
    print(
        f"{'stakeholders':>12} {'edges':>6} {'load ms':>8} {'engine ms':>10} {'request ms':>11}"
        f" {'plain cpu ms':>12} {'full cpu ms':>11} {'ratio':>5}"
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for n in (50, 200, 1000):
            document = generate_account_document(n, seed=1)
            await import_document(database, principal, document, ImportMode.MERGE)
            await steady_plans(database)
            external = document["accounts"][0]["opportunities"][0]["externalId"]
            found = await nodes_by_keys(database, tenant, "Opportunity", [external], "externalId")
            opportunity_id = found[external].id
            account_map = await load_account_map(database, tenant, opportunity_id=opportunity_id)
            subgraph = to_engine_subgraph(account_map)

            async def load(oid: str = opportunity_id) -> None:
                await load_account_map(database, tenant, opportunity_id=oid)

            async def run_engine(graph: engine.Subgraph = subgraph) -> None:
                engine.coaching_plan(graph)

            async def request(oid: str = opportunity_id) -> None:
                response = await client.post(
                    "/graphql",
                    json={"query": QUERY, "variables": {"id": oid}},
                    headers={"Authorization": f"Bearer {key}"},
                )
                body = response.json()
                assert response.status_code == 200, body
                assert "errors" not in body, body["errors"]

            await request()  # warm caches and the connection pool
            load_ms = await timed(load, runs)
            engine_ms = await timed(run_engine, runs)
            request_ms = await timed(request, runs)
            plain_cpu, full_cpu = interleaved_cpu_ms(subgraph, runs)
            print(
                f"{n:>12} {len(subgraph.influences):>6} {load_ms:>8.1f} {engine_ms:>10.1f} "
                f"{request_ms:>11.1f} {plain_cpu:>12.1f} {full_cpu:>11.1f} "
                f"{full_cpu / plain_cpu:>5.2f}"
            )
    await database.close()
    if server is not None:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--bolt-port", type=int, default=7698, help="the local Neo4j's port")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.bolt_port))
