"""One sentence per play that a seller can read aloud, built from the play's own numbers.

Example:
    "Dana Whitfield reaches Chris Novak (CFO) directly (0.80); Chris Novak weighs
    Operational downtime highest; coach Dana Whitfield on the German-shepherd
    (loss-avoidance) argument 'No more 3 a.m. outages' (fit 0.70, value 0.56)."
"""

from __future__ import annotations

from graph_api.domain.enums import ArgumentKind, PlayAction
from graph_api.engine.fit import top_concern
from graph_api.engine.model import Argument, Subgraph

KIND_IN_SELLER_WORDS: dict[ArgumentKind, str] = {
    ArgumentKind.HERD: "herd (peer proof)",
    ArgumentKind.GOLD_MEDAL: "gold-medal (gain)",
    ArgumentKind.GERMAN_SHEPHERD: "German-shepherd (loss-avoidance)",
    ArgumentKind.ROI: "ROI",
    ArgumentKind.TECHNICAL_PROOF: "technical proof",
    ArgumentKind.STRATEGIC: "strategic",
}


def name_of(graph: Subgraph, stakeholder_id: str) -> str:
    person = graph.people.get(stakeholder_id)
    return person.name if person is not None else stakeholder_id


def with_title(graph: Subgraph, stakeholder_id: str) -> str:
    person = graph.people.get(stakeholder_id)
    if person is not None and person.title:
        return f"{person.name} ({person.title})"
    return name_of(graph, stakeholder_id)


def listing(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def explain_play(
    graph: Subgraph,
    *,
    argument: Argument,
    path: tuple[str, ...],
    action: PlayAction,
    reach: float,
    fit: float,
    value: float,
    readiness: float | None,
) -> str:
    """The sentence for one play (see the module example)."""
    champion, approver = path[0], path[-1]
    champion_name, approver_name = name_of(graph, champion), name_of(graph, approver)
    relays = [name_of(graph, node) for node in path[1:-1]]
    route = f"via {listing(relays)}" if relays else "directly"
    concern = top_concern(graph, approver)
    weighs = (
        f"{approver_name} weighs {concern.name} highest"
        if concern is not None
        else f"{approver_name}'s concerns are unknown"
    )
    pitch = f"the {KIND_IN_SELLER_WORDS[argument.kind]} argument '{argument.title}'"
    if action is PlayAction.DEPLOY:
        step = f"{champion_name} is ready ({readiness:.2f}) to make {pitch}"
    else:
        step = f"coach {champion_name} on {pitch}"
    return (
        f"{champion_name} reaches {with_title(graph, approver)} {route} ({reach:.2f}); "
        f"{weighs}; {step} (fit {fit:.2f}, value {value:.2f})."
    )
