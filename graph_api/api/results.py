"""What a mutation answers: its success type, or one of the typed errors a client can act on.

Every mutation's result is a union ``<MutationName>Result`` of its success type and the four
``UserError`` types. Errors the caller can fix are data, not GraphQL errors; :func:`user_error`
is the one mapping from the package's errors to them, and :func:`guarded` runs a mutation's
work and answers either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeAlias, TypeVar

import strawberry

from graph_api.api.context import Context, Info
from graph_api.errors import Conflict, FlagbearerError, Forbidden, InvalidInput, NotFound

T = TypeVar("T")


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
    description="The change would duplicate something unique (an externalId or a "
    "relationship), or the record changed since you read it (`expectedUpdatedAt`)."
)
class ConflictError(UserError):
    pass


@strawberry.type(description="This key may not do that (viewers only read; some need admin).")
class ForbiddenError(UserError):
    pass


UserErrors: TypeAlias = InvalidInputError | NotFoundError | ConflictError | ForbiddenError
USER_ERROR_TYPES = (InvalidInputError, NotFoundError, ConflictError, ForbiddenError)


def user_error(error: FlagbearerError) -> UserErrors:
    """The typed error for ``error``; one the caller cannot fix is raised again."""
    if isinstance(error, InvalidInput):
        problems = [InputProblem(path=p.path, message=p.message) for p in error.problems]
        return InvalidInputError(message=error.message, code=error.code, problems=problems)
    if isinstance(error, NotFound):
        return NotFoundError(
            message=error.message, code=error.code, entity_kind=error.kind, key=error.key
        )
    if isinstance(error, Conflict):
        return ConflictError(message=error.message, code=error.code)
    if isinstance(error, Forbidden):
        return ForbiddenError(message=error.message, code=error.code)
    raise error


def result_union(name: str, success: Any) -> Any:
    """``success | InvalidInputError | NotFoundError | ConflictError | ForbiddenError`` named
    ``name``: the answer type of one mutation."""
    return Annotated[success | UserErrors, strawberry.union(name)]


@strawberry.type(description="What a delete removed: the id it had.")
class DeletePayload:
    deleted_id: strawberry.ID


async def guarded(
    info: Info,
    work: Callable[[Context], Awaitable[T]],
    *,
    writes: bool = True,
    admin: bool = False,
) -> T | UserErrors:
    """Run ``work`` for a caller allowed to (a writer, or an admin), as its result or the
    typed error it ended in."""
    context = info.context
    try:
        if admin:
            context.require_admin()
        elif writes:
            context.require_writer()
        done = await work(context)
    except FlagbearerError as error:
        return user_error(error)
    if writes:
        # Reads cached earlier in this request may predate the write: later fields load afresh.
        context.reset_loaders()
    return done
