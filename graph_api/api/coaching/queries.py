"""Root query fields of coaching: ``coachingPlan``, ``influencePaths`` and ``accountGraph``.

Each loads its account's map in one round trip and runs the pure engine through the
coaching service (:mod:`graph_api.coaching`); stakeholders in the answer are the records of
that same load (no further queries).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import strawberry

from graph_api import coaching, engine
from graph_api.api.coaching.types import (
    AccountGraph,
    ApproverAssessment,
    ChampionAssessment,
    CoachingOptions,
    CoachingPlan,
    DealDependency,
    DevelopCandidate,
    GraphEdge,
    GraphNode,
    InfluencePath,
    PipelineEntry,
    PipelineFilter,
    Play,
    PlayExclusion,
    StaleFact,
    Threat,
    VerdictCount,
)
from graph_api.api.context import Info
from graph_api.api.pagination import Connection, page_window
from graph_api.api.scalars import Date
from graph_api.domain.enums import ConcernCategory
from graph_api.domain.kinds import ADVOCACY, CONFLICT, INFLUENCE, REPORTING_LINE, Stakeholder
from graph_api.repositories.graph import OpportunityFilter
from graph_api.repositories.subgraph import AccountMap, load_account_map


class _Shape:
    """Turns the engine's ids back into the records of the loaded map."""

    def __init__(self, account_map: AccountMap, plan: coaching.Plan | None = None) -> None:
        self.plan = plan
        self.people = account_map.people_by_id
        self.alternatives = {x.id: x for x in account_map.alternatives}
        self.arguments = {g.argument.id: g.argument for g in account_map.arguments}

    def path(self, ids: Iterable[str]) -> list[Stakeholder]:
        return [self.people[i] for i in ids]

    def play(self, play: engine.Play) -> Play:
        key = (play.champion_id, play.argument_id, play.approver_id)
        excluded = None if self.plan is None else self.plan.exclusions.get(key)
        return Play(
            champion=self.people[play.champion_id],
            argument=self.arguments[play.argument_id],
            approver=self.people[play.approver_id],
            action=play.action,
            path=self.path(play.path),
            reach=play.reach,
            fit=play.fit,
            value=play.value,
            credibility=play.credibility,
            readiness=play.readiness,
            explanation=play.explanation,
            in_plan=excluded is None,
            exclusion=(
                None
                if excluded is None
                else PlayExclusion(reason=excluded.reason, explanation=excluded.explanation)
            ),
        )

    def assessment(self, a: engine.ApproverAssessment) -> ApproverAssessment:
        return ApproverAssessment(
            approver=self.people[a.approver_id],
            role=a.role,
            stance=a.stance,
            status=a.status,
            approval_probability=a.approval_probability,
            approval_probability_with_plan=a.approval_probability_with_plan,
            plays=[self.play(p) for p in a.plays],
            threats=[
                Threat(
                    opponent=self.people[t.opponent_id],
                    reach=t.reach,
                    path=self.path(t.path),
                    alternative=(
                        None if t.alternative_id is None else self.alternatives[t.alternative_id]
                    ),
                )
                for t in a.threats
            ],
            develop_candidates=[
                DevelopCandidate(
                    stakeholder=self.people[d.stakeholder_id],
                    reach=d.reach,
                    path=self.path(d.path),
                    reachable_by=self.path(d.reachable_by),
                )
                for d in a.develop_candidates
            ],
            criticality=a.criticality,
            criticality_with_plan=a.criticality_with_plan,
            criticality_explanation=a.criticality_explanation,
            single_threaded=a.single_threaded,
            single_thread_explanation=a.single_thread_explanation,
            key_people=[self.people[k.stakeholder_id] for k in a.key_people],
        )


EdgeRow = tuple[str, str, str, str, float | None, list[ConcernCategory], str | None]
"""An explorer edge: (id, source, target, kind, weight, topics, evidence)."""
_EDGES = (
    (REPORTING_LINE, None, None, None),
    (INFLUENCE, "strength", "topics", "evidence"),
    (CONFLICT, "strength", None, "evidence"),
    (ADVOCACY, "strength", None, "evidence"),
)
"""The relationships the explorer draws: kind, and the columns of weight, topics, evidence."""


def graph_edges(account_map: AccountMap) -> list[EdgeRow]:
    """Every edge of the map, read from its stored rows (no records), sorted by id; the
    id names the relationship type and both ends."""
    edges: list[EdgeRow] = []
    for kind, weight, topics, evidence in _EDGES:
        column, _ = next(c for c in AccountMap.LISTS.values() if c[1] is kind)
        at = {name: kind.row_names.index(name) for name in (weight, topics, evidence) if name}
        w, t, e = (at.get(name) if name else None for name in (weight, topics, evidence))
        kind_name = kind.type
        for row in account_map.rows[column]:
            source, target = row[0], row[1]
            edges.append(
                (
                    f"{kind_name}:{source}:{target}",
                    source,
                    target,
                    kind_name,
                    None if w is None else float(row[w]),
                    [] if t is None else list(_topics(None if row[t] is None else tuple(row[t]))),
                    None if e is None else row[e],
                )
            )
    edges.sort(key=lambda edge: edge[0])
    return edges


_READ_TOPICS = INFLUENCE.columns("topics")
_TOPICS_AT = INFLUENCE.row_names.index("topics")


@functools.cache
def _topics(stored: tuple[str, ...] | None) -> tuple[ConcernCategory, ...]:
    """Stored topics as an Influence record holds them (the declared default when absent);
    thousands of edges share a few distinct sets."""
    row: list[Any] = [None] * len(INFLUENCE.row_names)
    row[_TOPICS_AT] = None if stored is None else list(stored)
    found: tuple[ConcernCategory, ...] = _READ_TOPICS(row)[0]
    return found


def graph_nodes(account_map: AccountMap) -> list[GraphNode]:
    """The map's people (with their seat and the committee's reading of them, when an
    opportunity is given) and the opportunity's alternatives."""
    flags = coaching.committee_flags(account_map)
    seats = {s.source_id: s for s in account_map.seats}
    nodes: list[GraphNode] = []
    for person in account_map.people:
        seat = seats.get(person.id)
        flag = flags[person.id]
        nodes.append(
            GraphNode(
                id=strawberry.ID(person.id),
                external_id=person.external_id,
                kind="Stakeholder",
                label=person.name,
                title=person.title,
                department=person.department,
                seniority=person.seniority,
                role=None if seat is None else seat.role,
                stance=None if seat is None else seat.stance,
                veto=None if seat is None else seat.veto,
                vote_weight=None if seat is None else seat.vote_weight,
                stance_evidence=None if seat is None else seat.stance_evidence,
                is_approver=flag.is_approver,
                is_champion=flag.is_champion,
                is_opponent=flag.is_opponent,
            )
        )
    nodes.extend(
        GraphNode(
            id=strawberry.ID(x.id),
            external_id=x.external_id,
            kind="Alternative",
            label=x.name,
            alternative_kind=x.kind,
        )
        for x in account_map.alternatives
    )
    return nodes


def account_graph_of(account_map: AccountMap) -> AccountGraph:
    """Nodes and edges of the map; seat fields and alternatives when an opportunity is given."""
    edges = [
        GraphEdge(
            id=strawberry.ID(i),
            source=strawberry.ID(s),
            target=strawberry.ID(t),
            kind=k,
            weight=w,
            topics=topics,
            evidence=e,
        )
        for i, s, t, k, w, topics, e in graph_edges(account_map)
    ]
    return AccountGraph(
        account=account_map.account,
        opportunity=account_map.opportunity,
        nodes=graph_nodes(account_map),
        edges=edges,
    )


def asked_of(options: CoachingOptions | None) -> coaching.Asked:
    """What a caller's ``options`` ask of a plan."""
    given = options or CoachingOptions()
    return coaching.Asked(
        max_hops=given.max_hops,
        capacity_per_champion=given.capacity_per_champion,
        top_plays_per_approver=given.top_plays_per_approver,
        without=frozenset(str(i) for i in given.without or ()),
    )


def plan_of(plan: coaching.Plan) -> CoachingPlan:
    shape = _Shape(plan.account_map, plan)
    result = plan.result
    people = shape.people
    assert plan.account_map.opportunity is not None  # a plan is of an opportunity
    return CoachingPlan(
        opportunity=plan.account_map.opportunity,
        decision_rule=result.decision_rule,
        win_probability=result.win_probability,
        win_probability_with_plan=result.win_probability_with_plan,
        approvers=[shape.assessment(a) for a in result.approvers],
        plan=[shape.play(p) for p in result.plan],
        warnings=list(result.warnings),
        champions=[
            ChampionAssessment(
                champion=people[c.champion_id],
                influence=c.influence,
                verdict=c.verdict,
                explanation=c.explanation,
            )
            for c in result.champions
        ],
        deal_dependencies=[
            DealDependency(
                stakeholder=people[d.stakeholder_id],
                win_probability_without=d.win_probability_without,
                drop=d.drop,
                explanation=d.explanation,
            )
            for d in result.deal_dependencies
        ],
        stale_facts=[
            StaleFact(
                kind=f.kind,
                stakeholder=people[f.stakeholder_id],
                target=None if f.target_id is None else people.get(f.target_id),
                verified_at=Date(f.verified_at.isoformat()),
                age_days=f.age_days,
                warning=f.warning,
            )
            for f in result.stale_facts
        ],
        without=[people[i] for i in result.without if i in people],
    )


@strawberry.type
class CoachingQuery:
    @strawberry.field(
        description="The coaching plan of one opportunity (the model: docs/coaching-model.md)."
    )
    async def coaching_plan(
        self, info: Info, opportunity_id: strawberry.ID, options: CoachingOptions | None = None
    ) -> CoachingPlan:
        context = info.context
        plan = await coaching.coaching_plan(
            context.database,
            context.settings,
            context.tenant_id,
            str(opportunity_id),
            asked_of(options),
        )
        return plan_of(plan)

    @strawberry.field(
        description="The best simple influence paths between two stakeholders of one account,"
        " best reach first. With an opportunity, relays are weighed by their seat stance."
    )
    async def influence_paths(
        self,
        info: Info,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        max_hops: int = 3,
        first: int = 5,
        opportunity_id: strawberry.ID | None = None,
    ) -> list[InfluencePath]:
        paths = await coaching.influence_paths(
            info.context.database,
            info.context.settings,
            info.context.tenant_id,
            str(from_id),
            str(to_id),
            max_hops,
            first,
            None if opportunity_id is None else str(opportunity_id),
        )
        shape = _Shape(paths.account_map)
        return [InfluencePath(path=shape.path(p.path), reach=p.reach) for p in paths.found]

    @strawberry.field(
        description="The tenant's opportunities, soonest close first, each with its plan"
        " summarised: win probability before and with the plan, approvers by coverage, single"
        " threads, champion verdicts, stale facts and the top risk. One query for a dashboard;"
        " the page's maps load in a few round trips, all at once (batches of 10)."
    )
    async def pipeline(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: PipelineFilter | None = None,
    ) -> Connection[PipelineEntry]:
        offset, limit = page_window(info, first, after)
        f = filter or PipelineFilter()
        chosen = OpportunityFilter(
            stage=f.stage,
            close_before=f.close_before,
            close_after=f.close_after,
            account_ids=None if f.account_ids is None else [str(i) for i in f.account_ids],
            outcome=None if f.outcome is None else str(f.outcome.value),
            open=f.open,
        )
        context = info.context
        lines, total = await coaching.pipeline(
            context.database, context.settings, context.tenant_id, chosen, offset, limit
        )
        entries = [
            PipelineEntry(
                opportunity=line.opportunity,
                win_probability=line.summary.win_probability,
                win_probability_with_plan=line.summary.win_probability_with_plan,
                secured=line.summary.secured,
                covered=line.summary.covered,
                weak=line.summary.weak,
                uncovered=line.summary.uncovered,
                single_threaded=line.summary.single_threaded,
                champion_verdicts=[
                    VerdictCount(verdict=verdict, count=count)
                    for verdict, count in line.summary.champion_verdicts
                ],
                stale_facts=line.summary.stale_facts,
                top_risk=line.summary.top_risk,
            )
            for line in lines
        ]
        return Connection.of(entries, offset, total)

    @strawberry.field(description="An account's map as nodes and edges for a graph explorer.")
    async def account_graph(
        self, info: Info, account_id: strawberry.ID, opportunity_id: strawberry.ID | None = None
    ) -> AccountGraph:
        account_map = await load_account_map(
            info.context.database,
            info.context.tenant_id,
            account_id=str(account_id),
            opportunity_id=None if opportunity_id is None else str(opportunity_id),
            for_plan=False,
        )
        return account_graph_of(account_map)
