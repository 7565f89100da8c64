"""GraphQL types of the map, made from the domain's declarations.

Each node kind (``Stakeholder``…) and relationship kind (``Influence``…) of
:mod:`graph_api.domain.kinds` becomes one object type: its properties become fields of the
matching scalar or enum (non-null when the property is required or has a default), and
:data:`NAVIGATIONS` adds the fields that follow relationships (``Stakeholder.influences``,
``Influence.from``). The objects behind them are the typed records the repositories return,
so a property field is a plain attribute read. A property added to a kind appears here
without a change to this module.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

import strawberry
from strawberry.scalars import JSON

from graph_api.api.context import Info
from graph_api.api.pagination import Connection, page_window
from graph_api.api.scalars import GRAPHQL_ENUMS, Date, DateTime
from graph_api.domain import kinds
from graph_api.domain.kinds import Kind, NodeKind, Prop, RelationshipKind, Today, to_snake
from graph_api.domain.values import ValueType
from graph_api.repositories import history as history_repo
from graph_api.repositories.audit import relationship_key
from graph_api.repositories.graph import Edge

MODULE = __name__


def lazy(name: str) -> Any:
    """A reference to a type of this module made later (the types refer to each other)."""
    return Annotated[name, strawberry.lazy(MODULE)]


# --- history --------------------------------------------------------------------------


@strawberry.type(description="One recorded change: who, when, what (field, old, new) and why.")
class ChangeEntry:
    id: strawberry.ID
    at: DateTime
    actor: str
    action: str
    entity_kind: str
    entity_id: str
    field: str | None
    old_value: JSON | None
    new_value: JSON | None
    evidence: str | None
    reason: str | None

    @staticmethod
    def from_record(r: history_repo.ChangeRow) -> ChangeEntry:
        return ChangeEntry(
            id=strawberry.ID(r.id),
            at=DateTime(r.at),
            actor=r.actor,
            action=r.action,
            entity_kind=r.entity_kind,
            entity_id=r.entity_id,
            field=r.field,
            old_value=None if r.old_value is None else json.loads(r.old_value),
            new_value=None if r.new_value is None else json.loads(r.new_value),
            evidence=r.evidence,
            reason=r.reason,
        )


async def entity_history(
    info: Info, entity_id: str, first: int | None, after: str | None
) -> Connection[ChangeEntry]:
    offset, limit = page_window(info, first, after)
    page = await history_repo.entity_history(
        info.context.database, info.context.tenant_id, entity_id, offset, limit
    )
    return Connection.of([ChangeEntry.from_record(r) for r in page.rows], offset, page.total)


# --- interfaces -----------------------------------------------------------------------


@strawberry.interface(description="Anything with a globally unique id; see Query.node.")
class Node:
    id: strawberry.ID


@strawberry.interface(description="A stored node of the map, with who changed it when.")
class Entity(Node):
    external_id: str | None
    created_at: DateTime | None
    updated_at: DateTime | None = strawberry.field(
        description="When it last changed; pass it back as `expectedUpdatedAt` to update it "
        "only if nobody changed it since."
    )
    updated_by: str | None


# --- navigation -----------------------------------------------------------------------

Shape = Literal["edges", "nodes", "node", "both"]


@dataclass(frozen=True)
class Navigation:
    """A field of a node type that follows one relationship type.

    ``shape``: ``edges`` lists the relationship objects (``Stakeholder.influences``),
    ``nodes`` the nodes across (``Stakeholder.reportsTo``), ``node`` the one node across
    (``Stakeholder.account``), ``both`` the relationships either way (``conflicts``).
    """

    field: str
    rel_type: str
    outgoing: bool
    shape: Shape
    description: str = ""


NAVIGATIONS: dict[str, tuple[Navigation, ...]] = {
    "Stakeholder": (
        Navigation("account", "WORKS_AT", True, "node", "The account they work at."),
        Navigation("reportsTo", "REPORTS_TO", True, "nodes", "Their manager."),
        Navigation("directReports", "REPORTS_TO", False, "nodes", "Who reports to them."),
        Navigation(
            "influences", "INFLUENCES", True, "edges", "People this stakeholder influences."
        ),
        Navigation("influencedBy", "INFLUENCES", False, "edges", "People who influence them."),
        Navigation("conflicts", "CONFLICTS_WITH", True, "both", "Conflicts either way."),
        Navigation("seats", "SITS_ON", True, "edges", "Their committee seats."),
        Navigation("advocacy", "ADVOCATES_FOR", True, "edges", "Whose flag they carry."),
        Navigation("concerns", "CARES_ABOUT", True, "edges", "What they care about."),
        Navigation("coachedOn", "COACHED_ON", True, "edges", "What they were coached on."),
        Navigation("heard", "HEARD", True, "edges", "What they already heard."),
    ),
    "Opportunity": (
        Navigation("account", "HAS_OPPORTUNITY", False, "node", "The account deciding it."),
        Navigation("alternatives", "CONSIDERS", True, "nodes", "The options weighed."),
        Navigation(
            "committee",
            "SITS_ON",
            False,
            "edges",
            "The decision committee: one seat per stakeholder.",
        ),
    ),
    "Alternative": (
        Navigation("opportunity", "CONSIDERS", False, "node", "The deal it is weighed in."),
        Navigation("advocates", "ADVOCATES_FOR", False, "edges", "Who carries its flag."),
    ),
    "Argument": (
        Navigation("addresses", "ADDRESSES", True, "edges", "The concerns it answers."),
        Navigation(
            "cites", "CITES", True, "nodes", "Reference customers this argument cites as proof."
        ),
    ),
}
"""The relationship fields of each node type, by label."""


def end_field(kind: RelationshipKind, source: bool) -> str:
    """The field naming one end on a relationship type: ``fromId`` gives ``from``."""
    arg = kind.source_arg if source else kind.target_arg
    return arg.removesuffix("Id")


# --- building the types ---------------------------------------------------------------

_SCALARS: dict[str, Any] = {
    "String": str,
    "Int": int,
    "Float": float,
    "Boolean": bool,
    "Date": Date,
    "DateTime": DateTime,
}


def value_annotation(value: ValueType) -> Any:
    """The GraphQL type of one value type (its item's, made a list, for a list)."""
    item = value.item or value
    base = GRAPHQL_ENUMS[item.enum] if item.enum is not None else _SCALARS[item.scalar]
    return list[base] if value.is_list else base  # type: ignore[valid-type]


def always_set(p: Prop) -> bool:
    """Whether a stored record always has the property (required, or defaulted on read)."""
    return p.required or (p.default is not None and not isinstance(p.default, Today))


def _property_field(p: Prop) -> tuple[Any, Any]:
    annotation = value_annotation(p.value)
    if not always_set(p):
        annotation = annotation | None
    return annotation, strawberry.field(description=p.description or None)


def _resolver(
    body: Callable[[Any, Info], Awaitable[Any]], returns: Any
) -> Callable[[Any, Info], Awaitable[Any]]:
    async def resolve(root: Any, info: Info) -> Any:
        return await body(root, info)

    resolve.__annotations__ = {"root": Any, "info": Info, "return": returns}
    return resolve


async def load_node(info: Info, label: str, node_id: str) -> kinds.Node:
    node = await info.context.loaders.node(label, node_id)
    if node is None:
        raise LookupError(f"{label} {node_id} vanished mid-request")
    return node


def _navigation_field(label: str, nav: Navigation) -> Any:
    from graph_api.repositories.graph import ENDS  # noqa: PLC0415

    source, target = ENDS[nav.rel_type]
    across = target if nav.outgoing else source
    kind = kinds.RELATIONSHIPS_BY_TYPE.get(nav.rel_type)

    async def edges(root: Any, info: Info) -> list[Edge]:
        return await info.context.loaders.edges(nav.rel_type, nav.outgoing).load(root.id)

    async def nodes(root: Any, info: Info) -> list[kinds.Node]:
        found = await edges(root, info)
        ids = [e.target_id if nav.outgoing else e.source_id for e in found]
        return await info.context.loaders.nodes(across, ids)

    async def node(root: Any, info: Info) -> kinds.Node | None:
        found = await nodes(root, info)
        return found[0] if found else None

    async def both(root: Any, info: Info) -> list[Edge]:
        out = await info.context.loaders.edges(nav.rel_type, True).load(root.id)
        incoming = await info.context.loaders.edges(nav.rel_type, False).load(root.id)
        return [*out, *incoming]

    body: Callable[[Any, Info], Awaitable[Any]]
    if nav.shape == "node":
        body, returns = node, lazy(across) | None
    elif nav.shape == "nodes":
        body, returns = nodes, list[lazy(across)]  # type: ignore[misc]
    else:
        assert kind is not None, nav
        body = edges if nav.shape == "edges" else both
        returns = list[lazy(kind.name)]  # type: ignore[misc]
    return strawberry.field(
        resolver=_resolver(body, returns), name=nav.field, description=nav.description or None
    )


def _end_field(kind: RelationshipKind, source: bool) -> Any:
    label = kind.source if source else kind.target

    async def end(root: Any, info: Info) -> kinds.Node:
        return await load_node(info, label, root.source_id if source else root.target_id)

    return strawberry.field(resolver=_resolver(end, lazy(label)), name=end_field(kind, source))


def _object_type(
    kind: Kind, bases: tuple[type, ...], namespace: dict[str, Any], annotations: dict[str, Any]
) -> type:
    for p in kind.props:
        annotations[p.attr], namespace[p.attr] = _property_field(p)
    record = kind.record
    namespace["__annotations__"] = annotations
    namespace["__module__"] = MODULE
    namespace["is_type_of"] = classmethod(lambda _cls, obj, _info: isinstance(obj, record))
    cls = type(kind.name, bases, namespace)
    made = strawberry.type(cls, name=kind.name, description=kind.description)
    setattr(sys.modules[MODULE], kind.name, made)
    return made


def node_type(kind: NodeKind, extra: dict[str, Any] | None = None) -> type:
    """The object type of a node kind: Entity's fields, the properties, the navigation."""
    namespace: dict[str, Any] = dict(extra or {})
    for nav in NAVIGATIONS.get(kind.label, ()):
        namespace[to_snake(nav.field)] = _navigation_field(kind.label, nav)
    return _object_type(kind, (Entity,), namespace, {})


@strawberry.type
class _RelationshipBase:
    id: strawberry.ID
    updated_at: DateTime | None = strawberry.field(
        description="When it last changed; pass it back as `expectedUpdatedAt` to update it "
        "only if nobody changed it since."
    )
    updated_by: str | None


def relationship_type(kind: RelationshipKind, extra: dict[str, Any] | None = None) -> type:
    """The object type of a relationship kind: its id, the properties, both ends."""
    namespace: dict[str, Any] = dict(extra or {})
    namespace[to_snake(end_field(kind, True)) + "_"] = _end_field(kind, True)
    namespace[to_snake(end_field(kind, False)) + "_"] = _end_field(kind, False)
    return _object_type(kind, (_RelationshipBase,), namespace, {})


# --- the types --------------------------------------------------------------------------


def _history() -> Any:
    async def history(
        root: Any, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ChangeEntry]:
        return await entity_history(info, root.id, first, after)

    return strawberry.field(
        resolver=history, description="Changes to this record itself, newest first."
    )


async def _seat_history(
    root: Any, info: Info, first: int | None = None, after: str | None = None
) -> Connection[ChangeEntry]:
    key = relationship_key(root.source_id, root.target_id)
    return await entity_history(info, key, first, after)


async def _account_changes(
    root: Any, info: Info, first: int | None = None, after: str | None = None
) -> Connection[ChangeEntry]:
    offset, limit = page_window(info, first, after)
    page = await history_repo.account_feed(
        info.context.database, info.context.tenant_id, root.id, offset, limit
    )
    return Connection.of([ChangeEntry.from_record(r) for r in page.rows], offset, page.total)


CHILD_PAGES: dict[str, dict[str, str]] = {
    "Account": {"stakeholders": "Stakeholder", "opportunities": "Opportunity"}
}
"""The paged children fields of each node type (field -> child label), by label; each child
kind's parent relationship is declared on the kind (``kinds.Parent``)."""


def _children(child: str) -> Any:
    async def page(
        root: Any, info: Info, first: int | None = None, after: str | None = None
    ) -> Any:
        offset, limit = page_window(info, first, after)
        found = await info.context.loaders.children("Account", child, offset, limit).load(root.id)
        return Connection.of(list(found.nodes), offset, found.total)

    page.__annotations__["return"] = Connection[lazy(child)]  # type: ignore[misc]
    return strawberry.field(resolver=page, description=f"The account's {child.lower()}s, by name.")


Account = node_type(
    kinds.ACCOUNT,
    {
        **{to_snake(name): _children(child) for name, child in CHILD_PAGES["Account"].items()},
        "history": _history(),
        "changes": strawberry.field(
            resolver=_account_changes,
            description="Every change to the account's map, newest first.",
        ),
    },
)
Stakeholder = node_type(kinds.STAKEHOLDER, {"history": _history()})
Opportunity = node_type(kinds.OPPORTUNITY, {"history": _history()})
Alternative = node_type(kinds.ALTERNATIVE)
Concern = node_type(kinds.CONCERN)
Argument = node_type(kinds.ARGUMENT)

NODE_TYPES: dict[str, type] = {
    "Account": Account,
    "Stakeholder": Stakeholder,
    "Opportunity": Opportunity,
    "Alternative": Alternative,
    "Concern": Concern,
    "Argument": Argument,
}
RELATIONSHIP_TYPES: dict[str, type] = {
    name: relationship_type(
        kind,
        {
            "history": strawberry.field(
                resolver=_seat_history,
                description="How this seat's stance (and role) moved, with evidence.",
            )
        }
        if name == "Seat"
        else None,
    )
    for name, kind in kinds.RELATIONSHIP_KINDS.items()
}
Influence = RELATIONSHIP_TYPES["Influence"]
Seat = RELATIONSHIP_TYPES["Seat"]


if TYPE_CHECKING:
    ConcernT: TypeAlias = Any
    ArgumentT: TypeAlias = Any
else:
    ConcernT, ArgumentT = lazy("Concern"), lazy("Argument")


@strawberry.type
class Playbook:
    concerns: list[ConcernT]
    arguments: list[ArgumentT]
