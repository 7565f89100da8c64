"""``coaching_plan``: which champion to coach on which argument to reach each approver.

Reading choices where the model leaves room (each one is what a seller would act on):

- Status: UNCOVERED means no play exists, i.e. no champion can carry an argument with a
  positive fit to the approver within maxHops. A champion who reaches the approver while
  no argument fits (or only over topic edges no fitting argument may use) leaves the
  approver UNCOVERED too: there is nothing the seller can coach. When the playbook has no
  argument for what the approver weighs, a warning says so.
- Develop candidates (WEAK/UNCOVERED only) are the account's stakeholders who are neither
  champions nor opponents, the approver excluded, with any reach to the approver over
  every edge; best five, by reach then id. ``reachable_by`` lists the champions who reach
  each candidate over every edge, by reach then id (possibly none: a new route is needed).
- Threats are listed for every approver, secured ones included (an opponent can still
  work on a champion), and never name the approver themself.
- Approvers are listed economic buyers first, then approvers, then veto holders, each by
  name then id; the plan lists plays in the order the greedy chose them.
- Warnings come in a fixed order: departures and what-ifs, the decision rule, the data,
  stance contradictions, then per approver in listing order, then stale facts.

Deal risk (docs/coaching-model.md) is computed on the same subgraph, network and searches:
criticality (:mod:`~graph_api.engine.criticality`), the champion test
(:mod:`~graph_api.engine.champions`), single threads (:mod:`~graph_api.engine.threads`),
deal dependencies (:mod:`~graph_api.engine.dependencies`) and freshness
(:mod:`~graph_api.engine.freshness`). ``Options.without`` and every departure recorded by
``Options.today`` are applied first, as a pure subgraph transform
(:mod:`~graph_api.engine.departures`): the plan is then the normal plan of what is left.

Every search spends from one :class:`~graph_api.engine.budget.Budget` (``None``: unbounded),
so a request that runs too long stops with :class:`~graph_api.errors.BudgetExceeded`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from graph_api.domain.enums import CommitteeRole, CoverageStatus, DecisionRule, Stance
from graph_api.engine.budget import Budget
from graph_api.engine.champions import champion_assessments
from graph_api.engine.committee import Committee, read_committee
from graph_api.engine.criticality import criticalities, explain_criticality
from graph_api.engine.departures import (
    check_without,
    departed,
    departure_warnings,
    without_people,
)
from graph_api.engine.dependencies import Replanner, deal_dependencies
from graph_api.engine.explanation import name_of
from graph_api.engine.fit import fit, known_concerns
from graph_api.engine.freshness import stale_facts
from graph_api.engine.model import (
    ApproverAssessment,
    CoachingResult,
    DevelopCandidate,
    InfluencePath,
    KeyPerson,
    Options,
    Subgraph,
    Threat,
)
from graph_api.engine.plan import greedy_plan
from graph_api.engine.plays import Candidate, PlayIndex, to_play
from graph_api.engine.probability import BASELINE_BY_STANCE, WinRule, lifted, weighted_rule
from graph_api.engine.reach import Network
from graph_api.engine.threads import explain_key_person, explain_single_thread, key_people

COVERED_VALUE = 0.25
THREAT_REACH = 0.2
MAX_DEVELOP_CANDIDATES = 5

DEFAULT_OPTIONS = Options()


def coaching_plan(
    graph: Subgraph, options: Options = DEFAULT_OPTIONS, *, budget: Budget | None = None
) -> CoachingResult:
    """Assess every approver of the opportunity, choose the plays worth running, and weigh
    the deal's risks.

    Raises:
        InvalidInput: an option is outside its range, or ``without`` names someone who is
            not on the account (every problem is named).
        BudgetExceeded: the work ran past ``budget``.

    Example:
        >>> result = coaching_plan(subgraph, Options(max_hops=2, today=date(2026, 11, 30)))
        >>> result.plan[0].explanation
        "Dana reaches Chris (CFO) directly (0.80); Chris weighs Operational downtime highest;
        coach Dana on the German-shepherd (loss-avoidance) argument 'No more 3 a.m. outages'
        (fit 0.70, value 0.56)."
        >>> result.champions[0].verdict
        <ChampionVerdict.CHAMPION: 'CHAMPION'>
    """
    options.validate()
    check_without(graph, options)
    left = departed(graph, options.today)
    leaving = options.without | left.keys()
    effective = without_people(graph, leaving)
    core = plan_core(effective, options, budget)
    committee, network, rule = core.committee, core.network, core.rule
    approvers = committee.approvers
    criticality = criticalities(rule, approvers, core.baseline)
    criticality_with_plan = criticalities(rule, approvers, core.with_plan)
    assessments = tuple(
        _assess(core, a, criticality[a], criticality_with_plan[a]) for a in approvers
    )
    dependencies = (
        deal_dependencies(
            effective,
            Replanner(
                core.index,
                rule,
                core.baseline,
                options.capacity_per_champion,
                network.budget,
                core.chosen,
            ),
            core.chosen,
            rule.probability(core.with_plan),
        )
        if options.deal_dependencies
        else ()
    )
    stale = stale_facts(effective, network, core.chosen, approvers, options, frozenset(leaving))
    warnings = departure_warnings(graph, options.without, left, options.today)
    warnings += core.warnings
    warnings += [fact.warning for fact in stale]
    return CoachingResult(
        opportunity_id=graph.opportunity_id,
        decision_rule=rule.rule,
        win_probability=rule.probability(core.baseline),
        win_probability_with_plan=rule.probability(core.with_plan),
        approvers=assessments,
        plan=tuple(to_play(effective, c) for c in core.chosen),
        warnings=tuple(dict.fromkeys(warnings)),
        champions=champion_assessments(
            effective, committee, network, criticality, options.max_hops
        ),
        deal_dependencies=dependencies,
        stale_facts=stale,
        without=tuple(sorted(leaving)),
    )


@dataclass(frozen=True)
class PlanCore:
    """The section-3 plan of one subgraph, with everything the risk analyses reuse."""

    graph: Subgraph
    options: Options
    committee: Committee
    network: Network
    rule: WinRule
    index: PlayIndex
    baseline: dict[str, float]
    chosen: list[Candidate]
    with_plan: dict[str, float]
    statuses: dict[str, CoverageStatus]
    develop: dict[str, tuple[DevelopCandidate, ...]]
    threats: dict[str, tuple[Threat, ...]]
    warnings: list[str]


def plan_core(graph: Subgraph, options: Options, budget: Budget | None = None) -> PlanCore:
    """The section-3 plan: plays, the greedy choice, statuses, develop candidates, threats
    and the section-3 warnings (``coaching_plan`` adds section 6 on top)."""
    committee = read_committee(graph)
    network = Network(graph, committee, budget)
    rule, warnings = resolve_rule(graph, committee)

    seats = graph.seats
    open_approvers = [a for a in committee.approvers if seats[a].stance is not Stance.CHAMPION]
    index = PlayIndex(graph, committee, network, open_approvers, options.max_hops)
    plays = index.plays
    baseline = {a: BASELINE_BY_STANCE[seats[a].stance] for a in committee.approvers}
    chosen = greedy_plan(
        chain.from_iterable(plays.values()),
        rule,
        baseline,
        options.capacity_per_champion,
        network.budget,
    )
    with_plan = {
        a: lifted(p, (play.value for play in chosen if play.approver_id == a))
        for a, p in baseline.items()
    }

    statuses = {a: _status(graph, a, plays.get(a, [])) for a in committee.approvers}
    develop = _develop_candidates(
        graph,
        committee,
        network,
        [a for a, status in statuses.items() if status in _NEEDS_DEVELOPMENT],
        options.max_hops,
    )
    threats = _threats(committee, network, options.max_hops)
    warnings += _data_warnings(graph, committee)
    warnings += _approver_warnings(graph, open_approvers)
    return PlanCore(
        graph=graph,
        options=options,
        committee=committee,
        network=network,
        rule=rule,
        index=index,
        baseline=baseline,
        chosen=chosen,
        with_plan=with_plan,
        statuses=statuses,
        develop=develop,
        threats=threats,
        warnings=warnings,
    )


def _assess(
    core: PlanCore, approver: str, criticality: float, criticality_with_plan: float
) -> ApproverAssessment:
    graph, seat = core.graph, core.graph.seats[approver]
    plays = core.index.plays.get(approver, [])
    threads = key_people(core.index, approver) if plays else []
    return ApproverAssessment(
        approver_id=approver,
        role=seat.role,
        stance=seat.stance,
        status=core.statuses[approver],
        approval_probability=core.baseline[approver],
        approval_probability_with_plan=core.with_plan[approver],
        plays=tuple(to_play(graph, c) for c in plays[: core.options.top_plays_per_approver]),
        threats=core.threats.get(approver, ()),
        develop_candidates=core.develop.get(approver, ()),
        criticality=criticality,
        criticality_with_plan=criticality_with_plan,
        criticality_explanation=explain_criticality(graph, core.rule, core.baseline, approver),
        key_people=tuple(
            KeyPerson(person, without, explain_key_person(graph, plays[0], person, without))
            for person, without in threads
        ),
        single_threaded=bool(threads),
        single_thread_explanation=explain_single_thread(graph, plays[0], threads)
        if threads
        else None,
    )


_NEEDS_DEVELOPMENT = (CoverageStatus.WEAK, CoverageStatus.UNCOVERED)


def _status(graph: Subgraph, approver: str, plays: list[Candidate]) -> CoverageStatus:
    if graph.seats[approver].stance is Stance.CHAMPION:
        return CoverageStatus.SECURED
    if not plays:
        return CoverageStatus.UNCOVERED
    return CoverageStatus.COVERED if plays[0].value >= COVERED_VALUE else CoverageStatus.WEAK


def _threats(
    committee: Committee, network: Network, max_hops: int
) -> dict[str, tuple[Threat, ...]]:
    targets = frozenset(committee.approvers)
    found: dict[str, list[Threat]] = {}
    for opponent in sorted(committee.opponents):
        routes = network.best_from(opponent, network.every_edge, targets, max_hops)
        for approver, route in routes.items():
            if route.reach >= THREAT_REACH:
                found.setdefault(approver, []).append(
                    Threat(
                        opponent_id=opponent,
                        reach=route.reach,
                        path=route.path,
                        alternative_id=committee.pushes.get(opponent),
                    )
                )
    return {
        approver: tuple(sorted(threats, key=lambda t: (-t.reach, t.opponent_id)))
        for approver, threats in found.items()
    }


def _develop_candidates(
    graph: Subgraph,
    committee: Committee,
    network: Network,
    approvers: list[str],
    max_hops: int,
) -> dict[str, tuple[DevelopCandidate, ...]]:
    shortlist: dict[str, list[tuple[str, InfluencePath]]] = {}
    for approver in approvers:

        def wanted(who: str, approver: str = approver) -> bool:
            return (
                who in graph.people
                and who != approver
                and who not in committee.champions
                and who not in committee.opponents
            )

        shortlist[approver] = network.best_to(approver, max_hops, wanted, MAX_DEVELOP_CANDIDATES)

    candidates = frozenset(who for routes in shortlist.values() for who, _ in routes)
    champion_reach: dict[str, list[tuple[float, str]]] = {}
    for champion in sorted(committee.champions):
        for who, route in network.best_from(
            champion, network.every_edge, candidates, max_hops
        ).items():
            champion_reach.setdefault(who, []).append((-route.reach, champion))
    return {
        approver: tuple(
            DevelopCandidate(
                stakeholder_id=who,
                reach=route.reach,
                path=route.path,
                reachable_by=tuple(c for _, c in sorted(champion_reach.get(who, []))),
            )
            for who, route in routes
        )
        for approver, routes in shortlist.items()
    }


def resolve_rule(graph: Subgraph, committee: Committee) -> tuple[WinRule, list[str]]:
    """The rule actually applied (after fallbacks) and what the seller must hear about it."""
    seats = graph.seats
    approvers = committee.approvers
    rule = graph.decision_rule
    warnings: list[str] = []
    if rule is DecisionRule.ECONOMIC_BUYER:
        buyers = tuple(a for a in approvers if seats[a].role is CommitteeRole.ECONOMIC_BUYER)
        if len(buyers) > 1:
            names = ", ".join(name_of(graph, a) for a in buyers)
            warnings.append(
                f"Several economic buyers are seated ({names}); "
                "the plan counts the deal won only if all of them approve."
            )
        if buyers:
            return WinRule(rule, buyers), warnings
        warnings.append(
            f"The decision rule of {graph.opportunity_name} is ECONOMIC_BUYER but no economic "
            "buyer is seated; win probability falls back to UNANIMOUS over the approvers. "
            "Find out who owns the budget."
        )
        rule = DecisionRule.UNANIMOUS
    if not approvers:
        warnings.append(
            f"No approver is mapped for {graph.opportunity_name}: seat the economic buyer, "
            "the approvers and anyone with a veto. Until then the win probability is 0."
        )
        return WinRule(rule, ()), warnings
    if rule is DecisionRule.UNANIMOUS:
        return WinRule(rule, approvers), warnings
    threshold = graph.threshold
    if rule is DecisionRule.THRESHOLD and (threshold is None or not 0 <= threshold <= 1):
        warnings.append(
            f"The decision rule of {graph.opportunity_name} is THRESHOLD but its threshold "
            f"is {'missing' if threshold is None else threshold}; "
            "win probability falls back to MAJORITY."
        )
        rule = DecisionRule.MAJORITY
    voters = [(a, seats[a].vote_weight) for a in approvers]
    warnings.extend(
        f"{name_of(graph, a)} has a vote weight of {weight} and does not count in the vote."
        for a, weight in voters
        if weight <= 0
    )
    return weighted_rule(rule, voters, threshold), warnings


def _data_warnings(graph: Subgraph, committee: Committee) -> list[str]:
    warnings: list[str] = []
    for who in sorted(graph.cares_about):
        warnings.extend(
            f"{name_of(graph, who)} cares about concern '{concern_id}', which is not in the "
            "playbook; it is ignored."
            for concern_id in sorted(graph.cares_about[who])
            if concern_id not in graph.concerns
        )
    for argument_id in sorted(graph.arguments):
        argument = graph.arguments[argument_id]
        warnings.extend(
            f"Argument '{argument.title}' addresses concern '{concern_id}', which is not in "
            "the playbook; it is ignored."
            for concern_id in sorted(argument.addresses)
            if concern_id not in graph.concerns
        )
    warnings.extend(
        f"{name_of(graph, advocacy.stakeholder_id)} advocates alternative "
        f"'{advocacy.alternative_id}', which {graph.opportunity_name} does not consider; "
        "it is ignored."
        for advocacy in sorted(graph.advocacy, key=lambda a: (a.stakeholder_id, a.alternative_id))
        if advocacy.alternative_id not in graph.alternatives
    )
    for who in sorted(graph.seats):
        stance = graph.seats[who].stance
        ours = committee.ours_advocacy.get(who, 0.0)
        rival = committee.rival_advocacy.get(who, 0.0)
        if stance in (Stance.CHAMPION, Stance.SUPPORTER) and rival > ours:
            pushed = graph.alternatives[committee.pushes[who]].name
            warnings.append(
                f"{name_of(graph, who)} is seated as {stance.value} but advocates {pushed} "
                f"({rival:.2f}) more strongly than our offer ({ours:.2f}); "
                "confirm where they stand."
            )
        elif stance in (Stance.SKEPTIC, Stance.BLOCKER) and ours > rival:
            warnings.append(
                f"{name_of(graph, who)} is seated as {stance.value} but advocates our offer "
                f"({ours:.2f}) more strongly than any alternative ({rival:.2f}); "
                "confirm where they stand."
            )
    return warnings


def _approver_warnings(graph: Subgraph, open_approvers: list[str]) -> list[str]:
    if not graph.arguments:
        return ["The playbook has no arguments: there is nothing to coach a champion on."]
    warnings: list[str] = []
    for approver in open_approvers:
        name = name_of(graph, approver)
        if not known_concerns(graph, approver):
            warnings.append(
                f"Discover what {name} cares about first: their concerns are unknown, "
                "so every argument is assumed to fit 0.3."
            )
        elif all(fit(graph, arg, approver) <= 0 for arg in graph.arguments.values()):
            warnings.append(
                f"No playbook argument addresses what {name} weighs; "
                "add one or discover more of their concerns."
            )
    return warnings
