"""The coaching model (DESIGN section 3): pure functions over one opportunity's subgraph.

Nothing here does I/O: the repository layer builds a :class:`Subgraph` in one round trip,
the API layer resolves the ids in the answer.
"""

from graph_api.engine.coaching import coaching_plan
from graph_api.engine.model import (
    Advocacy,
    Alternative,
    ApproverAssessment,
    Argument,
    CoachingResult,
    Concern,
    Conflict,
    DevelopCandidate,
    Influence,
    InfluencePath,
    Options,
    Person,
    Play,
    Seat,
    Subgraph,
    Threat,
)
from graph_api.engine.reach import influence_paths, reach

__all__ = [
    "Advocacy",
    "Alternative",
    "ApproverAssessment",
    "Argument",
    "CoachingResult",
    "Concern",
    "Conflict",
    "DevelopCandidate",
    "Influence",
    "InfluencePath",
    "Options",
    "Person",
    "Play",
    "Seat",
    "Subgraph",
    "Threat",
    "coaching_plan",
    "influence_paths",
    "reach",
]
