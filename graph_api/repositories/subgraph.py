"""The one Cypher loader of an account's map: everything the coaching plan and the explorer
need, in a single round trip, as typed records.

It returns the account's stakeholders and the relationships among them, and, when an
opportunity is named, its committee, alternatives and advocacy, the stakeholders' concerns,
the tenant playbook (with the industries of cited reference accounts), coaching and what was
heard, and the tenant's coaching settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.kinds import (
    Account,
    Advocacy,
    Alternative,
    Argument,
    ArgumentFit,
    Coaching,
    Concern,
    Conflict,
    Hearing,
    Influence,
    Node,
    Opportunity,
    Relationship,
    ReportingLine,
    Seat,
    Stakeholder,
    StakeholderConcern,
)
from graph_api.errors import NotFound

_MAP = """
properties(a) AS account,
  CASE WHEN o IS NULL THEN null ELSE properties(o) END AS opportunity,
  COLLECT {
    MATCH (ts:TenantSettings {tenantId: $tenantId})
    RETURN properties(ts)
  } AS tenantSettings,
  COLLECT { MATCH (s:Stakeholder)-[:WORKS_AT]->(a) RETURN properties(s) } AS people,
  COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:REPORTS_TO]->(t:Stakeholder)
    WHERE t.tenantId = $tenantId
    RETURN {source: s.id, target: t.id, props: properties(r)}
  } AS reportsTo,
  COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:INFLUENCES]->(t:Stakeholder)
    WHERE t.tenantId = $tenantId
    RETURN {source: s.id, target: t.id, props: properties(r)}
  } AS influences,
  COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:CONFLICTS_WITH]->(t:Stakeholder)
    WHERE t.tenantId = $tenantId
    RETURN {source: s.id, target: t.id, props: properties(r)}
  } AS conflicts,
  COLLECT {
    MATCH (s:Stakeholder)-[r:SITS_ON]->(o) WHERE s.tenantId = $tenantId
    RETURN {source: s.id, target: o.id, props: properties(r)}
  } AS seats,
  COLLECT { MATCH (o)-[:CONSIDERS]->(x:Alternative) RETURN properties(x) } AS alternatives,
  COLLECT {
    MATCH (o)-[:CONSIDERS]->(x:Alternative)<-[r:ADVOCATES_FOR]-(s:Stakeholder)
    WHERE s.tenantId = $tenantId
    RETURN {source: s.id, target: x.id, props: properties(r)}
  } AS advocacy,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:CARES_ABOUT]->(c:Concern)
    WHERE c.tenantId = $tenantId
    RETURN {source: s.id, target: c.id, props: properties(r)}
  } END AS caresAbout,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (c:Concern) WHERE c.tenantId = $tenantId RETURN properties(c)
  } END AS concerns,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (g:Argument) WHERE g.tenantId = $tenantId
    RETURN {node: properties(g),
      addresses: COLLECT {
        MATCH (g)-[f:ADDRESSES]->(c:Concern) WHERE c.tenantId = $tenantId
        RETURN {source: g.id, target: c.id, props: properties(f)}
      },
      citedIndustries: COLLECT {
        MATCH (g)-[:CITES]->(ref:Account)
        WHERE ref.tenantId = $tenantId AND ref.isReference = true AND ref.industry IS NOT NULL
        RETURN DISTINCT ref.industry
      }}
  } END AS arguments,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:COACHED_ON]->(g:Argument)
    WHERE g.tenantId = $tenantId
    RETURN {source: s.id, target: g.id, props: properties(r)}
  } END AS coachedOn,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:HEARD]->(g:Argument)
    WHERE g.tenantId = $tenantId
    RETURN {source: s.id, target: g.id, props: properties(r)}
  } END AS heard
"""
"""What the map of account ``a`` (and opportunity ``o``, possibly null) holds, as columns."""

LOAD_ACCOUNT_MAP = (
    """
CALL {
  MATCH (a:Account {id: $accountId}) WHERE a.tenantId = $tenantId RETURN a
  UNION
  MATCH (a:Account)-[:HAS_OPPORTUNITY]->(:Opportunity {id: $opportunityId})
  WHERE a.tenantId = $tenantId RETURN a
  UNION
  MATCH (a:Account)<-[:WORKS_AT]-(:Stakeholder {id: $stakeholderId})
  WHERE a.tenantId = $tenantId RETURN a
}
WITH a LIMIT 1
OPTIONAL MATCH (a)-[:HAS_OPPORTUNITY]->(o:Opportunity {id: $opportunityId})
WHERE o.tenantId = $tenantId
RETURN """
    + _MAP
)
LOAD_OPPORTUNITY_MAPS = (
    """
UNWIND $opportunityIds AS opportunityId
MATCH (a:Account)-[:HAS_OPPORTUNITY]->(o:Opportunity {id: opportunityId})
WHERE a.tenantId = $tenantId AND o.tenantId = $tenantId
RETURN opportunityId, """
    + _MAP
)


E = TypeVar("E", bound=Relationship)
N = TypeVar("N", bound=Node)


@dataclass(frozen=True)
class PlaybookArgument:
    """An argument with the concerns it addresses and the industries of the reference
    accounts it cites."""

    argument: Argument
    addresses: list[ArgumentFit]
    cited_industries: frozenset[str]


@dataclass(frozen=True)
class AccountMap:
    """An account's map as loaded, every node and relationship a typed record."""

    account: Account
    opportunity: Opportunity | None
    people: list[Stakeholder]
    reports_to: list[ReportingLine]
    influences: list[Influence]
    conflicts: list[Conflict]
    seats: list[Seat]
    alternatives: list[Alternative]
    advocacy: list[Advocacy]
    cares_about: list[StakeholderConcern]
    concerns: list[Concern]
    arguments: list[PlaybookArgument]
    coached_on: list[Coaching]
    heard: list[Hearing]
    tenant_settings: dict[str, Any] = field(default_factory=dict)


def _edges(record: type[E], rows: list[dict[str, Any]]) -> list[E]:
    made = [
        record.from_stored(r["props"], source_id=r["source"], target_id=r["target"]) for r in rows
    ]
    return sorted(made, key=_by_ends)


def _nodes(record: type[N], rows: list[dict[str, Any]]) -> list[N]:
    return sorted((record.from_stored(p) for p in rows), key=_by_id)


def _by_ends(edge: Relationship) -> tuple[str, str]:
    return edge.source_id, edge.target_id


def _by_id(node: Node) -> str:
    return node.id


async def load_account_map(
    database: Database,
    tenant_id: str,
    *,
    account_id: str | None = None,
    opportunity_id: str | None = None,
    stakeholder_id: str | None = None,
) -> AccountMap:
    """The map of an account (by id, or the account of an opportunity or a stakeholder).

    Raises NotFound when the account or the opportunity is not the tenant's, or when an
    opportunity is named that the account does not have.
    """

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any] | None:
        result = await tx.run(
            LOAD_ACCOUNT_MAP,
            tenantId=tenant_id,
            accountId=account_id,
            opportunityId=opportunity_id,
            stakeholderId=stakeholder_id,
        )
        record = await result.single()
        return None if record is None else dict(record)

    row = await database.read(work)
    if row is None:
        if account_id is not None:
            raise NotFound("Account", account_id)
        if opportunity_id is not None:
            raise NotFound("Opportunity", opportunity_id)
        raise NotFound("Stakeholder", stakeholder_id or "")
    if opportunity_id is not None and row["opportunity"] is None:
        raise NotFound("Opportunity", opportunity_id)
    return _account_map(row)


def _account_map(row: dict[str, Any]) -> AccountMap:
    return AccountMap(
        account=Account.from_stored(row["account"]),
        opportunity=None
        if row["opportunity"] is None
        else Opportunity.from_stored(row["opportunity"]),
        people=_nodes(Stakeholder, row["people"]),
        reports_to=_edges(ReportingLine, row["reportsTo"]),
        influences=_edges(Influence, row["influences"]),
        conflicts=_edges(Conflict, row["conflicts"]),
        seats=_edges(Seat, row["seats"]),
        alternatives=_nodes(Alternative, row["alternatives"]),
        advocacy=_edges(Advocacy, row["advocacy"]),
        cares_about=_edges(StakeholderConcern, row["caresAbout"]),
        concerns=_nodes(Concern, row["concerns"]),
        arguments=sorted(
            (
                PlaybookArgument(
                    Argument.from_stored(g["node"]),
                    _edges(ArgumentFit, g["addresses"]),
                    frozenset(g["citedIndustries"]),
                )
                for g in row["arguments"]
            ),
            key=lambda g: g.argument.id,
        ),
        coached_on=_edges(Coaching, row["coachedOn"]),
        heard=_edges(Hearing, row["heard"]),
        tenant_settings=row["tenantSettings"][0] if row["tenantSettings"] else {},
    )


async def load_opportunity_maps(
    database: Database, tenant_id: str, opportunity_ids: list[str]
) -> dict[str, AccountMap]:
    """The maps of several opportunities of the tenant, by opportunity id, in one round trip
    (an id the tenant does not have is left out)."""

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        result = await tx.run(
            LOAD_OPPORTUNITY_MAPS, tenantId=tenant_id, opportunityIds=opportunity_ids
        )
        return [dict(record) async for record in result]

    rows = await database.read(work)
    return {row["opportunityId"]: _account_map(row) for row in rows}
