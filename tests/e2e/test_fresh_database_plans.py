"""A map read on a database that has just been filled: Neo4j plans a statement with the
statistics it has and reuses the plan for ten seconds (``dbms.cypher.min_replan_interval``),
and the statistics of a fresh database's indexes are not sampled yet. The map's statement
planned at 50 people and run at 200 once started from the tenant's index, joined it to the
account's people and ran out of Neo4j's 1 GiB of transaction memory. This runs that sequence
on a Neo4j of its own, with a store made for the test."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.generate import generate_account_document
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.db.driver import Database, open_database, wait_until_ready
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.repositories.documents import import_document
from graph_api.repositories.graph import nodes_by_keys
from graph_api.repositories.subgraph import load_account_map

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

PASSWORD = "flagbearer-tests"
FRESH_PORT_OFFSET = 60  # clear of the workers' servers (base .. base + 3) and the outage test's


@pytest.fixture(scope="module")
def neo4j() -> Iterator[LocalNeo4j]:
    if os.environ.get("FLAGBEARER_TEST_NEO4J_URI"):
        pytest.skip("needs a local Neo4j with a new store; not with an external server")
    port = int(os.environ.get("FLAGBEARER_TEST_BOLT_PORT", "7697")) + FRESH_PORT_OFFSET
    home = PROJECT_ROOT / ".data" / f"test-neo4j-fresh-{port}"
    shutil.rmtree(home, ignore_errors=True)
    server = LocalNeo4j(home, bolt_port=port, password=PASSWORD)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest_asyncio.fixture(loop_scope="session")
async def database(neo4j: LocalNeo4j) -> AsyncIterator[Database]:
    # no retries: a plan that runs out of memory must show, not be tried again
    settings = Settings(
        NEO4J_URI=neo4j.bolt_uri, NEO4J_PASSWORD=PASSWORD, NEO4J_MAX_TRANSACTION_RETRY_TIME=0
    )
    found = open_database(settings)
    await wait_until_ready(found)
    await apply_migrations(found)
    try:
        yield found
    finally:
        await found.close()


async def test_maps_planned_on_a_database_just_filled_still_read_each_size(
    database: Database,
) -> None:
    principal = Principal("fresh", Role.ADMIN, "test")
    opportunity_id = ""
    for people in (50, 200, 1000):
        document = generate_account_document(people, seed=1)
        await import_document(database, principal, document, ImportMode.MERGE)
        external = document["accounts"][0]["opportunities"][0]["externalId"]
        found = await nodes_by_keys(database, "fresh", "Opportunity", [external], "externalId")
        opportunity_id = found[external].id
        # the statement is planned at 50 people and, within seconds, run at 200 and 1,000
        account_map = await load_account_map(database, "fresh", opportunity_id=opportunity_id)
        assert len(account_map.people) == people
    whole = await load_account_map(database, "fresh", opportunity_id=opportunity_id, for_plan=False)
    assert len(whole.people) == 1000
