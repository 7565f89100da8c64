"""Single-thread risk: the people an approver's coverage hangs on.

For an approver A that is not SECURED and has plays, the key people are the stakeholders
X != A whose removal (X and every edge touching X gone, relays recomputed) lowers A's best
play value below half of today's, or to nothing. ``singleThreaded`` is "some key person".

Only people on today's best path can qualify: the best play survives anyone else's
departure. Removing X never changes a fit, a credibility or anyone else's relay, so the best
value without X is the best play that does not touch X, unless a search whose route to A ran
through X finds a detour worth more. Those searches are redone with X excluded only when
their value today (an upper bound of the detour's) beats what survives already, and they stop
extending any path too weak to beat it: exact, and usually a handful of searches.
"""

from __future__ import annotations

from graph_api.engine.explanation import listing, name_of, with_title
from graph_api.engine.model import Subgraph
from graph_api.engine.plays import Candidate, PlayIndex

_FLOOR_MARGIN = 1.0 - 1e-9


def best_value_without(index: PlayIndex, approver: str, leaving: str) -> float:
    """The best play value on ``approver`` if ``leaving`` had left (0.0: no play left)."""
    plays = index.plays[approver]
    survivor = next((p.value for p in plays if leaving not in p.path), 0.0)
    best = survivor
    for (champion, edge_filter), routes in index.routes.items():
        route = routes.get(approver)
        if champion == leaving or route is None or leaving not in route.path:
            continue
        today = max(
            (c.value for c in index.route_plays[(champion, edge_filter, approver)]), default=0
        )
        if today <= best:
            continue
        weight = index.credibility[champion] * index.best_fit(approver, edge_filter)
        floor = best / weight * _FLOOR_MARGIN
        detour = index.network.best_from(
            champion,
            edge_filter,
            frozenset({approver}),
            index.max_hops,
            frozenset({leaving}),
            floor,
        ).get(approver)
        if detour is not None:
            best = max([best, *(c.value for c in index.candidates(champion, edge_filter, detour))])
    return best


def key_people(index: PlayIndex, approver: str) -> list[tuple[str, float]]:
    """(person, best value without them) for each key person, in the best path's order."""
    plays = index.plays.get(approver)
    if not plays:
        return []
    top = plays[0]
    found = []
    for person in top.path[:-1]:
        without = best_value_without(index, approver, person)
        if without < top.value / 2:
            found.append((person, without))
    return found


def explain_key_person(graph: Subgraph, top: Candidate, person: str, without: float) -> str:
    """Why ``person`` is a thread the approver hangs on.

    Example:
        "Without Lee, who relays the best play on Chris, that play falls from 0.56 to 0.12."
    """
    name, approver = name_of(graph, person), name_of(graph, top.approver_id)
    role = (
        "who runs the best play on" if person == top.champion_id else "who relays the best play on"
    )
    after = f"to {without:.2f}" if without > 0 else "to nothing: no other play is left"
    return f"Without {name}, {role} {approver}, that play falls from {top.value:.2f} {after}."


def explain_single_thread(
    graph: Subgraph, top: Candidate, found: list[tuple[str, float]]
) -> str | None:
    """Why the approver hangs on one thread (``None`` when it does not).

    Example:
        "Chris (CFO) hangs on a single thread: every strong route runs through Dana; without
        Dana the best play on Chris falls from 0.56 to 0.12. Build a second route through
        another champion or relay."
    """
    if not found:
        return None
    approver = with_title(graph, top.approver_id)
    target = name_of(graph, top.approver_id)
    people = listing([name_of(graph, person) for person, _ in found])
    mildest = max(without for _, without in found)
    after = f"to {mildest:.2f}" if mildest > 0 else "to nothing"
    if len(found) == 1:
        loss = f"without {people} the best play on {target} falls from {top.value:.2f} {after}"
    else:
        loss = (
            f"losing any one of them drops the best play on {target} from {top.value:.2f} "
            f"{after}{' or less' if mildest > 0 else ''}"
        )
    return (
        f"{approver} hangs on a single thread: every strong route runs through {people}; "
        f"{loss}. Build a second route through another champion or relay."
    )
