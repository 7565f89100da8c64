"""Traces: the span tree of one coaching plan request, exported to an in-memory exporter."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from graph_api.api.auth import LAST_USED_FLUSH_SECONDS
from graph_api.db.driver import Database
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.observability.tracing import disable_tracing, enable_tracing
from graph_api.package_data import DEMO_SEEDS_DIR
from graph_api.repositories.documents import import_document

pytestmark = pytest.mark.neo4j

TENANT = "tracing-http"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN_ID = "00f067aa0ba902b7"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def seeded(database: Database) -> None:
    principal = Principal(TENANT, Role.ADMIN, "test")
    for name in ("00-playbook.json", "50-tessaro-packaging.json"):
        document = json.loads((DEMO_SEEDS_DIR / name).read_text("utf-8"))
        await import_document(database, principal, document, ImportMode.REPLACE)


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    spans = InMemorySpanExporter()
    enable_tracing(SimpleSpanProcessor(spans))
    try:
        yield spans
    finally:
        disable_tracing()


def children(spans: list[ReadableSpan], parent: ReadableSpan) -> list[ReadableSpan]:
    parent_id = parent.context.span_id
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent_id]


async def test_a_plan_request_is_one_trace_with_cypher_and_engine_spans(
    seeded: None, client: httpx.AsyncClient, make_key: Any, exporter: InMemorySpanExporter
) -> None:
    key = await make_key(TENANT, "viewer")
    headers = {"Authorization": f"Bearer {key}"}
    found = await client.post(
        "/graphql",
        json={"query": '{ opportunity(externalId: "opp-tessaro-lines") { id } }'},
        headers=headers,
    )
    opportunity = found.json()["data"]["opportunity"]["id"]
    fresh = await make_key(TENANT, "viewer")  # its first use below: checked against Neo4j
    await asyncio.sleep(LAST_USED_FLUSH_SECONDS + 0.5)  # the first key's last use is written
    exporter.clear()

    response = await client.post(
        "/graphql",
        json={
            "query": "query Plan($id: ID!) { coachingPlan(opportunityId: $id) {"
            " winProbability plan { value } } }",
            "variables": {"id": opportunity},
        },
        headers={
            "Authorization": f"Bearer {fresh}",
            "traceparent": f"00-{TRACE_ID}-{CALLER_SPAN_ID}-01",
        },
    )
    assert response.status_code == 200, response.text
    # last-used times of keys are written in the background, in traces of their own
    spans = [s for s in exporter.get_finished_spans() if s.name != "neo4j write touch_keys"]

    [server] = [s for s in spans if s.kind is SpanKind.SERVER]
    assert server.name == "POST /graphql"
    assert format(server.context.trace_id, "032x") == TRACE_ID  # the caller's trace goes on
    assert server.parent is not None
    assert format(server.parent.span_id, "016x") == CALLER_SPAN_ID
    assert server.attributes is not None
    assert server.attributes["flagbearer.request_id"] == response.headers["x-request-id"]
    assert server.attributes["http.response.status_code"] == 200
    assert all(s.context.trace_id == server.context.trace_id for s in spans)

    [operation] = [s for s in children(spans, server) if s.name.startswith("query")]
    assert operation.name == "query Plan"
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.type"] == "query"
    assert operation.attributes["flagbearer.tenant"] == TENANT
    below = {s.name: s for s in children(spans, operation)}
    assert "neo4j read load_account_map" in below, sorted(below)
    assert "engine coaching_plan" in below, sorted(below)
    cypher = below["neo4j read load_account_map"]
    assert cypher.kind is SpanKind.CLIENT
    assert cypher.attributes is not None
    assert cypher.attributes["db.system.name"] == "neo4j"
    # the engine runs after the subgraph is loaded, inside the operation
    engine = below["engine coaching_plan"]
    assert cypher.end_time is not None
    assert engine.start_time is not None
    assert cypher.end_time <= engine.start_time
    # authentication happens before GraphQL: its round trip hangs off the request's span
    assert any(s.name == "neo4j read authenticate_key" for s in children(spans, server))


async def test_a_compiled_read_is_traced_like_any_operation(
    seeded: None, client: httpx.AsyncClient, make_key: Any, exporter: InMemorySpanExporter
) -> None:
    key = await make_key(TENANT, "viewer")
    request = {
        "query": "query Lines($e: String!) { opportunity(externalId: $e) { name } }",
        "variables": {"e": "opp-tessaro-lines"},
    }
    headers = {"Authorization": f"Bearer {key}"}
    first = await client.post("/graphql", json=request, headers=headers)  # checked, then kept
    exporter.clear()
    again = await client.post("/graphql", json=request, headers=headers)
    assert again.json() == first.json()
    spans = list(exporter.get_finished_spans())
    [server] = [s for s in spans if s.kind is SpanKind.SERVER]
    [operation] = [s for s in children(spans, server) if s.name.startswith("query")]
    assert operation.name == "query Lines"
    assert operation.attributes is not None
    assert operation.attributes["flagbearer.tenant"] == TENANT
    below = [s.name for s in children(spans, operation)]
    assert below == ["neo4j read compiled_read"], below
