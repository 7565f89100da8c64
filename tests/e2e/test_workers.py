"""``graph-api serve --workers N``: N processes answer on one port, and SIGTERM ends them all
within the shutdown bound."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from live_server import live_server

from graph_api.config import Settings
from graph_api.server import FORCE_EXIT_MARGIN

pytestmark = pytest.mark.neo4j

EXIT_SLACK = 3.0  # process teardown after the bound, on a loaded machine


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="reads worker processes from /proc")
async def test_workers_share_the_port_and_stop_together(
    neo4j_settings: Settings, make_key: Any, tenant: str, tmp_path: Path
) -> None:
    key = await make_key(tenant, "viewer")
    grace = 2
    with live_server(
        neo4j_settings,
        tmp_path / "server.log",
        "--workers",
        "2",
        FLAGBEARER_SHUTDOWN_GRACE_SECONDS=str(grace),
    ) as server:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: server.post(key, "{ viewer { tenant } }"), range(32)))
        assert all(a.status_code == 200 for a in answers), server.log()
        assert {a.json()["data"]["viewer"]["tenant"] for a in answers} == {tenant}
        workers = [
            pid
            for pid in children(server.process.pid)
            if "--multiprocessing-fork" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
        ]
        assert len(workers) == 2, server.log()
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running 60 s after SIGTERM:\n{server.log()}")
        assert time.monotonic() - signalled < grace + FORCE_EXIT_MARGIN + EXIT_SLACK
        assert server.process.returncode == 0, server.log()
        assert not any(alive(pid) for pid in workers), "a worker outlived the parent"


def test_workers_refuse_a_metrics_address() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph_api", "serve", "--workers", "2"],
        env={"FLAGBEARER_METRICS_ADDRESS": "127.0.0.1:9464", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0
    assert "FLAGBEARER_METRICS_TOKEN" in done.stderr
