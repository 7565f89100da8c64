"""A cooperative budget for one request's engine work: a deadline and a visit allowance.

The engine never reads a clock of its own: the caller passes one in (``time.monotonic`` in the
API) together with the seconds allowed, so pure callers and tests stay deterministic. Every
search spends *visits* — one per stakeholder it expands, plus one per candidate the plan
prices — and checks the deadline every ``CHECK_EVERY`` visits, so a request that runs long
stops within a bounded amount of further work with :class:`~graph_api.errors.BudgetExceeded`
(``limit`` ``"engineTime"`` or ``"engineVisits"``), which the API maps to LIMIT_EXCEEDED.

A budget is not thread-safe and belongs to one request: create one per call.

Example:
    >>> budget = Budget.starting_now(time.monotonic, seconds=2.0, visits=5_000_000)
    >>> coaching_plan(graph, options, budget=budget)
"""

from __future__ import annotations

from collections.abc import Callable

from graph_api.errors import BudgetExceeded

CHECK_EVERY = 512
"""Visits between two reads of the clock (a clock read costs more than a visit)."""


class Budget:
    """How much work the engine may still do; ``None`` limits mean unbounded."""

    def __init__(
        self,
        clock: Callable[[], float] | None = None,
        *,
        deadline: float | None = None,
        visits: int | None = None,
    ) -> None:
        if deadline is not None and clock is None:
            msg = "a deadline needs the clock it was read from"
            raise ValueError(msg)
        self._clock = clock
        self.deadline = deadline
        self.max_visits = visits
        self.visits = 0
        self._next_check = CHECK_EVERY

    @classmethod
    def starting_now(
        cls, clock: Callable[[], float], *, seconds: float | None = None, visits: int | None = None
    ) -> Budget:
        """A budget of ``seconds`` from now on ``clock`` and at most ``visits`` visits."""
        deadline = None if seconds is None else clock() + seconds
        return cls(clock, deadline=deadline, visits=visits)

    def spend(self, visits: int = 1) -> None:
        """Count ``visits`` more; raise :class:`BudgetExceeded` once a limit is passed."""
        self.visits += visits
        if self.max_visits is not None and self.visits > self.max_visits:
            raise BudgetExceeded(
                f"the coaching engine stopped after {self.max_visits:,} search visits, its "
                "limit for one request; ask for fewer hops or fewer paths",
                "engineVisits",
            )
        if self.deadline is not None and self.visits >= self._next_check:
            self._next_check = self.visits + CHECK_EVERY
            self.check_time()

    def check_time(self) -> None:
        """Raise :class:`BudgetExceeded` if the deadline has passed."""
        if self.deadline is not None and self._clock is not None and self._clock() > self.deadline:
            raise BudgetExceeded(
                "the coaching engine ran out of its time budget for one request; "
                "ask for fewer hops or fewer paths, or try again when the server is less busy",
                "engineTime",
            )
