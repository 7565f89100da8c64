"""Import and export of the account document (docs/document.md).

Import
    The document is validated completely first (:func:`validate_document`); then everything
    happens in ONE write transaction: the checks that need the store (references to stored
    playbook entries, accounts, stakeholders; stakeholders that belong to another account),
    then per entity kind a read-only ``diff`` statement and writes of only the rows that
    differ (each an ``UNWIND`` over batches of :data:`BATCH_SIZE` rows, free of Eager
    buffering), then (REPLACE) the removals, then the audit. Each node is looked up by
    (tenantId, externalId) once, by its kind's diff (or made by its ``create``); later
    statements reach it by element id, held for the transaction only (see the Cypher notes
    below), and a relationship with an endpoint created by this import is created without a
    diff: it cannot exist yet. A check that fails raises :class:`InvalidInput` inside the
    transaction, so nothing lands. The transaction's state
    grows with the document (Neo4j keeps about 0.6-1 KB per relationship and 5 KB per
    stakeholder until commit): a 5,000-stakeholder account with 55,000 edges needs a
    per-transaction memory cap (``db.memory.transaction.max``) above 128 MiB.

    Nodes are keyed on ``(tenantId, externalId)``: a node the diff does not find is CREATEd
    (should a concurrent import create it first, the uniqueness constraint refuses the second
    one: :class:`Conflict`, and nothing lands). The properties the document defines are
    set to what it says (an absent optional property is removed), and ``updatedAt`` /
    ``updatedBy`` move only when a value actually changed, so importing the same document
    twice leaves the graph exactly as it was (no audit record either: nothing changed).
    The same holds for relationship properties. Further decisions:

    * A stakeholder, opportunity or alternative never moves: an externalId stored under
      another account (opportunity) is refused with the path of the entry.
    * ``reportsTo`` is single-valued: naming a manager replaces the previous one, in MERGE
      too; omitting it leaves the stored manager in MERGE and removes it in REPLACE.
    * In MERGE a document may reference stakeholders (alternatives) it does not define when
      they are stored under the same account (opportunity), so a small document can add one
      edge. In REPLACE every reference must be in the document.

    REPLACE makes each listed account exactly what the document says, where "the account" is
    what :func:`export_document` shows: its stakeholders, the REPORTS_TO / INFLUENCES /
    CONFLICTS_WITH edges among them, its opportunities with their alternatives, the seats and
    advocacy of its stakeholders on them, and its stakeholders' CARES_ABOUT / COACHED_ON /
    HEARD. Playbook entries are shared by the tenant and never deleted; the ADDRESSES of a
    listed argument are replaced, and so are its CITES of the accounts the document lists
    (a citation of an account outside the document is outside its scope and stays).

Export
    One read transaction, a few statements (not one per row). The document holds the account
    and the playbook entries it references: the concerns its stakeholders care about, the
    arguments they were coached on or heard plus every argument addressing one of those
    concerns (so a coaching plan computed from the export considers the same arguments), and
    the concerns those arguments address (an argument is exported whole, so a REPLACE
    import of the export leaves it unchanged). An argument's ``cites`` keeps only the
    accounts in the document: others would dangle in another tenant. Lists are sorted by
    externalId and defaults are omitted, exactly as :func:`canonical` writes a document; a
    node stored without an externalId is exported under its id.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain import kinds
from graph_api.domain.document import (
    LAYOUT,
    Document,
    DocumentInvalid,
    Reference,
    Section,
    canonical,
    sort_problems,
    validate_document,
)
from graph_api.domain.enums import ImportMode
from graph_api.domain.ids import new_id
from graph_api.domain.principal import Principal
from graph_api.domain.validation import written_values
from graph_api.errors import InvalidInput, NotFound, Problem
from graph_api.repositories.audit import (
    ChangeRecord,
    now_iso,
    record_changes,
    relationship_key,
)

# Rows per statement. Each statement of an import is one UNWIND over a batch: few round trips,
# and a bounded amount of query memory per statement (Aura and the local server cap it).
BATCH_SIZE = 5_000

# ---------------------------------------------------------------------------------------------
# Cypher. Labels, types and property names come from the fixed tables below, never from
# input; every value is a parameter. ``_DIFFERS`` holds when a stored value differs from the
# row's (a null in the row means the property is absent).
#
# Inside the import's one transaction, every node the document names is looked up by
# (tenantId, externalId) once: the node kind's ``diff`` returns the element ids of the stored
# ones, its ``create`` those of the new ones. Every later statement finds its nodes by element
# id (``NodeByElementIdSeek``: constant time however much the transaction has written), never
# again through the composite index, whose seeks slow down with every uncommitted node of the
# label and whose plans, when first made against an empty store, scan. Element ids never leave
# the transaction. The lookups that remain carry an index hint, so no plan scans a label.

_DIFFERS = (
    "any(k IN keys(row.props) WHERE NOT coalesce({v}[k] = row.props[k],"
    " {v}[k] IS NULL AND row.props[k] IS NULL))"
)


def _set(variable: str, names: Iterable[str]) -> str:
    """``SET v.a = row.props.a, …``: named properties, so the planner sees what is written."""
    return ", ".join(f"{variable}.{name} = row.props.{name}" for name in names)


def _by_key(variable: str, label: str, key: str) -> str:
    """``(v:Label {tenantId, externalId: key})`` through the (tenantId, externalId) index."""
    return (
        f"({variable}:{label} {{tenantId: $tenantId, externalId: {key}}})\n"
        f"USING INDEX SEEK {variable}:{label}(tenantId, externalId)"
    )


def _by_element_id(variable: str, label: str, key: str) -> str:
    return f"MATCH ({variable}:{label}) WHERE elementId({variable}) = {key}"


@dataclass(frozen=True)
class _NodeKind:
    """A node kind of the document and the statements that write it.

    ``diff`` (read-only) returns, for the rows whose node is stored, the node's element id and
    id and whether it differs and is linked under its parent; ``create`` makes the missing
    nodes (and their link to the parent) and returns their element ids; ``update`` and
    ``link`` touch only the stored rows that differ or are not linked. Reading and writing in
    separate statements keeps each one free of Eager buffering, and a re-import of an
    unchanged document writes nothing at all. Rows name their parent by element id.
    """

    label: str
    parent: tuple[str, str] | None = None  # (parent label, pattern joining n and p)

    @property
    def properties(self) -> tuple[str, ...]:
        return kinds.NODE_KINDS[self.label].prop_names

    @property
    def diff(self) -> str:
        linked = "true"
        if self.parent is not None:
            linked = f"EXISTS {{ MATCH {self.parent[1]} WHERE elementId(p) = row.parent }}"
        return f"""UNWIND $rows AS row
MATCH {_by_key("n", self.label, "row.externalId")}
RETURN collect([row.i, elementId(n), n.id, {_DIFFERS.format(v="n")}, {linked}]) AS found"""

    @property
    def create(self) -> str:
        query = f"""UNWIND $rows AS row
CREATE (n:{self.label} {{tenantId: $tenantId, externalId: row.externalId, id: row.id,
  createdAt: $now}})
SET {_set("n", self.properties)}, n.updatedAt = $now, n.updatedBy = $actor"""
        if self.parent is not None:
            parent_label, pattern = self.parent
            query += f"""
WITH row, n
{_by_element_id("p", parent_label, "row.parent")}
CREATE {pattern}"""
        return f"{query}\nRETURN collect([row.i, elementId(n)]) AS created"

    @property
    def update(self) -> str:
        return f"""UNWIND $rows AS row
{_by_element_id("n", self.label, "row.node")}
SET {_set("n", self.properties)}, n.updatedAt = $now, n.updatedBy = $actor"""

    @property
    def link(self) -> str:
        assert self.parent is not None
        parent_label, pattern = self.parent
        return f"""UNWIND $rows AS row
{_by_element_id("n", self.label, "row.node")}
{_by_element_id("p", parent_label, "row.parent")}
MERGE {pattern}"""


@dataclass(frozen=True)
class _RelationshipKind:
    """A relationship type of the document, its endpoints named by element id.

    ``diff`` (read-only) returns the rows whose relationship is missing or differs, with the
    element id of the stored one; ``create`` makes the missing ones (no MERGE: the diff, or an
    endpoint created by this import, says none exists) and ``update`` sets the differing ones.
    """

    kind: kinds.RelationshipKind

    @property
    def source(self) -> str:
        return self.kind.source

    @property
    def type(self) -> str:
        return self.kind.type

    @property
    def target(self) -> str:
        return self.kind.target

    @property
    def stamped(self) -> bool:
        """Whether the import sets stamps (verifiedAt, stanceUpdatedAt) from what is stored:
        then the diff answers each row's stored properties."""
        return any(p.stamp is not None for p in self.kind.props)

    @property
    def diff(self) -> str:
        return f"""UNWIND $rows AS row
{_by_element_id("a", self.source, "row.source")}
{_by_element_id("b", self.target, "row.target")}
OPTIONAL MATCH (a)-[r:{self.type}]->(b)
WITH row, r
WHERE r IS NULL OR {_DIFFERS.format(v="r")}
{self._returns}"""

    @property
    def _returns(self) -> str:
        if self.stamped:  # per row: what the import stamps depends on the stored values
            return "RETURN row.i AS i, elementId(r) AS r, properties(r) AS before"
        return """RETURN collect(CASE WHEN r IS NULL THEN row.i END) AS created,
  collect(CASE WHEN r IS NOT NULL THEN [row.i, elementId(r)] END) AS updated"""

    @property
    def _names(self) -> tuple[str, ...]:
        return self.kind.prop_names

    @property
    def create(self) -> str:
        query = f"""UNWIND $rows AS row
{_by_element_id("a", self.source, "row.source")}
{_by_element_id("b", self.target, "row.target")}
CREATE (a)-[r:{self.type}]->(b)
SET r.updatedAt = $now, r.updatedBy = $actor"""
        return f"{query}, {_set('r', self._names)}" if self._names else query

    @property
    def update(self) -> str:
        assert self._names
        return f"""UNWIND $rows AS row
MATCH (:{self.source})-[r:{self.type}]->(:{self.target}) WHERE elementId(r) = row.rel
SET {_set("r", self._names)}, r.updatedAt = $now, r.updatedBy = $actor"""


def _delete_relationships(source: str, rel_type: str, target: str) -> str:
    return (
        f"UNWIND $rows AS row\n"
        f"MATCH (a:{source} {{id: row.source}})-[r:{rel_type}]->(b:{target} {{id: row.target}})\n"
        f"WHERE a.tenantId = $tenantId AND b.tenantId = $tenantId\n"
        f"DELETE r\n"
        f"RETURN count(r) AS deleted"
    )


def _delete_nodes(label: str) -> str:
    return (
        f"UNWIND $ids AS key\n"
        f"MATCH (n:{label} {{id: key}}) WHERE n.tenantId = $tenantId\n"
        f"OPTIONAL MATCH (n)-[r]-()\n"
        f"WITH collect(DISTINCT n) AS nodes, collect(DISTINCT r) AS rels\n"
        f"FOREACH (r IN rels | DELETE r)\n"
        f"FOREACH (n IN nodes | DELETE n)\n"
        f"RETURN size(nodes) AS deleted, size(rels) AS relationships"
    )


def _existing(label: str) -> str:
    return f"UNWIND $keys AS key\nMATCH {_by_key('n', label, 'key')}\nRETURN key"


def _resolve(label: str) -> str:
    """Stored nodes the document references without defining them, by externalId."""
    return (
        f"UNWIND $keys AS key\nMATCH {_by_key('n', label, 'key')}\n"
        f"RETURN collect([key, elementId(n), n.id]) AS found"
    )


def _elsewhere(label: str, pattern: str) -> str:
    """Rows ``{key, scope}`` whose ``label`` node is not stored under parent ``scope``, with
    the parents it is stored under (none when it is not stored at all)."""
    return (
        f"UNWIND $rows AS row\n"
        f"OPTIONAL MATCH {_by_key('n', label, 'row.key')}\n"
        f"WITH row, CASE WHEN n IS NULL THEN [] ELSE [{pattern} WHERE p.tenantId = $tenantId"
        f" | coalesce(p.externalId, p.id)] END AS owners\n"
        f"WHERE NOT row.scope IN owners\n"
        f"RETURN row.key AS key, row.scope AS scope, owners"
    )


def _node_kind(section: Section) -> _NodeKind:
    kind = section.kind
    if kind.parent is None:
        return _NodeKind(kind.label)
    rel = kind.parent.rel_type
    pattern = f"(n)-[:{rel}]->(p)" if kind.parent.child_points_to_parent else f"(p)-[:{rel}]->(n)"
    return _NodeKind(kind.label, (kind.parent.label, pattern))


def _sections(sections: Iterable[Section]) -> Iterable[Section]:
    for section in sections:
        yield section
        yield from _sections(section.sections)


# In the order they are written (parents first, then the relationships).
NODE_KINDS = {s.kind.label: _node_kind(s) for s in _sections(LAYOUT)}
RELATIONSHIP_KINDS = {
    link.kind.type: _RelationshipKind(link.kind)
    for section in _sections(LAYOUT)
    for link in section.links
}
DELETE_RELATIONSHIPS = {
    t: _delete_relationships(k.source, t, k.target) for t, k in RELATIONSHIP_KINDS.items()
}
DELETE_NODES = {
    label: _delete_nodes(label) for label in ("Stakeholder", "Opportunity", "Alternative")
}
# In MERGE too, naming a manager replaces the previous one (REPORTS_TO is single-valued).
DROP_OTHER_MANAGERS = f"""
UNWIND $rows AS row
{_by_element_id("s", "Stakeholder", "row.source")}
MATCH (s)-[r:REPORTS_TO]->(m) WHERE elementId(m) <> row.target
DELETE r
RETURN row.account AS account, count(r) AS deleted
"""

EXISTING = {label: _existing(label) for label in ("Concern", "Argument", "Account")}
RESOLVE = {label: _resolve(label) for label in NODE_KINDS}
ELSEWHERE = {
    "Stakeholder": _elsewhere("Stakeholder", "(n)-[:WORKS_AT]->(p:Account)"),
    "Opportunity": _elsewhere("Opportunity", "(p:Account)-[:HAS_OPPORTUNITY]->(n)"),
    "Alternative": _elsewhere("Alternative", "(p:Opportunity)-[:CONSIDERS]->(n)"),
}
PARENT_LABEL = {"Stakeholder": "account", "Opportunity": "account", "Alternative": "opportunity"}

# --- Loading an account as the document sees it (export, and REPLACE's comparison) ---------

FIND_ACCOUNT_BY_ID = """
MATCH (a:Account {id: $key}) WHERE a.tenantId = $tenantId RETURN a.id AS id
"""
FIND_ACCOUNT_BY_EXTERNAL_ID = """
MATCH (a:Account {tenantId: $tenantId, externalId: $key}) RETURN a.id AS id
"""
LOAD_ACCOUNTS = """
UNWIND $accountIds AS accountId
MATCH (a:Account {id: accountId}) WHERE a.tenantId = $tenantId
RETURN a.id AS account, properties(a) AS props
"""
_KEY = "coalesce({v}.externalId, {v}.id)"


def _links(pattern: str, other: str, where: str = "") -> str:
    """A pattern comprehension: each link as ``{id, key, props}`` of its other end."""
    key = f"coalesce({other}.externalId, {other}.id)"
    return f"[{pattern} {where} | {{id: {other}.id, key: {key}, props: properties(r)}}]"


# A stakeholder with every link the document holds: far fewer records than one per edge.
_SAME_ACCOUNT = "WHERE EXISTS { (t)-[:WORKS_AT]->(a) }"
LOAD_STAKEHOLDERS = f"""
UNWIND $accountIds AS accountId
MATCH (a:Account {{id: accountId}})<-[:WORKS_AT]-(s:Stakeholder)
WHERE a.tenantId = $tenantId AND s.tenantId = $tenantId
RETURN a.id AS account, properties(s) AS props,
  {_links("(s)-[r:REPORTS_TO]->(t:Stakeholder)", "t", _SAME_ACCOUNT)} AS reportsTo,
  {_links("(s)-[r:INFLUENCES]->(t:Stakeholder)", "t", _SAME_ACCOUNT)} AS influences,
  {_links("(s)-[r:CONFLICTS_WITH]->(t:Stakeholder)", "t", _SAME_ACCOUNT)} AS conflicts,
  {_links("(s)-[r:CARES_ABOUT]->(c:Concern)", "c", "WHERE c.tenantId = $tenantId")} AS concerns,
  {_links("(s)-[r:COACHED_ON]->(g:Argument)", "g", "WHERE g.tenantId = $tenantId")} AS coachedOn,
  {_links("(s)-[r:HEARD]->(g:Argument)", "g", "WHERE g.tenantId = $tenantId")} AS heard
"""
LOAD_OPPORTUNITIES = f"""
UNWIND $accountIds AS accountId
MATCH (a:Account {{id: accountId}})-[:HAS_OPPORTUNITY]->(o:Opportunity)
WHERE a.tenantId = $tenantId AND o.tenantId = $tenantId
RETURN a.id AS account, properties(o) AS props,
  [(o)-[:CONSIDERS]->(x:Alternative) WHERE x.tenantId = $tenantId | properties(x)]
    AS alternatives,
  [(s:Stakeholder)-[r:SITS_ON]->(o) WHERE EXISTS {{ (s)-[:WORKS_AT]->(a) }}
   | {{sourceId: s.id, sourceKey: {_KEY.format(v="s")}, targetId: o.id,
       targetKey: {_KEY.format(v="o")}, props: properties(r)}}] AS committee,
  [(s:Stakeholder)-[r:ADVOCATES_FOR]->(x:Alternative)<-[:CONSIDERS]-(o)
   WHERE EXISTS {{ (s)-[:WORKS_AT]->(a) }}
   | {{sourceId: s.id, sourceKey: {_KEY.format(v="s")}, targetId: x.id,
       targetKey: {_KEY.format(v="x")}, props: properties(r)}}] AS advocacy
"""
LOAD_ARGUMENTS = f"""
MATCH (g:Argument) WHERE g.tenantId = $tenantId
  AND ({_KEY.format(v="g")} IN $arguments
       OR EXISTS {{ (g)-[:ADDRESSES]->(c:Concern) WHERE {_KEY.format(v="c")} IN $concerns }})
RETURN properties(g) AS props,
  [(g)-[r:ADDRESSES]->(c:Concern) WHERE c.tenantId = $tenantId
   | {{id: c.id, key: {_KEY.format(v="c")}, props: properties(r)}}] AS addresses,
  [(g)-[:CITES]->(x:Account) WHERE x.tenantId = $tenantId
   | {{id: x.id, key: {_KEY.format(v="x")}, props: {{}}}}] AS cites
"""
LOAD_CONCERNS = f"""
MATCH (c:Concern) WHERE c.tenantId = $tenantId AND {_KEY.format(v="c")} IN $concerns
RETURN properties(c) AS props
"""

# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class ChangeCounts:
    """How many entities an import created, updated (a value changed) and deleted."""

    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass(frozen=True)
class ImportedAccount:
    id: str
    external_id: str
    created: bool
    changed: bool  # the account or anything of it changed


@dataclass
class ImportSummary:
    """What an import did. ``nodes`` is by label; ``relationships`` counts every type,
    including those removed with a deleted node."""

    mode: ImportMode
    accounts: list[ImportedAccount] = field(default_factory=list)
    nodes: dict[str, ChangeCounts] = field(default_factory=dict)
    relationships: ChangeCounts = field(default_factory=ChangeCounts)
    stance_changes: int = 0

    @property
    def changed(self) -> bool:
        return self.relationships.total > 0 or any(c.total for c in self.nodes.values())


# ---------------------------------------------------------------------------------------------
# Import


async def import_document(
    database: Database,
    principal: Principal,
    document: Any,
    mode: ImportMode = ImportMode.MERGE,
    reason: str | None = None,
) -> ImportSummary:
    """Validate ``document`` and apply it to the caller's tenant atomically.

    Raises:
        InvalidInput: every problem by JSON path; nothing was written.
        Conflict: a concurrent import created the same externalId first.
    """
    try:
        parsed = validate_document(document, mode, today=now_iso()[:10])
    except DocumentInvalid as refused:
        unresolved, problems = refused.unresolved, refused.problems
        if not unresolved:
            raise

        async def check(tx: AsyncManagedTransaction) -> list[Problem]:
            run = _ImportRun(tx, principal, mode, _Rows.of(Document({})))
            return await run.unresolved(unresolved)

        store_problems = await database.read(check)
        raise InvalidInput(sort_problems([*problems, *store_problems])) from None
    rows = _Rows.of(parsed)

    async def work(tx: AsyncManagedTransaction) -> ImportSummary:
        run = _ImportRun(tx, principal, mode, rows)
        await run.check_store(parsed)
        await run.upsert()
        if mode is ImportMode.REPLACE:
            await run.remove_unlisted(parsed)
        await record_changes(tx, principal.tenant_id, principal.actor, run.audit(), reason)
        return run.summary

    return await database.write(work)


Row = dict[str, Any]


@dataclass
class _Rows:
    """The document as statement parameters: rows by node label and by relationship type.

    Every row carries ``i``, its index in its list, by which a diff statement names it.
    """

    nodes: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    relationships: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    @staticmethod
    def of(document: Document) -> _Rows:
        rows = _Rows()
        for label, table in document.nodes.items():
            rows.nodes[label] = [
                {
                    "externalId": r["externalId"],
                    "account": r["account"],
                    "parent": r["parent"],
                    "props": r["props"],
                    "i": i,
                }
                for i, r in enumerate(table)
            ]
        for rel_type, table in document.links.items():
            rows.relationships[rel_type] = [{**r, "i": i} for i, r in enumerate(table)]
        return rows


@dataclass(frozen=True)
class _NodeRef:
    """A node of the import: its element id (this transaction only) and its id."""

    element_id: str
    id: str
    created: bool = False  # by this import, so it has no relationship but its parent link


class _ImportRun:
    """One import inside its write transaction: checks, writes, tallies."""

    def __init__(
        self, tx: AsyncManagedTransaction, principal: Principal, mode: ImportMode, rows: _Rows
    ) -> None:
        self.tx = tx
        self.principal = principal
        self.mode = mode
        self.rows = rows
        self.now = now_iso()
        self.summary = ImportSummary(mode=mode)
        self.account_ids: dict[str, str] = {}
        self.account_changes: dict[str | None, ChangeCounts] = defaultdict(ChangeCounts)
        self.seat_changes: list[ChangeRecord] = []
        self.created_accounts: set[str] = set()
        # The nodes the document names, by (label, externalId): found or created by this
        # import. Their element ids serve this transaction only and are never returned.
        self.nodes: dict[tuple[str, str], _NodeRef] = {}

    async def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run ``query`` over its list parameter in batches of :data:`BATCH_SIZE` rows."""
        ((name, items),) = ((k, v) for k, v in params.items() if k in ("rows", "keys", "ids"))
        records: list[dict[str, Any]] = []
        for start in range(0, len(items), BATCH_SIZE):
            result = await self.tx.run(
                query,
                {**params, name: items[start : start + BATCH_SIZE]},
                tenantId=self.principal.tenant_id,
                now=self.now,
                actor=self.principal.actor,
            )
            records.extend([dict(record) async for record in result])
        return records

    # --- checks that need the store -----------------------------------------------------

    async def check_store(self, document: Document) -> None:
        problems = await self.unresolved(document.references)
        problems.extend(await self._moved(document))
        if problems:
            raise InvalidInput(sort_problems(problems))

    async def unresolved(self, references: list[Reference]) -> list[Problem]:
        """The references the tenant's stored graph does not resolve, as problems."""
        problems: list[Problem] = []
        by_label: dict[str, list[Reference]] = defaultdict(list)
        for reference in references:
            by_label[reference.label].append(reference)

        for label in ("Concern", "Argument", "Account"):
            wanted = by_label.get(label, [])
            if not wanted:
                continue
            keys = sorted({w.external_id for w in wanted})
            found = {r["key"] for r in await self._run(EXISTING[label], keys=keys)}
            where = "this document's playbook" if label != "Account" else "this document"
            problems.extend(
                Problem(
                    w.path,
                    f"unknown {label.lower()} {w.external_id!r}: not in {where} "
                    "nor stored in the tenant",
                )
                for w in wanted
                if w.external_id not in found
            )

        # Stored members referenced in MERGE must sit under the same account / opportunity.
        for label in ("Stakeholder", "Alternative"):
            wanted = by_label.get(label, [])
            if not wanted:
                continue
            missing = await self._elsewhere(label, {(w.external_id, w.scope) for w in wanted})
            parent = PARENT_LABEL[label]
            problems.extend(
                Problem(
                    w.path,
                    f"unknown {label.lower()} {w.external_id!r}: not in this document nor "
                    f"stored under {parent} {w.scope!r}",
                )
                for w in wanted
                if (w.external_id, w.scope) in missing
            )
        return problems

    async def _moved(self, document: Document) -> list[Problem]:
        """Entries the document defines must not be stored under another parent."""
        problems: list[Problem] = []
        for label, defined in self._defined(document).items():
            moved = await self._elsewhere(label, {(key, scope) for key, scope, _ in defined})
            parent = PARENT_LABEL[label]
            for key, scope, path in defined:
                owners = moved.get((key, scope))
                if owners:  # stored, and not under this parent
                    problems.append(
                        Problem(
                            f"{path}.externalId",
                            f"{label.lower()} {key!r} is stored under {parent} "
                            f"{owners[0]!r}, not {scope!r}; it cannot move (delete it there "
                            "first, or use another externalId)",
                        )
                    )
        return problems

    async def _elsewhere(
        self, label: str, pairs: set[tuple[str, str | None]]
    ) -> dict[tuple[str, str | None], list[str]]:
        """Of the (externalId, parent) pairs, those not stored under that parent: the parents
        each is stored under instead (empty when it is not stored at all)."""
        rows = [{"key": key, "scope": scope} for key, scope in sorted(pairs, key=str)]
        records = await self._run(ELSEWHERE[label], rows=rows)
        return {(r["key"], r["scope"]): r["owners"] for r in records}

    @staticmethod
    def _defined(document: Document) -> dict[str, list[tuple[str, str, str]]]:
        """(externalId, parent externalId, path) of every child entry the document defines."""
        return {
            label: [(r["externalId"], r["parent"], r["path"]) for r in document.children(label)]
            for label in ("Stakeholder", "Opportunity", "Alternative")
        }

    # --- writes ----------------------------------------------------------------------------

    async def upsert(self) -> None:
        for label, kind in NODE_KINDS.items():
            if self.rows.nodes.get(label):
                await self._write_nodes(kind, self.rows.nodes[label])
        self.account_ids = {
            row["externalId"]: self.nodes["Account", row["externalId"]].id
            for row in self.rows.nodes.get("Account", [])
        }
        await self._resolve_references()
        await self._drop_other_managers()
        for rel_type, rel_kind in RELATIONSHIP_KINDS.items():
            if self.rows.relationships.get(rel_type):
                await self._write_relationships(rel_kind, self.rows.relationships[rel_type])

    def _parent(self, kind: _NodeKind, row: Row) -> str | None:
        """The element id of the row's parent (written before its children)."""
        if kind.parent is None:
            return None
        return self.nodes[kind.parent[0], row["parent"]].element_id

    async def _write_nodes(self, kind: _NodeKind, rows: list[Row]) -> None:
        counts = self.summary.nodes.setdefault(kind.label, ChangeCounts())
        parents = [self._parent(kind, row) for row in rows]
        found: dict[int, list[Any]] = {}
        diff_rows = [
            {
                "i": row["i"],
                "externalId": row["externalId"],
                "props": row["props"],
                "parent": parent,
            }
            for row, parent in zip(rows, parents, strict=True)
        ]
        for diff in await self._run(kind.diff, rows=diff_rows):
            found.update((entry[0], entry) for entry in diff["found"])

        created: list[Row] = []
        updated: list[Row] = []
        unlinked: list[Row] = []
        for row, parent in zip(rows, parents, strict=True):
            changes = self.account_changes[row["account"]]
            entry = found.get(row["i"])
            if entry is None:
                changes.created += 1
                if kind.parent is not None:  # and its link to the parent
                    changes.created += 1
                created.append(
                    {
                        "i": row["i"],
                        "externalId": row["externalId"],
                        "id": new_id(kind.label),
                        "props": row["props"],
                        "parent": parent,
                    }
                )
                continue
            _, element_id, node_id, changed, linked = entry
            self.nodes[kind.label, row["externalId"]] = _NodeRef(element_id, node_id)
            if changed:
                changes.updated += 1
                updated.append({"node": element_id, "props": row["props"]})
            if not linked:
                changes.created += 1
                unlinked.append({"node": element_id, "parent": parent})
        counts.created += len(created)
        counts.updated += len(updated)
        self.summary.relationships.created += len(unlinked)
        if kind.parent is not None:
            self.summary.relationships.created += len(created)
        if kind.label == "Account":
            self.created_accounts.update(row["externalId"] for row in created)

        if created:
            made: dict[int, str] = {}
            for result in await self._run(kind.create, rows=created):
                made.update((i, element_id) for i, element_id in result["created"])
            for row in created:
                self.nodes[kind.label, row["externalId"]] = _NodeRef(
                    made[row["i"]], row["id"], created=True
                )
        if updated:
            await self._run(kind.update, rows=updated)
        if unlinked:
            await self._run(kind.link, rows=unlinked)

    async def _resolve_references(self) -> None:
        """Look up the stored nodes the relationships name and the document does not define
        (MERGE's references to stored stakeholders, the stored playbook, cited accounts)."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for rel_type, rows in self.rows.relationships.items():
            kind = RELATIONSHIP_KINDS[rel_type]
            for row in rows:
                for label, key in ((kind.source, row["source"]), (kind.target, row["target"])):
                    if (label, key) not in self.nodes:
                        wanted[label].add(key)
        for label, keys in wanted.items():
            for result in await self._run(RESOLVE[label], keys=sorted(keys)):
                for key, element_id, node_id in result["found"]:
                    self.nodes[label, key] = _NodeRef(element_id, node_id)

    def _endpoints(self, kind: _RelationshipKind, row: Row) -> tuple[_NodeRef, _NodeRef] | None:
        source = self.nodes.get((kind.source, row["source"]))
        target = self.nodes.get((kind.target, row["target"]))
        # check_store found every reference; one gone since is left out, as MATCH would
        return None if source is None or target is None else (source, target)

    async def _drop_other_managers(self) -> None:
        """Stakeholders stored before this import lose a manager the document does not name."""
        kind = RELATIONSHIP_KINDS["REPORTS_TO"]
        rows = []
        for row in self.rows.relationships.get("REPORTS_TO", []):
            ends = self._endpoints(kind, row)
            if ends is not None and not ends[0].created:
                rows.append(
                    {
                        "account": row["account"],
                        "source": ends[0].element_id,
                        "target": ends[1].element_id,
                    }
                )
        if rows:
            for r in await self._run(DROP_OTHER_MANAGERS, rows=rows):
                self.summary.relationships.deleted += r["deleted"]
                self.account_changes[r["account"]].deleted += r["deleted"]

    async def _write_relationships(self, kind: _RelationshipKind, rows: list[Row]) -> None:
        ends: dict[int, tuple[_NodeRef, _NodeRef]] = {}
        created: set[int] = set()
        stored: list[Row] = []  # rows whose endpoints were both stored before this import
        for row in rows:
            found = self._endpoints(kind, row)
            if found is None:
                continue
            ends[row["i"]] = found
            if found[0].created or found[1].created:
                created.add(row["i"])  # a node created just now has no relationship yet
            else:
                stored.append(
                    {
                        "i": row["i"],
                        "source": found[0].element_id,
                        "target": found[1].element_id,
                        "props": row["props"],
                    }
                )
        updated: dict[int, list[str]] = defaultdict(list)  # row -> differing relationships
        before: dict[int, dict[str, Any] | None] = {}
        for diff in await self._run(kind.diff, rows=stored) if stored else []:
            if kind.stamped:
                if diff["r"] is None:
                    created.add(diff["i"])
                else:
                    updated[diff["i"]].append(diff["r"])
                before.setdefault(diff["i"], diff["before"])  # parallel duplicates: the first
            else:
                created.update(diff["created"])
                for i, element_id in diff["updated"]:
                    updated[i].append(element_id)
        for i in created:
            self.account_changes[rows[i]["account"]].created += 1
        for i in updated:
            self.account_changes[rows[i]["account"]].updated += 1
        self.summary.relationships.created += len(created)
        self.summary.relationships.updated += len(updated)

        props = {
            i: self._stamped(kind, rows[i], before.get(i), ends[i])
            if kind.stamped
            else rows[i]["props"]
            for i in (*created, *updated)
        }
        if created:
            await self._run(
                kind.create,
                rows=[
                    {
                        "source": ends[i][0].element_id,
                        "target": ends[i][1].element_id,
                        "props": props[i],
                    }
                    for i in sorted(created)
                ],
            )
        if updated:
            await self._run(
                kind.update,
                rows=[
                    {"rel": element_id, "props": props[i]}
                    for i in sorted(updated)
                    for element_id in updated[i]
                ],
            )

    def _stamped(
        self,
        kind: _RelationshipKind,
        row: Row,
        before: dict[str, Any] | None,
        ends: tuple[_NodeRef, _NodeRef],
    ) -> dict[str, Any]:
        """Every property the relationship will hold: the document's values, its stamps
        (``verifiedAt``, ``stanceUpdatedAt``…) set as a mutation would, stored ones kept.
        A stance set or changed is audited, with its evidence."""
        changes = written_values(kind.kind, before, row["props"], now=self.now, today=self.now[:10])
        props = {name: (before or {}).get(name) for name in kind.kind.prop_names}
        props |= row["props"] | changes
        audited = kind.kind.evidence
        if audited is not None and audited[0] in changes:
            field_name, evidence = audited
            default = kind.kind.prop(field_name).default_value("")

            def shown(value: Any) -> Any:  # a default is stored as no value: name it
                return default if value is None else value

            self.summary.stance_changes += 1
            self.seat_changes.append(
                ChangeRecord(
                    entity_kind=kind.kind.name,
                    entity_id=relationship_key(ends[0].id, ends[1].id),
                    action="CREATE" if before is None else "UPDATE",
                    account_id=self.account_ids.get(row["account"]),
                    field=field_name,
                    old_value=None if before is None else shown(before.get(field_name)),
                    new_value=shown(props[field_name]),
                    evidence=props.get(evidence),
                )
            )
        return props

    # --- REPLACE ---------------------------------------------------------------------------

    async def remove_unlisted(self, document: Document) -> None:
        """Delete what each listed account holds and the document no longer lists."""
        listed = _Listed(document)
        stored = await _load_accounts(
            self.tx, self.principal.tenant_id, [self.account_ids[a] for a in document.accounts]
        )
        doomed_nodes: dict[str, list[str]] = defaultdict(list)
        doomed_links: dict[str, list[Row]] = defaultdict(list)
        for key in document.accounts:
            graph = stored[self.account_ids[key]]
            nodes, links = _unlisted(listed, key, graph)
            per_account = self.account_changes[key]
            for label, ids in nodes.items():
                doomed_nodes[label].extend(ids)
                per_account.deleted += len(ids)
            for rel_type, pairs in links.items():
                doomed_links[rel_type].extend(pairs)
                per_account.deleted += len(pairs)

        for rel_type, pairs in doomed_links.items():
            for r in await self._run(DELETE_RELATIONSHIPS[rel_type], rows=pairs):
                self.summary.relationships.deleted += r["deleted"]
        # Alternatives before opportunities: deleting an opportunity takes its options along.
        for label in ("Stakeholder", "Alternative", "Opportunity"):
            if doomed_nodes.get(label):
                for r in await self._run(DELETE_NODES[label], ids=doomed_nodes[label]):
                    self.summary.nodes.setdefault(label, ChangeCounts()).deleted += r["deleted"]
                    self.summary.relationships.deleted += r["relationships"]

        arguments = [r["externalId"] for r in document.nodes.get("Argument", [])]
        if arguments:
            await self._replace_argument_links(listed, set(document.accounts), arguments)

    async def _replace_argument_links(
        self, listed: _Listed, listed_accounts: set[str], arguments: list[str]
    ) -> None:
        stored = await _load_arguments(self.tx, self.principal.tenant_id, arguments, [])
        doomed: dict[str, list[Row]] = defaultdict(list)
        for argument in arguments:
            found = stored.get(argument)
            if found is None:
                continue
            addressed = listed.targets("ADDRESSES", argument)
            cited = listed.targets("CITES", argument)
            doomed["ADDRESSES"].extend(
                {"source": found.id, "target": link.id}
                for link in found.links["addresses"]
                if link.key not in addressed
            )
            doomed["CITES"].extend(
                {"source": found.id, "target": link.id}
                for link in found.links["cites"]
                if link.key in listed_accounts and link.key not in cited
            )
        for rel_type, pairs in doomed.items():
            if pairs:
                for r in await self._run(DELETE_RELATIONSHIPS[rel_type], rows=pairs):
                    self.summary.relationships.deleted += r["deleted"]
                    self.account_changes[None].deleted += r["deleted"]

    # --- audit -----------------------------------------------------------------------------

    def audit(self) -> list[ChangeRecord]:
        """One IMPORT record per account that changed (and one for a changed playbook), then
        the seats whose stance was set or changed. A no-op import records nothing."""
        records: list[ChangeRecord] = []
        listed = {
            label: Counter(row["account"] for row in self.rows.nodes.get(label, []))
            for label in ("Stakeholder", "Opportunity")
        }
        for row in self.rows.nodes.get("Account", []):
            key = row["externalId"]
            account_id = self.account_ids[key]
            counts = self.account_changes[key]
            created = key in self.created_accounts
            self.summary.accounts.append(
                ImportedAccount(account_id, key, created=created, changed=counts.total > 0)
            )
            if counts.total == 0:
                continue
            records.append(
                ChangeRecord(
                    entity_kind="Account",
                    entity_id=account_id,
                    action="IMPORT",
                    account_id=account_id,
                    new_value={
                        "mode": self.mode.value,
                        "stakeholders": listed["Stakeholder"][key],
                        "opportunities": listed["Opportunity"][key],
                        "created": counts.created,
                        "updated": counts.updated,
                        "deleted": counts.deleted,
                    },
                )
            )
        playbook = self.account_changes[None]
        if playbook.total:
            records.append(
                ChangeRecord(
                    entity_kind="Playbook",
                    entity_id=self.principal.tenant_id,
                    action="IMPORT",
                    new_value={
                        "mode": self.mode.value,
                        "concerns": len(self.rows.nodes.get("Concern", [])),
                        "arguments": len(self.rows.nodes.get("Argument", [])),
                        "created": playbook.created,
                        "updated": playbook.updated,
                        "deleted": playbook.deleted,
                    },
                )
            )
        return records + self.seat_changes


# ---------------------------------------------------------------------------------------------
# Loading what is stored (export, and REPLACE's comparison)


class _Link(NamedTuple):  # a tuple: an export builds one per edge, tens of thousands
    """A stored relationship by its endpoints' ids and document keys."""

    source_id: str
    source_key: str
    target_id: str
    target_key: str
    props: dict[str, Any]


class _Target(NamedTuple):
    id: str
    key: str
    props: dict[str, Any]


@dataclass
class _StoredNode:
    id: str
    key: str
    props: dict[str, Any]
    links: dict[str, list[_Target]] = field(default_factory=dict)


@dataclass
class _StoredOpportunity:
    node: _StoredNode
    alternatives: dict[str, _StoredNode]
    committee: list[_Link]
    advocacy: list[_Link]


@dataclass
class _StoredAccount:
    node: _StoredNode
    stakeholders: dict[str, _StoredNode] = field(default_factory=dict)
    edges: dict[str, list[_Link]] = field(
        default_factory=lambda: {"INFLUENCES": [], "CONFLICTS_WITH": []}
    )
    opportunities: dict[str, _StoredOpportunity] = field(default_factory=dict)


def _stored_node(props: dict[str, Any], links: dict[str, list[dict[str, Any]]]) -> _StoredNode:
    key = props.get("externalId") or props["id"]
    return _StoredNode(
        props["id"],
        key,
        props,
        {
            name: [_Target(t["id"], t["key"], t["props"]) for t in targets]
            for name, targets in links.items()
        },
    )


def _link_of(value: dict[str, Any]) -> _Link:
    return _Link(
        value["sourceId"],
        value["sourceKey"],
        value["targetId"],
        value["targetKey"],
        value["props"],
    )


async def _records(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(query, params)
    return [dict(record) async for record in result]


async def _load_accounts(
    tx: AsyncManagedTransaction, tenant_id: str, account_ids: list[str]
) -> dict[str, _StoredAccount]:
    """The accounts as the document sees them, by account id (three statements in all)."""
    params = {"tenantId": tenant_id, "accountIds": account_ids}
    accounts = {
        r["account"]: _StoredAccount(_stored_node(r["props"], {}))
        for r in await _records(tx, LOAD_ACCOUNTS, **params)
    }
    for r in await _records(tx, LOAD_STAKEHOLDERS, **params):
        person = _stored_node(
            r["props"],
            {k: r[k] for k in ("reportsTo", "concerns", "coachedOn", "heard")},
        )
        account = accounts[r["account"]]
        account.stakeholders[person.key] = person
        for name, rel_type in (("influences", "INFLUENCES"), ("conflicts", "CONFLICTS_WITH")):
            account.edges[rel_type].extend(
                _Link(person.id, person.key, t["id"], t["key"], t["props"]) for t in r[name]
            )
    for r in await _records(tx, LOAD_OPPORTUNITIES, **params):
        deal = _stored_node(r["props"], {})
        alternatives = {n.key: n for n in (_stored_node(p, {}) for p in r["alternatives"])}
        accounts[r["account"]].opportunities[deal.key] = _StoredOpportunity(
            deal,
            alternatives,
            [_link_of(s) for s in r["committee"]],
            [_link_of(a) for a in r["advocacy"]],
        )
    return accounts


async def _load_arguments(
    tx: AsyncManagedTransaction, tenant_id: str, arguments: list[str], concerns: list[str]
) -> dict[str, _StoredNode]:
    """Arguments named, or addressing one of ``concerns``, with their ADDRESSES and CITES."""
    records = await _records(
        tx, LOAD_ARGUMENTS, tenantId=tenant_id, arguments=arguments, concerns=concerns
    )
    found = (
        _stored_node(r["props"], {"addresses": r["addresses"], "cites": r["cites"]})
        for r in records
    )
    return {node.key: node for node in found}


class _Listed:
    """What a document lists, indexed for REPLACE's comparison with the store."""

    def __init__(self, document: Document) -> None:
        self.children: dict[tuple[str, str | None], set[str]] = defaultdict(set)
        for label in ("Stakeholder", "Opportunity", "Alternative"):
            for row in document.children(label):
                self.children[label, row["parent"]].add(row["externalId"])
        self.links: dict[tuple[str, str], set[str]] = defaultdict(set)
        for rel_type, rows in document.links.items():
            for row in rows:
                self.links[rel_type, row["source"]].add(row["target"])

    def targets(self, rel_type: str, source: str) -> set[str]:
        return self.links.get((rel_type, source), set())


def _unlisted(
    listed: _Listed, account: str, graph: _StoredAccount
) -> tuple[dict[str, list[str]], dict[str, list[Row]]]:
    """What REPLACE removes from ``graph`` for ``account``: node ids by label, links by type.

    A link to a node that is itself removed is left to the node's detaching delete.
    """
    nodes: dict[str, list[str]] = defaultdict(list)
    links: dict[str, list[Row]] = defaultdict(list)

    def drop(rel_type: str, source_id: str, target_id: str) -> None:
        links[rel_type].append({"source": source_id, "target": target_id})

    people = listed.children["Stakeholder", account]
    kept = {key: node for key, node in graph.stakeholders.items() if key in people}
    nodes["Stakeholder"] = [n.id for key, n in graph.stakeholders.items() if key not in people]
    for key, node in kept.items():
        for name, rel_type in (
            ("reportsTo", "REPORTS_TO"),
            ("concerns", "CARES_ABOUT"),
            ("coachedOn", "COACHED_ON"),
            ("heard", "HEARD"),
        ):
            wanted = listed.targets(rel_type, key)
            for target in node.links.get(name, []):
                if target.key not in wanted and (rel_type != "REPORTS_TO" or target.key in kept):
                    drop(rel_type, node.id, target.id)

    for rel_type in ("INFLUENCES", "CONFLICTS_WITH"):
        for edge in graph.edges[rel_type]:
            both_kept = edge.source_key in kept and edge.target_key in kept
            if both_kept and edge.target_key not in listed.targets(rel_type, edge.source_key):
                drop(rel_type, edge.source_id, edge.target_id)

    deals = listed.children["Opportunity", account]
    for key, stored in graph.opportunities.items():
        if key not in deals:
            nodes["Opportunity"].append(stored.node.id)
            nodes["Alternative"].extend(a.id for a in stored.alternatives.values())
            continue
        options = listed.children["Alternative", key]
        nodes["Alternative"].extend(
            a.id for k, a in stored.alternatives.items() if k not in options
        )
        for seat in stored.committee:
            seated = key in listed.targets("SITS_ON", seat.source_key)
            if seat.source_key in kept and not seated:
                drop("SITS_ON", seat.source_id, seat.target_id)
        for flag in stored.advocacy:
            advocated = flag.target_key in listed.targets("ADVOCATES_FOR", flag.source_key)
            if flag.source_key in kept and flag.target_key in options and not advocated:
                drop("ADVOCATES_FOR", flag.source_id, flag.target_id)
    return {k: v for k, v in nodes.items() if v}, dict(links)


# ---------------------------------------------------------------------------------------------
# Export


async def export_document(
    database: Database,
    principal: Principal,
    account_id: str | None = None,
    account_external_id: str | None = None,
) -> dict[str, Any]:
    """The account (by id or externalId) as a section-2 document, in canonical form.

    Raises:
        NotFound: no such account in the caller's tenant.
    """
    if (account_id is None) == (account_external_id is None):
        raise InvalidInput("give exactly one of account id or externalId")
    tenant = principal.tenant_id

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        query = FIND_ACCOUNT_BY_ID if account_id is not None else FIND_ACCOUNT_BY_EXTERNAL_ID
        key = account_id if account_id is not None else account_external_id
        found = await _records(tx, query, tenantId=tenant, key=key)
        if not found:
            raise NotFound("Account", str(key))
        accounts = await _load_accounts(tx, tenant, [found[0]["id"]])
        graph = accounts[found[0]["id"]]
        concerns = sorted({t.key for s in graph.stakeholders.values() for t in s.links["concerns"]})
        arguments = sorted(
            {
                t.key
                for s in graph.stakeholders.values()
                for name in ("coachedOn", "heard")
                for t in s.links[name]
            }
        )
        stored_arguments = await _load_arguments(tx, tenant, arguments, concerns)
        addressed = {t.key for a in stored_arguments.values() for t in a.links["addresses"]}
        stored_concerns = [
            _stored_node(r["props"], {})
            for r in await _records(
                tx, LOAD_CONCERNS, tenantId=tenant, concerns=sorted(set(concerns) | addressed)
            )
        ]
        return _document_of(graph, stored_arguments, stored_concerns)

    return await database.read(work)


def _entry(node: _StoredNode, **lists: Any) -> dict[str, Any]:
    """A stored node as a document entry: its key, every stored property, its lists."""
    return {"externalId": node.key, **node.props, **lists}


def _document_of(
    graph: _StoredAccount, arguments: dict[str, _StoredNode], concerns: list[_StoredNode]
) -> dict[str, Any]:
    """The account as a document, in canonical form (:func:`canonical` omits defaults and
    sorts every list), so export writes exactly what an import of it reads."""
    account_key = graph.node.key
    stakeholders = []
    for person in graph.stakeholders.values():
        managers = sorted(t.key for t in person.links["reportsTo"])
        stakeholders.append(
            _entry(
                person,
                reportsTo=managers[0] if managers else None,
                concerns=[{"concern": t.key, **t.props} for t in person.links["concerns"]],
                coachedOn=[{"argument": t.key, **t.props} for t in person.links["coachedOn"]],
                heard=[{"argument": t.key, **t.props} for t in person.links["heard"]],
            )
        )

    def edges(rel_type: str) -> list[dict[str, Any]]:
        return [
            {"from": e.source_key, "to": e.target_key, **e.props} for e in graph.edges[rel_type]
        ]

    opportunities = [
        _entry(
            stored.node,
            alternatives=[_entry(a) for a in stored.alternatives.values()],
            committee=[{"stakeholder": s.source_key, **s.props} for s in stored.committee],
            advocacy=[
                {"stakeholder": a.source_key, "alternative": a.target_key, **a.props}
                for a in stored.advocacy
            ],
        )
        for stored in graph.opportunities.values()
    ]
    account = _entry(
        graph.node,
        stakeholders=stakeholders,
        influences=edges("INFLUENCES"),
        conflicts=edges("CONFLICTS_WITH"),
        opportunities=opportunities,
    )
    playbook = {
        "concerns": [_entry(c) for c in concerns],
        "arguments": [
            _entry(
                a,
                cites=[t.key for t in a.links["cites"] if t.key == account_key],
                addresses=[{"concern": t.key, **t.props} for t in a.links["addresses"]],
            )
            for a in arguments.values()
        ],
    }
    return canonical({"playbook": playbook, "accounts": [account]})
