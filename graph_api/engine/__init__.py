"""The coaching model (docs/coaching-model.md): pure functions over one opportunity's subgraph.

Nothing here does I/O or reads a clock: the repository layer builds a :class:`Subgraph` in one
round trip, the API layer passes :class:`Options` (with ``today``) and, per request, a
:class:`Budget`, and resolves the ids in the answer.

Entry points:

- :func:`coaching_plan` — the plan and the deal's risks (:class:`CoachingResult`): plays,
  statuses, threats, develop candidates, win probability before and with the plan; per
  approver criticality, key people and single threads; the champion test; deal dependencies;
  stale facts; departures and what-ifs (``Options.without``).
- :func:`pipeline_summary` — one opportunity's dashboard line from its result.
- :func:`influence_paths`, :func:`reach` — paths between two stakeholders.
- :func:`without_people` — the subgraph as if some stakeholders had left.

Every entry point takes ``budget=`` (``None``: unbounded) and raises
:class:`~graph_api.errors.BudgetExceeded` (a ``LimitExceeded``, limit ``engineTime`` or
``engineVisits``) when the work runs past it.
"""

from graph_api.engine.budget import Budget
from graph_api.engine.coaching import coaching_plan
from graph_api.engine.departures import without_people
from graph_api.engine.model import (
    Advocacy,
    Alternative,
    ApproverAssessment,
    Argument,
    ChampionAssessment,
    CoachingResult,
    Concern,
    Conflict,
    DealDependency,
    DevelopCandidate,
    FactKind,
    Influence,
    InfluencePath,
    KeyPerson,
    Options,
    Person,
    PipelineSummary,
    Play,
    Seat,
    StaleFact,
    Subgraph,
    Threat,
)
from graph_api.engine.pipeline import pipeline_summary
from graph_api.engine.plan import Exclusion, exclusions
from graph_api.engine.reach import influence_paths, reach

__all__ = [
    "Advocacy",
    "Alternative",
    "ApproverAssessment",
    "Argument",
    "Budget",
    "ChampionAssessment",
    "CoachingResult",
    "Concern",
    "Conflict",
    "DealDependency",
    "DevelopCandidate",
    "Exclusion",
    "FactKind",
    "Influence",
    "InfluencePath",
    "KeyPerson",
    "Options",
    "Person",
    "PipelineSummary",
    "Play",
    "Seat",
    "StaleFact",
    "Subgraph",
    "Threat",
    "coaching_plan",
    "exclusions",
    "influence_paths",
    "pipeline_summary",
    "reach",
    "without_people",
]
