"""Mutations of the map: create, update and delete every node and relationship.

Each resolver is one line over four generic helpers (nodes and relationships, write and
delete) that read the input by the fixed property tables of ``graph_api.repositories.
entities``. Every mutation: needs an editor or admin key, is one write transaction with its
audit trail, takes an optional ``reason`` kept in that trail, and answers a union of its
success type and the typed errors of ``graph_api.api.payloads``.

Each create input extends its update input, re-declaring the fields a create requires. In an
update a field left out stays as it is and an explicit null clears it (refused for required
fields).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Iterable
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import UNSET

from graph_api.api.context import Context, Info
from graph_api.api.loaders import Loaders
from graph_api.api.payloads import (
    Citation,
    CreateAccountResult,
    CreateAdvocacyResult,
    CreateAlternativeResult,
    CreateArgumentFitResult,
    CreateArgumentResult,
    CreateCitationResult,
    CreateCoachingResult,
    CreateConcernResult,
    CreateConflictResult,
    CreateHearingResult,
    CreateInfluenceResult,
    CreateOpportunityResult,
    CreateReportingLineResult,
    CreateSeatResult,
    CreateStakeholderConcernResult,
    CreateStakeholderResult,
    DeleteAccountResult,
    DeleteAdvocacyResult,
    DeleteAlternativeResult,
    DeleteArgumentFitResult,
    DeleteArgumentResult,
    DeleteCitationResult,
    DeleteCoachingResult,
    DeleteConcernResult,
    DeleteConflictResult,
    Deleted,
    DeleteHearingResult,
    DeleteInfluenceResult,
    DeleteOpportunityResult,
    DeletePayload,
    DeleteReportingLineResult,
    DeleteSeatResult,
    DeleteStakeholderConcernResult,
    DeleteStakeholderResult,
    ReportingLine,
    UpdateAccountResult,
    UpdateAdvocacyResult,
    UpdateAlternativeResult,
    UpdateArgumentFitResult,
    UpdateArgumentResult,
    UpdateCoachingResult,
    UpdateConcernResult,
    UpdateConflictResult,
    UpdateHearingResult,
    UpdateInfluenceResult,
    UpdateOpportunityResult,
    UpdateSeatResult,
    UpdateStakeholderConcernResult,
    UpdateStakeholderResult,
    UserErrors,
    user_error,
)
from graph_api.api.types import (
    Account,
    Advocacy,
    Alternative,
    Argument,
    ArgumentFit,
    Coaching,
    Concern,
    Conflict,
    Hearing,
    Influence,
    Opportunity,
    Seat,
    Stakeholder,
    StakeholderConcern,
)
from graph_api.domain import enums
from graph_api.domain.models import (
    ACCOUNT,
    ALTERNATIVE,
    ARGUMENT,
    CONCERN,
    OPPORTUNITY,
    STAKEHOLDER,
    NodeKind,
)
from graph_api.domain.models import Edge as StoredEdge
from graph_api.domain.models import Node as StoredNode
from graph_api.errors import FlagbearerError
from graph_api.repositories import entities
from graph_api.repositories.entities import (
    ADVOCACY,
    ARGUMENT_FIT,
    CITATION,
    COACHING,
    CONFLICT,
    HEARING,
    INFLUENCE,
    REPORTING_LINE,
    SEAT,
    STAKEHOLDER_CONCERN,
    RelationshipKind,
)

S = TypeVar("S")
T = TypeVar("T")

Reason = Annotated[
    str | None, strawberry.argument(description="Why: kept in the audit trail with the change.")
]


# --- reading inputs -------------------------------------------------------------------


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _stored(value: Any) -> Any:
    """A GraphQL input value as it is stored: enums by name, times as UTC ISO 8601 text."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_stored(v) for v in value]
    return value


def _given(data: object, names: Iterable[str]) -> dict[str, Any]:
    """The input's fields the caller gave (UNSET means left out), by stored property name."""
    values = {name: getattr(data, _snake(name), UNSET) for name in names}
    return {name: _stored(v) for name, v in values.items() if v is not UNSET}


def _node_values(kind: NodeKind, data: object) -> dict[str, Any]:
    return _given(data, (entities.EXTERNAL_ID.name, *kind.property_names))


def _ends(kind: RelationshipKind, data: object) -> tuple[str, str]:
    return str(getattr(data, _snake(kind.source_arg))), str(getattr(data, _snake(kind.target_arg)))


# --- the generic mutations ------------------------------------------------------------


async def _guarded(
    info: Info, write: Callable[[Context], Awaitable[S]], shape: Callable[[S], T]
) -> T | UserErrors:
    """Run ``write`` for a writer, as the success type or the typed error it ended in."""
    context = info.context
    try:
        context.require_writer()
        written = await write(context)
    except FlagbearerError as error:
        return user_error(error)
    # Reads cached earlier in this request may predate the write: later fields load afresh.
    context.loaders = Loaders(context.database, context.tenant_id)
    return shape(written)


def _deleted(entity: StoredNode | StoredEdge) -> DeletePayload:
    return DeletePayload(deleted_id=strawberry.ID(entity.id))


async def create_node(
    info: Info, kind: NodeKind, data: object, reason: str | None,
    shape: Callable[[StoredNode], T],
) -> T | UserErrors:
    parent = getattr(data, _snake(entities.parent_arg(kind))) if kind.parent_label else None
    values = _node_values(kind, data)
    return await _guarded(
        info,
        lambda c: entities.create_node(
            c.database, c.principal, kind, values, None if parent is None else str(parent), reason
        ),
        shape,
    )


async def update_node(
    info: Info, kind: NodeKind, node_id: strawberry.ID, data: object, reason: str | None,
    shape: Callable[[StoredNode], T],
) -> T | UserErrors:
    values = _node_values(kind, data)
    return await _guarded(
        info,
        lambda c: entities.update_node(c.database, c.principal, kind, str(node_id), values, reason),
        shape,
    )


async def delete_node(
    info: Info, kind: NodeKind, node_id: strawberry.ID, reason: str | None
) -> Deleted:
    return await _guarded(
        info,
        lambda c: entities.delete_node(c.database, c.principal, kind, str(node_id), reason),
        _deleted,
    )


async def create_relationship(
    info: Info, kind: RelationshipKind, data: object, reason: str | None,
    shape: Callable[[StoredEdge], T],
) -> T | UserErrors:
    source, target = _ends(kind, data)
    values = _given(data, kind.property_names)
    return await _guarded(
        info,
        lambda c: entities.create_relationship(
            c.database, c.principal, kind, source, target, values, reason
        ),
        shape,
    )


async def update_relationship(
    info: Info, kind: RelationshipKind, data: object, reason: str | None,
    shape: Callable[[StoredEdge], T],
) -> T | UserErrors:
    source, target = _ends(kind, data)
    values = _given(data, kind.property_names)
    return await _guarded(
        info,
        lambda c: entities.update_relationship(
            c.database, c.principal, kind, source, target, values, reason
        ),
        shape,
    )


async def delete_relationship(
    info: Info, kind: RelationshipKind, source: strawberry.ID, target: strawberry.ID,
    reason: str | None,
) -> Deleted:
    return await _guarded(
        info,
        lambda c: entities.delete_relationship(
            c.database, c.principal, kind, str(source), str(target), reason
        ),
        _deleted,
    )


# --- node inputs ----------------------------------------------------------------------


@strawberry.input(description="Changes to an account.")
class UpdateAccountInput:
    name: str | None = UNSET
    external_id: str | None = UNSET
    industry: str | None = UNSET
    employees: int | None = UNSET
    region: str | None = UNSET
    domain: str | None = UNSET
    is_reference: bool | None = UNSET


@strawberry.input(description="A new account (a customer, or a won reference customer).")
class CreateAccountInput(UpdateAccountInput):
    name: str


@strawberry.input(description="Changes to a stakeholder.")
class UpdateStakeholderInput:
    name: str | None = UNSET
    external_id: str | None = UNSET
    title: str | None = UNSET
    department: str | None = UNSET
    seniority: enums.Seniority | None = UNSET
    email: str | None = UNSET
    last_verified_at: str | None = UNSET


@strawberry.input(description="A new stakeholder, working at the account `accountId`.")
class CreateStakeholderInput(UpdateStakeholderInput):
    account_id: strawberry.ID
    name: str


@strawberry.input(description="Changes to an opportunity.")
class UpdateOpportunityInput:
    name: str | None = UNSET
    external_id: str | None = UNSET
    amount: float | None = UNSET
    currency: str | None = UNSET
    stage: str | None = UNSET
    close_date: dt.date | None = UNSET
    decision_rule: enums.DecisionRule | None = UNSET
    threshold: float | None = strawberry.field(
        default=UNSET, description="Share of vote weight needed, in (0, 1], for THRESHOLD."
    )


@strawberry.input(description="A new opportunity of the account `accountId`.")
class CreateOpportunityInput(UpdateOpportunityInput):
    account_id: strawberry.ID
    name: str


@strawberry.input(description="Changes to an alternative.")
class UpdateAlternativeInput:
    name: str | None = UNSET
    external_id: str | None = UNSET
    kind: enums.AlternativeKind | None = UNSET


@strawberry.input(description="A new option the account weighs in the opportunity `opportunityId`.")
class CreateAlternativeInput(UpdateAlternativeInput):
    opportunity_id: strawberry.ID
    name: str
    kind: enums.AlternativeKind


@strawberry.input(description="Changes to a playbook concern.")
class UpdateConcernInput:
    name: str | None = UNSET
    external_id: str | None = UNSET
    category: enums.ConcernCategory | None = UNSET


@strawberry.input(description="A new concern in the tenant's playbook.")
class CreateConcernInput(UpdateConcernInput):
    name: str
    category: enums.ConcernCategory


@strawberry.input(description="Changes to a playbook argument.")
class UpdateArgumentInput:
    title: str | None = UNSET
    external_id: str | None = UNSET
    kind: enums.ArgumentKind | None = UNSET
    talk_track: str | None = UNSET
    proof_points: list[str] | None = UNSET


@strawberry.input(description="A new argument in the tenant's playbook.")
class CreateArgumentInput(UpdateArgumentInput):
    title: str
    kind: enums.ArgumentKind


# --- relationship inputs --------------------------------------------------------------


@strawberry.input(description="Changes to how far `fromId` can move `toId`'s view.")
class UpdateInfluenceInput:
    from_id: strawberry.ID
    to_id: strawberry.ID
    strength: float | None = UNSET
    topics: list[enums.ConcernCategory] | None = strawberry.field(
        default=UNSET, description="Concern categories it carries; empty means all."
    )
    evidence: str | None = UNSET


@strawberry.input(description="`fromId` influences `toId` (two people of one account).")
class CreateInfluenceInput(UpdateInfluenceInput):
    strength: float = strawberry.field(description="In (0, 1].")


@strawberry.input(description="Changes to a conflict between two stakeholders.")
class UpdateConflictInput:
    from_id: strawberry.ID
    to_id: strawberry.ID
    strength: float | None = UNSET
    evidence: str | None = UNSET


@strawberry.input(description="`fromId` arguing for something makes `toId` resist it.")
class CreateConflictInput(UpdateConflictInput):
    strength: float = strawberry.field(description="In (0, 1].")


@strawberry.input(description="`stakeholderId` reports to `managerId` (one account).")
class CreateReportingLineInput:
    stakeholder_id: strawberry.ID
    manager_id: strawberry.ID


@strawberry.input(description="Changes to a committee seat.")
class UpdateSeatInput:
    stakeholder_id: strawberry.ID
    opportunity_id: strawberry.ID
    role: enums.CommitteeRole | None = UNSET
    stance: enums.Stance | None = strawberry.field(
        default=UNSET, description="Setting it also sets stanceUpdatedAt to now."
    )
    veto: bool | None = UNSET
    vote_weight: float | None = strawberry.field(default=UNSET, description="Above 0; 1 if unset.")
    stance_evidence: str | None = strawberry.field(
        default=UNSET, description="What the stance rests on; kept with the stance's history."
    )


@strawberry.input(description="A seat for `stakeholderId` on the committee of `opportunityId`.")
class CreateSeatInput(UpdateSeatInput):
    role: enums.CommitteeRole


@strawberry.input(description="Changes to an advocacy.")
class UpdateAdvocacyInput:
    stakeholder_id: strawberry.ID
    alternative_id: strawberry.ID
    strength: float | None = UNSET
    evidence: str | None = UNSET


@strawberry.input(description="`stakeholderId` carries the flag of `alternativeId` (same account).")
class CreateAdvocacyInput(UpdateAdvocacyInput):
    strength: float = strawberry.field(description="In (0, 1].")


@strawberry.input(description="Changes to how much a stakeholder cares about a concern.")
class UpdateStakeholderConcernInput:
    stakeholder_id: strawberry.ID
    concern_id: strawberry.ID
    weight: float | None = UNSET


@strawberry.input(description="`stakeholderId` cares about `concernId`.")
class CreateStakeholderConcernInput(UpdateStakeholderConcernInput):
    weight: float = strawberry.field(description="In (0, 1].")


@strawberry.input(description="Changes to how well an argument addresses a concern.")
class UpdateArgumentFitInput:
    argument_id: strawberry.ID
    concern_id: strawberry.ID
    fit: float | None = UNSET


@strawberry.input(description="`argumentId` addresses `concernId`.")
class CreateArgumentFitInput(UpdateArgumentFitInput):
    fit: float = strawberry.field(description="In (0, 1].")


@strawberry.input(description="`argumentId` cites the reference customer `accountId` as proof.")
class CreateCitationInput:
    argument_id: strawberry.ID
    account_id: strawberry.ID


@strawberry.input(description="Changes to how ready a champion is to carry an argument.")
class UpdateCoachingInput:
    stakeholder_id: strawberry.ID
    argument_id: strawberry.ID
    readiness: float | None = UNSET
    at: dt.datetime | None = strawberry.field(
        default=UNSET, description="When readiness was assessed; now if readiness changes."
    )


@strawberry.input(description="`stakeholderId` was coached on `argumentId`.")
class CreateCoachingInput(UpdateCoachingInput):
    readiness: float = strawberry.field(description="In [0, 1]; 0.7 or more means ready.")


@strawberry.input(description="Changes to what a stakeholder heard.")
class UpdateHearingInput:
    stakeholder_id: strawberry.ID
    argument_id: strawberry.ID
    reception: enums.Reception | None = UNSET
    at: dt.datetime | None = UNSET


@strawberry.input(description="`stakeholderId` already heard `argumentId`.")
class CreateHearingInput(UpdateHearingInput):
    reception: enums.Reception


# --- the root type --------------------------------------------------------------------

_PRIVACY = (
    " Privacy: a deleted stakeholder is erased. The audit trail keeps a DELETE record naming"
    " only the id and externalId, and the name, title and email are erased from the"
    " stakeholder's earlier audit records too."
)


@strawberry.type
class MapMutation:
    # Nodes. WORKS_AT, HAS_OPPORTUNITY and CONSIDERS are made with the child, removed with it.

    @strawberry.mutation(description="Create an account.")
    async def create_account(
        self, info: Info, input: CreateAccountInput, reason: Reason = None  # noqa: A002
    ) -> CreateAccountResult:
        return await create_node(info, ACCOUNT, input, reason, Account.from_node)

    @strawberry.mutation(description="Change an account.")
    async def update_account(
        self, info: Info, id: strawberry.ID, input: UpdateAccountInput,  # noqa: A002
        reason: Reason = None,
    ) -> UpdateAccountResult:
        return await update_node(info, ACCOUNT, id, input, reason, Account.from_node)

    @strawberry.mutation(
        description="Delete an account with its stakeholders, its opportunities and their "
        "alternatives, and every relationship of those." + _PRIVACY
    )
    async def delete_account(
        self, info: Info, id: strawberry.ID, reason: Reason = None  # noqa: A002
    ) -> DeleteAccountResult:
        return await delete_node(info, ACCOUNT, id, reason)

    @strawberry.mutation(
        description="Create a stakeholder of `input.accountId`; this makes the WORKS_AT "
        "relationship, which is removed with the stakeholder."
    )
    async def create_stakeholder(
        self, info: Info, input: CreateStakeholderInput, reason: Reason = None  # noqa: A002
    ) -> CreateStakeholderResult:
        return await create_node(info, STAKEHOLDER, input, reason, Stakeholder.from_node)

    @strawberry.mutation(description="Change a stakeholder.")
    async def update_stakeholder(
        self, info: Info, id: strawberry.ID, input: UpdateStakeholderInput,  # noqa: A002
        reason: Reason = None,
    ) -> UpdateStakeholderResult:
        return await update_node(info, STAKEHOLDER, id, input, reason, Stakeholder.from_node)

    @strawberry.mutation(
        description="Delete a stakeholder with every relationship (seats, influences, "
        "reporting lines, advocacy, concerns, coaching, hearings)." + _PRIVACY
    )
    async def delete_stakeholder(
        self, info: Info, id: strawberry.ID, reason: Reason = None  # noqa: A002
    ) -> DeleteStakeholderResult:
        return await delete_node(info, STAKEHOLDER, id, reason)

    @strawberry.mutation(
        description="Create an opportunity of `input.accountId`; this makes the "
        "HAS_OPPORTUNITY relationship, which is removed with the opportunity."
    )
    async def create_opportunity(
        self, info: Info, input: CreateOpportunityInput, reason: Reason = None  # noqa: A002
    ) -> CreateOpportunityResult:
        return await create_node(info, OPPORTUNITY, input, reason, Opportunity.from_node)

    @strawberry.mutation(description="Change an opportunity.")
    async def update_opportunity(
        self, info: Info, id: strawberry.ID, input: UpdateOpportunityInput,  # noqa: A002
        reason: Reason = None,
    ) -> UpdateOpportunityResult:
        return await update_node(info, OPPORTUNITY, id, input, reason, Opportunity.from_node)

    @strawberry.mutation(
        description="Delete an opportunity with its alternatives (and the advocacy for them) "
        "and its committee seats."
    )
    async def delete_opportunity(
        self, info: Info, id: strawberry.ID, reason: Reason = None  # noqa: A002
    ) -> DeleteOpportunityResult:
        return await delete_node(info, OPPORTUNITY, id, reason)

    @strawberry.mutation(
        description="Create an alternative of `input.opportunityId`; this makes the CONSIDERS "
        "relationship, which is removed with the alternative."
    )
    async def create_alternative(
        self, info: Info, input: CreateAlternativeInput, reason: Reason = None  # noqa: A002
    ) -> CreateAlternativeResult:
        return await create_node(info, ALTERNATIVE, input, reason, Alternative.from_node)

    @strawberry.mutation(description="Change an alternative.")
    async def update_alternative(
        self, info: Info, id: strawberry.ID, input: UpdateAlternativeInput,  # noqa: A002
        reason: Reason = None,
    ) -> UpdateAlternativeResult:
        return await update_node(info, ALTERNATIVE, id, input, reason, Alternative.from_node)

    @strawberry.mutation(description="Delete an alternative and the advocacy for it.")
    async def delete_alternative(
        self, info: Info, id: strawberry.ID, reason: Reason = None  # noqa: A002
    ) -> DeleteAlternativeResult:
        return await delete_node(info, ALTERNATIVE, id, reason)

    @strawberry.mutation(description="Create a concern in the tenant's playbook.")
    async def create_concern(
        self, info: Info, input: CreateConcernInput, reason: Reason = None  # noqa: A002
    ) -> CreateConcernResult:
        return await create_node(info, CONCERN, input, reason, Concern.from_node)

    @strawberry.mutation(description="Change a playbook concern.")
    async def update_concern(
        self, info: Info, id: strawberry.ID, input: UpdateConcernInput,  # noqa: A002
        reason: Reason = None,
    ) -> UpdateConcernResult:
        return await update_node(info, CONCERN, id, input, reason, Concern.from_node)

    @strawberry.mutation(description="Delete a playbook concern and every link to it.")
    async def delete_concern(
        self, info: Info, id: strawberry.ID, reason: Reason = None  # noqa: A002
    ) -> DeleteConcernResult:
        return await delete_node(info, CONCERN, id, reason)

    @strawberry.mutation(description="Create an argument in the tenant's playbook.")
    async def create_argument(
        self, info: Info, input: CreateArgumentInput, reason: Reason = None  # noqa: A002
    ) -> CreateArgumentResult:
        return await create_node(info, ARGUMENT, input, reason, Argument.from_node)

    @strawberry.mutation(description="Change a playbook argument.")
    async def update_argument(
        self, info: Info, id: strawberry.ID, input: UpdateArgumentInput,  # noqa: A002
        reason: Reason = None,
    ) -> UpdateArgumentResult:
        return await update_node(info, ARGUMENT, id, input, reason, Argument.from_node)

    @strawberry.mutation(
        description="Delete a playbook argument with its fits, citations, coaching and hearings."
    )
    async def delete_argument(
        self, info: Info, id: strawberry.ID, reason: Reason = None  # noqa: A002
    ) -> DeleteArgumentResult:
        return await delete_node(info, ARGUMENT, id, reason)

    # Relationships, each named by its two endpoint ids.

    @strawberry.mutation(description="Record that one stakeholder influences another.")
    async def create_influence(
        self, info: Info, input: CreateInfluenceInput, reason: Reason = None  # noqa: A002
    ) -> CreateInfluenceResult:
        return await create_relationship(info, INFLUENCE, input, reason, Influence.from_edge)

    @strawberry.mutation(description="Change an influence.")
    async def update_influence(
        self, info: Info, input: UpdateInfluenceInput, reason: Reason = None  # noqa: A002
    ) -> UpdateInfluenceResult:
        return await update_relationship(info, INFLUENCE, input, reason, Influence.from_edge)

    @strawberry.mutation(description="Delete the influence of `fromId` on `toId`.")
    async def delete_influence(
        self, info: Info, from_id: strawberry.ID, to_id: strawberry.ID, reason: Reason = None
    ) -> DeleteInfluenceResult:
        return await delete_relationship(info, INFLUENCE, from_id, to_id, reason)

    @strawberry.mutation(description="Record that one stakeholder's advocacy provokes another.")
    async def create_conflict(
        self, info: Info, input: CreateConflictInput, reason: Reason = None  # noqa: A002
    ) -> CreateConflictResult:
        return await create_relationship(info, CONFLICT, input, reason, Conflict.from_edge)

    @strawberry.mutation(description="Change a conflict.")
    async def update_conflict(
        self, info: Info, input: UpdateConflictInput, reason: Reason = None  # noqa: A002
    ) -> UpdateConflictResult:
        return await update_relationship(info, CONFLICT, input, reason, Conflict.from_edge)

    @strawberry.mutation(description="Delete the conflict of `fromId` with `toId`.")
    async def delete_conflict(
        self, info: Info, from_id: strawberry.ID, to_id: strawberry.ID, reason: Reason = None
    ) -> DeleteConflictResult:
        return await delete_relationship(info, CONFLICT, from_id, to_id, reason)

    @strawberry.mutation(
        description="Record an org-chart line (it has no properties, so no update)."
    )
    async def create_reporting_line(
        self, info: Info, input: CreateReportingLineInput, reason: Reason = None  # noqa: A002
    ) -> CreateReportingLineResult:
        return await create_relationship(
            info, REPORTING_LINE, input, reason, ReportingLine.from_edge
        )

    @strawberry.mutation(description="Delete the line from `stakeholderId` to `managerId`.")
    async def delete_reporting_line(
        self, info: Info, stakeholder_id: strawberry.ID, manager_id: strawberry.ID,
        reason: Reason = None,
    ) -> DeleteReportingLineResult:
        return await delete_relationship(info, REPORTING_LINE, stakeholder_id, manager_id, reason)

    @strawberry.mutation(
        description="Seat a stakeholder on an opportunity's committee (they must work at its "
        "account)."
    )
    async def create_seat(
        self, info: Info, input: CreateSeatInput, reason: Reason = None  # noqa: A002
    ) -> CreateSeatResult:
        return await create_relationship(info, SEAT, input, reason, Seat.from_edge)

    @strawberry.mutation(
        description="Change a seat; a stance change is kept in `Seat.history` with its evidence."
    )
    async def update_seat(
        self, info: Info, input: UpdateSeatInput, reason: Reason = None  # noqa: A002
    ) -> UpdateSeatResult:
        return await update_relationship(info, SEAT, input, reason, Seat.from_edge)

    @strawberry.mutation(description="Remove `stakeholderId` from the committee.")
    async def delete_seat(
        self, info: Info, stakeholder_id: strawberry.ID, opportunity_id: strawberry.ID,
        reason: Reason = None,
    ) -> DeleteSeatResult:
        return await delete_relationship(info, SEAT, stakeholder_id, opportunity_id, reason)

    @strawberry.mutation(
        description="Record who carries whose flag: the alternative must be weighed in an "
        "opportunity of the stakeholder's account."
    )
    async def create_advocacy(
        self, info: Info, input: CreateAdvocacyInput, reason: Reason = None  # noqa: A002
    ) -> CreateAdvocacyResult:
        return await create_relationship(info, ADVOCACY, input, reason, Advocacy.from_edge)

    @strawberry.mutation(description="Change an advocacy.")
    async def update_advocacy(
        self, info: Info, input: UpdateAdvocacyInput, reason: Reason = None  # noqa: A002
    ) -> UpdateAdvocacyResult:
        return await update_relationship(info, ADVOCACY, input, reason, Advocacy.from_edge)

    @strawberry.mutation(description="Delete the advocacy of `stakeholderId` for `alternativeId`.")
    async def delete_advocacy(
        self, info: Info, stakeholder_id: strawberry.ID, alternative_id: strawberry.ID,
        reason: Reason = None,
    ) -> DeleteAdvocacyResult:
        return await delete_relationship(info, ADVOCACY, stakeholder_id, alternative_id, reason)

    @strawberry.mutation(description="Record that a stakeholder cares about a concern.")
    async def create_stakeholder_concern(
        self, info: Info, input: CreateStakeholderConcernInput,  # noqa: A002
        reason: Reason = None,
    ) -> CreateStakeholderConcernResult:
        return await create_relationship(
            info, STAKEHOLDER_CONCERN, input, reason, StakeholderConcern.from_edge
        )

    @strawberry.mutation(description="Change how much a stakeholder cares about a concern.")
    async def update_stakeholder_concern(
        self, info: Info, input: UpdateStakeholderConcernInput,  # noqa: A002
        reason: Reason = None,
    ) -> UpdateStakeholderConcernResult:
        return await update_relationship(
            info, STAKEHOLDER_CONCERN, input, reason, StakeholderConcern.from_edge
        )

    @strawberry.mutation(description="Delete that `stakeholderId` cares about `concernId`.")
    async def delete_stakeholder_concern(
        self, info: Info, stakeholder_id: strawberry.ID, concern_id: strawberry.ID,
        reason: Reason = None,
    ) -> DeleteStakeholderConcernResult:
        return await delete_relationship(
            info, STAKEHOLDER_CONCERN, stakeholder_id, concern_id, reason
        )

    @strawberry.mutation(description="Record that an argument addresses a concern.")
    async def create_argument_fit(
        self, info: Info, input: CreateArgumentFitInput, reason: Reason = None  # noqa: A002
    ) -> CreateArgumentFitResult:
        return await create_relationship(info, ARGUMENT_FIT, input, reason, ArgumentFit.from_edge)

    @strawberry.mutation(description="Change how well an argument addresses a concern.")
    async def update_argument_fit(
        self, info: Info, input: UpdateArgumentFitInput, reason: Reason = None  # noqa: A002
    ) -> UpdateArgumentFitResult:
        return await update_relationship(info, ARGUMENT_FIT, input, reason, ArgumentFit.from_edge)

    @strawberry.mutation(description="Delete that `argumentId` addresses `concernId`.")
    async def delete_argument_fit(
        self, info: Info, argument_id: strawberry.ID, concern_id: strawberry.ID,
        reason: Reason = None,
    ) -> DeleteArgumentFitResult:
        return await delete_relationship(info, ARGUMENT_FIT, argument_id, concern_id, reason)

    @strawberry.mutation(
        description="Record that an argument cites a reference customer (no properties, so no "
        "update)."
    )
    async def create_citation(
        self, info: Info, input: CreateCitationInput, reason: Reason = None  # noqa: A002
    ) -> CreateCitationResult:
        return await create_relationship(info, CITATION, input, reason, Citation.from_edge)

    @strawberry.mutation(description="Delete that `argumentId` cites `accountId`.")
    async def delete_citation(
        self, info: Info, argument_id: strawberry.ID, account_id: strawberry.ID,
        reason: Reason = None,
    ) -> DeleteCitationResult:
        return await delete_relationship(info, CITATION, argument_id, account_id, reason)

    @strawberry.mutation(
        description="Record how ready a champion is to carry an argument (`at` defaults to now)."
    )
    async def create_coaching(
        self, info: Info, input: CreateCoachingInput, reason: Reason = None  # noqa: A002
    ) -> CreateCoachingResult:
        return await create_relationship(info, COACHING, input, reason, Coaching.from_edge)

    @strawberry.mutation(description="Change a champion's readiness on an argument.")
    async def update_coaching(
        self, info: Info, input: UpdateCoachingInput, reason: Reason = None  # noqa: A002
    ) -> UpdateCoachingResult:
        return await update_relationship(info, COACHING, input, reason, Coaching.from_edge)

    @strawberry.mutation(description="Delete the coaching of `stakeholderId` on `argumentId`.")
    async def delete_coaching(
        self, info: Info, stakeholder_id: strawberry.ID, argument_id: strawberry.ID,
        reason: Reason = None,
    ) -> DeleteCoachingResult:
        return await delete_relationship(info, COACHING, stakeholder_id, argument_id, reason)

    @strawberry.mutation(description="Record that a stakeholder heard an argument, and how.")
    async def create_hearing(
        self, info: Info, input: CreateHearingInput, reason: Reason = None  # noqa: A002
    ) -> CreateHearingResult:
        return await create_relationship(info, HEARING, input, reason, Hearing.from_edge)

    @strawberry.mutation(description="Change how an argument landed.")
    async def update_hearing(
        self, info: Info, input: UpdateHearingInput, reason: Reason = None  # noqa: A002
    ) -> UpdateHearingResult:
        return await update_relationship(info, HEARING, input, reason, Hearing.from_edge)

    @strawberry.mutation(description="Delete that `stakeholderId` heard `argumentId`.")
    async def delete_hearing(
        self, info: Info, stakeholder_id: strawberry.ID, argument_id: strawberry.ID,
        reason: Reason = None,
    ) -> DeleteHearingResult:
        return await delete_relationship(info, HEARING, stakeholder_id, argument_id, reason)
