"""Processes the benchmarks start and measure: the local Neo4j, this API, the peer, the floor.

Everything listens on 127.0.0.1 only. Each server runs in its own session (process group), so
stopping it stops its workers too, and nothing else. CPU time is read from ``/proc``: a
server's own utime + stime, plus that of its live descendants (uvicorn workers), plus what its
reaped children left in cutime + cstime.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from graph_api.db.local_server import LocalNeo4j

REPO_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LOOPBACK = "127.0.0.1"
NEO4J_PASSWORD = "flagbearer-bench"  # a loopback-only throwaway server's
# A benchmark is not a caller to throttle: the per-key cost budget would cap every figure.
# The cost limit is raised too: by default (5000) it refuses issue 10's "first 100
# stakeholders with influences and reporting lines" (that document costs 5302).
BENCH_API_ENV = {"FLAGBEARER_RATE_LIMIT_COST": str(10**12), "FLAGBEARER_MAX_QUERY_COST": "100000"}


class BenchError(RuntimeError):
    """A set-up or check that failed; the message says what and where to look."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may contain spaces: split after the last ')'.
    return raw[raw.rindex(")") + 2 :].split()


def process_tree(pid: int) -> list[int]:
    """``pid`` and every live descendant of it."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and its descendants (live ones, and reaped ones via cutime/cstime)."""
    total = 0
    for member in process_tree(pid):
        fields = _stat_fields(member)
        if fields is None:
            continue
        # Fields 14-17 of /proc/<pid>/stat (1-based): utime stime cutime cstime; after the
        # split above field n is at index n - 3.
        total += sum(int(v) for v in fields[11:15])
    return total / CLOCK_TICKS


@dataclass
class Server:
    """A started process with a name, a base URL and a log file."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text("utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the server's own process group, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
        if self._log is not None:
            self._log.close()
            self._log = None


def start_server(
    name: str,
    argv: Sequence[str],
    *,
    port: int,
    env: Mapping[str, str],
    log_dir: Path,
    ready_path: str,
    cwd: Path = REPO_ROOT,
    timeout: float = 120.0,
) -> Server:
    """Start ``argv`` in its own session and wait until ``GET ready_path`` answers 200."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    log = log_path.open("ab")
    process = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(name, f"http://{LOOPBACK}:{port}", process, log_path, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            server.stop()
            msg = f"{name} exited with {process.returncode}; its log:\n{server.log_tail()}"
            raise BenchError(msg)
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.url + ready_path, timeout=2.0).status_code == 200:
                return server
        if time.monotonic() > deadline:
            server.stop()
            msg = f"{name} did not answer {ready_path} in {timeout:.0f} s:\n{server.log_tail()}"
            raise BenchError(msg)
        time.sleep(0.25)


@dataclass
class Neo4j:
    """The benchmark's own local Neo4j (a fresh home per run)."""

    server: LocalNeo4j
    uri: str
    pid: int

    @property
    def env(self) -> dict[str, str]:
        return {"NEO4J_URI": self.uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": NEO4J_PASSWORD}

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)


@contextlib.contextmanager
def local_neo4j(work_dir: Path, bolt_port: int) -> Iterator[Neo4j]:
    """A fresh Neo4j under ``work_dir/neo4j`` on ``bolt_port``, stopped afterwards.

    ``work_dir`` belongs to the benchmark: its database is replaced on every run.
    """
    home = work_dir / "neo4j"
    stale = LocalNeo4j(home, bolt_port=bolt_port, password=NEO4J_PASSWORD)
    stale.stop()  # a run that was killed may have left its server behind
    shutil.rmtree(home, ignore_errors=True)
    server = LocalNeo4j(home, bolt_port=bolt_port, password=NEO4J_PASSWORD)
    status = server.start()
    if status.pid is None:
        msg = f"Neo4j on {status.bolt_uri} reports no pid"
        raise BenchError(msg)
    try:
        yield Neo4j(server, status.bolt_uri, status.pid)
    finally:
        server.stop()


def graph_api_cli(args: Sequence[str], env: Mapping[str, str]) -> str:
    """Run ``python -m graph_api ARGS`` (the project's own CLI) and return its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "graph_api", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        msg = f"graph-api {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}"
        raise BenchError(msg)
    return done.stdout


def import_document(
    document: dict[str, Any], tenant: str, env: Mapping[str, str], work_dir: Path
) -> None:
    """Import an account document with ``graph-api import`` (atomic, MERGE)."""
    path = work_dir / f"import-{tenant}-{document['accounts'][0]['externalId']}.json"
    path.write_text(json.dumps(document), "utf-8")
    graph_api_cli(["import", str(path), "--tenant", tenant], env)


def create_key(tenant: str, role: str, env: Mapping[str, str]) -> str:
    """A new API key made by ``graph-api keys create`` (printed alone on stdout)."""
    lines = graph_api_cli(["keys", "create", "--tenant", tenant, "--role", role], env).split()
    if not lines:
        msg = "graph-api keys create printed no key"
        raise BenchError(msg)
    return lines[-1]


def api_argv(port: int, workers: int) -> list[str]:
    """How to serve this checkout's API: ``graph-api serve`` (uvicorn, one process), or with
    ``workers`` > 1 its ``--workers`` option when it has one, else uvicorn's own ``--workers``
    over the same application factory."""
    serve = [sys.executable, "-m", "graph_api", "serve", "--host", LOOPBACK, "--port", str(port)]
    if workers <= 1:
        return serve
    help_text = subprocess.run(
        [*serve[:4], "--help"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    ).stdout
    if "--workers" in help_text:
        return [*serve, "--workers", str(workers)]
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "graph_api.app:create_app",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


def start_api(
    neo4j: Neo4j,
    log_dir: Path,
    *,
    workers: int = 1,
    name: str | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> Server:
    port = free_port()
    env = {
        **neo4j.env,
        **BENCH_API_ENV,
        "FLAGBEARER_DATA_DIR": str(log_dir / "api-data"),
        **(extra_env or {}),
    }
    return start_server(
        name or (f"api-{workers}-workers" if workers > 1 else "api"),
        api_argv(port, workers),
        port=port,
        env=env,
        log_dir=log_dir,
        ready_path="/readyz",
    )


def ensure_peer_installed() -> None:
    """``npm ci`` in benchmarks/peers when its node_modules is missing or older than the lock."""
    lock = HERE / "package-lock.json"
    stamp = HERE / "node_modules" / ".package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        msg = "npm is required for the peer (Node.js 20+ and npm)"
        raise BenchError(msg)
    print("installing the peer's npm packages (npm ci) …", flush=True)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        msg = f"npm ci failed in {HERE}:\n{done.stderr[-3000:]}"
        raise BenchError(msg)


def start_peer(neo4j: Neo4j, jwt_secret: str, log_dir: Path) -> Server:
    node = shutil.which("node")
    if node is None:
        msg = "node (Node.js 20+) is required for the peer"
        raise BenchError(msg)
    ensure_peer_installed()
    port = free_port()
    env = {
        **neo4j.env,
        "PEER_PORT": str(port),
        "PEER_JWT_SECRET": jwt_secret,
        "NODE_ENV": "production",
    }
    return start_server(
        "peer",
        [node, str(HERE / "peer.mjs")],
        port=port,
        env=env,
        log_dir=log_dir,
        ready_path="/health",
        cwd=HERE,
    )


def start_floor(neo4j: Neo4j, tenant: str, log_dir: Path) -> Server:
    port = free_port()
    env = {**neo4j.env, "FLOOR_TENANT": tenant}
    return start_server(
        "floor",
        [sys.executable, "-m", "benchmarks.peers.floor", "--port", str(port)],
        port=port,
        env=env,
        log_dir=log_dir,
        ready_path="/healthz",
    )


def wait_until_idle(
    pids: Sequence[int], *, window: float = 0.5, busy: float = 0.03, timeout: float = 90.0
) -> bool:
    """Wait until none of ``pids`` (with descendants) burns more than ``busy`` CPU seconds in
    ``window`` seconds: a load run's abandoned requests must not be charged to the next run.
    False if they were still busy after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    before = [cpu_seconds(p) for p in pids]
    while time.monotonic() < deadline:
        time.sleep(window)
        after = [cpu_seconds(p) for p in pids]
        if all(b - a <= busy for a, b in zip(before, after, strict=True)):
            return True
        before = after
    return False
