"""The plan: a greedy choice of plays that most raise the win probability.

Each round prices every still-allowed candidate (from every approver's full list, not only
the plays shown) by the exact gain in win probability given the plays already chosen, and
takes the best; ties go to the higher value, then higher reach, then champion, argument and
approver ids. A champion runs at most ``capacity`` plays and an (approver, argument) pair is
played once. The plan stops when the best gain is below 0.005.

Greedy is not optimal, and it is not monotone either: giving it one more champion can
change an early pick and leave a slightly worse final plan. What it does guarantee is that
the plan is at least as good as the baseline plus the best single play (the first pick),
since every pick raises the win probability; that bound is monotone in the champions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph_api.engine.plays import Candidate
from graph_api.engine.probability import LIFT_PER_VALUE, WinRule

MIN_GAIN = 0.005


def greedy_plan(
    candidates: Iterable[Candidate],
    rule: WinRule,
    baseline: Mapping[str, float],
    capacity: int,
) -> list[Candidate]:
    """The chosen plays, in the order they were chosen (largest gain first)."""
    open_plays = sorted(candidates, key=_order)
    approval = dict(baseline)
    load: dict[str, int] = {}
    played: set[tuple[str, str]] = set()
    chosen: list[Candidate] = []
    while True:
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
