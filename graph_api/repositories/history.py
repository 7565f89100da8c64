"""Reads of the audit trail: one entity's history and an account's change feed."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database

_PAGE = """
WITH c ORDER BY c.at DESC, c.id DESC
WITH collect(c) AS items
RETURN size(items) AS total, [c IN items[$offset..$offset + $limit] | properties(c)] AS rows
"""
ENTITY_HISTORY = "MATCH (c:Change) WHERE c.tenantId = $tenantId AND c.entityId = $entityId" + _PAGE
ACCOUNT_FEED = "MATCH (c:Change) WHERE c.tenantId = $tenantId AND c.accountId = $accountId" + _PAGE


@dataclass(frozen=True)
class ChangeRow:
    id: str
    at: str
    actor: str
    action: str
    entity_kind: str
    entity_id: str
    field: str | None
    old_value: str | None
    new_value: str | None
    evidence: str | None
    reason: str | None


@dataclass(frozen=True)
class ChangePage:
    rows: list[ChangeRow]
    total: int


async def _page(database: Database, query: str, **params: object) -> ChangePage:
    async def work(tx: AsyncManagedTransaction) -> ChangePage:
        result = await tx.run(query, params)
        record = await result.single()
        if record is None:
            return ChangePage([], 0)
        rows = [
            ChangeRow(
                r["id"],
                r["at"],
                r["actor"],
                r["action"],
                r["entityKind"],
                r["entityId"],
                r.get("field"),
                r.get("oldValue"),
                r.get("newValue"),
                r.get("evidence"),
                r.get("reason"),
            )
            for r in record["rows"]
        ]
        return ChangePage(rows, record["total"])

    return await database.read(work)


async def entity_history(
    database: Database, tenant_id: str, entity_id: str, offset: int, limit: int
) -> ChangePage:
    return await _page(
        database,
        ENTITY_HISTORY,
        tenantId=tenant_id,
        entityId=entity_id,
        offset=offset,
        limit=limit,
    )


async def account_feed(
    database: Database, tenant_id: str, account_id: str, offset: int, limit: int
) -> ChangePage:
    return await _page(
        database,
        ACCOUNT_FEED,
        tenantId=tenant_id,
        accountId=account_id,
        offset=offset,
        limit=limit,
    )
