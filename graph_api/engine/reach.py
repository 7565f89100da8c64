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

``influence_paths`` lists the best ``first`` paths best-first: partial paths wait in a heap
ordered by a lower bound of the key of any path they can still become (the reach so far
times the relay of the last stakeholder, the hops so far plus the fewest hops still needed,
then the ids so far). Extending a path never lowers that bound, so complete paths come out in
exactly the final order and the search stops after ``first`` of them; ties (a dense account
where every edge is 1.0) are pruned by the hop and id parts of the bound instead of being
enumerated.

Work is bounded: every search spends visits from the network's
:class:`~graph_api.engine.budget.Budget` (one per stakeholder expanded), which raises
:class:`~graph_api.errors.BudgetExceeded` when the request's deadline or visit allowance
is passed.

What-if searches: ``best_from(..., excluded=...)`` finds the best paths in the graph as if
the excluded stakeholders and every edge touching them were gone, on the same indexed
network (nothing else changes when someone leaves: relay factors belong to the relaying
stakeholder alone). The hop distances computed with everyone present are lower bounds of the
distances without them, so the pruning stays exact.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from graph_api.domain.enums import ConcernCategory
from graph_api.engine.budget import Budget
from graph_api.engine.committee import UNSEATED_RELAY, Committee, read_committee
from graph_api.engine.model import Argument, InfluencePath, Subgraph
from graph_api.errors import InvalidInput, NotFound, Problem

TopicSet = frozenset[ConcernCategory]
EdgeFilter = frozenset[TopicSet]
"""The non-empty topic sets an argument may travel on (edges without topics always carry)."""

_Edge = tuple[str, float, TopicSet]
_Found = tuple[float, tuple[str, ...]]
_NO_ONE: frozenset[str] = frozenset()

MAX_FIRST = 50


class Network:
    """The influence graph of one subgraph, indexed for repeated exact searches."""

    def __init__(self, graph: Subgraph, committee: Committee, budget: Budget | None = None) -> None:
        conflicts: dict[str, set[str]] = {}
        for c in graph.conflicts:
            conflicts.setdefault(c.source, set()).add(c.target)
        out: dict[str, list[_Edge]] = {}
        inc: dict[str, list[_Edge]] = {}
        topic_sets: set[TopicSet] = set()
        # ten thousand edges on a 1,000-person account, indexed for every plan: kept lean
        for source, target, stored, topics, _ in graph.influences:
            if source == target or stored <= 0:
                continue
            if source in conflicts and target in conflicts[source]:
                continue
            strength = stored if stored < 1.0 else 1.0
            if topics:
                topic_sets.add(topics)
            found = out.get(source)
            if found is None:
                found = out[source] = []
            found.append((target, strength, topics))
            found = inc.get(target)
            if found is None:
                found = inc[target] = []
            found.append((source, strength, topics))
        self._out = out
        self._in = inc
        self.every_edge: EdgeFilter = frozenset(topic_sets)
        self._relay = committee.relay
        self._graph = graph
        self.budget = budget if budget is not None else Budget()
        self._distances: dict[tuple[frozenset[str], int, frozenset[str]], dict[str, int]] = {}
        self._forward: dict[
            tuple[str, EdgeFilter, frozenset[str], int, frozenset[str], float], dict[str, _Found]
        ] = {}
        self._strongest: dict[str, list[tuple[str, float]]] = {}

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

    def distances_to(
        self, targets: frozenset[str], max_hops: int, excluded: frozenset[str] = _NO_ONE
    ) -> dict[str, int]:
        """Fewest hops (<= ``max_hops``) from each node to any target, over every edge.

        With ``excluded``, those stakeholders are left out of the answer (the hops of the
        others are still counted with them present: a lower bound is all the searches need).
        """
        cached = self._distances.get((targets, max_hops, excluded))
        if cached is not None:
            return cached
        if excluded:
            everyone = self.distances_to(targets, max_hops)
            kept = {node: hops for node, hops in everyone.items() if node not in excluded}
            self._distances[(targets, max_hops, excluded)] = kept
            return kept
        distance = dict.fromkeys(targets, 0)
        layer = list(targets)
        for hops in range(1, max_hops + 1):
            self.budget.spend(len(layer))
            following: list[str] = []
            for node in layer:
                if hops > 1 and self.relay(node) == 0:
                    continue
                for source, _, _ in self._in.get(node, ()):
                    if source not in distance:
                        distance[source] = hops
                        following.append(source)
            layer = following
        self._distances[(targets, max_hops, excluded)] = distance
        return distance

    def best_from(
        self,
        source: str,
        edge_filter: EdgeFilter,
        targets: frozenset[str],
        max_hops: int,
        excluded: frozenset[str] = _NO_ONE,
        floor: float = 0.0,
    ) -> dict[str, InfluencePath]:
        """Best path from ``source`` to each reachable target (``source`` itself excluded).

        ``excluded`` stakeholders are treated as gone (``source`` must not be one of them).
        With a ``floor``, targets whose best reach is below it may be missing from the answer
        (the search stops extending anything weaker); every reach at or above it is exact.
        """
        key = (source, edge_filter, targets, max_hops, excluded, floor)
        found = self._forward.get(key)
        if found is None:
            found = self._search_forward(source, edge_filter, targets, max_hops, excluded, floor)
            self._forward[key] = found
        return {
            node: InfluencePath(path, value)
            for node, (value, path) in found.items()
            if node in targets and node != source and value >= floor
        }

    def _search_forward(
        self,
        source: str,
        edge_filter: EdgeFilter,
        targets: frozenset[str],
        max_hops: int,
        excluded: frozenset[str],
        floor: float,
    ) -> dict[str, _Found]:
        # Excluded stakeholders have no distance, so the pruning below never steps onto them.
        distance = self.distances_to(targets, max_hops, excluded)
        relay = self._relay
        out = self._out
        spend = self.budget.spend
        best: dict[str, tuple[float, int, tuple[str, ...]]] = {source: (1.0, 0, (source,))}
        frontier: list[tuple[str, float, tuple[str, ...]]] = [(source, 1.0, (source,))]
        for hops in range(1, max_hops + 1):
            spend(len(frontier))
            budget = max_hops - hops
            improved: dict[str, tuple[float, tuple[str, ...]]] = {}
            for node, value, path in frontier:
                base = value if node == source else value * relay.get(node, UNSEATED_RELAY)
                # Every factor is <= 1: nothing extended from below the floor can reach it.
                if base <= 0 or base < floor:
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
            self.budget.spend(len(frontier))
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

    def strongest_out(self, node: str) -> list[tuple[str, float]]:
        """``node``'s out-neighbours over every edge, parallel edges once at their strongest."""
        found = self._strongest.get(node)
        if found is None:
            strongest: dict[str, float] = {}
            for nxt, strength, _ in self._out.get(node, ()):
                strongest[nxt] = max(strength, strongest.get(nxt, 0.0))
            found = sorted(strongest.items())
            self._strongest[node] = found
        return found

    def top_paths(
        self, source: str, target: str, max_hops: int, first: int
    ) -> tuple[InfluencePath, ...]:
        """The ``first`` best simple paths over every edge (reach > 0), best first.

        Best-first over partial paths (see the module docstring): a heap entry is
        ``(-bound, hops + hops still needed, path, reach so far)``, where ``bound`` is the
        reach so far times the relay of the path's last stakeholder (the source and the
        target do not relay).
        """
        if source == target:
            return ()
        distance = self.distances_to(frozenset({target}), max_hops)
        if source not in distance:
            return ()
        spend = self.budget.spend
        found: list[InfluencePath] = []
        heap: list[tuple[float, int, tuple[str, ...], float]] = [
            (-1.0, distance[source], (source,), 1.0)
        ]
        while heap and len(found) < first:
            spend(1)
            _, _, path, value = heapq.heappop(heap)
            node = path[-1]
            if node == target:
                found.append(InfluencePath(path, value))
                continue
            hops = len(path) - 1
            base = value if node == source else value * self.relay(node)
            left = max_hops - hops - 1
            for nxt, strength in self.strongest_out(node):
                if nxt in path or distance.get(nxt, left + 1) > left:
                    continue
                reached = base * strength
                if nxt == target:
                    heapq.heappush(heap, (-reached, hops + 1, (*path, nxt), reached))
                    continue
                bound = reached * self.relay(nxt)
                if bound > 0:
                    heapq.heappush(heap, (-bound, hops + 1 + distance[nxt], (*path, nxt), reached))
        return tuple(found)


def influence_paths(
    graph: Subgraph,
    source: str,
    target: str,
    max_hops: int = 3,
    first: int = 5,
    *,
    budget: Budget | None = None,
) -> tuple[InfluencePath, ...]:
    """The best simple influence paths from ``source`` to ``target`` over every edge.

    Best reach first; ties by fewer hops, then by ids along the path. Only paths with
    positive reach are returned (a blocker relays nothing).

    Raises:
        InvalidInput: ``max_hops`` or ``first`` is out of range.
        NotFound: ``source`` or ``target`` is not a stakeholder of the subgraph.
        BudgetExceeded: the search ran past ``budget`` (``None``: unbounded).

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
    network = Network(graph, read_committee(graph), budget)
    return network.top_paths(source, target, max_hops, first)


def reach(
    graph: Subgraph,
    source: str,
    target: str,
    max_hops: int = 3,
    argument_id: str | None = None,
    *,
    budget: Budget | None = None,
) -> InfluencePath | None:
    """The best path ``source``→``target`` able to carry ``argument_id`` (any edge if None)."""
    network = Network(graph, read_committee(graph), budget)
    argument = graph.arguments.get(argument_id) if argument_id is not None else None
    if argument_id is not None and argument is None:
        raise NotFound("Argument", argument_id)
    found = network.best_from(source, network.edge_filter(argument), frozenset({target}), max_hops)
    return found.get(target)
