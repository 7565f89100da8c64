"""The local Neo4j supervisor against a real JVM: a throwaway home and a free port, never
7687 or the user's ``.data``."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph_api.db import local_server
from graph_api.db.local_server import LocalNeo4j
from graph_api.errors import Unavailable

pytestmark = pytest.mark.neo4j

PASSWORD = "not-the-default-password"
# A JVM start takes seconds on a quiet machine and minutes on a loaded one; the default
# deadline (3 minutes) is for people, the tests wait longer before calling it a failure.
START_TIMEOUT = 600.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One data dir for the module, so the launcher is built once and later homes reuse it.
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[LocalNeo4j]:
    local = LocalNeo4j(home=data_dir / "neo4j", bolt_port=free_port(), password=PASSWORD)
    local.prepare()  # Maven and javac, once, outside the start's own deadline
    local.start(timeout=START_TIMEOUT)
    yield local
    local.stop()


def run(server: LocalNeo4j, cypher: str, **parameters: object) -> list[dict[str, object]]:
    with GraphDatabase.driver(server.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query(cypher, parameters)
    return [record.data() for record in records]


def test_start_serves_bolt_with_the_password(server: LocalNeo4j) -> None:
    status = server.start(timeout=START_TIMEOUT)

    assert status.running
    assert status.pid is not None
    assert status.bolt_uri == server.bolt_uri
    assert (server.home / "neo4j.pid").read_text().strip() == str(status.pid)
    assert run(server, "RETURN 1 AS one") == [{"one": 1}]


def test_start_when_running_returns_the_running_server(server: LocalNeo4j) -> None:
    first = server.start(timeout=START_TIMEOUT)

    assert server.start(timeout=START_TIMEOUT) == first


def test_data_survives_a_restart(server: LocalNeo4j) -> None:
    server.start(timeout=START_TIMEOUT)
    run(server, "CREATE (:Marker {name: $name})", name="survivor")

    server.stop()
    stopped = server.status()
    assert not stopped.running
    assert stopped.pid is None
    assert not (server.home / "neo4j.pid").exists()

    restarted = server.start(timeout=START_TIMEOUT)
    assert restarted.running
    assert restarted.pid is not None
    assert run(server, "MATCH (m:Marker {name: 'survivor'}) RETURN count(m) AS n") == [{"n": 1}]


def test_second_instance_on_a_taken_port_is_refused(server: LocalNeo4j, data_dir: Path) -> None:
    server.start(timeout=START_TIMEOUT)
    other = LocalNeo4j(home=data_dir / "other", bolt_port=server.bolt_port, password=PASSWORD)

    with pytest.raises(Unavailable, match=f"port {server.bolt_port} is already in use"):
        other.start()
    assert server.status().running


def test_port_taken_by_any_process_is_refused(data_dir: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = int(squatter.getsockname()[1])
        local = LocalNeo4j(home=data_dir / "squatted", bolt_port=port, password=PASSWORD)

        with pytest.raises(Unavailable, match=f"port {port} is already in use"):
            local.start()


def test_jvm_dying_during_start_up_reports_its_log(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = int(squatter.getsockname()[1])
        # Let the JVM find the clash itself, as it would if the port were taken mid-start.
        monkeypatch.setattr(local_server, "_port_is_free", lambda _port: True)
        local = LocalNeo4j(home=data_dir / "dying", bolt_port=port, password=PASSWORD)

        with pytest.raises(Unavailable, match="exited while starting") as raised:
            local.start()

    assert f"port {port} is already in use" in raised.value.message
    assert not local.status().running
    assert not (local.home / "neo4j.pid").exists()


def test_stop_when_not_running_is_a_no_op(data_dir: Path) -> None:
    never_started = LocalNeo4j(home=data_dir / "never", bolt_port=free_port())

    never_started.stop()

    assert never_started.status() == local_server.ServerStatus(
        running=False, pid=None, bolt_uri=never_started.bolt_uri, home=never_started.home
    )


def test_stop_then_status_reports_not_running(server: LocalNeo4j) -> None:
    server.start(timeout=START_TIMEOUT)

    server.stop()
    server.stop()

    assert not server.status().running
