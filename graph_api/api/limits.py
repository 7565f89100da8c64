"""Abuse limits on GraphQL documents: tokens, validation work, depth, aliases, page size, cost
and rate.

Every refusal is a :class:`LimitExceeded` whose ``limit`` names the limit (``tokens``,
``validationWork``, ``depth``, ``aliases``, ``pageSize``, ``cost``, ``rate``), so clients see
``extensions.code = "LIMIT_EXCEEDED"`` and ``extensions.limit``.

Checking a document costs what the document costs. The parser stops at the token limit (one
lexing pass). One walk then measures every definition once: a fragment's depth and cost are
computed once (cost once per "inside a page" flag) and reused wherever it is spread, fragment
cycles are cut (validation reports them), and the walk counts its work. Work is one step per
selection, plus one per pair of same-named fields in a selection set, per pair of fragments in
a selection set and per pair of fragment definitions: the pairs GraphQL's field-merging rule
compares. A document needing more than ``max_validation_work`` steps is refused before
GraphQL validates it; validation itself runs off the event loop.

Cost: a field costs 1 plus its children's cost; a field with a ``first`` argument multiplies
its children by the page size (``first``, else the argument's default, else 20); any other
list multiplies them by :data:`UNPAGED_LIST_SIZE`, except the page list inside a connection
(already counted by ``first``). ``accounts(first: 100) { edges { node { id name } } }``
costs 1 + 100 * (1 + (1 + 2)) = 401. Influence searches add what the search may do:

- ``influencePaths(maxHops: h, first: n)`` adds ``n * 3^(h-1)``: the paths a search may
  extend when each person influences three others (defaults h=3, n=5: 45; h=6, n=50: 12150).
- ``coachingPlan(options: {maxHops: h})`` adds ``10 * 3^(h-1)`` (h=3: 90; h=6: 2430); when
  ``maxHops`` is left out it is costed at the model default, 3.

Checks are computed once per distinct document: :class:`DocumentChecks` keeps, per document
text, the parsed document, its shape refusal (if any) and its validation errors, and per
operation name and values of the variables the cost reads (``first``, ``maxHops``,
``options``), its cost. Nothing is re-parsed, re-walked or re-validated for a document seen
before; a refusal is still charged and answered every time.

Charges: an accepted request is charged its cost against the caller's rate budget; a request
refused by any limit is charged ``max_query_cost``, the most an accepted request may cost, so
a caller cannot probe the limits for free (with the defaults, 12 refusals a minute empty the
budget and further requests get 429 until it refills).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, NoReturn

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    parse,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.schema.schema import validate_document

from graph_api import engine
from graph_api.api.context import Context
from graph_api.api.pagination import DEFAULT_PAGE_SIZE
from graph_api.api.ratelimit import CostBudget, rate_limiter_for
from graph_api.config import Settings
from graph_api.engine.model import MAX_HOPS_RANGE
from graph_api.errors import LimitExceeded

UNPAGED_LIST_SIZE = 5
"""Assumed length of a list without ``first``: committees, plays and paths are short."""
PATH_BRANCHING = 3
"""Assumed influencers per person when costing a path search."""
PLAN_SEARCHES = 10
"""Path searches a coaching plan is costed as (champions x approvers x arguments, pruned)."""
COST_CEILING = 10**12
"""Costs stop growing here (far above any sane limit), so arithmetic stays small."""
VALIDATION_THREADS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="graphql-validation")
"""Validation's own threads: off the event loop, and never queued behind other work sent to
the default executor."""
PARSER_LIMIT = re.compile(r"Document contains more than (\d+) (tokens|comments)\.")
COST_ARGUMENTS = frozenset({"first", "maxHops", "options"})
"""The arguments :class:`QueryCost` reads: a variable used in one makes the cost vary."""
CACHED_DOCUMENTS = 512
"""Distinct documents whose checks a process keeps (least recently used go first)."""
CACHED_DOCUMENT_CHARS = 100_000
"""Longer documents are checked every time (they are rare; this bounds the cache's memory)."""
CACHED_COSTS = 64
"""Costs kept per document (one per operation and values of its cost variables)."""


def parse_within_limit(query: str, max_tokens: int) -> DocumentNode:
    """``query`` parsed in one pass that stops past ``max_tokens`` tokens (or comments).

    Raises LimitExceeded for a document over the limit and GraphQLSyntaxError for any other
    syntax error.
    """
    try:
        return parse(query, max_lexical_tokens=max_tokens, max_comments=max_tokens)
    except GraphQLSyntaxError as error:
        found = PARSER_LIMIT.search(error.message)
        if found is None:
            raise
        raise LimitExceeded(
            f"token limit: the document has more than {max_tokens} {found.group(2)}", "tokens"
        ) from None


def _is_introspection(node: FieldNode) -> bool:
    return node.name.value.startswith("__") and node.name.value != "__typename"


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


@dataclass
class _Facts:
    """One definition's own shape: its deepest field nesting, and where it spreads
    fragments (name -> the deepest field depth of a spread of it)."""

    depth: int = 0
    spreads: dict[str, int] = field(default_factory=dict)


class DocumentShape:
    """Depth and aliases of one document, each definition walked once; refuses a document
    whose checking needs more than ``max_work`` steps (see the module docstring).

    Example:
        ``DocumentShape(parse("{ a { b } }"), 100).depth_of(operation)`` is 2.
    """

    def __init__(self, document: DocumentNode, max_work: int) -> None:
        self.max_work = max_work
        self.work = 0
        self.aliases = 0
        self.fragments: dict[str, FragmentDefinitionNode] = {}
        self.operations: list[OperationDefinitionNode] = []
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                self.fragments.setdefault(definition.name.value, definition)
            elif isinstance(definition, OperationDefinitionNode):
                self.operations.append(definition)
        self._spend(_pairs(len(self.fragments)))
        self.facts = {name: self._walk(f.selection_set) for name, f in self.fragments.items()}
        self.operation_facts = [self._walk(op.selection_set) for op in self.operations]
        self.order = dependency_order(self.fragments, {n: f.spreads for n, f in self.facts.items()})
        self.fragment_depths: dict[str, int] = {}
        for name in self.order:
            self.fragment_depths[name] = self._depth(self.facts[name])

    def depth_of(self, operation: OperationDefinitionNode) -> int:
        return self._depth(self.operation_facts[self.operations.index(operation)])

    def _depth(self, facts: _Facts) -> int:
        deepest = facts.depth
        for name, offset in facts.spreads.items():
            deepest = max(deepest, offset + self.fragment_depths.get(name, 0))
        return deepest

    def _spend(self, steps: int) -> None:
        self.work += steps
        if self.work > self.max_work:
            raise LimitExceeded(
                f"validation work limit: checking this document takes more than"
                f" {self.max_work} steps (selections, plus pairs of same-named fields and of"
                " fragments that must be compared); send fewer fragments or repeated fields",
                "validationWork",
            )

    def _walk(self, selection_set: SelectionSetNode) -> _Facts:
        """One pass over a definition's own selections (spreads are not followed)."""
        facts = _Facts()
        # (selection set, field depth of its fields' parent, whether depth counts there)
        stack: list[tuple[SelectionSetNode, int, bool]] = [(selection_set, 0, True)]
        while stack:
            current, depth, counted = stack.pop()
            names: dict[str, int] = {}
            fragments = 0
            self._spend(len(current.selections))
            for selection in current.selections:
                if isinstance(selection, FieldNode):
                    if selection.alias is not None:
                        self.aliases += 1
                    name = (selection.alias or selection.name).value
                    names[name] = names.get(name, 0) + 1
                    counts = counted and not _is_introspection(selection)
                    if counts:
                        facts.depth = max(facts.depth, depth + 1)
                    if selection.selection_set is not None:
                        stack.append((selection.selection_set, depth + 1, counts))
                elif isinstance(selection, InlineFragmentNode):
                    fragments += 1
                    stack.append((selection.selection_set, depth, counted))
                elif isinstance(selection, FragmentSpreadNode):
                    fragments += 1
                    if counted:
                        spread = selection.name.value
                        facts.spreads[spread] = max(facts.spreads.get(spread, 0), depth)
            self._spend(sum(_pairs(n) for n in names.values()) + _pairs(fragments))
        return facts


def dependency_order(
    fragments: dict[str, FragmentDefinitionNode], spreads: dict[str, dict[str, int]]
) -> list[str]:
    """Fragment names, each after every fragment it spreads; a spread that closes a cycle is
    ignored (validation reports the cycle). Iterative, so a long chain cannot overflow."""
    order: list[str] = []
    state: dict[str, bool] = {}  # False: being visited, True: done
    for root in fragments:
        if root in state:
            continue
        state[root] = False
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(spreads.get(root, {})))]
        while stack:
            name, children = stack[-1]
            for child in children:
                if child in fragments and child not in state:
                    state[child] = False
                    stack.append((child, iter(spreads.get(child, {}))))
                    break
            else:
                stack.pop()
                state[name] = True
                order.append(name)
    return order


class QueryCost:
    """The cost of one operation, with ``first`` checked against the page size limit.

    Each fragment is costed once per "inside a page" flag, in dependency order, so spreading
    a fragment twice costs one lookup, not a second walk.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues | None,
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.max_page_size = max_page_size
        self.fragment_costs: dict[tuple[str, bool], int] = {}

    def of_operation(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return 0
        spreads = {name: self._spreads(f.selection_set) for name, f in self.fragments.items()}
        reachable: dict[str, FragmentDefinitionNode] = {}
        pending = list(self._spreads(operation.selection_set))
        while pending:
            name = pending.pop()
            if name in self.fragments and name not in reachable:
                reachable[name] = self.fragments[name]
                pending.extend(spreads[name])
        for name in dependency_order(reachable, spreads):
            fragment = self.fragments[name]
            target = self.schema.get_type(fragment.type_condition.name.value) or root
            for in_page in (False, True):
                self.fragment_costs[name, in_page] = self.of_selections(
                    fragment.selection_set, target, in_page
                )
        return self.of_selections(operation.selection_set, root, False)

    @staticmethod
    def _spreads(selection_set: SelectionSetNode) -> dict[str, int]:
        found: dict[str, int] = {}
        stack = [selection_set]
        while stack:
            for selection in stack.pop().selections:
                if isinstance(selection, FragmentSpreadNode):
                    found[selection.name.value] = 0
                elif isinstance(selection, (FieldNode, InlineFragmentNode)) and (
                    selection.selection_set is not None
                ):
                    stack.append(selection.selection_set)
        return found

    def of_selections(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, in_page: bool
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
                total += self.of_selections(selection.selection_set, target or parent, in_page)
            elif isinstance(selection, FragmentSpreadNode):
                # Missing only for a fragment in a cycle or an unknown one: validation refused
                # those already.
                total += self.fragment_costs.get((selection.name.value, in_page), 0)
        return min(total, COST_CEILING)

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
        arguments = self.arguments(node, definition)
        if "first" in definition.args:
            multiplier = self.page_size(node, definition, arguments.get("first"))
        elif is_list and not in_page:
            multiplier = UNPAGED_LIST_SIZE
        else:
            multiplier = 1
        children = self.of_selections(node.selection_set, child_type, is_connection)
        total = 1 + multiplier * children + self.search_cost(node.name.value, arguments)
        return min(total, COST_CEILING)

    def arguments(self, node: FieldNode, definition: GraphQLField) -> dict[str, Any]:
        try:
            return get_argument_values(definition, node, self.variables)
        except GraphQLError:  # execution reports the bad argument itself
            return {}

    def search_cost(self, field_name: str, arguments: dict[str, Any]) -> int:
        """What an influence search may cost beyond its selection (module docstring)."""
        if field_name == "influencePaths":
            first = arguments.get("first")
            searches: int = first if isinstance(first, int) and first > 0 else 1
            return searches * search_paths(arguments.get("maxHops"))
        if field_name == "coachingPlan":
            options = arguments.get("options")
            given = options.get("maxHops") if isinstance(options, dict) else None
            if given is None:
                given = getattr(options, "max_hops", None)
            return PLAN_SEARCHES * search_paths(given)
        return 0

    def page_size(self, node: FieldNode, definition: GraphQLField, given: Any) -> int:
        default = definition.args["first"].default_value
        first: int = (
            given
            if isinstance(given, int)
            else default
            if isinstance(default, int)
            else DEFAULT_PAGE_SIZE
        )
        if first > self.max_page_size:
            raise LimitExceeded(
                f"page size limit: '{node.name.value}(first: {first})' asks for more than"
                f" {self.max_page_size} items per page",
                "pageSize",
            )
        return max(first, 1)


def search_paths(max_hops: Any) -> int:
    """``PATH_BRANCHING^(h-1)`` for ``h`` the hops the search will use: the model default when
    left out, clamped to its range (the resolver refuses values outside it, saying so)."""
    low, high = MAX_HOPS_RANGE
    given: int = max_hops if isinstance(max_hops, int) else engine.Options().max_hops
    paths = 1
    for _ in range(min(max(given, low), high) - 1):
        paths *= PATH_BRANCHING
    return paths


def cost_variables(document: DocumentNode) -> frozenset[str]:
    """Variables used (at any depth) in the arguments :class:`QueryCost` reads."""
    found: set[str] = set()
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, FieldNode):
            for argument in node.arguments or ():
                if argument.name.value in COST_ARGUMENTS:
                    found.update(_variables_in(argument.value))
        for key in node.keys:
            child = getattr(node, key, None)
            if isinstance(child, tuple | list):
                stack.extend(c for c in child if hasattr(c, "keys"))
            elif hasattr(child, "keys") and not isinstance(child, str):
                stack.append(child)
    return frozenset(found)


def _variables_in(value: Any) -> set[str]:
    found: set[str] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, VariableNode):
            found.add(node.name.value)
        for key in getattr(node, "keys", ()):
            child = getattr(node, key, None)
            if isinstance(child, tuple | list):
                stack.extend(child)
            elif hasattr(child, "keys"):
                stack.append(child)
    return found


@dataclass
class CheckedDocument:
    """What the limits and validation found in one document, kept for its next requests.

    ``refusal`` is the (message, limit) of a shape limit it exceeds (then it was not
    validated); ``errors`` its validation errors. ``extras`` holds what other parts of the
    service derive from the document once (the compiled read path's plans).
    """

    document: DocumentNode
    refusal: tuple[str, str] | None
    errors: list[GraphQLError]
    cost_variables: frozenset[str]
    costs: OrderedDict[tuple[str | None, str], int] = field(default_factory=OrderedDict)
    extras: dict[Any, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.refusal is None and not self.errors

    def cost_key(
        self, operation: str | None, variables: Mapping[str, Any] | None
    ) -> tuple[str | None, str]:
        given = variables or {}
        relevant = {name: given.get(name) for name in sorted(self.cost_variables)}
        return operation, json.dumps(relevant, sort_keys=True, default=str)

    def remember_cost(self, key: tuple[str | None, str], cost: int) -> None:
        self.costs[key] = cost
        if len(self.costs) > CACHED_COSTS:
            self.costs.popitem(last=False)


class DocumentChecks:
    """The limit checks and validation of each distinct document, computed once.

    Example:
        ``await checks.check(query, document, rules)`` checks a new document and keeps the
        result; ``checks.get(query)`` answers it for the next request without any work.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._documents: OrderedDict[str, CheckedDocument] = OrderedDict()

    def get(self, query: str) -> CheckedDocument | None:
        found = self._documents.get(query)
        if found is not None:
            self._documents.move_to_end(query)
        return found

    async def check(
        self, query: str, document: DocumentNode, schema: GraphQLSchema, rules: tuple[Any, ...]
    ) -> CheckedDocument:
        """Shape limits, then (off the event loop) validation, of a parsed ``query``."""
        refusal: tuple[str, str] | None = None
        errors: list[GraphQLError] = []
        try:
            check_shape(document, self.settings)
        except LimitExceeded as refused:
            refusal = (refused.message, refused.limit)
        else:
            errors = await asyncio.get_running_loop().run_in_executor(
                VALIDATION_THREADS, validate_document, schema, document, rules
            )
        checked = CheckedDocument(document, refusal, errors, cost_variables(document))
        if len(query) <= CACHED_DOCUMENT_CHARS:
            self._documents[query] = checked
            if len(self._documents) > CACHED_DOCUMENTS:
                self._documents.popitem(last=False)
        return checked


def check_shape(document: DocumentNode, settings: Settings) -> None:
    """Validation work, aliases and depth of ``document``; raises LimitExceeded."""
    shape = DocumentShape(document, settings.max_validation_work)
    if shape.aliases > settings.max_aliases:
        raise LimitExceeded(
            f"alias limit: the document uses {shape.aliases} aliases; at most"
            f" {settings.max_aliases} are allowed",
            "aliases",
        )
    for operation in shape.operations:
        depth = shape.depth_of(operation)
        if depth > settings.max_query_depth:
            name = operation.name.value if operation.name else "anonymous"
            raise LimitExceeded(
                f"query depth limit: operation '{name}' is {depth} levels deep;"
                f" at most {settings.max_query_depth} are allowed",
                "depth",
            )


def cost_limit_refusal(cost: int, settings: Settings) -> LimitExceeded | None:
    """The refusal of a request costing ``cost``, or None when it is within the limit."""
    if cost <= settings.max_query_cost:
        return None
    shown = f"more than {COST_CEILING}" if cost >= COST_CEILING else str(cost)
    return LimitExceeded(
        f"cost limit: the query costs {shown}; at most"
        f" {settings.max_query_cost} is allowed (each list costs its page size"
        " 'first' times its fields; influence searches grow with maxHops)",
        "cost",
    )


def operation_cost(
    schema: GraphQLSchema,
    checked: CheckedDocument,
    operation: str | None,
    variables: dict[str, Any] | None,
    max_page_size: int,
) -> int:
    """The cost of the operation named ``operation`` (the only one when None) with
    ``variables``; remembered per values of the variables the cost reads. Raises
    LimitExceeded (``pageSize``) for a page over the limit."""
    key = checked.cost_key(operation, variables)
    known = checked.costs.get(key)
    if known is not None:
        return known
    document = checked.document
    fragments: dict[str, FragmentDefinitionNode] = {}
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
    coerced = get_variable_values(schema, chosen.variable_definitions or (), variables or {})
    values = coerced if isinstance(coerced, VariableValues) else None
    cost = QueryCost(schema, fragments, values, max_page_size).of_operation(chosen)
    checked.remember_cost(key, cost)
    return cost


class SecurityLimits(SchemaExtension):
    """Tokens while parsing; validation work, depth and aliases before validation (which runs
    off the event loop); cost and rate before execution. Each refusal is charged. What a
    document's checks found is kept (:class:`DocumentChecks`) for its next requests."""

    def __init__(self, settings: Settings, limiter: CostBudget, checks: DocumentChecks) -> None:
        self.settings = settings
        self.limiter = limiter
        self.checks = checks
        self.checked: CheckedDocument | None = None

    async def on_parse(self) -> AsyncIterator[None]:  # async: a refusal spends the budget
        ec = self.execution_context
        if ec.graphql_document is None and ec.query:
            self.checked = self.checks.get(ec.query)
            if self.checked is not None:
                ec.graphql_document = self.checked.document
            else:
                try:
                    ec.graphql_document = parse_within_limit(
                        ec.query, self.settings.max_query_tokens
                    )
                except LimitExceeded as refusal:
                    await self.refuse(refusal)
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        ec = self.execution_context
        document = ec.graphql_document
        if document is not None and ec.pre_execution_errors is None:
            checked = self.checked
            if checked is None or checked.document is not document:
                checked = self.checked = await self.checks.check(
                    ec.query or "", document, ec.schema._schema, tuple(ec.validation_rules)
                )
            if checked.refusal is not None:
                await self.refuse(LimitExceeded(*checked.refusal))
            ec.pre_execution_errors = list(checked.errors)
        yield

    async def on_execute(self) -> AsyncIterator[None]:  # async: a shared budget is in Redis
        try:
            cost = self.operation_cost()
            refusal = cost_limit_refusal(cost, self.settings)
            if refusal is not None:
                raise refusal
        except LimitExceeded as refusal:
            await self.refuse(refusal)
        await self.charge(cost)
        yield

    async def charge(self, cost: int) -> None:
        context = self.execution_context.context
        if isinstance(context, Context) and not context.charged:
            await self.limiter.spend(context.principal.actor, cost)

    async def refuse(self, refusal: LimitExceeded) -> NoReturn:
        """Charge the refused request the largest cost an accepted one may have, then raise
        the refusal (or the rate refusal, once the caller's budget is spent)."""
        await self.charge(self.settings.max_query_cost)
        raise refusal

    def operation_cost(self) -> int:
        ec = self.execution_context
        checked = self.checked
        if ec.graphql_document is None or checked is None:
            return 0
        return operation_cost(
            ec.schema._schema,
            checked,
            ec.operation_name,
            ec.variables,
            self.settings.max_page_size,
        )


def security_extensions(
    settings: Settings, limiter: CostBudget | None = None, checks: DocumentChecks | None = None
) -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    """The schema extensions enforcing ``settings``' limits; one rate limiter and one
    document cache per schema (``limiter``, else the one the settings ask for; ``checks``,
    else a new one).

    Example:
        ``strawberry.Schema(query=Query, extensions=security_extensions(settings))``
    """
    limiter = rate_limiter_for(settings) if limiter is None else limiter
    documents = DocumentChecks(settings) if checks is None else checks
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: SecurityLimits(settings, limiter, documents)
    ]
    if settings.production:
        extensions.append(DisableIntrospection)
    return extensions
