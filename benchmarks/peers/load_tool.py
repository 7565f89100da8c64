"""Driving a server with wrk (Debian's ``wrk``): a fixed POST body, c connections, d seconds.

A small Lua script sets the method, body and headers and, when wrk is done, prints one line
``BENCH_RESULT {json}`` with the request count, the duration, the error counts (connect, read,
write, timeout, and non-2xx/3xx status) and the latency percentiles, which ``parse`` reads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA = r"""
local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

wrk.method = "POST"
wrk.body = read(os.getenv("BENCH_BODY_FILE"))
wrk.headers["Content-Type"] = "application/json"
local authorization = os.getenv("BENCH_AUTHORIZATION")
if authorization and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end

function done(summary, latency, requests)
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""
MARKER = "BENCH_RESULT "
ERROR_KINDS = ("connect", "read", "write", "status", "timeout")


@dataclass(frozen=True)
class LoadResult:
    requests: int  # answered with a 2xx/3xx status: error answers do not count as throughput
    seconds: float
    errors: int  # connect + read + write + timeout + non-2xx/3xx answers
    p50_ms: float
    p99_ms: float
    error_kinds: str = ""  # e.g. "status 3, read 1": which of wrk's counters the errors are

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse(output: str) -> LoadResult:
    """The ``BENCH_RESULT`` line of wrk's output."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            raw = json.loads(line[len(MARKER) :])
            errors = sum(raw[k] for k in ERROR_KINDS)
            return LoadResult(
                requests=int(raw["requests"]) - int(raw["status"]),
                seconds=raw["duration_us"] / 1e6,
                errors=int(errors),
                p50_ms=raw["p50_us"] / 1000,
                p99_ms=raw["p99_us"] / 1000,
                error_kinds=", ".join(f"{k} {raw[k]}" for k in ERROR_KINDS if raw[k]),
            )
    msg = f"wrk printed no result line:\n{output[-2000:]}"
    raise RuntimeError(msg)


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        msg = "wrk is required: apt-get install -y wrk (Debian's package; run as root)"
        raise RuntimeError(msg)
    return found


def run_wrk(
    url: str,
    body_file: Path,
    authorization: str | None,
    connections: int,
    seconds: float,
    script_dir: Path,
) -> LoadResult:
    script = script_dir / "post.lua"
    if not script.exists():
        script.write_text(LUA, "utf-8")
    env = {
        **os.environ,
        "BENCH_BODY_FILE": str(body_file),
        "BENCH_AUTHORIZATION": authorization or "",
    }
    done = subprocess.run(
        [
            wrk_path(),
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "120s",
            "-s",
            str(script),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        msg = f"wrk failed ({done.returncode}): {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    return parse(done.stdout)
