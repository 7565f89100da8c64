"""Reads of the map, batched for DataLoaders: nodes by key, edges by endpoint, child pages.

Every read answers typed records (:mod:`graph_api.domain.kinds`). Labels and relationship
types are never caller input: queries are built once, at import time, from the declarations;
every value is a parameter and every query filters by the caller's tenant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.kinds import (
    NODE_KINDS,
    RELATIONSHIPS_BY_TYPE,
    STRUCTURAL_TYPES,
    Argument,
    Concern,
    Node,
    Relationship,
)


@dataclass(frozen=True)
class Link:
    """A relationship without properties of its own: a child's tie to its parent."""

    rel_type: str
    source_id: str
    target_id: str


Edge = Relationship | Link
ENDS: dict[str, tuple[str, str]] = {
    **STRUCTURAL_TYPES,
    **{t: (k.source, k.target) for t, k in RELATIONSHIPS_BY_TYPE.items()},
}
"""Every relationship type: (source label, target label)."""


def _nodes_by(label: str, key: str) -> str:
    assert label in NODE_KINDS
    assert key in ("id", "externalId")
    return (
        f"MATCH (n:{label}) WHERE n.{key} IN $keys AND n.tenantId = $tenantId "
        "RETURN properties(n) AS n"
    )


def _edges(rel_type: str, outgoing: bool) -> str:
    source, target = ENDS[rel_type]
    anchor = "a" if outgoing else "b"
    return (
        f"MATCH (a:{source})-[r:{rel_type}]->(b:{target}) "
        f"WHERE {anchor}.id IN $ids AND a.tenantId = $tenantId AND b.tenantId = $tenantId "
        "RETURN a.id AS source, b.id AS target, properties(r) AS props "
        "ORDER BY source, target"
    )


NODES_BY_ID = {label: _nodes_by(label, "id") for label in NODE_KINDS}
NODES_BY_EXTERNAL_ID = {label: _nodes_by(label, "externalId") for label in NODE_KINDS}
EDGES_OUT = {t: _edges(t, outgoing=True) for t in ENDS}
EDGES_IN = {t: _edges(t, outgoing=False) for t in ENDS}


def accounts_where(n: str, prefix: str = "") -> str:
    """Which of the tenant's accounts ``n`` an AccountFilter keeps; its parameters are
    ``$<prefix>nameContains``, ``…industry``, ``…region`` and ``…isReference``."""
    p = f"${prefix}"
    return (
        f"{n}.tenantId = $tenantId"
        f" AND ({p}nameContains IS NULL OR toLower({n}.name) CONTAINS toLower({p}nameContains))"
        f" AND ({p}industry IS NULL OR {n}.industry = {p}industry)"
        f" AND ({p}region IS NULL OR {n}.region = {p}region)"
        f" AND ({p}isReference IS NULL OR coalesce({n}.isReference, false) = {p}isReference)"
    )


def by_name(n: str) -> str:
    """The order of lists of nodes: by name (an argument's title), then id."""
    return f"coalesce({n}.name, {n}.title), {n}.id"


def accounts_order(n: str) -> str:
    """The order of the accounts list."""
    return f"{n}.name, {n}.id"


LIST_ACCOUNTS = f"""
MATCH (n:Account)
WHERE {accounts_where("n")}
WITH n ORDER BY {accounts_order("n")}
WITH collect(n) AS items
RETURN size(items) AS total, [n IN items[$offset..$offset + $limit] | properties(n)] AS page
"""

LIST_PLAYBOOK = f"""
MATCH (n) WHERE (n:Concern OR n:Argument) AND n.tenantId = $tenantId
RETURN labels(n)[0] AS label, properties(n) AS n
ORDER BY label, {by_name("n")}
"""


def _child_page(parent: str, rel: str, child: str, child_points_to_parent: bool) -> str:
    pattern = (
        f"(c:{child})-[:{rel}]->(p:{parent})"
        if child_points_to_parent
        else f"(p:{parent})-[:{rel}]->(c:{child})"
    )
    return (
        f"UNWIND $ids AS pid "
        f"MATCH (p:{parent} {{id: pid}}) WHERE p.tenantId = $tenantId "
        f"OPTIONAL MATCH {pattern} WHERE c.tenantId = $tenantId "
        f"WITH pid, c ORDER BY {by_name('c')} "
        f"WITH pid, [x IN collect(c) WHERE x IS NOT NULL] AS items "
        f"RETURN pid, size(items) AS total, "
        f"[x IN items[$offset..$offset + $limit] | properties(x)] AS page"
    )


CHILD_PAGES = {
    (kind.parent.label, label): _child_page(
        kind.parent.label, kind.parent.rel_type, label, kind.parent.child_points_to_parent
    )
    for label, kind in NODE_KINDS.items()
    if kind.parent is not None
}


@dataclass(frozen=True)
class Page:
    """A slice of an ordered list, with the total to tell whether more follow."""

    nodes: list[Node]
    total: int
    offset: int


def node_of(label: str, props: dict[str, Any]) -> Node:
    """The typed record of a stored node of ``label``."""
    return NODE_KINDS[label].record.from_stored(props)  # type: ignore[return-value]


def edge_of(rel_type: str, source: str, target: str, props: dict[str, Any]) -> Edge:
    kind = RELATIONSHIPS_BY_TYPE.get(rel_type)
    if kind is None:
        return Link(rel_type, source, target)
    return kind.record.from_stored(props, source_id=source, target_id=target)  # type: ignore[return-value]


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
        found = [node_of(label, record["n"]) async for record in result]
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
            edge = edge_of(rel_type, r["source"], r["target"], r["props"])
            grouped[edge.source_id if outgoing else edge.target_id].append(edge)
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
            r["pid"]: Page([node_of(child, p) for p in r["page"]], r["total"], offset)
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
        return Page([node_of("Account", p) for p in record["page"]], record["total"], offset)

    return await database.read(work)


async def playbook(database: Database, tenant_id: str) -> tuple[list[Concern], list[Argument]]:
    """The tenant's concerns and arguments, each sorted by name."""

    async def work(tx: AsyncManagedTransaction) -> tuple[list[Concern], list[Argument]]:
        result = await tx.run(LIST_PLAYBOOK, tenantId=tenant_id)
        concerns: list[Concern] = []
        arguments: list[Argument] = []
        async for r in result:
            if r["label"] == "Concern":
                concerns.append(Concern.from_stored(r["n"]))
            else:
                arguments.append(Argument.from_stored(r["n"]))
        return concerns, arguments

    return await database.read(work)


LIST_OPPORTUNITIES = """
MATCH (a:Account)-[:HAS_OPPORTUNITY]->(n:Opportunity)
WHERE n.tenantId = $tenantId AND a.tenantId = $tenantId
  AND ($stage IS NULL OR n.stage = $stage)
  AND ($closeBefore IS NULL OR n.closeDate < $closeBefore)
  AND ($closeAfter IS NULL OR n.closeDate > $closeAfter)
  AND ($accountIds IS NULL OR a.id IN $accountIds)
  AND ($outcome IS NULL OR n.outcome = $outcome)
  AND ($open IS NULL OR (n.outcome IS NULL) = $open)
WITH n ORDER BY n.closeDate IS NULL, n.closeDate, n.name, n.id
WITH collect(n) AS items
RETURN size(items) AS total, [n IN items[$offset..$offset + $limit] | properties(n)] AS page
"""


@dataclass(frozen=True)
class OpportunityFilter:
    """Narrows the pipeline; dates are ISO text, compared as such (they sort as dates)."""

    stage: str | None = None
    close_before: str | None = None
    close_after: str | None = None
    account_ids: list[str] | None = None
    outcome: str | None = None
    open: bool | None = None


async def list_opportunities(
    database: Database,
    tenant_id: str,
    opportunity_filter: OpportunityFilter,
    offset: int,
    limit: int,
) -> Page:
    """The tenant's opportunities, soonest close date first (undated last), then by name."""
    f = opportunity_filter

    async def work(tx: AsyncManagedTransaction) -> Page:
        result = await tx.run(
            LIST_OPPORTUNITIES,
            tenantId=tenant_id,
            offset=offset,
            limit=limit,
            stage=f.stage,
            closeBefore=f.close_before,
            closeAfter=f.close_after,
            accountIds=f.account_ids,
            outcome=f.outcome,
            open=f.open,
        )
        record = await result.single()
        if record is None:
            return Page([], 0, offset)
        return Page([node_of("Opportunity", p) for p in record["page"]], record["total"], offset)

    return await database.read(work)
