"""A pipeline page's plans in worker processes give the answers of one thread."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from engine_builders import simple_deal
from engine_strategies import subgraphs
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_api import engine, processes
from graph_api.errors import BudgetExceeded


@given(st.lists(st.text(min_size=1, max_size=3), max_size=60))
def test_batches_keep_the_page_in_order_ten_at_a_time(ids: list[str]) -> None:
    parts = processes.batches(ids)
    assert [i for part in parts for i in part] == ids
    assert all(len(part) == processes.BATCH_PLANS for part in parts[:-1])
    assert all(0 < len(part) <= processes.BATCH_PLANS for part in parts)


def test_pages_below_the_bar_stay_in_threads() -> None:
    assert not processes.in_processes(processes.MIN_PLANS - 1)
    assert processes.in_processes(processes.MIN_PLANS) == (processes.PROCESSES >= 2)


@settings(max_examples=5, deadline=None)
@given(st.lists(subgraphs(dense=True), min_size=1, max_size=12))
def test_a_worker_process_answers_as_one_thread_does(graphs: list[engine.Subgraph]) -> None:
    options = [engine.Options() for _ in graphs]
    alone = processes.plan_page(graphs, options, engine.Budget())
    spread = asyncio.run(processes.plan_in_process(graphs, options, deadline=None, visits=None))
    assert spread == alone


def test_a_batch_past_its_budget_is_refused_as_in_threads() -> None:
    graphs = [simple_deal().build()] * 3
    options = [engine.Options()] * len(graphs)
    with pytest.raises(BudgetExceeded) as in_threads:
        processes.plan_page(graphs, options, engine.Budget(visits=1))
    with pytest.raises(BudgetExceeded) as in_processes:
        asyncio.run(processes.plan_in_process(graphs, options, deadline=None, visits=1))
    assert in_processes.value.limit == in_threads.value.limit == "engineVisits"
    assert in_processes.value.message == in_threads.value.message


@pytest.fixture(autouse=True)
def _stop_workers() -> Iterator[None]:
    yield
    processes.shutdown()
