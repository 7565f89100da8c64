"""Marking facts verified in one call: per record, or a whole committee at once."""

from __future__ import annotations

import datetime as dt

import strawberry

from graph_api import coaching
from graph_api.api.context import Context, Info
from graph_api.api.results import guarded, result_union
from graph_api.api.scalars import Date
from graph_api.errors import InvalidInput
from graph_api.repositories.verification import Facts, committee_facts, mark_verified


@strawberry.input(description="A committee seat, by its two ends.")
class SeatRef:
    stakeholder_id: strawberry.ID
    opportunity_id: strawberry.ID


@strawberry.input(description="An influence or a conflict, by its two ends.")
class EdgeRef:
    from_id: strawberry.ID
    to_id: strawberry.ID


@strawberry.input(description="Facts a seller has just confirmed; every list is optional.")
class MarkVerifiedInput:
    stakeholder_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="People whose record (lastVerifiedAt) was confirmed."
    )
    seats: list[SeatRef] | None = None
    influences: list[EdgeRef] | None = None
    conflicts: list[EdgeRef] | None = None
    on: Date | None = strawberry.field(
        default=None, description="The day they were confirmed (today when left out)."
    )


@strawberry.type(description="How many facts were marked verified, and on which day.")
class VerifiedFacts:
    on: Date
    stakeholders: int
    seats: int
    influences: int
    conflicts: int


MarkVerifiedResult = result_union("MarkVerifiedResult", VerifiedFacts)
MarkCommitteeVerifiedResult = result_union("MarkCommitteeVerifiedResult", VerifiedFacts)
MAX_FACTS = 10_000


def _day(given: str | None) -> str:
    today = coaching.today()
    if given is None:
        return today.isoformat()
    if dt.date.fromisoformat(given) > today:
        raise InvalidInput(f"'on' is {given}, after today ({today}); a fact is verified when seen")
    return given


def _shown(done: object) -> VerifiedFacts:
    return VerifiedFacts(
        on=Date(getattr(done, "on")),  # noqa: B009
        stakeholders=getattr(done, "stakeholders"),  # noqa: B009
        seats=getattr(done, "seats"),  # noqa: B009
        influences=getattr(done, "influences"),  # noqa: B009
        conflicts=getattr(done, "conflicts"),  # noqa: B009
    )


@strawberry.type
class VerifyMutation:
    @strawberry.mutation(
        description="Mark facts verified on one day (today by default): people's records,"
        " committee seats, influences and conflicts, in one transaction; a fact that does not"
        " exist is reported by its path and nothing is written."
    )
    async def mark_verified(
        self, info: Info, input: MarkVerifiedInput, reason: str | None = None
    ) -> MarkVerifiedResult:  # type: ignore[valid-type]
        facts = Facts(
            stakeholders=[str(i) for i in input.stakeholder_ids or ()],
            seats=[(str(s.stakeholder_id), str(s.opportunity_id)) for s in input.seats or ()],
            influences=[(str(e.from_id), str(e.to_id)) for e in input.influences or ()],
            conflicts=[(str(e.from_id), str(e.to_id)) for e in input.conflicts or ()],
        )

        async def work(c: Context) -> VerifiedFacts:
            size = sum(
                len(f) for f in (facts.stakeholders, facts.seats, facts.influences, facts.conflicts)
            )
            if size > MAX_FACTS:
                raise InvalidInput(f"{size:,} facts in one call; at most {MAX_FACTS:,}")
            on = _day(input.on)
            return _shown(await mark_verified(c.database, c.principal, facts, on, reason))

        return await guarded(info, work)

    @strawberry.mutation(
        description="Mark a whole committee verified on one day (today by default): its"
        " seats, the people holding them, and the influences and conflicts among them."
    )
    async def mark_committee_verified(
        self,
        info: Info,
        opportunity_id: strawberry.ID,
        on: Date | None = None,
        reason: str | None = None,
    ) -> MarkCommitteeVerifiedResult:  # type: ignore[valid-type]
        async def work(c: Context) -> VerifiedFacts:
            day = _day(on)
            facts = await committee_facts(c.database, c.tenant_id, str(opportunity_id))
            names = {
                "stakeholders": "committee.stakeholders",
                "seats": "committee.seats",
                "influences": "committee.influences",
                "conflicts": "committee.conflicts",
            }
            done = await mark_verified(c.database, c.principal, facts, day, reason, names)
            return _shown(done)

        return await guarded(info, work)
