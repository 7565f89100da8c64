"""Properties on random committees, checked against independent brute-force enumeration.

The brute force re-derives relay factors from DESIGN (not from the engine's committee
module), enumerates every simple path, and multiplies in path order.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    CommitteeRole,
    ConcernCategory,
    DecisionRule,
    Reception,
    Stance,
)
from graph_api.engine import (
    Advocacy,
    Alternative,
    Argument,
    CoachingResult,
    Concern,
    Conflict,
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

CATEGORIES = (ConcernCategory.FINANCIAL, ConcernCategory.RISK, ConcernCategory.GROWTH)
CONCERNS = {
    f"k{i}": Concern(f"k{i}", f"Concern {i}", category) for i, category in enumerate(CATEGORIES)
}
ALTERNATIVES = {
    "ours": Alternative("ours", "Ours", AlternativeKind.OURS),
    "rival": Alternative("rival", "Rival", AlternativeKind.COMPETITOR),
}
STRENGTHS = st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5, 0.6, 0.8, 0.9, 1.0]) | st.floats(0.01, 1)
# How many examples comes from the test profile (tests/conftest.py): few in bin/test, many in
# bin/test --thorough.
FAST = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def subgraphs(draw: st.DrawFn, min_people: int = 2, max_people: int = 7) -> Subgraph:
    n = draw(st.integers(min_people, max_people))
    ids = [f"p{i}" for i in range(n)]
    seats = {}
    for pid in ids:
        if draw(st.booleans()):
            seats[pid] = Seat(
                pid,
                draw(st.sampled_from(list(CommitteeRole))),
                draw(st.sampled_from(list(Stance))),
                draw(st.booleans()),
                draw(st.sampled_from([0.5, 1.0, 2.0, 0.1, 0.3])),
            )
    pairs = [(a, b) for a in ids for b in ids if a != b]
    edges = draw(st.lists(st.sampled_from(pairs), max_size=3 * n)) if pairs else []
    influences = tuple(
        Influence(
            a,
            b,
            draw(STRENGTHS),
            frozenset(draw(st.lists(st.sampled_from(CATEGORIES), max_size=2))),
        )
        for a, b in edges
    )
    conflicts = tuple(
        Conflict(a, b, 0.5) for a, b in draw(st.lists(st.sampled_from(pairs), max_size=2))
    )
    advocacy = tuple(
        Advocacy(who, alt, draw(STRENGTHS))
        for who, alt in draw(
            st.lists(
                st.tuples(st.sampled_from(ids), st.sampled_from(sorted(ALTERNATIVES))), max_size=3
            )
        )
    )
    arguments = {}
    for index in range(draw(st.integers(1, 3))):
        addresses = draw(st.dictionaries(st.sampled_from(sorted(CONCERNS)), STRENGTHS, max_size=2))
        arguments[f"a{index}"] = Argument(
            f"a{index}",
            f"Argument {index}",
            draw(st.sampled_from(list(ArgumentKind))),
            "",
            addresses,
            frozenset(draw(st.lists(st.sampled_from(["Logistics", "Retail"]), max_size=1))),
        )
    cares = {
        pid: draw(st.dictionaries(st.sampled_from(sorted(CONCERNS)), STRENGTHS, max_size=2))
        for pid in ids
    }
    readiness = {
        key: draw(st.floats(0, 1))
        for key in draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(sorted(arguments))))
        )
    }
    heard = {
        key: draw(st.sampled_from(list(Reception)))
        for key in draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(sorted(arguments))))
        )
    }
    return Subgraph(
        opportunity_id="opp",
        opportunity_name="Deal",
        decision_rule=draw(st.sampled_from(list(DecisionRule))),
        threshold=draw(st.none() | st.sampled_from([0.0, 0.3, 0.5, 2 / 3, 1.0])),
        account_industry="Logistics",
        people={pid: Person(pid, pid.upper(), None) for pid in ids},
        seats=seats,
        influences=influences,
        conflicts=conflicts,
        advocacy=advocacy,
        alternatives=ALTERNATIVES,
        concerns=CONCERNS,
        arguments=arguments,
        cares_about={pid: c for pid, c in cares.items() if c},
        readiness=readiness,
        heard=heard,
    )


# --- an independent model of reach -------------------------------------------------------


def relay_of(graph: Subgraph, pid: str) -> float:
    """DESIGN's relay factors, written out again."""
    seat = graph.seats.get(pid)
    factor = 0.8
    if seat is not None:
        factor = {
            Stance.CHAMPION: 1.0,
            Stance.SUPPORTER: 1.0,
            Stance.NEUTRAL: 0.8,
            Stance.UNKNOWN: 0.8,
            Stance.SKEPTIC: 0.3,
            Stance.BLOCKER: 0.0,
        }[seat.stance]
    rival = any(
        a.stakeholder_id == pid
        and graph.alternatives[a.alternative_id].kind is not AlternativeKind.OURS
        and a.strength >= 0.5
        for a in graph.advocacy
    )
    return min(factor, 0.3) if rival else factor


def categories_of(graph: Subgraph, argument_id: str | None) -> set[ConcernCategory] | None:
    if argument_id is None:
        return None
    argument = graph.arguments[argument_id]
    return {
        graph.concerns[c].category
        for c, f in argument.addresses.items()
        if f > 0 and c in graph.concerns
    }


def hop_strength(
    graph: Subgraph, source: str, target: str, categories: set[ConcernCategory] | None
) -> float:
    if any(c.source == source and c.target == target for c in graph.conflicts):
        return 0.0
    return max(
        (
            e.strength
            for e in graph.influences
            if e.source == source
            and e.target == target
            and (categories is None or not e.topics or e.topics & categories)
        ),
        default=0.0,
    )


def path_value(graph: Subgraph, path: tuple[str, ...], argument_id: str | None) -> float:
    categories = categories_of(graph, argument_id)
    value = 1.0
    for index in range(len(path) - 1):
        if index > 0:
            value *= relay_of(graph, path[index])
        value *= hop_strength(graph, path[index], path[index + 1], categories)
    return value


def simple_paths(
    graph: Subgraph, source: str, target: str, max_hops: int
) -> Iterator[tuple[str, ...]]:
    others = [p for p in graph.people if p not in (source, target)]
    for length in range(max_hops):
        for middle in itertools.permutations(others, length):
            yield (source, *middle, target)


def brute_force(
    graph: Subgraph, source: str, target: str, max_hops: int, argument_id: str | None
) -> list[tuple[float, int, tuple[str, ...]]]:
    """Every simple path with positive reach, best first: reach, then fewer hops, then ids."""
    found = []
    for path in simple_paths(graph, source, target, max_hops):
        value = path_value(graph, path, argument_id)
        if value > 0:
            found.append((-value, len(path), path))
    return sorted(found)


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
    stronger = dataclasses.replace(edge, strength=data.draw(st.floats(edge.strength, 1.0)))
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
