"""Abuse limits over HTTP: each hostile document is refused with the limit it broke."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.db.driver import Database

pytestmark = pytest.mark.neo4j


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def key(make_key: Any, new_tenant: Callable[[str], str]) -> str:
    """An editor key of an empty tenant of this module's own (no test here writes data)."""
    return str(await make_key(new_tenant("limits"), "editor"))


def limit_of(body: dict[str, Any]) -> str:
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED", error
    return str(error["extensions"]["limit"])


def nested_stakeholders(levels: int) -> str:
    """account -> stakeholders -> node -> account -> ... ``levels`` times."""
    inner = "id"
    for _ in range(levels):
        inner = f"account {{ stakeholders(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"
    return f'{{ stakeholder(externalId: "x") {{ {inner} }} }}'


async def test_a_depth_bomb_is_refused_naming_depth(gql: Any, key: str) -> None:
    body = await gql(key, nested_stakeholders(10))
    assert limit_of(body) == "depth"
    assert "depth" in body["errors"][0]["message"]


async def test_a_query_just_within_the_depth_limit_runs(gql: Any, key: str) -> None:
    body = await gql(key, nested_stakeholders(2))
    assert "errors" not in body, body


async def test_an_alias_flood_is_refused_naming_aliases(gql: Any, key: str) -> None:
    fields = " ".join(f"a{i}: playbook {{ __typename }}" for i in range(31))
    body = await gql(key, f"{{ {fields} }}")
    assert limit_of(body) == "aliases"


async def test_thirty_aliases_are_allowed(gql: Any, key: str) -> None:
    fields = " ".join(f"a{i}: playbook {{ __typename }}" for i in range(30))
    body = await gql(key, f"{{ {fields} }}")
    assert "errors" not in body, body


async def test_a_fragment_cycle_is_refused_without_a_server_error(gql: Any, key: str) -> None:
    query = """
    fragment A on Account { name stakeholders { edges { node { account { ...B } } } } }
    fragment B on Account { id ...A }
    { accounts { edges { node { ...A } } } }
    """
    body = await gql(key, query)
    assert body.get("data") is None
    assert any("Cannot spread fragment" in e["message"] for e in body["errors"]), body
    assert {e["extensions"]["code"] for e in body["errors"]} <= {
        "GRAPHQL_VALIDATION_FAILED",
        "LIMIT_EXCEEDED",
    }


@pytest.mark.parametrize("first", [101, 100_000, 2**31 - 1])
async def test_a_huge_first_is_refused_naming_the_page_size(gql: Any, key: str, first: int) -> None:
    body = await gql(key, f"{{ accounts(first: {first}) {{ totalCount }} }}")
    assert limit_of(body) == "pageSize"
    body = await gql(key, "query($n: Int) { accounts(first: $n) { totalCount } }", {"n": first})
    assert limit_of(body) == "pageSize"


async def test_a_page_of_one_hundred_is_allowed(gql: Any, key: str) -> None:
    body = await gql(key, "{ accounts(first: 100) { totalCount } }")
    assert body["data"]["accounts"]["totalCount"] == 0


async def test_too_many_tokens_are_refused_naming_tokens(gql: Any, key: str) -> None:
    body = await gql(key, "{ playbook { " + "__typename " * 2100 + "} }")
    assert limit_of(body) == "tokens"


async def test_a_costly_query_is_refused_naming_cost(gql: Any, key: str) -> None:
    query = """{ accounts(first: 100) { edges { node {
        stakeholders(first: 100) { edges { node { id name } } } } } } }"""
    body = await gql(key, query)
    assert limit_of(body) == "cost"
    assert "costs" in body["errors"][0]["message"]


async def test_an_oversized_body_is_refused_with_413(client: httpx.AsyncClient, key: str) -> None:
    padding = "x" * 2_100_000
    response = await client.post(
        "/graphql",
        json={"query": "{ playbook { __typename } }", "variables": {"pad": padding}},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 413
    assert "too large" in response.json()["errors"][0]["message"]


async def test_an_oversized_streamed_body_without_length_is_refused(
    client: httpx.AsyncClient, key: str
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ playbook { __typename } }", "variables": {"pad": "'
        for _ in range(30):
            yield b"x" * 100_000
        yield b'"}}'

    response = await client.post(
        "/graphql",
        content=chunks(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


async def test_batching_is_off_by_default(client: httpx.AsyncClient, key: str) -> None:
    response = await client.post(
        "/graphql",
        json=[{"query": "{ playbook { __typename } }"}] * 2,
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert "Batching is not enabled" in response.text


async def app_client(database: Database, settings: Settings, **changes: Any) -> httpx.AsyncClient:
    app = create_app(settings.model_copy(update=changes), database=database)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_batching_when_configured(
    database: Database, neo4j_settings: Settings, key: str
) -> None:
    async with await app_client(database, neo4j_settings, allow_batching=True) as c:
        response = await c.post(
            "/graphql",
            json=[{"query": "{ playbook { __typename } }"}] * 2,
            headers={"Authorization": f"Bearer {key}"},
        )
    assert response.status_code == 200
    assert [r["data"]["playbook"]["__typename"] for r in response.json()] == ["Playbook"] * 2


async def test_rate_limit_by_cost_answers_429_with_retry_after(
    database: Database, neo4j_settings: Settings, make_key: Any, tenant: str
) -> None:
    first, second = await make_key(tenant, "viewer"), await make_key(tenant, "viewer")
    query = {"query": "{ accounts(first: 5) { edges { node { id } } } }"}  # costs 1 + 5 * 3
    async with await app_client(database, neo4j_settings, rate_limit_cost_per_minute=40) as c:
        statuses = []
        for _ in range(3):
            response = await c.post(
                "/graphql", json=query, headers={"Authorization": f"Bearer {first}"}
            )
            statuses.append(response.status_code)
        assert statuses == [200, 200, 429]
        assert 1 <= int(response.headers["Retry-After"]) <= 60
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert error["extensions"]["limit"] == "rate"
        other = await c.post("/graphql", json=query, headers={"Authorization": f"Bearer {second}"})
        assert other.status_code == 200, "each key has its own budget"


async def test_responses_carry_security_headers_and_the_request_id(
    client: httpx.AsyncClient, key: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ playbook { __typename } }"},
        headers={"Authorization": f"Bearer {key}", "X-Request-Id": "trace-123"},
    )
    assert response.headers["X-Request-Id"] == "trace-123"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    unauthenticated = await client.get("/healthz", headers={"X-Request-Id": "bad id <script>"})
    assert unauthenticated.headers["X-Request-Id"] != "bad id <script>"
    assert len(unauthenticated.headers["X-Request-Id"]) == 32


async def test_cors_allows_localhost_in_development_only(client: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    local = await client.options(
        "/graphql", headers={"Origin": "http://localhost:5173", **preflight}
    )
    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    foreign = await client.options(
        "/graphql", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in foreign.headers
