"""Approval and win probabilities.

An approver approves with a baseline probability set by their stance; each play on them
lifts it (``lift = 0.6·value``, combined as ``p + (1-p)·(1 - Π(1 - lift_i))``). Approvers
decide independently, and the opportunity's decision rule turns their probabilities into a
win probability:

- UNANIMOUS: the product over approvers.
- ECONOMIC_BUYER: the economic buyer's probability. With several economic buyers seated,
  each of them holds the budget, so all must approve (the product over them); with none,
  the rule falls back to UNANIMOUS.
- MAJORITY / THRESHOLD: the exact probability that the vote-weighted share of approving
  approvers exceeds 1/2 / reaches the threshold. Vote weights and the threshold are read as
  the decimals they were written as (``0.1`` is one tenth, not its nearest binary float) and
  scaled to integers, so the dynamic programme over achievable weight sums is exact: three
  approvers weighing 0.1, 0.2 and 0.3 tie at one half, which is not a majority. A THRESHOLD
  rule without a threshold in [0, 1] falls back to MAJORITY. Approvers with a vote weight
  <= 0 do not vote.
- No approvers at all: the win probability is 0.0 — nobody who can sign has been mapped, so
  the plan cannot claim any chance of a signature.

Because the win probability is multilinear in each approver's probability, the gain of
raising one approver from p to p' is ``(p' - p)·(W(approves) - W(rejects))``; the plan uses
:meth:`WinRule.swing` to price every candidate play without re-running the programme.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from graph_api.domain.enums import DecisionRule, Stance

BASELINE_BY_STANCE: dict[Stance, float] = {
    Stance.CHAMPION: 0.9,
    Stance.SUPPORTER: 0.75,
    Stance.NEUTRAL: 0.5,
    Stance.UNKNOWN: 0.4,
    Stance.SKEPTIC: 0.3,
    Stance.BLOCKER: 0.1,
}
LIFT_PER_VALUE = 0.6


def lifted(probability: float, values: Iterable[float]) -> float:
    """The approval probability after plays of the given values."""
    remaining = 1.0
    for value in values:
        remaining *= 1.0 - LIFT_PER_VALUE * value
    return probability + (1.0 - probability) * (1.0 - remaining)


@dataclass(frozen=True)
class WinRule:
    """A decision rule resolved against the committee (after any fallback).

    ``voters`` are the approvers whose decision counts; for weighted rules ``weights`` are
    their integer-scaled vote weights and ``needed`` the weight sum that wins.
    """

    rule: DecisionRule
    voters: tuple[str, ...]
    weights: tuple[int, ...] = ()
    needed: int = 0

    def probability(self, approval: Mapping[str, float]) -> float:
        """The win probability given each approver's approval probability."""
        if not self.voters:
            return 0.0
        if self.rule in (DecisionRule.UNANIMOUS, DecisionRule.ECONOMIC_BUYER):
            return math.prod(approval[voter] for voter in self.voters)
        return self._weighted(approval)

    def swing(self, approval: Mapping[str, float], approver_id: str) -> float:
        """How much the win probability moves per unit of ``approver_id``'s probability."""
        if approver_id not in self.voters:
            return 0.0
        approves = self.probability({**approval, approver_id: 1.0})
        rejects = self.probability({**approval, approver_id: 0.0})
        return approves - rejects

    def _weighted(self, approval: Mapping[str, float]) -> float:
        if self.needed <= 0:
            return 1.0
        # Sums at or above ``needed`` all win, so they share one bucket.
        sums: dict[int, float] = {0: 1.0}
        for voter, weight in zip(self.voters, self.weights, strict=True):
            p = approval[voter]
            following: dict[int, float] = {}
            for total, mass in sums.items():
                yes = min(total + weight, self.needed)
                following[yes] = following.get(yes, 0.0) + mass * p
                following[total] = following.get(total, 0.0) + mass * (1.0 - p)
            sums = following
        return min(1.0, max(0.0, sums.get(self.needed, 0.0)))


def weighted_rule(
    rule: DecisionRule,
    voters: Iterable[tuple[str, float]],
    threshold: float | None,
) -> WinRule:
    """A MAJORITY or THRESHOLD rule over (approver id, vote weight) pairs, scaled exactly."""
    counted = [(voter, _decimal(weight)) for voter, weight in voters if weight > 0]
    if not counted:
        return WinRule(rule, ())
    scale = math.lcm(*(weight.denominator for _, weight in counted))
    weights = tuple(int(weight * scale) for _, weight in counted)
    total = sum(weights)
    if rule is DecisionRule.THRESHOLD and threshold is not None:
        needed = math.ceil(_decimal(threshold) * total)
    else:
        needed = total // 2 + 1  # strictly more than half
    return WinRule(rule, tuple(voter for voter, _ in counted), weights, needed)


def _decimal(number: float) -> Fraction:
    return Fraction(repr(float(number)))
