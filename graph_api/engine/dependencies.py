"""Deal dependencies: what losing one person on the plan's paths costs the plan.

For every stakeholder on a chosen play's path (champions, relays and approvers alike), the
whole plan is recomputed as if they had left (:func:`graph_api.engine.departures.without_people`:
gone with their edges and advocacy, an approver seat left vacant with stance UNKNOWN) and
``drop = winProbabilityWithPlan - winProbabilityWithPlan(without them)``. Those whose loss
costs at least 0.02 are listed, largest drop first, then by name and id.

The replan shares the network and the searches of the plan (:class:`Replanner`): a departure
changes no fit, credibility, relay factor or decision rule, only paths through the person,
the person's own plays, and — for an approver — their baseline (now UNKNOWN's) and the plays
on them (none: a vacant seat has no edges). So only the searches whose best route ran through
the person are redone, and the greedy plan runs again over the candidates that are left.
The answer is the plan of the rebuilt subgraph, exactly (a property test checks it).
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

MIN_DROP = 0.02


@dataclass(frozen=True)
class Replanner:
    """Recomputes a plan's win probability with the plan as if some people had left."""

    index: PlayIndex
    rule: WinRule
    baseline: Mapping[str, float]
    capacity: int
    budget: Budget

    def win_probability_with_plan(self, leaving: frozenset[str]) -> float:
        vacant = BASELINE_BY_STANCE[Stance.UNKNOWN]
        baseline = {a: vacant if a in leaving else p for a, p in self.baseline.items()}
        chosen = greedy_plan(
            self.index.without(leaving, MIN_VALUE),
            self.rule,
            baseline,
            self.capacity,
            self.budget,
        )
        with_plan = {
            a: lifted(p, (play.value for play in chosen if play.approver_id == a))
            for a, p in baseline.items()
        }
        return self.rule.probability(with_plan)


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
