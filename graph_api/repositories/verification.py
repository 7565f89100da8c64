"""Marking facts verified: a seller confirms, in one call, that what the map says still holds.

A stakeholder's ``lastVerifiedAt`` and the ``verifiedAt`` of seats, influences and conflicts
are set to one day (today unless given) in ONE write transaction, with an audit record per
fact that changed. Every fact named must exist in the caller's tenant: anything missing is
reported by its path and nothing is written. A committee is verified whole: its seats, the
people holding them, and the influences and conflicts among those people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.kinds import CONFLICT, INFLUENCE, SEAT, STAKEHOLDER, RelationshipKind
from graph_api.domain.principal import Principal
from graph_api.errors import NotFound, ProblemCollector
from graph_api.repositories.audit import ChangeRecord, now_iso, record_changes, relationship_key

_ACCOUNT = "[(x)-[:WORKS_AT]->(acc:Account) WHERE acc.tenantId = $tenantId | acc.id][0]"


def _edges(kind: RelationshipKind) -> str:
    return f"""
UNWIND $keys AS key
MATCH (a:{kind.source} {{id: key.source}})-[r:{kind.type}]->(b:{kind.target} {{id: key.target}})
WHERE a.tenantId = $tenantId AND b.tenantId = $tenantId
SET r._lock = true
WITH key, r, a, r.verifiedAt AS before
SET r.verifiedAt = $on, r.updatedAt = $now, r.updatedBy = $actor
REMOVE r._lock
WITH key, before, a AS x
RETURN key.i AS i, before, {_ACCOUNT} AS accountId
"""


VERIFY_EDGES = {kind.name: _edges(kind) for kind in (SEAT, INFLUENCE, CONFLICT)}
VERIFY_STAKEHOLDERS = f"""
UNWIND $keys AS key
MATCH (x:Stakeholder {{id: key.source}}) WHERE x.tenantId = $tenantId
SET x._lock = true
WITH key, x, x.lastVerifiedAt AS before
SET x.lastVerifiedAt = $on, x.updatedAt = $now, x.updatedBy = $actor
REMOVE x._lock
RETURN key.i AS i, before, {_ACCOUNT} AS accountId
"""
COMMITTEE = """
MATCH (o:Opportunity {id: $opportunityId}) WHERE o.tenantId = $tenantId
OPTIONAL MATCH (s:Stakeholder)-[:SITS_ON]->(o) WHERE s.tenantId = $tenantId
WITH o, collect(s) AS seated
RETURN o.id AS opportunity, [s IN seated | s.id] AS people,
  [s IN seated | [(s)-[:INFLUENCES]->(t) WHERE t IN seated | t.id]] AS influences,
  [s IN seated | [(s)-[:CONFLICTS_WITH]->(t) WHERE t IN seated | t.id]] AS conflicts
"""


@dataclass(frozen=True)
class Facts:
    """The facts to mark: stakeholder ids, and (source id, target id) pairs per kind."""

    stakeholders: Sequence[str] = ()
    seats: Sequence[tuple[str, str]] = ()
    influences: Sequence[tuple[str, str]] = ()
    conflicts: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class Verified:
    """How many facts of each kind were marked, and the day."""

    on: str
    stakeholders: int
    seats: int
    influences: int
    conflicts: int


async def mark_verified(
    database: Database,
    principal: Principal,
    facts: Facts,
    on: str,
    reason: str | None = None,
    paths: dict[str, str] | None = None,
) -> Verified:
    """Set the verification day of ``facts`` to ``on`` (a date); NotFound-like problems for
    missing facts are reported by input path (``paths`` names each list) and nothing lands."""
    names = paths or {
        "stakeholders": "input.stakeholderIds",
        "seats": "input.seats",
        "influences": "input.influences",
        "conflicts": "input.conflicts",
    }
    now = now_iso()

    async def work(tx: AsyncManagedTransaction) -> Verified:
        problems = ProblemCollector()
        changes: list[ChangeRecord] = []
        params: dict[str, Any] = {
            "tenantId": principal.tenant_id,
            "on": on,
            "now": now,
            "actor": principal.actor,
        }

        async def run(query: str, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
            result = await tx.run(query, {**params, "keys": keys})
            return [dict(r) async for r in result]

        people = [{"i": i, "source": s} for i, s in enumerate(facts.stakeholders)]
        found = await run(VERIFY_STAKEHOLDERS, people) if people else []
        marked = {r["i"] for r in found}
        for key in people:
            if key["i"] not in marked:
                problems.add(f"{names['stakeholders']}[{key['i']}]", "no such stakeholder")
        changes += [
            ChangeRecord(
                STAKEHOLDER.label,
                people[r["i"]]["source"],
                "UPDATE",
                r["accountId"],
                "lastVerifiedAt",
                r["before"],
                on,
            )
            for r in found
            if r["before"] != on
        ]
        counts: dict[str, int] = {}
        for field, kind in (("seats", SEAT), ("influences", INFLUENCE), ("conflicts", CONFLICT)):
            pairs: Sequence[tuple[str, str]] = getattr(facts, field)
            keys = [{"i": i, "source": s, "target": t} for i, (s, t) in enumerate(pairs)]
            found = await run(VERIFY_EDGES[kind.name], keys) if keys else []
            marked = {r["i"] for r in found}
            counts[field] = len(marked)
            for key in keys:
                if key["i"] not in marked:
                    problems.add(f"{names[field]}[{key['i']}]", f"no such {kind.name}")
            changes += [
                ChangeRecord(
                    kind.name,
                    relationship_key(keys[r["i"]]["source"], keys[r["i"]]["target"]),
                    "UPDATE",
                    r["accountId"],
                    "verifiedAt",
                    r["before"],
                    on,
                )
                for r in found
                if r["before"] != on
            ]
        problems.raise_if_any()  # raising inside the transaction rolls every mark back
        await record_changes(tx, principal.tenant_id, principal.actor, changes, reason)
        return Verified(on, len(people), counts["seats"], counts["influences"], counts["conflicts"])

    return await database.write(work)


async def committee_facts(database: Database, tenant_id: str, opportunity_id: str) -> Facts:
    """The facts of one committee: its seats, their holders, the edges among them."""

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any] | None:
        result = await tx.run(COMMITTEE, tenantId=tenant_id, opportunityId=opportunity_id)
        record = await result.single()
        return None if record is None else dict(record)

    found = await database.read(work)
    if found is None:
        raise NotFound("Opportunity", opportunity_id)
    people: list[str] = found["people"]
    return Facts(
        stakeholders=people,
        seats=[(s, opportunity_id) for s in people],
        influences=[
            (s, t) for s, targets in zip(people, found["influences"], strict=True) for t in targets
        ],
        conflicts=[
            (s, t) for s, targets in zip(people, found["conflicts"], strict=True) for t in targets
        ],
    )
