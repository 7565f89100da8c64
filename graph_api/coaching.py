"""The coaching service: load an opportunity's map, run the engine, keep the names.

One place serves the GraphQL API and the command line: it loads the account's map in one
round trip (:mod:`graph_api.repositories.subgraph`), turns the typed records into the
engine's subgraph, runs the pure engine in a worker thread (so a long plan never stalls the
event loop that serves everyone else) and answers the result with the records it was computed
from, so callers can name every id in it.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from graph_api import engine, processes
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.enums import DecisionRule
from graph_api.domain.kinds import (
    CONFLICT,
    STAKEHOLDER,
    STAKEHOLDER_CONCERN,
    Argument,
    Opportunity,
    Stakeholder,
)
from graph_api.engine.committee import read_committee
from graph_api.engine.departures import departed
from graph_api.engine.plan import PlayKey
from graph_api.errors import NotFound
from graph_api.observability.timing import timed_engine
from graph_api.repositories.graph import OpportunityFilter, list_opportunities, nodes_by_keys
from graph_api.repositories.subgraph import (
    DAYS,
    AccountMap,
    load_account_map,
    load_opportunity_maps,
)

T = TypeVar("T")

ENGINE_WORKERS = 4
"""Engine computations that may run at once; more wait their turn (the event loop does not)."""
_executor = ThreadPoolExecutor(max_workers=ENGINE_WORKERS, thread_name_prefix="engine")


async def off_loop(work: Callable[..., T], *args: Any) -> T:
    """Run pure CPU work in the engine's worker threads, not on the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor, functools.partial(work, *args))


@dataclass(frozen=True)
class Plan:
    """A coaching plan with the map, subgraph and options it was computed from."""

    account_map: AccountMap
    result: engine.CoachingResult
    subgraph: engine.Subgraph
    options: engine.Options

    @functools.cached_property
    def exclusions(self) -> dict[PlayKey, engine.Exclusion]:
        """Why each listed play the plan leaves out is left out."""
        listed = [play for a in self.result.approvers for play in a.plays]
        return engine.exclusions(
            self.subgraph, self.result.plan, listed, self.options.capacity_per_champion
        )

    @property
    def people(self) -> Mapping[str, Stakeholder]:
        return self.account_map.people_by_id

    @functools.cached_property
    def arguments(self) -> dict[str, Argument]:
        return {g.argument.id: g.argument for g in self.account_map.arguments}


@dataclass(frozen=True)
class Asked:
    """What a caller asks of a plan; a None option takes the tenant's setting, else the
    model's default."""

    max_hops: int | None = None
    capacity_per_champion: int | None = None
    top_plays_per_approver: int | None = None
    without: frozenset[str] = frozenset()
    deal_dependencies: bool = True


def today() -> date:
    """The day a plan is for: read once per request, in UTC."""
    return datetime.now(UTC).date()


def coaching_options(account_map: AccountMap, asked: Asked, on: date) -> engine.Options:
    """Options given by the caller, else the tenant's defaults, else the model's; validated."""
    defaults = engine.Options()
    chosen = account_map.tenant_settings

    def pick(given: int | None, stored: str, default: int) -> int:
        if given is not None:
            return given
        value = chosen.get(stored)
        return default if value is None else int(value)

    options = engine.Options(
        max_hops=pick(asked.max_hops, "maxHops", defaults.max_hops),
        capacity_per_champion=pick(
            asked.capacity_per_champion, "capacityPerChampion", defaults.capacity_per_champion
        ),
        top_plays_per_approver=pick(
            asked.top_plays_per_approver, "topPlaysPerApprover", defaults.top_plays_per_approver
        ),
        without=asked.without,
        stale_after_days=pick(None, "staleAfterDays", defaults.stale_after_days),
        today=on,
        deal_dependencies=asked.deal_dependencies,
    )
    options.validate()
    return options


def budget_of(settings: Settings) -> engine.Budget:
    """One request's engine budget (``FLAGBEARER_ENGINE_TIME_BUDGET_SECONDS`` and visits)."""
    return engine.Budget.starting_now(
        time.monotonic,
        seconds=settings.engine_time_budget_seconds,
        visits=settings.engine_visit_budget,
    )


_PERSON = STAKEHOLDER.columns("id", "name", "title", "lastVerifiedAt", "leftAt")
_CONFLICT = CONFLICT.columns("sourceId", "targetId", "strength", "verifiedAt")
_CARES_ABOUT = STAKEHOLDER_CONCERN.columns("sourceId", "targetId", "weight")


def to_engine_subgraph(account_map: AccountMap) -> engine.Subgraph:
    """The engine's view of a loaded map (plain values, ids as keys)."""
    opportunity = account_map.opportunity
    rows = account_map.rows  # the thousands of edges are read as rows, without records
    # Each person's id, one string object wherever it appears: the engine's many lookups
    # then match on identity, and a subgraph sent to a worker process pickles each id once.
    same = account_map.person_ids
    one = same.get
    cares_about: dict[str, dict[str, float]] = {}
    for source, target, weight in map(_CARES_ABOUT, rows["caresAbout"]):
        cares_about.setdefault(one(source, source), {})[target] = weight
    return engine.Subgraph(
        # without an opportunity only reach and paths are asked for, which ignore the rule
        opportunity_id=opportunity.id if opportunity is not None else "",
        opportunity_name=opportunity.name if opportunity is not None else "",
        decision_rule=(
            opportunity.decision_rule if opportunity is not None else DecisionRule.UNANIMOUS
        ),
        threshold=opportunity.threshold if opportunity is not None else None,
        account_industry=account_map.account.industry,
        people={
            one(i, i): engine.Person(one(i, i), name, title, DAYS[verified], DAYS[left])
            for i, name, title, verified, left in map(_PERSON, rows["people"])
        },
        seats={
            one(s.source_id, s.source_id): engine.Seat(
                one(s.source_id, s.source_id),
                s.role,
                s.stance,
                s.veto,
                s.vote_weight,
                DAYS[s.verified_at],
            )
            for s in account_map.seats
        },
        influences=tuple(account_map.plan_influences(engine.Influence)),
        conflicts=tuple(
            engine.Conflict(one(source, source), one(target, target), strength, DAYS[verified])
            for source, target, strength, verified in map(_CONFLICT, rows["conflicts"])
        ),
        advocacy=tuple(
            engine.Advocacy(one(a.source_id, a.source_id), a.target_id, a.strength)
            for a in account_map.advocacy
        ),
        alternatives={
            x.id: engine.Alternative(x.id, x.name, x.kind) for x in account_map.alternatives
        },
        concerns={c.id: engine.Concern(c.id, c.name, c.category) for c in account_map.concerns},
        arguments={
            g.argument.id: engine.Argument(
                g.argument.id,
                g.argument.title,
                g.argument.kind,
                g.argument.talk_track or "",
                {fit.target_id: fit.fit for fit in g.addresses},
                g.cited_industries,
            )
            for g in account_map.arguments
        },
        cares_about=cares_about,
        readiness={
            (one(c.source_id, c.source_id), c.target_id): c.readiness
            for c in account_map.coached_on
        },
        heard={
            (one(h.source_id, h.source_id), h.target_id): h.reception for h in account_map.heard
        },
    )


async def opportunity_id_of(database: Database, tenant_id: str, external_id: str) -> str:
    """The id of the tenant's opportunity with ``external_id`` (NotFound when none)."""
    found = await nodes_by_keys(database, tenant_id, "Opportunity", [external_id], "externalId")
    if external_id not in found:
        raise NotFound("Opportunity", external_id)
    return found[external_id].id


async def coaching_plan(
    database: Database,
    settings: Settings,
    tenant_id: str,
    opportunity_id: str,
    asked: Asked = Asked(),
) -> Plan:
    """The coaching plan of one opportunity of the tenant, with its deal risks.

    Raises:
        NotFound: no such opportunity in the tenant.
        InvalidInput: an option is out of its range (every one is named).
        BudgetExceeded: the engine ran past the request's budget.
    """
    account_map = await load_account_map(database, tenant_id, opportunity_id=opportunity_id)
    options = coaching_options(account_map, asked, today())
    subgraph = to_engine_subgraph(account_map)
    with timed_engine("coaching_plan"):
        result = await off_loop(
            functools.partial(engine.coaching_plan, budget=budget_of(settings)), subgraph, options
        )
    return Plan(account_map, result, subgraph, options)


@dataclass(frozen=True)
class Paths:
    account_map: AccountMap
    found: tuple[engine.InfluencePath, ...]


async def influence_paths(
    database: Database,
    settings: Settings,
    tenant_id: str,
    from_id: str,
    to_id: str,
    max_hops: int,
    first: int,
    opportunity_id: str | None = None,
) -> Paths:
    """The best simple influence paths between two stakeholders of one account; people who
    have left (``leftAt`` on or before today) are not on any path."""
    account_map = await load_account_map(
        database, tenant_id, stakeholder_id=from_id, opportunity_id=opportunity_id
    )
    subgraph = to_engine_subgraph(account_map)
    if to_id not in subgraph.people:
        raise NotFound("Stakeholder", to_id)
    # people who have left relay nothing any more (the ends asked about are kept)
    gone = departed(subgraph, today()).keys() - {from_id, to_id}
    if gone:
        subgraph = engine.without_people(subgraph, gone)
    with timed_engine("influence_paths"):
        search = functools.partial(engine.influence_paths, budget=budget_of(settings))
        found = await off_loop(search, subgraph, from_id, to_id, max_hops, first)
    return Paths(account_map, found)


@dataclass(frozen=True)
class CommitteeFlags:
    """What the engine's committee rules say of one stakeholder (for the explorer)."""

    is_approver: bool
    is_champion: bool
    is_opponent: bool


def committee_flags(account_map: AccountMap) -> dict[str, CommitteeFlags]:
    """The engine's reading of who is an approver, a champion or an opponent, by id."""
    opportunity = account_map.opportunity
    seated = engine.Subgraph(  # the committee rules read only seats, advocacy and names
        opportunity_id="" if opportunity is None else opportunity.id,
        opportunity_name="",
        decision_rule=DecisionRule.UNANIMOUS,
        people={p.id: engine.Person(p.id, p.name) for p in account_map.people},
        seats={
            s.source_id: engine.Seat(s.source_id, s.role, s.stance, s.veto, s.vote_weight)
            for s in account_map.seats
        },
        advocacy=tuple(
            engine.Advocacy(a.source_id, a.target_id, a.strength) for a in account_map.advocacy
        ),
        alternatives={
            x.id: engine.Alternative(x.id, x.name, x.kind) for x in account_map.alternatives
        },
    )
    committee = read_committee(seated)
    approvers = set(committee.approvers)
    return {
        p.id: CommitteeFlags(
            p.id in approvers, p.id in committee.champions, p.id in committee.opponents
        )
        for p in account_map.people
    }


@dataclass(frozen=True)
class PipelineLine:
    """One opportunity's dashboard line."""

    opportunity: Opportunity
    summary: engine.PipelineSummary


PIPELINE_BUDGET_FACTOR = 4
"""A pipeline page's engine time budget, in per-request budgets (its plans share it)."""


async def pipeline(
    database: Database,
    settings: Settings,
    tenant_id: str,
    opportunity_filter: OpportunityFilter,
    offset: int,
    limit: int,
) -> tuple[list[PipelineLine], int]:
    """A page of the tenant's opportunities with each one's plan summarised, and the total.

    The page's plans share one engine budget of :data:`PIPELINE_BUDGET_FACTOR` request
    budgets. A small page loads its maps in one round trip and plans them in the engine's
    threads; a page of several plans loads in batches, all asked at once, each planned in a
    worker process as soon as it arrives (:mod:`graph_api.processes`).
    """
    page = await list_opportunities(database, tenant_id, opportunity_filter, offset, limit)
    ids = [n.id for n in page.nodes]
    on = today()
    budget = engine.Budget.starting_now(
        time.monotonic,
        seconds=settings.engine_time_budget_seconds * PIPELINE_BUDGET_FACTOR,
        visits=settings.engine_visit_budget,
    )

    async def planned(batch: list[str], visits: int | None) -> dict[str, engine.PipelineSummary]:
        maps = await load_opportunity_maps(database, tenant_id, batch)
        chosen = [i for i in batch if i in maps]  # deleted meanwhile: left out
        subgraphs = [to_engine_subgraph(maps[i]) for i in chosen]
        options = [coaching_options(maps[i], Asked(), on) for i in chosen]
        summaries = None
        with timed_engine("pipeline"):  # one observation per batch
            if processes.in_processes(len(ids)):
                summaries = await processes.plan_in_process(
                    subgraphs, options, deadline=budget.deadline, visits=visits
                )
            if summaries is None:  # a small page, or the workers' pool broke
                summaries = await off_loop(processes.plan_page, subgraphs, options, budget)
        return dict(zip(chosen, summaries, strict=True))

    if processes.in_processes(len(ids)):
        parts = processes.batches(ids)
        visits = budget.max_visits
        share = None if visits is None else max(visits // len(parts), 1)
        found: dict[str, engine.PipelineSummary] = {}
        for answer in await asyncio.gather(*(planned(part, share) for part in parts)):
            found.update(answer)
    else:
        found = await planned(ids, budget.max_visits)
    lines = [
        PipelineLine(opportunity, found[opportunity.id])  # type: ignore[arg-type]
        for opportunity in page.nodes
        if opportunity.id in found
    ]
    return lines, page.total
