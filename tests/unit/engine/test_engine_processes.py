"""A pipeline page's plans spread over worker processes give the answers of one thread."""

from __future__ import annotations

import asyncio

import pytest
from engine_builders import simple_deal
from engine_strategies import subgraphs
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_api import engine, processes
from graph_api.errors import BudgetExceeded


@given(st.lists(st.integers(0, 300), max_size=60), st.integers(1, 4))
def test_slices_cover_every_index_once_in_order_and_balance_the_load(
    sizes: list[int], count: int
) -> None:
    parts = processes.slices(sizes, count)
    assert sorted(i for part in parts for i in part) == list(range(len(sizes)))
    assert all(part == sorted(part) and part for part in parts)
    assert len(parts) <= count
    if parts:
        loads = [sum(max(sizes[i], 1) for i in part) for part in parts]
        # greedy largest-first: no slice exceeds another by more than its largest item
        assert max(loads) - min(loads) <= max(max(s, 1) for s in sizes)


@settings(max_examples=5, deadline=None)
@given(st.lists(subgraphs(dense=True), min_size=processes.MIN_PLANS, max_size=12))
def test_processes_answer_as_one_thread_does(graphs: list[engine.Subgraph]) -> None:
    options = [engine.Options() for _ in graphs]
    alone = processes.plan_page(graphs, options, engine.Budget())
    spread = asyncio.run(
        processes.plan_page_in_processes(graphs, options, deadline=None, visits=None)
    )
    assert spread == alone


def test_a_small_page_is_left_to_the_threads() -> None:
    graphs = [simple_deal().build()] * (processes.MIN_PLANS - 1)
    options = [engine.Options()] * len(graphs)
    assert (
        asyncio.run(processes.plan_page_in_processes(graphs, options, deadline=None, visits=None))
        is None
    )


def test_a_page_past_its_budget_is_refused_as_in_threads() -> None:
    graphs = [simple_deal().build()] * processes.MIN_PLANS
    options = [engine.Options()] * len(graphs)
    with pytest.raises(BudgetExceeded) as in_threads:
        processes.plan_page(graphs, options, engine.Budget(visits=1))
    with pytest.raises(BudgetExceeded) as in_processes:
        asyncio.run(processes.plan_page_in_processes(graphs, options, deadline=None, visits=1))
    assert in_processes.value.limit == in_threads.value.limit == "engineVisits"
    assert in_processes.value.message == in_threads.value.message


@pytest.fixture(autouse=True)
def _stop_workers() -> object:
    yield None
    processes.shutdown()
