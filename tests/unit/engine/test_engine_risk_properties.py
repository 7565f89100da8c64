"""Deal risk (docs/coaching-model.md) on random committees, checked against brute force.

- criticality: by enumerating every approve/refuse outcome under the rule, written out again;
- key people: by removing each person from the subgraph by hand and replanning from scratch;
- ``without`` and deal dependencies: by rebuilding the subgraph by hand and replanning;
- champion influence and verdict: by the formula, over brute-force reach.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable, Mapping
from fractions import Fraction

import pytest
from engine_strategies import brute_force, relayed_subgraphs, subgraphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.domain.enums import (
    AlternativeKind,
    ChampionVerdict,
    CommitteeRole,
    CoverageStatus,
    DecisionRule,
    Stance,
)
from graph_api.engine import Budget, CoachingResult, Options, Seat, Subgraph, coaching_plan
from graph_api.engine.coaching import plan_core
from graph_api.engine.dependencies import Replanner
from graph_api.engine.threads import best_value_without
from graph_api.errors import BudgetExceeded

# Each example replans whole subgraphs many times, so these run a share of the active
# profile's examples (a thorough profile scales them up with everything else).
EXACT = settings(
    max_examples=max(10, settings.default.max_examples // 4),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Detours only matter when a relay leaves and another route is worth replanning: the relayed
# committees make that common (about one in nine), so the what-if tests lean on them.
WHAT_IFS = st.one_of(
    relayed_subgraphs(),
    relayed_subgraphs(),
    subgraphs(min_people=4, dense=True),
    subgraphs(min_people=3),
)
WHAT_IF_EXAMPLES = settings(EXACT, max_examples=max(20, settings.default.max_examples // 2))

BASELINE = {
    Stance.CHAMPION: 0.9,
    Stance.SUPPORTER: 0.75,
    Stance.NEUTRAL: 0.5,
    Stance.UNKNOWN: 0.4,
    Stance.SKEPTIC: 0.3,
    Stance.BLOCKER: 0.1,
}


def is_approver(seat: Seat) -> bool:
    return seat.role in (CommitteeRole.ECONOMIC_BUYER, CommitteeRole.APPROVER) or seat.veto


def approvers_of(graph: Subgraph) -> list[str]:
    return [pid for pid, seat in graph.seats.items() if is_approver(seat)]


# --- the decision rule, written out again ------------------------------------------------


def decimal(number: float) -> Fraction:
    return Fraction(repr(float(number)))


def wins(graph: Subgraph, approving: set[str]) -> bool:
    """Whether the deal is won when exactly ``approving`` approve (docs/coaching-model.md)."""
    approvers = approvers_of(graph)
    if not approvers:
        return False
    rule = graph.decision_rule
    if rule is DecisionRule.ECONOMIC_BUYER:
        buyers = [a for a in approvers if graph.seats[a].role is CommitteeRole.ECONOMIC_BUYER]
        if buyers:
            return all(b in approving for b in buyers)
        rule = DecisionRule.UNANIMOUS
    if rule is DecisionRule.UNANIMOUS:
        return all(a in approving for a in approvers)
    voters = {a: decimal(graph.seats[a].vote_weight) for a in approvers}
    voters = {a: w for a, w in voters.items() if w > 0}
    if not voters:
        return False
    total = sum(voters.values())
    yes = sum(w for a, w in voters.items() if a in approving)
    threshold = graph.threshold
    if rule is DecisionRule.THRESHOLD and threshold is not None and 0 <= threshold <= 1:
        return yes >= decimal(threshold) * total
    return 2 * yes > total


def outcomes(
    graph: Subgraph, approval: Mapping[str, float], others: list[str]
) -> Iterable[tuple[float, set[str]]]:
    """Every approve/refuse outcome of ``others`` with its probability."""
    for outcome in itertools.product((True, False), repeat=len(others)):
        chance = math.prod(
            approval[a] if yes else 1 - approval[a] for a, yes in zip(others, outcome, strict=True)
        )
        yield chance, {a for a, yes in zip(others, outcome, strict=True) if yes}


def win_probability(graph: Subgraph, approval: Mapping[str, float]) -> float:
    return sum(
        chance * wins(graph, approving)
        for chance, approving in outcomes(graph, approval, approvers_of(graph))
    )


def enumerated_criticality(graph: Subgraph, approval: Mapping[str, float], approver: str) -> float:
    """The probability of the outcomes of the others in which ``approver`` decides."""
    others = [a for a in approvers_of(graph) if a != approver]
    return sum(
        chance * (wins(graph, approving | {approver}) - wins(graph, approving))
        for chance, approving in outcomes(graph, approval, others)
    )


@EXACT
@given(subgraphs(), st.integers(1, 3))
def test_criticality_is_the_enumerated_swing_before_and_with_the_plan(
    graph: Subgraph, max_hops: int
) -> None:
    result = coaching_plan(graph, Options(max_hops=max_hops))
    baseline = {a.approver_id: a.approval_probability for a in result.approvers}
    with_plan = {a.approver_id: a.approval_probability_with_plan for a in result.approvers}
    assert baseline == {a: BASELINE[graph.seats[a].stance] for a in approvers_of(graph)}
    assert result.win_probability == pytest.approx(win_probability(graph, baseline), abs=1e-12)
    for assessment in result.approvers:
        a = assessment.approver_id
        assert assessment.criticality == pytest.approx(
            enumerated_criticality(graph, baseline, a), abs=1e-12
        )
        assert assessment.criticality_with_plan == pytest.approx(
            enumerated_criticality(graph, with_plan, a), abs=1e-12
        )
        assert 0.0 <= assessment.criticality <= 1.0
        assert assessment.criticality_explanation


# --- removing people by hand -------------------------------------------------------------


def removed(graph: Subgraph, gone: Iterable[str]) -> Subgraph:
    """The subgraph without ``gone``: them, their seat and every edge touching them."""
    out = set(gone)
    return dataclasses.replace(
        graph,
        people={p: v for p, v in graph.people.items() if p not in out},
        seats={p: s for p, s in graph.seats.items() if p not in out},
        influences=tuple(e for e in graph.influences if not {e.source, e.target} & out),
        conflicts=tuple(c for c in graph.conflicts if not {c.source, c.target} & out),
        advocacy=tuple(a for a in graph.advocacy if a.stakeholder_id not in out),
        cares_about={p: c for p, c in graph.cares_about.items() if p not in out},
        readiness={k: r for k, r in graph.readiness.items() if k[0] not in out},
        heard={k: r for k, r in graph.heard.items() if k[0] not in out},
    )


def left(graph: Subgraph, gone: Iterable[str]) -> Subgraph:
    """The model's "as if they had left": removed, but an approver seat stays, UNKNOWN, bare."""
    out = set(gone)
    rebuilt = removed(graph, out)
    vacant = {
        p: Seat(p, s.role, Stance.UNKNOWN, s.veto, s.vote_weight)
        for p, s in graph.seats.items()
        if p in out and is_approver(s)
    }
    return dataclasses.replace(
        rebuilt,
        people={p: v for p, v in graph.people.items() if p not in out or p in vacant},
        seats={p: s for p, s in graph.seats.items() if p not in out} | vacant,
    )


def best_value(result: CoachingResult, approver: str) -> float:
    for assessment in result.approvers:
        if assessment.approver_id == approver:
            return assessment.plays[0].value if assessment.plays else 0.0
    raise AssertionError(approver)


@EXACT
@given(WHAT_IFS, st.integers(1, 3))
def test_key_people_are_those_whose_removal_halves_the_best_play(
    graph: Subgraph, max_hops: int
) -> None:
    options = Options(max_hops=max_hops, top_plays_per_approver=1, deal_dependencies=False)
    result = coaching_plan(graph, options)
    for assessment in result.approvers:
        a = assessment.approver_id
        if assessment.status is CoverageStatus.SECURED or not assessment.plays:
            assert assessment.key_people == ()
            assert not assessment.single_threaded
            assert assessment.single_thread_explanation is None
            continue
        best = assessment.plays[0]
        expected = {}
        for person in graph.people:
            if person == a:
                continue
            value = best_value(coaching_plan(removed(graph, [person]), options), a)
            if value < best.value / 2:
                expected[person] = value
        found = {k.stakeholder_id: k.best_value_without for k in assessment.key_people}
        assert found == expected
        assert set(found) <= set(best.path)
        assert assessment.single_threaded == bool(expected)
        assert (assessment.single_thread_explanation is not None) == bool(expected)


def without_warnings(result: CoachingResult, count: int) -> CoachingResult:
    return dataclasses.replace(result, warnings=result.warnings[count:], without=())


@EXACT
@given(WHAT_IFS, st.integers(1, 3), st.data())
def test_without_is_the_plan_of_the_graph_rebuilt_by_hand(
    graph: Subgraph, max_hops: int, data: st.DataObject
) -> None:
    gone = data.draw(st.sets(st.sampled_from(sorted(graph.people)), min_size=1, max_size=2))
    options = Options(max_hops=max_hops, top_plays_per_approver=5)
    what_if = coaching_plan(graph, dataclasses.replace(options, without=frozenset(gone)))
    rebuilt = coaching_plan(left(graph, gone), options)
    assert what_if.without == tuple(sorted(gone))
    assert all(w.startswith("What if ") for w in what_if.warnings[: len(gone)])
    assert without_warnings(what_if, len(gone)) == rebuilt


@EXACT
@given(
    WHAT_IFS,
    st.integers(1, 3),
    st.integers(1, 2),
)
def test_deal_dependencies_match_replanning_the_rebuilt_graph(
    graph: Subgraph, max_hops: int, capacity: int
) -> None:
    options = Options(max_hops=max_hops, capacity_per_champion=capacity)
    result = coaching_plan(graph, options)
    on_paths = {person for play in result.plan for person in play.path}
    expected = []
    for person in on_paths:
        without = coaching_plan(left(graph, [person]), options).win_probability_with_plan
        drop = result.win_probability_with_plan - without
        if drop >= 0.02:
            expected.append((-drop, graph.people[person].name, person, without))
    expected.sort()
    found = [
        (-d.drop, graph.people[d.stakeholder_id].name, d.stakeholder_id, d.win_probability_without)
        for d in result.deal_dependencies
    ]
    assert found == expected
    assert all(d.explanation.startswith("Losing ") for d in result.deal_dependencies)


def reach_without_argument(graph: Subgraph, champion: str, approver: str, max_hops: int) -> float:
    if champion == approver:
        return 1.0
    found = brute_force(graph, champion, approver, max_hops, None)
    return -found[0][0] if found else 0.0


def conflicted(graph: Subgraph, champion: str) -> bool:
    ours = rival = 0.0
    for advocacy in graph.advocacy:
        if advocacy.stakeholder_id != champion:
            continue
        if graph.alternatives[advocacy.alternative_id].kind is AlternativeKind.OURS:
            ours = max(ours, advocacy.strength)
        else:
            rival = max(rival, advocacy.strength)
    return rival >= 0.5 or rival > ours


@EXACT
@given(subgraphs() | subgraphs(min_people=3, dense=True), st.integers(1, 3))
def test_champion_influence_and_verdict_follow_the_formula(graph: Subgraph, max_hops: int) -> None:
    result = coaching_plan(graph, Options(max_hops=max_hops, deal_dependencies=False))
    approvers = [a.approver_id for a in result.approvers]
    baseline = {a.approver_id: a.approval_probability for a in result.approvers}
    criticality = {a: enumerated_criticality(graph, baseline, a) for a in approvers}
    champions = {
        pid
        for pid, seat in graph.seats.items()
        if seat.stance in (Stance.CHAMPION, Stance.SUPPORTER)
    }
    assert {c.champion_id for c in result.champions} == champions
    for assessment in result.champions:
        c = assessment.champion_id
        reach = {a: reach_without_argument(graph, c, a, max_hops) for a in approvers}
        total = sum(criticality.values())
        if not approvers:
            expected = 0.0
        elif total > 0:
            expected = sum(criticality[a] * reach[a] for a in approvers) / total
        else:
            expected = sum(reach.values()) / len(approvers)
        assert assessment.influence == pytest.approx(expected, abs=1e-9)
        if conflicted(graph, c):
            verdict = ChampionVerdict.CONFLICTED
        elif abs(expected - 0.3) < 1e-9 or 0 < expected < 1e-9:
            continue  # on the bar: rounding of the two sums decides, both readings are fine
        elif expected >= 0.3:
            verdict = ChampionVerdict.CHAMPION
        elif expected > 0:
            verdict = ChampionVerdict.COACH
        else:
            verdict = ChampionVerdict.ISOLATED
        assert assessment.verdict is verdict
        assert assessment.explanation
    influences = [c.influence for c in result.champions]
    assert influences == sorted(influences, reverse=True)


@EXACT
@given(subgraphs(min_people=3))
def test_a_budget_either_suffices_or_stops_the_work(graph: Subgraph) -> None:
    unbounded = coaching_plan(graph)
    spent = Budget()
    assert coaching_plan(graph, budget=spent) == unbounded
    if spent.visits > 0:
        with pytest.raises(BudgetExceeded) as raised:
            coaching_plan(graph, budget=Budget(visits=spent.visits - 1))
        assert raised.value.limit == "engineVisits"
    assert coaching_plan(graph, budget=Budget(visits=spent.visits)) == unbounded


# --- the shared-network what-ifs, value by value ------------------------------------------


@WHAT_IF_EXAMPLES
@given(WHAT_IFS, st.integers(1, 3))
def test_best_value_without_each_person_on_the_path_matches_a_replan(
    graph: Subgraph, max_hops: int
) -> None:
    options = Options(max_hops=max_hops, top_plays_per_approver=1, deal_dependencies=False)
    core = plan_core(graph, options)
    for approver, plays in core.index.plays.items():
        if not plays:
            continue
        for person in plays[0].path[:-1]:
            expected = best_value(coaching_plan(removed(graph, [person]), options), approver)
            assert best_value_without(core.index, approver, person) == expected


@WHAT_IF_EXAMPLES
@given(
    WHAT_IFS,
    st.integers(1, 3),
    st.integers(1, 2),
    st.data(),
)
def test_replanning_on_the_shared_network_matches_the_rebuilt_graph(
    graph: Subgraph, max_hops: int, capacity: int, data: st.DataObject
) -> None:
    options = Options(max_hops=max_hops, capacity_per_champion=capacity)
    core = plan_core(graph, options)
    replanner = Replanner(core.index, core.rule, core.baseline, capacity, Budget(), core.chosen)
    people = sorted({p for play in core.chosen for p in play.path} | set(core.baseline))
    groups = [frozenset({p}) for p in people]
    if len(graph.people) >= 2:
        groups.append(
            frozenset(
                data.draw(st.sets(st.sampled_from(sorted(graph.people)), min_size=2, max_size=2))
            )
        )
    for gone in groups:
        expected = coaching_plan(left(graph, gone), options).win_probability_with_plan
        assert replanner.win_probability_with_plan(gone) == expected
