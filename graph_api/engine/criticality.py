"""Criticality: how much one approver's decision moves the win probability.

``criticality(i) = P(win | i approves) - P(win | i refuses)``, every other approver at their
approval probability, under the decision rule the plan actually applies (after the
fallbacks of :func:`graph_api.engine.coaching.resolve_rule`):

- UNANIMOUS (and ECONOMIC_BUYER with none seated): the product of the others' probabilities.
- ECONOMIC_BUYER: 1 for the economic buyer, 0 for everyone else; with several economic buyers
  seated (all must approve) the product of the other buyers' probabilities.
- MAJORITY / THRESHOLD: the exact vote dynamic programme of
  :mod:`graph_api.engine.probability`, run with the approver fixed to yes and to no.
- An approver whose vote does not count (vote weight <= 0), or a committee nobody can win
  (no approver mapped), has criticality 0.

The win probability is multilinear in each approver's probability, so criticality is also the
derivative of the win probability in that approver: it names the approvers that decide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph_api.domain.enums import DecisionRule
from graph_api.engine.explanation import name_of
from graph_api.engine.model import Subgraph
from graph_api.engine.probability import WinRule


def criticalities(
    rule: WinRule, approvers: Sequence[str], approval: Mapping[str, float]
) -> dict[str, float]:
    """Each approver's criticality given everyone's approval probability."""
    return {approver: criticality(rule, approval, approver) for approver in approvers}


def criticality(rule: WinRule, approval: Mapping[str, float], approver: str) -> float:
    """``P(win | approver approves) - P(win | approver refuses)``, exactly.

    For the vote rules this is the probability that the approver is pivotal — that the
    others' approving weight lands in ``[needed - weight, needed)`` — summed from the vote
    programme over the others, so it is a sum of non-negative terms: exactly 0 for an
    approver who can never tip the vote, never a difference of two nearly equal floats.
    """
    if approver not in rule.voters:
        return 0.0
    if rule.rule in (DecisionRule.UNANIMOUS, DecisionRule.ECONOMIC_BUYER):
        return rule.swing(approval, approver)
    if rule.needed <= 0:
        return 0.0
    sums: dict[int, float] = {0: 1.0}
    own = 0
    for voter, weight in zip(rule.voters, rule.weights, strict=True):
        if voter == approver:
            own = weight
            continue
        p = approval[voter]
        following: dict[int, float] = {}
        for total, mass in sums.items():
            yes = min(total + weight, rule.needed)
            following[yes] = following.get(yes, 0.0) + mass * p
            following[total] = following.get(total, 0.0) + mass * (1.0 - p)
        sums = following
    return sum(mass for total, mass in sums.items() if rule.needed - own <= total < rule.needed)


def explain_criticality(
    graph: Subgraph, rule: WinRule, approval: Mapping[str, float], approver: str
) -> str:
    """Why the approver matters this much, in the rule's own terms (baseline probabilities).

    Example:
        "Every approver must sign: if Chris approves the deal is won with probability 0.38,
        if Chris refuses it is lost (criticality 0.38)."
    """
    name = name_of(graph, approver)
    if approver not in rule.voters:
        if rule.rule is DecisionRule.ECONOMIC_BUYER:
            buyers = " and ".join(name_of(graph, b) for b in rule.voters)
            return (
                f"Under the economic-buyer rule only {buyers} decides; {name}'s approval does "
                "not change the outcome (criticality 0.00)."
            )
        if not rule.voters:
            return f"Nobody's vote counts yet, so {name}'s does not either (criticality 0.00)."
        return f"{name}'s vote carries no weight, so it does not change the outcome (0.00)."
    approves = rule.probability({**approval, approver: 1.0})
    refuses = rule.probability({**approval, approver: 0.0})
    swing = criticality(rule, approval, approver)
    if swing <= 0:
        return (
            f"The {_RULE_WORDS[rule.rule]} is settled by the others either way; "
            f"{name}'s decision does not change it (criticality 0.00)."
        )
    if rule.rule is DecisionRule.ECONOMIC_BUYER:
        lead = (
            f"{name} holds the budget and decides alone"
            if len(rule.voters) == 1
            else f"{name} is one of the economic buyers, who must all sign"
        )
    elif rule.rule is DecisionRule.UNANIMOUS:
        lead = "Every approver must sign"
    else:
        lead = f"{name}'s vote can tip the {_RULE_WORDS[rule.rule]}"
    outcome = "it is lost" if refuses <= 0 else f"it is won with probability {refuses:.2f}"
    return (
        f"{lead}: if {name} approves the deal is won with probability {approves:.2f}, "
        f"if {name} refuses {outcome} (criticality {swing:.2f})."
    )


_RULE_WORDS: dict[DecisionRule, str] = {
    DecisionRule.UNANIMOUS: "unanimous decision",
    DecisionRule.ECONOMIC_BUYER: "economic buyers' decision",
    DecisionRule.MAJORITY: "majority vote",
    DecisionRule.THRESHOLD: "threshold vote",
}
