"""Shaping objects the service already made (a coaching plan, the records of its map) into
the response a selection asks for, without GraphQL's field-by-field completion.

A selection on an object type compiles once into a function from the object to its response
dict: each key reads one attribute (the field's Python name, as strawberry resolves a field
without a resolver) and serializes it by the field's GraphQL type — lists element by element,
enums by name, ``Float`` as a float, custom scalars by their own ``serialize``. A field with a
resolver of its own (``Stakeholder.influences`` loads from Neo4j) is not shaped here: the
selection raises :class:`Unsupported` and the executor answers the request. A null where the
schema promises a value raises too, for the same reason: the executor reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from graphql.execution.collect_fields import FieldDetails
from strawberry.schema.base import BaseSchema
from strawberry.types.base import StrawberryObjectDefinition

from graph_api.api.compiled.unsupported import Unsupported

Shape = Callable[[Any], Any]
Subfields = Callable[[GraphQLObjectType, list[FieldDetails]], dict[str, list[FieldDetails]]]


class NullValue(Unsupported):
    """A null where the schema promises a value: the executor reports it."""


def _leaf(gtype: GraphQLScalarType | GraphQLEnumType) -> Shape:
    if isinstance(gtype, GraphQLEnumType):
        names: dict[Any, Any] = {}

        def enum(value: Any) -> Any:
            name = names.get(value)
            if name is None:
                name = names[value] = gtype.serialize(value)
            return name

        return enum
    if gtype.name in ("String", "ID"):
        return lambda value: value if type(value) is str else gtype.serialize(value)
    if gtype.name == "Float":
        return lambda value: float(value) if type(value) in (float, int) else gtype.serialize(value)
    if gtype.name in ("Int", "Boolean"):
        exact = int if gtype.name == "Int" else bool
        return lambda value: value if type(value) is exact else gtype.serialize(value)
    return gtype.serialize  # Date, DateTime, JSON: their own serialize


class ObjectShapes:
    """Compiles selections on the object types of one strawberry schema."""

    def __init__(self, schema: BaseSchema) -> None:
        self.schema = schema
        self._attributes: dict[str, dict[str, str | None]] = {}

    def attributes(self, type_name: str) -> dict[str, str | None]:
        """GraphQL field -> Python attribute of a type (None: the field has a resolver)."""
        found = self._attributes.get(type_name)
        if found is None:
            definition = self.schema.get_type_by_name(type_name)
            if not isinstance(definition, StrawberryObjectDefinition):
                raise Unsupported(f"{type_name} is not an object type")
            converter = self.schema.config.name_converter
            found = self._attributes[type_name] = {
                converter.get_graphql_name(f): (
                    None if f.base_resolver is not None else f.python_name
                )
                for f in definition.fields
            }
        return found

    def value(
        self, gtype: GraphQLOutputType, details: list[FieldDetails], subfields: Subfields
    ) -> Shape:
        """The shape of one value of ``gtype`` (any wrapping) for the fields ``details``."""
        if isinstance(gtype, GraphQLNonNull):
            inner = self.value(gtype.of_type, details, subfields)

            def required(value: Any) -> Any:
                if value is None:
                    raise NullValue("a null where a value is promised")
                return inner(value)

            return required
        if isinstance(gtype, GraphQLList):
            item = self.value(gtype.of_type, details, subfields)
            return lambda values: None if values is None else [item(v) for v in values]
        if isinstance(gtype, GraphQLObjectType):
            shape = self.object(gtype, details, subfields)
            return lambda value: None if value is None else shape(value)
        if isinstance(gtype, GraphQLScalarType | GraphQLEnumType):
            leaf = _leaf(gtype)
            return lambda value: None if value is None else leaf(value)
        raise Unsupported(f"{gtype} (an abstract type)")

    def object(
        self, gtype: GraphQLObjectType, details: list[FieldDetails], subfields: Subfields
    ) -> Shape:
        """The shape of an object of ``gtype`` for the selections of ``details``."""
        attributes = self.attributes(gtype.name)
        fields: list[tuple[str, str | None, Shape | None]] = []
        for key, found in subfields(gtype, details).items():
            name = found[0].node.name.value
            if name == "__typename":
                fields.append((key, None, None))
                continue
            attribute = attributes.get(name)
            if attribute is None:
                raise Unsupported(f"{gtype.name}.{name}")
            fields.append((key, attribute, self.value(gtype.fields[name].type, found, subfields)))
        type_name = gtype.name

        def shape(value: Any) -> dict[str, Any]:
            made: dict[str, Any] = {}
            for key, attribute, convert in fields:
                if attribute is None:
                    made[key] = type_name
                else:
                    assert convert is not None
                    made[key] = convert(getattr(value, attribute))
            return made

        return shape
