"""The compiled read path, in front of the GraphQL executor.

A POST whose document was seen before (its checks are kept: :class:`DocumentChecks`), is
valid and within the limits, and whose operation is a query over the map's reads
(:mod:`graph_api.api.compiled.compiler`) is answered here: its variables are coerced, its
cost is checked and charged like any request's, ONE Cypher statement fetches the whole
answer already shaped, and it is encoded with orjson. Anything else — a first sight of a
document, a refusal, an error to report (a bad cursor, ``first`` over the page size, both
``id`` and ``externalId``), a field the compiler does not handle (mutations, coaching,
history, introspection), a database error — is handed to the executor untouched, which
gives the answer it always gives, errors included. A request charged here is not charged
again there.

Every request is observed as before: the operation's name and type go on the request's
record (metrics and its log line), a span wraps it when tracing is on, the Neo4j round trip
is timed like any other.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType
from graphql.execution.values import VariableValues, get_variable_values
from starlette.requests import Request
from starlette.responses import Response

from graph_api.api.compiled.compiler import DocumentPlan, Prepared, ReadCompiler
from graph_api.api.compiled.unsupported import Unsupported
from graph_api.api.limits import CheckedDocument, DocumentChecks, cost_limit_refusal, operation_cost
from graph_api.api.ratelimit import CostBudget
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.principal import Principal
from graph_api.errors import FlagbearerError, LimitExceeded
from graph_api.observability.graphql import describe_operation
from graph_api.observability.metrics import COMPILED_READS
from graph_api.observability.tracing import TRACING

log = logging.getLogger("graph_api.graphql")
JSON_MEDIA_TYPE = "application/json"
GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json"
MAX_NESTING = 64
INT64 = 2**63


def plain_json(value: Any) -> bool:
    """Whether a decoded body is what the strict decoder (``view.decode_json``) accepts as it
    is: nesting of at most 64, integers within 64 bits, no float that could have been a
    larger integer. Anything else goes the strict way, which names the problem."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        for child in current.values() if isinstance(current, dict) else current:
            if isinstance(child, dict | list):
                if depth + 1 > MAX_NESTING:
                    return False
                stack.append((child, depth + 1))
            elif isinstance(child, int) and not isinstance(child, bool):
                if not -INT64 <= child < INT64:
                    return False
            elif isinstance(child, float) and (not math.isfinite(child) or abs(child) >= INT64):
                return False
    return True


def operation_of(checked: CheckedDocument, name: str | None) -> OperationDefinitionNode | None:
    """The operation a request runs (as the executor picks it), or None when it is not one
    plain query."""
    operations = [d for d in checked.document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        chosen = operations[0] if len(operations) == 1 else None
    else:
        named = [o for o in operations if o.name is not None and o.name.value == name]
        chosen = named[0] if len(named) == 1 else None
    if chosen is None or chosen.operation is not OperationType.QUERY:
        return None
    return chosen


class CompiledReads:
    """Answers the requests it can (see the module docstring); None hands one on."""

    def __init__(
        self,
        checks: DocumentChecks,
        compiler: ReadCompiler,
        limiter: CostBudget,
        settings: Settings,
    ) -> None:
        self.checks = checks
        self.compiler = compiler
        self.limiter = limiter
        self.settings = settings

    def plan_of(self, checked: CheckedDocument, name: str | None) -> DocumentPlan | None:
        """The compiled plan of the operation ``name`` (None: the executor's), made once."""
        key = ("compiled", name)
        if key not in checked.extras:
            operation = operation_of(checked, name) if checked.valid else None
            checked.extras[key] = (
                None if operation is None else self.compiler.plan(checked.document, operation)
            )
        found: DocumentPlan | None = checked.extras[key]
        return found

    async def answer(
        self,
        request: Request,
        body: bytes,
        principal: Principal,
        database: Database,
        state: dict[str, Any],
        media_type: str,
    ) -> Response | None:
        """The answer to a POST, or None: the executor answers it."""
        if request.method != "POST" or JSON_MEDIA_TYPE not in request.headers.get(
            "content-type", ""
        ):
            return None
        response = await self.compiled(body, principal, database, state, media_type)
        COMPILED_READS.labels("executor" if response is None else "answered").inc()
        return response

    async def compiled(
        self,
        body: bytes,
        principal: Principal,
        database: Database,
        state: dict[str, Any],
        media_type: str,
    ) -> Response | None:
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(payload, dict) or not plain_json(payload):
            return None
        query = payload.get("query")
        name = payload.get("operationName")
        variables = payload.get("variables")
        if (
            not isinstance(query, str)
            or not query
            or not isinstance(name, str | None)
            or not isinstance(variables, dict | None)
            or not isinstance(payload.get("extensions"), dict | None)
        ):
            return None
        checked = self.checks.get(query)
        plan = None if checked is None else self.plan_of(checked, name)
        if checked is None or plan is None:
            return None
        try:
            data = await self.run(plan, checked, name, variables, principal, database, state)
        except (Unsupported, FlagbearerError, GraphQLError):
            return None
        except Exception:  # a bug here must not cost the caller: the executor answers
            log.exception("the compiled read path failed; the executor answers instead")
            return None
        return None if data is None else self.response(media_type, data)

    async def run(
        self,
        plan: DocumentPlan,
        checked: CheckedDocument,
        name: str | None,
        variables: dict[str, Any] | None,
        principal: Principal,
        database: Database,
        state: dict[str, Any],
    ) -> dict[str, Any] | None:
        """The answer's ``data``, or None to hand the request on."""
        schema = self.compiler.schema
        coerced = get_variable_values(
            schema, plan.operation.variable_definitions or (), variables or {}
        )
        if not isinstance(coerced, VariableValues):
            return None
        prepared = plan.prepare(coerced, principal)
        cost = operation_cost(schema, checked, name, variables, self.settings.max_page_size)
        if cost_limit_refusal(cost, self.settings) is not None:
            return None
        try:
            await self.limiter.spend(principal.actor, cost)
        except LimitExceeded:  # the executor refuses it again, the usual way
            return None
        state["charged"] = True
        operation = (
            name
            if name is not None
            else (plan.operation.name.value if plan.operation.name is not None else None)
        )
        tracer = TRACING.tracer
        if tracer is None:
            data = await self.data(prepared, database)
            describe_operation(None, operation, "query", [])
        else:
            with tracer.start_as_current_span("graphql", record_exception=False) as span:
                data = await self.data(prepared, database)
                describe_operation(span, operation, "query", [])
        return data

    async def data(self, prepared: Prepared, database: Database) -> dict[str, Any]:
        return await prepared.data(database, self.settings)

    @staticmethod
    def response(media_type: str, data: dict[str, Any]) -> Response:
        """200 with ``data``, in the negotiated media type (as the executor's answers)."""
        body = orjson.dumps({"data": data})
        if media_type == GRAPHQL_RESPONSE_MEDIA_TYPE:
            return Response(body, media_type=f"{GRAPHQL_RESPONSE_MEDIA_TYPE}; charset=utf-8")
        return Response(body, media_type=JSON_MEDIA_TYPE)
