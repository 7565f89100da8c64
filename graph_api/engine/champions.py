"""The champion test: can the person called "champion" actually move the approvers?

For each seat with stance CHAMPION or SUPPORTER (a person C)::

    influence(C) = Σ_i crit_i · r(C, i) / Σ_i crit_i

over the approvers i, with the baseline criticalities of :mod:`graph_api.engine.criticality`
and ``r(C, i)`` the reach without an argument (every edge, within maxHops), ``r = 1`` when C
is approver i. When every criticality is 0 the plain mean of ``r(C, i)`` is used; with no
approver mapped, influence is 0.

Verdict, first match wins:

- CONFLICTED: C advocates a non-OURS alternative with strength >= 0.5, or more strongly than
  their strongest advocacy of OURS (0 when they advocate none);
- CHAMPION: influence >= 0.3;
- COACH: 0 < influence < 0.3 — a friend who informs but cannot move approvers;
- ISOLATED: influence 0.

The 0.3 bar is met within 1e-9: a weighted mean of reaches that are all exactly 0.3 can
round to 0.29999999999999993, and a seller reading "influence 0.30" would not expect COACH.

Assessments are listed most influential first, then by name and id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph_api.domain.enums import ChampionVerdict
from graph_api.engine.committee import OPPONENT_ADVOCACY_STRENGTH, Committee
from graph_api.engine.explanation import listing, name_of, with_title
from graph_api.engine.model import ChampionAssessment, InfluencePath, Subgraph
from graph_api.engine.reach import Network

CHAMPION_INFLUENCE = 0.3
_BAR_TOLERANCE = 1e-9


def champion_reach(
    network: Network, champion: str, approvers: Sequence[str], max_hops: int
) -> dict[str, InfluencePath]:
    """``r(C, i)`` for every approver C reaches (C's own seat: the one-stop path, 1.0)."""
    routes = network.best_from(champion, network.every_edge, frozenset(approvers), max_hops)
    if champion in approvers:
        routes[champion] = InfluencePath((champion,), 1.0)
    return routes


def influence(
    approvers: Sequence[str], criticality: Mapping[str, float], reach: Mapping[str, float]
) -> float:
    """The criticality-weighted mean reach (the plain mean when no approver is critical)."""
    if not approvers:
        return 0.0
    total = sum(criticality[a] for a in approvers)
    if total > 0:
        return sum(criticality[a] * reach.get(a, 0.0) for a in approvers) / total
    return sum(reach.get(a, 0.0) for a in approvers) / len(approvers)


def is_conflicted(committee: Committee, champion: str) -> bool:
    rival = committee.rival_advocacy.get(champion, 0.0)
    ours = committee.ours_advocacy.get(champion, 0.0)
    return rival >= OPPONENT_ADVOCACY_STRENGTH or rival > ours


def verdict_of(conflicted: bool, influence: float) -> ChampionVerdict:
    if conflicted:
        return ChampionVerdict.CONFLICTED
    if influence >= CHAMPION_INFLUENCE - _BAR_TOLERANCE:
        return ChampionVerdict.CHAMPION
    if influence > 0:
        return ChampionVerdict.COACH
    return ChampionVerdict.ISOLATED


def champion_assessments(
    graph: Subgraph,
    committee: Committee,
    network: Network,
    criticality: Mapping[str, float],
    max_hops: int,
) -> tuple[ChampionAssessment, ...]:
    """The champion test of every CHAMPION or SUPPORTER seat (see the module docstring)."""
    approvers = committee.approvers
    explainer = _Explainer(graph, committee, criticality, max_hops)
    found = []
    for champion in committee.champions:
        routes = champion_reach(network, champion, approvers, max_hops)
        score = influence(approvers, criticality, {a: r.reach for a, r in routes.items()})
        verdict = verdict_of(is_conflicted(committee, champion), score)
        sentence = explainer.explain(champion, verdict, score, routes)
        found.append(ChampionAssessment(champion, score, verdict, sentence))
    found.sort(key=lambda c: (-c.influence, name_of(graph, c.champion_id), c.champion_id))
    return tuple(found)


class _Explainer:
    """One sentence per verdict, built from the numbers behind it."""

    def __init__(
        self,
        graph: Subgraph,
        committee: Committee,
        criticality: Mapping[str, float],
        max_hops: int,
    ) -> None:
        self.graph = graph
        self.committee = committee
        self.criticality = criticality
        self.max_hops = max_hops

    def route(self, path: tuple[str, ...]) -> str:
        relays = [name_of(self.graph, node) for node in path[1:-1]]
        return f"via {listing(relays)}" if relays else "directly"

    def explain(
        self,
        champion: str,
        verdict: ChampionVerdict,
        score: float,
        routes: Mapping[str, InfluencePath],
    ) -> str:
        graph, committee = self.graph, self.committee
        name = name_of(graph, champion)
        approvers = committee.approvers
        critical = [a for a in approvers if self.criticality[a] > 0]
        weighted = bool(critical)
        if verdict is ChampionVerdict.CONFLICTED:
            return self._conflicted(champion, score)
        if not approvers:
            return f"No approver is mapped yet, so {name} cannot move anyone (influence 0.00)."
        measure = (
            f"influence {score:.2f}"
            if weighted
            else f"influence {score:.2f}, the plain mean of reach: no single approver's "
            "decision changes the outcome"
        )
        pool = critical or list(approvers)
        reached = [a for a in pool if a in routes]
        if verdict is ChampionVerdict.ISOLATED:
            others = [name_of(graph, a) for a in approvers if a in routes]
            if others:
                return (
                    f"{name} is isolated ({measure}): {name} reaches only "
                    f"{listing(others)}, whose decision does not change the outcome; build a "
                    f"route to {self._most_critical_names(pool)} or develop another champion."
                )
            return (
                f"{name} is isolated ({measure}): no approver is within {self.max_hops} hops "
                f"of {name}; build a route to {self._most_critical_names(pool)} or develop "
                "another champion."
            )
        best = max(
            reached,
            key=lambda a: (self._weight(a) * routes[a].reach, -approvers.index(a)),
        )
        reach_clause = self._reach_clause(champion, best, routes[best], weighted)
        if verdict is ChampionVerdict.CHAMPION:
            return f"{name} can move the deal ({measure}): {reach_clause}."
        missing = [a for a in pool if a not in routes]
        gap = ""
        if missing:
            top = max(missing, key=lambda a: (self._weight(a), -approvers.index(a)))
            gap = (
                f", and {name_of(graph, top)}"
                + (f" (criticality {self.criticality[top]:.2f})" if weighted else "")
                + f" is out of reach within {self.max_hops} hops"
            )
        return (
            f"{name} is a coach, not a champion ({measure}, below {CHAMPION_INFLUENCE:.2f}): "
            f"a friend who can tell you what happens but cannot move the approvers who "
            f"decide; {reach_clause}{gap}."
        )

    def _weight(self, approver: str) -> float:
        return self.criticality[approver] if any(self.criticality.values()) else 1.0

    def _most_critical_names(self, pool: Sequence[str]) -> str:
        top = max(self._weight(a) for a in pool)
        return listing([name_of(self.graph, a) for a in pool if self._weight(a) == top])

    def _reach_clause(
        self,
        champion: str,
        approver: str,
        route: InfluencePath,
        weighted: bool,
    ) -> str:
        graph = self.graph
        name = name_of(graph, champion)
        decides = (
            f", whose decision swings the deal by {self.criticality[approver]:.2f}"
            if weighted
            else ""
        )
        if champion == approver:
            return f"{name} is an approver{decides}"
        return (
            f"{name}'s strongest lever is {with_title(graph, approver)}{decides}, reached "
            f"{self.route(route.path)} ({route.reach:.2f})"
        )

    def _conflicted(self, champion: str, score: float) -> str:
        graph, committee = self.graph, self.committee
        name = name_of(graph, champion)
        stance = graph.seats[champion].stance.value
        rival = committee.rival_advocacy.get(champion, 0.0)
        ours = committee.ours_advocacy.get(champion, 0.0)
        pushed = graph.alternatives[committee.pushes[champion]].name
        if rival > ours:
            why = f"more strongly than our offer ({ours:.2f})"
        else:
            why = f"with real conviction, even though they also back our offer ({ours:.2f})"
        return (
            f"{name} is seated as {stance} but advocates {pushed} ({rival:.2f}) {why}: "
            f"a conflicted champion may carry the other side's flag into the meeting "
            f"(influence {score:.2f}); confirm where {name} stands before coaching them."
        )
