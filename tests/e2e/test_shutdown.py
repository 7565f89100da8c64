"""SIGTERM under load: a real ``graph-api serve`` drains the requests in flight and exits in
bounded time; requests that outlast the grace period get a clean 503, never a dropped
connection, and their imports are not half-written."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import IMPORT, LiveServer, large_document, live_server

from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.server import FORCE_EXIT_MARGIN

pytestmark = pytest.mark.neo4j

TENANT = "shutdown"
EXIT_SLACK = 3.0  # process teardown after the bound, on a loaded machine


@dataclass
class Outcome:
    account: str
    status: int | None
    body: dict[str, Any] | None
    error: str | None
    finished_at: float


def send_import(server: LiveServer, key: str, account: str, people: int) -> Outcome:
    document = large_document(account, people)
    try:
        response = server.post(key, IMPORT, {"doc": document}, timeout=120)
    except httpx.HTTPError as error:
        return Outcome(account, None, None, repr(error), time.monotonic())
    return Outcome(account, response.status_code, response.json(), None, time.monotonic())


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


def terminate_under_load(
    server: LiveServer, key: str, imports: dict[str, int], in_flight_after: float
) -> tuple[list[Outcome], float, float]:
    """Start the imports, SIGTERM the server once they are in flight; return the outcomes,
    the time of the signal and how long the process took to exit after it."""
    with ThreadPoolExecutor(len(imports)) as pool:
        futures: list[Future[Outcome]] = [
            pool.submit(send_import, server, key, account, people)
            for account, people in imports.items()
        ]
        time.sleep(in_flight_after)
        assert not any(f.done() for f in futures), "the load finished before the signal"
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running 60 s after SIGTERM:\n{server.log()}")
        exited_after = time.monotonic() - signalled
        outcomes = [f.result() for f in futures]
    return outcomes, signalled, exited_after


async def test_sigterm_lets_requests_in_flight_finish(
    neo4j_settings: Settings, database: Database, make_key: Any, tmp_path: Path
) -> None:
    key = await make_key(TENANT, "editor")
    grace = 20
    imports = {f"acct-drain-{i}": 1500 for i in range(4)}
    with live_server(
        neo4j_settings, tmp_path / "server.log", FLAGBEARER_SHUTDOWN_GRACE_SECONDS=str(grace)
    ) as server:
        outcomes, signalled, exited_after = await asyncio.to_thread(
            terminate_under_load, server, key, imports, 1.0
        )
        log = server.log()
    assert exited_after < grace + FORCE_EXIT_MARGIN + EXIT_SLACK, log
    for outcome in outcomes:
        assert outcome.status == 200, (outcome, log)
        assert outcome.body is not None
        assert outcome.body["data"]["importDocument"]["__typename"] == "ImportResult", outcome
        assert await stored_people(database, outcome.account) == imports[outcome.account]
    assert any(o.finished_at > signalled for o in outcomes), "nothing was in flight at SIGTERM"
    with pytest.raises(httpx.ConnectError):
        server.get("/healthz", timeout=2)


async def test_requests_outlasting_the_grace_period_get_a_clean_503(
    neo4j_settings: Settings, database: Database, make_key: Any, tmp_path: Path
) -> None:
    key = await make_key(TENANT, "editor")
    grace = 2
    imports = {"acct-outlast-0": 5000, "acct-outlast-1": 5000}
    with live_server(
        neo4j_settings, tmp_path / "server.log", FLAGBEARER_SHUTDOWN_GRACE_SECONDS=str(grace)
    ) as server:
        outcomes, _, exited_after = await asyncio.to_thread(
            terminate_under_load, server, key, imports, 1.0
        )
        log = server.log()
    assert exited_after < grace + FORCE_EXIT_MARGIN + EXIT_SLACK, log
    for outcome in outcomes:
        assert outcome.error is None, f"a dropped connection instead of an answer: {outcome}"
        assert outcome.status == 503, (outcome, log)
        assert outcome.body is not None
        [error] = outcome.body["errors"]
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert "shutting down" in error["message"]
        assert await stored_people(database, outcome.account) == 0, "half an import was kept"
