"""Who is who on the committee: approvers, champions, opponents and relay factors.

An opponent "by advocacy" is anyone who advocates a non-``OURS`` alternative with strength
>= 0.5. Advocacy and seat stance are read independently and never reconciled (a
contradiction is reported, never silently resolved), so a seated CHAMPION who also pushes a
competitor is both a champion (can run plays) and an opponent (can be a threat), and relays
at the lower of the two factors: min(stance factor, 0.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.domain.enums import AlternativeKind, CommitteeRole, Stance
from graph_api.engine.model import Subgraph

OPPONENT_ADVOCACY_STRENGTH = 0.5
ADVOCACY_OPPONENT_RELAY = 0.3
UNSEATED_RELAY = 0.8

RELAY_BY_STANCE: dict[Stance, float] = {
    Stance.CHAMPION: 1.0,
    Stance.SUPPORTER: 1.0,
    Stance.NEUTRAL: 0.8,
    Stance.UNKNOWN: 0.8,
    Stance.SKEPTIC: 0.3,
    Stance.BLOCKER: 0.0,
}

CREDIBILITY_BY_STANCE: dict[Stance, float] = {Stance.CHAMPION: 1.0, Stance.SUPPORTER: 0.6}

APPROVER_ROLES = frozenset({CommitteeRole.ECONOMIC_BUYER, CommitteeRole.APPROVER})


@dataclass(frozen=True)
class Committee:
    """The classification of one subgraph's stakeholders, computed once per plan.

    ``champions`` maps each champion to their credibility; ``relay`` holds the factor of
    everyone seated or advocating (anyone else relays at ``UNSEATED_RELAY``); ``pushes``
    names each rival advocate's strongest non-OURS alternative (ties by id).
    """

    approvers: tuple[str, ...]
    champions: dict[str, float]
    opponents: frozenset[str]
    relay: dict[str, float]
    pushes: dict[str, str]
    ours_advocacy: dict[str, float]
    rival_advocacy: dict[str, float]


def read_committee(graph: Subgraph) -> Committee:
    """Classify the committee of ``graph`` (see the module docstring for the rules)."""
    ours: dict[str, float] = {}
    rival: dict[str, float] = {}
    pushes: dict[str, tuple[float, str]] = {}  # (-strength, alternative id): min is strongest
    for advocacy in graph.advocacy:
        alternative = graph.alternatives.get(advocacy.alternative_id)
        if alternative is None:
            continue
        who = advocacy.stakeholder_id
        if alternative.kind is AlternativeKind.OURS:
            ours[who] = max(ours.get(who, 0.0), advocacy.strength)
            continue
        rival[who] = max(rival.get(who, 0.0), advocacy.strength)
        candidate = (-advocacy.strength, advocacy.alternative_id)
        pushes[who] = min(pushes.get(who, candidate), candidate)

    advocacy_opponents = {
        who for who, strength in rival.items() if strength >= OPPONENT_ADVOCACY_STRENGTH
    }
    stance_opponents = {
        seat.stakeholder_id
        for seat in graph.seats.values()
        if seat.stance in (Stance.SKEPTIC, Stance.BLOCKER)
    }

    relay: dict[str, float] = {
        seat.stakeholder_id: RELAY_BY_STANCE[seat.stance] for seat in graph.seats.values()
    }
    for who in advocacy_opponents:
        relay[who] = min(relay.get(who, UNSEATED_RELAY), ADVOCACY_OPPONENT_RELAY)

    approvers = tuple(
        sorted(
            (seat for seat in graph.seats.values() if is_approver_role(seat.role, seat.veto)),
            key=lambda seat: (
                _role_rank(seat.role),
                _name(graph, seat.stakeholder_id),
                seat.stakeholder_id,
            ),
        )
    )
    champions = {
        seat.stakeholder_id: CREDIBILITY_BY_STANCE[seat.stance]
        for seat in graph.seats.values()
        if seat.stance in CREDIBILITY_BY_STANCE
    }
    return Committee(
        approvers=tuple(seat.stakeholder_id for seat in approvers),
        champions=champions,
        opponents=frozenset(advocacy_opponents | stance_opponents),
        relay=relay,
        pushes={who: alternative for who, (_, alternative) in pushes.items()},
        ours_advocacy=ours,
        rival_advocacy=rival,
    )


def is_approver_role(role: CommitteeRole, veto: bool) -> bool:
    return role in APPROVER_ROLES or veto


def _role_rank(role: CommitteeRole) -> int:
    if role is CommitteeRole.ECONOMIC_BUYER:
        return 0
    if role is CommitteeRole.APPROVER:
        return 1
    return 2


def _name(graph: Subgraph, stakeholder_id: str) -> str:
    person = graph.people.get(stakeholder_id)
    return person.name if person is not None else stakeholder_id
