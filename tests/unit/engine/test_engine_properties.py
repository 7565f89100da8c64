"""Properties on random committees, checked against independent brute-force enumeration.

The committees and the brute-force model of reach live in ``engine_strategies``.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from engine_strategies import brute_force, categories_of, hop_strength, path_value, subgraphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.domain.enums import CommitteeRole, DecisionRule, Stance
from graph_api.engine import (
    CoachingResult,
    Influence,
    Options,
    Person,
    Seat,
    Subgraph,
    coaching_plan,
    influence_paths,
    reach,
)
from graph_api.engine.coaching import resolve_rule
from graph_api.engine.committee import read_committee
from graph_api.engine.probability import lifted
from graph_api.engine.reach import Network

# How many examples comes from the test profile (tests/conftest.py): few in bin/test, many in
# bin/test --thorough.
FAST = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --- reach -------------------------------------------------------------------------------


@FAST
@given(subgraphs(), st.integers(1, 4), st.data())
def test_reach_is_the_best_simple_path_found_by_brute_force(
    graph: Subgraph, max_hops: int, data: st.DataObject
) -> None:
    argument = data.draw(st.none() | st.sampled_from(sorted(graph.arguments)))
    for source, target in itertools.permutations(graph.people, 2):
        expected = brute_force(graph, source, target, max_hops, argument)
        found = reach(graph, source, target, max_hops, argument)
        if not expected:
            assert found is None
            continue
        assert found is not None
        assert found.path == expected[0][2]
        assert found.reach == -expected[0][0]


@FAST
@given(subgraphs(), st.integers(1, 4), st.integers(1, 6))
def test_influence_paths_are_the_brute_force_top_list(
    graph: Subgraph, max_hops: int, first: int
) -> None:
    for source, target in itertools.permutations(graph.people, 2):
        expected = brute_force(graph, source, target, max_hops, None)[:first]
        found = influence_paths(graph, source, target, max_hops, first)
        assert [p.path for p in found] == [path for _, _, path in expected]
        assert [p.reach for p in found] == [-value for value, _, _ in expected]


@FAST
@given(subgraphs(), st.integers(1, 4))
def test_backward_search_finds_the_brute_force_best_from_everyone(
    graph: Subgraph, max_hops: int
) -> None:
    network = Network(graph, read_committee(graph))
    for target in graph.people:
        found = dict(network.best_to(target, max_hops, lambda _: True, len(graph.people)))
        for source in graph.people:
            if source == target:
                continue
            expected = brute_force(graph, source, target, max_hops, None)
            if not expected:
                assert source not in found
                continue
            route = found[source]
            assert route.reach == pytest.approx(-expected[0][0], rel=1e-12)
            assert route.reach == path_value(graph, route.path, None)
            assert len(route.path) == len(set(route.path)) <= max_hops + 1


@FAST
@given(subgraphs(), st.data())
def test_raising_an_influence_never_lowers_any_reach(graph: Subgraph, data: st.DataObject) -> None:
    if not graph.influences:
        return
    index = data.draw(st.integers(0, len(graph.influences) - 1))
    edge = graph.influences[index]
    stronger = edge._replace(strength=data.draw(st.floats(edge.strength, 1.0)))
    raised = dataclasses.replace(
        graph, influences=(*graph.influences[:index], stronger, *graph.influences[index + 1 :])
    )
    for argument in [None, *sorted(graph.arguments)]:
        for source, target in itertools.permutations(graph.people, 2):
            before = reach(graph, source, target, 3, argument)
            after = reach(raised, source, target, 3, argument)
            if before is not None:
                assert after is not None
                assert after.reach >= before.reach


# --- the plan ----------------------------------------------------------------------------


def all_probabilities(result: CoachingResult) -> list[float]:
    values = [result.win_probability, result.win_probability_with_plan]
    for approver in result.approvers:
        values += [approver.approval_probability, approver.approval_probability_with_plan]
        for play in approver.plays:
            values += [play.reach, play.fit, play.value, play.credibility]
        values += [t.reach for t in approver.threats]
        values += [d.reach for d in approver.develop_candidates]
    return values


@FAST
@given(subgraphs(), st.integers(1, 4), st.integers(1, 3))
def test_every_probability_is_between_zero_and_one(
    graph: Subgraph, max_hops: int, capacity: int
) -> None:
    result = coaching_plan(graph, Options(max_hops, capacity, 20))
    assert all(0.0 <= value <= 1.0 for value in all_probabilities(result))
    assert result.win_probability_with_plan >= result.win_probability - 1e-12


@FAST
@given(subgraphs(), st.integers(1, 4))
def test_every_play_walks_real_edges_and_its_numbers_add_up(graph: Subgraph, max_hops: int) -> None:
    result = coaching_plan(graph, Options(max_hops, 2, 20))
    plays = [p for a in result.approvers for p in a.plays]
    assert set(result.plan) <= set(plays)
    for play in plays:
        path = play.path
        assert path[0] == play.champion_id != play.approver_id == path[-1]
        assert len(path) == len(set(path)) <= max_hops + 1
        categories = categories_of(graph, play.argument_id)
        assert all(hop_strength(graph, u, v, categories) > 0 for u, v in itertools.pairwise(path))
        assert play.reach == path_value(graph, path, play.argument_id)
        best = brute_force(graph, play.champion_id, play.approver_id, max_hops, play.argument_id)
        assert play.reach == -best[0][0]
        assert play.value == pytest.approx(play.reach * play.credibility * play.fit)
        assert graph.seats[play.champion_id].stance in (Stance.CHAMPION, Stance.SUPPORTER)
        assert graph.seats[play.approver_id].stance is not Stance.CHAMPION


@FAST
@given(subgraphs(), st.integers(1, 3))
def test_the_plan_respects_capacity_and_plays_each_pair_once(
    graph: Subgraph, capacity: int
) -> None:
    result = coaching_plan(graph, Options(3, capacity, 20))
    champions = [p.champion_id for p in result.plan]
    assert all(champions.count(c) <= capacity for c in champions)
    pairs = [(p.approver_id, p.argument_id) for p in result.plan]
    assert len(pairs) == len(set(pairs))


def reversed_input(graph: Subgraph) -> Subgraph:
    """The same graph with every collection in the opposite order."""

    def flip(mapping):
        return dict(reversed(list(mapping.items())))

    return dataclasses.replace(
        graph,
        people=flip(graph.people),
        seats=flip(graph.seats),
        influences=tuple(reversed(graph.influences)),
        conflicts=tuple(reversed(graph.conflicts)),
        advocacy=tuple(reversed(graph.advocacy)),
        arguments=flip(graph.arguments),
        cares_about={k: flip(v) for k, v in reversed(list(graph.cares_about.items()))},
        readiness=flip(graph.readiness),
        heard=flip(graph.heard),
    )


@FAST
@given(subgraphs())
def test_the_same_graph_gives_the_same_answer_in_any_order(graph: Subgraph) -> None:
    first = coaching_plan(graph)
    assert coaching_plan(graph) == first
    assert coaching_plan(reversed_input(graph)) == first


def single_play_bound(graph: Subgraph) -> float:
    """Win probability of the baseline plus the best single play, if the plan would take it.

    Greedy's first pick is exactly that play, and every later pick gains >= 0.005, so the
    plan is never below this bound; and the bound never drops when a champion is added.
    """
    rule, _ = resolve_rule(graph, read_committee(graph))
    result = coaching_plan(graph, Options(3, 2, 20))
    baseline = {a.approver_id: a.approval_probability for a in result.approvers}
    start = rule.probability(baseline)
    best_gain = max(
        (
            rule.probability(
                {**baseline, p.approver_id: lifted(baseline[p.approver_id], [p.value])}
            )
            - start
            for a in result.approvers
            for p in a.plays
        ),
        default=0.0,
    )
    return start + (best_gain if best_gain >= 0.005 else 0.0)


@FAST
@given(subgraphs(min_people=3), st.data())
def test_adding_a_champion_never_lowers_the_guaranteed_plan(
    graph: Subgraph, data: st.DataObject
) -> None:
    candidates = [
        pid
        for pid in sorted(graph.people)
        if pid not in graph.seats
        or (
            graph.seats[pid].stance is not Stance.CHAMPION
            and graph.seats[pid].role not in (CommitteeRole.ECONOMIC_BUYER, CommitteeRole.APPROVER)
            and not graph.seats[pid].veto
        )
    ]
    if not candidates:
        return
    recruit = data.draw(st.sampled_from(candidates))
    seats = dict(graph.seats)
    seats[recruit] = Seat(recruit, CommitteeRole.INFLUENCER, Stance.CHAMPION)
    stronger = dataclasses.replace(graph, seats=seats)

    before, after = single_play_bound(graph), single_play_bound(stronger)
    assert after >= before - 1e-12
    plan_before = coaching_plan(graph, Options(3, 2, 20)).win_probability_with_plan
    plan_after = coaching_plan(stronger, Options(3, 2, 20)).win_probability_with_plan
    assert plan_before >= before - 1e-12
    assert plan_after >= before - 1e-12
    baseline_after = coaching_plan(stronger).win_probability
    assert baseline_after == coaching_plan(graph).win_probability


def test_brute_force_model_agrees_with_a_hand_computed_path() -> None:
    graph = Subgraph(
        opportunity_id="o",
        opportunity_name="O",
        decision_rule=DecisionRule.UNANIMOUS,
        people={p: Person(p, p) for p in ("c", "x", "a")},
        seats={"x": Seat("x", CommitteeRole.INFLUENCER, Stance.SKEPTIC)},
        influences=(Influence("c", "x", 0.5), Influence("x", "a", 0.8)),
    )
    assert path_value(graph, ("c", "x", "a"), None) == pytest.approx(0.12)
    assert brute_force(graph, "c", "a", 3, None)[0][2] == ("c", "x", "a")
