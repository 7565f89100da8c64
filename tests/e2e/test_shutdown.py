"""SIGTERM under load: a real ``graph-api serve`` drains the requests in flight and exits in
bounded time; requests that outlast the grace period get a clean 503, never a dropped
connection, and their imports are not half-written."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import Any

import httpx
import pytest
from live_server import (
    IMPORT,
    LiveServer,
    free_port,
    large_document,
    live_server,
    wait_until_serving,
)

from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.server import FORCE_EXIT_MARGIN, FORCED_EXIT_STATUS

pytestmark = pytest.mark.neo4j

TENANT = "shutdown"
EXIT_SLACK = 3.0  # process teardown after the bound, on a loaded machine
IN_HAND = 1.0  # seconds after the bodies are sent: the server has read them and is at work


@dataclass
class Outcome:
    account: str
    status: int | None
    body: dict[str, Any] | None
    error: str | None
    finished_at: float


def send_import(server: LiveServer, key: str, account: str, people: int, sent: Event) -> Outcome:
    """POST the import; ``sent`` is set once the whole body has gone out."""
    body = json.dumps({"query": IMPORT, "variables": {"doc": large_document(account, people)}})

    def streamed() -> Iterator[bytes]:
        yield body.encode()
        sent.set()

    try:
        response = httpx.post(
            f"{server.url}/graphql",
            content=streamed(),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            timeout=120,
        )
    except httpx.HTTPError as error:
        return Outcome(account, None, None, repr(error), time.monotonic())
    json_body = (
        response.json()
        if response.headers["content-type"].startswith("application/json")
        else {"text": response.text}
    )
    return Outcome(account, response.status_code, json_body, None, time.monotonic())


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
    server: LiveServer, key: str, imports: dict[str, int]
) -> tuple[list[Outcome], float, float]:
    """Send the imports, SIGTERM the server once they are all in its hands; return the
    outcomes, the time of the signal and how long the process took to exit after it."""
    with ThreadPoolExecutor(len(imports)) as pool:
        sent = {account: Event() for account in imports}
        futures: list[Future[Outcome]] = [
            pool.submit(send_import, server, key, account, people, sent[account])
            for account, people in imports.items()
        ]
        for event in sent.values():
            assert event.wait(60), f"a request body was not sent in 60 s:\n{server.log()}"
        time.sleep(IN_HAND)
        early = [f.result() for f in futures if f.done()]
        assert not early, f"the load finished before the signal: {early}\n{server.log()}"
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
            terminate_under_load, server, key, imports
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
    # big enough to outlast the 2 s grace even on a quiet machine: they are cut off, not done
    imports = {"acct-outlast-0": 15000, "acct-outlast-1": 15000}
    with live_server(
        neo4j_settings,
        tmp_path / "server.log",
        FLAGBEARER_SHUTDOWN_GRACE_SECONDS=str(grace),
        FLAGBEARER_MAX_BODY_BYTES=str(8_000_000),  # each document is about 3.7 MB
    ) as server:
        outcomes, _, exited_after = await asyncio.to_thread(
            terminate_under_load, server, key, imports
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


STUCK_APP = """
import sys, time
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from graph_api.config import Settings
from graph_api.server import serve

async def stuck(request):
    time.sleep(120)  # a request that holds the event loop, as CPU-bound work would
    return PlainTextResponse("done")

async def ok(request):
    return PlainTextResponse("ok")

app = Starlette(routes=[Route("/stuck", stuck), Route("/healthz", ok)])
serve(app, "127.0.0.1", int(sys.argv[1]), Settings(FLAGBEARER_SHUTDOWN_GRACE_SECONDS=1))
"""


def test_sigterm_ends_the_process_even_when_the_event_loop_is_stuck(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "stuck.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", STUCK_APP, str(port)], stdout=log, stderr=subprocess.STDOUT
        )
    server = LiveServer(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_until_serving(server)
        with ThreadPoolExecutor(1) as pool:
            pool.submit(server.get, "/stuck", 5)
            time.sleep(1.0)
            signalled = time.monotonic()
            process.send_signal(signal.SIGTERM)
            try:
                status = process.wait(1 + FORCE_EXIT_MARGIN + EXIT_SLACK + 5)
            except subprocess.TimeoutExpired:
                pytest.fail(f"SIGTERM was not honoured:\n{server.log()}")
            exited_after = time.monotonic() - signalled
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert exited_after < 1 + FORCE_EXIT_MARGIN + EXIT_SLACK, server.log()
    assert status == FORCED_EXIT_STATUS, server.log()
    assert "exiting now" in server.log()
