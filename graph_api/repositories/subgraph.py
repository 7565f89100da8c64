"""The one Cypher loader of an account's map: everything the coaching plan and the explorer
need, in a single round trip.

It returns the account's stakeholders and the edges among them, and, when an opportunity is
named, its committee, alternatives and advocacy, the stakeholders' concerns, the tenant
playbook (with the industries of cited reference accounts), coaching and what was heard.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api import engine
from graph_api.db.driver import Database
from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    CommitteeRole,
    ConcernCategory,
    DecisionRule,
    Reception,
    Stance,
)
from graph_api.domain.models import Node
from graph_api.errors import NotFound

LOAD_ACCOUNT_MAP = """
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
RETURN properties(a) AS account,
  CASE WHEN o IS NULL THEN null ELSE properties(o) END AS opportunity,
  COLLECT {
    MATCH (ts:TenantSettings {tenantId: $tenantId})
    RETURN ts {.maxHops, .capacityPerChampion, .topPlaysPerApprover}
  } AS tenantSettings,
  COLLECT { MATCH (s:Stakeholder)-[:WORKS_AT]->(a) RETURN properties(s) } AS people,
  COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:REPORTS_TO]->(t:Stakeholder)
    WHERE t.tenantId = $tenantId
    RETURN {source: s.id, target: t.id}
  } AS reportsTo,
  COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:INFLUENCES]->(t:Stakeholder)
    WHERE t.tenantId = $tenantId
    RETURN {source: s.id, target: t.id, strength: r.strength, topics: r.topics,
            evidence: r.evidence}
  } AS influences,
  COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:CONFLICTS_WITH]->(t:Stakeholder)
    WHERE t.tenantId = $tenantId
    RETURN {source: s.id, target: t.id, strength: r.strength, evidence: r.evidence}
  } AS conflicts,
  COLLECT {
    MATCH (s:Stakeholder)-[r:SITS_ON]->(o) WHERE s.tenantId = $tenantId
    RETURN {stakeholder: s.id, role: r.role, stance: r.stance, veto: r.veto,
            voteWeight: r.voteWeight, stanceEvidence: r.stanceEvidence}
  } AS seats,
  COLLECT { MATCH (o)-[:CONSIDERS]->(x:Alternative) RETURN properties(x) } AS alternatives,
  COLLECT {
    MATCH (o)-[:CONSIDERS]->(x:Alternative)<-[r:ADVOCATES_FOR]-(s:Stakeholder)
    WHERE s.tenantId = $tenantId
    RETURN {stakeholder: s.id, alternative: x.id, strength: r.strength, evidence: r.evidence}
  } AS advocacy,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:CARES_ABOUT]->(c:Concern)
    WHERE c.tenantId = $tenantId
    RETURN {stakeholder: s.id, concern: c.id, weight: r.weight}
  } END AS caresAbout,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (c:Concern) WHERE c.tenantId = $tenantId RETURN properties(c)
  } END AS concerns,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (g:Argument) WHERE g.tenantId = $tenantId
    RETURN {node: properties(g),
      addresses: COLLECT {
        MATCH (g)-[f:ADDRESSES]->(c:Concern) WHERE c.tenantId = $tenantId
        RETURN {concern: c.id, fit: f.fit}
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
    RETURN {stakeholder: s.id, argument: g.id, readiness: r.readiness}
  } END AS coachedOn,
  CASE WHEN o IS NULL THEN [] ELSE COLLECT {
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:HEARD]->(g:Argument)
    WHERE g.tenantId = $tenantId
    RETURN {stakeholder: s.id, argument: g.id, reception: r.reception}
  } END AS heard
"""


@dataclass(frozen=True)
class AccountMap:
    """An account's map as loaded: nodes as records, edges and playbook rows as plain maps."""

    account: Node
    opportunity: Node | None
    people: list[Node]
    reports_to: list[dict[str, Any]]
    influences: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    seats: list[dict[str, Any]]
    alternatives: list[Node]
    advocacy: list[dict[str, Any]]
    cares_about: list[dict[str, Any]]
    concerns: list[Node]
    arguments: list[dict[str, Any]]
    coached_on: list[dict[str, Any]]
    heard: list[dict[str, Any]]
    tenant_settings: dict[str, Any]


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
    return AccountMap(
        account=Node.from_record("Account", row["account"]),
        opportunity=(
            None
            if row["opportunity"] is None
            else Node.from_record("Opportunity", row["opportunity"])
        ),
        people=sorted(
            (Node.from_record("Stakeholder", p) for p in row["people"]), key=lambda n: n.id
        ),
        reports_to=row["reportsTo"],
        influences=row["influences"],
        conflicts=row["conflicts"],
        seats=row["seats"],
        alternatives=sorted(
            (Node.from_record("Alternative", x) for x in row["alternatives"]),
            key=lambda n: n.id,
        ),
        advocacy=row["advocacy"],
        cares_about=row["caresAbout"],
        concerns=[Node.from_record("Concern", c) for c in row["concerns"]],
        arguments=sorted(row["arguments"], key=lambda g: str(g["node"]["id"])),
        coached_on=row["coachedOn"],
        heard=row["heard"],
        tenant_settings=row["tenantSettings"][0] if row["tenantSettings"] else {},
    )


def coaching_options(
    account_map: AccountMap,
    max_hops: int | None = None,
    capacity_per_champion: int | None = None,
    top_plays_per_approver: int | None = None,
) -> engine.Options:
    """Options given by the caller, else the tenant's defaults, else the model's; validated."""
    defaults = engine.Options()
    chosen = account_map.tenant_settings

    def pick(given: int | None, stored: str, default: int) -> int:
        if given is not None:
            return given
        value = chosen.get(stored)
        return default if value is None else int(value)

    options = engine.Options(
        max_hops=pick(max_hops, "maxHops", defaults.max_hops),
        capacity_per_champion=pick(
            capacity_per_champion, "capacityPerChampion", defaults.capacity_per_champion
        ),
        top_plays_per_approver=pick(
            top_plays_per_approver, "topPlaysPerApprover", defaults.top_plays_per_approver
        ),
    )
    options.validate()
    return options


def to_engine_subgraph(account_map: AccountMap) -> engine.Subgraph:
    """The engine's view of a loaded map (plain values, ids as keys)."""
    opportunity = account_map.opportunity
    rule = opportunity.get("decisionRule") if opportunity is not None else None
    return engine.Subgraph(
        # without an opportunity only reach and paths are asked for, which ignore the rule
        opportunity_id=opportunity.id if opportunity is not None else "",
        opportunity_name=str(opportunity.get("name")) if opportunity is not None else "",
        decision_rule=DecisionRule(rule or DecisionRule.UNANIMOUS.value),
        threshold=opportunity.get("threshold") if opportunity is not None else None,
        account_industry=account_map.account.get("industry"),
        people={
            p.id: engine.Person(p.id, str(p.get("name")), p.get("title"))
            for p in account_map.people
        },
        seats={
            s["stakeholder"]: engine.Seat(
                s["stakeholder"],
                CommitteeRole(s["role"]),
                Stance(s["stance"] or Stance.UNKNOWN.value),
                bool(s["veto"]),
                float(s["voteWeight"]) if s["voteWeight"] is not None else 1.0,
            )
            for s in account_map.seats
        },
        influences=tuple(
            engine.Influence(i["source"], i["target"], float(i["strength"]), _topics(i["topics"]))
            for i in sorted(account_map.influences, key=_ends)
        ),
        conflicts=tuple(
            engine.Conflict(c["source"], c["target"], float(c["strength"]))
            for c in sorted(account_map.conflicts, key=_ends)
        ),
        advocacy=tuple(
            engine.Advocacy(a["stakeholder"], a["alternative"], float(a["strength"]))
            for a in sorted(
                account_map.advocacy, key=lambda e: (e["stakeholder"], e["alternative"])
            )
        ),
        alternatives={
            x.id: engine.Alternative(x.id, str(x.get("name")), AlternativeKind(x.get("kind")))
            for x in account_map.alternatives
        },
        concerns={
            c.id: engine.Concern(c.id, str(c.get("name")), ConcernCategory(c.get("category")))
            for c in account_map.concerns
        },
        arguments={
            g["node"]["id"]: engine.Argument(
                g["node"]["id"],
                g["node"]["title"],
                ArgumentKind(g["node"]["kind"]),
                g["node"].get("talkTrack") or "",
                {a["concern"]: float(a["fit"]) for a in g["addresses"]},
                frozenset(g["citedIndustries"]),
            )
            for g in account_map.arguments
        },
        cares_about=_nested(account_map.cares_about),
        readiness={
            (c["stakeholder"], c["argument"]): float(c["readiness"]) for c in account_map.coached_on
        },
        heard={
            (h["stakeholder"], h["argument"]): Reception(h["reception"]) for h in account_map.heard
        },
    )


def _ends(edge: dict[str, Any]) -> tuple[str, str]:
    return edge["source"], edge["target"]


@functools.cache
def _topic_set(topics: tuple[str, ...]) -> frozenset[ConcernCategory]:
    return frozenset(ConcernCategory(t) for t in topics)


def _topics(topics: list[str] | None) -> frozenset[ConcernCategory]:
    """An edge's topics; a few distinct sets recur across thousands of edges, so they are cached."""
    return _topic_set(tuple(topics)) if topics else frozenset()


def _nested(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    weights: dict[str, dict[str, float]] = {}
    for row in rows:
        weights.setdefault(row["stakeholder"], {})[row["concern"]] = float(row["weight"])
    return weights
