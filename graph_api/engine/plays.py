"""Plays: (champion, argument, approver) triples and what each is worth.

``value = reach_arg(C→A) * credibility(C) * fit(arg, A)``, kept only when positive; the
reach is searched once per champion and distinct edge filter, never per argument.

:class:`PlayIndex` keeps every candidate by the search that found it, so a what-if
("without Dana") redoes only the searches whose best route ran through someone leaving: any
other best route is still there and still best, since removing people only removes paths.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from graph_api.domain.enums import PlayAction
from graph_api.engine.committee import Committee
from graph_api.engine.explanation import explain_play
from graph_api.engine.fit import fit
from graph_api.engine.model import Argument, InfluencePath, Play, Subgraph
from graph_api.engine.reach import EdgeFilter, Network

DEPLOY_READINESS = 0.7


@dataclass(frozen=True)
class Candidate:
    """A play before it is explained; cheap to rank and to price in the plan."""

    champion_id: str
    argument_id: str
    approver_id: str
    path: tuple[str, ...]
    reach: float
    fit: float
    credibility: float
    value: float
    readiness: float | None

    @property
    def action(self) -> PlayAction:
        ready = self.readiness is not None and self.readiness >= DEPLOY_READINESS
        return PlayAction.DEPLOY if ready else PlayAction.COACH

    def rank(self) -> tuple[float, float, str, str]:
        """Best first: higher value, then higher reach, then champion id, argument id."""
        return (-self.value, -self.reach, self.champion_id, self.argument_id)


class PlayIndex:
    """Every candidate play of one plan, kept per (champion, edge filter) search.

    ``plays`` maps each approver searched for to all its candidates, best first
    (:meth:`Candidate.rank`); ``routes`` holds each search's best path to every approver and
    ``route_plays`` the candidates over each of those paths; ``filter_of`` names the edge
    filter of each argument.
    """

    def __init__(
        self,
        graph: Subgraph,
        committee: Committee,
        network: Network,
        approvers: Sequence[str],
        max_hops: int,
    ) -> None:
        self.graph = graph
        self.network = network
        self.max_hops = max_hops
        self.credibility = committee.champions
        groups: dict[EdgeFilter, list[Argument]] = {}
        for argument_id in sorted(graph.arguments):
            argument = graph.arguments[argument_id]
            groups.setdefault(network.edge_filter(argument), []).append(argument)
        self.groups = groups
        self.fits = {
            approver: {arg_id: fit(graph, arg, approver) for arg_id, arg in graph.arguments.items()}
            for approver in approvers
        }
        targets = frozenset(approvers)
        self.routes: dict[tuple[str, EdgeFilter], dict[str, InfluencePath]] = {
            (champion, edge_filter): network.best_from(champion, edge_filter, targets, max_hops)
            for champion in sorted(committee.champions)
            for edge_filter in groups
        }
        self.filter_of = {
            argument.id: edge_filter
            for edge_filter, arguments in groups.items()
            for argument in arguments
        }
        self.route_plays: dict[tuple[str, EdgeFilter, str], list[Candidate]] = {
            (champion, edge_filter, approver): list(self.candidates(champion, edge_filter, route))
            for (champion, edge_filter), routes in self.routes.items()
            for approver, route in routes.items()
        }
        self.plays: dict[str, list[Candidate]] = {approver: [] for approver in approvers}
        for (_, _, approver), candidates in self.route_plays.items():
            self.plays[approver].extend(candidates)
        for candidates in self.plays.values():
            candidates.sort(key=Candidate.rank)

    def candidates(
        self, champion: str, edge_filter: EdgeFilter, route: InfluencePath
    ) -> Iterator[Candidate]:
        """The plays ``champion`` can run over ``route`` with the filter's arguments."""
        approver = route.path[-1]
        credibility = self.credibility[champion]
        fits = self.fits[approver]
        for argument in self.groups[edge_filter]:
            argument_fit = fits[argument.id]
            value = route.reach * credibility * argument_fit
            if value <= 0:
                continue
            yield Candidate(
                champion_id=champion,
                argument_id=argument.id,
                approver_id=approver,
                path=route.path,
                reach=route.reach,
                fit=argument_fit,
                credibility=credibility,
                value=value,
                readiness=self.graph.readiness.get((champion, argument.id)),
            )

    def best_fit(self, approver: str, edge_filter: EdgeFilter) -> float:
        """The best fit on ``approver`` among the arguments travelling on ``edge_filter``."""
        fits = self.fits[approver]
        return max(fits[argument.id] for argument in self.groups[edge_filter])


def candidate_plays(
    graph: Subgraph,
    committee: Committee,
    network: Network,
    approvers: Sequence[str],
    max_hops: int,
) -> dict[str, list[Candidate]]:
    """Every play with positive value on each of ``approvers``, best first."""
    return PlayIndex(graph, committee, network, approvers, max_hops).plays


def to_play(graph: Subgraph, candidate: Candidate) -> Play:
    """The public play, with its sentence."""
    sentence = explain_play(
        graph,
        argument=graph.arguments[candidate.argument_id],
        path=candidate.path,
        action=candidate.action,
        reach=candidate.reach,
        fit=candidate.fit,
        value=candidate.value,
        readiness=candidate.readiness,
    )
    return Play(
        champion_id=candidate.champion_id,
        argument_id=candidate.argument_id,
        approver_id=candidate.approver_id,
        action=candidate.action,
        path=candidate.path,
        reach=candidate.reach,
        fit=candidate.fit,
        value=candidate.value,
        credibility=candidate.credibility,
        readiness=candidate.readiness,
        explanation=sentence,
    )
