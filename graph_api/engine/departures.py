"""Departures and what-ifs: the account as if some stakeholders had left.

:func:`without_people` is a pure subgraph transform; the plan of the result is the normal
plan. Whoever leaves takes with them their seat, every edge touching them (influences,
conflicts, concerns, coaching, what they heard) and their advocacy. A seat they held on an
approver role (economic buyer, approver, or any seat with a veto) stays, now stance
``UNKNOWN`` and unverified, with no edges: someone will fill it but nobody knows who, so the
decision rule keeps its shape. The person stays in ``people`` only to name that vacant seat.

Someone counts as departed when their ``left_at`` is on or before ``Options.today`` (any
recorded ``left_at`` when no date is given); a ``left_at`` still ahead is only announced.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date

from graph_api.domain.enums import Stance
from graph_api.engine.committee import is_approver_role
from graph_api.engine.explanation import name_of
from graph_api.engine.model import Options, Seat, Subgraph
from graph_api.errors import InvalidInput, Problem


def departed(graph: Subgraph, today: date | None) -> dict[str, date]:
    """Who has left by ``today`` (every recorded departure when ``today`` is None)."""
    return {
        person.id: person.left_at
        for person in graph.people.values()
        if person.left_at is not None and (today is None or person.left_at <= today)
    }


def check_without(graph: Subgraph, options: Options) -> None:
    """Raise :class:`InvalidInput` for every ``without`` id that is not on the account."""
    unknown = sorted(who for who in options.without if who not in graph.people)
    if unknown:
        raise InvalidInput(
            [
                Problem("options.without", f"'{who}' is not a stakeholder of this account")
                for who in unknown
            ]
        )


def without_people(graph: Subgraph, leaving: Collection[str]) -> Subgraph:
    """``graph`` as if everyone in ``leaving`` had left (see the module docstring)."""
    gone = frozenset(leaving)
    if not gone:
        return graph
    seats: dict[str, Seat] = {}
    for who, seat in graph.seats.items():
        if who not in gone:
            seats[who] = seat
        elif is_approver_role(seat.role, seat.veto):
            seats[who] = replace(seat, stance=Stance.UNKNOWN, verified_at=None)
    return replace(
        graph,
        people={who: p for who, p in graph.people.items() if who not in gone or who in seats},
        seats=seats,
        influences=tuple(
            e for e in graph.influences if e.source not in gone and e.target not in gone
        ),
        conflicts=tuple(
            c for c in graph.conflicts if c.source not in gone and c.target not in gone
        ),
        advocacy=tuple(a for a in graph.advocacy if a.stakeholder_id not in gone),
        cares_about={who: c for who, c in graph.cares_about.items() if who not in gone},
        readiness={key: r for key, r in graph.readiness.items() if key[0] not in gone},
        heard={key: r for key, r in graph.heard.items() if key[0] not in gone},
    )


def departure_warnings(
    graph: Subgraph, what_if: Collection[str], left: Mapping[str, date], today: date | None
) -> list[str]:
    """Who left, who the what-if removes, who is about to leave; sorted by name within each."""

    def vacancy(who: str) -> str:
        seat = graph.seats.get(who)
        if seat is None or not is_approver_role(seat.role, seat.veto):
            return ""
        return (
            f"; their {seat.role.value} seat stays, stance UNKNOWN until you find out who "
            "replaces them"
        )

    def by_name(ids: Collection[str]) -> list[str]:
        return sorted(ids, key=lambda who: (name_of(graph, who), who))

    warnings = [
        f"{name_of(graph, who)} left on {left[who].isoformat()}: the plan counts them as "
        f"gone{vacancy(who)}."
        for who in by_name(left)
    ]
    warnings.extend(
        f"What if {name_of(graph, who)} left: the plan counts them as gone{vacancy(who)}."
        for who in by_name([w for w in what_if if w not in left])
    )
    if today is not None:
        leaving_soon = [
            p.id for p in graph.people.values() if p.left_at is not None and p.left_at > today
        ]
        warnings.extend(
            f"{name_of(graph, who)} leaves on {left_at.isoformat()}: line up who carries "
            "their part of the plan before then."
            for who in by_name(leaving_soon)
            if (left_at := graph.people[who].left_at) is not None
        )
    return warnings
