"""Abuse limits on GraphQL documents: tokens, depth, aliases, page size, cost and rate.

Every refusal is a :class:`LimitExceeded` whose ``limit`` names the limit (``tokens``,
``depth``, ``aliases``, ``pageSize``, ``cost``, ``rate``), so clients see
``extensions.code = "LIMIT_EXCEEDED"`` and ``extensions.limit``.

Cost: a field costs 1 plus its children's cost; a field with a ``first`` argument multiplies
its children by the page size (``first``, else the argument's default, else 20); any other
list multiplies them by :data:`UNPAGED_LIST_SIZE`, except the page list inside a connection
(already counted by ``first``). ``accounts(first: 100) { edges { node { id name } } }``
costs 1 + 100 * (1 + (1 + 2)) = 401.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    get_named_type,
    get_nullable_type,
    is_composite_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.language import Lexer, Source, TokenKind
from strawberry.extensions import DisableIntrospection, SchemaExtension

from graph_api.api.context import Context
from graph_api.api.ratelimit import CostBudget, rate_limiter_for
from graph_api.api.types import DEFAULT_PAGE_SIZE
from graph_api.config import Settings
from graph_api.errors import LimitExceeded

UNPAGED_LIST_SIZE = 5
"""Assumed length of a list without ``first``: committees, plays and paths are short."""

Selections = dict[str, FragmentDefinitionNode]


def count_tokens(query: str, stop_after: int) -> int:
    """Lexical tokens in ``query``, counting no further than ``stop_after + 1``.

    A lexing error ends the count: the parser reports it properly afterwards.
    """
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind != TokenKind.EOF and count <= stop_after:
            count += 1
    except GraphQLError:
        return count
    return count


def _limit_error(message: str, limit: str, nodes: Any = None) -> GraphQLError:
    return GraphQLError(message, nodes, original_error=LimitExceeded(message, limit))


def _is_introspection(node: FieldNode) -> bool:
    return node.name.value.startswith("__") and node.name.value != "__typename"


def selection_depth(
    selection_set: SelectionSetNode | None,
    fragments: Selections,
    seen: frozenset[str] = frozenset(),
) -> int:
    """The deepest field nesting below ``selection_set``, through fragments (cycles stop)."""
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if not _is_introspection(selection):
                deepest = max(
                    deepest, 1 + selection_depth(selection.selection_set, fragments, seen)
                )
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, selection_depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                deepest = max(
                    deepest, selection_depth(fragment.selection_set, fragments, seen | {name})
                )
    return deepest


def depth_rule(max_depth: int) -> type[ASTValidationRule]:
    class MaxDepthRule(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            fragments = {
                d.name.value: d
                for d in self.context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            depth = selection_depth(node.selection_set, fragments)
            if depth > max_depth:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    _limit_error(
                        f"query depth limit: operation '{name}' is {depth} levels deep;"
                        f" at most {max_depth} are allowed",
                        "depth",
                        node,
                    )
                )

    return MaxDepthRule


def alias_rule(max_aliases: int) -> type[ASTValidationRule]:
    class MaxAliasesRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.aliases = 0

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.alias is None:
                return
            self.aliases += 1
            if self.aliases == max_aliases + 1:
                self.report_error(
                    _limit_error(
                        f"alias limit: the document uses more than {max_aliases} aliases",
                        "aliases",
                        node,
                    )
                )

    return MaxAliasesRule


class QueryCost:
    """The cost of one operation, with ``first`` checked against the page size limit."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Selections,
        variables: VariableValues | None,
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.max_page_size = max_page_size

    def of_operation(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        return 0 if root is None else self.of_selections(operation.selection_set, root, False)

    def of_selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        in_page: bool,
        seen: frozenset[str] = frozenset(),
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.of_field(selection, parent, in_page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.of_selections(
                    selection.selection_set, target or parent, in_page, seen
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.of_selections(
                        fragment.selection_set, target or parent, in_page, seen | {name}
                    )
        return total

    def of_field(self, node: FieldNode, parent: GraphQLNamedType, in_page: bool) -> int:
        if _is_introspection(node):
            return 0
        fields: dict[str, GraphQLField] = getattr(parent, "fields", {})
        definition = fields.get(node.name.value)
        if definition is None or not is_composite_type(get_named_type(definition.type)):
            return 1
        child_type = get_named_type(definition.type)
        is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        is_connection = "pageInfo" in getattr(child_type, "fields", {})
        if "first" in definition.args:
            multiplier = self.page_size(node, definition)
        elif is_list and not in_page:
            multiplier = UNPAGED_LIST_SIZE
        else:
            multiplier = 1
        children = self.of_selections(node.selection_set, child_type, is_connection)
        return 1 + multiplier * children

    def page_size(self, node: FieldNode, definition: GraphQLField) -> int:
        try:
            first = get_argument_values(definition, node, self.variables).get("first")
        except GraphQLError:  # execution reports the bad argument itself
            first = None
        if first is None:
            default = definition.args["first"].default_value
            first = default if isinstance(default, int) else DEFAULT_PAGE_SIZE
        if first > self.max_page_size:
            raise LimitExceeded(
                f"page size limit: '{node.name.value}(first: {first})' asks for more than"
                f" {self.max_page_size} items per page",
                "pageSize",
            )
        return max(first, 1)


class SecurityLimits(SchemaExtension):
    """Tokens before parsing, depth and aliases during validation, cost and rate before
    execution."""

    def __init__(self, settings: Settings, limiter: CostBudget) -> None:
        self.settings = settings
        self.limiter = limiter

    def on_operation(self) -> Iterator[None]:
        self.execution_context.validation_rules = (
            *self.execution_context.validation_rules,
            depth_rule(self.settings.max_query_depth),
            alias_rule(self.settings.max_aliases),
        )
        yield

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query or ""
        maximum = self.settings.max_query_tokens
        if count_tokens(query, maximum) > maximum:
            raise LimitExceeded(
                f"token limit: the document has more than {maximum} tokens", "tokens"
            )
        yield

    async def on_execute(self) -> AsyncIterator[None]:  # async: a shared budget is in Redis
        cost = self.operation_cost()
        if cost > self.settings.max_query_cost:
            raise LimitExceeded(
                f"cost limit: the query costs {cost}; at most {self.settings.max_query_cost}"
                " is allowed (each list costs its page size 'first' times its fields)",
                "cost",
            )
        context = self.execution_context.context
        if isinstance(context, Context):
            await self.limiter.spend(context.principal.actor, cost)
        yield

    def operation_cost(self) -> int:
        ec = self.execution_context
        document = ec.graphql_document
        if document is None:
            return 0
        schema = ec.schema._schema
        operation = ec.operation_name
        fragments: Selections = {}
        chosen: OperationDefinitionNode | None = None
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = definition
            elif isinstance(definition, OperationDefinitionNode) and (
                operation is None or (definition.name and definition.name.value == operation)
            ):
                chosen = chosen or definition
        if chosen is None:
            return 0
        coerced = get_variable_values(schema, chosen.variable_definitions or (), ec.variables or {})
        variables = coerced if isinstance(coerced, VariableValues) else None
        return QueryCost(schema, fragments, variables, self.settings.max_page_size).of_operation(
            chosen
        )


def security_extensions(
    settings: Settings, limiter: CostBudget | None = None
) -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    """The schema extensions enforcing ``settings``' limits; one rate limiter per schema
    (``limiter``, else the one the settings ask for).

    Example:
        ``strawberry.Schema(query=Query, extensions=security_extensions(settings))``
    """
    limiter = rate_limiter_for(settings) if limiter is None else limiter
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: SecurityLimits(settings, limiter)
    ]
    if settings.production:
        extensions.append(DisableIntrospection)
    return extensions
