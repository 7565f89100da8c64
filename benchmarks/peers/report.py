"""Medians over rounds and the printed tables (issue 10's layout, then ratios and scaling)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

LATENCY_CONCURRENCY = 1
THROUGHPUT_CONCURRENCY = 16
TARGET_NAMES = {
    "api": "this API",
    "api2": "this API, 2 processes",
    "peer": "peer",
    "floor": "floor",
}
NONE = "–"  # noqa: RUF001 - an en dash marks an empty cell, as in issue 10's table


@dataclass(frozen=True)
class Measurement:
    """One load run: ``target`` served ``workload`` to ``concurrency`` connections."""

    workload: str
    target: str
    concurrency: int
    round: int
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    server_cpu_s: float
    neo4j_cpu_s: float
    error_kinds: str = ""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float | None:
        return 1000 * self.server_cpu_s / self.requests if self.requests else None

    @property
    def neo4j_ms_per_request(self) -> float | None:
        return 1000 * self.neo4j_cpu_s / self.requests if self.requests else None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def median_of(
    runs: Iterable[Measurement], workload: str, target: str, concurrency: int, metric: str
) -> float | None:
    """The median of ``metric`` over the rounds of one (workload, target, concurrency)."""
    values = [
        getattr(m, metric)
        for m in runs
        if (m.workload, m.target, m.concurrency) == (workload, target, concurrency)
    ]
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def number(value: float | None, unit: str = "") -> str:
    """Figures as a table shows them: 3 significant digits, thousands separated."""
    if value is None:
        return NONE
    if value >= 100:
        text = f"{value:,.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}" if value < 1 else f"{value:.1f}"
    return f"{text}{unit}"


def ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return NONE
    return f"{numerator / denominator:.1f}×"  # noqa: RUF001 - a ratio, as in issue 10


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def tables(
    runs: Sequence[Measurement],
    workloads: Sequence[tuple[str, str]],
    concurrency: int = THROUGHPUT_CONCURRENCY,
) -> str:
    """Markdown tables: issue 10's, the ratios, 1 against 2 API processes, and the details.
    Server CPU per request comes from the c=1 runs (a run at c=N ends with N requests half
    done, which would be charged to the ones that completed)."""

    def med(w: str, t: str, c: int, metric: str) -> float | None:
        return median_of(runs, w, t, c, metric)

    lat, thr = LATENCY_CONCURRENCY, concurrency
    lines = [
        _row(
            [
                "workload",
                f"this API p50 (c={lat})",
                "peer",
                "floor",
                f"this API req/s (c={thr})",
                "peer",
                "floor",
                f"server CPU ms/req (c={lat}): API / peer / floor",
            ]
        ),
        _row(["---"] * 8),
    ]
    for name, title in workloads:
        cpu = " / ".join(
            number(med(name, t, lat, "cpu_ms_per_request")) for t in ("api", "peer", "floor")
        )
        lines.append(
            _row(
                [
                    title,
                    *(number(med(name, t, lat, "p50_ms"), " ms") for t in ("api", "peer", "floor")),
                    *(number(med(name, t, thr, "per_second")) for t in ("api", "peer", "floor")),
                    cpu,
                ]
            )
        )
    lines += [
        "",
        _row(
            [
                "workload",
                "p50: API/peer",
                "API/floor",
                "req/s: API/peer",
                "API/floor",
                "CPU/req: API/peer",
                "API/floor",
            ]
        ),
        _row(["---"] * 7),
    ]
    for name, title in workloads:
        cells = [title]
        for metric, c in (("p50_ms", lat), ("per_second", thr), ("cpu_ms_per_request", lat)):
            cells += [
                ratio(med(name, "api", c, metric), med(name, other, c, metric))
                for other in ("peer", "floor")
            ]
        lines.append(_row(cells))
    if any(m.target == "api2" for m in runs):
        lines += [
            "",
            _row(["workload", f"this API req/s (c={thr}), 1 process", "2 processes", "2 / 1"]),
            _row(["---"] * 4),
        ]
        for name, title in workloads:
            one, two = med(name, "api", thr, "per_second"), med(name, "api2", thr, "per_second")
            lines.append(_row([title, number(one), number(two), ratio(two, one)]))
    lines += [
        "",
        _row(
            [
                "workload",
                "server",
                f"p50 ms (c={lat})",
                f"p99 ms (c={thr})",
                f"Neo4j CPU ms/req (c={lat})",
                "rounds",
            ]
        ),
        _row(["---"] * 6),
    ]
    for name, title in workloads:
        for target, target_name in TARGET_NAMES.items():
            rounds = {m.round for m in runs if (m.workload, m.target) == (name, target)}
            if not rounds:
                continue
            lines.append(
                _row(
                    [
                        title,
                        target_name,
                        number(med(name, target, lat, "p50_ms")),
                        number(med(name, target, thr, "p99_ms")),
                        number(med(name, target, lat, "neo4j_ms_per_request")),
                        str(len(rounds)),
                    ]
                )
            )
    return "\n".join(lines)


def failures(runs: Iterable[Measurement]) -> list[str]:
    """Runs with errors (non-2xx answers, timeouts, broken connections) or no request done."""
    return [
        f"{m.workload} on {TARGET_NAMES[m.target]} (c={m.concurrency}, round {m.round}): "
        f"{m.errors} errors ({m.error_kinds or 'none'}) and {m.requests} answers"
        for m in runs
        if m.errors or not m.requests
    ]
