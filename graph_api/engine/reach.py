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

from graph_api.domain.enums import ConcernCategory
from graph_api.engine.committee import Committee, read_committee
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
            if edge.source == edge.target or (edge.source, edge.target) in conflicts:
                continue
            if edge.strength <= 0:
                continue
            strength = min(edge.strength, 1.0)
            topics = frozenset(edge.topics)
            if topics:
                topic_sets.add(topics)
            out.setdefault(edge.source, []).append((edge.target, strength, topics))
            inc.setdefault(edge.target, []).append((edge.source, strength, topics))
        # Strongest first, so the first usable parallel edge is the one a path takes.
        self._out = {u: tuple(sorted(es, key=lambda e: (-e[1], e[0]))) for u, es in out.items()}
        self._in = {v: tuple(sorted(es, key=lambda e: (-e[1], e[0]))) for v, es in inc.items()}
        self.every_edge: EdgeFilter = frozenset(topic_sets)
        self._committee = committee
        self._graph = graph
        self._distances: dict[tuple[frozenset[str], int], dict[str, int]] = {}
        self._forward: dict[tuple[str, EdgeFilter, frozenset[str], int], dict[str, _Found]] = {}
        self._backward: dict[tuple[str, int], dict[str, InfluencePath]] = {}

    def relay(self, stakeholder_id: str) -> float:
        return self._committee.relay_factor(stakeholder_id)

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
        """The strongest usable edge ``source``→``target`` (0.0 when there is none)."""
        for node, strength, topics in self._out.get(source, ()):
            if node == target and (not topics or topics in edge_filter):
                return strength
        return 0.0

    def path_reach(self, path: tuple[str, ...], edge_filter: EdgeFilter) -> float:
        """The reach along ``path``, multiplied in path order (the searches' own order)."""
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
        best: dict[str, tuple[float, int, tuple[str, ...]]] = {source: (1.0, 0, (source,))}
        frontier: list[tuple[str, float, tuple[str, ...]]] = [(source, 1.0, (source,))]
        out = self._out
        for hops in range(1, max_hops + 1):
            budget = max_hops - hops
            improved: dict[str, tuple[float, tuple[str, ...]]] = {}
            for node, value, path in frontier:
                base = value if node == source else value * self.relay(node)
                if base <= 0:
                    continue
                for nxt, strength, topics in out.get(node, ()):
                    if topics and topics not in edge_filter:
                        continue
                    if distance.get(nxt, budget + 1) > budget or nxt in path:
                        continue
                    candidate = base * strength
                    seen = best.get(nxt)
                    if seen is not None:
                        if candidate < seen[0] or (candidate == seen[0] and seen[1] < hops):
                            continue
                        if candidate == seen[0] and path + (nxt,) >= seen[2]:
                            continue
                    extended = (*path, nxt)
                    best[nxt] = (candidate, hops, extended)
                    improved[nxt] = (candidate, extended)
            frontier = [(node, value, path) for node, (value, path) in improved.items()]
            if not frontier:
                break
        return {node: (value, path) for node, (value, _, path) in best.items()}

    def best_to(self, target: str, max_hops: int) -> dict[str, InfluencePath]:
        """Best path from every stakeholder that reaches ``target``, over every edge."""
        key = (target, max_hops)
        cached = self._backward.get(key)
        if cached is not None:
            return cached
        best: dict[str, tuple[float, int, tuple[str, ...]]] = {target: (1.0, 0, (target,))}
        frontier: list[tuple[str, float, tuple[str, ...]]] = [(target, 1.0, (target,))]
        for hops in range(1, max_hops + 1):
            improved: dict[str, tuple[float, tuple[str, ...]]] = {}
            for node, value, path in frontier:
                base = value if node == target else self.relay(node) * value
                if base <= 0:
                    continue
                for previous, strength, _ in self._in.get(node, ()):
                    if previous in path:
                        continue
                    candidate = strength * base
                    seen = best.get(previous)
                    if seen is not None:
                        if candidate < seen[0] or (candidate == seen[0] and seen[1] < hops):
                            continue
                        if candidate == seen[0] and (previous, *path) >= seen[2]:
                            continue
                    extended = (previous, *path)
                    best[previous] = (candidate, hops, extended)
                    improved[previous] = (candidate, extended)
            frontier = [(node, value, path) for node, (value, path) in improved.items()]
            if not frontier:
                break
        # Re-multiplied in path order so a reach never depends on the search direction.
        result = {
            node: InfluencePath(path, self.path_reach(path, self.every_edge))
            for node, (_, _, path) in best.items()
            if node != target
        }
        self._backward[key] = result
        return result

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
            tried: set[str] = set()  # parallel edges: the strongest (listed first) counts
            for nxt, strength, _ in self._out.get(node, ()):
                if nxt in tried or nxt in path or distance.get(nxt, budget + 1) > budget:
                    continue
                tried.add(nxt)
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
    found = network.best_from(
        source, network.edge_filter(argument), frozenset({target}), max_hops
    )
    return found.get(target)
