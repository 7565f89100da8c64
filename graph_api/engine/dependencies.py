"""Deal dependencies: what losing one person on the plan's paths costs the plan.

For every stakeholder on a chosen play's path (champions, relays and approvers alike), the
whole plan is recomputed as if they had left (:func:`graph_api.engine.departures.without_people`:
gone with their edges and advocacy, an approver seat left vacant with stance UNKNOWN) and
``drop = winProbabilityWithPlan - winProbabilityWithPlan(without them)``. Those whose loss
costs at least 0.02 are listed, largest drop first, then by name and id.

The replan shares the network and the searches of the plan (:class:`Replanner`): a departure
changes no fit, credibility, relay factor or decision rule, only paths through the person,
the person's own plays, and — for an approver — their baseline (now UNKNOWN's) and the plays
on them (none: a vacant seat has no edges). So the greedy plan runs again over the plays
that are left, and a search whose best route ran through the person is redone only if one
of its plays would be picked. The answer is the plan of the rebuilt subgraph, exactly (a
property test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph_api.domain.enums import Stance
from graph_api.engine.budget import Budget
from graph_api.engine.explanation import listing, name_of
from graph_api.engine.model import DealDependency, Subgraph
from graph_api.engine.plan import MIN_VALUE, greedy_plan
from graph_api.engine.plays import Candidate, PlayIndex
from graph_api.engine.probability import BASELINE_BY_STANCE, WinRule, lifted
from graph_api.engine.reach import EdgeFilter

MIN_DROP = 0.02


@dataclass(frozen=True)
class Replanner:
    """Recomputes a plan's win probability with the plan as if some people had left.

    ``chosen`` is the plan of the full subgraph (its greedy order). The replan is exact and
    lazy: plays whose path ran through someone leaving enter the greedy at today's value, an
    upper bound of their value without them (a detour is never better than the best path), so
    a round that does not pick one of them picks what the exact greedy picks. When a round
    does pick one, that play's search is redone without the people leaving, its plays take
    their true values, and the greedy resumes from that round. Rounds before the first plan
    play that touches someone leaving are the plan's own (when no approver leaves: an
    approver's vacant seat changes every gain through the decision rule).
    """

    index: PlayIndex
    rule: WinRule
    baseline: Mapping[str, float]
    capacity: int
    budget: Budget
    chosen: Sequence[Candidate]

    def win_probability_with_plan(self, leaving: frozenset[str]) -> float:
        index = self.index
        vacant = BASELINE_BY_STANCE[Stance.UNKNOWN]
        baseline = {a: vacant if a in leaving else p for a, p in self.baseline.items()}
        candidates: list[Candidate] = []
        pending: dict[int, tuple[str, EdgeFilter]] = {}  # id(candidate) -> its search
        for (champion, edge_filter, approver), plays in index.route_plays.items():
            if champion in leaving or approver in leaving:
                continue
            candidates.extend(plays)
            if plays and not leaving.isdisjoint(plays[0].path):
                pending.update((id(play), (champion, edge_filter)) for play in plays)
        prefix: Sequence[Candidate] = ()
        if leaving.isdisjoint(baseline):
            touched = (i for i, play in enumerate(self.chosen) if not leaving.isdisjoint(play.path))
            prefix = self.chosen[: next(touched, len(self.chosen))]
        while True:
            chosen = greedy_plan(
                candidates, self.rule, baseline, self.capacity, self.budget, prefix
            )
            first = next(
                (i for i in range(len(prefix), len(chosen)) if id(chosen[i]) in pending), None
            )
            if first is None:
                break
            champion, edge_filter = pending[id(chosen[first])]
            candidates = [
                play for play in candidates if pending.get(id(play)) != (champion, edge_filter)
            ]
            candidates.extend(self._redo(champion, edge_filter, leaving))
            prefix = chosen[:first]
        with_plan = {
            a: lifted(p, (play.value for play in chosen if play.approver_id == a))
            for a, p in baseline.items()
        }
        return self.rule.probability(with_plan)

    def _redo(
        self, champion: str, edge_filter: EdgeFilter, leaving: frozenset[str]
    ) -> list[Candidate]:
        """The plays of one search once ``leaving`` are gone (those below MIN_VALUE may be
        missing: the greedy never picks them)."""
        index = self.index
        affected = frozenset(
            approver
            for approver, route in index.routes[(champion, edge_filter)].items()
            if approver not in leaving and not leaving.isdisjoint(route.path)
        )
        weight = index.credibility[champion] * max(
            index.best_fit(approver, edge_filter) for approver in affected
        )
        floor = MIN_VALUE / weight * _FLOOR_MARGIN if weight > 0 else 0.0
        routes = index.network.best_from(
            champion, edge_filter, affected, index.max_hops, leaving, floor
        )
        return [
            play
            for route in routes.values()
            for play in index.candidates(champion, edge_filter, route)
        ]


_FLOOR_MARGIN = 1.0 - 1e-9
"""Floors are lowered a hair so rounding in ``value = reach·credibility·fit`` never drops a
candidate worth exactly the minimum."""


def deal_dependencies(
    graph: Subgraph,
    replanner: Replanner,
    chosen: Sequence[Candidate],
    win_probability_with_plan: float,
) -> tuple[DealDependency, ...]:
    """The people on the plan's paths whose loss costs the plan >= 0.02, largest first."""
    people = dict.fromkeys(node for play in chosen for node in play.path)
    found = []
    for person in people:
        without = replanner.win_probability_with_plan(frozenset({person}))
        drop = win_probability_with_plan - without
        if drop >= MIN_DROP:
            sentence = _explain(graph, chosen, person, win_probability_with_plan, without)
            found.append(DealDependency(person, without, drop, sentence))
    found.sort(key=lambda d: (-d.drop, name_of(graph, d.stakeholder_id), d.stakeholder_id))
    return tuple(found)


def _plays(count: int) -> str:
    return f"{count} play{'s' if count != 1 else ''}"


def _explain(
    graph: Subgraph, chosen: Sequence[Candidate], person: str, before: float, after: float
) -> str:
    """What losing ``person`` costs, and which part of the plan they carry.

    Example:
        "Losing Dana, who runs 2 plays of the plan and relays 1, would take the win
        probability with the plan from 0.67 to 0.41 (-0.26)."
    """
    runs = sum(1 for play in chosen if play.champion_id == person)
    relays = sum(1 for play in chosen if person in play.path[1:-1])
    targeted = sum(1 for play in chosen if play.approver_id == person)
    parts = []
    if runs:
        parts.append(f"runs {_plays(runs)} of the plan")
    if relays:
        parts.append(
            f"relays {_plays(relays)}" if parts else f"relays {_plays(relays)} of the plan"
        )
    if targeted:
        parts.append(
            f"is the approver of {_plays(targeted)}"
            if parts
            else f"is the approver of {_plays(targeted)} in the plan"
        )
    vacancy = "; their seat would stand vacant, its holder unknown" if targeted else ""
    return (
        f"Losing {name_of(graph, person)}, who {listing(parts)}, would take the win "
        f"probability with the plan from {before:.2f} to {after:.2f} (-{before - after:.2f})"
        f"{vacancy}."
    )
