"""GraphQL types of the coaching plan, influence paths and the explorer's account graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

import strawberry

from graph_api.api.map.types import lazy
from graph_api.api.scalars import (
    AlternativeKind,
    ChampionVerdict,
    CommitteeRole,
    ConcernCategory,
    CoverageStatus,
    Date,
    DecisionRule,
    FactKind,
    Outcome,
    PlayAction,
    PlayExclusionReason,
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
    without: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="What if these stakeholders left: the whole plan without them (their seat"
        " on an approver role stays, stance UNKNOWN, with no edges). At most 50.",
    )


@strawberry.type(description="Why a play the approver lists is not in the plan.")
class PlayExclusion:
    reason: PlayExclusionReason
    explanation: str = strawberry.field(description="The reason, in a sentence for a seller.")


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
    in_plan: bool = strawberry.field(description="Whether the plan runs this play.")
    exclusion: PlayExclusion | None = strawberry.field(
        description="Why the plan leaves this play out (null when it is in the plan)."
    )


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
    criticality: float = strawberry.field(
        description="P(win | approves) - P(win | refuses), the others at their approval"
        " probability: how much the deal hangs on this approver."
    )
    criticality_with_plan: float = strawberry.field(
        description="The same, the others at their probability with the plan."
    )
    criticality_explanation: str
    single_threaded: bool = strawberry.field(
        description="Whether reaching this approver hangs on one person (keyPeople)."
    )
    single_thread_explanation: str | None
    key_people: list[StakeholderT] = strawberry.field(
        description="People on today's best path whose loss halves the best play (or ends it)."
    )


@strawberry.type(description="Can this champion actually move the approvers who decide?")
class ChampionAssessment:
    champion: StakeholderT
    influence: float = strawberry.field(
        description="Criticality-weighted reach to the approvers (any argument), 0-1."
    )
    verdict: ChampionVerdict
    explanation: str


@strawberry.type(description="What losing one person on the plan's paths would cost.")
class DealDependency:
    stakeholder: StakeholderT
    win_probability_without: float
    drop: float = strawberry.field(
        description="winProbabilityWithPlan minus the same computed without them."
    )
    explanation: str


@strawberry.type(description="A fact the plan relies on, verified longer ago than staleAfterDays.")
class StaleFact:
    kind: FactKind
    stakeholder: StakeholderT = strawberry.field(
        description="The seat holder, the person, or the edge's source."
    )
    target: StakeholderT | None = strawberry.field(description="The edge's target.")
    verified_at: Date
    age_days: int
    warning: str


@strawberry.type(description="Which champion to coach on which argument to reach each approver.")
class CoachingPlan:
    opportunity: OpportunityT
    decision_rule: DecisionRule
    win_probability: float
    win_probability_with_plan: float
    approvers: list[ApproverAssessment]
    plan: list[Play]
    warnings: list[str]
    champions: list[ChampionAssessment] = strawberry.field(
        description="The champion test of every CHAMPION and SUPPORTER seat, strongest first."
    )
    deal_dependencies: list[DealDependency] = strawberry.field(
        description="People on the plan's paths whose loss costs 0.02 or more, costliest first."
    )
    stale_facts: list[StaleFact]
    without: list[StakeholderT] = strawberry.field(
        description="Who this plan treats as gone: `options.without` and recorded departures."
    )


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


@strawberry.input(description="Narrows `pipeline`; every field is optional.")
class PipelineFilter:
    stage: str | None = None
    close_before: Date | None = strawberry.field(
        default=None, description="Closing before this day (undated deals are left out)."
    )
    close_after: Date | None = strawberry.field(
        default=None, description="Closing after this day (undated deals are left out)."
    )
    account_ids: list[strawberry.ID] | None = None
    outcome: Outcome | None = strawberry.field(
        default=None, description="Only deals that ended so."
    )
    open: bool | None = strawberry.field(
        default=None, description="true: only deals without an outcome; false: only ended ones."
    )


@strawberry.type(description="How many champions got a verdict.")
class VerdictCount:
    verdict: ChampionVerdict
    count: int


@strawberry.type(description="One opportunity's plan, summarised for a pipeline dashboard.")
class PipelineEntry:
    opportunity: OpportunityT
    win_probability: float
    win_probability_with_plan: float
    secured: int = strawberry.field(description="Approvers by coverage status, this and below.")
    covered: int
    weak: int
    uncovered: int
    single_threaded: int = strawberry.field(description="Approvers who hang on one person.")
    champion_verdicts: list[VerdictCount]
    stale_facts: int = strawberry.field(
        description="Facts on the plan's paths, and approver seats, verified too long ago."
    )
    top_risk: str | None = strawberry.field(
        description="The deal's biggest risk in one sentence; null when nothing stands out."
    )
