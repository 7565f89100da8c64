"""A pipeline page's plans, in worker processes.

A page of 50 opportunities is 50 independent plans of pure CPU work. The engine's threads
(:func:`graph_api.coaching.off_loop`) keep that work off the event loop, but they share one
interpreter lock with it, so the page uses one core however many the machine has, and slows
every other request while it runs. Here a page's maps load in batches of
:data:`BATCH_PLANS`, all asked at once, and each batch is planned in a worker process as soon
as its maps arrive (:func:`graph_api.coaching.pipeline`): Neo4j answers the next batches while
the workers plan the first ones. The answers are those of one thread, in the page's order.

The processes are started with ``spawn`` (never ``fork``: the server has threads — the Neo4j
driver's, the engine's — and a forked child would inherit their locks in whatever state they
were), on the first page that needs them, and import only the engine. They are stopped when
the app stops (:func:`shutdown`). All batches of a page share its deadline: ``time.monotonic``
is the machine's monotonic clock (``CLOCK_MONOTONIC``), the same in every process, so a
deadline read in the server is a deadline in the workers. The visit budget is divided among
the batches. A batch that runs past its budget sends back the limit it hit, and the page is
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
BATCH_PLANS = 10
"""Plans per batch: a page's maps load in batches, all asked at once, and each batch goes to
a worker as soon as its maps arrive, so Neo4j, the server and the workers work together."""


class _Workers:
    """The running pool, if any (started by the first page that needs it)."""

    pool: ProcessPoolExecutor | None = None


Exceeded = tuple[str, str]
"""A batch's budget refusal as it crosses the process boundary: (message, limit)."""


def plan_page(
    graphs: Sequence[engine.Subgraph], options: Sequence[engine.Options], budget: engine.Budget
) -> list[engine.PipelineSummary]:
    """Each opportunity's plan, summarised for the pipeline, in order, within one budget."""
    return [
        engine.pipeline_summary(graph, engine.coaching_plan(graph, chosen, budget=budget))
        for graph, chosen in zip(graphs, options, strict=True)
    ]


def _plan_batch(
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


def in_processes(plans: int) -> bool:
    """Whether a page of ``plans`` plans goes to the worker processes."""
    return PROCESSES >= 2 and plans >= MIN_PLANS


def batches(ids: Sequence[str]) -> list[list[str]]:
    """A page's opportunity ids cut into consecutive batches of :data:`BATCH_PLANS` (the
    last may be smaller)."""
    return [list(ids[i : i + BATCH_PLANS]) for i in range(0, len(ids), BATCH_PLANS)]


def _pool_started() -> ProcessPoolExecutor:
    if _Workers.pool is None:
        context = multiprocessing.get_context("spawn")
        _Workers.pool = ProcessPoolExecutor(PROCESSES, mp_context=context)
    return _Workers.pool


async def plan_in_process(
    graphs: Sequence[engine.Subgraph],
    options: Sequence[engine.Options],
    *,
    deadline: float | None,
    visits: int | None,
) -> list[engine.PipelineSummary] | None:
    """:func:`plan_page` in a worker process, within ``deadline`` and ``visits``; ``None``
    when the pool broke (a worker was killed): the caller then plans in a thread, and the
    next page starts a fresh pool."""
    loop = asyncio.get_running_loop()
    work = functools.partial(_plan_batch, list(graphs), list(options), deadline, visits)
    try:
        answer = await loop.run_in_executor(_pool_started(), work)
    except BrokenProcessPool:
        shutdown()
        return None
    if isinstance(answer, tuple):
        message, limit = answer
        raise BudgetExceeded(message, limit)
    return answer


def shutdown() -> None:
    """Stop the worker processes (they start again on the next page that needs them)."""
    pool, _Workers.pool = _Workers.pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
