"""/metrics over HTTP: the Prometheus text parses, counts what was sent, and is protected."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import pytest_asyncio
from api_processes import free_port
from prometheus_client.parser import text_string_to_metric_families

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.observability.metrics import MetricsListener
from graph_api.observability.timing import count_entries
from graph_api.package_data import DEMO_SEEDS_DIR

pytestmark = pytest.mark.neo4j

TENANT = "metrics-http"
METRICS_TOKEN = "m" * 40
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    """Every sample of a scrape, by name and labels (the parser refuses malformed text)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


@asynccontextmanager
async def client_for(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def editor(make_key: Any) -> str:
    return str(await make_key(TENANT, "editor"))


async def test_requests_are_counted_by_operation_and_outcome(
    client: httpx.AsyncClient, gql: Any, editor: str
) -> None:
    before = await scrape(client)
    for _ in range(3):
        assert "errors" not in await gql(editor, "query MetricsProbe { __typename }")
    for _ in range(2):
        assert (await gql(editor, "query BrokenProbe { noSuchField }"))["errors"]
    refused = await gql(editor, "query LimitProbe { accounts(first: 1000) { totalCount } }")
    assert refused["errors"][0]["extensions"]["limit"] == "pageSize"
    after = await scrape(client)

    requests = "flagbearer_graphql_requests_total"
    assert delta(before, after, requests, operation="MetricsProbe", type="query", outcome="ok") == 3
    assert (
        delta(before, after, requests, operation="BrokenProbe", type="query", outcome="invalid")
        == 2
    )
    assert (
        delta(before, after, requests, operation="LimitProbe", type="query", outcome="limited") == 1
    )
    latency = "flagbearer_graphql_request_duration_seconds_count"
    assert delta(before, after, latency, operation="MetricsProbe", type="query") == 3
    assert delta(before, after, "flagbearer_limit_refusals_total", limit="pageSize") == 1
    assert (
        delta(before, after, "flagbearer_http_requests_total", route="/graphql", status="200") == 6
    )
    # the key is checked against Neo4j once per FLAGBEARER_KEY_CACHE_SECONDS, not per request
    neo4j = "flagbearer_neo4j_transaction_duration_seconds_count"
    assert delta(before, after, neo4j, access="read", work="authenticate_key") <= 2
    # a document seen before is answered by the compiled read path
    compiled = "flagbearer_compiled_reads_total"
    assert delta(before, after, compiled, outcome="answered") >= 2


async def test_imports_engine_runs_and_the_neo4j_pool_are_measured(
    client: httpx.AsyncClient, gql: Any, editor: str
) -> None:
    seeds = DEMO_SEEDS_DIR
    documents = [
        json.loads((seeds / name).read_text("utf-8"))
        for name in ("00-playbook.json", "50-tessaro-packaging.json")
    ]
    before = await scrape(client)
    for document in documents:
        imported = await gql(
            editor,
            "mutation Load($doc: JSON!) { importDocument(document: $doc, mode: REPLACE) {"
            " __typename } }",
            {"doc": document},
        )
        assert imported["data"]["importDocument"]["__typename"] == "ImportResult", imported
    invalid = await gql(
        editor,
        "mutation Load($doc: JSON!) { importDocument(document: $doc) { __typename } }",
        {"doc": {"accounts": [{"externalId": "x"}]}},
    )
    assert invalid["data"]["importDocument"]["__typename"] == "InvalidInputError", invalid
    found = await gql(editor, '{ opportunity(externalId: "opp-tessaro-lines") { id } }')
    plan = await gql(
        editor,
        "query Plan($id: ID!) { coachingPlan(opportunityId: $id) { winProbability } }",
        {"id": found["data"]["opportunity"]["id"]},
    )
    assert "errors" not in plan, plan
    after = await scrape(client)

    assert delta(before, after, "flagbearer_imports_total", source="graphql", outcome="ok") == 2
    assert (
        delta(before, after, "flagbearer_imports_total", source="graphql", outcome="invalid") == 1
    )
    entries = "flagbearer_import_document_entries"
    assert delta(before, after, f"{entries}_count", source="graphql") == 3
    assert delta(before, after, f"{entries}_sum", source="graphql") == sum(
        count_entries(document) for document in documents
    ) + count_entries({"accounts": [{"externalId": "x"}]})
    assert delta(before, after, "flagbearer_import_duration_seconds_count", source="graphql") == 3
    engine = "flagbearer_engine_duration_seconds_count"
    assert delta(before, after, engine, computation="coaching_plan") == 1
    neo4j = "flagbearer_neo4j_transaction_duration_seconds_count"
    assert delta(before, after, neo4j, access="read", work="load_account_map") == 1
    assert delta(before, after, neo4j, access="write", work="import_document") == 2
    pooled = sum(
        count for (name, _), count in after.items() if name == "flagbearer_neo4j_pool_connections"
    )
    assert pooled >= 1  # the connections those round trips used stay pooled
    assert value(after, "flagbearer_neo4j_pool_max_size") == 50
    assert value(after, "flagbearer_neo4j_sessions_in_use") == 0  # nothing runs between requests


async def test_client_operation_names_are_capped(
    database: Database, neo4j_settings: Settings, editor: str
) -> None:
    settings = neo4j_settings.model_copy(update={"metrics_max_operations": 2})
    async with client_for(create_app(settings, database=database)) as capped:
        before = await scrape(capped)
        names = ["CapFirst", "CapSecond", "CapThird", "X" * 65]
        for name in names:
            response = await capped.post(
                "/graphql",
                json={"query": f"query {name} {{ __typename }}"},
                headers={"Authorization": f"Bearer {editor}"},
            )
            assert response.status_code == 200, response.text
        after = await scrape(capped)
    requests = "flagbearer_graphql_requests_total"
    for name, label in zip(names, ["CapFirst", "CapSecond", "other", "other"], strict=True):
        assert value(after, requests, operation=name, type="query", outcome="ok") == (
            value(before, requests, operation=name, type="query", outcome="ok")
            + (1 if label == name else 0)
        )
    assert delta(before, after, requests, operation="other", type="query", outcome="ok") == 2


async def test_the_metrics_endpoint_is_protected_by_its_own_settings(
    database: Database, neo4j_settings: Settings
) -> None:
    with_token = neo4j_settings.model_copy(update={"metrics_token": METRICS_TOKEN})
    async with client_for(create_app(with_token, database=database)) as c:
        assert (await c.get("/metrics")).status_code == 401
        wrong = await c.get("/metrics", headers={"Authorization": "Bearer " + "n" * 40})
        assert wrong.status_code == 401
        right = await c.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert right.status_code == 200
        assert "flagbearer_graphql_requests_total" in right.text
    production = neo4j_settings.model_copy(update={"environment": "production"})
    assert production.production_problems() == []
    async with client_for(create_app(production, database=database)) as c:
        assert (await c.get("/metrics")).status_code == 404  # never open by default
    elsewhere = neo4j_settings.model_copy(update={"metrics_address": "127.0.0.1:1"})
    async with client_for(create_app(elsewhere, database=database)) as c:
        assert (await c.get("/metrics")).status_code == 404  # served on its own address


def test_the_metrics_listener_serves_its_own_address() -> None:
    listener = MetricsListener("127.0.0.1", free_port())
    try:
        response = httpx.get(f"http://127.0.0.1:{listener.port}/metrics", timeout=10)
        assert response.status_code == 200
        assert parse(response.text)  # parses, and holds samples
        assert "flagbearer_http_requests_total" in response.text
    finally:
        listener.close()
