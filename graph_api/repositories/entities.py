"""Writes of the map: create, update and delete any node or relationship, with its audit trail.

One generic implementation serves every node kind and one every relationship kind, both
driven by the declarations in :mod:`graph_api.domain.kinds`. Each write is one managed write
transaction that also records one ``(:Change)`` per changed field, so the audit trail lands
exactly when the change does.

Concurrency. Every update and delete first takes the write lock of what it changes (the node,
or both ends of the relationship) and only then reads the old state, inside the same
transaction: concurrent writers of one record are serialised, so no update is lost and each
audit entry's old value is the previous entry's new value. A racing duplicate create finds
the first one once it holds the locks, and is a :class:`Conflict`. A caller may pass
``expected_updated_at`` (the ``updatedAt`` it read): if the record changed since, the write
is refused with a :class:`Conflict` instead of overwriting someone else's edit. ``updatedAt``
strictly increases on every change of a record, so it serves as a version.

Labels and relationship types are never caller input: the queries are built once, at import
time, from the declarations; every value is a parameter and every query filters by the
caller's tenant, so another tenant's id looks like a missing one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from neo4j import AsyncManagedTransaction
from neo4j.exceptions import Neo4jError

from graph_api.db.driver import Database
from graph_api.domain.ids import new_id
from graph_api.domain.kinds import (
    CHILD_KINDS,
    NODE_KINDS,
    RELATIONSHIP_KINDS,
    Kind,
    Node,
    NodeKind,
    Relationship,
    RelationshipKind,
)
from graph_api.domain.principal import Principal
from graph_api.domain.validation import (
    EXTERNAL_ID_FIELD,
    check_reason,
    check_rules,
    check_values,
    written_values,
)
from graph_api.errors import Conflict, NotFound, ProblemCollector
from graph_api.repositories.audit import (
    ChangeRecord,
    now_iso,
    record_changes,
    relationship_key,
)

INPUT = "input"  # where a mutation's values sit, for problem paths (``input.strength``)
LOCK = "_lock"
"""Setting this property takes a record's write lock; removing it before the transaction
commits leaves nothing behind (no write of its own is ever visible)."""

N = TypeVar("N", bound=Node)
E = TypeVar("E", bound=Relationship)


# --- Cypher, built once from the declarations -------------------------------------------


def _parent_edge(kind: NodeKind, parent: str, child: str) -> str:
    """The pattern joining a child node to its parent, e.g. ``(c)-[:WORKS_AT]->(p:Account)``."""
    assert kind.parent is not None
    if kind.parent.child_points_to_parent:
        return f"({child})-[:{kind.parent.rel_type}]->({parent})"
    return f"({parent})-[:{kind.parent.rel_type}]->({child})"


def _account_of(var: str, label: str) -> str:
    """A Cypher expression for the id of the account node ``var`` belongs to, or null."""
    if label == "Account":
        return f"{var}.id"
    hops, current = "", label
    while current != "Account":
        parent = NODE_KINDS[current].parent
        if parent is None:
            return "null"
        rel = parent.rel_type
        hops += f"-[:{rel}]->" if parent.child_points_to_parent else f"<-[:{rel}]-"
        current = parent.label
        hops += "(acc:Account)" if current == "Account" else f"(:{current})"
    return f"[({var}){hops} WHERE acc.tenantId = $tenantId | acc.id][0]"


def _match_node(label: str) -> str:
    return f"MATCH (n:{label} {{id: $id}}) WHERE n.tenantId = $tenantId "


def _create_node(kind: NodeKind) -> str:
    returning = f"RETURN properties(n) AS n, {_account_of('n', kind.label)} AS accountId"
    if kind.parent is None:
        return f"CREATE (n:{kind.label}) SET n = $props {returning}"
    return (
        f"MATCH (p:{kind.parent.label} {{id: $parentId}}) WHERE p.tenantId = $tenantId "
        f"CREATE (n:{kind.label}) SET n = $props CREATE {_parent_edge(kind, 'p', 'n')} " + returning
    )


def _children(kind: NodeKind) -> str:
    assert kind.parent is not None
    edge = _parent_edge(kind, f"p:{kind.parent.label}", f"c:{kind.label}")
    return (
        f"MATCH {edge} WHERE p.id IN $ids AND c.tenantId = $tenantId "
        "RETURN c.id AS id, c.externalId AS externalId"
    )


LOCK_NODE = {
    label: _match_node(label) + f"SET n.{LOCK} = true RETURN n.id AS id" for label in NODE_KINDS
}
UNLOCK_NODE = {label: _match_node(label) + f"REMOVE n.{LOCK}" for label in NODE_KINDS}
NODE_STATE = {
    label: _match_node(label) + f"RETURN properties(n) AS n, {_account_of('n', label)} AS accountId"
    for label in NODE_KINDS
}
CREATE_NODE = {label: _create_node(kind) for label, kind in NODE_KINDS.items()}
UPDATE_NODE = {
    label: _match_node(label) + f"SET n += $changes REMOVE n.{LOCK} RETURN properties(n) AS n"
    for label in NODE_KINDS
}
EXTERNAL_ID_OWNER = {
    label: (
        f"MATCH (n:{label}) WHERE n.tenantId = $tenantId AND n.externalId = $externalId "
        "RETURN n.id AS id LIMIT 1"
    )
    for label in NODE_KINDS
}
CHILDREN = {k.label: _children(k) for k in NODE_KINDS.values() if k.parent is not None}
DELETE_NODES = {
    label: f"MATCH (n:{label}) WHERE n.id IN $ids AND n.tenantId = $tenantId DETACH DELETE n"
    for label in NODE_KINDS
}
SCRUB_PERSONAL = """
MATCH (c:Change)
WHERE c.tenantId = $tenantId AND c.entityId IN $ids AND c.field IN $fields
SET c.oldValue = null, c.newValue = null
"""


def _lock_ends(kind: RelationshipKind) -> str:
    return (
        f"OPTIONAL MATCH (a:{kind.source} {{id: $source}}) WHERE a.tenantId = $tenantId "
        f"OPTIONAL MATCH (b:{kind.target} {{id: $target}}) WHERE b.tenantId = $tenantId "
        f"FOREACH (x IN [n IN [a, b] WHERE n IS NOT NULL] | SET x.{LOCK} = true) "
        "RETURN a.id AS source, b.id AS target"
    )


def _relationship_state(kind: RelationshipKind) -> str:
    elsewhere = (
        f"[(a)-[:{kind.type}]->(x) WHERE x <> b | x.id][0]" if kind.one_per_source else "null"
    )
    return (
        f"MATCH (a:{kind.source} {{id: $source}}) WHERE a.tenantId = $tenantId "
        f"MATCH (b:{kind.target} {{id: $target}}) WHERE b.tenantId = $tenantId "
        f"OPTIONAL MATCH (a)-[r:{kind.type}]->(b) "
        f"RETURN properties(r) AS props, {elsewhere} AS elsewhere, "
        f"{_account_of('a', kind.source)} AS sourceAccount, "
        f"{_account_of('b', kind.target)} AS targetAccount LIMIT 1"
    )


def _match_relationship(kind: RelationshipKind) -> str:
    return (
        f"MATCH (a:{kind.source} {{id: $source}})-[r:{kind.type}]->"
        f"(b:{kind.target} {{id: $target}}) "
        "WHERE a.tenantId = $tenantId AND b.tenantId = $tenantId "
    )


def _create_relationship(kind: RelationshipKind) -> str:
    return (
        f"MATCH (a:{kind.source} {{id: $source}}) WHERE a.tenantId = $tenantId "
        f"MATCH (b:{kind.target} {{id: $target}}) WHERE b.tenantId = $tenantId "
        f"CREATE (a)-[r:{kind.type}]->(b) SET r = $props RETURN properties(r) AS props"
    )


_KINDS = RELATIONSHIP_KINDS.values()
LOCK_ENDS = {k.name: _lock_ends(k) for k in _KINDS}
UNLOCK_ENDS = {
    k.name: (
        f"OPTIONAL MATCH (a:{k.source} {{id: $source}}) WHERE a.tenantId = $tenantId "
        f"OPTIONAL MATCH (b:{k.target} {{id: $target}}) WHERE b.tenantId = $tenantId "
        f"FOREACH (x IN [n IN [a, b] WHERE n IS NOT NULL] | REMOVE x.{LOCK})"
    )
    for k in _KINDS
}
RELATIONSHIP_STATE = {k.name: _relationship_state(k) for k in _KINDS}
CREATE_RELATIONSHIP = {k.name: _create_relationship(k) for k in _KINDS}
UPDATE_RELATIONSHIP = {
    k.name: _match_relationship(k) + "SET r += $changes RETURN properties(r) AS props"
    for k in _KINDS
}
DELETE_RELATIONSHIP = {k.name: _match_relationship(k) + "DELETE r" for k in _KINDS}


# --- transactions ---------------------------------------------------------------------


async def _single(tx: AsyncManagedTransaction, query: str, **params: Any) -> dict[str, Any] | None:
    result = await tx.run(query, params)
    record = await result.single()
    return None if record is None else dict(record)


def _today(now: str) -> str:
    return now[:10]


def next_version(now: str, previous: str | None) -> str:
    """``now``, or just after ``previous`` when the clock has not moved past it: a record's
    ``updatedAt`` strictly increases, so it identifies the version a client read."""
    if previous is None or now > previous:
        return now
    try:
        later = datetime.fromisoformat(previous) + timedelta(microseconds=1)
    except ValueError:
        return now
    return later.astimezone(UTC).isoformat(timespec="microseconds")


def _refuse_stale(
    kind_name: str, key: str, stored: Mapping[str, Any], expected: str | None
) -> None:
    """The optimistic-concurrency check: the record must be the version the caller read."""
    if expected is None:
        return
    current = stored.get("updatedAt")
    if current != expected:
        who = stored.get("updatedBy") or "someone"
        raise Conflict(
            f"{kind_name} '{key}' changed since you read it (now updated at {current} by "
            f"{who}); reload it and apply your change again"
        )


def _asked(changed: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """The changes the caller asked for: the audit trail records those, not the stamps and
    defaults the server adds (``verifiedAt``, ``stanceUpdatedAt``)."""
    return {k: v for k, v in changed.items() if k in given}


def _changes(
    kind: Kind,
    entity_id: str,
    action: str,
    account_id: str | None,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    evidence: Mapping[str, Any] | None = None,
) -> list[ChangeRecord]:
    """One record per field in ``new``; a record without a field if there is none. A value
    stored as none because it is the default is recorded as that default (UNKNOWN, 1.0)."""
    evidence = evidence or {}

    def shown(name: str, value: Any) -> Any:
        p = kind.by_name.get(name)
        return p.default_value("") if value is None and p is not None else value

    def before(name: str) -> Any:  # nothing was there before a creation
        return shown(name, old.get(name)) if action == "UPDATE" else old.get(name)

    return [
        ChangeRecord(
            kind.name,
            entity_id,
            action,
            account_id,
            name,
            before(name),
            shown(name, value),
            evidence.get(name),
        )
        for name, value in new.items()
    ] or [ChangeRecord(kind.name, entity_id, action, account_id)]


async def _audit(
    tx: AsyncManagedTransaction,
    principal: Principal,
    changes: list[ChangeRecord],
    reason: str | None,
) -> None:
    await record_changes(tx, principal.tenant_id, principal.actor, changes, reason)


def _deleted_meanwhile(error: Neo4jError) -> bool:
    """A record deleted by a transaction that held its lock while this one waited."""
    return error.code == "Neo.ClientError.Statement.EntityNotFound"


async def _lock_node(
    tx: AsyncManagedTransaction, principal: Principal, label: str, node_id: str
) -> tuple[dict[str, Any], str | None]:
    """Take the node's write lock, then read it: NotFound if it is not (or no longer) there."""
    try:
        locked = await _single(tx, LOCK_NODE[label], id=node_id, tenantId=principal.tenant_id)
    except Neo4jError as error:
        if _deleted_meanwhile(error):
            raise NotFound(label, node_id) from None
        raise
    record = (
        None
        if locked is None
        else await _single(tx, NODE_STATE[label], id=node_id, tenantId=principal.tenant_id)
    )
    if record is None:
        raise NotFound(label, node_id)
    return record["n"], record["accountId"]


async def _refuse_taken_external_id(
    tx: AsyncManagedTransaction,
    principal: Principal,
    label: str,
    external_id: str | None,
    node_id: str,
) -> None:
    if external_id is None:
        return
    owner = await _single(
        tx, EXTERNAL_ID_OWNER[label], tenantId=principal.tenant_id, externalId=external_id
    )
    if owner is not None and owner["id"] != node_id:
        raise Conflict(f"another {label} already has externalId '{external_id}'")


def _static_problems(
    kind: NodeKind | RelationshipKind,
    values: Mapping[str, Any],
    reason: str | None,
    *,
    creating: bool,
) -> ProblemCollector:
    """The problems of a mutation's values and reason that need no database to see."""
    problems = ProblemCollector()
    check_values(kind, values, INPUT, problems, creating=creating)
    check_reason(reason, problems)
    return problems


# --- nodes ----------------------------------------------------------------------------


async def create_node(
    database: Database,
    principal: Principal,
    record: type[N],
    values: Mapping[str, Any],
    parent_id: str | None = None,
    reason: str | None = None,
) -> N:
    """Create a node of ``record``'s kind (under ``parent_id`` for a child kind); ``values``
    are stored names to stored values, ``None`` meaning unset."""
    kind = record.KIND
    given = {k: v for k, v in values.items() if v is not None}
    problems = _static_problems(kind, given, reason, creating=True)
    if kind.parent is not None and parent_id is None:
        problems.add(f"{INPUT}.{kind.parent.arg}", "is required")
    node_id, now = new_id(kind.label), now_iso()
    props = written_values(kind, None, given, now=now, today=_today(now))
    if not problems.problems:  # the rules across properties hold of well-formed values only
        check_rules(kind, props, INPUT, problems)
    problems.raise_if_any()
    props |= {
        "id": node_id,
        "tenantId": principal.tenant_id,
        "createdAt": now,
        "updatedAt": now,
        "updatedBy": principal.actor,
    }

    async def work(tx: AsyncManagedTransaction) -> N:
        await _refuse_taken_external_id(
            tx, principal, kind.label, given.get(EXTERNAL_ID_FIELD), node_id
        )
        created = await _single(
            tx,
            CREATE_NODE[kind.label],
            props=props,
            parentId=parent_id,
            tenantId=principal.tenant_id,
        )
        if created is None:  # only a child kind, whose parent was not found, creates nothing
            assert kind.parent is not None
            raise NotFound(kind.parent.label, str(parent_id))
        await _audit(
            tx,
            principal,
            _changes(kind, node_id, "CREATE", created["accountId"], {}, given),
            reason,
        )
        return record.from_stored(created["n"])

    return await database.write(work)


async def update_node(
    database: Database,
    principal: Principal,
    record: type[N],
    node_id: str,
    values: Mapping[str, Any],
    reason: str | None = None,
    expected_updated_at: str | None = None,
) -> N:
    """Set the properties in ``values`` (``None`` clears one); unchanged values are no change.

    Raises:
        Conflict: ``expected_updated_at`` is not the stored ``updatedAt`` (someone else
            changed the record since the caller read it), or the externalId is taken.
    """
    kind = record.KIND
    _static_problems(kind, values, reason, creating=False).raise_if_any()

    async def work(tx: AsyncManagedTransaction) -> N:
        old, account_id = await _lock_node(tx, principal, kind.label, node_id)
        _refuse_stale(kind.label, node_id, old, expected_updated_at)
        now = now_iso()
        changed = written_values(kind, old, values, now=now, today=_today(now))
        if not changed:
            await tx.run(UNLOCK_NODE[kind.label], id=node_id, tenantId=principal.tenant_id)
            return record.from_stored(old)
        problems = ProblemCollector()
        check_rules(kind, {**old, **changed}, INPUT, problems)
        problems.raise_if_any()
        await _refuse_taken_external_id(
            tx, principal, kind.label, changed.get(EXTERNAL_ID_FIELD), node_id
        )
        stamp = {"updatedAt": next_version(now, old.get("updatedAt")), "updatedBy": principal.actor}
        updated = await _single(
            tx,
            UPDATE_NODE[kind.label],
            id=node_id,
            tenantId=principal.tenant_id,
            changes={**changed, **stamp},
        )
        assert updated is not None  # locked a moment ago in this transaction
        await _audit(
            tx,
            principal,
            _changes(kind, node_id, "UPDATE", account_id, old, _asked(changed, values)),
            reason,
        )
        return record.from_stored(updated["n"])

    return await database.write(work)


async def _descendants(
    tx: AsyncManagedTransaction,
    principal: Principal,
    label: str,
    ids: list[str],
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
    database: Database,
    principal: Principal,
    record: type[N],
    node_id: str,
    reason: str | None = None,
    expected_updated_at: str | None = None,
) -> N:
    """Delete a node with its relationships and the nodes under it; returns it as it was.

    The audit trail keeps a DELETE record per deleted node naming only its id and externalId,
    and personal properties are erased from the deleted nodes' earlier records, so a deleted
    person's name, title or e-mail survives nowhere.
    """
    kind = record.KIND
    problems = ProblemCollector()
    check_reason(reason, problems)
    problems.raise_if_any()

    async def work(tx: AsyncManagedTransaction) -> N:
        old, account_id = await _lock_node(tx, principal, kind.label, node_id)
        _refuse_stale(kind.label, node_id, old, expected_updated_at)
        doomed = [(kind.label, node_id, old.get(EXTERNAL_ID_FIELD))]
        doomed += await _descendants(tx, principal, kind.label, [node_id])
        for label, doomed_kind in NODE_KINDS.items():
            ids = [i for lbl, i, _ in doomed if lbl == label]
            if not ids:
                continue
            await tx.run(DELETE_NODES[label], ids=ids, tenantId=principal.tenant_id)
            if doomed_kind.personal:
                await tx.run(
                    SCRUB_PERSONAL,
                    ids=ids,
                    fields=list(doomed_kind.personal),
                    tenantId=principal.tenant_id,
                )
        changes = [
            ChangeRecord(label, i, "DELETE", account_id, old_value={"externalId": external_id})
            for label, i, external_id in doomed
        ]
        await _audit(tx, principal, changes, reason)
        return record.from_stored(old)

    return await database.write(work)


# --- relationships --------------------------------------------------------------------


async def _unlock_ends(
    tx: AsyncManagedTransaction,
    principal: Principal,
    kind: RelationshipKind,
    source: str,
    target: str,
) -> None:
    await tx.run(UNLOCK_ENDS[kind.name], source=source, target=target, tenantId=principal.tenant_id)


async def _lock_relationship(
    tx: AsyncManagedTransaction,
    principal: Principal,
    kind: RelationshipKind,
    source: str,
    target: str,
) -> dict[str, Any]:
    """Take both ends' write locks (NotFound if either is missing), then read the
    relationship's properties, the accounts of both ends and any other of its kind the
    source has (for one-per-source kinds)."""
    params = {"source": source, "target": target, "tenantId": principal.tenant_id}
    try:
        ends = await _single(tx, LOCK_ENDS[kind.name], **params)
    except Neo4jError as error:
        if _deleted_meanwhile(error):
            raise NotFound(kind.name, relationship_key(source, target)) from None
        raise
    assert ends is not None  # OPTIONAL MATCH always answers one row
    if ends["source"] is None:
        raise NotFound(kind.source, source)
    if ends["target"] is None:
        raise NotFound(kind.target, target)
    state = await _single(tx, RELATIONSHIP_STATE[kind.name], **params)
    assert state is not None  # both ends are locked by this transaction
    return state


async def create_relationship(
    database: Database,
    principal: Principal,
    record: type[E],
    source: str,
    target: str,
    values: Mapping[str, Any],
    reason: str | None = None,
) -> E:
    """Create the relationship ``source -> target``; an existing one is a Conflict."""
    kind = record.KIND
    given = {k: v for k, v in values.items() if v is not None}
    static = _static_problems(kind, given, reason, creating=True)
    if kind.distinct_ends and source == target:
        static.add(f"{INPUT}.{kind.target_arg}", f"must differ from {kind.source_arg}")

    async def work(tx: AsyncManagedTransaction) -> E:
        state = await _lock_relationship(tx, principal, kind, source, target)
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
        if kind.one_per_source and state["elsewhere"] is not None:
            raise Conflict(
                f"'{source}' already has a {kind.name} (to '{state['elsewhere']}'); delete "
                "that one first"
            )
        now = now_iso()
        props = written_values(kind, None, given, now=now, today=_today(now))
        props |= {"updatedAt": now, "updatedBy": principal.actor}
        created = await _single(
            tx,
            CREATE_RELATIONSHIP[kind.name],
            source=source,
            target=target,
            props=props,
            tenantId=principal.tenant_id,
        )
        assert created is not None  # both ends are locked by this transaction
        key = relationship_key(source, target)
        await _audit(
            tx,
            principal,
            _changes(kind, key, "CREATE", account_id, {}, given, _evidence(kind, given)),
            reason,
        )
        await _unlock_ends(tx, principal, kind, source, target)
        return record.from_stored(created["props"], source_id=source, target_id=target)

    return await database.write(work)


def _evidence(kind: RelationshipKind, given: Mapping[str, Any]) -> dict[str, Any]:
    return {} if kind.evidence is None else {kind.evidence[0]: given.get(kind.evidence[1])}


async def update_relationship(
    database: Database,
    principal: Principal,
    record: type[E],
    source: str,
    target: str,
    values: Mapping[str, Any],
    reason: str | None = None,
    expected_updated_at: str | None = None,
) -> E:
    """Set the properties in ``values`` on ``source -> target`` (NotFound if there is none)."""
    kind = record.KIND
    _static_problems(kind, values, reason, creating=False).raise_if_any()

    async def work(tx: AsyncManagedTransaction) -> E:
        state = await _lock_relationship(tx, principal, kind, source, target)
        old = state["props"]
        key = relationship_key(source, target)
        if old is None:
            raise NotFound(kind.name, key)
        _refuse_stale(kind.name, key, old, expected_updated_at)
        now = now_iso()
        changed = written_values(kind, old, values, now=now, today=_today(now))
        if not changed:
            await _unlock_ends(tx, principal, kind, source, target)
            return record.from_stored(old, source_id=source, target_id=target)
        stamp = {"updatedAt": next_version(now, old.get("updatedAt")), "updatedBy": principal.actor}
        updated = await _single(
            tx,
            UPDATE_RELATIONSHIP[kind.name],
            source=source,
            target=target,
            changes={**changed, **stamp},
            tenantId=principal.tenant_id,
        )
        assert updated is not None  # locked a moment ago in this transaction
        changes = _changes(
            kind,
            key,
            "UPDATE",
            state["sourceAccount"],
            old,
            _asked(changed, values),
            _evidence(kind, values),
        )
        await _audit(tx, principal, changes, reason)
        await _unlock_ends(tx, principal, kind, source, target)
        return record.from_stored(updated["props"], source_id=source, target_id=target)

    return await database.write(work)


async def delete_relationship(
    database: Database,
    principal: Principal,
    record: type[E],
    source: str,
    target: str,
    reason: str | None = None,
    expected_updated_at: str | None = None,
) -> E:
    """Delete ``source -> target`` (NotFound if there is none); returns it as it was."""
    kind = record.KIND
    problems = ProblemCollector()
    check_reason(reason, problems)
    problems.raise_if_any()

    async def work(tx: AsyncManagedTransaction) -> E:
        state = await _lock_relationship(tx, principal, kind, source, target)
        key = relationship_key(source, target)
        if state["props"] is None:
            raise NotFound(kind.name, key)
        _refuse_stale(kind.name, key, state["props"], expected_updated_at)
        await tx.run(
            DELETE_RELATIONSHIP[kind.name],
            source=source,
            target=target,
            tenantId=principal.tenant_id,
        )
        changes = [ChangeRecord(kind.name, key, "DELETE", state["sourceAccount"])]
        await _audit(tx, principal, changes, reason)
        await _unlock_ends(tx, principal, kind, source, target)
        return record.from_stored(state["props"], source_id=source, target_id=target)

    return await database.write(work)
