"""Side-by-side read benchmark (issue 10): this API, @neo4j/graphql 7 (the peer) and a raw
driver floor, over one local Neo4j and one generated data set.

    .venv/bin/python -m benchmarks.peers            # 15 s runs, 3 interleaved rounds
    .venv/bin/python -m benchmarks.peers --quick    # a smoke run: 2 s runs, 1 round

It starts its own Neo4j (``.data/bench-peers``, Bolt port 7761), imports the data set with
``graph-api import`` for two tenants, starts this API (``graph-api serve``, one process, and
a second server with 2 processes), the peer (``node benchmarks/peers/peer.mjs``) and the floor
(``benchmarks/peers/floor.py``), checks that the three answer each workload alike (it stops
on any difference), then drives each with wrk: c=1 for p50, c=16 for throughput and server
CPU per request (the server process tree's own CPU time over the run, per request).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt

from benchmarks.peers import dataset, servers
from benchmarks.peers.load_tool import run_wrk, wrk_path
from benchmarks.peers.report import (
    LATENCY_CONCURRENCY,
    THROUGHPUT_CONCURRENCY,
    Measurement,
    failures,
    tables,
)
from benchmarks.peers.workloads import Ids, Mismatch, Workload, check_same, workloads

DEFAULT_WORK_DIR = servers.REPO_ROOT / ".data" / "bench-peers"
WARM_UP_REQUESTS = 3
MIN_SEQUENTIAL_REQUESTS = 10
MAX_RUN_SECONDS = 90.0


@dataclass(frozen=True)
class Options:
    duration: float
    rounds: int
    concurrency: int
    workloads: tuple[str, ...]
    targets: tuple[str, ...]
    api_workers: int
    bolt_port: int
    work_dir: Path


def parse_options(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.peers", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 2 s runs, 1 round (unless given explicitly)",
    )
    parser.add_argument("--duration", type=float, help="seconds per load run (default 15)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3)")
    parser.add_argument(
        "--concurrency",
        type=int,
        help=f"connections of the throughput runs (default {THROUGHPUT_CONCURRENCY}; --quick: 4)",
    )
    parser.add_argument(
        "--workloads",
        help="comma-separated subset of: " + ", ".join(w.name for w in workloads(_PLACEHOLDER_IDS)),
    )
    parser.add_argument(
        "--targets",
        default="api,peer,floor",
        help="comma-separated subset of api, peer, floor (default: all)",
    )
    parser.add_argument(
        "--api-workers",
        type=int,
        default=2,
        help="also measure this API with N processes at c=16 (0: skip)",
    )
    parser.add_argument("--bolt-port", type=int, default=7761)
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="the benchmark's own folder: its Neo4j is recreated on every run",
    )
    args = parser.parse_args(argv)
    duration = args.duration if args.duration is not None else (2.0 if args.quick else 15.0)
    rounds = args.rounds if args.rounds is not None else (1 if args.quick else 3)
    concurrency = args.concurrency or (4 if args.quick else THROUGHPUT_CONCURRENCY)
    if duration <= 0 or rounds <= 0 or concurrency <= 1:
        parser.error("--duration and --rounds must be positive, --concurrency at least 2")
    known = [w.name for w in workloads(_PLACEHOLDER_IDS)]
    chosen = tuple(args.workloads.split(",")) if args.workloads else tuple(known)
    targets = tuple(args.targets.split(","))
    for name in chosen:
        if name not in known:
            parser.error(f"unknown workload {name!r}; choose from {', '.join(known)}")
    for target in targets:
        if target not in ("api", "peer", "floor"):
            parser.error(f"unknown target {target!r}; choose from api, peer, floor")
    if "api" not in targets:
        parser.error("--targets must include api: the others are compared with it")
    return Options(
        duration,
        rounds,
        concurrency,
        chosen,
        targets,
        max(0, args.api_workers),
        args.bolt_port,
        args.work_dir,
    )


_PLACEHOLDER_IDS = Ids("p", "a", "a-id", "o-id", "o2-id")


@dataclass
class Target:
    name: str  # api, api2 (this API with several processes), peer, floor
    kind: str  # whose requests it is sent: api, peer or floor
    server: servers.Server
    authorization: str | None

    def serves(self, workload: Workload) -> bool:
        return self.kind in workload.requests


def post(target: Target, workload: Workload) -> Any:
    request = workload.requests[target.kind]
    headers = {"Content-Type": "application/json"}
    if target.authorization:
        headers["Authorization"] = target.authorization
    response = httpx.post(
        target.server.url + request.path, content=request.encoded(), headers=headers, timeout=300
    )
    if response.status_code != 200:
        raise Mismatch(
            f"{workload.name}: the {target.name} answered {response.status_code}: "
            f"{response.text[:500]}"
        )
    return response.json()


def check_answers(
    chosen: Sequence[Workload], targets: dict[str, Target]
) -> dict[tuple[str, str], float]:
    """Each workload once per server; the canonical answers must agree (else Mismatch). Then
    a few more requests each, to warm caches, JITs and pools; returns the median seconds of
    one request per (workload, target), which sets how long the load runs must last."""
    for workload in chosen:
        answers = {}
        for name, target in targets.items():
            if target.serves(workload):
                answers[name] = workload.answers[target.kind](post(target, workload))
        check_same(workload.name, answers)
        print(f"  {workload.name}: {', '.join(answers)} answer alike", flush=True)
    service: dict[tuple[str, str], float] = {}
    for workload in chosen:
        for name, target in targets.items():
            if target.serves(workload):
                samples = []
                for _ in range(WARM_UP_REQUESTS):
                    began = time.perf_counter()
                    post(target, workload)
                    samples.append(time.perf_counter() - began)
                service[workload.name, name] = statistics.median(samples)
    return service


def diagnose(workload: Workload, target: Target, concurrency: int) -> list[str]:
    """Ask ``concurrency`` copies of a workload at once, as the failing run did, and say what
    came back (wrk counts errors but does not keep them)."""
    request = workload.requests[target.kind]
    headers = {"Content-Type": "application/json"}
    if target.authorization:
        headers["Authorization"] = target.authorization

    def ask(_: int) -> str:
        try:
            response = httpx.post(
                target.server.url + request.path,
                content=request.encoded(),
                headers=headers,
                timeout=300,
            )
        except httpx.HTTPError as error:
            return f"{type(error).__name__}: {error}"
        if response.status_code != 200:
            return f"HTTP {response.status_code}: {response.text[:300]}"
        errors = response.json().get("errors")
        return f"HTTP 200 with errors: {json.dumps(errors)[:300]}" if errors else "ok"

    with ThreadPoolExecutor(concurrency) as pool:
        answers = Counter(pool.map(ask, range(concurrency)))
    return [f"{count} × {answer}" for answer, count in answers.most_common()]  # noqa: RUF001


def run_length(options: Options, service_seconds: float, concurrency: int) -> float:
    """Long enough for the figure to mean something: at c=1 about ten requests, at c=N two
    rounds of N concurrent requests (a CPU-bound server answers a burst of N together), but
    at most MAX_RUN_SECONDS."""
    wanted = service_seconds * (MIN_SEQUENTIAL_REQUESTS if concurrency == 1 else 2 * concurrency)
    return max(options.duration, min(wanted, MAX_RUN_SECONDS))


def measure(
    workload: Workload,
    target: Target,
    concurrency: int,
    round_: int,
    seconds: float,
    neo4j: servers.Neo4j,
    bodies: Path,
) -> Measurement:
    request = workload.requests[target.kind]
    body = bodies / f"{workload.name}-{target.kind}.json"
    body.write_bytes(request.encoded())
    pids = [target.server.pid, neo4j.pid]
    if not servers.wait_until_idle(pids):
        print(f"  warning: {target.name} or Neo4j still busy before {workload.name}", flush=True)
    server_before, neo4j_before = target.server.cpu_seconds(), neo4j.cpu_seconds()
    result = run_wrk(
        target.server.url + request.path, body, target.authorization, concurrency, seconds, bodies
    )
    server_cpu = target.server.cpu_seconds() - server_before
    neo4j_cpu = neo4j.cpu_seconds() - neo4j_before
    measurement = Measurement(
        workload.name,
        target.name,
        concurrency,
        round_,
        result.requests,
        result.seconds,
        result.errors,
        result.p50_ms,
        result.p99_ms,
        server_cpu,
        neo4j_cpu,
        result.error_kinds,
    )
    cpu = measurement.cpu_ms_per_request
    print(
        f"  round {round_} {workload.name:<19} {target.name:<5} c={concurrency:<2} "
        f"{result.seconds:>5.0f} s {result.requests:>6} req {measurement.per_second:>8.1f}/s "
        f"p50 {result.p50_ms:>8.1f} ms cpu {'-' if cpu is None else f'{cpu:.1f}'} ms/req"
        f"{f'  ERRORS {result.errors} ({result.error_kinds})' if result.errors else ''}",
        flush=True,
    )
    return measurement


def run(options: Options) -> int:
    wrk_path()  # fail before minutes of set-up when the load tool is missing
    work = options.work_dir
    logs = work / "logs"
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(f"starting Neo4j on Bolt port {options.bolt_port} (home {work / 'neo4j'}) …", flush=True)
    with contextlib.ExitStack() as stack:
        neo4j = stack.enter_context(servers.local_neo4j(work, options.bolt_port))
        print("importing the data set (1,000 + 200 people, two tenants) …", flush=True)
        dataset.load(neo4j.env, work)
        key = servers.create_key(dataset.TENANT, "viewer", neo4j.env)
        print("starting the servers …", flush=True)
        api = servers.start_api(neo4j, logs)
        stack.callback(api.stop)
        targets = {"api": Target("api", "api", api, f"Bearer {key}")}
        if options.api_workers > 1:
            api2 = servers.start_api(neo4j, logs, workers=options.api_workers)
            stack.callback(api2.stop)
            targets["api2"] = Target("api2", "api", api2, f"Bearer {key}")
        if "peer" in options.targets:
            secret = secrets.token_hex(32)
            peer = servers.start_peer(neo4j, secret, logs)
            stack.callback(peer.stop)
            token = jwt.encode(
                {"tenant": dataset.TENANT, "sub": "bench", "exp": int(time.time()) + 86_400},
                secret,
                algorithm="HS256",
            )
            targets["peer"] = Target("peer", "peer", peer, f"Bearer {token}")
        if "floor" in options.targets:
            floor = servers.start_floor(neo4j, dataset.TENANT, logs)
            stack.callback(floor.stop)
            targets["floor"] = Target("floor", "floor", floor, None)
        ids = dataset.lookup_ids(api.url, key)
        chosen = [w for w in workloads(ids) if w.name in options.workloads]
        print(f"set-up took {time.monotonic() - started:.0f} s; checking answers …", flush=True)
        service = check_answers(chosen, targets)

        runs: list[Measurement] = []
        bodies = work / "bodies"
        bodies.mkdir(exist_ok=True)
        for round_ in range(1, options.rounds + 1):
            for workload in chosen:
                names = [t for t in targets if t != "api2" and targets[t].serves(workload)]
                shift = (round_ - 1) % len(names)
                for name in names[shift:] + names[:shift]:  # who goes first rotates per round
                    plan = [(name, LATENCY_CONCURRENCY), (name, options.concurrency)]
                    if name == "api" and "api2" in targets:
                        plan.append(("api2", options.concurrency))
                    for who, concurrency in plan:
                        seconds = run_length(options, service[workload.name, who], concurrency)
                        runs.append(
                            measure(
                                workload, targets[who], concurrency, round_, seconds, neo4j, bodies
                            )
                        )
        failing = {(m.workload, m.target, m.concurrency) for m in runs if m.errors}
        for name, who, concurrency in sorted(failing):
            workload = next(x for x in chosen if x.name == name)
            servers.wait_until_idle([targets[who].server.pid, neo4j.pid])
            print(f"re-asking {name} of the {who} at c={concurrency} after errors:", flush=True)
            for line in diagnose(workload, targets[who], concurrency):
                print(f"  {line}", flush=True)
    results = work / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    results.write_text(
        json.dumps(
            {
                "duration": options.duration,
                "rounds": options.rounds,
                "concurrency": options.concurrency,
                "api_workers": options.api_workers,
                "runs": [m.as_json() for m in runs],
            },
            indent=1,
        ),
        "utf-8",
    )
    print(
        f"\n{options.rounds} interleaved round(s) of {options.duration:g} s runs, medians; "
        f"server CPU per request from the c={LATENCY_CONCURRENCY} runs "
        f"(raw figures: {results})\n"
    )
    print(tables(runs, [(w.name, w.title) for w in chosen], options.concurrency))
    problems = failures(runs)
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    try:
        return run(options)
    except Mismatch as error:
        print(f"MISMATCH: {error}", file=sys.stderr)
        return 2
    except servers.BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
