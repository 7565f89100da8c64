"""The root fields the coaching service answers, shaped without GraphQL's completion:
``accountGraph`` (thousands of nodes and edges) and ``coachingPlan``.

Each runs exactly what its resolver runs (:mod:`graph_api.api.coaching.queries`: the one
round-trip load, the engine, the same builders of nodes, edges and plan objects) and then
shapes the result with a selection compiled once (:mod:`graph_api.api.compiled.objects`)
instead of completing it field by field. The explorer's edges are shaped straight from the
stored rows. Anything the service refuses (an unknown account, an option out of range, a plan
over its budget) is raised, and the executor answers the request with its usual error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from operator import itemgetter
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from graphql.execution.collect_fields import FieldDetails

from graph_api import coaching
from graph_api.api.coaching.queries import asked_of, graph_edges, graph_nodes, plan_of
from graph_api.api.coaching.types import CoachingOptions
from graph_api.api.compiled.objects import ObjectShapes, Subfields
from graph_api.api.compiled.unsupported import Unsupported
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.repositories.subgraph import load_account_map

Answer = Callable[[Database, Settings, str, dict[str, Any]], Awaitable[Any]]
EDGE_COLUMNS = ("id", "source", "target", "kind", "weight", "topics", "evidence")
"""The fields of an explorer edge, in the order of ``graph_edges``' rows."""


def plain_leaf(gtype: Any, shapes: ObjectShapes) -> bool:
    """Whether values of a leaf type go out as the edge rows hold them: strings, floats,
    enums whose names are their values (orjson writes an enum member as its value)."""
    named = get_named_type(gtype)
    if isinstance(named, GraphQLEnumType):
        return all(name == value for name, value in ((n, v.value) for n, v in named.values.items()))
    return isinstance(named, GraphQLScalarType) and named.name in ("ID", "String", "Float")


def edges_shape(
    edge_type: GraphQLObjectType,
    details: list[FieldDetails],
    subfields: Subfields,
    shapes: ObjectShapes,
) -> Callable[[list[Any]], list[dict[str, Any]]]:
    """Edge rows (``graph_edges``) to the response's edges: keys picked by position."""
    keys: list[str] = []
    positions: list[int] = []
    constant: dict[str, str] = {}
    for key, found in subfields(edge_type, details).items():
        name = found[0].node.name.value
        if name == "__typename":
            constant[key] = edge_type.name
            continue
        if name not in EDGE_COLUMNS or not plain_leaf(edge_type.fields[name].type, shapes):
            raise Unsupported(f"{edge_type.name}.{name}")
        keys.append(key)
        positions.append(EDGE_COLUMNS.index(name))
    if constant or not positions:
        order = list(subfields(edge_type, details))

        def each(row: Any) -> dict[str, Any]:
            made = dict(zip(keys, (row[i] for i in positions), strict=True))
            return {k: constant[k] if k in constant else made[k] for k in order}

        return lambda rows: [each(row) for row in rows]
    pick = itemgetter(*positions)
    if len(positions) == 1:
        only = keys[0]
        return lambda rows: [{only: pick(row)} for row in rows]
    names = tuple(keys)
    return lambda rows: [dict(zip(names, pick(row), strict=True)) for row in rows]


def account_graph(
    f: GraphQLField, details: list[FieldDetails], subfields: Subfields, shapes: ObjectShapes
) -> Answer:
    graph_type = get_named_type(f.type)
    assert isinstance(graph_type, GraphQLObjectType)
    parts: list[tuple[str, str, Any]] = []
    for key, found in subfields(graph_type, details).items():
        name = found[0].node.name.value
        field_type = graph_type.fields[name].type if name != "__typename" else None
        if name == "__typename":
            parts.append((key, name, graph_type.name))
        elif name == "edges":
            wrapped = field_type
            while isinstance(wrapped, GraphQLNonNull | GraphQLList):
                wrapped = wrapped.of_type
            assert isinstance(wrapped, GraphQLObjectType)
            parts.append((key, name, edges_shape(wrapped, found, subfields, shapes)))
        else:  # account, opportunity, nodes: objects of the service
            assert field_type is not None
            parts.append((key, name, shapes.value(field_type, found, subfields)))
    needs_edges = any(name == "edges" for _, name, _ in parts)

    async def answer(
        database: Database, settings: Settings, tenant: str, args: dict[str, Any]
    ) -> dict[str, Any]:
        opportunity = args.get("opportunityId")
        account_map = await load_account_map(
            database,
            tenant,
            account_id=str(args["accountId"]),
            opportunity_id=None if opportunity is None else str(opportunity),
            for_plan=False,
        )
        edges = graph_edges(account_map) if needs_edges else []
        made: dict[str, Any] = {}
        for key, name, shape in parts:
            if name == "__typename":
                made[key] = shape
            elif name == "edges":
                made[key] = shape(edges)
            elif name == "nodes":
                made[key] = shape(graph_nodes(account_map))
            else:
                made[key] = shape(getattr(account_map, name))
        return made

    return answer


def coaching_plan(
    f: GraphQLField, details: list[FieldDetails], subfields: Subfields, shapes: ObjectShapes
) -> Answer:
    shape = shapes.value(f.type, details, subfields)
    options = options_reader(shapes)

    async def answer(
        database: Database, settings: Settings, tenant: str, args: dict[str, Any]
    ) -> Any:
        plan = await coaching.coaching_plan(
            database,
            settings,
            tenant,
            str(args["opportunityId"]),
            asked_of(options(args.get("options"))),
        )
        return shape(plan_of(plan))

    return answer


def options_reader(shapes: ObjectShapes) -> Callable[[dict[str, Any] | None], Any]:
    """Coerced ``CoachingOptions`` (GraphQL names) as the input object the resolver gets."""
    definition = shapes.schema.get_type_by_name("CoachingOptions")
    converter = shapes.schema.config.name_converter
    names = {converter.get_graphql_name(f): f.python_name for f in definition.fields}  # type: ignore[union-attr]

    def read(given: dict[str, Any] | None) -> CoachingOptions | None:
        if given is None:
            return None
        return CoachingOptions(**{names[k]: v for k, v in given.items()})

    return read


SERVICE_ROOTS: dict[str, Callable[..., Answer]] = {
    "accountGraph": account_graph,
    "coachingPlan": coaching_plan,
}
