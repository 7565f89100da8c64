"""The plan: a greedy choice of plays that most raise the win probability.

Each round prices every still-allowed candidate (from every approver's full list, not only
the plays shown) by the exact gain in win probability given the plays already chosen, and
takes the best; ties go to the higher value, then higher reach, then champion, argument and
approver ids. A champion runs at most ``capacity`` plays and an (approver, argument) pair is
played once. The plan stops when the best gain is below 0.005.

Greedy is not optimal, and nothing in its construction makes it monotone in the champions:
one more champion can change an early pick (taking an (approver, argument) pair another
champion would have used), so "more champions never lowers the plan" is not claimed. (A
property search over tens of thousands of random committees found no counterexample.) What
is guaranteed, and tested, is the bound: the plan is at least the baseline plus the best
single play whenever that play gains >= 0.005 (it is the first pick and every later pick
raises the win probability), and that bound never drops when a champion is added, because
an added champion only adds plays and never lowers a reach, a credibility or a fit.

A play's gain is ``(1-p)·0.6·value·swing`` with every factor in [0, 1], so a play with
``0.6·value`` below 0.005 can never be chosen; such plays are dropped before the first round
(this changes no plan, it only saves work when a what-if replans many times).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph_api.domain.enums import PlayExclusionReason
from graph_api.engine.budget import Budget
from graph_api.engine.model import Play, Subgraph
from graph_api.engine.plays import Candidate
from graph_api.engine.probability import LIFT_PER_VALUE, WinRule

MIN_GAIN = 0.005
MIN_VALUE = MIN_GAIN / LIFT_PER_VALUE
"""The least value a play can have and still be chosen (see the module docstring)."""


def greedy_plan(
    candidates: Iterable[Candidate],
    rule: WinRule,
    baseline: Mapping[str, float],
    capacity: int,
    budget: Budget | None = None,
    prefix: Sequence[Candidate] = (),
) -> list[Candidate]:
    """The chosen plays, in the order they were chosen (largest gain first).

    ``prefix`` lists plays already known to be the first rounds' choices (a what-if that
    changes nothing they depend on); they are applied as if chosen, then the rounds go on.
    """
    approval = dict(baseline)
    load: dict[str, int] = {}
    played: set[tuple[str, str]] = set()
    chosen: list[Candidate] = []
    for play in prefix:
        chosen.append(play)
        load[play.champion_id] = load.get(play.champion_id, 0) + 1
        played.add((play.approver_id, play.argument_id))
        p = approval[play.approver_id]
        approval[play.approver_id] = p + (1.0 - p) * LIFT_PER_VALUE * play.value
    open_plays = sorted(
        (
            play
            for play in candidates
            if LIFT_PER_VALUE * play.value >= MIN_GAIN
            and (play.approver_id, play.argument_id) not in played
            and load.get(play.champion_id, 0) < capacity
        ),
        key=_order,
    )
    while True:
        if budget is not None:
            budget.spend(len(open_plays))
        swing = {
            approver: rule.swing(approval, approver)
            for approver in {play.approver_id for play in open_plays}
        }
        best: tuple[tuple[float, float, float], Candidate] | None = None
        for play in open_plays:
            p = approval[play.approver_id]
            gain = (1.0 - p) * LIFT_PER_VALUE * play.value * swing[play.approver_id]
            # Strictly greater: on equal scores the earlier play in ``_order`` stays.
            score = (gain, play.value, play.reach)
            if best is None or score > best[0]:
                best = (score, play)
        if best is None or best[0][0] < MIN_GAIN:
            return chosen
        play = best[1]
        chosen.append(play)
        load[play.champion_id] = load.get(play.champion_id, 0) + 1
        played.add((play.approver_id, play.argument_id))
        p = approval[play.approver_id]
        approval[play.approver_id] = p + (1.0 - p) * LIFT_PER_VALUE * play.value
        open_plays = [
            other
            for other in open_plays
            if other is not play
            and (other.approver_id, other.argument_id) not in played
            and load.get(other.champion_id, 0) < capacity
        ]


def _order(play: Candidate) -> tuple[str, str, str]:
    return (play.champion_id, play.argument_id, play.approver_id)


@dataclass(frozen=True)
class Exclusion:
    """Why a listed play is not in the plan, with a sentence a seller can read aloud."""

    reason: PlayExclusionReason
    explanation: str


PlayKey = tuple[str, str, str]
"""(champion, argument, approver)."""


def exclusions(
    graph: Subgraph, plan: Sequence[Play], listed: Iterable[Play], capacity: int
) -> dict[PlayKey, Exclusion]:
    """For each listed play the plan leaves out, why: the champion's capacity is used up, the
    (approver, argument) pair is already played by another champion, or (otherwise) the play
    would add less than :data:`MIN_GAIN` once the plan's plays are applied — which is where the
    greedy stopped."""
    load: dict[str, int] = {}
    pairs: dict[tuple[str, str], str] = {}
    chosen: set[PlayKey] = set()
    for play in plan:
        load[play.champion_id] = load.get(play.champion_id, 0) + 1
        pairs[play.approver_id, play.argument_id] = play.champion_id
        chosen.add((play.champion_id, play.argument_id, play.approver_id))

    def name(stakeholder_id: str) -> str:
        person = graph.people.get(stakeholder_id)
        return person.name if person is not None else stakeholder_id

    found: dict[PlayKey, Exclusion] = {}
    for play in listed:
        key = (play.champion_id, play.argument_id, play.approver_id)
        if key in chosen:
            continue
        argument = graph.arguments[play.argument_id].title
        other = pairs.get((play.approver_id, play.argument_id))
        if load.get(play.champion_id, 0) >= capacity:  # checked first: the cause of a pair
            found[key] = Exclusion(  # taken by another champion is often this capacity
                PlayExclusionReason.CHAMPION_CAPACITY,
                f"{name(play.champion_id)} already carries {capacity} plays in the plan, the "
                "most one champion is given; coach this one once those have landed.",
            )
        elif other is not None:
            found[key] = Exclusion(
                PlayExclusionReason.ARGUMENT_ALREADY_PLANNED,
                f"The plan already brings '{argument}' to {name(play.approver_id)} through "
                f"{name(other)}; one champion per argument and approver is enough.",
            )
        else:
            found[key] = Exclusion(
                PlayExclusionReason.BELOW_MIN_GAIN,
                f"With the plan's other plays in place this would raise the win probability "
                f"by less than {MIN_GAIN}, so the plan stops before it.",
            )
    return found
