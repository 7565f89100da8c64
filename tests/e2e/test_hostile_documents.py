"""Documents built to make checking them explode, sent to a real server process by a viewer:
each is answered within seconds (refused by a limit, or costed), and the server keeps
answering everyone else. The client's timeout is the hang detector: before the limits were
linear, the first document below never finished and took the whole process with it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from live_server import LiveServer, live_server

from graph_api.config import Settings

pytestmark = pytest.mark.neo4j

ANSWER_WITHIN = 10.0  # seconds: a hang detector, not a speed target


def doubling_fragments(count: int) -> str:
    """F0 spreads F1 twice, F1 spreads F2 twice, …: 2^count paths in about 2 KB."""
    fragments = [
        f"fragment F{i} on Account {{ name ...F{i + 1} ...F{i + 1} }}" for i in range(count)
    ]
    fragments.append(f"fragment F{count} on Account {{ id }}")
    return '{ account(externalId: "x") { ...F0 } }\n' + "\n".join(fragments)


HOSTILE = {
    "doubling-fragments": (doubling_fragments(39), "cost"),
    "repeated-fields": ("{ " + "playbook { concerns { id } } " * 250 + "}", "validationWork"),
    "fragment-cycle-deep": (
        "fragment A on Account { stakeholders { edges { node { account { ...B } } } } }"
        ' fragment B on Account { id ...A } { account(externalId: "x") { ...A } }',
        None,
    ),
}


@pytest.fixture(scope="module")
def server(
    neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    log = Path(tmp_path_factory.mktemp("hostile")) / "server.log"
    with live_server(neo4j_settings, log) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def viewer(make_key: Any) -> str:
    return str(await make_key("hostile", "viewer"))


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_a_hostile_document_is_answered_within_seconds(
    server: LiveServer, viewer: str, name: str
) -> None:
    query, limit = HOSTILE[name]
    assert len(query.encode()) < 8000
    started = time.monotonic()
    response = await asyncio.to_thread(server.post, viewer, query, None, ANSWER_WITHIN)
    assert time.monotonic() - started < ANSWER_WITHIN
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("data") is None, body
    codes = {error["extensions"]["code"] for error in body["errors"]}
    if limit is None:
        assert codes <= {"GRAPHQL_VALIDATION_FAILED", "LIMIT_EXCEEDED"}, body
    else:
        [error] = body["errors"]
        assert error["extensions"]["limit"] == limit, body


async def test_others_are_answered_while_hostile_documents_arrive(
    server: LiveServer, viewer: str
) -> None:
    query, _ = HOSTILE["doubling-fragments"]

    def health_latencies() -> list[float]:
        latencies = []
        for _ in range(20):
            started = time.monotonic()
            assert server.get("/healthz", timeout=ANSWER_WITHIN).status_code == 200
            latencies.append(time.monotonic() - started)
        return latencies

    with ThreadPoolExecutor(5) as pool:
        attacks = [pool.submit(server.post, viewer, query, None, ANSWER_WITHIN) for _ in range(4)]
        latencies = await asyncio.to_thread(health_latencies)
        assert all(a.result().status_code in {200, 429} for a in attacks)
    assert max(latencies) < ANSWER_WITHIN
    assert server.process.poll() is None
