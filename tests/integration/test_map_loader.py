"""The one loader of an account's map, read two ways: for a coaching plan (influences by the
ends' internal ids, no reporting lines) and for the explorer (every stored row). A plan must
read the same map whichever way it was loaded."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import pytest_asyncio
from neo4j import AsyncManagedTransaction

from graph_api.coaching import to_engine_subgraph
from graph_api.db.driver import Database
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.package_data import DEMO_SEEDS_DIR
from graph_api.repositories.documents import import_document
from graph_api.repositories.subgraph import AccountMap, load_account_map, load_opportunity_maps

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]


async def seed(database: Database, tenant: str) -> None:
    principal = Principal(tenant, Role.ADMIN, "test")
    for path in sorted(DEMO_SEEDS_DIR.glob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        await import_document(database, principal, document, ImportMode.REPLACE)


async def rows(database: Database, query: str, **parameters: Any) -> list[dict[str, Any]]:
    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        result = await tx.run(query, parameters)
        return [dict(record) async for record in result]

    return await database.read(work)


async def write(database: Database, query: str, **parameters: Any) -> None:
    async def work(tx: AsyncManagedTransaction) -> None:
        await (await tx.run(query, parameters)).consume()

    await database.write(work)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo(database: Database, new_tenant: Callable[[str], str]) -> str:
    tenant = new_tenant("loader")
    await seed(database, tenant)
    return tenant


async def opportunities(database: Database, tenant: str) -> list[str]:
    found = await rows(
        database,
        "MATCH (o:Opportunity) WHERE o.tenantId = $tenant RETURN o.id AS id ORDER BY id",
        tenant=tenant,
    )
    return [row["id"] for row in found]


async def test_a_plan_reads_the_same_map_however_it_was_loaded(
    database: Database, demo: str
) -> None:
    ids = await opportunities(database, demo)
    assert len(ids) >= 5
    batch = await load_opportunity_maps(database, demo, ids)
    for opportunity_id in ids:
        for_plan = await load_account_map(database, demo, opportunity_id=opportunity_id)
        whole = await load_account_map(
            database, demo, opportunity_id=opportunity_id, for_plan=False
        )
        assert for_plan.for_plan
        assert not whole.for_plan
        stored = [
            (
                i.source_id,
                i.target_id,
                i.strength,
                frozenset(i.topics),
                None if i.verified_at is None else date.fromisoformat(i.verified_at),
            )
            for i in whole.influences
        ]
        assert stored, "each demo account has influences"
        # the same influences, values and order, from the ends' internal ids as from the rows
        assert for_plan.plan_influences(tuple) == stored
        assert whole.plan_influences(tuple) == stored
        # and so the same engine subgraph (the plan-only lists are compared from `for_plan`)
        subgraph = to_engine_subgraph(for_plan)
        assert subgraph.influences == to_engine_subgraph(whole).influences
        assert subgraph == to_engine_subgraph(batch[opportunity_id])


async def test_a_map_loaded_for_a_plan_refuses_the_lists_it_left_out(
    database: Database, demo: str
) -> None:
    [opportunity_id, *_] = await opportunities(database, demo)
    account_map = await load_account_map(database, demo, opportunity_id=opportunity_id)
    assert {"influences", "reports_to"} == AccountMap.PLAN_LEAVES_OUT
    for name in AccountMap.PLAN_LEAVES_OUT:
        with pytest.raises(LookupError, match=f"no {name} records.*for_plan=False"):
            getattr(account_map, name)
    assert account_map.people
    assert account_map.seats


async def test_an_influence_that_leaves_the_account_is_never_planned_on(
    database: Database, new_tenant: Callable[[str], str]
) -> None:
    """Writes and imports refuse an influence to someone outside the account; one written
    past them (here by hand) is left out of the plan's map, whichever way it was loaded,
    whether its target works at another of the tenant's accounts or in another tenant."""
    tenant, other = new_tenant("loader-stray"), new_tenant("loader-other")
    await seed(database, tenant)
    await seed(database, other)
    [opportunity_id, *_] = await opportunities(database, tenant)
    before = await load_account_map(database, tenant, opportunity_id=opportunity_id)
    await write(
        database,
        """
        MATCH (a:Account)-[:HAS_OPPORTUNITY]->(:Opportunity {id: $opportunity})
        MATCH (s:Stakeholder)-[:WORKS_AT]->(a)
        WITH a, s ORDER BY s.id LIMIT 1
        MATCH (elsewhere:Stakeholder)-[:WORKS_AT]->(b:Account)
        WHERE elsewhere.tenantId = $tenant AND b <> a
        WITH s, elsewhere LIMIT 1
        MATCH (foreign:Stakeholder) WHERE foreign.tenantId = $other
        WITH s, elsewhere, foreign LIMIT 1
        CREATE (s)-[:INFLUENCES {strength: 1.0}]->(elsewhere)
        CREATE (s)-[:INFLUENCES {strength: 1.0}]->(foreign)
        """,
        opportunity=opportunity_id,
        tenant=tenant,
        other=other,
    )
    for for_plan in (True, False):
        after = await load_account_map(
            database, tenant, opportunity_id=opportunity_id, for_plan=for_plan
        )
        assert after.plan_influences(tuple) == before.plan_influences(tuple)
