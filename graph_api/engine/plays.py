"""Plays: (champion, argument, approver) triples and what each is worth.

``value = reach_arg(C→A) * credibility(C) * fit(arg, A)``, kept only when positive; the
reach is searched once per champion and distinct edge filter, never per argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph_api.domain.enums import PlayAction
from graph_api.engine.committee import Committee
from graph_api.engine.explanation import explain_play
from graph_api.engine.fit import fit
from graph_api.engine.model import Argument, Play, Subgraph
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


def candidate_plays(
    graph: Subgraph,
    committee: Committee,
    network: Network,
    approvers: Sequence[str],
    max_hops: int,
) -> dict[str, list[Candidate]]:
    """Every play with positive value on each of ``approvers``, best first."""
    by_filter: dict[EdgeFilter, list[Argument]] = {}
    for argument_id in sorted(graph.arguments):
        argument = graph.arguments[argument_id]
        by_filter.setdefault(network.edge_filter(argument), []).append(argument)
    fits = {
        approver: {arg_id: fit(graph, arg, approver) for arg_id, arg in graph.arguments.items()}
        for approver in approvers
    }
    targets = frozenset(approvers)
    plays: dict[str, list[Candidate]] = {approver: [] for approver in approvers}
    for champion in sorted(committee.champions):
        credibility = committee.champions[champion]
        for edge_filter, arguments in by_filter.items():
            for approver, route in network.best_from(
                champion, edge_filter, targets, max_hops
            ).items():
                for argument in arguments:
                    argument_fit = fits[approver][argument.id]
                    value = route.reach * credibility * argument_fit
                    if value <= 0:
                        continue
                    plays[approver].append(
                        Candidate(
                            champion_id=champion,
                            argument_id=argument.id,
                            approver_id=approver,
                            path=route.path,
                            reach=route.reach,
                            fit=argument_fit,
                            credibility=credibility,
                            value=value,
                            readiness=graph.readiness.get((champion, argument.id)),
                        )
                    )
    for candidates in plays.values():
        candidates.sort(key=Candidate.rank)
    return plays


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
