"""Real servers for tests that need them: ``graph-api serve`` (uvicorn) and ``redis-server``
as subprocesses on free loopback ports, each stopped (by its own pid) when the test is done."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graph_api.config import PROJECT_ROOT, Settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@dataclass(frozen=True)
class ApiProcess:
    url: str
    log: Path

    @property
    def graphql(self) -> str:
        return f"{self.url}/graphql"

    def log_lines(self) -> list[str]:
        return self.log.read_text("utf-8", errors="replace").splitlines()


@contextmanager
def api_process(
    neo4j: Settings, log: Path, env: dict[str, str] | None = None, timeout: float = 60.0
) -> Iterator[ApiProcess]:
    """``graph-api serve`` on a free port against the tests' Neo4j, until the block ends.

    Its stderr (the service's log) goes to ``log``. ``env`` adds or overrides variables.
    """
    port = free_port()
    environment = {
        **os.environ,
        "NEO4J_URI": neo4j.effective_neo4j_uri,
        "NEO4J_USER": neo4j.neo4j_user,
        "NEO4J_PASSWORD": neo4j.neo4j_password,
        "NEO4J_DATABASE": neo4j.neo4j_database,
        **(env or {}),
    }
    command = [sys.executable, "-m", "graph_api", "serve", "--host", "127.0.0.1"]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"graph-api serve exited ({process.returncode}):\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"graph-api serve was not ready in {timeout} s:\n{log.read_text()}")
            time.sleep(0.2)
        yield ApiProcess(url, log)
    finally:
        _stop(process)


@contextmanager
def redis_server(directory: Path, timeout: float = 20.0) -> Iterator[str]:
    """Debian's ``redis-server`` on a free loopback port with its own directory and no
    persistence; yields its URL. Fails (not skips) when it is not installed: bin/setup
    installs it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server not found: the shared rate-limit tests need Debian's redis-server"
            " (bin/setup installs it; as root: apt-get install -y redis-server)",
            pytrace=False,
        )
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(directory),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(directory / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}", pytrace=False)
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)
