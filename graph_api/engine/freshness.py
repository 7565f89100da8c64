"""Freshness: which facts behind the plan nobody has confirmed for too long.

A fact is stale when it was verified more than ``stale_after_days`` days before
``Options.today``; a fact with no recorded date is not counted (nothing says it is old), and
with no ``today`` nothing is stale. The plan warns about, in this order and each fact once:

- for each chosen play, in plan order, walking its path from the champion: each stakeholder
  (``last_verified_at``), their seat if they hold one (the stance that makes them a champion
  or sets their relay factor), then the influence to the next stakeholder (of parallel edges,
  the strongest one the argument may travel on — the edge that gave the reach; on a tie the
  most recently verified);
- then each approver seat, in the plan's approver order (a vacant seat is skipped: the
  departure warning already says so).

Conflicts carry ``verified_at`` too but are never on a path (a path may not use a conflicting
hop), so they are not warned about here; the map shows their age.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from graph_api.engine.explanation import name_of
from graph_api.engine.model import FactKind, Influence, Options, StaleFact, Subgraph
from graph_api.engine.plays import Candidate
from graph_api.engine.reach import EdgeFilter, Network


def stale_facts(
    graph: Subgraph,
    network: Network,
    chosen: Sequence[Candidate],
    approvers: Sequence[str],
    options: Options,
    vacant: frozenset[str],
) -> tuple[StaleFact, ...]:
    """The stale facts the plan relies on, in warning order (see the module docstring)."""
    today = options.today
    if today is None:
        return ()
    found: dict[tuple[FactKind, str, str | None], StaleFact] = {}

    def consider(
        kind: FactKind, who: str, target: str | None, verified: date | None, what: str
    ) -> None:
        key = (kind, who, target)
        if verified is None or key in found:
            return
        age = (today - verified).days
        if age > options.stale_after_days:
            warning = (
                f"{what} was last verified on {verified.isoformat()}, {age} days ago "
                f"(stale after {options.stale_after_days}): confirm it still holds."
            )
            found[key] = StaleFact(kind, who, target, verified, age, warning)

    edges = _edges_on(graph, chosen)
    for play in chosen:
        edge_filter = network.edge_filter(graph.arguments[play.argument_id])
        for index, who in enumerate(play.path):
            person = graph.people.get(who)
            if person is not None:
                consider(
                    FactKind.STAKEHOLDER,
                    who,
                    None,
                    person.last_verified_at,
                    f"{person.name}, on the path of a play in the plan,",
                )
            seat = graph.seats.get(who)
            if seat is not None:
                consider(
                    FactKind.SEAT,
                    who,
                    None,
                    seat.verified_at,
                    f"{name_of(graph, who)}'s seat ({seat.role.value}, {seat.stance.value}), "
                    "on the path of a play in the plan,",
                )
            if index + 1 == len(play.path):
                continue
            target = play.path[index + 1]
            edge = _edge_used(edges.get((who, target), ()), edge_filter)
            if edge is not None:
                consider(
                    FactKind.INFLUENCE,
                    who,
                    target,
                    edge.verified_at,
                    f"The influence of {name_of(graph, who)} on {name_of(graph, target)} "
                    f"({min(edge.strength, 1.0):.2f}), on the path of a play in the plan,",
                )
    for approver in approvers:
        seat = graph.seats[approver]
        if approver in vacant:
            continue
        consider(
            FactKind.SEAT,
            approver,
            None,
            seat.verified_at,
            f"{name_of(graph, approver)}'s approver seat ({seat.role.value}, {seat.stance.value})",
        )
    return tuple(found.values())


def _edges_on(
    graph: Subgraph, chosen: Sequence[Candidate]
) -> dict[tuple[str, str], list[Influence]]:
    hops = {pair for play in chosen for pair in zip(play.path, play.path[1:], strict=False)}
    edges: dict[tuple[str, str], list[Influence]] = {}
    if not hops:
        return edges
    for edge in graph.influences:
        if (edge.source, edge.target) in hops:
            edges.setdefault((edge.source, edge.target), []).append(edge)
    return edges


def _edge_used(parallel: Sequence[Influence], edge_filter: EdgeFilter) -> Influence | None:
    usable = [e for e in parallel if e.strength > 0 and (not e.topics or e.topics in edge_filter)]
    return max(usable, key=_edge_order, default=None)


def _edge_order(edge: Influence) -> tuple[float, date, tuple[str, ...]]:
    return (
        min(edge.strength, 1.0),
        edge.verified_at or date.min,
        tuple(sorted(edge.topics)),
    )
