"""Reach: relay factors, blocked relays, topic-restricted edges, conflicts, ties, paths."""

from __future__ import annotations

import itertools

import pytest
from engine_builders import RIVAL, Account

from graph_api.domain.enums import ConcernCategory, Stance
from graph_api.engine import InfluencePath, influence_paths, reach
from graph_api.errors import InvalidInput, NotFound


def relay_graph() -> Account:
    """c -(0.5)-> x -(0.8)-> a, nothing else: reach = 0.4 x relay(x)."""
    return Account().champion("c").approver("a").influence("c", "x", 0.5).influence("x", "a", 0.8)


@pytest.mark.parametrize(
    ("stance", "expected"),
    [
        (Stance.CHAMPION, 0.4),
        (Stance.SUPPORTER, 0.4),
        (Stance.NEUTRAL, 0.32),
        (Stance.UNKNOWN, 0.32),
        (Stance.SKEPTIC, 0.12),
    ],
)
def test_an_intermediate_relays_by_seat_stance(stance: Stance, expected: float) -> None:
    graph = relay_graph().seat("x", stance).build()
    found = reach(graph, "c", "a")
    assert found is not None
    assert found.path == ("c", "x", "a")
    assert found.reach == pytest.approx(expected)


def test_an_unseated_intermediate_relays_at_0_8() -> None:
    found = reach(relay_graph().build(), "c", "a")
    assert found is not None
    assert found.reach == pytest.approx(0.32)


def test_a_blocker_relays_nothing() -> None:
    graph = relay_graph().seat("x", Stance.BLOCKER).build()
    assert reach(graph, "c", "a") is None
    assert influence_paths(graph, "c", "a") == ()


def test_a_blocked_relay_leaves_the_weaker_open_route() -> None:
    graph = (
        relay_graph()
        .seat("x", Stance.BLOCKER)
        .influence("c", "y", 0.5)
        .influence("y", "a", 0.5)
        .build()
    )
    found = reach(graph, "c", "a")
    assert found == InfluencePath(("c", "y", "a"), pytest.approx(0.2))


@pytest.mark.parametrize("seated", [True, False])
def test_an_opponent_only_by_advocacy_relays_at_0_3(seated: bool) -> None:
    account = relay_graph().advocate("x", RIVAL, 0.5)
    if seated:
        account.seat("x", Stance.NEUTRAL)
    found = reach(account.build(), "c", "a")
    assert found is not None
    assert found.reach == pytest.approx(0.5 * 0.3 * 0.8)


def test_advocacy_below_one_half_does_not_make_an_opponent() -> None:
    found = reach(relay_graph().advocate("x", RIVAL, 0.49).build(), "c", "a")
    assert found is not None
    assert found.reach == pytest.approx(0.32)


def test_a_champion_who_pushes_a_rival_relays_at_the_lower_factor() -> None:
    graph = relay_graph().champion("x").advocate("x", RIVAL, 0.6).build()
    found = reach(graph, "c", "a")
    assert found is not None
    assert found.reach == pytest.approx(0.5 * 0.3 * 0.8)


def test_the_endpoints_relay_factors_do_not_count() -> None:
    graph = Account().seat("c", Stance.BLOCKER).seat("a", Stance.BLOCKER).influence("c", "a", 0.7)
    assert reach(graph.build(), "c", "a") == InfluencePath(("c", "a"), 0.7)


def topic_graph() -> Account:
    """c -> a directly only on FINANCIAL topics (0.9); c -> x -> a on anything (0.2)."""
    return (
        Account()
        .champion("c")
        .approver("a")
        .influence("c", "a", 0.9, ConcernCategory.FINANCIAL)
        .influence("c", "x", 0.5)
        .influence("x", "a", 0.5)
        .concern("budget", ConcernCategory.FINANCIAL)
        .concern("risk", ConcernCategory.RISK)
        .argument("roi", {"budget": 0.8})
        .argument("safety", {"risk": 0.8})
        .argument("ghost", {"not-in-playbook": 0.8})
    )


def test_a_topic_edge_carries_arguments_addressing_its_categories() -> None:
    graph = topic_graph().build()
    assert reach(graph, "c", "a", argument_id="roi") == InfluencePath(("c", "a"), 0.9)


def test_a_topic_edge_does_not_carry_other_arguments() -> None:
    graph = topic_graph().build()
    found = reach(graph, "c", "a", argument_id="safety")
    assert found == InfluencePath(("c", "x", "a"), pytest.approx(0.2))
    ghost = reach(graph, "c", "a", argument_id="ghost")
    assert ghost is not None
    assert ghost.path == ("c", "x", "a")


def test_reach_without_an_argument_uses_every_edge() -> None:
    graph = topic_graph().build()
    assert reach(graph, "c", "a") == InfluencePath(("c", "a"), 0.9)


def test_an_edge_with_several_topics_carries_any_of_them() -> None:
    graph = (
        topic_graph()
        .influence("c", "a", 0.95, ConcernCategory.GROWTH, ConcernCategory.RISK)
        .build()
    )
    assert reach(graph, "c", "a", argument_id="safety") == InfluencePath(("c", "a"), 0.95)


def test_parallel_edges_count_at_their_strongest_usable_strength() -> None:
    graph = topic_graph().influence("c", "a", 0.3).build()
    assert reach(graph, "c", "a") == InfluencePath(("c", "a"), 0.9)
    assert reach(graph, "c", "a", argument_id="safety") == InfluencePath(("c", "a"), 0.3)


def test_no_hop_from_someone_who_conflicts_with_the_next() -> None:
    graph = topic_graph().conflict("c", "a").build()
    assert reach(graph, "c", "a") == InfluencePath(("c", "x", "a"), pytest.approx(0.2))


def test_a_conflict_blocks_only_its_own_direction() -> None:
    graph = topic_graph().conflict("a", "c").build()
    assert reach(graph, "c", "a") == InfluencePath(("c", "a"), 0.9)


def test_a_conflict_on_an_inner_hop_blocks_that_route() -> None:
    graph = (
        Account()
        .influence("c", "x", 0.9)
        .influence("x", "a", 0.9)
        .influence("c", "y", 0.5)
        .influence("y", "a", 0.5)
        .conflict("x", "a")
        .build()
    )
    found = reach(graph, "c", "a")
    assert found is not None
    assert found.path == ("c", "y", "a")


def chain(hops: int) -> Account:
    account = Account()
    nodes = ["c", *(f"n{i}" for i in range(1, hops)), "a"]
    for source, target in itertools.pairwise(nodes):
        account.influence(source, target, 1.0)
    return account


@pytest.mark.parametrize("hops", [2, 3, 4, 5, 6])
def test_reach_stops_at_max_hops(hops: int) -> None:
    graph = chain(hops).build()
    assert reach(graph, "c", "a", max_hops=hops - 1) is None
    found = reach(graph, "c", "a", max_hops=hops)
    assert found is not None
    assert found.reach == pytest.approx(0.8 ** (hops - 1))


def test_equal_reach_prefers_the_shorter_path() -> None:
    graph = (
        Account()
        .champion("x")
        .influence("c", "x", 0.5)
        .influence("x", "a", 0.5)
        .influence("c", "a", 0.25)
        .build()
    )
    assert reach(graph, "c", "a") == InfluencePath(("c", "a"), 0.25)


def test_equal_reach_and_length_prefers_the_smaller_ids() -> None:
    graph = (
        Account()
        .influence("c", "y", 0.5)
        .influence("y", "a", 0.5)
        .influence("c", "x", 0.5)
        .influence("x", "a", 0.5)
        .build()
    )
    found = reach(graph, "c", "a")
    assert found is not None
    assert found.path == ("c", "x", "a")


def test_the_best_path_never_revisits_a_stakeholder() -> None:
    # Every factor is 1: a cycle would cost nothing, yet the path must stay simple.
    graph = (
        Account()
        .champion("c")
        .champion("x")
        .champion("y")
        .influence("c", "x", 1.0)
        .influence("x", "c", 1.0)
        .influence("x", "y", 1.0)
        .influence("y", "x", 1.0)
        .influence("y", "a", 1.0)
        .build()
    )
    found = reach(graph, "c", "a", max_hops=6)
    assert found == InfluencePath(("c", "x", "y", "a"), 1.0)


def test_reach_to_an_unknown_argument_is_not_found() -> None:
    with pytest.raises(NotFound):
        reach(topic_graph().build(), "c", "a", argument_id="missing")


def paths_graph() -> Account:
    return (
        Account()
        .champion("x")
        .champion("y")
        .influence("c", "a", 0.3)
        .influence("c", "x", 0.8)
        .influence("x", "a", 0.8)
        .influence("c", "y", 0.8)
        .influence("y", "a", 0.8)
        .influence("x", "y", 1.0)
        .influence("c", "z", 0.6)
        .influence("z", "a", 0.5)
    )


def test_influence_paths_lists_the_best_simple_paths_best_first() -> None:
    found = influence_paths(paths_graph().build(), "c", "a", max_hops=3, first=5)
    assert [p.path for p in found] == [
        ("c", "x", "a"),
        ("c", "y", "a"),
        ("c", "x", "y", "a"),
        ("c", "a"),
        ("c", "z", "a"),
    ]
    assert [p.reach for p in found] == pytest.approx([0.64, 0.64, 0.64, 0.3, 0.24])


def test_influence_paths_honours_first_and_max_hops() -> None:
    graph = paths_graph().build()
    assert [p.path for p in influence_paths(graph, "c", "a", max_hops=1, first=5)] == [("c", "a")]
    assert [p.path for p in influence_paths(graph, "c", "a", first=2)] == [
        ("c", "x", "a"),
        ("c", "y", "a"),
    ]


def test_influence_paths_from_someone_to_themselves_is_empty() -> None:
    assert influence_paths(paths_graph().build(), "c", "c") == ()


@pytest.mark.parametrize(
    ("max_hops", "first", "bad"),
    [(0, 5, ["maxHops"]), (7, 5, ["maxHops"]), (3, 0, ["first"]), (9, 51, ["maxHops", "first"])],
)
def test_influence_paths_refuses_bad_arguments(max_hops: int, first: int, bad: list[str]) -> None:
    with pytest.raises(InvalidInput) as raised:
        influence_paths(paths_graph().build(), "c", "a", max_hops=max_hops, first=first)
    assert [problem.path for problem in raised.value.problems] == bad


def test_influence_paths_between_unknown_stakeholders_is_not_found() -> None:
    with pytest.raises(NotFound):
        influence_paths(paths_graph().build(), "c", "nobody")
