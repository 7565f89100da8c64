"""Reach: the best simple influence path between two stakeholders, found exactly.

``reach(C→A)`` is the largest product, over simple paths C=v0→…→vk=A with k <= maxHops,
of the edge strengths times the relay factor of every intermediate stakeholder
(:mod:`graph_api.engine.committee`). A hop u→v is never used when u ``CONFLICTS_WITH`` v
(the direction matters: the edge says u arguing for something makes v resist it).

Edge filters: an ``INFLUENCES`` edge with topics carries an argument only if the argument
addresses (fit > 0) a concern whose category is among the topics. Arguments are grouped by
the set of topic-sets they may use, so one search serves every argument with the same
filter; reach without an argument uses every edge.

Exactness. Every factor is <= 1, so removing a cycle from a walk never lowers its product:
the best walk of <= k hops is as good as the best simple path of <= k hops. The searches
are hop-layered dynamic programmes over walks (Bellman-Ford bounded by k) that also refuse
to revisit a node already on the candidate path; a revisiting walk is always dominated by a
path with fewer hops, so the refusal loses nothing and every answer is a simple path. Ties
are broken by fewer hops, then by the path's ids in order, which the layered order and the
lexicographic comparison inside a layer give directly. Forward searches are pruned by the
hop distance to the nearest target (a lower bound on the hops still needed).

Parallel edges u→v count once, with the strongest usable strength; strengths are clamped
to (0, 1] (the import contract already refuses anything else); self-influence is ignored.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from graph_api.domain.enums import ConcernCategory
from graph_api.engine.committee import UNSEATED_RELAY, Committee, read_committee
from graph_api.engine.model import Argument, InfluencePath, Subgraph
from graph_api.errors import InvalidInput, NotFound, Problem

TopicSet = frozenset[ConcernCategory]
EdgeFilter = frozenset[TopicSet]
"""The non-empty topic sets an argument may travel on (edges without topics always carry)."""

_Edge = tuple[str, float, TopicSet]
_Found = tuple[float, tuple[str, ...]]

MAX_FIRST = 50


class Network:
    """The influence graph of one subgraph, indexed for repeated exact searches."""

    def __init__(self, graph: Subgraph, committee: Committee) -> None:
        conflicts = {(c.source, c.target) for c in graph.conflicts}
        out: dict[str, list[_Edge]] = {}
        inc: dict[str, list[_Edge]] = {}
        topic_sets: set[TopicSet] = set()
        for edge in graph.influences:
            source, target, strength = edge.source, edge.target, edge.strength
            if source == target or strength <= 0 or (source, target) in conflicts:
                continue
            strength = min(strength, 1.0)
            topics = edge.topics
            if topics:
                topic_sets.add(topics)
            out.setdefault(source, []).append((target, strength, topics))
            inc.setdefault(target, []).append((source, strength, topics))
        self._out = out
        self._in = inc
        self.every_edge: EdgeFilter = frozenset(topic_sets)
        self._relay = committee.relay
        self._graph = graph
        self._distances: dict[tuple[frozenset[str], int], dict[str, int]] = {}
        self._forward: dict[tuple[str, EdgeFilter, frozenset[str], int], dict[str, _Found]] = {}

    def relay(self, stakeholder_id: str) -> float:
        return self._relay.get(stakeholder_id, UNSEATED_RELAY)

    def edge_filter(self, argument: Argument | None) -> EdgeFilter:
        """The edges ``argument`` may travel on; ``None`` means every edge."""
        if argument is None:
            return self.every_edge
        categories = {
            concern.category
            for concern_id, fit in argument.addresses.items()
            if fit > 0 and (concern := self._graph.concerns.get(concern_id)) is not None
        }
        return frozenset(topics for topics in self.every_edge if topics & categories)

    def strength(self, source: str, target: str, edge_filter: EdgeFilter) -> float:
        """The strongest usable edge ``source``->``target`` (0.0 when there is none)."""
        return max(
            (
                strength
                for node, strength, topics in self._out.get(source, ())
                if node == target and (not topics or topics in edge_filter)
            ),
            default=0.0,
        )

    def path_reach(self, path: tuple[str, ...], edge_filter: EdgeFilter) -> float:
        """The reach along ``path``, multiplied in path order (the forward search's order)."""
        value = 1.0
        for index in range(len(path) - 1):
            if index > 0:
                value *= self.relay(path[index])
            value *= self.strength(path[index], path[index + 1], edge_filter)
        return value

    def distances_to(self, targets: frozenset[str], max_hops: int) -> dict[str, int]:
        """Fewest hops (<= ``max_hops``) from each node to any target, over every edge."""
        cached = self._distances.get((targets, max_hops))
        if cached is not None:
            return cached
        distance = dict.fromkeys(targets, 0)
        layer = list(targets)
        for hops in range(1, max_hops + 1):
            following: list[str] = []
            for node in layer:
                if hops > 1 and self.relay(node) == 0:
                    continue
                for source, _, _ in self._in.get(node, ()):
                    if source not in distance:
                        distance[source] = hops
                        following.append(source)
            layer = following
        self._distances[(targets, max_hops)] = distance
        return distance

    def best_from(
        self,
        source: str,
        edge_filter: EdgeFilter,
        targets: frozenset[str],
        max_hops: int,
    ) -> dict[str, InfluencePath]:
        """Best path from ``source`` to each reachable target (``source`` itself excluded)."""
        key = (source, edge_filter, targets, max_hops)
        found = self._forward.get(key)
        if found is None:
            found = self._search_forward(source, edge_filter, targets, max_hops)
            self._forward[key] = found
        return {
            node: InfluencePath(path, value)
            for node, (value, path) in found.items()
            if node in targets and node != source
        }

    def _search_forward(
        self,
        source: str,
        edge_filter: EdgeFilter,
        targets: frozenset[str],
        max_hops: int,
    ) -> dict[str, _Found]:
        distance = self.distances_to(targets, max_hops)
        relay = self._relay
        out = self._out
        best: dict[str, tuple[float, int, tuple[str, ...]]] = {source: (1.0, 0, (source,))}
        frontier: list[tuple[str, float, tuple[str, ...]]] = [(source, 1.0, (source,))]
        for hops in range(1, max_hops + 1):
            budget = max_hops - hops
            improved: dict[str, tuple[float, tuple[str, ...]]] = {}
            for node, value, path in frontier:
                base = value if node == source else value * relay.get(node, UNSEATED_RELAY)
                if base <= 0:
                    continue
                for nxt, strength, topics in out.get(node, ()):
                    if topics and topics not in edge_filter:
                        continue
                    if distance.get(nxt, budget + 1) > budget or nxt in path:
                        continue
                    candidate = base * strength
                    seen = best.get(nxt)
                    if seen is not None and (
                        candidate < seen[0]
                        or (candidate == seen[0] and (seen[1] < hops or (*path, nxt) >= seen[2]))
                    ):
                        continue
                    extended = (*path, nxt)
                    best[nxt] = (candidate, hops, extended)
                    improved[nxt] = (candidate, extended)
            if not improved:
                break
            frontier = [(node, value, path) for node, (value, path) in improved.items()]
        return {node: (value, path) for node, (value, _, path) in best.items()}

    def best_to(
        self, target: str, max_hops: int, wanted: Callable[[str], bool], first: int
    ) -> list[tuple[str, InfluencePath]]:
        """The ``first`` stakeholders satisfying ``wanted`` who reach ``target`` best.

        Searched backwards from ``target`` over every edge; ranked by reach, then id.
        """
        relay = self._relay
        best: dict[str, tuple[float, int, tuple[str, ...]]] = {target: (1.0, 0, (target,))}
        frontier: list[tuple[str, float, tuple[str, ...]]] = [(target, 1.0, (target,))]
        for hops in range(1, max_hops + 1):
            improved: dict[str, tuple[float, tuple[str, ...]]] = {}
            for node, value, path in frontier:
                base = value if node == target else relay.get(node, UNSEATED_RELAY) * value
                if base <= 0:
                    continue
                for previous, strength, _ in self._in.get(node, ()):
                    if previous in path:
                        continue
                    candidate = strength * base
                    seen = best.get(previous)
                    if seen is not None and (
                        candidate < seen[0]
                        or (
                            candidate == seen[0]
                            and (seen[1] < hops or (previous, *path) >= seen[2])
                        )
                    ):
                        continue
                    extended = (previous, *path)
                    best[previous] = (candidate, hops, extended)
                    improved[previous] = (candidate, extended)
            if not improved:
                break
            frontier = [(node, value, path) for node, (value, path) in improved.items()]
        ranked = sorted(
            (-value, node, path)
            for node, (value, _, path) in best.items()
            if node != target and wanted(node)
        )[:first]
        # Re-multiplied in path order so a reach never depends on the search direction.
        found = [
            (node, InfluencePath(path, self.path_reach(path, self.every_edge)))
            for _, node, path in ranked
        ]
        found.sort(key=lambda item: (-item[1].reach, item[0]))
        return found

    def top_paths(
        self, source: str, target: str, max_hops: int, first: int
    ) -> tuple[InfluencePath, ...]:
        """The ``first`` best simple paths over every edge (reach > 0), best first."""
        if source == target:
            return ()
        distance = self.distances_to(frozenset({target}), max_hops)
        kept: list[tuple[float, int, tuple[str, ...]]] = []  # (-reach, hops, path), sorted

        def visit(node: str, value: float, path: tuple[str, ...]) -> None:
            hops = len(path) - 1
            if node == target:
                bisect.insort(kept, (-value, hops, path))
                del kept[first:]
                return
            base = value if node == source else value * self.relay(node)
            # Every factor is <= 1: nothing below the worst kept path can enter the list.
            if base <= 0 or (len(kept) == first and base < -kept[-1][0]):
                return
            budget = max_hops - hops - 1
            strongest: dict[str, float] = {}  # parallel edges count once, at their strongest
            for nxt, strength, _ in self._out.get(node, ()):
                if nxt not in path and distance.get(nxt, budget + 1) <= budget:
                    strongest[nxt] = max(strength, strongest.get(nxt, 0.0))
            for nxt, strength in strongest.items():
                visit(nxt, base * strength, (*path, nxt))

        visit(source, 1.0, (source,))
        return tuple(InfluencePath(path, -value) for value, _, path in kept)


def influence_paths(
    graph: Subgraph,
    source: str,
    target: str,
    max_hops: int = 3,
    first: int = 5,
) -> tuple[InfluencePath, ...]:
    """The best simple influence paths from ``source`` to ``target`` over every edge.

    Best reach first; ties by fewer hops, then by ids along the path. Only paths with
    positive reach are returned (a blocker relays nothing).

    Example:
        >>> influence_paths(graph, "p-dana", "p-cfo", max_hops=2, first=1)
        (InfluencePath(path=('p-dana', 'p-cfo'), reach=0.8),)
    """
    problems = []
    if not 1 <= max_hops <= 6:
        problems.append(Problem("maxHops", f"must be from 1 to 6, got {max_hops}"))
    if not 1 <= first <= MAX_FIRST:
        problems.append(Problem("first", f"must be from 1 to {MAX_FIRST}, got {first}"))
    if problems:
        raise InvalidInput(problems)
    for stakeholder_id in (source, target):
        if stakeholder_id not in graph.people:
            raise NotFound("Stakeholder", stakeholder_id)
    network = Network(graph, read_committee(graph))
    return network.top_paths(source, target, max_hops, first)


def reach(
    graph: Subgraph,
    source: str,
    target: str,
    max_hops: int = 3,
    argument_id: str | None = None,
) -> InfluencePath | None:
    """The best path ``source``→``target`` able to carry ``argument_id`` (any edge if None)."""
    network = Network(graph, read_committee(graph))
    argument = graph.arguments.get(argument_id) if argument_id is not None else None
    if argument_id is not None and argument is None:
        raise NotFound("Argument", argument_id)
    found = network.best_from(source, network.edge_filter(argument), frozenset({target}), max_hops)
    return found.get(target)
