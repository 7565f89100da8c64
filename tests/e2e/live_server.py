"""A real ``graph-api serve`` in a subprocess on a free port, for tests that need the whole
process: signals, a database that goes away under it, clients on real sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from graph_api.config import Settings

START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def post(
        self, key: str, query: str, variables: dict[str, Any] | None = None, timeout: float = 30
    ) -> httpx.Response:
        return httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {key}"},
            timeout=timeout,
        )

    def get(self, path: str, timeout: float = 30) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", timeout=timeout)


@contextmanager
def live_server(
    settings: Settings, log_path: Path, *args: str, **environment: str
) -> Iterator[LiveServer]:
    """``graph-api serve`` against ``settings``' Neo4j, with extra ``args`` and
    ``environment``; stopped (SIGTERM, then SIGKILL) on the way out if the test left it
    running."""
    port = free_port()
    env = {
        **os.environ,
        "NEO4J_URI": settings.effective_neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        **environment,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph_api", "serve", "--port", str(port), *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_until_serving(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def wait_until_serving(server: LiveServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server exited while starting:\n{server.log()}")
        try:
            if server.get("/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not answer in {START_TIMEOUT} s:\n{server.log()}")


def large_document(account: str, people: int) -> dict[str, Any]:
    """One account of ``people`` stakeholders, each influencing the next two: an import that
    takes a few seconds, for catching a server or a database in the middle of one."""
    ids = [f"{account}-p{i}" for i in range(people)]
    return {
        "accounts": [
            {
                "externalId": account,
                "name": f"Account {account}",
                "stakeholders": [
                    {"externalId": person, "name": f"Person {i}", "title": "Engineer"}
                    for i, person in enumerate(ids)
                ],
                "influences": [
                    {"from": ids[i], "to": ids[j], "strength": 0.5}
                    for i in range(people)
                    for j in (i + 1, i + 2)
                    if j < people
                ],
            }
        ]
    }


IMPORT = """mutation($doc: JSON!) { importDocument(document: $doc) { __typename
    ... on ImportResult { changed } ... on UserError { code message } } }"""
