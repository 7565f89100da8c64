"""Mutations of the map: create, update and delete every node and relationship kind.

They are made from the domain's declarations: for each kind, inputs whose fields are the
kind's properties (required ones non-null on create; on update a field left out stays as it
is and an explicit null clears it), and three mutations over the generic writes of
:mod:`graph_api.repositories.entities`. Every mutation needs an editor or admin key, is one
write transaction with its audit trail, takes an optional ``reason`` kept in that trail, and
answers a union of its success type and the typed errors of :mod:`graph_api.api.results`.
Updates and deletes take ``expectedUpdatedAt``: the ``updatedAt`` the caller read, so a
change made meanwhile by someone else is a ``ConflictError`` instead of being overwritten.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, cast

import strawberry
from strawberry import UNSET

from graph_api.api.context import Context, Info
from graph_api.api.map.types import NODE_TYPES, RELATIONSHIP_TYPES, value_annotation
from graph_api.api.results import DeletePayload, guarded, result_union
from graph_api.api.scalars import DateTime
from graph_api.domain import kinds
from graph_api.domain.kinds import Kind, NodeKind, Prop, RelationshipKind, to_snake
from graph_api.domain.validation import EXTERNAL_ID_FIELD
from graph_api.domain.values import stored
from graph_api.repositories import entities

MODULE = __name__
Reason = Annotated[
    str | None, strawberry.argument(description="Why: kept in the audit trail with the change.")
]
Expected = Annotated[
    DateTime | None,
    strawberry.argument(
        description="The `updatedAt` you read: refused with ConflictError if it changed since."
    ),
]
EXPECTED = "expected_updated_at"


# --- inputs -------------------------------------------------------------------------------


def _input(name: str, description: str, fields: list[tuple[str, Any, Any, str | None]]) -> Any:
    """An input type from (attribute, annotation, default or ``...`` for none, description)."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": MODULE}
    for attr, annotation, default, doc in sorted(fields, key=lambda f: f[2] is not ...):
        annotations[attr] = annotation
        if default is ...:
            namespace[attr] = strawberry.field(description=doc)
        else:
            namespace[attr] = strawberry.field(default=default, description=doc)
    namespace["__annotations__"] = annotations
    return strawberry.input(type(name, (), namespace), name=name, description=description)


def _prop_fields(kind: Kind, *, creating: bool) -> list[tuple[str, Any, Any, str | None]]:
    fields = []
    for p in kind.props:
        annotation = value_annotation(p.value)
        if creating and p.required:
            fields.append((p.attr, annotation, ..., p.description or None))
        else:
            fields.append((p.attr, annotation | None, UNSET, p.description or None))
    return fields


_ID = strawberry.ID
_EXTERNAL_ID = ("external_id", str | None, UNSET, "Your key for it (e.g. a CRM id).")
_EXPECTED_FIELD = (
    EXPECTED,
    DateTime | None,
    UNSET,
    "The `updatedAt` you read: refused with ConflictError if it changed since.",
)


def _node_inputs(kind: NodeKind) -> tuple[Any, Any]:
    parent = []
    if kind.parent is not None:
        parent = [(to_snake(kind.parent.arg), _ID, ..., None)]
    create = _input(
        f"Create{kind.label}Input",
        f"A new {kind.label.lower()}: {kind.description}",
        [*_prop_fields(kind, creating=True), _EXTERNAL_ID, *parent],
    )
    update = _input(
        f"Update{kind.label}Input",
        f"Changes to {_a(kind.label.lower())}; a field left out stays, null clears it.",
        [*_prop_fields(kind, creating=False), _EXTERNAL_ID, _EXPECTED_FIELD],
    )
    return create, update


def _ends(kind: RelationshipKind) -> list[tuple[str, Any, Any, str | None]]:
    return [
        (to_snake(kind.source_arg), _ID, ..., None),
        (to_snake(kind.target_arg), _ID, ..., None),
    ]


def _relationship_inputs(kind: RelationshipKind) -> tuple[Any, Any | None]:
    create = _input(
        f"Create{kind.name}Input",
        kind.description,
        [*_ends(kind), *_prop_fields(kind, creating=True)],
    )
    if not kind.props:
        return create, None
    update = _input(
        f"Update{kind.name}Input",
        f"Changes to {_a(kind.name)}; a field left out stays, null clears it.",
        [*_ends(kind), *_prop_fields(kind, creating=False), _EXPECTED_FIELD],
    )
    return create, update


def given_values(kind: Kind, data: object) -> dict[str, Any]:
    """The properties an input gives (left-out ones are UNSET), by stored name, stored form."""
    props: list[Prop] = list(kind.props)
    values = {p.name: getattr(data, p.attr) for p in props}
    if isinstance(kind, NodeKind):
        values[EXTERNAL_ID_FIELD] = getattr(data, "external_id")  # noqa: B009
    return {name: stored(v) for name, v in values.items() if v is not UNSET}


def _expected(data: object) -> str | None:
    value = getattr(data, EXPECTED, UNSET)
    return None if value is UNSET or value is None else str(value)


def _end_ids(kind: RelationshipKind, data: object) -> tuple[str, str]:
    return (
        str(getattr(data, to_snake(kind.source_arg))),
        str(getattr(data, to_snake(kind.target_arg))),
    )


# --- resolvers ----------------------------------------------------------------------------


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def _deleted(entity: kinds.Node | kinds.Relationship) -> DeletePayload:
    return DeletePayload(deleted_id=strawberry.ID(entity.id))


def _mutation(body: Callable[..., Any], annotations: dict[str, Any], description: str) -> Any:
    body.__annotations__ = {"info": Info, **annotations}
    return strawberry.mutation(resolver=body, description=description)


def _node_mutations(kind: NodeKind, namespace: dict[str, Any]) -> None:
    record = cast(type[kinds.Node], kind.record)
    gql = NODE_TYPES[kind.label]
    create_input, update_input = _node_inputs(kind)
    parent_attr = None if kind.parent is None else to_snake(kind.parent.arg)

    async def create(info: Info, input: Any, reason: str | None = None) -> Any:
        parent = None if parent_attr is None else str(getattr(input, parent_attr))
        values = given_values(kind, input)

        async def work(c: Context) -> Any:
            return await entities.create_node(
                c.database, c.principal, record, values, parent, reason
            )

        return await guarded(info, work)

    async def update(
        info: Info,
        id: strawberry.ID,
        input: Any,
        reason: str | None = None,
    ) -> Any:
        values = given_values(kind, input)

        async def work(c: Context) -> Any:
            return await entities.update_node(
                c.database, c.principal, record, str(id), values, reason, _expected(input)
            )

        return await guarded(info, work)

    async def delete(
        info: Info,
        id: strawberry.ID,
        reason: str | None = None,
        expected_updated_at: str | None = None,
    ) -> Any:
        async def work(c: Context) -> DeletePayload:
            return _deleted(
                await entities.delete_node(
                    c.database, c.principal, record, str(id), reason, expected_updated_at
                )
            )

        return await guarded(info, work)

    label = kind.label
    namespace[f"create_{to_snake(label)}"] = _mutation(
        create,
        {
            "input": create_input,
            "reason": Reason,
            "return": result_union(f"Create{label}Result", gql),
        },
        f"Create {_a(label.lower())}: {kind.description}"
        + (
            f" It is made under `input.{kind.parent.arg}` and removed with it."
            if kind.parent
            else ""
        ),
    )
    namespace[f"update_{to_snake(label)}"] = _mutation(
        update,
        {
            "id": strawberry.ID,
            "input": update_input,
            "reason": Reason,
            "return": result_union(f"Update{label}Result", gql),
        },
        f"Change {_a(label.lower())}.",
    )
    namespace[f"delete_{to_snake(label)}"] = _mutation(
        delete,
        {
            "id": strawberry.ID,
            "reason": Reason,
            "expected_updated_at": Expected,
            "return": result_union(f"Delete{label}Result", DeletePayload),
        },
        _DELETE_NOTES.get(label, f"Delete {_a(label.lower())} and every relationship of it."),
    )


_PRIVACY = (
    " Privacy: a deleted stakeholder is erased. The audit trail keeps a DELETE record naming"
    " only the id and externalId, and the personal fields ("
    + ", ".join(kinds.STAKEHOLDER.personal)
    + ") are erased from the stakeholder's earlier audit records too."
)
_DELETE_NOTES = {
    "Account": "Delete an account with its stakeholders, its opportunities and their "
    "alternatives, and every relationship of those." + _PRIVACY,
    "Stakeholder": "Delete a stakeholder with every relationship (seats, influences, reporting "
    "lines, advocacy, concerns, coaching, hearings)." + _PRIVACY,
    "Opportunity": "Delete an opportunity with its alternatives (and the advocacy for them) "
    "and its committee seats.",
}


def _relationship_mutations(kind: RelationshipKind, namespace: dict[str, Any]) -> None:
    record = cast(type[kinds.Relationship], kind.record)
    gql = RELATIONSHIP_TYPES[kind.name]
    create_input, update_input = _relationship_inputs(kind)
    source_arg, target_arg = to_snake(kind.source_arg), to_snake(kind.target_arg)
    name = kind.name

    async def create(info: Info, input: Any, reason: str | None = None) -> Any:
        source, target = _end_ids(kind, input)
        values = given_values(kind, input)

        async def work(c: Context) -> Any:
            return await entities.create_relationship(
                c.database, c.principal, record, source, target, values, reason
            )

        return await guarded(info, work)

    async def update(info: Info, input: Any, reason: str | None = None) -> Any:
        source, target = _end_ids(kind, input)
        values = given_values(kind, input)

        async def work(c: Context) -> Any:
            return await entities.update_relationship(
                c.database, c.principal, record, source, target, values, reason, _expected(input)
            )

        return await guarded(info, work)

    async def delete(info: Info, **arguments: Any) -> Any:
        source, target = str(arguments[source_arg]), str(arguments[target_arg])
        reason, expected = arguments.get("reason"), arguments.get(EXPECTED)

        async def work(c: Context) -> DeletePayload:
            return _deleted(
                await entities.delete_relationship(
                    c.database, c.principal, record, source, target, reason, expected
                )
            )

        return await guarded(info, work)

    # strawberry reads the arguments from the signature: name the two ends.
    def parameter(name: str, annotation: Any, **default: Any) -> inspect.Parameter:
        keyword = inspect.Parameter.KEYWORD_ONLY
        return inspect.Parameter(name, keyword, annotation=annotation, **default)

    delete.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
            parameter(source_arg, strawberry.ID),
            parameter(target_arg, strawberry.ID),
            parameter("reason", Reason, default=None),
            parameter(EXPECTED, Expected, default=None),
        ],
        return_annotation=result_union(f"Delete{name}Result", DeletePayload),
    )

    snake = to_snake(name)
    namespace[f"create_{snake}"] = _mutation(
        create,
        {
            "input": create_input,
            "reason": Reason,
            "return": result_union(f"Create{name}Result", gql),
        },
        f"Create {_a(name)}: {kind.description} Creating one that exists is a ConflictError.",
    )
    if update_input is not None:
        namespace[f"update_{snake}"] = _mutation(
            update,
            {
                "input": update_input,
                "reason": Reason,
                "return": result_union(f"Update{name}Result", gql),
            },
            f"Change {_a(name)}.",
        )

    namespace[f"delete_{snake}"] = strawberry.mutation(
        resolver=delete, description=f"Delete {_a(name)}."
    )


def _map_mutation() -> type:
    namespace: dict[str, Any] = {"__module__": MODULE}
    for kind in kinds.NODE_KINDS.values():
        _node_mutations(kind, namespace)
    for relationship in kinds.RELATIONSHIP_KINDS.values():
        _relationship_mutations(relationship, namespace)
    return strawberry.type(type("MapMutation", (), namespace))


MapMutation = _map_mutation()
