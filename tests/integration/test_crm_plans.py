"""The CRM merge's statements keep their plans when the store is empty (a first import).

Planned against an empty store, a statement that matched a node by element id AND by
``tenantId`` sought the tenant index instead and filtered every uncommitted node, row after
row: a 50,000-contact import never finished. Every statement must be driven by the
(tenantId, externalId) unique index or by element-id seeks, never by a scan or the tenant
index.
"""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.repositories import crm

pytestmark = pytest.mark.neo4j

STATEMENTS = {
    **{f"resolve {k}": v for k, v in crm.RESOLVE.items()},
    **{f"create {k}": v for k, v in crm.CREATE.items()},
    **{f"update {k}": v for k, v in crm.UPDATE.items()},
    "drop managers": crm.DROP_MANAGERS,
    "create managers": crm.CREATE_MANAGERS,
    "load seats": crm.LOAD_SEATS,
    "create seats": crm.CREATE_SEATS,
    "update seats": crm.UPDATE_SEATS,
}
SCANS = (
    "NodeIndexSeek",
    "NodeIndexScan",
    "NodeByLabelScan",
    "AllNodesScan",
    "UndirectedRelationshipTypeScan",
    "DirectedRelationshipTypeScan",
)


def _operators(plan: dict[str, Any]) -> list[str]:
    found = [str(plan["operatorType"]).split("@")[0]]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


async def _plan(database: Database, query: str) -> list[str]:
    async def work(tx: AsyncManagedTransaction) -> list[str]:
        result = await tx.run(
            f"CYPHER replan=force EXPLAIN {query}",
            rows=[],
            keys=[],
            tenantId="t",
            now="n",
            actor="a",
        )
        summary = await result.consume()
        assert summary.plan is not None
        return _operators(summary.plan)

    return await database.read(work)


@pytest.mark.parametrize("name", sorted(STATEMENTS))
async def test_no_statement_scans_on_an_empty_store(database: Database, name: str) -> None:
    operators = await _plan(database, STATEMENTS[name])
    assert not [op for op in operators if op in SCANS], (name, operators)
    seeks = (
        {"NodeUniqueIndexSeek"}
        if name.startswith("resolve")
        else {"NodeByElementIdSeek", "DirectedRelationshipByElementIdSeek"}
    )
    if not name.startswith("create Account"):
        assert seeks & set(operators), (name, operators)
