"""The graph's entities as plain records, built from Neo4j property maps by the repositories.

Each node kind is described once in ``NODE_KINDS`` (label, id prefix, properties and which
are required); the read and write repositories and the GraphQL layer derive from it, so a
property is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    ConcernCategory,
    DecisionRule,
    Outcome,
    Seniority,
)

NAME_MAX = 500  # characters in a name, title or other one-line value
TEXT_MAX = 10_000  # characters in free text (talk tracks, evidence, proof points)
LIST_MAX = 100  # items in a list property


@dataclass(frozen=True)
class Bounds:
    """The range a number must lie in, e.g. ``Bounds(0, 1, low_open=True)`` is (0, 1]."""

    low: float
    high: float | None = None
    low_open: bool = False

    def admits(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        return above and (self.high is None or value <= self.high)

    def __str__(self) -> str:
        if self.high is None:
            return f"{'>' if self.low_open else '>='} {self.low:g}"
        return f"in {'(' if self.low_open else '['}{self.low:g}, {self.high:g}]"


UNIT_OPEN = Bounds(0, 1, low_open=True)  # (0, 1]: strengths, weights, fits, thresholds
UNIT = Bounds(0, 1)  # [0, 1]: readiness
POSITIVE = Bounds(0, low_open=True)
NON_NEGATIVE = Bounds(0)


@dataclass(frozen=True)
class PropertySpec:
    """One stored property: its name, its Python type, and the enum it must belong to."""

    name: str
    py_type: type
    required: bool = False
    enum: type[Enum] | None = None
    is_list: bool = False
    personal: bool = False  # personal data: never copied into audit records of deletions
    bounds: Bounds | None = None  # numbers: the range they must lie in
    max_length: int = NAME_MAX  # strings (each item of a list): at most this many characters


@dataclass(frozen=True)
class NodeKind:
    label: str
    properties: tuple[PropertySpec, ...]
    parent_label: str | None = None
    parent_rel: str | None = None  # (parent)-[rel]->(child) or (child)-[rel]->(parent)
    child_points_to_parent: bool = False

    @property
    def property_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)


def _p(name: str, typ: type, **kw: Any) -> PropertySpec:
    return PropertySpec(name, typ, **kw)


ACCOUNT = NodeKind(
    "Account",
    (
        _p("name", str, required=True),
        _p("industry", str),
        _p("employees", int, bounds=NON_NEGATIVE),
        _p("region", str),
        _p("domain", str),
        _p("isReference", bool),
    ),
)
STAKEHOLDER = NodeKind(
    "Stakeholder",
    (
        _p("name", str, required=True, personal=True),
        _p("title", str, personal=True),
        _p("department", str),
        _p("seniority", str, enum=Seniority),
        _p("email", str, personal=True),
        _p("lastVerifiedAt", str),
        _p("leftAt", str),  # the date they left the account (a CRM departure, or by hand)
    ),
    parent_label="Account",
    parent_rel="WORKS_AT",
    child_points_to_parent=True,
)
OPPORTUNITY = NodeKind(
    "Opportunity",
    (
        _p("name", str, required=True),
        _p("amount", float, bounds=NON_NEGATIVE),
        _p("currency", str),
        _p("stage", str),
        _p("closeDate", str),
        _p("decisionRule", str, enum=DecisionRule),
        _p("threshold", float, bounds=UNIT_OPEN),
        _p("outcome", str, enum=Outcome),  # null while open
        _p("closedAt", str),  # the date it closed
    ),
    parent_label="Account",
    parent_rel="HAS_OPPORTUNITY",
)
ALTERNATIVE = NodeKind(
    "Alternative",
    (_p("name", str, required=True), _p("kind", str, required=True, enum=AlternativeKind)),
    parent_label="Opportunity",
    parent_rel="CONSIDERS",
)
CONCERN = NodeKind(
    "Concern",
    (_p("name", str, required=True), _p("category", str, required=True, enum=ConcernCategory)),
)
ARGUMENT = NodeKind(
    "Argument",
    (
        _p("title", str, required=True),
        _p("kind", str, required=True, enum=ArgumentKind),
        _p("talkTrack", str, max_length=TEXT_MAX),
        _p("proofPoints", str, is_list=True, max_length=TEXT_MAX),
    ),
)

NODE_KINDS: dict[str, NodeKind] = {
    k.label: k for k in (ACCOUNT, STAKEHOLDER, OPPORTUNITY, ALTERNATIVE, CONCERN, ARGUMENT)
}


@dataclass(frozen=True)
class Node:
    """A stored node of any kind: its label, keys, audit fields and its own properties."""

    label: str
    id: str
    tenant_id: str
    external_id: str | None
    created_at: str | None
    updated_at: str | None
    updated_by: str | None
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def get(self, name: str) -> Any:
        return self.props.get(name)

    @staticmethod
    def from_record(label: str, record: dict[str, Any]) -> Node:
        kind = NODE_KINDS[label]
        return Node(
            label=label,
            id=record["id"],
            tenant_id=record["tenantId"],
            external_id=record.get("externalId"),
            created_at=record.get("createdAt"),
            updated_at=record.get("updatedAt"),
            updated_by=record.get("updatedBy"),
            props={name: record.get(name) for name in kind.property_names},
        )


@dataclass(frozen=True)
class Edge:
    """A stored relationship between two nodes of one tenant, with its own properties."""

    type: str
    source: str
    target: str
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.type}:{self.source}:{self.target}"

    def get(self, name: str) -> Any:
        return self.props.get(name)
