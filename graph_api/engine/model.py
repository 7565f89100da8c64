"""What the coaching engine reads and what it answers.

The input is one opportunity's subgraph, built by the repository layer from a single Cypher
round trip; the output carries ids only, the API layer resolves them to objects.

Freshness (docs/coaching-model.md) rides on the input: ``verified_at`` on seats, influences and
conflicts, ``last_verified_at`` and ``left_at`` on people, all plain dates (``None``: not
recorded — never counted as stale). The engine never reads a clock: ``Options.today`` says
what day it is, so the same input always gives the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    ChampionVerdict,
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
STALE_AFTER_DAYS_RANGE = (1, 3650)
MAX_WITHOUT = 50


@dataclass(frozen=True)
class Person:
    """A stakeholder of the account.

    ``left_at`` (a CRM departure or set by hand) makes the plan treat them as gone from that
    day on; ``last_verified_at`` is when someone last confirmed who they are.
    """

    id: str
    name: str
    title: str | None = None
    last_verified_at: date | None = None
    left_at: date | None = None


@dataclass(frozen=True)
class Seat:
    """A committee seat (``SITS_ON``) of one stakeholder on the opportunity."""

    stakeholder_id: str
    role: CommitteeRole
    stance: Stance
    veto: bool = False
    vote_weight: float = 1.0
    verified_at: date | None = None


class Influence(NamedTuple):
    """``source`` can move ``target``'s view; empty ``topics`` carries every argument.

    A named tuple, not a dataclass: a 1,000-person account has ten thousand of them, made
    for every plan, and a tuple is made in a third of the time."""

    source: str
    target: str
    strength: float
    topics: frozenset[ConcernCategory] = frozenset()
    verified_at: date | None = None


@dataclass(frozen=True)
class Conflict:
    """``source`` arguing for something makes ``target`` resist it."""

    source: str
    target: str
    strength: float
    verified_at: date | None = None


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
    """``coachingPlan(options:)`` plus the tenant's freshness setting and today's date.

    The ranges are part of the GraphQL contract.

    - ``without``: stakeholder ids to plan as if they had left (``CoachingOptions.without``).
    - ``stale_after_days``: the tenant's ``staleAfterDays``; facts verified longer ago than
      this are stale.
    - ``today``: the date the plan is for (the caller's clock, read once per request). With
      ``None`` no fact is stale and every recorded ``left_at`` counts as a departure.
    - ``deal_dependencies``: whether to compute ``CoachingResult.deal_dependencies`` (the
      only part that replans; callers that never show it may skip it).
    """

    max_hops: int = 3
    capacity_per_champion: int = 2
    top_plays_per_approver: int = 3
    without: frozenset[str] = frozenset()
    stale_after_days: int = 90
    today: date | None = None
    deal_dependencies: bool = True

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
                _out_of_range(
                    "options.staleAfterDays", self.stale_after_days, STALE_AFTER_DAYS_RANGE
                ),
            )
            if problem is not None
        ]
        if len(self.without) > MAX_WITHOUT:
            problems.append(
                Problem(
                    "options.without",
                    f"lists {len(self.without)} stakeholders; at most {MAX_WITHOUT} may leave "
                    "in one what-if",
                )
            )
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
class KeyPerson:
    """Someone an approver hangs on: without them the best play on the approver falls below
    half of today's value (``best_value_without`` is 0.0 when no play is left)."""

    stakeholder_id: str
    best_value_without: float
    explanation: str


@dataclass(frozen=True)
class ApproverAssessment:
    """One approver: section-3 coverage plus section-6 risk.

    ``criticality`` is ``P(win | approves) - P(win | refuses)`` with everyone else at their
    approval probability (``criticality_with_plan``: at their probability with the plan).
    ``key_people`` is empty unless the approver is open (not SECURED) and has plays;
    ``single_threaded`` is ``bool(key_people)`` and ``single_thread_explanation`` says why
    (``None`` when not single-threaded).
    """

    approver_id: str
    role: CommitteeRole
    stance: Stance
    status: CoverageStatus
    approval_probability: float
    approval_probability_with_plan: float
    plays: tuple[Play, ...]
    threats: tuple[Threat, ...]
    develop_candidates: tuple[DevelopCandidate, ...]
    criticality: float
    criticality_with_plan: float
    criticality_explanation: str
    key_people: tuple[KeyPerson, ...]
    single_threaded: bool
    single_thread_explanation: str | None


@dataclass(frozen=True)
class ChampionAssessment:
    """The champion test of one CHAMPION or SUPPORTER seat (docs/coaching-model.md)."""

    champion_id: str
    influence: float
    verdict: ChampionVerdict
    explanation: str


@dataclass(frozen=True)
class DealDependency:
    """Someone on the plan's paths whose departure costs the plan at least 0.02."""

    stakeholder_id: str
    win_probability_without: float
    drop: float
    explanation: str


class FactKind(StrEnum):
    """What a stale fact is: a committee seat, an influence, a conflict or a person."""

    SEAT = "SEAT"
    INFLUENCE = "INFLUENCE"
    CONFLICT = "CONFLICT"
    STAKEHOLDER = "STAKEHOLDER"


@dataclass(frozen=True)
class StaleFact:
    """A fact the plan relies on, verified longer ago than ``stale_after_days``.

    ``stakeholder_id`` is the seat holder, the person, or the edge's source; ``target_id`` is
    the edge's target (``None`` for seats and people).
    """

    kind: FactKind
    stakeholder_id: str
    target_id: str | None
    verified_at: date
    age_days: int
    warning: str


@dataclass(frozen=True)
class CoachingResult:
    """The whole answer for one opportunity.

    ``without`` lists who the plan treats as gone (``Options.without`` plus recorded
    departures), sorted; ``champions`` is the champion test, most influential first;
    ``deal_dependencies`` ranks the people on the plan's paths by what losing them costs
    (empty when ``Options.deal_dependencies`` is off); ``stale_facts`` are the facts behind
    the stale warnings, in warning order.
    """

    opportunity_id: str
    decision_rule: DecisionRule
    win_probability: float
    win_probability_with_plan: float
    approvers: tuple[ApproverAssessment, ...]
    plan: tuple[Play, ...]
    warnings: tuple[str, ...]
    champions: tuple[ChampionAssessment, ...]
    deal_dependencies: tuple[DealDependency, ...]
    stale_facts: tuple[StaleFact, ...]
    without: tuple[str, ...]


@dataclass(frozen=True)
class PipelineSummary:
    """One opportunity's line on a pipeline dashboard (``pipeline`` query), from its result.

    ``champion_verdicts`` has every verdict, in enum order, with its count (zero included);
    ``top_risk`` is one sentence, ``None`` when nothing stands out.
    """

    opportunity_id: str
    win_probability: float
    win_probability_with_plan: float
    secured: int
    covered: int
    weak: int
    uncovered: int
    single_threaded: int
    champion_verdicts: tuple[tuple[ChampionVerdict, int], ...]
    stale_facts: int
    top_risk: str | None
