"""A pipeline page's plans, spread over worker processes.

A page of 50 opportunities is 50 independent plans of pure CPU work. The engine's threads
(:func:`graph_api.coaching.off_loop`) keep that work off the event loop, but they share one
interpreter lock, so the page uses one core however many the machine has. Here the page is
cut into one slice per process, balanced by the number of people, and each slice is planned
in a process of its own; the answers come back in the page's order.

The processes are started with ``spawn`` (never ``fork``: the server has threads — the Neo4j
driver's, the engine's — and a forked child would inherit their locks in whatever state they
were), on the first page that needs them, and import only the engine. They are stopped when
the app stops (:func:`shutdown`). All slices of a page share its deadline: ``time.monotonic``
is the machine's monotonic clock (``CLOCK_MONOTONIC``), the same in every process, so a
deadline read in the server is a deadline in the workers. The visit budget is divided among
the slices. A slice that runs past its budget sends back the limit it hit, and the page is
refused with the same LIMIT_EXCEEDED as when it runs in threads.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from graph_api import engine
from graph_api.errors import BudgetExceeded

PROCESSES = min(os.cpu_count() or 1, 4)
"""Worker processes for pipeline pages: one per core, at most 4; with one core, none."""
MIN_PLANS = 8
"""A page with fewer plans runs them in the engine's threads: handing over is not worth it."""



class _Workers:
    """The running pool, if any (started by the first page that needs it)."""

    pool: ProcessPoolExecutor | None = None


Exceeded = tuple[str, str]
"""A slice's budget refusal as it crosses the process boundary: (message, limit)."""


def plan_page(
    graphs: Sequence[engine.Subgraph], options: Sequence[engine.Options], budget: engine.Budget
) -> list[engine.PipelineSummary]:
    """Each opportunity's plan, summarised for the pipeline, in order, within one budget."""
    return [
        engine.pipeline_summary(graph, engine.coaching_plan(graph, chosen, budget=budget))
        for graph, chosen in zip(graphs, options, strict=True)
    ]


def _plan_slice(
    graphs: list[engine.Subgraph],
    options: list[engine.Options],
    deadline: float | None,
    visits: int | None,
) -> list[engine.PipelineSummary] | Exceeded:
    """What a worker process runs: :func:`plan_page` within the page's deadline."""
    budget = engine.Budget(
        time.monotonic if deadline is not None else None, deadline=deadline, visits=visits
    )
    try:
        return plan_page(graphs, options, budget)
    except BudgetExceeded as exceeded:  # its pickled form could not be rebuilt: sent as data
        return (exceeded.message, exceeded.limit)


def slices(sizes: Sequence[int], count: int) -> list[list[int]]:
    """Indexes ``0..len(sizes)-1`` cut into at most ``count`` non-empty slices of about equal
    total size (largest first, each to the lightest slice so far); each slice in order."""
    loads = [0] * count
    cut: list[list[int]] = [[] for _ in range(count)]
    for index in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = min(range(count), key=lambda s: (loads[s], s))
        cut[lightest].append(index)
        loads[lightest] += max(sizes[index], 1)
    return [sorted(part) for part in cut if part]


def _pool_started() -> ProcessPoolExecutor:
    if _Workers.pool is None:
        context = multiprocessing.get_context("spawn")
        _Workers.pool = ProcessPoolExecutor(PROCESSES, mp_context=context)
    return _Workers.pool


async def plan_page_in_processes(
    graphs: Sequence[engine.Subgraph],
    options: Sequence[engine.Options],
    *,
    deadline: float | None,
    visits: int | None,
) -> list[engine.PipelineSummary] | None:
    """:func:`plan_page` spread over the worker processes; ``None`` when the page is too small
    for them, the machine has one core, or the pool broke (the caller then runs it in threads)."""
    if PROCESSES < 2 or len(graphs) < MIN_PLANS:
        return None
    parts = slices([len(graph.people) for graph in graphs], PROCESSES)
    share = None if visits is None else max(visits // len(parts), 1)
    loop = asyncio.get_running_loop()
    pool = _pool_started()
    try:
        answers = await asyncio.gather(
            *(
                loop.run_in_executor(
                    pool,
                    functools.partial(
                        _plan_slice,
                        [graphs[i] for i in part],
                        [options[i] for i in part],
                        deadline,
                        share,
                    ),
                )
                for part in parts
            )
        )
    except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh next time
        shutdown()
        return None
    found: list[engine.PipelineSummary | None] = [None] * len(graphs)
    for part, answer in zip(parts, answers, strict=True):
        if isinstance(answer, tuple):
            message, limit = answer
            raise BudgetExceeded(message, limit)
        for index, summary in zip(part, answer, strict=True):
            found[index] = summary
    return [summary for summary in found if summary is not None]


def shutdown() -> None:
    """Stop the worker processes (they start again on the next page that needs them)."""
    pool, _Workers.pool = _Workers.pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
