"""The limit arithmetic without a server: tokens, depth, cost, and the rate limiter's bucket."""

from __future__ import annotations

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse, validate

from graph_api.api.limits import (
    UNPAGED_LIST_SIZE,
    QueryCost,
    alias_rule,
    count_tokens,
    depth_rule,
    selection_depth,
)
from graph_api.api.ratelimit import CostRateLimiter
from graph_api.api.schema import schema
from graph_api.errors import LimitExceeded


def cost(query: str, max_page_size: int = 100) -> int:
    document = parse(query)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return QueryCost(schema._schema, fragments, None, max_page_size).of_operation(operation)


def test_tokens_are_counted_up_to_one_past_the_limit() -> None:
    assert count_tokens("{ a { b c } }", 100) == 7
    assert count_tokens("{ " + "a " * 10_000 + "}", 50) == 51
    assert count_tokens("# only a comment", 10) == 0
    assert count_tokens('{ a(s: "unterminated) }', 10) == 5


def test_depth_counts_fields_through_fragments() -> None:
    document = parse(
        "fragment F on Account { stakeholders { edges { node { id } } } }"
        " { account(id: 1) { ...F } }"
    )
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    assert selection_depth(operation.selection_set, fragments) == 5


def test_depth_survives_a_fragment_cycle() -> None:
    document = parse(
        "fragment A on Account { ...B } fragment B on Account { id ...A }"
        " { accounts { edges { node { ...A } } } }"
    )
    errors = validate(schema._schema, document, [depth_rule(4)])
    assert errors == [], "the cycle itself is graphql-core's NoFragmentCyclesRule's to report"


def test_depth_and_alias_rules_report_limit_exceeded() -> None:
    deep = parse("{ accounts { edges { node { stakeholders { edges { node { id } } } } } } }")
    [error] = validate(schema._schema, deep, [depth_rule(5)])
    assert isinstance(error.original_error, LimitExceeded)
    assert error.original_error.limit == "depth"
    aliased = parse("{ a: playbook { __typename } b: playbook { __typename } }")
    assert validate(schema._schema, aliased, [alias_rule(2)]) == []
    [error] = validate(schema._schema, aliased, [alias_rule(1)])
    assert isinstance(error.original_error, LimitExceeded)
    assert error.original_error.limit == "aliases"


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
