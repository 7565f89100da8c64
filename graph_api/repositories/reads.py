"""Compiled reads: a selection of the map, described as data, answered by ONE Cypher
statement that returns it already shaped.

The API's compiled read path (:mod:`graph_api.api.compiled`) describes what a GraphQL
operation asks for as a tree of :class:`Item` columns (a property, a constant, a relationship
followed, a page of children…); :func:`statement` turns the tree into one statement whose
result per root is nested positional lists in the tree's column order, which the API zips
into response keys. Labels, relationship types and sort orders come from the declarations
(:mod:`graph_api.domain.kinds`) and from :mod:`graph_api.repositories.graph`; every value —
ids, page windows, filters, defaults, constants — is a parameter; every node matched is
filtered by ``$tenantId``.

Each list follows the order of the repository reads it replaces: relationships and the
nodes across them by the id of the node across, pages of children by name then id, the
accounts list by name then id.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.kinds import NODE_KINDS, RELATIONSHIPS_BY_TYPE
from graph_api.repositories.graph import ENDS, accounts_order, accounts_where, by_name

# --- the tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Property:
    """A stored property of the item; ``default`` (a parameter name) stands in for an absent
    value; ``as_float`` makes an integer a float (GraphQL Float)."""

    name: str
    default: str | None = None
    as_float: bool = False
    is_list: bool = False


@dataclass(frozen=True)
class Constant:
    """A value known when compiling (``__typename``): the parameter holding it."""

    param: str


@dataclass(frozen=True)
class RelationshipId:
    """A relationship's id, ``TYPE:source:target``; ``param`` holds the type."""

    param: str


@dataclass(frozen=True)
class End:
    """One end of the relationship (``source`` or target), as a node item."""

    source: bool
    item: Item


@dataclass(frozen=True)
class Same:
    """The node itself again, as another item (a page element asked for twice)."""

    item: Item


Shape = Literal["edges", "nodes", "node", "both"]


@dataclass(frozen=True)
class Follow:
    """From a node, one relationship type (see ``graph_api.api.map.types.Navigation``):
    ``edges`` gives relationship items, ``nodes`` the node items across, ``node`` the first
    of those (or null), ``both`` the relationships leaving then entering."""

    rel_type: str
    outgoing: bool
    shape: Shape
    item: Item


@dataclass(frozen=True)
class Children:
    """A page of a node's children by name: ``[offset, total, [item…]]`` (total null unless
    ``total``); the window comes in the parameters ``offset`` and ``limit``."""

    label: str
    rel_type: str
    child_points_to_parent: bool
    offset: str
    limit: str
    total: bool
    item: Item


Column = Property | Constant | RelationshipId | End | Same | Follow | Children


@dataclass(frozen=True)
class Item:
    """The columns of one node or relationship, in order."""

    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Lookup:
    """One node of ``label`` whose ``key`` (``id`` or ``externalId``) is ``$param``, or null."""

    label: str
    key: Literal["id", "externalId"]
    param: str
    item: Item


@dataclass(frozen=True)
class AccountPage:
    """A page of the tenant's accounts: ``[offset, total, [item…]]``; the filter's parameters
    are ``$<prefix>nameContains`` … (see :func:`graph.accounts_where`)."""

    prefix: str
    offset: str
    limit: str
    total: bool
    item: Item


@dataclass(frozen=True)
class Playbook:
    """The playbook: ``[[concern…], [argument…]]`` (each null when not asked for)."""

    concerns: Item | None
    arguments: Item | None


Root = Lookup | AccountPage | Playbook


# --- Cypher -------------------------------------------------------------------------------


@dataclass
class _Writer:
    """Writes the expressions of one statement, naming each variable once."""

    count: int = 0
    names: list[str] = field(default_factory=list)

    def var(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def node(self, item: Item, n: str) -> str:
        return "[" + ", ".join(self.column(c, n, None) for c in item.columns) + "]"

    def relationship(self, item: Item, r: str, ends: tuple[str, str], rel_type: str) -> str:
        return "[" + ", ".join(self.column(c, r, (ends, rel_type)) for c in item.columns) + "]"

    def column(self, column: Column, v: str, rel: tuple[tuple[str, str], str] | None) -> str:
        if isinstance(column, Property):
            value = f"{v}.{column.name}"
            if column.default is not None:
                value = f"coalesce({value}, ${column.default})"
            if column.as_float:
                value = f"[x IN {value} | toFloat(x)]" if column.is_list else f"toFloat({value})"
            return value
        if isinstance(column, Constant):
            return f"${column.param}"
        if isinstance(column, RelationshipId):
            assert rel is not None
            (source, target), _ = rel
            return f"${column.param} + ':' + {source}.id + ':' + {target}.id"
        if isinstance(column, End):
            assert rel is not None
            (source, target), _ = rel
            return self.node(column.item, source if column.source else target)
        if isinstance(column, Same):
            return self.node(column.item, v)
        if isinstance(column, Follow):
            return self.follow(column, v)
        return self.children(column, v)

    def follow(self, follow: Follow, n: str) -> str:
        if follow.shape == "both":
            outgoing = Follow(follow.rel_type, True, "edges", follow.item)
            incoming = Follow(follow.rel_type, False, "edges", follow.item)
            return f"{self.follow(outgoing, n)} + {self.follow(incoming, n)}"
        source, target = ENDS[follow.rel_type]
        across = self.var("n")
        label = target if follow.outgoing else source
        if follow.shape == "edges":
            r = self.var("r")
            ends = (n, across) if follow.outgoing else (across, n)
            pattern = (
                f"-[{r}:{follow.rel_type}]->" if follow.outgoing else f"<-[{r}:{follow.rel_type}]-"
            )
            value = self.relationship(follow.item, r, ends, follow.rel_type)
        else:
            pattern = f"-[:{follow.rel_type}]->" if follow.outgoing else f"<-[:{follow.rel_type}]-"
            value = self.node(follow.item, across)
        found = (
            f"COLLECT {{ MATCH ({n}){pattern}({across}:{label})"
            f" WHERE {across}.tenantId = $tenantId"
            f" RETURN {value} ORDER BY {across}.id"
            f"{' LIMIT 1' if follow.shape == 'node' else ''} }}"
        )
        return f"head({found})" if follow.shape == "node" else found

    def children(self, page: Children, n: str) -> str:
        child = self.var("n")
        pattern = (
            f"({child}:{page.label})-[:{page.rel_type}]->({n})"
            if page.child_points_to_parent
            else f"({n})-[:{page.rel_type}]->({child}:{page.label})"
        )
        where = f"WHERE {child}.tenantId = $tenantId"
        total = f"COUNT {{ MATCH {pattern} {where} }}" if page.total else "null"
        items = (
            f"COLLECT {{ MATCH {pattern} {where} WITH {child} ORDER BY {by_name(child)}"
            f" SKIP ${page.offset} LIMIT ${page.limit} RETURN {self.node(page.item, child)} }}"
        )
        return f"[${page.offset}, {total}, {items}]"

    def root(self, root: Root) -> str:
        if isinstance(root, Lookup):
            n = self.var("n")
            return (
                f"head(COLLECT {{ MATCH ({n}:{root.label})"
                f" WHERE {n}.{root.key} = ${root.param} AND {n}.tenantId = $tenantId"
                f" RETURN {self.node(root.item, n)} }})"
            )
        if isinstance(root, AccountPage):
            n = self.var("n")
            where = accounts_where(n, root.prefix)
            total = f"COUNT {{ MATCH ({n}:Account) WHERE {where} }}" if root.total else "null"
            items = (
                f"COLLECT {{ MATCH ({n}:Account) WHERE {where}"
                f" WITH {n} ORDER BY {accounts_order(n)} SKIP ${root.offset} LIMIT ${root.limit}"
                f" RETURN {self.node(root.item, n)} }}"
            )
            return f"[${root.offset}, {total}, {items}]"
        lists = []
        for label, item in (("Concern", root.concerns), ("Argument", root.arguments)):
            if item is None:
                lists.append("null")
                continue
            n = self.var("n")
            lists.append(
                f"COLLECT {{ MATCH ({n}:{label}) WHERE {n}.tenantId = $tenantId"
                f" RETURN {self.node(item, n)} ORDER BY {by_name(n)} }}"
            )
        return f"[{', '.join(lists)}]"


def statement(roots: tuple[Root, ...]) -> str:
    """One statement answering every root: one row, column ``c<i>`` for root ``i``."""
    writer = _Writer()
    columns = [f"{writer.root(root)} AS c{i}" for i, root in enumerate(roots)]
    return "RETURN " + ", ".join(columns)


def labels_and_types(roots: tuple[Root, ...]) -> Iterator[str]:
    """Every label and relationship type a tree names (all of them declared kinds)."""
    stack: list[Any] = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, Lookup):
            yield node.label
            stack.append(node.item)
        elif isinstance(node, Children):
            yield node.label
            yield node.rel_type
            stack.append(node.item)
        elif isinstance(node, Follow):
            yield node.rel_type
            stack.append(node.item)
        elif isinstance(node, End | Same | AccountPage):
            stack.append(node.item)
        elif isinstance(node, Playbook):
            stack.extend(i for i in (node.concerns, node.arguments) if i is not None)
        elif isinstance(node, Item):
            stack.extend(node.columns)


def check_names(roots: tuple[Root, ...]) -> None:
    """Labels and relationship types come from the declarations only (never from callers)."""
    for name in labels_and_types(roots):
        if name not in NODE_KINDS and name not in ENDS and name not in RELATIONSHIPS_BY_TYPE:
            raise ValueError(f"{name} is not a declared label or relationship type")


async def compiled_read(database: Database, cypher: str, parameters: dict[str, Any]) -> list[Any]:
    """Run a compiled statement: the values of its one row, root by root."""

    async def work(tx: AsyncManagedTransaction) -> list[Any]:
        result = await tx.run(cypher, parameters)
        record = await result.single(strict=True)
        return list(record.values())

    return await database.read(work)
