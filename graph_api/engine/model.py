"""What the coaching engine reads and what it answers.

The input is one opportunity's subgraph, built by the repository layer from a single Cypher
round trip; the output carries ids only, the API layer resolves them to objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    CommitteeRole,
    ConcernCategory,
    CoverageStatus,
    DecisionRule,
    PlayAction,
    Reception,
    Stance,
)
from graph_api.errors import InvalidInput, Problem

MAX_HOPS_RANGE = (1, 6)
CAPACITY_PER_CHAMPION_RANGE = (1, 10)
TOP_PLAYS_PER_APPROVER_RANGE = (1, 20)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    title: str | None = None


@dataclass(frozen=True)
class Seat:
    """A committee seat (``SITS_ON``) of one stakeholder on the opportunity."""

    stakeholder_id: str
    role: CommitteeRole
    stance: Stance
    veto: bool = False
    vote_weight: float = 1.0


@dataclass(frozen=True)
class Influence:
    """``source`` can move ``target``'s view; empty ``topics`` carries every argument."""

    source: str
    target: str
    strength: float
    topics: frozenset[ConcernCategory] = frozenset()


@dataclass(frozen=True)
class Conflict:
    """``source`` arguing for something makes ``target`` resist it."""

    source: str
    target: str
    strength: float


@dataclass(frozen=True)
class Advocacy:
    stakeholder_id: str
    alternative_id: str
    strength: float


@dataclass(frozen=True)
class Alternative:
    id: str
    name: str
    kind: AlternativeKind


@dataclass(frozen=True)
class Concern:
    id: str
    name: str
    category: ConcernCategory


@dataclass(frozen=True)
class Argument:
    """A playbook argument.

    ``addresses`` maps concern id to fit; ``cited_industries`` holds the industries of the
    reference accounts (``isReference`` true) it cites.
    """

    id: str
    title: str
    kind: ArgumentKind
    talk_track: str = ""
    addresses: Mapping[str, float] = field(default_factory=dict)
    cited_industries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Subgraph:
    """One opportunity with its account's stakeholders, edges and the tenant playbook.

    ``people`` holds every stakeholder of the account, seated or not; ``seats`` is keyed by
    stakeholder id; ``cares_about`` maps stakeholder -> concern -> weight; ``readiness`` is
    keyed by (champion, argument) and ``heard`` by (approver, argument).
    """

    opportunity_id: str
    opportunity_name: str
    decision_rule: DecisionRule
    threshold: float | None = None
    account_industry: str | None = None
    people: Mapping[str, Person] = field(default_factory=dict)
    seats: Mapping[str, Seat] = field(default_factory=dict)
    influences: tuple[Influence, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    advocacy: tuple[Advocacy, ...] = ()
    alternatives: Mapping[str, Alternative] = field(default_factory=dict)
    concerns: Mapping[str, Concern] = field(default_factory=dict)
    arguments: Mapping[str, Argument] = field(default_factory=dict)
    cares_about: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    readiness: Mapping[tuple[str, str], float] = field(default_factory=dict)
    heard: Mapping[tuple[str, str], Reception] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    """``coachingPlan(options:)``; the ranges are part of the GraphQL contract."""

    max_hops: int = 3
    capacity_per_champion: int = 2
    top_plays_per_approver: int = 3

    def validate(self) -> None:
        """Raise :class:`InvalidInput` naming every option outside its range."""
        problems = [
            problem
            for problem in (
                _out_of_range("options.maxHops", self.max_hops, MAX_HOPS_RANGE),
                _out_of_range(
                    "options.capacityPerChampion",
                    self.capacity_per_champion,
                    CAPACITY_PER_CHAMPION_RANGE,
                ),
                _out_of_range(
                    "options.topPlaysPerApprover",
                    self.top_plays_per_approver,
                    TOP_PLAYS_PER_APPROVER_RANGE,
                ),
            )
            if problem is not None
        ]
        if problems:
            raise InvalidInput(problems)


def _out_of_range(path: str, value: object, bounds: tuple[int, int]) -> Problem | None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return Problem(path, f"must be an integer from {low} to {high}, got {value!r}")
    return None


@dataclass(frozen=True)
class InfluencePath:
    """A simple influence path (first id the source, last the target) and its reach."""

    path: tuple[str, ...]
    reach: float


@dataclass(frozen=True)
class Play:
    """Coach (or deploy) ``champion_id`` on ``argument_id`` to move ``approver_id``."""

    champion_id: str
    argument_id: str
    approver_id: str
    action: PlayAction
    path: tuple[str, ...]
    reach: float
    fit: float
    value: float
    credibility: float
    readiness: float | None
    explanation: str


@dataclass(frozen=True)
class Threat:
    opponent_id: str
    reach: float
    path: tuple[str, ...]
    alternative_id: str | None


@dataclass(frozen=True)
class DevelopCandidate:
    """Someone worth turning into a champion; ``reachable_by`` lists champions who reach them."""

    stakeholder_id: str
    reach: float
    path: tuple[str, ...]
    reachable_by: tuple[str, ...]


@dataclass(frozen=True)
class ApproverAssessment:
    approver_id: str
    role: CommitteeRole
    stance: Stance
    status: CoverageStatus
    approval_probability: float
    approval_probability_with_plan: float
    plays: tuple[Play, ...]
    threats: tuple[Threat, ...]
    develop_candidates: tuple[DevelopCandidate, ...]


@dataclass(frozen=True)
class CoachingResult:
    opportunity_id: str
    decision_rule: DecisionRule
    win_probability: float
    win_probability_with_plan: float
    approvers: tuple[ApproverAssessment, ...]
    plan: tuple[Play, ...]
    warnings: tuple[str, ...]
