"""Random committees and an independent brute-force model of reach, shared by the property tests.

The brute force re-derives relay factors from docs/coaching-model.md (not from the engine's
committee module), enumerates every simple path, and multiplies in path order.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator

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
    Concern,
    Conflict,
    Influence,
    Person,
    Seat,
    Subgraph,
)

CATEGORIES = (ConcernCategory.FINANCIAL, ConcernCategory.RISK, ConcernCategory.GROWTH)
CONCERNS = {
    f"k{i}": Concern(f"k{i}", f"Concern {i}", category) for i, category in enumerate(CATEGORIES)
}
ALTERNATIVES = {
    "ours": Alternative("ours", "Ours", AlternativeKind.OURS),
    "rival": Alternative("rival", "Rival", AlternativeKind.COMPETITOR),
}
DENSE_ROLES = [
    CommitteeRole.ECONOMIC_BUYER,
    CommitteeRole.APPROVER,
    CommitteeRole.APPROVER,
    CommitteeRole.INFLUENCER,
    CommitteeRole.INFLUENCER,
    CommitteeRole.TECHNICAL_EVALUATOR,
]
DENSE_STANCES = [
    Stance.CHAMPION,
    Stance.CHAMPION,
    Stance.SUPPORTER,
    Stance.NEUTRAL,
    Stance.UNKNOWN,
    Stance.SKEPTIC,
]
STRENGTHS = st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5, 0.6, 0.8, 0.9, 1.0]) | st.floats(0.01, 1)


@st.composite
def subgraphs(
    draw: st.DrawFn, min_people: int = 2, max_people: int = 7, *, dense: bool = False
) -> Subgraph:
    """A random committee; ``dense`` seats everyone, favours champions and approvers and draws
    more edges, so detours, relays and replans are common."""
    n = draw(st.integers(min_people, max_people))
    ids = [f"p{i}" for i in range(n)]
    seats = {}
    for pid in ids:
        if dense or draw(st.booleans()):
            seats[pid] = Seat(
                pid,
                draw(st.sampled_from(DENSE_ROLES if dense else list(CommitteeRole))),
                draw(st.sampled_from(DENSE_STANCES if dense else list(Stance))),
                draw(st.booleans()),
                draw(st.sampled_from([0.5, 1.0, 2.0, 0.1, 0.3])),
            )
    pairs = [(a, b) for a in ids for b in ids if a != b]
    edges = (
        draw(
            st.lists(
                st.sampled_from(pairs), min_size=n if dense else 0, max_size=(5 if dense else 3) * n
            )
        )
        if pairs
        else []
    )
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
    """The documented relay factors, written out again."""
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


@st.composite
def relayed_subgraphs(draw: st.DrawFn) -> Subgraph:
    """A committee whose champions reach the approvers only through relays, often by more
    than one route: what-ifs (a relay leaves) then find detours worth replanning."""
    base = draw(subgraphs(min_people=5, max_people=7))
    ids = sorted(base.people)
    champions = ids[: draw(st.integers(1, 2))]
    approvers = ids[-draw(st.integers(1, 2)) :]
    relays = [pid for pid in ids if pid not in champions and pid not in approvers]
    seats = {pid: Seat(pid, CommitteeRole.INFLUENCER, Stance.CHAMPION) for pid in champions}
    for pid in relays:
        if draw(st.booleans()):
            seats[pid] = Seat(pid, CommitteeRole.INFLUENCER, draw(st.sampled_from(list(Stance))))
    for pid in approvers:
        stance = draw(st.sampled_from([Stance.NEUTRAL, Stance.UNKNOWN, Stance.SKEPTIC]))
        seats[pid] = Seat(pid, CommitteeRole.APPROVER, stance)
    pairs = [
        (a, b)
        for a in ids
        for b in ids
        if a != b and not (a in champions and b in approvers) and a not in approvers
    ]
    strong = st.sampled_from([0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    edges = draw(st.lists(st.sampled_from(pairs), min_size=len(ids), max_size=4 * len(ids)))
    return dataclasses.replace(
        base,
        seats=seats,
        influences=tuple(Influence(a, b, draw(strong)) for a, b in edges),
        conflicts=(),
        advocacy=(),
    )
