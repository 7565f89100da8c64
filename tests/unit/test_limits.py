"""The limit arithmetic without a server: tokens, validation work, depth, cost, and the rate
limiter's bucket."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from graphql import FragmentDefinitionNode, GraphQLSyntaxError, OperationDefinitionNode, parse

from graph_api.api.limits import (
    COST_CEILING,
    UNPAGED_LIST_SIZE,
    DocumentShape,
    QueryCost,
    parse_within_limit,
)
from graph_api.api.ratelimit import CostRateLimiter
from graph_api.api.schema import schema
from graph_api.errors import LimitExceeded

HANG_GUARD_SECONDS = 5.0
T = TypeVar("T")


def cost(query: str, max_page_size: int = 100) -> int:
    document = parse(query)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return QueryCost(schema._schema, fragments, None, max_page_size).of_operation(operation)


def shape(query: str, max_work: int = 10_000) -> DocumentShape:
    return DocumentShape(parse(query), max_work)


def depth(query: str) -> int:
    measured = shape(query)
    [operation] = measured.operations
    return measured.depth_of(operation)


def finishes(work: Callable[[], T], seconds: float = HANG_GUARD_SECONDS) -> T:
    """``work()``'s result, run in a thread; fails (instead of hanging the suite) when it has
    not finished after ``seconds``. A hang detector, not a speed assertion."""
    outcome: list[T | BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: the walk is not linear"
    [result] = outcome
    if isinstance(result, BaseException):
        raise result
    return result


def doubling_fragments(count: int) -> str:
    """F0 spreads F1 twice, F1 spreads F2 twice, …: 2^count paths through a small document."""
    fragments = [
        f"fragment F{i} on Account {{ name stakeholders {{ edges {{ node {{ name }} }} }}"
        f" ...F{i + 1} ...F{i + 1} }}"
        for i in range(count - 1)
    ]
    fragments.append(f"fragment F{count - 1} on Account {{ id }}")
    return '{ account(externalId: "x") { ...F0 } }\n' + "\n".join(fragments)


def test_the_parser_stops_at_the_token_limit() -> None:
    assert parse_within_limit("{ a { b c } }", 7).definitions
    with pytest.raises(LimitExceeded) as caught:
        parse_within_limit("{ " + "a " * 10_000 + "}", 50)
    assert caught.value.limit == "tokens"
    assert "more than 50 tokens" in caught.value.message
    assert parse_within_limit("# a comment\n{ a }", 3).definitions


def test_comments_count_against_the_token_limit_too() -> None:
    with pytest.raises(LimitExceeded) as caught:
        parse_within_limit("#\n" * 100 + "{ a }", 50)
    assert caught.value.limit == "tokens"
    assert "comments" in caught.value.message


def test_other_syntax_errors_stay_syntax_errors() -> None:
    with pytest.raises(GraphQLSyntaxError):
        parse_within_limit('{ a(s: "unterminated) }', 100)


def test_depth_counts_fields_through_fragments() -> None:
    query = (
        "fragment F on Account { stakeholders { edges { node { id } } } }"
        " { account(id: 1) { ...F } }"
    )
    assert depth(query) == 5


def test_depth_ignores_introspection_but_not_typename() -> None:
    assert depth("{ __schema { types { fields { name } } } }") == 0
    assert depth("{ playbook { __typename } }") == 2


def test_depth_survives_a_fragment_cycle() -> None:
    query = (
        "fragment A on Account { ...B } fragment B on Account { id ...A }"
        " { accounts { edges { node { ...A } } } }"
    )
    assert depth(query) == 4, "the cycle itself is graphql-core's NoFragmentCyclesRule's to report"


def test_aliases_are_counted_once_per_occurrence_in_the_document() -> None:
    query = (
        "fragment F on Playbook { a: __typename b: __typename }"
        " { x: playbook { ...F } y: playbook { ...F } }"
    )
    assert shape(query).aliases == 4


def test_doubling_fragments_are_measured_and_costed_without_hanging() -> None:
    query = doubling_fragments(40)
    assert len(query) < 4000

    def measure() -> tuple[int, int]:
        return depth(query), cost(query)

    measured_depth, measured_cost = finishes(measure)
    assert measured_depth == 5
    assert measured_cost == COST_CEILING, "2^40 paths cost more than any limit"


def test_a_long_fragment_chain_does_not_overflow_the_stack() -> None:
    count = 1500  # a recursive walk would need several frames per link: far past the limit
    chain = "\n".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(count))
    query = "{ ...F0 }\n" + chain + f"\nfragment F{count} on Query {{ playbook {{ __typename }} }}"
    measured_shape, measured_cost = finishes(lambda: (shape(query, max_work=10**9), cost(query)))
    assert measured_shape.depth_of(measured_shape.operations[0]) == 2
    assert measured_cost == 2


@pytest.mark.parametrize(
    "query",
    [
        "{ " + "playbook { concerns { id } } " * 300 + "}",
        "{ " + "... on Query { playbook { __typename } } " * 200 + "}",
        "{ "
        + " ".join(f"...G{i}" for i in range(150))
        + " }\n"
        + "\n".join(f"fragment G{i} on Query {{ playbook {{ __typename }} }}" for i in range(150)),
    ],
    ids=["repeated-fields", "repeated-inline-fragments", "many-fragments"],
)
def test_documents_whose_validation_is_quadratic_are_refused_by_the_work_limit(
    query: str,
) -> None:
    with pytest.raises(LimitExceeded) as caught:
        shape(query)
    assert caught.value.limit == "validationWork"


def test_ordinary_documents_are_far_below_the_work_limit() -> None:
    readme_plan = """query Plan($id: ID!) { coachingPlan(opportunityId: $id) {
      decisionRule winProbability approvers { approver { name title } role stance status
        plays { action champion { name } argument { title kind } path { name } reach }
        threats { opponent { name } reach path { name } } }
      plan { champion { name } argument { title } approver { name } value explanation } } }"""
    assert shape(readme_plan).work < 100


def test_influence_paths_cost_grows_with_max_hops_and_first() -> None:
    # The selection { reach path { name } } costs 1 + (1 + 5 * 1) = 7 per path.
    query = '{{ influencePaths(fromId: "a", toId: "b"{args}) {{ reach path {{ name }} }} }}'
    assert cost(query.format(args="")) == 1 + 5 * 7 + 5 * 3**2
    assert cost(query.format(args=", maxHops: 6, first: 50")) == 1 + 50 * 7 + 50 * 3**5
    assert cost(query.format(args=", maxHops: 1, first: 1")) == 1 + 7 + 1
    assert cost(query.format(args=", maxHops: 99")) == 1 + 5 * 7 + 5 * 3**5, "clamped to 6"


def test_coaching_plan_cost_grows_with_max_hops() -> None:
    query = '{{ coachingPlan(opportunityId: "o"{args}) {{ winProbability }} }}'
    assert cost(query.format(args="")) == 1 + 1 + 10 * 3**2
    assert cost(query.format(args=", options: {maxHops: 6}")) == 1 + 1 + 10 * 3**5
    assert cost(query.format(args=", options: {capacityPerChampion: 1}")) == 1 + 1 + 10 * 3**2


def test_cost_multiplies_children_by_the_page_size() -> None:
    assert cost("{ accounts(first: 100) { edges { node { id name } } } }") == 401
    assert cost("{ accounts { edges { node { id name } } } }") == 1 + 20 * 4
    assert cost("{ accounts(first: 0) { totalCount } }") == 2


def test_cost_of_an_unpaged_list_uses_the_estimate() -> None:
    assert cost('{ stakeholder(id: "x") { seats { veto } } }') == 1 + (1 + UNPAGED_LIST_SIZE * 1)


def test_cost_follows_fragments_and_nested_pages() -> None:
    query = """fragment P on Account { stakeholders(first: 10) { edges { node { id } } } }
    { accounts(first: 10) { edges { node { ...P } } } }"""
    assert cost(query) == 1 + 10 * (1 + (1 + (1 + 10 * (1 + 2))))


def test_a_page_over_the_maximum_is_refused_naming_page_size() -> None:
    with pytest.raises(LimitExceeded) as caught:
        cost("{ accounts(first: 101) { totalCount } }")
    assert caught.value.limit == "pageSize"
    assert cost("{ accounts(first: 100) { totalCount } }") == 101


def test_the_bucket_refills_over_a_minute() -> None:
    now = [0.0]
    limiter = CostRateLimiter(per_minute=60, clock=lambda: now[0])
    limiter.charge("key:a", 60)
    with pytest.raises(LimitExceeded) as caught:
        limiter.charge("key:a", 10)
    assert caught.value.limit == "rate"
    assert caught.value.retry_after == 10
    limiter.charge("key:b", 60)  # another key has its own bucket
    now[0] = 10.0
    limiter.charge("key:a", 10)


def test_a_query_dearer_than_the_budget_passes_only_on_a_full_bucket() -> None:
    now = [0.0]
    limiter = CostRateLimiter(per_minute=60, clock=lambda: now[0])
    limiter.charge("key:a", 1000)
    with pytest.raises(LimitExceeded) as caught:
        limiter.charge("key:a", 1000)
    assert caught.value.retry_after == 60
