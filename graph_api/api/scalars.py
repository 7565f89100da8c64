"""The GraphQL scalars and enums every area of the API shares.

``Date`` and ``DateTime`` carry the stored ISO 8601 text through unchanged on the way out (no
parsing and re-formatting of every timestamp a response holds), and on the way in are
checked and normalised to the stored form: a date as ``YYYY-MM-DD``, a date-time in UTC with
microseconds (a time without a zone is UTC).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from graph_api.domain import enums
from graph_api.domain.values import stored
from graph_api.engine.model import FactKind as FactKindEnum


def _text(value: Any) -> str:
    if isinstance(value, dt.date):  # datetime is a date too
        return str(stored(value))
    return str(value)


def _parse_date(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a Date is a string YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as error:
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from error


def _parse_datetime(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a DateTime is an ISO 8601 string")
    try:
        return str(stored(dt.datetime.fromisoformat(value)))
    except ValueError as error:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time") from error


Date = NewType("Date", str)
DateTime = NewType("DateTime", str)
SCALARS: dict[object, ScalarDefinition] = {
    Date: strawberry.scalar(
        name="Date",
        description="A calendar date, ISO 8601: 2026-05-01.",
        serialize=_text,
        parse_value=_parse_date,
    ),
    DateTime: strawberry.scalar(
        name="DateTime",
        description="A point in time, ISO 8601 with a zone: 2026-05-01T09:30:00.000000+00:00.",
        serialize=_text,
        parse_value=_parse_datetime,
    ),
}
"""The schema's ``scalar_map``: how ``Date`` and ``DateTime`` travel."""


def moment(value: str | None) -> DateTime | None:
    """A stored timestamp as the ``DateTime`` scalar (stored text passes unchanged)."""
    return None if value is None else DateTime(value)


def _enum(enum: type[StrEnum], name: str | None = None) -> Any:
    return strawberry.enum(enum, name=name)


Seniority = _enum(enums.Seniority)
DecisionRule = _enum(enums.DecisionRule)
AlternativeKind = _enum(enums.AlternativeKind)
ConcernCategory = _enum(enums.ConcernCategory)
ArgumentKind = _enum(enums.ArgumentKind)
CommitteeRole = _enum(enums.CommitteeRole)
Stance = _enum(enums.Stance)
Reception = _enum(enums.Reception)
Outcome = _enum(enums.Outcome)
PlayAction = _enum(enums.PlayAction)
CoverageStatus = _enum(enums.CoverageStatus)
ImportMode = _enum(enums.ImportMode)
ApiKeyRole = _enum(enums.Role, "ApiKeyRole")
ChampionVerdict = _enum(enums.ChampionVerdict)
PlayExclusionReason = _enum(enums.PlayExclusionReason)
FactKind = _enum(FactKindEnum)

GRAPHQL_ENUMS: dict[type[StrEnum], Any] = {
    enums.Seniority: Seniority,
    enums.DecisionRule: DecisionRule,
    enums.AlternativeKind: AlternativeKind,
    enums.ConcernCategory: ConcernCategory,
    enums.ArgumentKind: ArgumentKind,
    enums.CommitteeRole: CommitteeRole,
    enums.Stance: Stance,
    enums.Reception: Reception,
    enums.Outcome: Outcome,
    enums.PlayAction: PlayAction,
    enums.CoverageStatus: CoverageStatus,
    enums.ImportMode: ImportMode,
    enums.Role: ApiKeyRole,
    enums.ChampionVerdict: ChampionVerdict,
    enums.PlayExclusionReason: PlayExclusionReason,
    FactKindEnum: FactKind,
}
"""The GraphQL enum of each domain enum (one definition each)."""
