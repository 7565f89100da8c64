"""Fit: how well an argument answers what an approver weighs.

``fit(arg, A) = Σ w(A,c)·fit(arg,c) / Σ w(A,c)`` over A's concerns. The herd bonus (*1.2,
capped at 1) belongs to that concern match: a ``HERD`` argument citing a reference account
in the target account's industry (compared case-insensitively) matches better, but never
more than perfectly. The reception factor then discounts what A already heard (NEGATIVE
0.25, POSITIVE 0.5, NEUTRAL 0.8), so a positively heard perfect herd argument is 0.5.

When A's concerns are unknown, every argument fits 0.3 times the reception factor, with no
herd bonus (the rule is 0.3 for every argument). A ``CARES_ABOUT`` or ``ADDRESSES`` naming a
concern that is not in the playbook is ignored (and reported as a warning by the plan).
"""

from __future__ import annotations

from graph_api.domain.enums import ArgumentKind, Reception
from graph_api.engine.model import Argument, Concern, Subgraph

RECEPTION_FACTOR: dict[Reception, float] = {
    Reception.NEGATIVE: 0.25,
    Reception.POSITIVE: 0.5,
    Reception.NEUTRAL: 0.8,
}
UNKNOWN_CONCERNS_FIT = 0.3
HERD_BONUS = 1.2


def known_concerns(graph: Subgraph, stakeholder_id: str) -> dict[str, float]:
    """The stakeholder's concerns that exist in the playbook, with a positive weight."""
    return {
        concern_id: weight
        for concern_id, weight in graph.cares_about.get(stakeholder_id, {}).items()
        if concern_id in graph.concerns and weight > 0
    }


def reception_factor(graph: Subgraph, argument_id: str, approver_id: str) -> float:
    reception = graph.heard.get((approver_id, argument_id))
    return 1.0 if reception is None else RECEPTION_FACTOR[reception]


def cites_peer(graph: Subgraph, argument: Argument) -> bool:
    """Whether the herd bonus applies: a HERD argument citing a same-industry reference."""
    if argument.kind is not ArgumentKind.HERD or not graph.account_industry:
        return False
    industry = graph.account_industry.casefold()
    return any(cited.casefold() == industry for cited in argument.cited_industries)


def fit(graph: Subgraph, argument: Argument, approver_id: str) -> float:
    """``fit(argument, approver)`` as defined in the module docstring."""
    factor = reception_factor(graph, argument.id, approver_id)
    concerns = known_concerns(graph, approver_id)
    if not concerns:
        return UNKNOWN_CONCERNS_FIT * factor
    match = sum(
        weight * argument.addresses.get(concern_id, 0.0) for concern_id, weight in concerns.items()
    ) / sum(concerns.values())
    if cites_peer(graph, argument):
        match = min(1.0, match * HERD_BONUS)
    return match * factor


def top_concern(graph: Subgraph, approver_id: str) -> Concern | None:
    """The concern the approver weighs highest (ties by name, then id); None if unknown."""
    concerns = known_concerns(graph, approver_id)
    if not concerns:
        return None
    best = min(
        concerns,
        key=lambda cid: (-concerns[cid], graph.concerns[cid].name, cid),
    )
    return graph.concerns[best]
