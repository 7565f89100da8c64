"""Reads of the map, batched for DataLoaders: nodes by key, edges by endpoint, child pages.

Labels and relationship types are never caller input: queries are built once, at import
time, from the fixed tables in ``graph_api.domain.models`` and below; every value is a
parameter. Every query filters by the caller's tenant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.models import NODE_KINDS, Edge, Node


@dataclass(frozen=True)
class RelKind:
    """A relationship type and the labels it joins (source)-[type]->(target)."""

    type: str
    source: str
    target: str
    properties: tuple[str, ...]


REL_KINDS: dict[str, RelKind] = {
    r.type: r
    for r in (
        RelKind("WORKS_AT", "Stakeholder", "Account", ()),
        RelKind("HAS_OPPORTUNITY", "Account", "Opportunity", ()),
        RelKind("REPORTS_TO", "Stakeholder", "Stakeholder", ()),
        RelKind("INFLUENCES", "Stakeholder", "Stakeholder", ("strength", "topics", "evidence")),
        RelKind("CONFLICTS_WITH", "Stakeholder", "Stakeholder", ("strength", "evidence")),
        RelKind(
            "SITS_ON",
            "Stakeholder",
            "Opportunity",
            ("role", "stance", "veto", "voteWeight", "stanceEvidence", "stanceUpdatedAt"),
        ),
        RelKind("CONSIDERS", "Opportunity", "Alternative", ()),
        RelKind("ADVOCATES_FOR", "Stakeholder", "Alternative", ("strength", "evidence")),
        RelKind("CARES_ABOUT", "Stakeholder", "Concern", ("weight",)),
        RelKind("ADDRESSES", "Argument", "Concern", ("fit",)),
        RelKind("CITES", "Argument", "Account", ()),
        RelKind("COACHED_ON", "Stakeholder", "Argument", ("readiness", "at")),
        RelKind("HEARD", "Stakeholder", "Argument", ("reception", "at")),
    )
}


def _nodes_by(label: str, key: str) -> str:
    assert label in NODE_KINDS
    assert key in ("id", "externalId")
    return (
        f"MATCH (n:{label}) WHERE n.{key} IN $keys AND n.tenantId = $tenantId "
        "RETURN properties(n) AS n"
    )


def _edges(rel: RelKind, outgoing: bool) -> str:
    anchor = "a" if outgoing else "b"
    return (
        f"MATCH (a:{rel.source})-[r:{rel.type}]->(b:{rel.target}) "
        f"WHERE {anchor}.id IN $ids AND a.tenantId = $tenantId AND b.tenantId = $tenantId "
        "RETURN a.id AS source, b.id AS target, properties(r) AS props "
        "ORDER BY source, target"
    )


NODES_BY_ID = {label: _nodes_by(label, "id") for label in NODE_KINDS}
NODES_BY_EXTERNAL_ID = {label: _nodes_by(label, "externalId") for label in NODE_KINDS}
EDGES_OUT = {t: _edges(r, outgoing=True) for t, r in REL_KINDS.items()}
EDGES_IN = {t: _edges(r, outgoing=False) for t, r in REL_KINDS.items()}

LIST_ACCOUNTS = """
MATCH (n:Account)
WHERE n.tenantId = $tenantId
  AND ($nameContains IS NULL OR toLower(n.name) CONTAINS toLower($nameContains))
  AND ($industry IS NULL OR n.industry = $industry)
  AND ($region IS NULL OR n.region = $region)
  AND ($isReference IS NULL OR coalesce(n.isReference, false) = $isReference)
WITH n ORDER BY n.name, n.id
WITH collect(n) AS items
RETURN size(items) AS total, [n IN items[$offset..$offset + $limit] | properties(n)] AS page
"""

LIST_PLAYBOOK = """
MATCH (n) WHERE (n:Concern OR n:Argument) AND n.tenantId = $tenantId
RETURN labels(n)[0] AS label, properties(n) AS n
ORDER BY label, coalesce(n.name, n.title), n.id
"""


def _child_page(parent: str, rel: str, child: str, child_points_to_parent: bool) -> str:
    pattern = (
        f"(c:{child})-[:{rel}]->(p:{parent})"
        if child_points_to_parent
        else f"(p:{parent})-[:{rel}]->(c:{child})"
    )
    sort = "coalesce(c.name, c.title)"
    return (
        f"UNWIND $ids AS pid "
        f"MATCH (p:{parent} {{id: pid}}) WHERE p.tenantId = $tenantId "
        f"OPTIONAL MATCH {pattern} WHERE c.tenantId = $tenantId "
        f"WITH pid, c ORDER BY {sort}, c.id "
        f"WITH pid, [x IN collect(c) WHERE x IS NOT NULL] AS items "
        f"RETURN pid, size(items) AS total, "
        f"[x IN items[$offset..$offset + $limit] | properties(x)] AS page"
    )


CHILD_PAGES = {
    ("Account", "Stakeholder"): _child_page("Account", "WORKS_AT", "Stakeholder", True),
    ("Account", "Opportunity"): _child_page("Account", "HAS_OPPORTUNITY", "Opportunity", False),
}


@dataclass(frozen=True)
class Page:
    """A slice of an ordered list, with the total to tell whether more follow."""

    nodes: list[Node]
    total: int
    offset: int


def _node(label: str, props: dict[str, Any]) -> Node:
    return Node.from_record(label, props)


async def nodes_by_keys(
    database: Database,
    tenant_id: str,
    label: str,
    keys: Iterable[str],
    key: str = "id",
) -> dict[str, Node]:
    """Nodes of ``label`` in the tenant whose ``key`` (id or externalId) is in ``keys``."""
    query = (NODES_BY_ID if key == "id" else NODES_BY_EXTERNAL_ID)[label]
    wanted = list(dict.fromkeys(keys))

    async def work(tx: AsyncManagedTransaction) -> dict[str, Node]:
        result = await tx.run(query, keys=wanted, tenantId=tenant_id)
        found = [_node(label, record["n"]) async for record in result]
        return {(n.id if key == "id" else n.external_id or ""): n for n in found}

    return await database.read(work)


async def edges_of(
    database: Database,
    tenant_id: str,
    rel_type: str,
    ids: Iterable[str],
    outgoing: bool,
) -> dict[str, list[Edge]]:
    """Edges of one type leaving (``outgoing``) or entering each of ``ids``, by that id."""
    query = (EDGES_OUT if outgoing else EDGES_IN)[rel_type]
    wanted = list(dict.fromkeys(ids))

    async def work(tx: AsyncManagedTransaction) -> dict[str, list[Edge]]:
        result = await tx.run(query, ids=wanted, tenantId=tenant_id)
        grouped: dict[str, list[Edge]] = defaultdict(list)
        async for r in result:
            edge = Edge(rel_type, r["source"], r["target"], dict(r["props"]))
            grouped[edge.source if outgoing else edge.target].append(edge)
        return grouped

    return await database.read(work)


async def child_pages(
    database: Database,
    tenant_id: str,
    parent: str,
    child: str,
    parent_ids: Iterable[str],
    offset: int,
    limit: int,
) -> dict[str, Page]:
    query = CHILD_PAGES[(parent, child)]
    wanted = list(dict.fromkeys(parent_ids))

    async def work(tx: AsyncManagedTransaction) -> dict[str, Page]:
        result = await tx.run(query, ids=wanted, tenantId=tenant_id, offset=offset, limit=limit)
        return {
            r["pid"]: Page([_node(child, p) for p in r["page"]], r["total"], offset)
            async for r in result
        }

    return await database.read(work)


@dataclass(frozen=True)
class AccountFilter:
    name_contains: str | None = None
    industry: str | None = None
    region: str | None = None
    is_reference: bool | None = None


async def list_accounts(
    database: Database,
    tenant_id: str,
    account_filter: AccountFilter,
    offset: int,
    limit: int,
) -> Page:
    async def work(tx: AsyncManagedTransaction) -> Page:
        result = await tx.run(
            LIST_ACCOUNTS,
            tenantId=tenant_id,
            offset=offset,
            limit=limit,
            nameContains=account_filter.name_contains,
            industry=account_filter.industry,
            region=account_filter.region,
            isReference=account_filter.is_reference,
        )
        record = await result.single()
        if record is None:
            return Page([], 0, offset)
        return Page([_node("Account", p) for p in record["page"]], record["total"], offset)

    return await database.read(work)


async def playbook(database: Database, tenant_id: str) -> tuple[list[Node], list[Node]]:
    """The tenant's concerns and arguments, each sorted by name."""

    async def work(tx: AsyncManagedTransaction) -> tuple[list[Node], list[Node]]:
        result = await tx.run(LIST_PLAYBOOK, tenantId=tenant_id)
        concerns: list[Node] = []
        arguments: list[Node] = []
        async for r in result:
            (concerns if r["label"] == "Concern" else arguments).append(_node(r["label"], r["n"]))
        return concerns, arguments

    return await database.read(work)
