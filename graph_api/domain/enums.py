"""Enumerations of the graph model (docs/graph-model.md), shared by every layer."""

from __future__ import annotations

from enum import StrEnum


class Seniority(StrEnum):
    IC = "IC"
    MANAGER = "MANAGER"
    DIRECTOR = "DIRECTOR"
    VP = "VP"
    C_LEVEL = "C_LEVEL"


class DecisionRule(StrEnum):
    UNANIMOUS = "UNANIMOUS"
    MAJORITY = "MAJORITY"
    ECONOMIC_BUYER = "ECONOMIC_BUYER"
    THRESHOLD = "THRESHOLD"


class AlternativeKind(StrEnum):
    OURS = "OURS"
    COMPETITOR = "COMPETITOR"
    STATUS_QUO = "STATUS_QUO"
    BUILD = "BUILD"


class ConcernCategory(StrEnum):
    FINANCIAL = "FINANCIAL"
    RISK = "RISK"
    GROWTH = "GROWTH"
    EFFICIENCY = "EFFICIENCY"
    TECHNICAL = "TECHNICAL"
    POLITICAL = "POLITICAL"
    PERSONAL = "PERSONAL"


class ArgumentKind(StrEnum):
    HERD = "HERD"
    GOLD_MEDAL = "GOLD_MEDAL"
    GERMAN_SHEPHERD = "GERMAN_SHEPHERD"
    ROI = "ROI"
    TECHNICAL_PROOF = "TECHNICAL_PROOF"
    STRATEGIC = "STRATEGIC"


class CommitteeRole(StrEnum):
    ECONOMIC_BUYER = "ECONOMIC_BUYER"
    APPROVER = "APPROVER"
    DECISION_MAKER = "DECISION_MAKER"
    TECHNICAL_EVALUATOR = "TECHNICAL_EVALUATOR"
    USER_BUYER = "USER_BUYER"
    INFLUENCER = "INFLUENCER"
    GATEKEEPER = "GATEKEEPER"
    PROCUREMENT = "PROCUREMENT"
    LEGAL = "LEGAL"


class Stance(StrEnum):
    CHAMPION = "CHAMPION"
    SUPPORTER = "SUPPORTER"
    NEUTRAL = "NEUTRAL"
    SKEPTIC = "SKEPTIC"
    BLOCKER = "BLOCKER"
    UNKNOWN = "UNKNOWN"


class Reception(StrEnum):
    POSITIVE = "POSITIVE"
    NEUTRAL = "NEUTRAL"
    NEGATIVE = "NEGATIVE"


class PlayAction(StrEnum):
    DEPLOY = "DEPLOY"
    COACH = "COACH"


class CoverageStatus(StrEnum):
    SECURED = "SECURED"
    COVERED = "COVERED"
    WEAK = "WEAK"
    UNCOVERED = "UNCOVERED"


class Outcome(StrEnum):
    """How a deal ended; an open opportunity has none."""

    WON = "WON"
    LOST = "LOST"
    NO_DECISION = "NO_DECISION"


class ChampionVerdict(StrEnum):
    """What the champion test says of a CHAMPION or SUPPORTER seat (docs/coaching-model.md)."""

    CHAMPION = "CHAMPION"
    COACH = "COACH"
    CONFLICTED = "CONFLICTED"
    ISOLATED = "ISOLATED"


class PlayExclusionReason(StrEnum):
    """Why a play an approver lists is not in the plan."""

    CHAMPION_CAPACITY = "CHAMPION_CAPACITY"
    BELOW_MIN_GAIN = "BELOW_MIN_GAIN"
    ARGUMENT_ALREADY_PLANNED = "ARGUMENT_ALREADY_PLANNED"


class ImportMode(StrEnum):
    MERGE = "MERGE"
    REPLACE = "REPLACE"


class Role(StrEnum):
    """The role an API key or token grants within its tenant."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    def can_write(self) -> bool:
        return self in (Role.EDITOR, Role.ADMIN)
