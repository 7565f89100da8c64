"""The map's node and relationship kinds, each declared once: its properties and their rules.

Every fact about a kind lives in its declaration below: which properties it has, their value
types (:mod:`graph_api.domain.values`), which are required, their defaults, which are personal
data, how it hangs off its parent, and for a relationship its ends and constraints. The
validator (:mod:`graph_api.domain.validation`), the account document and its JSON Schema
(:mod:`graph_api.domain.document`), the Cypher of the repositories and the GraphQL types and
inputs are all derived from these declarations; adding a property to a kind is a change here.

A node kind is a frozen record class: its fields are the properties (Python names in
snake_case, stored and published in camelCase), and ``Kind.KIND`` describes it. A record
always holds one tenant's data, so it carries no tenant id.

Example:
    >>> STAKEHOLDER.prop("email").value is values.EMAIL
    True
    >>> Stakeholder.from_stored({"id": "stk_1", "name": "Dana"}).name
    'Dana'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cached_property
from operator import itemgetter
from typing import Any, ClassVar, Literal, TypeVar, dataclass_transform

from graph_api.domain import values
from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    CommitteeRole,
    ConcernCategory,
    DecisionRule,
    Outcome,
    Reception,
    Seniority,
    Stance,
)
from graph_api.domain.values import (
    AMOUNT,
    BOOLEAN,
    CURRENCY,
    DATE,
    DATETIME,
    EMAIL,
    EMPLOYEES,
    LINE,
    NAME,
    TEXT,
    UNIT,
    UNIT_OPEN,
    URL,
    VOTE_WEIGHT,
    ValueType,
    enum_of,
    list_of,
)


class Today:
    """A default that is the day the record is written (``verifiedAt``)."""

    def __repr__(self) -> str:
        return "TODAY"


TODAY = Today()
Stamp = Literal["now", "today"]


@dataclass(frozen=True)
class Prop:
    """One property of a kind.

    ``name`` is the stored, GraphQL and document name (camelCase); ``attr`` the record's
    Python attribute. ``default`` is what an absent value means: it is stored when a record
    is created without the value and read back when a stored record lacks it (``TODAY`` is
    the day written). ``personal`` data is erased from the audit trail when its record is
    deleted. ``stamp`` makes the property a timestamp the server sets (``now`` or ``today``)
    whenever one of ``stamped_by`` changes (any property when empty), unless the caller gave
    it.
    """

    name: str
    attr: str
    value: ValueType
    required: bool = False
    default: Any = None
    personal: bool = False
    description: str = ""
    stamp: Stamp | None = None
    stamped_by: tuple[str, ...] = ()

    def default_value(self, today: str) -> Any:
        """The value stored for an absent one; an empty list is stored as no value."""
        if isinstance(self.default, Today):
            return today
        if isinstance(self.default, tuple):
            return list(self.default) or None
        return self.default

    def is_default(self, value: Any) -> bool:
        """True when ``value`` (stored form) says no more than leaving the property out."""
        if value is None:
            return True
        if isinstance(self.default, Today | type(None)):
            return False
        default = list(self.default) if isinstance(self.default, tuple) else self.default
        if isinstance(default, StrEnum):
            default = default.value
        return bool(value == default)


def prop(
    value: ValueType,
    *,
    required: bool = False,
    default: Any = None,
    personal: bool = False,
    description: str = "",
    stamp: Stamp | None = None,
    stamped_by: tuple[str, ...] = (),
) -> Any:
    """Declare a record field as a stored property (see :class:`Prop`)."""
    spec = {
        "value": value,
        "required": required,
        "default": default,
        "personal": personal,
        "description": description,
        "stamp": stamp,
        "stamped_by": stamped_by,
    }
    return field(default=None, metadata={"prop": spec})


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _props(cls: type) -> tuple[Prop, ...]:
    found: list[Prop] = []
    for f in fields(cls):
        spec = f.metadata.get("prop")
        if spec is not None:
            found.append(Prop(name=to_camel(f.name), attr=f.name, **spec))
    return tuple(found)


def _converter(p: Prop) -> Callable[[Any], Any]:
    """How a stored value becomes the record's: enum names become enums, lists tuples."""
    enum = (p.value.item or p.value).enum
    if p.value.is_list:
        if enum is not None:
            return lambda v: tuple(enum(x) for x in v)
        return tuple
    if enum is not None:
        return enum
    return lambda v: v


# --- records ------------------------------------------------------------------------------


R = TypeVar("R", bound="Record")


@dataclass(frozen=True, kw_only=True, slots=True)
class Record:
    """What every stored record has: the server's bookkeeping of who changed it when."""

    updated_at: str | None = None
    updated_by: str | None = None

    KIND: ClassVar[Kind]

    @classmethod
    def from_stored(cls: type[R], stored: Mapping[str, Any], **ends: str) -> R:
        """The record of a stored property map (a Neo4j node's or relationship's)."""
        return cls.KIND.record_of(cls, stored, ends)

    def stored(self) -> dict[str, Any]:
        """The record's own properties in stored form, by name (absent ones left out)."""
        found: dict[str, Any] = {}
        for p in self.KIND.props:
            value = getattr(self, p.attr)
            if value is not None:
                found[p.name] = values.stored(value)
        return found


@dataclass(frozen=True, kw_only=True, slots=True)
class Node(Record):
    id: str
    external_id: str | None = None
    created_at: str | None = None

    KIND: ClassVar[NodeKind]


@dataclass(frozen=True, kw_only=True, slots=True)
class Relationship(Record):
    source_id: str
    target_id: str

    KIND: ClassVar[RelationshipKind]

    @property
    def id(self) -> str:
        """Stable and unique: a relationship is one per (type, source, target)."""
        return f"{self.KIND.type}:{self.source_id}:{self.target_id}"


# --- kinds --------------------------------------------------------------------------------


Rule = Callable[[Mapping[str, Any]], "tuple[str, str] | None"]
"""A rule across a record's properties: given its stored values, (property, problem) or None."""


@dataclass(frozen=True, eq=False)
class Kind:
    """What node and relationship kinds share: a name, a record class and properties."""

    name: str
    record: type[Record]
    props: tuple[Prop, ...]
    description: str
    rules: tuple[Rule, ...]

    def prop(self, name: str) -> Prop:
        return self.by_name[name]

    @cached_property
    def by_name(self) -> dict[str, Prop]:
        return {p.name: p for p in self.props}

    @cached_property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)

    @cached_property
    def personal(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props if p.personal)

    def record_of(self, cls: type[R], stored: Mapping[str, Any], ends: Mapping[str, str]) -> R:
        converted: dict[str, Any] = {}
        for p, convert in self._converters:
            value = stored.get(p.name)
            if value is None:
                value = p.default
                if value is None or isinstance(value, Today):
                    continue
            converted[p.attr] = convert(value)
        return cls(**self._bookkeeping(stored), **ends, **converted)

    @cached_property
    def _converters(self) -> tuple[tuple[Prop, Callable[[Any], Any]], ...]:
        return tuple((p, _converter(p)) for p in self.props)

    def _bookkeeping(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        return {"updated_at": stored.get("updatedAt"), "updated_by": stored.get("updatedBy")}

    HEAD: ClassVar[tuple[tuple[str, str], ...]] = ()
    """The columns a stored row starts with, before the properties: (stored, attribute)."""

    @cached_property
    def row_names(self) -> tuple[str, ...]:
        """The columns of a stored row (the head, then every property), stored names."""
        return tuple(name for name, _ in self.HEAD) + self.prop_names

    def record_from_row(self, row: Sequence[Any]) -> Record:
        """The record of a stored row (values in :attr:`row_names` order; None is absent):
        the same record as :meth:`Record.from_stored` of those values, read by position."""
        return self._row_reader(row)

    def columns(self, *names: str) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
        """A reader of some columns of stored rows, as the record has them (defaults for
        absent values, enums, tuples). Example: ``INFLUENCE.columns("strength", "topics")``.
        """
        picked: list[tuple[int, Any, Callable[[Any], Any] | None]] = []
        for name in names:
            index = self.row_names.index(name)
            found = self.by_name.get(name)
            if found is None:
                picked.append((index, None, None))
            else:
                default, convert = self._conversion(found)
                picked.append((index, default, convert))
        if all(default is None and convert is None for _, default, convert in picked):
            plain = itemgetter(*(index for index, _, _ in picked))  # as stored: C-fast
            if len(picked) == 1:
                return lambda row: (plain(row),)
            return plain

        def read(row: Sequence[Any]) -> tuple[Any, ...]:
            out = []
            for index, default, convert in picked:
                value = row[index]
                if value is None:
                    value = default
                if value is not None and convert is not None:
                    value = convert(value)
                out.append(value)
            return tuple(out)

        return read

    @staticmethod
    def _conversion(p: Prop) -> tuple[Any, Callable[[Any], Any] | None]:
        """(stored default, converter or None) of one property, as :meth:`record_of` does."""
        default = None if isinstance(p.default, Today) else p.default
        needs = p.value.is_list or (p.value.item or p.value).enum is not None
        return default, _converter(p) if needs else None

    @cached_property
    def _row_reader(self) -> Callable[[Sequence[Any]], Record]:
        record = self.record
        attrs = tuple(attr for _, attr in self.HEAD) + tuple(p.attr for p in self.props)
        head = len(self.HEAD)
        fixes = tuple(
            (head + i, *self._conversion(p))
            for i, p in enumerate(self.props)
            if p.default is not None or self._conversion(p)[1] is not None
        )

        def read(row: Sequence[Any]) -> Record:
            values = list(row)
            for index, default, convert in fixes:
                value = values[index]
                if value is None:
                    value = default
                if value is not None and convert is not None:
                    value = convert(value)
                values[index] = value
            return record(**dict(zip(attrs, values, strict=True)))

        return read


@dataclass(frozen=True)
class Parent:
    """How a node kind hangs off its parent: ``(Stakeholder)-[:WORKS_AT]->(Account)`` is
    ``Parent("Account", "WORKS_AT", child_points_to_parent=True)``. The relationship is made
    with the child and removed with it."""

    label: str
    rel_type: str
    child_points_to_parent: bool = False

    @property
    def arg(self) -> str:
        """The input field naming the parent: ``accountId``."""
        return f"{self.label[0].lower()}{self.label[1:]}Id"


@dataclass(frozen=True, eq=False)
class NodeKind(Kind):
    id_prefix: str = ""
    parent: Parent | None = None

    HEAD: ClassVar[tuple[tuple[str, str], ...]] = (
        ("id", "id"),
        ("externalId", "external_id"),
        ("createdAt", "created_at"),
        ("updatedAt", "updated_at"),
        ("updatedBy", "updated_by"),
    )

    @property
    def label(self) -> str:
        return self.name

    def _bookkeeping(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "id": stored["id"],
            "external_id": stored.get("externalId"),
            "created_at": stored.get("createdAt"),
            "updated_at": stored.get("updatedAt"),
            "updated_by": stored.get("updatedBy"),
        }


@dataclass(frozen=True, eq=False)
class RelationshipKind(Kind):
    """A relationship callers create, update and delete by its two endpoint ids.

    ``name`` is its GraphQL type and audit kind (``Seat``); ``source_arg``/``target_arg`` name
    the endpoint ids in inputs (``stakeholderId``). ``distinct_ends`` refuses a self-loop,
    ``same_account`` demands both ends belong to one account, ``one_per_source`` allows a
    source at most one such relationship (one manager per stakeholder).
    """

    HEAD: ClassVar[tuple[tuple[str, str], ...]] = (
        ("sourceId", "source_id"),
        ("targetId", "target_id"),
        ("updatedAt", "updated_at"),
        ("updatedBy", "updated_by"),
    )

    type: str = ""
    source: str = ""
    target: str = ""
    source_arg: str = ""
    target_arg: str = ""
    distinct_ends: bool = False
    same_account: bool = False
    one_per_source: bool = False
    evidence: tuple[str, str] | None = None
    """(field, field whose value the audit trail keeps as the evidence of that change)."""


NODE_KINDS: dict[str, NodeKind] = {}
RELATIONSHIP_KINDS: dict[str, RelationshipKind] = {}
"""By GraphQL name (``Influence``)."""
STRUCTURAL_TYPES: dict[str, tuple[str, str]] = {}
"""Relationship types made with a child node: type -> (source label, target label)."""


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(prop, field))
def node_kind(
    label: str,
    *,
    id_prefix: str,
    description: str,
    parent: Parent | None = None,
    rules: tuple[Rule, ...] = (),
) -> Callable[[type[R]], type[R]]:
    """Declare a node kind: ``@node_kind("Account", id_prefix="acc", description=…)``."""

    def declare(cls: type[R]) -> type[R]:
        record = dataclass(frozen=True, kw_only=True, slots=True)(cls)
        kind = NodeKind(label, record, _props(record), description, rules, id_prefix, parent)
        record.KIND = kind
        NODE_KINDS[label] = kind
        if parent is not None:
            ends = (label, parent.label) if parent.child_points_to_parent else (parent.label, label)
            STRUCTURAL_TYPES[parent.rel_type] = ends
        return record

    return declare


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(prop, field))
def relationship_kind(
    rel_type: str,
    name: str,
    *,
    source: str,
    target: str,
    ends: tuple[str, str],
    description: str,
    distinct_ends: bool = False,
    same_account: bool = False,
    one_per_source: bool = False,
    evidence: tuple[str, str] | None = None,
) -> Callable[[type[R]], type[R]]:
    """Declare a relationship kind (see :class:`RelationshipKind`)."""

    def declare(cls: type[R]) -> type[R]:
        record = dataclass(frozen=True, kw_only=True, slots=True)(cls)
        kind = RelationshipKind(
            name,
            record,
            _props(record),
            description,
            (),
            rel_type,
            source,
            target,
            *ends,
            distinct_ends,
            same_account,
            one_per_source,
            evidence,
        )
        record.KIND = kind
        RELATIONSHIP_KINDS[name] = kind
        return record

    return declare


# --- the declarations ---------------------------------------------------------------------


_VERIFIED = "The day someone last confirmed this fact is still true (the day written by default)."


@node_kind(
    "Account",
    id_prefix="acc",
    description="A customer organisation (or a won reference customer).",
)
class Account(Node):
    name: str = prop(NAME, required=True)
    industry: str | None = prop(LINE)
    employees: int | None = prop(EMPLOYEES)
    region: str | None = prop(LINE)
    domain: str | None = prop(LINE)
    is_reference: bool = prop(
        BOOLEAN, default=False, description="A won customer that arguments can cite."
    )


@node_kind(
    "Stakeholder",
    id_prefix="stk",
    description="A person at a customer account.",
    parent=Parent("Account", "WORKS_AT", child_points_to_parent=True),
)
class Stakeholder(Node):
    name: str = prop(NAME, required=True, personal=True)
    title: str | None = prop(LINE, personal=True)
    department: str | None = prop(LINE)
    seniority: Seniority | None = prop(enum_of(Seniority))
    email: str | None = prop(EMAIL, personal=True)
    linkedin_url: str | None = prop(
        URL, personal=True, description="Their public profile, an http(s) URL."
    )
    location: str | None = prop(LINE, personal=True, description="Where they work, e.g. a city.")
    last_verified_at: str | None = prop(
        DATE, description="The day someone last confirmed this person's record."
    )
    left_at: str | None = prop(
        DATE, description="The day they left the account; the plan then treats them as gone."
    )


def _threshold_with_its_rule(stored: Mapping[str, Any]) -> tuple[str, str] | None:
    """`threshold` is required when `decisionRule` is `THRESHOLD`, and applies only then."""
    threshold_rule = stored.get("decisionRule") == DecisionRule.THRESHOLD.value
    if threshold_rule and stored.get("threshold") is None:
        return "threshold", "is required when decisionRule is THRESHOLD (a share in (0, 1])"
    if not threshold_rule and stored.get("threshold") is not None:
        return "threshold", "applies only when decisionRule is THRESHOLD"
    return None


@node_kind(
    "Opportunity",
    id_prefix="opp",
    description="A deal the account is deciding on, with its decision rule.",
    parent=Parent("Account", "HAS_OPPORTUNITY"),
    rules=(_threshold_with_its_rule,),
)
class Opportunity(Node):
    name: str = prop(NAME, required=True)
    amount: float | None = prop(AMOUNT)
    currency: str | None = prop(CURRENCY, description="ISO 4217 code, e.g. USD.")
    stage: str | None = prop(LINE)
    close_date: str | None = prop(DATE)
    decision_rule: DecisionRule = prop(
        enum_of(DecisionRule),
        default=DecisionRule.UNANIMOUS,
        description="How the committee decides (UNANIMOUS when not said).",
    )
    threshold: float | None = prop(
        UNIT_OPEN, description="Vote share needed; required for (and only for) THRESHOLD."
    )
    outcome: Outcome | None = prop(
        enum_of(Outcome), description="How the deal ended; null while it is open."
    )
    closed_at: str | None = prop(DATE, description="The day the deal was won or lost.")


@node_kind(
    "Alternative",
    id_prefix="alt",
    description="An option the account weighs in one opportunity.",
    parent=Parent("Opportunity", "CONSIDERS"),
)
class Alternative(Node):
    name: str = prop(NAME, required=True)
    kind: AlternativeKind = prop(enum_of(AlternativeKind), required=True)


@node_kind(
    "Concern",
    id_prefix="con",
    description="Something a stakeholder worries about (tenant playbook).",
)
class Concern(Node):
    name: str = prop(NAME, required=True)
    category: ConcernCategory = prop(enum_of(ConcernCategory), required=True)


@node_kind(
    "Argument",
    id_prefix="arg",
    description="An argument a champion can make (tenant playbook).",
)
class Argument(Node):
    title: str = prop(NAME, required=True)
    kind: ArgumentKind = prop(enum_of(ArgumentKind), required=True)
    talk_track: str | None = prop(TEXT)
    proof_points: tuple[str, ...] = prop(list_of(TEXT), default=())


@relationship_kind(
    "REPORTS_TO",
    "ReportingLine",
    source="Stakeholder",
    target="Stakeholder",
    ends=("stakeholderId", "managerId"),
    distinct_ends=True,
    same_account=True,
    one_per_source=True,
    description="`stakeholderId` reports to `managerId` (one account).",
)
class ReportingLine(Relationship):
    pass


@relationship_kind(
    "INFLUENCES",
    "Influence",
    source="Stakeholder",
    target="Stakeholder",
    ends=("fromId", "toId"),
    distinct_ends=True,
    same_account=True,
    description="How far one stakeholder can move another's view.",
)
class Influence(Relationship):
    strength: float = prop(UNIT_OPEN, required=True, description="How far, in (0, 1].")
    topics: tuple[ConcernCategory, ...] = prop(
        list_of(enum_of(ConcernCategory), unique=True),
        default=(),
        description="Concern categories it carries; empty means all.",
    )
    evidence: str | None = prop(TEXT)
    verified_at: str | None = prop(DATE, default=TODAY, stamp="today", description=_VERIFIED)


@relationship_kind(
    "CONFLICTS_WITH",
    "Conflict",
    source="Stakeholder",
    target="Stakeholder",
    ends=("fromId", "toId"),
    distinct_ends=True,
    same_account=True,
    description="One stakeholder arguing for something makes the other resist it.",
)
class Conflict(Relationship):
    strength: float = prop(UNIT_OPEN, required=True)
    evidence: str | None = prop(TEXT)
    verified_at: str | None = prop(DATE, default=TODAY, stamp="today", description=_VERIFIED)


@relationship_kind(
    "SITS_ON",
    "Seat",
    source="Stakeholder",
    target="Opportunity",
    ends=("stakeholderId", "opportunityId"),
    same_account=True,
    evidence=("stance", "stanceEvidence"),
    description="A committee seat: a stakeholder's role and stance in one deal.",
)
class Seat(Relationship):
    role: CommitteeRole = prop(enum_of(CommitteeRole), required=True)
    stance: Stance = prop(
        enum_of(Stance), default=Stance.UNKNOWN, description="UNKNOWN until someone finds out."
    )
    veto: bool = prop(BOOLEAN, default=False)
    vote_weight: float = prop(VOTE_WEIGHT, default=1.0)
    stance_evidence: str | None = prop(TEXT, description="Why we believe the stance.")
    stance_updated_at: str | None = prop(
        DATETIME,
        stamp="now",
        stamped_by=("stance",),
        description="When the stance last changed (set by the server unless given).",
    )
    verified_at: str | None = prop(DATE, default=TODAY, stamp="today", description=_VERIFIED)


@relationship_kind(
    "ADVOCATES_FOR",
    "Advocacy",
    source="Stakeholder",
    target="Alternative",
    ends=("stakeholderId", "alternativeId"),
    same_account=True,
    description="Who carries whose flag: a stakeholder pushing an alternative.",
)
class Advocacy(Relationship):
    strength: float = prop(UNIT_OPEN, required=True)
    evidence: str | None = prop(TEXT)


@relationship_kind(
    "CARES_ABOUT",
    "StakeholderConcern",
    source="Stakeholder",
    target="Concern",
    ends=("stakeholderId", "concernId"),
    description="How much a stakeholder cares about a concern.",
)
class StakeholderConcern(Relationship):
    weight: float = prop(UNIT_OPEN, required=True)


@relationship_kind(
    "ADDRESSES",
    "ArgumentFit",
    source="Argument",
    target="Concern",
    ends=("argumentId", "concernId"),
    description="How well an argument addresses a concern.",
)
class ArgumentFit(Relationship):
    fit: float = prop(UNIT_OPEN, required=True)


@relationship_kind(
    "CITES",
    "Citation",
    source="Argument",
    target="Account",
    ends=("argumentId", "accountId"),
    description="An argument cites a reference customer as proof.",
)
class Citation(Relationship):
    pass


@relationship_kind(
    "COACHED_ON",
    "Coaching",
    source="Stakeholder",
    target="Argument",
    ends=("stakeholderId", "argumentId"),
    description="How ready a champion is to carry an argument.",
)
class Coaching(Relationship):
    readiness: float = prop(UNIT, required=True, description="In [0, 1]; 0.7 or more is ready.")
    at: str | None = prop(DATETIME, stamp="now", stamped_by=("readiness",))


@relationship_kind(
    "HEARD",
    "Hearing",
    source="Stakeholder",
    target="Argument",
    ends=("stakeholderId", "argumentId"),
    description="An argument a stakeholder already heard, and how it landed.",
)
class Hearing(Relationship):
    reception: Reception = prop(enum_of(Reception), required=True)
    at: str | None = prop(DATETIME)


ACCOUNT = Account.KIND
STAKEHOLDER = Stakeholder.KIND
OPPORTUNITY = Opportunity.KIND
ALTERNATIVE = Alternative.KIND
CONCERN = Concern.KIND
ARGUMENT = Argument.KIND
REPORTING_LINE = ReportingLine.KIND
INFLUENCE = Influence.KIND
CONFLICT = Conflict.KIND
SEAT = Seat.KIND
ADVOCACY = Advocacy.KIND
STAKEHOLDER_CONCERN = StakeholderConcern.KIND
ARGUMENT_FIT = ArgumentFit.KIND
CITATION = Citation.KIND
COACHING = Coaching.KIND
HEARING = Hearing.KIND

RELATIONSHIPS_BY_TYPE: dict[str, RelationshipKind] = {
    k.type: k for k in RELATIONSHIP_KINDS.values()
}
CHILD_KINDS: dict[str, tuple[NodeKind, ...]] = {
    label: tuple(k for k in NODE_KINDS.values() if k.parent and k.parent.label == label)
    for label in NODE_KINDS
}
ID_PREFIXES: dict[str, str] = {label: kind.id_prefix for label, kind in NODE_KINDS.items()}
