"""GraphQL types of the coaching plan, influence paths and the explorer's account graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

import strawberry

from graph_api.api.map.types import lazy
from graph_api.api.scalars import (
    AlternativeKind,
    CommitteeRole,
    ConcernCategory,
    CoverageStatus,
    DecisionRule,
    PlayAction,
    Seniority,
    Stance,
)

if TYPE_CHECKING:  # the map's types are made at run time from the domain's declarations
    StakeholderT: TypeAlias = Any
    ArgumentT: TypeAlias = Any
    AlternativeT: TypeAlias = Any
    OpportunityT: TypeAlias = Any
    AccountT: TypeAlias = Any
else:
    StakeholderT = lazy("Stakeholder")
    ArgumentT = lazy("Argument")
    AlternativeT = lazy("Alternative")
    OpportunityT = lazy("Opportunity")
    AccountT = lazy("Account")


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
    champion: StakeholderT
    argument: ArgumentT
    approver: StakeholderT
    action: PlayAction
    path: list[StakeholderT]
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
    opponent: StakeholderT
    reach: float
    path: list[StakeholderT]
    alternative: AlternativeT | None


@strawberry.type(description="Someone worth turning into a champion to reach the approver.")
class DevelopCandidate:
    stakeholder: StakeholderT
    reach: float
    path: list[StakeholderT]
    reachable_by: list[StakeholderT] = strawberry.field(
        description="Champions who can reach this candidate, best first."
    )


@strawberry.type
class ApproverAssessment:
    approver: StakeholderT
    role: CommitteeRole
    stance: Stance
    status: CoverageStatus
    approval_probability: float
    approval_probability_with_plan: float
    plays: list[Play]
    threats: list[Threat]
    develop_candidates: list[DevelopCandidate]


@strawberry.type(description="Which champion to coach on which argument to reach each approver.")
class CoachingPlan:
    opportunity: OpportunityT
    decision_rule: DecisionRule
    win_probability: float
    win_probability_with_plan: float
    approvers: list[ApproverAssessment]
    plan: list[Play]
    warnings: list[str]


@strawberry.type(description="A simple influence path and its reach (product of strengths).")
class InfluencePath:
    path: list[StakeholderT]
    reach: float


@strawberry.type(description="A stakeholder or an alternative, ready for a graph explorer.")
class GraphNode:
    id: strawberry.ID
    external_id: str | None
    kind: str
    label: str
    title: str | None = None
    department: str | None = None
    seniority: Seniority | None = None
    role: CommitteeRole | None = None
    stance: Stance | None = None
    veto: bool | None = None
    vote_weight: float | None = None
    stance_evidence: str | None = None
    is_approver: bool = strawberry.field(
        default=False, description="The engine's rule: role ECONOMIC_BUYER or APPROVER, or a veto."
    )
    is_champion: bool = strawberry.field(
        default=False, description="The engine's rule: stance CHAMPION or SUPPORTER."
    )
    is_opponent: bool = strawberry.field(
        default=False,
        description="The engine's rule: stance SKEPTIC or BLOCKER, or pushing a rival at 0.5+.",
    )
    alternative_kind: AlternativeKind | None = None


@strawberry.type(description="A relationship for the explorer; kind is its Neo4j type.")
class GraphEdge:
    id: strawberry.ID
    source: strawberry.ID
    target: strawberry.ID
    kind: str
    weight: float | None = None
    topics: list[ConcernCategory] = strawberry.field(default_factory=list)
    evidence: str | None = None


@strawberry.type
class AccountGraph:
    account: AccountT
    opportunity: OpportunityT | None
    nodes: list[GraphNode]
    edges: list[GraphEdge]


