"""The coaching plan, influence paths and the explorer's account graph over GraphQL.

Each root field loads its account's map in one Cypher round trip, runs the pure engine and
shapes the answer; stakeholders in the answer come from the same load (no further queries).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry

from graph_api import engine
from graph_api.api.context import Info
from graph_api.api.types import (
    Account,
    Alternative,
    AlternativeKind,
    Argument,
    CommitteeRole,
    ConcernCategory,
    CoverageStatus,
    DecisionRule,
    Opportunity,
    PlayAction,
    Seniority,
    Stakeholder,
    Stance,
)
from graph_api.domain import enums
from graph_api.domain.models import Node as StoredNode
from graph_api.errors import NotFound
from graph_api.observability.timing import timed_engine
from graph_api.repositories.subgraph import (
    AccountMap,
    coaching_options,
    load_account_map,
    to_engine_subgraph,
)


@strawberry.input(
    description="Tuning of the coaching model; ranges are enforced. A field left out takes the"
    " tenant's setting (see tenantSettings), else the model's default."
)
class CoachingOptions:
    max_hops: int | None = strawberry.field(
        default=None, description="Longest influence path, 1-6 (model default 3)."
    )
    capacity_per_champion: int | None = strawberry.field(
        default=None, description="Plays one champion can carry in the plan, 1-10 (default 2)."
    )
    top_plays_per_approver: int | None = strawberry.field(
        default=None, description="Plays listed per approver, 1-20 (default 3)."
    )


@strawberry.type(description="Coach (or deploy) a champion on an argument to move an approver.")
class Play:
    champion: Stakeholder
    argument: Argument
    approver: Stakeholder
    action: PlayAction  # type: ignore[valid-type]
    path: list[Stakeholder]
    reach: float
    fit: float
    value: float
    credibility: float = strawberry.field(description="1.0 for a champion, 0.6 for a supporter.")
    readiness: float | None = strawberry.field(
        description="How ready the champion is on this argument now (COACHED_ON), if recorded."
    )
    explanation: str


@strawberry.type(description="An opponent who can reach the approver, and what they push.")
class Threat:
    opponent: Stakeholder
    reach: float
    path: list[Stakeholder]
    alternative: Alternative | None


@strawberry.type(description="Someone worth turning into a champion to reach the approver.")
class DevelopCandidate:
    stakeholder: Stakeholder
    reach: float
    path: list[Stakeholder]
    reachable_by: list[Stakeholder] = strawberry.field(
        description="Champions who can reach this candidate, best first."
    )


@strawberry.type
class ApproverAssessment:
    approver: Stakeholder
    role: CommitteeRole  # type: ignore[valid-type]
    stance: Stance  # type: ignore[valid-type]
    status: CoverageStatus  # type: ignore[valid-type]
    approval_probability: float
    approval_probability_with_plan: float
    plays: list[Play]
    threats: list[Threat]
    develop_candidates: list[DevelopCandidate]


@strawberry.type(description="Which champion to coach on which argument to reach each approver.")
class CoachingPlan:
    opportunity: Opportunity
    decision_rule: DecisionRule  # type: ignore[valid-type]
    win_probability: float
    win_probability_with_plan: float
    approvers: list[ApproverAssessment]
    plan: list[Play]
    warnings: list[str]


@strawberry.type(description="A simple influence path and its reach (product of strengths).")
class InfluencePath:
    path: list[Stakeholder]
    reach: float


@strawberry.type(description="A stakeholder or an alternative, ready for a graph explorer.")
class GraphNode:
    id: strawberry.ID
    external_id: str | None
    kind: str
    label: str
    title: str | None = None
    department: str | None = None
    seniority: Seniority | None = None  # type: ignore[valid-type]
    role: CommitteeRole | None = None  # type: ignore[valid-type]
    stance: Stance | None = None  # type: ignore[valid-type]
    veto: bool | None = None
    vote_weight: float | None = None
    stance_evidence: str | None = None
    is_approver: bool = False
    is_champion: bool = False
    is_opponent: bool = False
    alternative_kind: AlternativeKind | None = None  # type: ignore[valid-type]


@strawberry.type(description="A relationship for the explorer; kind is its Neo4j type.")
class GraphEdge:
    id: strawberry.ID
    source: strawberry.ID
    target: strawberry.ID
    kind: str
    weight: float | None = None
    topics: list[ConcernCategory] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    evidence: str | None = None


@strawberry.type
class AccountGraph:
    account: Account
    opportunity: Opportunity | None
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class _Resolver:
    """Turns the engine's ids back into GraphQL objects from the loaded map."""

    def __init__(self, account_map: AccountMap) -> None:
        self.people = {p.id: Stakeholder.from_node(p) for p in account_map.people}
        self.alternatives = {x.id: Alternative.from_node(x) for x in account_map.alternatives}
        self.arguments = {
            g["node"]["id"]: Argument.from_node(StoredNode.from_record("Argument", g["node"]))
            for g in account_map.arguments
        }

    def person(self, stakeholder_id: str) -> Stakeholder:
        return self.people[stakeholder_id]

    def path(self, ids: Iterable[str]) -> list[Stakeholder]:
        return [self.people[i] for i in ids]

    def play(self, play: engine.Play) -> Play:
        return Play(
            champion=self.person(play.champion_id),
            argument=self.arguments[play.argument_id],
            approver=self.person(play.approver_id),
            action=play.action,
            path=self.path(play.path),
            reach=play.reach,
            fit=play.fit,
            value=play.value,
            credibility=play.credibility,
            readiness=play.readiness,
            explanation=play.explanation,
        )

    def assessment(self, a: engine.ApproverAssessment) -> ApproverAssessment:
        return ApproverAssessment(
            approver=self.person(a.approver_id),
            role=a.role,
            stance=a.stance,
            status=a.status,
            approval_probability=a.approval_probability,
            approval_probability_with_plan=a.approval_probability_with_plan,
            plays=[self.play(p) for p in a.plays],
            threats=[
                Threat(
                    opponent=self.person(t.opponent_id),
                    reach=t.reach,
                    path=self.path(t.path),
                    alternative=(
                        None if t.alternative_id is None else self.alternatives[t.alternative_id]
                    ),
                )
                for t in a.threats
            ],
            develop_candidates=[
                DevelopCandidate(
                    stakeholder=self.person(d.stakeholder_id),
                    reach=d.reach,
                    path=self.path(d.path),
                    reachable_by=self.path(d.reachable_by),
                )
                for d in a.develop_candidates
            ],
        )


def _edge(kind: str, row: dict[str, Any], source_key: str, target_key: str) -> GraphEdge:
    """One explorer edge; its id names the relationship type and both ends."""
    source, target = row[source_key], row[target_key]
    return GraphEdge(
        id=strawberry.ID(f"{kind}:{source}:{target}"),
        source=source,
        target=target,
        kind=kind,
        weight=row.get("strength"),
        topics=[enums.ConcernCategory(t) for t in row.get("topics") or []],
        evidence=row.get("evidence"),
    )


def account_graph_of(account_map: AccountMap) -> AccountGraph:
    """Nodes and edges of the map; seat fields and alternatives when an opportunity is given."""
    graph = to_engine_subgraph(account_map)
    champions = {
        s
        for s, seat in graph.seats.items()
        if seat.stance in (enums.Stance.CHAMPION, enums.Stance.SUPPORTER)
    }
    pushes_rival = {
        a.stakeholder_id
        for a in graph.advocacy
        if a.strength >= 0.5
        and graph.alternatives[a.alternative_id].kind is not enums.AlternativeKind.OURS
    }
    seats = {s["stakeholder"]: s for s in account_map.seats}
    nodes: list[GraphNode] = []
    for person in account_map.people:
        seat = seats.get(person.id)
        engine_seat = graph.seats.get(person.id)
        nodes.append(
            GraphNode(
                id=strawberry.ID(person.id),
                external_id=person.external_id,
                kind="Stakeholder",
                label=str(person.get("name")),
                title=person.get("title"),
                department=person.get("department"),
                seniority=(
                    None
                    if person.get("seniority") is None
                    else enums.Seniority(person.get("seniority"))
                ),
                role=None if engine_seat is None else engine_seat.role,
                stance=None if engine_seat is None else engine_seat.stance,
                veto=None if engine_seat is None else engine_seat.veto,
                vote_weight=None if engine_seat is None else engine_seat.vote_weight,
                stance_evidence=None if seat is None else seat["stanceEvidence"],
                is_approver=engine_seat is not None
                and (
                    engine_seat.veto
                    or engine_seat.role
                    in (enums.CommitteeRole.ECONOMIC_BUYER, enums.CommitteeRole.APPROVER)
                ),
                is_champion=person.id in champions,
                is_opponent=person.id in pushes_rival
                or (
                    engine_seat is not None
                    and engine_seat.stance in (enums.Stance.SKEPTIC, enums.Stance.BLOCKER)
                ),
            )
        )
    nodes.extend(
        GraphNode(
            id=strawberry.ID(x.id),
            external_id=x.external_id,
            kind="Alternative",
            label=str(x.get("name")),
            alternative_kind=enums.AlternativeKind(x.get("kind")),
        )
        for x in account_map.alternatives
    )
    edges = [
        _edge(kind, row, source, target)
        for kind, rows, source, target in (
            ("REPORTS_TO", account_map.reports_to, "source", "target"),
            ("INFLUENCES", account_map.influences, "source", "target"),
            ("CONFLICTS_WITH", account_map.conflicts, "source", "target"),
            ("ADVOCATES_FOR", account_map.advocacy, "stakeholder", "alternative"),
        )
        for row in rows
    ]
    edges.sort(key=lambda e: str(e.id))
    return AccountGraph(
        account=Account.from_node(account_map.account),
        opportunity=(
            None
            if account_map.opportunity is None
            else Opportunity.from_node(account_map.opportunity)
        ),
        nodes=nodes,
        edges=edges,
    )


@strawberry.type
class CoachingQuery:
    @strawberry.field(description="The coaching plan of one opportunity (DESIGN section 3).")
    async def coaching_plan(
        self, info: Info, opportunity_id: strawberry.ID, options: CoachingOptions | None = None
    ) -> CoachingPlan:
        given = options or CoachingOptions()
        account_map = await load_account_map(
            info.context.database, info.context.tenant_id, opportunity_id=str(opportunity_id)
        )
        engine_options = coaching_options(
            account_map, given.max_hops, given.capacity_per_champion, given.top_plays_per_approver
        )
        with timed_engine("coaching_plan"):
            result = engine.coaching_plan(to_engine_subgraph(account_map), engine_options)
        resolve = _Resolver(account_map)
        assert account_map.opportunity is not None  # the loader raised NotFound otherwise
        return CoachingPlan(
            opportunity=Opportunity.from_node(account_map.opportunity),
            decision_rule=result.decision_rule,
            win_probability=result.win_probability,
            win_probability_with_plan=result.win_probability_with_plan,
            approvers=[resolve.assessment(a) for a in result.approvers],
            plan=[resolve.play(p) for p in result.plan],
            warnings=list(result.warnings),
        )

    @strawberry.field(
        description="The best simple influence paths between two stakeholders of one account,"
        " best reach first. With an opportunity, relays are weighed by their seat stance."
    )
    async def influence_paths(
        self,
        info: Info,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        max_hops: int = 3,
        first: int = 5,
        opportunity_id: strawberry.ID | None = None,
    ) -> list[InfluencePath]:
        account_map = await load_account_map(
            info.context.database,
            info.context.tenant_id,
            stakeholder_id=str(from_id),
            opportunity_id=None if opportunity_id is None else str(opportunity_id),
        )
        graph = to_engine_subgraph(account_map)
        if str(to_id) not in graph.people:
            raise NotFound("Stakeholder", str(to_id))
        resolve = _Resolver(account_map)
        with timed_engine("influence_paths"):
            found = engine.influence_paths(graph, str(from_id), str(to_id), max_hops, first)
        return [InfluencePath(path=resolve.path(p.path), reach=p.reach) for p in found]

    @strawberry.field(description="An account's map as nodes and edges for a graph explorer.")
    async def account_graph(
        self, info: Info, account_id: strawberry.ID, opportunity_id: strawberry.ID | None = None
    ) -> AccountGraph:
        account_map = await load_account_map(
            info.context.database,
            info.context.tenant_id,
            account_id=str(account_id),
            opportunity_id=None if opportunity_id is None else str(opportunity_id),
        )
        return account_graph_of(account_map)
