"""The pipeline dashboard query end to end: ``pipeline(first: 50)`` over 50 opportunities.

Imports 50 generated accounts of 200 stakeholders (one opportunity each, about 10 influence
edges per person) into a throwaway local Neo4j (``.data/bench-neo4j-<port>``, stopped at the
end; or ``NEO4J_URI`` if set — NOT wiped, each run uses a fresh tenant), then prints the median
of several ``pipeline(first: 50)`` requests through the ASGI app with a real key, and how that
time splits: the page's one-round-trip map load and the engine's 50 plans.

    .venv/bin/python benchmarks/pipeline_bench.py [--runs 5] [--bolt-port 7697]

Target (issue 11): under 2 s end to end on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_account_document
from plan_bench import settings

from graph_api import coaching, engine
from graph_api.app import create_app
from graph_api.db.driver import open_database, wait_until_ready
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.repositories.documents import import_document
from graph_api.repositories.graph import OpportunityFilter, list_opportunities
from graph_api.repositories.keys import create_key
from graph_api.repositories.subgraph import load_opportunity_maps

ACCOUNTS = 50
PEOPLE = 200
QUERY = """
query Pipeline($first: Int) {
  pipeline(first: $first) {
    totalCount
    edges { node {
      opportunity { id name closeDate }
      winProbability winProbabilityWithPlan secured covered weak uncovered singleThreaded
      championVerdicts { verdict count } staleFacts topRisk
    } }
  }
}
"""


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def main(runs: int, bolt_port: int) -> None:
    config, server = settings(bolt_port)
    database = open_database(config)
    try:
        await wait_until_ready(database)
        await apply_migrations(database)
        tenant = f"pipeline-{uuid.uuid4().hex[:8]}"
        principal = Principal(tenant, Role.ADMIN, "bench")
        started = time.perf_counter()
        for seed in range(ACCOUNTS):
            document = generate_account_document(PEOPLE, seed=seed)
            if seed:  # the reference accounts the playbook cites are imported once
                document["accounts"] = document["accounts"][:1]
            document["accounts"][0]["externalId"] += f"-{seed}"
            await import_document(database, principal, document, ImportMode.MERGE)
        print(
            f"imported {ACCOUNTS} accounts of {PEOPLE} people in "
            f"{time.perf_counter() - started:.1f} s"
        )
        key = (await create_key(database, tenant, Role.VIEWER)).secret
        app = create_app(config, database=database)
        requests: list[float] = []
        loads: list[float] = []
        plans: list[float] = []
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
        ) as client:
            for run in range(runs + 1):
                start = time.perf_counter()
                response = await client.post(
                    "/graphql",
                    json={"query": QUERY, "variables": {"first": ACCOUNTS}},
                    headers={"Authorization": f"Bearer {key}"},
                )
                elapsed = time.perf_counter() - start
                body = response.json()
                assert "errors" not in body, body.get("errors")
                assert len(body["data"]["pipeline"]["edges"]) == ACCOUNTS
                if run:  # the first run warms the plan caches and the pool
                    requests.append(elapsed)
                page = await list_opportunities(database, tenant, OpportunityFilter(), 0, ACCOUNTS)
                start = time.perf_counter()
                maps = await load_opportunity_maps(database, tenant, [n.id for n in page.nodes])
                loads.append(time.perf_counter() - start)
                on = coaching.today()
                start = time.perf_counter()
                for account_map in maps.values():
                    options = coaching.coaching_options(account_map, coaching.Asked(), on)
                    engine.coaching_plan(coaching.to_engine_subgraph(account_map), options)
                plans.append(time.perf_counter() - start)
        print(f"{'runs':>4} {'request ms':>11} {'load ms':>8} {'engine ms, one thread':>22}")
        print(
            f"{runs:>4} {median_ms(requests):11.0f} {median_ms(loads):8.0f} "
            f"{median_ms(plans):22.0f}"
        )
    finally:
        await database.close()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bolt-port", type=int, default=7698)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.bolt_port))
