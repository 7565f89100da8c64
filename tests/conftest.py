"""Test set-up: a throwaway local Neo4j of the tests' own (never the user's data).

The server lives in ``.data/test-neo4j`` on its own Bolt port (7697, or
``FLAGBEARER_TEST_BOLT_PORT``) and is started once per session. Each test module gets the
database emptied first. To run against another server set ``FLAGBEARER_TEST_NEO4J_URI``; it
is wiped only when ``FLAGBEARER_TEST_ALLOW_WIPE=1`` says it may be.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from graph_api.config import PROJECT_ROOT, Settings
from graph_api.db.driver import Database, open_database, wait_until_ready
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import apply_migrations

TEST_PASSWORD = "flagbearer-tests"
TEST_HOME = PROJECT_ROOT / ".data" / "test-neo4j"


DEFAULT_TEST_PORT = 7697


def _test_port() -> int:
    """Another port gets its own data folder, so test sessions can run side by side."""
    return int(os.environ.get("FLAGBEARER_TEST_BOLT_PORT", str(DEFAULT_TEST_PORT)))


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Settings]:
    external = os.environ.get("FLAGBEARER_TEST_NEO4J_URI")
    if external:
        if os.environ.get("FLAGBEARER_TEST_ALLOW_WIPE") != "1":
            pytest.exit(
                "FLAGBEARER_TEST_NEO4J_URI is set but FLAGBEARER_TEST_ALLOW_WIPE=1 is not: the"
                " tests empty the database they use and will not wipe one unless told to",
                returncode=2,
            )
        yield Settings(
            NEO4J_URI=external,
            NEO4J_USER=os.environ.get("FLAGBEARER_TEST_NEO4J_USER", "neo4j"),
            NEO4J_PASSWORD=os.environ.get("FLAGBEARER_TEST_NEO4J_PASSWORD", TEST_PASSWORD),
        )
        return
    port = _test_port()
    home = TEST_HOME if port == DEFAULT_TEST_PORT else TEST_HOME.with_name(f"test-neo4j-{port}")
    server = LocalNeo4j(home, bolt_port=port, password=TEST_PASSWORD)
    status = server.start()
    yield Settings(NEO4J_URI=status.bolt_uri, NEO4J_PASSWORD=TEST_PASSWORD)
    if os.environ.get("FLAGBEARER_TEST_KEEP_NEO4J") != "1":
        server.stop()


async def wipe(database: Database) -> None:
    """Empty the test database (schema and migration records stay), in batches."""
    async with database.driver.session(database=database.database) as session:
        result = await session.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 2000 ROWS"
        )
        await result.consume()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def database(neo4j_settings: Settings) -> AsyncIterator[Database]:
    """A connected, migrated and emptied test database for one test module."""
    db = open_database(neo4j_settings)
    await wait_until_ready(db)
    await apply_migrations(db)
    await wipe(db)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


# --- HTTP: the ASGI app with real keys ------------------------------------------------

from collections.abc import Awaitable, Callable  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402

from graph_api.app import create_app  # noqa: E402
from graph_api.domain.enums import Role  # noqa: E402
from graph_api.repositories.keys import create_key  # noqa: E402

KeyMaker = Callable[[str, str], Awaitable[str]]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def make_key(database: Database) -> KeyMaker:
    """``await make_key("tenant-a", "editor")`` gives a real stored API key."""

    async def make(tenant: str, role: str) -> str:
        return (await create_key(database, tenant, Role(role), name="test")).secret

    return make


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def client(
    database: Database, neo4j_settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the whole ASGI app (auth, limits, GraphQL) on the test database."""
    app = create_app(neo4j_settings, database=database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


GraphQLCall = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLCall:
    """``await gql(key, query, variables)`` POSTs to /graphql and returns the JSON body."""

    async def call(
        key: str | None, query: str, variables: dict[str, Any] | None = None,
        expect_status: int = 200,
    ) -> dict[str, Any]:
        headers = {} if key is None else {"Authorization": f"Bearer {key}"}
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == expect_status, response.text
        body: dict[str, Any] = response.json()
        return body

    return call
