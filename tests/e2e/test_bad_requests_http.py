"""Malformed requests get a 400 whose message names what is wrong, never a 500; refusals by a
limit are charged to the caller and logged in one line; no message shows database internals."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import pytest_asyncio

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.db.driver import Database

pytestmark = pytest.mark.neo4j

PLAYBOOK = '{"query": "{ playbook { __typename } }"'


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def key(make_key: Any) -> str:
    return str(await make_key("bad-requests", "editor"))


async def post_raw(
    client: httpx.AsyncClient, key: str, body: bytes, content_type: str = "application/json"
) -> httpx.Response:
    return await client.post(
        "/graphql",
        content=body,
        headers={"Authorization": f"Bearer {key}", "Content-Type": content_type},
    )


def refusal(response: httpx.Response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST", error
    return str(error["message"])


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b"42", "must be a JSON object with a 'query' string, not a number"),
        (b'"{ playbook { __typename } }"', "not a string"),
        (b"null", "not null"),
        (b"[]", "Batching is not enabled"),
        (b'[{"query": "{ playbook { __typename } }"}]', "Batching is not enabled"),
        (b'{"query": 42}', "'query' in the body must be a string (or null), not a number"),
        (b'{"query": ["{ a }"]}', "'query' in the body must be a string"),
        (b'{"query": "{ a }", "variables": [1]}', "'variables' in the body must be an object"),
        (b'{"query": "{ a }", "variables": "x"}', "'variables' in the body must be an object"),
        (b'{"query": "{ a }", "operationName": 7}', "'operationName' in the body must be a"),
        (b'{"variables": {}}', "the body has no 'query'"),
        (b"{", "the body is not valid JSON"),
        (b"", "the body is not valid JSON"),
        (b'{"query": "\xff\xfe{ a }"}', "not UTF-8"),
        (b"\xef\xbb\xbf" + PLAYBOOK.encode() + b"}", "not valid JSON"),
    ],
    ids=lambda value: value[:30] if isinstance(value, str) else None,
)
async def test_a_malformed_body_is_a_400_naming_the_problem(
    client: httpx.AsyncClient, key: str, body: bytes, named: str
) -> None:
    assert named in refusal(await post_raw(client, key, body))


@pytest.mark.parametrize(
    ("number", "named"),
    [
        ("1e400", "the number 1e400 is too large: numbers must be finite"),
        ("-1e400", "numbers must be finite"),
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("12345678901234567890123", "integers must fit in 64 bits"),
        ("9" * 5000, "integers must fit in 64 bits"),
    ],
)
async def test_a_number_that_cannot_be_stored_is_a_400(
    client: httpx.AsyncClient, key: str, number: str, named: str
) -> None:
    body = PLAYBOOK + f', "variables": {{"n": {number}}}}}'
    message = refusal(await post_raw(client, key, body.encode()))
    assert named in message
    assert len(message) < 200, "the message quotes a prefix of the number, not all of it"


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
async def test_variables_nested_too_deeply_are_a_400(
    client: httpx.AsyncClient, key: str, depth: int
) -> None:
    body = PLAYBOOK + ', "variables": {"v": ' + "[" * depth + "]" * depth + "}}"
    assert "nested too deeply" in refusal(await post_raw(client, key, body.encode()))


async def test_sixty_levels_of_nesting_are_accepted(client: httpx.AsyncClient, key: str) -> None:
    body = PLAYBOOK + ', "variables": {"v": ' + "[" * 60 + "]" * 60 + "}}"
    response = await post_raw(client, key, body.encode())
    assert response.status_code == 200, response.text
    assert response.json()["data"]["playbook"]["__typename"] == "Playbook"


async def test_get_with_malformed_variables_is_a_400(client: httpx.AsyncClient, key: str) -> None:
    for variables, named in [
        ("{", "a query parameter is not valid JSON"),
        ("[1]", "must be an object"),
    ]:
        response = await client.get(
            "/graphql",
            params={"query": "{ playbook { __typename } }", "variables": variables},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert named in refusal(response)


async def test_an_unsupported_content_type_is_a_400(client: httpx.AsyncClient, key: str) -> None:
    response = await post_raw(client, key, b"query=1", "application/x-www-form-urlencoded")
    assert "content type" in refusal(response).lower()


async def test_a_malformed_batch_item_is_named(
    database: Database, neo4j_settings: Settings, key: str
) -> None:
    app = create_app(neo4j_settings.model_copy(update={"allow_batching": True}), database=database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as batching:
        ok = {"query": "{ playbook { __typename } }"}
        response = await post_raw(batching, key, f"[{PLAYBOOK}}}, 42]".encode())
        assert "operation 1 of the batch must be a JSON object" in refusal(response)
        response = await batching.post(
            "/graphql", json=[ok] * 11, headers={"Authorization": f"Bearer {key}"}
        )
        assert "the batch has 11 operations" in refusal(response)


async def test_a_duplicate_external_id_conflict_shows_no_database_internals(
    gql: Any, key: str
) -> None:
    create = """mutation($x: String!) { createAccount(input: {externalId: $x, name: "Acme"}) {
        __typename ... on UserError { code message } } }"""
    first = await gql(key, create, {"x": "acct-dup"})
    assert first["data"]["createAccount"]["__typename"] == "Account", first
    second = await gql(key, create, {"x": "acct-dup"})
    error = second["data"]["createAccount"]
    assert error["code"] == "CONFLICT", second
    for internal in ("Node(", "tenantId", "`", "bad-requests"):
        assert internal not in error["message"], error


async def charge_test_app(
    database: Database, settings: Settings, **changes: Any
) -> httpx.AsyncClient:
    app = create_app(settings.model_copy(update=changes), database=database)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_refused_requests_are_charged_the_maximum_cost(
    database: Database, neo4j_settings: Settings, make_key: Any
) -> None:
    """With a budget of two maximum-cost queries, two refusals spend it: a query costing 401
    (12 s of refill) then waits (429); another key is untouched."""
    prober, bystander = (
        await make_key("bad-requests", "viewer"),
        await make_key("bad-requests", "viewer"),
    )
    too_deep = "{ a { b { c { d { e { f { g { h { i { j { k { l { m } } } } } } } } } } } } }"
    async with await charge_test_app(
        database, neo4j_settings, max_query_cost=1000, rate_limit_cost_per_minute=2000
    ) as c:
        headers = {"Authorization": f"Bearer {prober}"}
        limits = []
        for query in (too_deep, "{ accounts(first: 5000) { totalCount } }"):
            response = await c.post("/graphql", json={"query": query}, headers=headers)
            assert response.status_code == 200
            limits.append(response.json()["errors"][0]["extensions"]["limit"])
        assert limits == ["depth", "pageSize"]
        cheap = {"query": "{ accounts(first: 100) { edges { node { id name } } } }"}
        throttled = await c.post("/graphql", json=cheap, headers=headers)
        assert throttled.status_code == 429, throttled.text
        assert throttled.json()["errors"][0]["extensions"]["limit"] == "rate"
        other = await c.post(
            "/graphql", json=cheap, headers={"Authorization": f"Bearer {bystander}"}
        )
        assert other.status_code == 200


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        ("{ playbook { " + "__typename " * 2100 + "} }", "tokens"),
        ("{ " + "playbook { concerns { id } } " * 250 + "}", "validationWork"),
        ("{ accounts(first: 101) { totalCount } }", "pageSize"),
    ],
)
async def test_a_refusal_is_logged_in_one_line_without_a_traceback(
    client: httpx.AsyncClient,
    key: str,
    caplog: pytest.LogCaptureFixture,
    query: str,
    limit: str,
) -> None:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {key}", "X-Request-Id": "refused-1"},
        )
    assert response.json()["errors"][0]["extensions"]["limit"] == limit
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    [record] = records  # the request's one access line, raised to WARNING by the refusal
    assert record.exc_info is None
    fields = record.fields  # type: ignore[attr-defined]
    assert fields["request_id"] == "refused-1"
    assert fields["limit"] == limit
    assert "\n" not in record.getMessage()
