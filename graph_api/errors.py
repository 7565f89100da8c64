"""One root error for the package; each layer raises these, the API maps them once."""

from __future__ import annotations

from dataclasses import dataclass, field


class FlagbearerError(Exception):
    """Root of every error this package raises on purpose."""

    code = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(FlagbearerError):
    """The entity does not exist, or belongs to another tenant (the two look the same)."""

    code = "NOT_FOUND"

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} '{key}' was not found")
        self.kind = kind
        self.key = key


@dataclass(frozen=True)
class Problem:
    """One problem in an input, located by its JSON path (``$.accounts[0].name``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidInput(FlagbearerError):
    """The input breaks a rule; ``problems`` lists every one of them by path."""

    code = "INVALID_INPUT"

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("$", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        summary = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"invalid input: {summary}{more}")


class Conflict(FlagbearerError):
    """The change would break a uniqueness rule (e.g. a duplicate externalId)."""

    code = "CONFLICT"


class Unauthenticated(FlagbearerError):
    code = "UNAUTHENTICATED"


class Forbidden(FlagbearerError):
    code = "FORBIDDEN"


class Unavailable(FlagbearerError):
    """A dependency (Neo4j, Java, Maven) is missing or not answering."""

    code = "UNAVAILABLE"


class LimitExceeded(FlagbearerError):
    """A request exceeded a configured limit; the message names the limit."""

    code = "LIMIT_EXCEEDED"

    def __init__(self, message: str, limit: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.limit = limit
        self.retry_after = retry_after


class BudgetExceeded(LimitExceeded):
    """The coaching engine ran past its budget for one request.

    ``limit`` is ``"engineTime"`` (the deadline passed) or ``"engineVisits"`` (the searches
    visited more nodes than allowed); the API answers LIMIT_EXCEEDED like any other limit.
    """


@dataclass
class ProblemCollector:
    """Collects problems while walking an input, so every one is reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(list(self.problems))
