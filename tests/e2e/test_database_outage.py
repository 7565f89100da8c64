"""A database that goes away under a running server: a local Neo4j of this module's own
(its own port and data folder) is stopped, killed and started again under a real
``graph-api serve``. Requests answer UNAVAILABLE within seconds (503 when the whole request
failed), /readyz says not ready, /healthz stays up, an import killed half-way stores
nothing, and the same process serves again once Neo4j is back."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import pytest_asyncio
from live_server import IMPORT, LiveServer, large_document, live_server

from graph_api.config import PROJECT_ROOT, Settings
from graph_api.db.driver import Database, open_database, wait_until_ready
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import Role
from graph_api.repositories.keys import create_key

pytestmark = pytest.mark.neo4j

TENANT = "outage"
PASSWORD = "flagbearer-tests"
JWT_SECRET = "outage-test-secret-of-at-least-32-bytes"
ANSWER_WITHIN = 10.0  # seconds: a hang detector; the driver's own default retries for 30 s
BACK_WITHIN = 60.0  # seconds after Neo4j answers again (a few on an idle machine)
PLAYBOOK = "{ playbook { concerns { id } } }"
INTERNALS = ("127.0.0.1", "bolt", "Neo4j", "Traceback", "ServiceUnavailable")


OUTAGE_PORT_OFFSET = 50  # xdist runs at most 4 workers (base .. base + 3)


def outage_port() -> int:
    """The suite's base test port plus 50 (7747 next to 7697), clear of the workers' servers
    (base plus the worker's index), unless told otherwise."""
    explicit = os.environ.get("FLAGBEARER_TEST_OUTAGE_BOLT_PORT")
    if explicit:
        return int(explicit)
    return int(os.environ.get("FLAGBEARER_TEST_BOLT_PORT", "7697")) + OUTAGE_PORT_OFFSET


@pytest.fixture(scope="module")
def neo4j() -> Iterator[LocalNeo4j]:
    if os.environ.get("FLAGBEARER_TEST_NEO4J_URI"):
        pytest.skip("stops and starts a local Neo4j of its own; not with an external server")
    port = outage_port()
    server = LocalNeo4j(
        PROJECT_ROOT / ".data" / f"test-neo4j-outage-{port}", bolt_port=port, password=PASSWORD
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def settings(neo4j: LocalNeo4j) -> Settings:
    return Settings(NEO4J_URI=neo4j.bolt_uri, NEO4J_PASSWORD=PASSWORD)


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_database(settings: Settings) -> AsyncIterator[Database]:
    """A new driver each time: one made before a restart is no proof of anything after it."""
    database = open_database(settings)
    await wait_until_ready(database)
    try:
        yield database
    finally:
        await database.close()


async def empty(database: Database) -> None:
    async def wipe(tx: Any) -> None:
        await tx.run("MATCH (n {tenantId: $tenant}) DETACH DELETE n", tenant=TENANT)

    await database.write(wipe)


async def stored_people(database: Database, account: str) -> int:
    async def count(tx: Any) -> int:
        result = await tx.run(
            "MATCH (s:Stakeholder {tenantId: $tenant}) WHERE s.externalId STARTS WITH $prefix"
            " RETURN count(s) AS n",
            tenant=TENANT,
            prefix=f"{account}-p",
        )
        record = await result.single()
        return int(record["n"])

    return await database.read(count)


def bearer_token() -> str:
    now = int(time.time())
    claims = {"sub": "seller", "tenant": TENANT, "role": "editor", "iat": now, "exp": now + 600}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def until_answered(server: LiveServer, key: str, within: float) -> float:
    """Seconds until the server answers ``key``'s query again; fails after ``within``. A
    freshly started Neo4j plans every query anew, which on a loaded machine can take a while:
    a slow answer is retried, only no answer at all fails."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        try:
            response = server.post(key, PLAYBOOK, timeout=ANSWER_WITHIN)
        except httpx.TimeoutException:
            continue
        if response.status_code == 200 and "errors" not in response.json():
            return time.monotonic() - started
        time.sleep(0.25)
    pytest.fail(f"not serving {within} s after Neo4j came back:\n{server.log()}")


def timed(call: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def assert_unavailable(response: httpx.Response, elapsed: float) -> None:
    assert elapsed < ANSWER_WITHIN, f"answered after {elapsed:.1f} s"
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"].isdigit()
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAVAILABLE", error
    for internal in INTERNALS:
        assert internal not in error["message"], error


async def test_a_stopped_database_answers_unavailable_and_the_server_recovers(
    neo4j: LocalNeo4j, settings: Settings, fresh_database: Database, tmp_path: Path
) -> None:
    await apply_migrations(fresh_database)
    await empty(fresh_database)
    key = (await create_key(fresh_database, TENANT, Role.VIEWER, name="outage")).secret
    token = bearer_token()
    with live_server(
        settings, tmp_path / "server.log", FLAGBEARER_JWT_HS256_SECRET=JWT_SECRET
    ) as server:
        for credential in (key, token):
            assert server.post(credential, PLAYBOOK).status_code == 200
        await asyncio.to_thread(neo4j.stop)

        # An API key is checked against the database: the request fails before GraphQL.
        assert_unavailable(*timed(lambda: server.post(key, PLAYBOOK)))
        # A JWT is checked without it: the resolver fails, and the whole request with it.
        response, elapsed = timed(lambda: server.post(token, PLAYBOOK))
        assert_unavailable(response, elapsed)
        assert response.json()["data"] is None
        readiness, elapsed = timed(lambda: server.get("/readyz"))
        assert elapsed < ANSWER_WITHIN
        assert readiness.status_code == 503
        assert readiness.json()["status"] == "unavailable"
        assert server.get("/healthz").status_code == 200

        await asyncio.to_thread(neo4j.start)
        until_answered(server, key, BACK_WITHIN)
        until_answered(server, token, BACK_WITHIN)
        assert server.get("/readyz").status_code == 200
        assert server.process.poll() is None, "the same process, never restarted"


async def test_an_import_cut_off_by_a_crash_stores_nothing(
    neo4j: LocalNeo4j, settings: Settings, fresh_database: Database, tmp_path: Path
) -> None:
    await apply_migrations(fresh_database)
    await empty(fresh_database)
    key = (await create_key(fresh_database, TENANT, Role.EDITOR, name="outage")).secret
    account = "acct-crash"
    with live_server(settings, tmp_path / "server.log") as server, ThreadPoolExecutor(1) as pool:
        document = large_document(account, 5000)
        pending = pool.submit(server.post, key, IMPORT, {"doc": document}, 120)
        time.sleep(2.5)  # the import takes about ten seconds: well under way
        assert not pending.done(), "the import finished before the crash"
        pid = neo4j.status().pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        crashed = time.monotonic()
        response = await asyncio.to_thread(pending.result, 60)
        assert_unavailable(response, time.monotonic() - crashed)

        await asyncio.to_thread(neo4j.start)
        until_answered(server, key, BACK_WITHIN)
    database = open_database(settings)
    try:
        await wait_until_ready(database)
        assert await stored_people(database, account) == 0, "part of the import survived"
    finally:
        await database.close()
