"""Compiling a GraphQL read of the map into one Cypher statement and the shaping of its rows.

The root fields this handles are the map's reads: ``account``, ``stakeholder``,
``opportunity`` and ``argument`` lookups, ``accounts``, ``node``, ``playbook``, ``viewer`` and
``__typename``; below them every field the map's types have except ``history`` and
``changes``: properties (with the declared defaults of absent values), relationships
(:data:`~graph_api.api.map.types.NAVIGATIONS`), relationship ends, pages of children
(:data:`~graph_api.api.map.types.CHILD_PAGES`) with ``first``/``after``, ``__typename``;
fragments, inline fragments, aliases and ``@skip``/``@include`` (through graphql-core's own
field collection, so they mean exactly what the executor makes of them), arguments and
variables, nested as deep as the limits allow. What it does not handle raises
:class:`Unsupported`, and the request goes to the executor instead.

Everything about a kind — which fields are stored properties, their defaults, which follow
which relationship — comes from the declarations (:mod:`graph_api.domain.kinds`,
``NAVIGATIONS``), never from tables of its own. A compiled operation is a
:class:`DocumentPlan`; it compiles one :class:`Variant` per distinct values of the variables
its ``@skip``/``@include`` read and per kind of lookup (``id`` or ``externalId``, the label of
``node``'s id), and binds the other argument values per request.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableNode,
    get_named_type,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.schema.base import BaseSchema

from graph_api.api.compiled.objects import ObjectShapes
from graph_api.api.compiled.services import SERVICE_ROOTS, Answer
from graph_api.api.compiled.unsupported import Unsupported
from graph_api.api.map.queries import LOOKUPS
from graph_api.api.map.types import CHILD_PAGES, NAVIGATIONS, Navigation, end_field
from graph_api.api.pagination import window
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.ids import kind_of_id
from graph_api.domain.kinds import NODE_KINDS, RELATIONSHIPS_BY_TYPE, Prop, RelationshipKind, Today
from graph_api.domain.principal import Principal
from graph_api.errors import InvalidInput
from graph_api.repositories import reads
from graph_api.repositories.graph import ENDS

Shape = Callable[[Any], Any]
NODE_BOOKKEEPING = ("id", "externalId", "createdAt", "updatedAt", "updatedBy")
RELATIONSHIP_BOOKKEEPING = ("updatedAt", "updatedBy")
PAGE_CEILING = 2**62
"""Page windows past this are left to the executor (they overflow Cypher's integers)."""


def encode_cursor(offset: int) -> str:
    """The cursor of the item at ``offset`` (as :func:`graph_api.api.pagination.encode_cursor`)."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


# --- shapers --------------------------------------------------------------------------------


def object_shape(keys: Sequence[str], transforms: Sequence[tuple[int, Shape]]) -> Shape:
    """Zips a row (a list in column order) into a dict of response keys, after transforming
    the columns that need it (nested objects, enum names)."""
    names = tuple(keys)
    if not transforms:

        def plain(row: list[Any]) -> dict[str, Any]:
            return dict(zip(names, row, strict=True))

        return plain
    changes = tuple(transforms)

    def shaped(row: list[Any]) -> dict[str, Any]:
        for index, transform in changes:
            row[index] = transform(row[index])
        return dict(zip(names, row, strict=True))

    return shaped


def list_shape(item: Shape) -> Shape:
    def each(values: list[Any]) -> list[Any]:
        return [item(value) for value in values]

    return each


def nullable_shape(item: Shape) -> Shape:
    def maybe(value: Any) -> Any:
        return None if value is None else item(value)

    return maybe


def enum_shape(names: dict[str, str], is_list: bool) -> Shape:
    if is_list:
        return lambda values: None if values is None else [names[v] for v in values]
    return lambda value: None if value is None else names[value]


@dataclass(frozen=True)
class EdgeField:
    key: str
    what: str  # "cursor", "node", "__typename"
    value: Any = None  # node: (index in the page element, shape); __typename: the name


@dataclass(frozen=True)
class ConnectionField:
    key: str
    what: str  # "edges", "pageInfo", "totalCount", "__typename"
    value: Any = None  # edges: its EdgeFields; pageInfo: [(key, field)]; __typename: name


def connection_shape(fields: Sequence[ConnectionField]) -> Shape:
    """Shapes ``[offset, total, [element…]]`` into the Relay connection asked for."""
    chosen = tuple(fields)

    def edges_of(offset: int, page: list[Any], edge: tuple[EdgeField, ...]) -> list[Any]:
        out = []
        for index, element in enumerate(page):
            made: dict[str, Any] = {}
            for f in edge:
                if f.what == "cursor":
                    made[f.key] = encode_cursor(offset + index)
                elif f.what == "node":
                    position, shape = f.value
                    made[f.key] = shape(element[position])
                else:
                    made[f.key] = f.value
            out.append(made)
        return out

    def page_info(offset: int, count: int, total: int | None, asked: Any) -> dict[str, Any]:
        made: dict[str, Any] = {}
        for key, name in asked:
            if name == "hasNextPage":
                assert total is not None
                made[key] = offset + count < total
            elif name == "hasPreviousPage":
                made[key] = offset > 0
            elif name == "startCursor":
                made[key] = encode_cursor(offset) if count else None
            elif name == "endCursor":
                made[key] = encode_cursor(offset + count - 1) if count else None
            else:
                made[key] = "PageInfo"
        return made

    def connection(value: list[Any]) -> dict[str, Any]:
        offset, total, page = value
        made: dict[str, Any] = {}
        for f in chosen:
            if f.what == "edges":
                made[f.key] = edges_of(offset, page, f.value)
            elif f.what == "pageInfo":
                made[f.key] = page_info(offset, len(page), total, f.value)
            elif f.what == "totalCount":
                made[f.key] = total
            else:
                made[f.key] = f.value
        return made

    return connection


# --- the compilation of one variant ---------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """The parameters one field's arguments give, bound per request."""

    field: GraphQLField
    node: FieldNode
    bind: Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class RootAnswer:
    """How one root field is answered: from column ``column`` of the statement's row
    (shaped by ``shape``), or without the database (``value``, or the viewer's fields)."""

    key: str
    column: int | None = None
    shape: Shape | None = None
    value: Any = None
    viewer: tuple[tuple[str, str], ...] | None = None
    service: Answer | None = None


@dataclass
class Variant:
    """One compiled form of an operation: the statement, its constant parameters, the
    argument slots bound per request, and how each root key is answered."""

    cypher: str | None
    constants: dict[str, Any]
    slots: list[Slot]
    answers: list[RootAnswer]
    role_names: dict[str, str]


class _Build:
    """One compilation: allocates parameters and collects slots while walking selections."""

    def __init__(
        self,
        compiler: ReadCompiler,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
        operation: OperationDefinitionNode,
    ) -> None:
        self.compiler = compiler
        self.schema = compiler.schema
        self.fragments = fragments
        self.variables = variables
        self.operation = operation
        self.constants: dict[str, Any] = {}
        self._constant_names: dict[tuple[str, Any], str] = {}
        self.slots: list[Slot] = []
        self.count = 0

    def param(self) -> str:
        self.count += 1
        return f"p{self.count}"

    def constant(self, value: Any) -> str:
        key = (type(value).__name__, tuple(value) if isinstance(value, list) else value)
        name = self._constant_names.get(key)
        if name is None:
            name = self._constant_names[key] = f"k{len(self._constant_names)}"
            self.constants[name] = value
        return name

    def subfields(
        self, parent: GraphQLObjectType, details: list[FieldDetails]
    ) -> dict[str, list[FieldDetails]]:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, parent, details
        )
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        return collected.grouped_field_set

    @staticmethod
    def field_of(parent: GraphQLObjectType, details: list[FieldDetails]) -> GraphQLField:
        name = details[0].node.name.value
        found: GraphQLField | None = parent.fields.get(name)
        if found is None:
            raise Unsupported(f"{parent.name}.{name}")
        return found

    @staticmethod
    def object_type(f: GraphQLField) -> GraphQLObjectType:
        named = get_named_type(f.type)
        if not isinstance(named, GraphQLObjectType):
            raise Unsupported(f"{named} is not an object type")
        return named

    def property(self, p: Prop | None, name: str) -> tuple[reads.Column, Shape | None]:
        if p is None:
            return reads.Property(name), None
        default = p.default
        usable = default is not None and not isinstance(default, Today)
        stored_default = None
        if usable:
            value = list(default) if isinstance(default, tuple) else default
            stored_default = self.constant(getattr(value, "value", value))
        item = p.value.item or p.value
        column = reads.Property(
            p.name, stored_default, as_float=item.scalar == "Float", is_list=p.value.is_list
        )
        names = self.compiler.enum_names(item.enum) if item.enum is not None else None
        return column, None if names is None else enum_shape(names, p.value.is_list)

    def node_item(
        self, label: str, gtype: GraphQLObjectType, details: list[FieldDetails]
    ) -> tuple[reads.Item, Shape]:
        kind = NODE_KINDS[label]
        navigations = self.compiler.navigations.get(label, {})
        children = CHILD_PAGES.get(label, {})
        columns: list[reads.Column] = []
        keys: list[str] = []
        transforms: list[tuple[int, Shape]] = []
        for key, found in self.subfields(gtype, details).items():
            name = found[0].node.name.value
            transform: Shape | None = None
            column: reads.Column
            if name == "__typename":
                column = reads.Constant(self.constant(gtype.name))
            elif name in NODE_BOOKKEEPING:
                column, transform = self.property(None, name)
            elif name in kind.by_name:
                column, transform = self.property(kind.by_name[name], name)
            elif name in navigations:
                column, transform = self.follow(navigations[name], gtype, found)
            elif name in children:
                column, transform = self.children(label, children[name], gtype, found)
            else:
                raise Unsupported(f"{gtype.name}.{name}")
            if transform is not None:
                transforms.append((len(columns), transform))
            columns.append(column)
            keys.append(key)
        return reads.Item(tuple(columns)), object_shape(keys, transforms)

    def relationship_item(
        self, kind: RelationshipKind, gtype: GraphQLObjectType, details: list[FieldDetails]
    ) -> tuple[reads.Item, Shape]:
        ends = {
            end_field(kind, True): (True, kind.source),
            end_field(kind, False): (False, kind.target),
        }
        columns: list[reads.Column] = []
        keys: list[str] = []
        transforms: list[tuple[int, Shape]] = []
        for key, found in self.subfields(gtype, details).items():
            name = found[0].node.name.value
            transform: Shape | None = None
            column: reads.Column
            if name == "__typename":
                column = reads.Constant(self.constant(gtype.name))
            elif name == "id":
                column = reads.RelationshipId(self.constant(kind.type))
            elif name in RELATIONSHIP_BOOKKEEPING:
                column, transform = self.property(None, name)
            elif name in kind.by_name:
                column, transform = self.property(kind.by_name[name], name)
            elif name in ends:
                source, label = ends[name]
                end_type = self.object_type(self.field_of(gtype, found))
                item, shape = self.node_item(label, end_type, found)
                column, transform = reads.End(source, item), shape
            else:
                raise Unsupported(f"{gtype.name}.{name}")
            if transform is not None:
                transforms.append((len(columns), transform))
            columns.append(column)
            keys.append(key)
        return reads.Item(tuple(columns)), object_shape(keys, transforms)

    def follow(
        self, nav: Navigation, parent: GraphQLObjectType, details: list[FieldDetails]
    ) -> tuple[reads.Follow, Shape]:
        target_type = self.object_type(self.field_of(parent, details))
        if nav.shape in ("edges", "both"):
            kind = RELATIONSHIPS_BY_TYPE[nav.rel_type]
            item, shape = self.relationship_item(kind, target_type, details)
        else:
            source, target = ENDS[nav.rel_type]
            item, shape = self.node_item(target if nav.outgoing else source, target_type, details)
        made = reads.Follow(nav.rel_type, nav.outgoing, nav.shape, item)
        return made, nullable_shape(shape) if nav.shape == "node" else list_shape(shape)

    def connection(
        self,
        label: str,
        parent: GraphQLObjectType,
        details: list[FieldDetails],
    ) -> tuple[reads.Item, bool, Shape]:
        """A page's element item (one projection per ``node`` asked for), whether the total
        is needed, and the connection's shape."""
        connection_type = self.object_type(self.field_of(parent, details))
        projections: list[reads.Column] = []
        needs_total = False
        fields: list[ConnectionField] = []
        for key, found in self.subfields(connection_type, details).items():
            name = found[0].node.name.value
            if name == "__typename":
                fields.append(ConnectionField(key, name, connection_type.name))
            elif name == "totalCount":
                needs_total = True
                fields.append(ConnectionField(key, name))
            elif name == "pageInfo":
                info_type = self.object_type(self.field_of(connection_type, found))
                asked = tuple(
                    (k, f[0].node.name.value) for k, f in self.subfields(info_type, found).items()
                )
                needs_total = needs_total or any(name == "hasNextPage" for _, name in asked)
                fields.append(ConnectionField(key, name, asked))
            elif name == "edges":
                edge_type = self.object_type(self.field_of(connection_type, found))
                edge_fields: list[EdgeField] = []
                for edge_key, edge_found in self.subfields(edge_type, found).items():
                    edge_name = edge_found[0].node.name.value
                    if edge_name == "cursor":
                        edge_fields.append(EdgeField(edge_key, "cursor"))
                    elif edge_name == "__typename":
                        edge_fields.append(EdgeField(edge_key, edge_name, edge_type.name))
                    elif edge_name == "node":
                        node_type = self.object_type(self.field_of(edge_type, edge_found))
                        item, shape = self.node_item(label, node_type, edge_found)
                        edge_fields.append(EdgeField(edge_key, "node", (len(projections), shape)))
                        projections.append(reads.Same(item))
                    else:
                        raise Unsupported(f"{edge_type.name}.{edge_name}")
                fields.append(ConnectionField(key, name, tuple(edge_fields)))
            else:
                raise Unsupported(f"{connection_type.name}.{name}")
        return reads.Item(tuple(projections)), needs_total, connection_shape(fields)

    def window_slot(self, details: list[FieldDetails], f: GraphQLField) -> tuple[str, str]:
        offset, limit = self.param(), self.param()
        maximum = self.compiler.max_page_size

        def bind(args: dict[str, Any]) -> dict[str, Any]:
            start, size = window(args.get("first"), args.get("after"), maximum)
            if start + size > PAGE_CEILING:
                raise Unsupported("page window out of range")
            return {offset: start, limit: size}

        self.slots.append(Slot(f, details[0].node, bind))
        return offset, limit

    def children(
        self, label: str, child: str, parent: GraphQLObjectType, details: list[FieldDetails]
    ) -> tuple[reads.Children, Shape]:
        kind = NODE_KINDS[child]
        assert kind.parent is not None
        assert kind.parent.label == label
        f = self.field_of(parent, details)
        offset, limit = self.window_slot(details, f)
        item, total, shape = self.connection(child, parent, details)
        page = reads.Children(
            child,
            kind.parent.rel_type,
            kind.parent.child_points_to_parent,
            offset,
            limit,
            total,
            item,
        )
        return page, shape


# --- roots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RootField:
    key: str
    details: list[FieldDetails]
    definition: GraphQLField | None  # None for __typename


def selector(field_name: str, args: dict[str, Any]) -> Any:
    """What of a root field's arguments the compiled form depends on: which key a lookup
    uses, the label of ``node``'s id. Raises InvalidInput as the resolver would."""
    if field_name in LOOKUPS:
        node_id, external_id = args.get("id"), args.get("externalId")
        if (node_id is None) == (external_id is None):
            raise InvalidInput("give exactly one of 'id' or 'externalId'")
        return "id" if node_id is not None else "externalId"
    if field_name == "node":
        return kind_of_id(str(args["id"]))
    return None


@dataclass
class Prepared:
    """One request's statement and parameters, and how to answer from its row."""

    variant: Variant
    parameters: dict[str, Any]
    principal: Principal
    arguments: dict[str, dict[str, Any]]
    """The coerced arguments of each root field, by key (the services read theirs)."""

    async def data(self, database: Database, settings: Settings) -> dict[str, Any]:
        """The answer's ``data``: the statement's row shaped, the services' answers."""
        cypher = self.variant.cypher
        row = (
            None if cypher is None else await reads.compiled_read(database, cypher, self.parameters)
        )
        data: dict[str, Any] = {}
        for answer in self.variant.answers:
            if answer.column is not None:
                assert row is not None
                assert answer.shape is not None
                data[answer.key] = answer.shape(row[answer.column])
            elif answer.service is not None:
                data[answer.key] = await answer.service(
                    database, settings, self.principal.tenant_id, self.arguments[answer.key]
                )
            elif answer.viewer is not None:
                data[answer.key] = self.viewer(answer.viewer)
            else:
                data[answer.key] = answer.value
        return data

    def viewer(self, asked: tuple[tuple[str, str], ...]) -> dict[str, Any]:
        principal = self.principal
        made: dict[str, Any] = {}
        for key, name in asked:
            if name == "tenant":
                made[key] = principal.tenant_id
            elif name == "role":
                made[key] = self.variant.role_names[principal.role.value]
            elif name == "actor":
                made[key] = principal.actor
            elif name == "canEdit":
                made[key] = principal.can_write
            else:
                made[key] = "Viewer"
        return made


class DocumentPlan:
    """The compiled forms of one query operation of one document."""

    def __init__(
        self, compiler: ReadCompiler, document: DocumentNode, operation: OperationDefinitionNode
    ) -> None:
        self.compiler = compiler
        self.operation = operation
        self.fragments = {
            d.name.value: FragmentDetails(d)
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.switches = sorted(directive_variables(operation, self.fragments))
        self._roots: dict[tuple[Any, ...], list[RootField]] = {}
        self._variants: dict[tuple[Any, ...], Variant | None] = {}
        self._unsupported: dict[tuple[Any, ...], str] = {}

    def roots(self, variables: VariableValues, switches: tuple[Any, ...]) -> list[RootField]:
        found = self._roots.get(switches)
        if found is None:
            schema = self.compiler.schema
            query = schema.query_type
            assert query is not None
            collected = collect_fields(schema, self.fragments, variables, query, self.operation)
            if collected.new_defer_usages:
                raise Unsupported("@defer")
            found = []
            for key, details in collected.grouped_field_set.items():
                name = details[0].node.name.value
                if name == "__typename":
                    found.append(RootField(key, details, None))
                elif name in ROOT_FIELDS:
                    found.append(RootField(key, details, query.fields[name]))
                else:
                    raise Unsupported(f"Query.{name}")
            self._roots[switches] = found
        return found

    def prepare(self, variables: VariableValues, principal: Principal) -> Prepared:
        """The statement and parameters of one request. Raises Unsupported (the executor
        answers), FlagbearerError or GraphQLError (the executor answers, with the error)."""
        switches = tuple(variables.coerced.get(name) for name in self.switches)
        roots = self.roots(variables, switches)
        arguments: list[dict[str, Any]] = []
        selectors: list[Any] = []
        for root in roots:
            if root.definition is None:
                arguments.append({})
                selectors.append(None)
                continue
            args = get_argument_values(root.definition, root.details[0].node, variables)
            arguments.append(args)
            selectors.append(selector(root.details[0].node.name.value, args))
        key = (switches, tuple(selectors))
        if key in self._variants:
            variant = self._variants[key]
        else:
            try:
                variant = self.compiler.variant(
                    self.operation, self.fragments, variables, roots, selectors
                )
            except Unsupported as unsupported:
                variant = None
                self._unsupported[key] = str(unsupported)
            self._variants[key] = variant
        if variant is None:
            raise Unsupported(self._unsupported[key])
        parameters = dict(variant.constants)
        parameters["tenantId"] = principal.tenant_id
        for root, args in zip(roots, arguments, strict=True):
            binder = self.compiler.root_binders.get(root.details[0].node.name.value)
            if binder is not None and root.definition is not None:
                parameters.update(binder(root.key, args))
        for slot in variant.slots:
            parameters.update(slot.bind(get_argument_values(slot.field, slot.node, variables)))
        named = {root.key: args for root, args in zip(roots, arguments, strict=True)}
        return Prepared(variant, parameters, principal, named)


ROOT_FIELDS = frozenset({*LOOKUPS, "node", "accounts", "playbook", "viewer", *SERVICE_ROOTS})


def _root_param(key: str, name: str) -> str:
    """The parameter of a root field's argument: root keys are GraphQL names, so the
    parameter name is a plain identifier."""
    return f"r_{key}_{name}"


def _bind_lookup(key: str, args: dict[str, Any]) -> dict[str, Any]:
    node_id, external_id = args.get("id"), args.get("externalId")
    return {_root_param(key, "key"): str(node_id if node_id is not None else external_id)}


def _bind_node(key: str, args: dict[str, Any]) -> dict[str, Any]:
    return {_root_param(key, "key"): str(args["id"])}


class ReadCompiler:
    """Compiles query operations over the map of one schema (see the module docstring)."""

    def __init__(self, schema: BaseSchema, max_page_size: int) -> None:
        self.schema: GraphQLSchema = schema._schema  # type: ignore[attr-defined]
        self.shapes = ObjectShapes(schema)
        self.max_page_size = max_page_size
        self.navigations = {
            label: {nav.field: nav for nav in navs} for label, navs in NAVIGATIONS.items()
        }
        self._enum_names: dict[Any, dict[str, str] | None] = {}
        self.root_binders: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {
            **dict.fromkeys(LOOKUPS, _bind_lookup),
            "node": _bind_node,
        }
        role = self.schema.type_map.get("ApiKeyRole")
        self.role_names = (
            {str(v.value): name for name, v in role.values.items()}
            if isinstance(role, GraphQLEnumType)
            else {}
        )

    def enum_names(self, enum: Any) -> dict[str, str] | None:
        """Stored value -> GraphQL name of a domain enum, or None when they are the same."""
        if enum not in self._enum_names:
            names = {}
            for gtype in self.schema.type_map.values():
                if isinstance(gtype, GraphQLEnumType) and {
                    v.value for v in gtype.values.values()
                } == {m.value for m in enum}:
                    names = {str(v.value): name for name, v in gtype.values.items()}
                    break
            same = all(stored == name for stored, name in names.items())
            self._enum_names[enum] = None if same else names
        return self._enum_names[enum]

    def plan(self, document: DocumentNode, operation: OperationDefinitionNode) -> DocumentPlan:
        return DocumentPlan(self, document, operation)

    def variant(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
        roots: list[RootField],
        selectors: list[Any],
    ) -> Variant:
        build = _Build(self, fragments, variables, operation)
        tree: list[reads.Root] = []
        answers: list[RootAnswer] = []
        query = self.schema.query_type
        assert query is not None
        for root, chosen in zip(roots, selectors, strict=True):
            name = root.details[0].node.name.value
            if root.definition is None:
                answers.append(RootAnswer(root.key, value=query.name))
                continue
            f = root.definition
            if name == "viewer":
                viewer_type = build.object_type(f)
                asked = tuple(
                    (k, d[0].node.name.value)
                    for k, d in build.subfields(viewer_type, root.details).items()
                )
                answers.append(RootAnswer(root.key, viewer=asked))
                continue
            if name in SERVICE_ROOTS:
                answers.append(
                    RootAnswer(
                        root.key,
                        service=SERVICE_ROOTS[name](f, root.details, build.subfields, self.shapes),
                    )
                )
                continue
            if name == "node" and chosen is None:
                answers.append(RootAnswer(root.key, value=None))
                continue
            if name in LOOKUPS or name == "node":
                label = LOOKUPS.get(name, chosen)
                gtype = self.schema.type_map[label]
                assert isinstance(gtype, GraphQLObjectType)
                item, shape = build.node_item(label, gtype, root.details)
                key: Literal["id", "externalId"] = (
                    "externalId" if name in LOOKUPS and chosen == "externalId" else "id"
                )
                tree.append(reads.Lookup(label, key, _root_param(root.key, "key"), item))
                answers.append(RootAnswer(root.key, len(tree) - 1, nullable_shape(shape)))
            elif name == "accounts":
                offset, limit = build.window_slot(root.details, f)
                prefix = f"{build.param()}_"
                filter_slot(build, root, prefix)
                item, total, shape = build.connection("Account", query, root.details)
                tree.append(reads.AccountPage(prefix, offset, limit, total, item))
                answers.append(RootAnswer(root.key, len(tree) - 1, shape))
            else:  # playbook
                tree_root, shape = playbook(build, f, root)
                tree.append(tree_root)
                answers.append(RootAnswer(root.key, len(tree) - 1, shape))
        roots_tree = tuple(tree)
        reads.check_names(roots_tree)
        cypher = reads.statement(roots_tree) if roots_tree else None
        return Variant(cypher, build.constants, build.slots, answers, self.role_names)


def filter_slot(build: _Build, root: RootField, prefix: str) -> None:
    """``accounts``' filter: its four fields as parameters (null when not given)."""
    assert root.definition is not None

    def bind(args: dict[str, Any]) -> dict[str, Any]:
        given = args.get("filter") or {}
        return {
            f"{prefix}{name}": given.get(name)
            for name in ("nameContains", "industry", "region", "isReference")
        }

    build.slots.append(Slot(root.definition, root.details[0].node, bind))


def playbook(build: _Build, f: GraphQLField, root: RootField) -> tuple[reads.Playbook, Shape]:
    """The playbook's two lists; each element is one projection per key asking for it."""
    playbook_type = build.object_type(f)
    projections: dict[str, list[reads.Column]] = {"concerns": [], "arguments": []}
    parts: list[tuple[str, str, int, Shape | None]] = []
    for key, found in build.subfields(playbook_type, root.details).items():
        name = found[0].node.name.value
        if name == "__typename":
            parts.append((key, name, 0, None))
            continue
        if name not in projections:
            raise Unsupported(f"Playbook.{name}")
        label = "Concern" if name == "concerns" else "Argument"
        item_type = build.object_type(build.field_of(playbook_type, found))
        item, each = build.node_item(label, item_type, found)
        parts.append((key, name, len(projections[name]), each))
        projections[name].append(reads.Same(item))
    type_name = playbook_type.name

    def shape(value: list[Any]) -> dict[str, Any]:
        lists = dict(zip(("concerns", "arguments"), value, strict=True))
        made: dict[str, Any] = {}
        for key, name, position, each in parts:
            if each is None:
                made[key] = type_name
            else:
                made[key] = [each(element[position]) for element in lists[name]]
        return made

    items = {name: reads.Item(tuple(c)) if c else None for name, c in projections.items()}
    return reads.Playbook(items["concerns"], items["arguments"]), shape


def directive_variables(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
) -> set[str]:
    """Variables read by ``@skip``/``@include`` in the operation or its fragments."""
    found: set[str] = set()
    stack: list[Any] = [operation, *(f.definition for f in fragments.values())]
    while stack:
        node = stack.pop()
        if isinstance(node, DirectiveNode) and node.name.value in ("skip", "include"):
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    found.add(argument.value.name.value)
        for key in getattr(node, "keys", ()):
            child = getattr(node, key, None)
            if isinstance(child, tuple | list):
                stack.extend(c for c in child if hasattr(c, "keys"))
            elif hasattr(child, "keys") and not isinstance(child, str):
                stack.append(child)
    return found
