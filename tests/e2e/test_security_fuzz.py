"""Generated queries and mutations against the running app with a valid editor key.

hypothesis-graphql writes valid documents from the schema; IDs are drawn from both tenants'
real ids (and junk), so cross-tenant lookups and links are tried all the time. Every answer
must be free of 5xx, of unmasked internal errors and of tenant B's data. The number of
documents (60% queries, 40% mutations; each calls several root fields) follows the test
profile: 300 in ``bin/test``, 5000 in ``bin/test --thorough``; ``FLAGBEARER_FUZZ_EXAMPLES``
sets it outright.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries
from test_security_walk import MARK, ids_by_kind, leaks, seed, tenant_strings

from graph_api.api.schema import schema
from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.enums import Role
from graph_api.repositories.keys import create_key

pytestmark = pytest.mark.neo4j

LEAK_HINTS = ("Traceback", 'File "', "neo4j.exceptions", "Error:", "object has no attribute")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def fuzz(
    database: Database, neo4j_settings: Settings, new_tenant: Callable[[str], str]
) -> Any:
    tenant_a, tenant_b = new_tenant("fuzz-a"), new_tenant("fuzz-b")
    await seed(database, tenant_a, mark=False)
    await seed(database, tenant_b, mark=True)
    key = (await create_key(database, tenant_a, Role.EDITOR, "fuzz")).secret
    a_ids, b_ids = await ids_by_kind(database, tenant_a), await ids_by_kind(database, tenant_b)
    b_strings = await tenant_strings(database, tenant_b)
    assert len([s for s in b_strings if MARK in s]) > 50
    ids = sorted({s for found in (a_ids, b_ids) for values in found.values() for s in values})
    app = create_app(
        neo4j_settings.model_copy(update={"rate_limit_cost_per_minute": 10**9}), database=database
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        yield {"client": client, "key": key, "ids": ids, "b_strings": b_strings}


def scalars(ids: list[str]) -> dict[str, st.SearchStrategy[Any]]:
    text = st.text(max_size=12)
    return {
        "ID": st.one_of(st.sampled_from(ids), text).map(nodes.String),
        "Date": st.one_of(st.dates().map(lambda d: d.isoformat()), text).map(nodes.String),
        "DateTime": st.one_of(st.datetimes().map(lambda d: d.isoformat() + "+00:00"), text).map(
            nodes.String
        ),
        "JSON": st.one_of(text.map(nodes.String), st.just(nodes.Object([]))),
    }


def check(response: httpx.Response, query: str, b_strings: set[str]) -> None:
    assert response.status_code < 500, f"{query}\n{response.text}"
    if response.status_code == 400:  # strawberry's HTTP-level refusals (e.g. bad JSON)
        return
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code, f"error without a code: {error}\n{query}"
        assert code != "INTERNAL", f"internal error: {error}\n{query}"
        assert not any(hint in error["message"] for hint in LEAK_HINTS), f"{error}\n{query}"
    leaked = leaks(response.text, query, b_strings)
    assert not leaked, f"tenant B's data leaked {leaked}:\n{query}\n{response.text[:800]}"


async def run_fuzz(
    fuzz: Any, strategy: Callable[..., st.SearchStrategy[Any]], examples: int
) -> None:
    loop = asyncio.get_running_loop()
    client, headers = fuzz["client"], {"Authorization": f"Bearer {fuzz['key']}"}
    generated = strategy(schema._schema, custom_scalars=scalars(fuzz["ids"]), allow_x00=False)

    def post(query: str) -> httpx.Response:
        call = client.post("/graphql", json={"query": query}, headers=headers)
        return asyncio.run_coroutine_threadsafe(call, loop).result(timeout=60)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=generated)
    def one_case(query: str) -> None:
        check(post(query), query, fuzz["b_strings"])

    # hypothesis drives a plain function; it runs in a thread and hands each request back to
    # this event loop, where the app and the database driver live
    await asyncio.to_thread(one_case)


async def test_fuzzed_queries(fuzz: Any, fuzz_examples: int) -> None:
    await run_fuzz(fuzz, queries, fuzz_examples * 3 // 5)


async def test_fuzzed_mutations(fuzz: Any, fuzz_examples: int) -> None:
    await run_fuzz(fuzz, mutations, fuzz_examples * 2 // 5)


async def test_the_fuzzer_checks_would_catch_a_leak() -> None:
    body = {"data": {"account": {"name": f"Corvane-{MARK}"}}}
    response = httpx.Response(200, text=json.dumps(body))
    with pytest.raises(AssertionError, match="leaked"):
        check(response, "{ account { name } }", {f"Corvane-{MARK}"})
    check(response, f'{{ account(externalId: "Corvane-{MARK}") {{ name }} }}', {f"Corvane-{MARK}"})
    internal = {"errors": [{"message": "x", "extensions": {"code": "INTERNAL"}}]}
    with pytest.raises(AssertionError, match="internal"):
        check(httpx.Response(200, text=json.dumps(internal)), "{ x }", set())
