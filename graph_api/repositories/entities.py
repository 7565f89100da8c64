"""Writes of the map: create, update and delete any node or relationship, with its audit trail.

One generic implementation serves every node kind (driven by ``NODE_KINDS``) and one every
relationship (driven by ``RELATIONSHIP_KINDS`` below). Each write is one managed write
transaction that also records one ``(:Change)`` per changed field, so the audit trail lands
exactly when the change does. Labels and relationship types are never caller input: the
queries are built once, at import time, from the fixed tables; every value is a parameter and
every query filters by the caller's tenant, so another tenant's id looks like a missing one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.enums import CommitteeRole, ConcernCategory, Reception, Stance
from graph_api.domain.ids import new_id
from graph_api.domain.models import (
    LIST_MAX,
    NODE_KINDS,
    POSITIVE,
    TEXT_MAX,
    UNIT,
    UNIT_OPEN,
    Edge,
    Node,
    NodeKind,
    PropertySpec,
)
from graph_api.domain.principal import Principal
from graph_api.errors import Conflict, NotFound, ProblemCollector
from graph_api.repositories.audit import (
    ChangeRecord,
    now_iso,
    record_changes,
    relationship_key,
)
from graph_api.repositories.graph import REL_KINDS, RelKind

INPUT = "input"  # where a mutation's values sit, for problem paths (``input.strength``)
EXTERNAL_ID = PropertySpec("externalId", str)


# --- relationship kinds ---------------------------------------------------------------


@dataclass(frozen=True)
class RelationshipKind:
    """A relationship callers create, update and delete by its two endpoint ids.

    ``name`` is the GraphQL type and audit kind (``Seat``); ``source_arg``/``target_arg`` name
    the endpoint ids in the input (``stakeholderId``, ``opportunityId``). ``same_account``
    demands both endpoints belong to one account. ``stamp`` is (field, timestamp field): setting
    the field also sets the timestamp to now unless the caller gave it. ``evidence`` is (field,
    field whose given value the audit trail keeps as the evidence of that field's change).
    """

    name: str
    rel: RelKind
    source_arg: str
    target_arg: str
    properties: tuple[PropertySpec, ...] = ()
    distinct_ends: bool = False
    same_account: bool = False
    stamp: tuple[str, str] | None = None
    evidence: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        stamped = (self.stamp[1],) if self.stamp else ()
        assert {*self.property_names, *stamped} <= set(self.rel.properties), self.name

    @property
    def property_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)


def _strength(name: str = "strength", **kw: Any) -> PropertySpec:
    return PropertySpec(name, float, required=True, bounds=UNIT_OPEN, **kw)


def _text(name: str) -> PropertySpec:
    return PropertySpec(name, str, max_length=TEXT_MAX)


_AT = PropertySpec("at", str)
INFLUENCE = RelationshipKind(
    "Influence", REL_KINDS["INFLUENCES"], "fromId", "toId",
    (_strength(), PropertySpec("topics", str, enum=ConcernCategory, is_list=True),
     _text("evidence")),
    distinct_ends=True, same_account=True,
)
CONFLICT = RelationshipKind(
    "Conflict", REL_KINDS["CONFLICTS_WITH"], "fromId", "toId", (_strength(), _text("evidence")),
    distinct_ends=True, same_account=True,
)
REPORTING_LINE = RelationshipKind(
    "ReportingLine", REL_KINDS["REPORTS_TO"], "stakeholderId", "managerId",
    distinct_ends=True, same_account=True,
)
SEAT = RelationshipKind(
    "Seat", REL_KINDS["SITS_ON"], "stakeholderId", "opportunityId",
    (PropertySpec("role", str, required=True, enum=CommitteeRole),
     PropertySpec("stance", str, enum=Stance), PropertySpec("veto", bool),
     PropertySpec("voteWeight", float, bounds=POSITIVE), _text("stanceEvidence")),
    same_account=True, stamp=("stance", "stanceUpdatedAt"), evidence=("stance", "stanceEvidence"),
)
ADVOCACY = RelationshipKind(
    "Advocacy", REL_KINDS["ADVOCATES_FOR"], "stakeholderId", "alternativeId",
    (_strength(), _text("evidence")), same_account=True,
)
STAKEHOLDER_CONCERN = RelationshipKind(
    "StakeholderConcern", REL_KINDS["CARES_ABOUT"], "stakeholderId", "concernId",
    (_strength("weight"),),
)
ARGUMENT_FIT = RelationshipKind(
    "ArgumentFit", REL_KINDS["ADDRESSES"], "argumentId", "concernId", (_strength("fit"),),
)
CITATION = RelationshipKind("Citation", REL_KINDS["CITES"], "argumentId", "accountId")
COACHING = RelationshipKind(
    "Coaching", REL_KINDS["COACHED_ON"], "stakeholderId", "argumentId",
    (PropertySpec("readiness", float, required=True, bounds=UNIT), _AT),
    stamp=("readiness", "at"),
)
HEARING = RelationshipKind(
    "Hearing", REL_KINDS["HEARD"], "stakeholderId", "argumentId",
    (PropertySpec("reception", str, required=True, enum=Reception), _AT),
)

RELATIONSHIP_KINDS: dict[str, RelationshipKind] = {
    k.name: k
    for k in (
        INFLUENCE, CONFLICT, REPORTING_LINE, SEAT, ADVOCACY, STAKEHOLDER_CONCERN,
        ARGUMENT_FIT, CITATION, COACHING, HEARING,
    )
}


# --- validation (pure) ----------------------------------------------------------------


def _item_problem(spec: PropertySpec, value: Any) -> str | None:
    expected = spec.py_type
    if expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, expected)
    if not ok:
        return f"must be a {expected.__name__}"
    if spec.enum is not None and value not in {e.value for e in spec.enum}:
        return f"must be one of {', '.join(str(e.value) for e in spec.enum)}"
    if spec.bounds is not None and not spec.bounds.admits(value):
        return f"must be {spec.bounds}"
    if isinstance(value, str):
        if len(value) > spec.max_length:
            return f"must be at most {spec.max_length} characters (got {len(value)})"
        if (spec.required or spec is EXTERNAL_ID) and not value.strip():
            return "must not be blank"
    return None


def check_properties(
    specs: tuple[PropertySpec, ...], values: Mapping[str, Any], prefix: str,
    problems: ProblemCollector, *, creating: bool,
) -> None:
    """Add a problem for every value in ``values`` that breaks its spec.

    On create a missing required value is a problem; on update an explicit ``None`` clears a
    property, which a required one refuses.
    """
    by_name = {s.name: s for s in specs}
    if creating:
        for spec in specs:
            if spec.required and values.get(spec.name) is None:
                problems.add(f"{prefix}.{spec.name}", "is required")
    for name, value in values.items():
        spec, path = by_name[name], f"{prefix}.{name}"
        if value is None:
            if spec.required and not creating:
                problems.add(path, "is required and cannot be cleared")
            continue
        if not spec.is_list:
            message = _item_problem(spec, value)
            if message:
                problems.add(path, message)
            continue
        if not isinstance(value, list):
            problems.add(path, "must be a list")
            continue
        if len(value) > LIST_MAX:
            problems.add(path, f"must have at most {LIST_MAX} items (got {len(value)})")
        for i, item in enumerate(value):
            message = _item_problem(spec, item)
            if message:
                problems.add(f"{path}[{i}]", message)


def _check_reason(reason: str | None, problems: ProblemCollector) -> None:
    if reason is not None and len(reason) > TEXT_MAX:
        problems.add("reason", f"must be at most {TEXT_MAX} characters (got {len(reason)})")


def _node_specs(kind: NodeKind) -> tuple[PropertySpec, ...]:
    return (EXTERNAL_ID, *kind.properties)


def parent_arg(kind: NodeKind) -> str:
    """The input field naming a child's parent: ``accountId`` for a stakeholder."""
    assert kind.parent_label is not None
    return f"{kind.parent_label[0].lower()}{kind.parent_label[1:]}Id"


# --- Cypher, built once from the fixed tables -----------------------------------------


def _parent_edge(kind: NodeKind, parent: str, child: str) -> str:
    """The pattern joining a child node to its parent, e.g. ``(c)-[:WORKS_AT]->(p:Account)``."""
    assert kind.parent_rel is not None
    if kind.child_points_to_parent:
        return f"({child})-[:{kind.parent_rel}]->({parent})"
    return f"({parent})-[:{kind.parent_rel}]->({child})"


def _account_of(var: str, label: str) -> str:
    """A Cypher expression for the id of the account node ``var`` belongs to, or null."""
    if label == "Account":
        return f"{var}.id"
    hops, current = "", label
    while current != "Account":
        kind = NODE_KINDS[current]
        if kind.parent_label is None:
            return "null"
        rel = kind.parent_rel
        hops += f"-[:{rel}]->" if kind.child_points_to_parent else f"<-[:{rel}]-"
        current = kind.parent_label
        hops += "(acc:Account)" if current == "Account" else f"(:{current})"
    return f"[({var}){hops} WHERE acc.tenantId = $tenantId | acc.id][0]"


def _match_node(label: str) -> str:
    return f"MATCH (n:{label} {{id: $id}}) WHERE n.tenantId = $tenantId "


def _create_node(kind: NodeKind) -> str:
    returning = f"RETURN properties(n) AS n, {_account_of('n', kind.label)} AS accountId"
    if kind.parent_label is None:
        return f"CREATE (n:{kind.label}) SET n = $props {returning}"
    return (
        f"MATCH (p:{kind.parent_label} {{id: $parentId}}) WHERE p.tenantId = $tenantId "
        f"CREATE (n:{kind.label}) SET n = $props CREATE {_parent_edge(kind, 'p', 'n')} "
        + returning
    )


def _children(kind: NodeKind) -> str:
    edge = _parent_edge(kind, f"p:{kind.parent_label}", f"c:{kind.label}")
    return (
        f"MATCH {edge} WHERE p.id IN $ids AND c.tenantId = $tenantId "
        "RETURN c.id AS id, c.externalId AS externalId"
    )


NODE_STATE = {
    label: _match_node(label) + f"RETURN properties(n) AS n, {_account_of('n', label)} AS accountId"
    for label in NODE_KINDS
}
CREATE_NODE = {label: _create_node(kind) for label, kind in NODE_KINDS.items()}
UPDATE_NODE = {
    label: _match_node(label) + "SET n += $changes RETURN properties(n) AS n"
    for label in NODE_KINDS
}
EXTERNAL_ID_OWNER = {
    label: (
        f"MATCH (n:{label}) WHERE n.tenantId = $tenantId AND n.externalId = $externalId "
        "RETURN n.id AS id LIMIT 1"
    )
    for label in NODE_KINDS
}
CHILD_KINDS = {
    label: [k for k in NODE_KINDS.values() if k.parent_label == label] for label in NODE_KINDS
}
CHILDREN = {k.label: _children(k) for k in NODE_KINDS.values() if k.parent_label is not None}
DELETE_NODES = {
    label: f"MATCH (n:{label}) WHERE n.id IN $ids AND n.tenantId = $tenantId DETACH DELETE n"
    for label in NODE_KINDS
}
SCRUB_PERSONAL = """
MATCH (c:Change)
WHERE c.tenantId = $tenantId AND c.entityId IN $ids AND c.field IN $fields
SET c.oldValue = null, c.newValue = null
"""


def _ends(rel: RelKind, clause: str) -> str:
    return (
        f"{clause} (a:{rel.source} {{id: $source}}) WHERE a.tenantId = $tenantId "
        f"{clause} (b:{rel.target} {{id: $target}}) WHERE b.tenantId = $tenantId "
    )


def _relationship_state(rel: RelKind) -> str:
    return _ends(rel, "OPTIONAL MATCH") + (
        f"OPTIONAL MATCH (a)-[r:{rel.type}]->(b) "
        "RETURN a.id AS source, b.id AS target, properties(r) AS props, "
        f"{_account_of('a', rel.source)} AS sourceAccount, "
        f"{_account_of('b', rel.target)} AS targetAccount LIMIT 1"
    )


def _match_relationship(rel: RelKind) -> str:
    return (
        f"MATCH (a:{rel.source} {{id: $source}})-[r:{rel.type}]->(b:{rel.target} {{id: $target}}) "
        "WHERE a.tenantId = $tenantId AND b.tenantId = $tenantId "
    )


RELATIONSHIP_STATE = {n: _relationship_state(k.rel) for n, k in RELATIONSHIP_KINDS.items()}
# MERGE, not CREATE: it locks both ends, so two racing creates cannot make a duplicate.
CREATE_RELATIONSHIP = {
    n: _ends(k.rel, "MATCH")
    + f"MERGE (a)-[r:{k.rel.type}]->(b) ON CREATE SET r = $props RETURN properties(r) AS props"
    for n, k in RELATIONSHIP_KINDS.items()
}
UPDATE_RELATIONSHIP = {
    n: _match_relationship(k.rel) + "SET r += $changes RETURN properties(r) AS props"
    for n, k in RELATIONSHIP_KINDS.items()
}
DELETE_RELATIONSHIP = {
    n: _match_relationship(k.rel) + "DELETE r" for n, k in RELATIONSHIP_KINDS.items()
}


# --- transactions ---------------------------------------------------------------------


async def _single(tx: AsyncManagedTransaction, query: str, **params: Any) -> dict[str, Any] | None:
    result = await tx.run(query, params)
    record = await result.single()
    return None if record is None else dict(record)


def _changes(
    kind: str, entity_id: str, action: str, account_id: str | None,
    old: Mapping[str, Any], new: Mapping[str, Any], evidence: Mapping[str, Any] | None = None,
) -> list[ChangeRecord]:
    """One record per field in ``new``; a record without a field if there is none."""
    evidence = evidence or {}
    return [
        ChangeRecord(kind, entity_id, action, account_id, name, old.get(name), value,
                     evidence.get(name))
        for name, value in new.items()
    ] or [ChangeRecord(kind, entity_id, action, account_id)]


async def _audit(
    tx: AsyncManagedTransaction, principal: Principal, changes: list[ChangeRecord],
    reason: str | None,
) -> None:
    await record_changes(tx, principal.tenant_id, principal.actor, changes, reason)


def _problems(
    specs: tuple[PropertySpec, ...], values: Mapping[str, Any], reason: str | None, *,
    creating: bool,
) -> ProblemCollector:
    """The problems of a mutation's values and reason that need no database to see."""
    problems = ProblemCollector()
    check_properties(specs, values, INPUT, problems, creating=creating)
    _check_reason(reason, problems)
    return problems


# --- nodes ----------------------------------------------------------------------------


async def _node_state(
    tx: AsyncManagedTransaction, principal: Principal, label: str, node_id: str,
) -> tuple[dict[str, Any], str | None]:
    record = await _single(tx, NODE_STATE[label], id=node_id, tenantId=principal.tenant_id)
    if record is None:
        raise NotFound(label, node_id)
    return record["n"], record["accountId"]


async def _refuse_taken_external_id(
    tx: AsyncManagedTransaction, principal: Principal, label: str, external_id: str | None,
    node_id: str,
) -> None:
    if external_id is None:
        return
    owner = await _single(
        tx, EXTERNAL_ID_OWNER[label], tenantId=principal.tenant_id, externalId=external_id
    )
    if owner is not None and owner["id"] != node_id:
        raise Conflict(f"another {label} already has externalId '{external_id}'")


async def create_node(
    database: Database, principal: Principal, kind: NodeKind, values: Mapping[str, Any],
    parent_id: str | None = None, reason: str | None = None,
) -> Node:
    """Create a node of ``kind`` (under ``parent_id`` for a child kind); ``None`` means unset."""
    given = {k: v for k, v in values.items() if v is not None}
    problems = _problems(_node_specs(kind), given, reason, creating=True)
    if kind.parent_label is not None and parent_id is None:
        problems.add(f"{INPUT}.{parent_arg(kind)}", "is required")
    problems.raise_if_any()
    node_id, now = new_id(kind.label), now_iso()
    props = {
        **given, "id": node_id, "tenantId": principal.tenant_id, "createdAt": now,
        "updatedAt": now, "updatedBy": principal.actor,
    }

    async def work(tx: AsyncManagedTransaction) -> Node:
        await _refuse_taken_external_id(tx, principal, kind.label, given.get("externalId"), node_id)
        record = await _single(
            tx, CREATE_NODE[kind.label], props=props, parentId=parent_id,
            tenantId=principal.tenant_id,
        )
        if record is None:  # only a child kind, whose parent was not found, creates nothing
            raise NotFound(str(kind.parent_label), str(parent_id))
        await _audit(
            tx, principal,
            _changes(kind.label, node_id, "CREATE", record["accountId"], {}, given), reason,
        )
        return Node.from_record(kind.label, record["n"])

    return await database.write(work)


async def update_node(
    database: Database, principal: Principal, kind: NodeKind, node_id: str,
    values: Mapping[str, Any], reason: str | None = None,
) -> Node:
    """Set the properties in ``values`` (``None`` clears one); unchanged values are no change."""
    _problems(_node_specs(kind), values, reason, creating=False).raise_if_any()

    async def work(tx: AsyncManagedTransaction) -> Node:
        old, account_id = await _node_state(tx, principal, kind.label, node_id)
        changed = {k: v for k, v in values.items() if old.get(k) != v}
        if not changed:
            return Node.from_record(kind.label, old)
        await _refuse_taken_external_id(
            tx, principal, kind.label, changed.get("externalId"), node_id
        )
        stamp = {"updatedAt": now_iso(), "updatedBy": principal.actor}
        record = await _single(
            tx, UPDATE_NODE[kind.label], id=node_id, tenantId=principal.tenant_id,
            changes={**changed, **stamp},
        )
        assert record is not None  # matched a moment ago in this transaction
        await _audit(
            tx, principal, _changes(kind.label, node_id, "UPDATE", account_id, old, changed),
            reason,
        )
        return Node.from_record(kind.label, record["n"])

    return await database.write(work)


async def _descendants(
    tx: AsyncManagedTransaction, principal: Principal, label: str, ids: list[str],
) -> list[tuple[str, str, str | None]]:
    """(label, id, externalId) of every node that lives under ``ids`` (deleted with them)."""
    found: list[tuple[str, str, str | None]] = []
    for child in CHILD_KINDS[label]:
        result = await tx.run(CHILDREN[child.label], ids=ids, tenantId=principal.tenant_id)
        rows = [(child.label, r["id"], r["externalId"]) async for r in result]
        found += rows
        if rows:
            found += await _descendants(tx, principal, child.label, [r[1] for r in rows])
    return found


async def delete_node(
    database: Database, principal: Principal, kind: NodeKind, node_id: str,
    reason: str | None = None,
) -> Node:
    """Delete a node with its relationships and the nodes under it; returns it as it was.

    The audit trail keeps a DELETE record per deleted node naming only its id and externalId,
    and personal fields (``PropertySpec.personal``) are erased from the deleted nodes' earlier
    records, so a deleted person's name, title or email survives nowhere.
    """
    _problems((), {}, reason, creating=False).raise_if_any()

    async def work(tx: AsyncManagedTransaction) -> Node:
        old, account_id = await _node_state(tx, principal, kind.label, node_id)
        doomed = [(kind.label, node_id, old.get("externalId"))]
        doomed += await _descendants(tx, principal, kind.label, [node_id])
        for label, doomed_kind in NODE_KINDS.items():
            ids = [i for lbl, i, _ in doomed if lbl == label]
            if not ids:
                continue
            await tx.run(DELETE_NODES[label], ids=ids, tenantId=principal.tenant_id)
            personal = [p.name for p in doomed_kind.properties if p.personal]
            if personal:
                await tx.run(
                    SCRUB_PERSONAL, ids=ids, fields=personal, tenantId=principal.tenant_id
                )
        changes = [
            ChangeRecord(label, i, "DELETE", account_id, old_value={"externalId": external_id})
            for label, i, external_id in doomed
        ]
        await _audit(tx, principal, changes, reason)
        return Node.from_record(kind.label, old)

    return await database.write(work)


# --- relationships --------------------------------------------------------------------


async def _relationship(
    tx: AsyncManagedTransaction, principal: Principal, kind: RelationshipKind, source: str,
    target: str,
) -> dict[str, Any]:
    """Both ends (NotFound if either is missing), the relationship's properties and accounts."""
    record = await _single(
        tx, RELATIONSHIP_STATE[kind.name], source=source, target=target,
        tenantId=principal.tenant_id,
    )
    assert record is not None  # OPTIONAL MATCH always answers one row
    if record["source"] is None:
        raise NotFound(kind.rel.source, source)
    if record["target"] is None:
        raise NotFound(kind.rel.target, target)
    return record


def _stamped(
    kind: RelationshipKind, given: Mapping[str, Any], changed: Mapping[str, Any]
) -> dict[str, Any]:
    """The timestamp ``kind.stamp`` names, when its field changes and no time was given."""
    if kind.stamp is None:
        return {}
    field, stamp = kind.stamp
    return {stamp: now_iso()} if field in changed and stamp not in given else {}


def _evidence(kind: RelationshipKind, given: Mapping[str, Any]) -> dict[str, Any]:
    return {} if kind.evidence is None else {kind.evidence[0]: given.get(kind.evidence[1])}


async def create_relationship(
    database: Database, principal: Principal, kind: RelationshipKind, source: str, target: str,
    values: Mapping[str, Any], reason: str | None = None,
) -> Edge:
    """Create the relationship ``source -> target``; an existing one is a Conflict."""
    given = {k: v for k, v in values.items() if v is not None}
    static = _problems(kind.properties, given, reason, creating=True)
    if kind.distinct_ends and source == target:
        static.add(f"{INPUT}.{kind.target_arg}", f"must differ from {kind.source_arg}")

    async def work(tx: AsyncManagedTransaction) -> Edge:
        state = await _relationship(tx, principal, kind, source, target)
        # reported with the others, so the caller sees every problem at once
        problems = ProblemCollector(list(static.problems))
        account_id = state["sourceAccount"]
        if kind.same_account and (account_id is None or account_id != state["targetAccount"]):
            problems.add(
                f"{INPUT}.{kind.target_arg}",
                f"must belong to the same account as {kind.source_arg}",
            )
        problems.raise_if_any()
        if state["props"] is not None:
            raise Conflict(
                f"{kind.name} from '{source}' to '{target}' already exists; update it instead"
            )
        record = await _single(
            tx, CREATE_RELATIONSHIP[kind.name], source=source, target=target,
            props={**given, **_stamped(kind, given, given)}, tenantId=principal.tenant_id,
        )
        assert record is not None  # both ends were found a moment ago in this transaction
        key = relationship_key(source, target)
        await _audit(
            tx, principal,
            _changes(kind.name, key, "CREATE", account_id, {}, given, _evidence(kind, given)),
            reason,
        )
        return Edge(kind.rel.type, source, target, dict(record["props"]))

    return await database.write(work)


async def update_relationship(
    database: Database, principal: Principal, kind: RelationshipKind, source: str, target: str,
    values: Mapping[str, Any], reason: str | None = None,
) -> Edge:
    """Set the properties in ``values`` on ``source -> target`` (NotFound if there is none)."""
    _problems(kind.properties, values, reason, creating=False).raise_if_any()

    async def work(tx: AsyncManagedTransaction) -> Edge:
        state = await _relationship(tx, principal, kind, source, target)
        old = state["props"]
        key = relationship_key(source, target)
        if old is None:
            raise NotFound(kind.name, key)
        changed = {k: v for k, v in values.items() if old.get(k) != v}
        if not changed:
            return Edge(kind.rel.type, source, target, dict(old))
        record = await _single(
            tx, UPDATE_RELATIONSHIP[kind.name], source=source, target=target,
            changes={**changed, **_stamped(kind, values, changed)}, tenantId=principal.tenant_id,
        )
        assert record is not None  # matched a moment ago in this transaction
        changes = _changes(
            kind.name, key, "UPDATE", state["sourceAccount"], old, changed,
            _evidence(kind, values),
        )
        await _audit(tx, principal, changes, reason)
        return Edge(kind.rel.type, source, target, dict(record["props"]))

    return await database.write(work)


async def delete_relationship(
    database: Database, principal: Principal, kind: RelationshipKind, source: str, target: str,
    reason: str | None = None,
) -> Edge:
    """Delete ``source -> target`` (NotFound if there is none); returns it as it was."""
    _problems((), {}, reason, creating=False).raise_if_any()

    async def work(tx: AsyncManagedTransaction) -> Edge:
        state = await _relationship(tx, principal, kind, source, target)
        key = relationship_key(source, target)
        if state["props"] is None:
            raise NotFound(kind.name, key)
        await tx.run(
            DELETE_RELATIONSHIP[kind.name], source=source, target=target,
            tenantId=principal.tenant_id,
        )
        changes = [ChangeRecord(kind.name, key, "DELETE", state["sourceAccount"])]
        await _audit(tx, principal, changes, reason)
        return Edge(kind.rel.type, source, target, dict(state["props"]))

    return await database.write(work)
