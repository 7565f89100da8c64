"""Test set-up: throwaway local Neo4j servers of the tests' own (never the user's data).

Each pytest process starts its own server and data folder: Bolt port
``FLAGBEARER_TEST_BOLT_PORT`` (default 7697) plus the xdist worker's index (gw0 on the base
port, gw1 on base + 1, ...; a run without xdist uses the base port), data in
``.data/test-neo4j`` (port 7697) or ``.data/test-neo4j-<port>``. Community Neo4j has one user
database, so a server per worker is what keeps workers apart. The database is emptied once,
when the session first needs it, and never again: every test, or module set-up, works in a
tenant of its own (the ``tenant`` and ``new_tenant`` fixtures), so no test sees another's data
whatever the order (pytest-randomly shuffles it every run) or the worker.

To run against another server set ``FLAGBEARER_TEST_NEO4J_URI``; it is emptied at the start
only when ``FLAGBEARER_TEST_ALLOW_WIPE=1`` says it may be, and since that is one database the
run is not parallel (``-n auto`` gives one process; ``-n 2`` is refused).

How big the generated runs are is one setting, ``FLAGBEARER_TEST_PROFILE``: ``quick`` (the
default) or ``thorough`` (``bin/test --thorough``), for Hypothesis properties and the
GraphQL fuzzer alike.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.db.driver import Database, open_database, wait_until_ready
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import Role
from graph_api.repositories.keys import create_key

TEST_PASSWORD = "flagbearer-tests"
TEST_HOME = PROJECT_ROOT / ".data" / "test-neo4j"
DEFAULT_TEST_PORT = 7697
# A local server per xdist worker costs a JVM (about 0.6 GB and a busy start): no more
# workers than cores, and at most this many.
MAX_AUTO_WORKERS = 4
# Seconds a test server may take to start: a slow day on a shared machine is not a failure.
START_TIMEOUT = 600.0

# --- sizing: one setting for every generated run ------------------------------------------

PROFILES = {
    # (Hypothesis examples per property, GraphQL documents the fuzzer sends in all)
    "quick": (40, 300),
    "thorough": (1000, 5000),
}
PROFILE = os.environ.get("FLAGBEARER_TEST_PROFILE", "quick")
if PROFILE not in PROFILES:
    raise pytest.UsageError(
        f"FLAGBEARER_TEST_PROFILE={PROFILE!r}: expected one of {', '.join(PROFILES)}"
    )
for _name, (_examples, _) in PROFILES.items():
    # No deadline and no too-slow check: on a loaded 2-core machine timing says nothing.
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
settings.load_profile(PROFILE)


def fuzz_documents() -> int:
    """How many GraphQL documents the fuzzer sends: ``FLAGBEARER_FUZZ_EXAMPLES`` if set,
    else the profile's number."""
    return int(os.environ.get("FLAGBEARER_FUZZ_EXAMPLES", str(PROFILES[PROFILE][1])))


@pytest.fixture(scope="session")
def fuzz_examples() -> int:
    return fuzz_documents()


def pytest_report_header() -> str:
    examples = PROFILES[PROFILE][0]
    return (
        f"flagbearer: profile {PROFILE}: {examples} Hypothesis examples per property, "
        f"{fuzz_documents()} fuzzed GraphQL documents (FLAGBEARER_TEST_PROFILE=thorough, or "
        "bin/test --thorough, for more)"
    )


# --- parallel runs: a Neo4j per xdist worker ------------------------------------------------


def _external_uri() -> str | None:
    return os.environ.get("FLAGBEARER_TEST_NEO4J_URI") or None


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one process against an external server; else one worker per core, capped."""
    del config
    if _external_uri():
        return 0
    return max(1, min(len(os.sched_getaffinity(0)), MAX_AUTO_WORKERS))


def pytest_configure(config: pytest.Config) -> None:
    workers = config.getoption("numprocesses", default=None) or 0
    if _external_uri() and isinstance(workers, int) and workers > 1:
        raise pytest.UsageError(
            f"FLAGBEARER_TEST_NEO4J_URI is one database, and the tests empty it once at the "
            f"start: run them in one process (-n 0 or -n auto), not -n {workers}"
        )


def worker_index() -> int:
    """0 without xdist, else the worker's number (gw0 -> 0, gw1 -> 1, ...)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else 0


def bolt_port() -> int:
    """This process's server: the base port plus the worker's index."""
    base = int(os.environ.get("FLAGBEARER_TEST_BOLT_PORT", str(DEFAULT_TEST_PORT)))
    return base + worker_index()


def home_of(port: int) -> Path:
    """Another port gets its own data folder, so servers and sessions can run side by side."""
    return TEST_HOME if port == DEFAULT_TEST_PORT else TEST_HOME.with_name(f"test-neo4j-{port}")


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Settings]:
    external = _external_uri()
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
    port = bolt_port()
    server = LocalNeo4j(home_of(port), bolt_port=port, password=TEST_PASSWORD)
    status = server.start(timeout=START_TIMEOUT)
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


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def database(neo4j_settings: Settings) -> AsyncIterator[Database]:
    """The connected and migrated test database, emptied once for the session.

    Tests share it, each in tenants of its own (``tenant``, ``new_tenant``); nothing wipes
    it again, so one test's data is never taken away from another.
    """
    db = open_database(neo4j_settings)
    await wait_until_ready(db)
    await apply_migrations(db)
    await wipe(db)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture(scope="session")
def new_tenant() -> Callable[[str], str]:
    """``new_tenant("walk")`` gives a tenant id no other test uses, e.g. ``walk-3f9c0a1b2d``."""

    def make(prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:10]}"

    return make


@pytest.fixture
def tenant(new_tenant: Callable[[str], str], request: pytest.FixtureRequest) -> str:
    """A tenant of this test's own."""
    return new_tenant(request.node.module.__name__.rpartition(".")[2].removeprefix("test_"))


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


# --- HTTP: the ASGI app with real keys ------------------------------------------------

KeyMaker = Callable[[str, str], Awaitable[str]]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def make_key(database: Database) -> KeyMaker:
    """``await make_key("tenant-a", "editor")`` gives a real stored API key."""

    async def make(tenant: str, role: str) -> str:
        return (await create_key(database, tenant, Role(role), name="test")).secret

    return make


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def client(database: Database, neo4j_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
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
        key: str | None,
        query: str,
        variables: dict[str, Any] | None = None,
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
