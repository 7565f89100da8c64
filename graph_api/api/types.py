"""GraphQL types of the map: the six node kinds, their relationships, pages and history."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.scalars import JSON

from graph_api.api.context import Info
from graph_api.domain import enums
from graph_api.domain.models import Edge as StoredEdge
from graph_api.domain.models import Node as StoredNode
from graph_api.errors import InvalidInput
from graph_api.repositories import history as history_repo
from graph_api.repositories.audit import relationship_key

DecisionRule = strawberry.enum(enums.DecisionRule)
Seniority = strawberry.enum(enums.Seniority)
AlternativeKind = strawberry.enum(enums.AlternativeKind)
ConcernCategory = strawberry.enum(enums.ConcernCategory)
ArgumentKind = strawberry.enum(enums.ArgumentKind)
CommitteeRole = strawberry.enum(enums.CommitteeRole)
Stance = strawberry.enum(enums.Stance)
Reception = strawberry.enum(enums.Reception)
PlayAction = strawberry.enum(enums.PlayAction)
CoverageStatus = strawberry.enum(enums.CoverageStatus)
ImportMode = strawberry.enum(enums.ImportMode)

DEFAULT_PAGE_SIZE = 20
T = TypeVar("T")


# --- pagination -----------------------------------------------------------------------


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset after which a page starts; a cursor is opaque to clients."""
    if cursor is None:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(value)
    except ValueError as error:
        raise InvalidInput(f"'after' is not a cursor this API issued: {cursor!r}") from error
    if kind != "offset" or offset < 0:
        raise InvalidInput(f"'after' is not a cursor this API issued: {cursor!r}")
    return offset + 1


def page_window(info: Info, first: int | None, after: str | None) -> tuple[int, int]:
    """(offset, limit) for ``first``/``after``; ``first`` is capped by the configured maximum."""
    limit = DEFAULT_PAGE_SIZE if first is None else first
    maximum = info.context.settings.max_page_size
    if limit < 0 or limit > maximum:
        raise InvalidInput(f"'first' must be between 0 and {maximum} (max page size), got {limit}")
    return decode_cursor(after), limit


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def of(items: list[Any], offset: int, total: int) -> Connection[Any]:
        edges = [Edge(node=item, cursor=encode_cursor(offset + i)) for i, item in enumerate(items)]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=offset + len(items) < total,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=total,
        )


# --- conversion helpers ---------------------------------------------------------------


def _ts(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _enum(cls: type[Any], value: str | None) -> Any:
    return None if value is None else cls(value)


def _base(node: StoredNode) -> dict[str, Any]:
    return {
        "id": strawberry.ID(node.id),
        "external_id": node.external_id,
        "created_at": _ts(node.created_at),
        "updated_at": _ts(node.updated_at),
        "updated_by": node.updated_by,
    }


async def _node_or_none(info: Info, label: str, node_id: str) -> StoredNode | None:
    return await info.context.loaders.node(label, node_id)


# --- history --------------------------------------------------------------------------


@strawberry.type(description="One recorded change: who, when, what (field, old, new) and why.")
class ChangeEntry:
    id: strawberry.ID
    at: dt.datetime
    actor: str
    action: str
    entity_kind: str
    entity_id: str
    field: str | None
    old_value: JSON | None
    new_value: JSON | None
    evidence: str | None
    reason: str | None

    @staticmethod
    def from_record(r: history_repo.ChangeRow) -> ChangeEntry:
        return ChangeEntry(
            id=strawberry.ID(r.id),
            at=dt.datetime.fromisoformat(r.at),
            actor=r.actor,
            action=r.action,
            entity_kind=r.entity_kind,
            entity_id=r.entity_id,
            field=r.field,
            old_value=None if r.old_value is None else json.loads(r.old_value),
            new_value=None if r.new_value is None else json.loads(r.new_value),
            evidence=r.evidence,
            reason=r.reason,
        )


async def _history(
    info: Info, entity_id: str, first: int | None, after: str | None
) -> Connection[ChangeEntry]:
    offset, limit = page_window(info, first, after)
    page = await history_repo.entity_history(
        info.context.database, info.context.tenant_id, entity_id, offset, limit
    )
    return Connection.of([ChangeEntry.from_record(r) for r in page.rows], offset, page.total)


# --- nodes ----------------------------------------------------------------------------


@strawberry.interface(description="Anything with a globally unique id; see Query.node.")
class Node:
    id: strawberry.ID


@strawberry.interface
class Entity(Node):
    external_id: str | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    updated_by: str | None


@strawberry.type(description="A customer organisation (or a won reference customer).")
class Account(Entity):
    name: str
    industry: str | None
    employees: int | None
    region: str | None
    domain: str | None
    is_reference: bool

    @staticmethod
    def from_node(n: StoredNode) -> Account:
        return Account(
            **_base(n),
            name=n.get("name"),
            industry=n.get("industry"),
            employees=n.get("employees"),
            region=n.get("region"),
            domain=n.get("domain"),
            is_reference=bool(n.get("isReference")),
        )

    @strawberry.field
    async def stakeholders(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Stakeholder]:
        offset, limit = page_window(info, first, after)
        page = await info.context.loaders.children("Account", "Stakeholder", offset, limit).load(
            self.id
        )
        return Connection.of([Stakeholder.from_node(n) for n in page.nodes], offset, page.total)

    @strawberry.field
    async def opportunities(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Opportunity]:
        offset, limit = page_window(info, first, after)
        page = await info.context.loaders.children("Account", "Opportunity", offset, limit).load(
            self.id
        )
        return Connection.of([Opportunity.from_node(n) for n in page.nodes], offset, page.total)

    @strawberry.field(description="Changes to this account's record itself.")
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ChangeEntry]:
        return await _history(info, self.id, first, after)

    @strawberry.field(description="Every change to the account's map, newest first.")
    async def changes(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ChangeEntry]:
        offset, limit = page_window(info, first, after)
        page = await history_repo.account_feed(
            info.context.database, info.context.tenant_id, self.id, offset, limit
        )
        return Connection.of([ChangeEntry.from_record(r) for r in page.rows], offset, page.total)


@strawberry.type(description="A person at a customer account.")
class Stakeholder(Entity):
    name: str
    title: str | None
    department: str | None
    seniority: Seniority | None  # type: ignore[valid-type]
    email: str | None
    last_verified_at: str | None

    @staticmethod
    def from_node(n: StoredNode) -> Stakeholder:
        return Stakeholder(
            **_base(n),
            name=n.get("name"),
            title=n.get("title"),
            department=n.get("department"),
            seniority=_enum(enums.Seniority, n.get("seniority")),
            email=n.get("email"),
            last_verified_at=n.get("lastVerifiedAt"),
        )

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        edges = await info.context.loaders.edges_out["WORKS_AT"].load(self.id)
        for e in edges:
            node = await _node_or_none(info, "Account", e.target)
            if node is not None:
                return Account.from_node(node)
        return None

    @strawberry.field
    async def reports_to(self, info: Info) -> list[Stakeholder]:
        edges = await info.context.loaders.edges_out["REPORTS_TO"].load(self.id)
        nodes = await info.context.loaders.nodes("Stakeholder", [e.target for e in edges])
        return [Stakeholder.from_node(n) for n in nodes]

    @strawberry.field
    async def direct_reports(self, info: Info) -> list[Stakeholder]:
        edges = await info.context.loaders.edges_in["REPORTS_TO"].load(self.id)
        nodes = await info.context.loaders.nodes("Stakeholder", [e.source for e in edges])
        return [Stakeholder.from_node(n) for n in nodes]

    @strawberry.field(description="People this stakeholder influences.")
    async def influences(self, info: Info) -> list[Influence]:
        edges = await info.context.loaders.edges_out["INFLUENCES"].load(self.id)
        return [Influence.from_edge(e) for e in edges]

    @strawberry.field(description="People who influence this stakeholder.")
    async def influenced_by(self, info: Info) -> list[Influence]:
        edges = await info.context.loaders.edges_in["INFLUENCES"].load(self.id)
        return [Influence.from_edge(e) for e in edges]

    @strawberry.field
    async def conflicts(self, info: Info) -> list[Conflict]:
        out = await info.context.loaders.edges_out["CONFLICTS_WITH"].load(self.id)
        incoming = await info.context.loaders.edges_in["CONFLICTS_WITH"].load(self.id)
        return [Conflict.from_edge(e) for e in [*out, *incoming]]

    @strawberry.field
    async def seats(self, info: Info) -> list[Seat]:
        edges = await info.context.loaders.edges_out["SITS_ON"].load(self.id)
        return [Seat.from_edge(e) for e in edges]

    @strawberry.field
    async def advocacy(self, info: Info) -> list[Advocacy]:
        edges = await info.context.loaders.edges_out["ADVOCATES_FOR"].load(self.id)
        return [Advocacy.from_edge(e) for e in edges]

    @strawberry.field
    async def concerns(self, info: Info) -> list[StakeholderConcern]:
        edges = await info.context.loaders.edges_out["CARES_ABOUT"].load(self.id)
        return [StakeholderConcern.from_edge(e) for e in edges]

    @strawberry.field
    async def coached_on(self, info: Info) -> list[Coaching]:
        edges = await info.context.loaders.edges_out["COACHED_ON"].load(self.id)
        return [Coaching.from_edge(e) for e in edges]

    @strawberry.field
    async def heard(self, info: Info) -> list[Hearing]:
        edges = await info.context.loaders.edges_out["HEARD"].load(self.id)
        return [Hearing.from_edge(e) for e in edges]

    @strawberry.field
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ChangeEntry]:
        return await _history(info, self.id, first, after)


@strawberry.type(description="A deal the account is deciding on, with its decision rule.")
class Opportunity(Entity):
    name: str
    amount: float | None
    currency: str | None
    stage: str | None
    close_date: dt.date | None
    decision_rule: DecisionRule | None  # type: ignore[valid-type]
    threshold: float | None

    @staticmethod
    def from_node(n: StoredNode) -> Opportunity:
        return Opportunity(
            **_base(n),
            name=n.get("name"),
            amount=n.get("amount"),
            currency=n.get("currency"),
            stage=n.get("stage"),
            close_date=_date(n.get("closeDate")),
            decision_rule=_enum(enums.DecisionRule, n.get("decisionRule")),
            threshold=n.get("threshold"),
        )

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        edges = await info.context.loaders.edges_in["HAS_OPPORTUNITY"].load(self.id)
        nodes = await info.context.loaders.nodes("Account", [e.source for e in edges])
        return Account.from_node(nodes[0]) if nodes else None

    @strawberry.field
    async def alternatives(self, info: Info) -> list[Alternative]:
        edges = await info.context.loaders.edges_out["CONSIDERS"].load(self.id)
        nodes = await info.context.loaders.nodes("Alternative", [e.target for e in edges])
        return [Alternative.from_node(n) for n in nodes]

    @strawberry.field(description="The decision committee: one seat per stakeholder.")
    async def committee(self, info: Info) -> list[Seat]:
        edges = await info.context.loaders.edges_in["SITS_ON"].load(self.id)
        return [Seat.from_edge(e) for e in edges]


@strawberry.type(description="An option the account weighs in one opportunity.")
class Alternative(Entity):
    name: str
    kind: AlternativeKind  # type: ignore[valid-type]

    @staticmethod
    def from_node(n: StoredNode) -> Alternative:
        return Alternative(
            **_base(n), name=n.get("name"), kind=enums.AlternativeKind(n.get("kind"))
        )

    @strawberry.field
    async def advocates(self, info: Info) -> list[Advocacy]:
        edges = await info.context.loaders.edges_in["ADVOCATES_FOR"].load(self.id)
        return [Advocacy.from_edge(e) for e in edges]


@strawberry.type(description="Something a stakeholder worries about (tenant playbook).")
class Concern(Entity):
    name: str
    category: ConcernCategory  # type: ignore[valid-type]

    @staticmethod
    def from_node(n: StoredNode) -> Concern:
        return Concern(
            **_base(n), name=n.get("name"), category=enums.ConcernCategory(n.get("category"))
        )


@strawberry.type(description="An argument a champion can make (tenant playbook).")
class Argument(Entity):
    title: str
    kind: ArgumentKind  # type: ignore[valid-type]
    talk_track: str | None
    proof_points: list[str]

    @staticmethod
    def from_node(n: StoredNode) -> Argument:
        return Argument(
            **_base(n),
            title=n.get("title"),
            kind=enums.ArgumentKind(n.get("kind")),
            talk_track=n.get("talkTrack"),
            proof_points=list(n.get("proofPoints") or []),
        )

    @strawberry.field
    async def addresses(self, info: Info) -> list[ArgumentFit]:
        edges = await info.context.loaders.edges_out["ADDRESSES"].load(self.id)
        return [ArgumentFit.from_edge(e) for e in edges]

    @strawberry.field(description="Reference customers this argument cites as proof.")
    async def cites(self, info: Info) -> list[Account]:
        edges = await info.context.loaders.edges_out["CITES"].load(self.id)
        nodes = await info.context.loaders.nodes("Account", [e.target for e in edges])
        return [Account.from_node(n) for n in nodes]


# --- relationships --------------------------------------------------------------------


async def _stakeholder(info: Info, node_id: str) -> Stakeholder:
    return Stakeholder.from_node(await load_node(info, "Stakeholder", node_id))


async def load_node(info: Info, label: str, node_id: str) -> StoredNode:
    node = await _node_or_none(info, label, node_id)
    if node is None:
        raise LookupError(f"{label} {node_id} vanished mid-request")
    return node


@strawberry.type(description="How far one stakeholder can move another's view.")
class Influence:
    id: strawberry.ID
    source_id: strawberry.Private[str]
    target_id: strawberry.Private[str]
    strength: float
    topics: list[ConcernCategory]  # type: ignore[valid-type]
    evidence: str | None

    @staticmethod
    def from_edge(e: StoredEdge) -> Influence:
        return Influence(
            id=strawberry.ID(e.id),
            source_id=e.source,
            target_id=e.target,
            strength=e.get("strength"),
            topics=[enums.ConcernCategory(t) for t in e.get("topics") or []],
            evidence=e.get("evidence"),
        )

    @strawberry.field(name="from")
    async def from_(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.source_id)

    @strawberry.field
    async def to(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.target_id)


@strawberry.type(description="A arguing for something makes B resist it.")
class Conflict:
    id: strawberry.ID
    source_id: strawberry.Private[str]
    target_id: strawberry.Private[str]
    strength: float
    evidence: str | None

    @staticmethod
    def from_edge(e: StoredEdge) -> Conflict:
        return Conflict(
            id=strawberry.ID(e.id),
            source_id=e.source,
            target_id=e.target,
            strength=e.get("strength"),
            evidence=e.get("evidence"),
        )

    @strawberry.field(name="from")
    async def from_(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.source_id)

    @strawberry.field
    async def to(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.target_id)


@strawberry.type(description="A committee seat: a stakeholder's role and stance in one deal.")
class Seat:
    id: strawberry.ID
    stakeholder_id: strawberry.Private[str]
    opportunity_id: strawberry.Private[str]
    role: CommitteeRole  # type: ignore[valid-type]
    stance: Stance  # type: ignore[valid-type]
    veto: bool
    vote_weight: float
    stance_evidence: str | None
    stance_updated_at: dt.datetime | None

    @staticmethod
    def from_edge(e: StoredEdge) -> Seat:
        return Seat(
            id=strawberry.ID(e.id),
            stakeholder_id=e.source,
            opportunity_id=e.target,
            role=enums.CommitteeRole(e.get("role")),
            stance=enums.Stance(e.get("stance") or "UNKNOWN"),
            veto=bool(e.get("veto")),
            vote_weight=e.get("voteWeight") if e.get("voteWeight") is not None else 1.0,
            stance_evidence=e.get("stanceEvidence"),
            stance_updated_at=_ts(e.get("stanceUpdatedAt")),
        )

    @strawberry.field
    async def stakeholder(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.stakeholder_id)

    @strawberry.field
    async def opportunity(self, info: Info) -> Opportunity:
        return Opportunity.from_node(await load_node(info, "Opportunity", self.opportunity_id))

    @strawberry.field(description="How this seat's stance (and role) moved, with evidence.")
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ChangeEntry]:
        return await _history(
            info, relationship_key(self.stakeholder_id, self.opportunity_id), first, after
        )


@strawberry.type(description="Who carries whose flag: a stakeholder pushing an alternative.")
class Advocacy:
    id: strawberry.ID
    stakeholder_id: strawberry.Private[str]
    alternative_id: strawberry.Private[str]
    strength: float
    evidence: str | None

    @staticmethod
    def from_edge(e: StoredEdge) -> Advocacy:
        return Advocacy(
            id=strawberry.ID(e.id),
            stakeholder_id=e.source,
            alternative_id=e.target,
            strength=e.get("strength"),
            evidence=e.get("evidence"),
        )

    @strawberry.field
    async def stakeholder(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.stakeholder_id)

    @strawberry.field
    async def alternative(self, info: Info) -> Alternative:
        return Alternative.from_node(await load_node(info, "Alternative", self.alternative_id))


@strawberry.type(description="How much a stakeholder cares about a concern.")
class StakeholderConcern:
    id: strawberry.ID
    concern_id: strawberry.Private[str]
    weight: float

    @staticmethod
    def from_edge(e: StoredEdge) -> StakeholderConcern:
        return StakeholderConcern(
            id=strawberry.ID(e.id), concern_id=e.target, weight=e.get("weight")
        )

    @strawberry.field
    async def concern(self, info: Info) -> Concern:
        return Concern.from_node(await load_node(info, "Concern", self.concern_id))


@strawberry.type(description="How well an argument addresses a concern.")
class ArgumentFit:
    id: strawberry.ID
    concern_id: strawberry.Private[str]
    fit: float

    @staticmethod
    def from_edge(e: StoredEdge) -> ArgumentFit:
        return ArgumentFit(id=strawberry.ID(e.id), concern_id=e.target, fit=e.get("fit"))

    @strawberry.field
    async def concern(self, info: Info) -> Concern:
        return Concern.from_node(await load_node(info, "Concern", self.concern_id))


@strawberry.type(description="How ready a champion is to carry an argument.")
class Coaching:
    id: strawberry.ID
    argument_id: strawberry.Private[str]
    readiness: float
    at: dt.datetime | None

    @staticmethod
    def from_edge(e: StoredEdge) -> Coaching:
        return Coaching(
            id=strawberry.ID(e.id),
            argument_id=e.target,
            readiness=e.get("readiness"),
            at=_ts(e.get("at")),
        )

    @strawberry.field
    async def argument(self, info: Info) -> Argument:
        return Argument.from_node(await load_node(info, "Argument", self.argument_id))


@strawberry.type(description="An argument a stakeholder already heard, and how it landed.")
class Hearing:
    id: strawberry.ID
    argument_id: strawberry.Private[str]
    reception: Reception  # type: ignore[valid-type]
    at: dt.datetime | None

    @staticmethod
    def from_edge(e: StoredEdge) -> Hearing:
        return Hearing(
            id=strawberry.ID(e.id),
            argument_id=e.target,
            reception=enums.Reception(e.get("reception")),
            at=_ts(e.get("at")),
        )

    @strawberry.field
    async def argument(self, info: Info) -> Argument:
        return Argument.from_node(await load_node(info, "Argument", self.argument_id))


NODE_TYPES: dict[str, Any] = {
    "Account": Account,
    "Stakeholder": Stakeholder,
    "Opportunity": Opportunity,
    "Alternative": Alternative,
    "Concern": Concern,
    "Argument": Argument,
}


def to_graphql(node: StoredNode) -> Any:
    """The GraphQL object for a stored node of any kind."""
    return NODE_TYPES[node.label].from_node(node)


@strawberry.type
class Playbook:
    concerns: list[Concern]
    arguments: list[Argument]


PageSize = Annotated[int, strawberry.argument(description="Page size, at most 100.")]
