"""What a mutation answers: its success type, or one of the typed errors a client can act on.

Every mutation's result is a union ``<MutationName>Result`` of its success type (the node or
relationship as it now is, or ``DeletePayload``) and the four ``UserError`` types. Errors the
caller can fix are data, not GraphQL errors; ``user_error`` is the one mapping from the
package's errors to them.
"""

from __future__ import annotations

from typing import Annotated, TypeAlias

import strawberry
from strawberry import union

from graph_api.api.context import Info
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
    load_node,
)
from graph_api.domain.models import Edge as StoredEdge
from graph_api.errors import Conflict as ConflictFailure
from graph_api.errors import FlagbearerError, Forbidden, InvalidInput, NotFound


@strawberry.interface(description="A problem the caller can fix (`code` is stable).")
class UserError:
    message: str
    code: str


@strawberry.type(description="One problem in the input, located by its path (`input.strength`).")
class InputProblem:
    path: str
    message: str


@strawberry.type(description="The input breaks one or more rules; every problem is listed.")
class InvalidInputError(UserError):
    problems: list[InputProblem]


@strawberry.type(
    description="Nothing of that kind and key in your tenant (another tenant's look the same)."
)
class NotFoundError(UserError):
    entity_kind: str = strawberry.field(description="The kind of entity looked for.")
    key: str


@strawberry.type(
    description="The change would duplicate something unique: an externalId or a relationship."
)
class ConflictError(UserError):
    pass


@strawberry.type(description="This key may not change the map (viewers only read).")
class ForbiddenError(UserError):
    pass


UserErrors: TypeAlias = InvalidInputError | NotFoundError | ConflictError | ForbiddenError


def user_error(error: FlagbearerError) -> UserErrors:
    """The typed error for ``error``; one the caller cannot fix is raised again."""
    if isinstance(error, InvalidInput):
        problems = [InputProblem(path=p.path, message=p.message) for p in error.problems]
        return InvalidInputError(message=error.message, code=error.code, problems=problems)
    if isinstance(error, NotFound):
        return NotFoundError(
            message=error.message, code=error.code, entity_kind=error.kind, key=error.key
        )
    if isinstance(error, ConflictFailure):
        return ConflictError(message=error.message, code=error.code)
    if isinstance(error, Forbidden):
        return ForbiddenError(message=error.message, code=error.code)
    raise error


@strawberry.type(description="What a delete removed: the id it had.")
class DeletePayload:
    deleted_id: strawberry.ID


@strawberry.type(description="An org-chart line: a stakeholder reports to a manager.")
class ReportingLine:
    id: strawberry.ID
    stakeholder_id: strawberry.Private[str]
    manager_id: strawberry.Private[str]

    @staticmethod
    def from_edge(e: StoredEdge) -> ReportingLine:
        return ReportingLine(id=strawberry.ID(e.id), stakeholder_id=e.source, manager_id=e.target)

    @strawberry.field
    async def stakeholder(self, info: Info) -> Stakeholder:
        return Stakeholder.from_node(await load_node(info, "Stakeholder", self.stakeholder_id))

    @strawberry.field
    async def manager(self, info: Info) -> Stakeholder:
        return Stakeholder.from_node(await load_node(info, "Stakeholder", self.manager_id))


@strawberry.type(description="An argument citing a reference customer as proof.")
class Citation:
    id: strawberry.ID
    argument_id: strawberry.Private[str]
    account_id: strawberry.Private[str]

    @staticmethod
    def from_edge(e: StoredEdge) -> Citation:
        return Citation(id=strawberry.ID(e.id), argument_id=e.source, account_id=e.target)

    @strawberry.field
    async def argument(self, info: Info) -> Argument:
        return Argument.from_node(await load_node(info, "Argument", self.argument_id))

    @strawberry.field
    async def account(self, info: Info) -> Account:
        return Account.from_node(await load_node(info, "Account", self.account_id))


Deleted: TypeAlias = DeletePayload | UserErrors
CreateAccountResult = Annotated[Account | UserErrors, union("CreateAccountResult")]
UpdateAccountResult = Annotated[Account | UserErrors, union("UpdateAccountResult")]
DeleteAccountResult = Annotated[Deleted, union("DeleteAccountResult")]
CreateStakeholderResult = Annotated[Stakeholder | UserErrors, union("CreateStakeholderResult")]
UpdateStakeholderResult = Annotated[Stakeholder | UserErrors, union("UpdateStakeholderResult")]
DeleteStakeholderResult = Annotated[Deleted, union("DeleteStakeholderResult")]
CreateOpportunityResult = Annotated[Opportunity | UserErrors, union("CreateOpportunityResult")]
UpdateOpportunityResult = Annotated[Opportunity | UserErrors, union("UpdateOpportunityResult")]
DeleteOpportunityResult = Annotated[Deleted, union("DeleteOpportunityResult")]
CreateAlternativeResult = Annotated[Alternative | UserErrors, union("CreateAlternativeResult")]
UpdateAlternativeResult = Annotated[Alternative | UserErrors, union("UpdateAlternativeResult")]
DeleteAlternativeResult = Annotated[Deleted, union("DeleteAlternativeResult")]
CreateConcernResult = Annotated[Concern | UserErrors, union("CreateConcernResult")]
UpdateConcernResult = Annotated[Concern | UserErrors, union("UpdateConcernResult")]
DeleteConcernResult = Annotated[Deleted, union("DeleteConcernResult")]
CreateArgumentResult = Annotated[Argument | UserErrors, union("CreateArgumentResult")]
UpdateArgumentResult = Annotated[Argument | UserErrors, union("UpdateArgumentResult")]
DeleteArgumentResult = Annotated[Deleted, union("DeleteArgumentResult")]

CreateInfluenceResult = Annotated[Influence | UserErrors, union("CreateInfluenceResult")]
UpdateInfluenceResult = Annotated[Influence | UserErrors, union("UpdateInfluenceResult")]
DeleteInfluenceResult = Annotated[Deleted, union("DeleteInfluenceResult")]
CreateConflictResult = Annotated[Conflict | UserErrors, union("CreateConflictResult")]
UpdateConflictResult = Annotated[Conflict | UserErrors, union("UpdateConflictResult")]
DeleteConflictResult = Annotated[Deleted, union("DeleteConflictResult")]
CreateReportingLineResult = Annotated[
    ReportingLine | UserErrors, union("CreateReportingLineResult")
]
DeleteReportingLineResult = Annotated[Deleted, union("DeleteReportingLineResult")]
CreateSeatResult = Annotated[Seat | UserErrors, union("CreateSeatResult")]
UpdateSeatResult = Annotated[Seat | UserErrors, union("UpdateSeatResult")]
DeleteSeatResult = Annotated[Deleted, union("DeleteSeatResult")]
CreateAdvocacyResult = Annotated[Advocacy | UserErrors, union("CreateAdvocacyResult")]
UpdateAdvocacyResult = Annotated[Advocacy | UserErrors, union("UpdateAdvocacyResult")]
DeleteAdvocacyResult = Annotated[Deleted, union("DeleteAdvocacyResult")]
CreateStakeholderConcernResult = Annotated[
    StakeholderConcern | UserErrors, union("CreateStakeholderConcernResult")
]
UpdateStakeholderConcernResult = Annotated[
    StakeholderConcern | UserErrors, union("UpdateStakeholderConcernResult")
]
DeleteStakeholderConcernResult = Annotated[Deleted, union("DeleteStakeholderConcernResult")]
CreateArgumentFitResult = Annotated[ArgumentFit | UserErrors, union("CreateArgumentFitResult")]
UpdateArgumentFitResult = Annotated[ArgumentFit | UserErrors, union("UpdateArgumentFitResult")]
DeleteArgumentFitResult = Annotated[Deleted, union("DeleteArgumentFitResult")]
CreateCitationResult = Annotated[Citation | UserErrors, union("CreateCitationResult")]
DeleteCitationResult = Annotated[Deleted, union("DeleteCitationResult")]
CreateCoachingResult = Annotated[Coaching | UserErrors, union("CreateCoachingResult")]
UpdateCoachingResult = Annotated[Coaching | UserErrors, union("UpdateCoachingResult")]
DeleteCoachingResult = Annotated[Deleted, union("DeleteCoachingResult")]
CreateHearingResult = Annotated[Hearing | UserErrors, union("CreateHearingResult")]
UpdateHearingResult = Annotated[Hearing | UserErrors, union("UpdateHearingResult")]
DeleteHearingResult = Annotated[Deleted, union("DeleteHearingResult")]
