"""One opportunity's line on a pipeline dashboard, computed from its coaching result.

:func:`pipeline_summary` is pure and cheap: the ``pipeline`` query runs the plan of each
opportunity (with its tenant's options and today's date) and summarises it here.

The top risk is one sentence, chosen in this order:

1. no approver is mapped;
2. the largest *measured* risk of at least 0.02 of win probability: a deal dependency
   (its ``drop``), or an approver the plan leaves WEAK or UNCOVERED (what is at stake:
   ``criticalityWithPlan · (1 - approvalProbabilityWithPlan)``, the gain if they were won);
   on a tie the dependency, then the approver listed first;
3. the most critical single-threaded approver;
4. the first conflicted champion;
5. champions of whom none passes the champion test, or no champion at all;
6. stale facts (the count, then the first warning);

and ``None`` when nothing of the above applies.
"""

from __future__ import annotations

from graph_api.domain.enums import ChampionVerdict, CoverageStatus
from graph_api.engine.explanation import name_of
from graph_api.engine.model import ApproverAssessment, CoachingResult, PipelineSummary, Subgraph

MIN_STAKE = 0.02


def pipeline_summary(graph: Subgraph, result: CoachingResult) -> PipelineSummary:
    """The dashboard line of one opportunity: ``result`` is ``coaching_plan(graph, ...)``."""
    statuses = [a.status for a in result.approvers]
    verdicts = [c.verdict for c in result.champions]
    return PipelineSummary(
        opportunity_id=result.opportunity_id,
        win_probability=result.win_probability,
        win_probability_with_plan=result.win_probability_with_plan,
        secured=statuses.count(CoverageStatus.SECURED),
        covered=statuses.count(CoverageStatus.COVERED),
        weak=statuses.count(CoverageStatus.WEAK),
        uncovered=statuses.count(CoverageStatus.UNCOVERED),
        single_threaded=sum(1 for a in result.approvers if a.single_threaded),
        champion_verdicts=tuple((verdict, verdicts.count(verdict)) for verdict in ChampionVerdict),
        stale_facts=len(result.stale_facts),
        top_risk=top_risk(graph, result),
    )


def top_risk(graph: Subgraph, result: CoachingResult) -> str | None:
    """The one risk a manager should hear first (see the module docstring)."""
    if not result.approvers:
        return (
            "No approver is mapped: seat the economic buyer, the approvers and anyone with a "
            "veto before trusting any number for this deal."
        )
    measured: list[tuple[float, int, int, str]] = [
        (dependency.drop, 0, index, dependency.explanation)
        for index, dependency in enumerate(result.deal_dependencies)
    ]
    for index, approver in enumerate(result.approvers):
        if approver.status in (CoverageStatus.WEAK, CoverageStatus.UNCOVERED):
            stake = approver.criticality_with_plan * (1 - approver.approval_probability_with_plan)
            measured.append((stake, 1, index, _open_approver(graph, approver)))
    if measured:
        stake, _, _, sentence = min(measured, key=lambda m: (-m[0], m[1], m[2]))
        if stake >= MIN_STAKE:
            return sentence
    threaded = [a for a in result.approvers if a.single_thread_explanation is not None]
    if threaded:
        most = max(threaded, key=lambda a: (a.criticality_with_plan, -threaded.index(a)))
        return most.single_thread_explanation
    conflicted = [c for c in result.champions if c.verdict is ChampionVerdict.CONFLICTED]
    if conflicted:
        return conflicted[0].explanation
    if not result.champions:
        return "Nobody on the committee is a champion or a supporter: develop one."
    if all(c.verdict is not ChampionVerdict.CHAMPION for c in result.champions):
        count = len(result.champions)
        return (
            f"None of the {count} champions and supporters passes the champion test: "
            f"{result.champions[0].explanation}"
            if count > 1
            else result.champions[0].explanation
        )
    if result.stale_facts:
        count = len(result.stale_facts)
        facts = "fact behind the plan is" if count == 1 else "facts behind the plan are"
        return f"{count} {facts} stale; first: {result.stale_facts[0].warning}"
    return None


def _open_approver(graph: Subgraph, approver: ApproverAssessment) -> str:
    who = name_of(graph, approver.approver_id)
    swing = f"{who}'s decision swings the deal by {approver.criticality_with_plan:.2f}"
    if approver.status is CoverageStatus.UNCOVERED:
        gap = f"No champion can carry a fitting argument to {who}, yet {swing}"
    else:
        best = approver.plays[0].value
        gap = f"Only weak plays reach {who} (best value {best:.2f}), yet {swing}"
    if approver.develop_candidates:
        candidate = approver.develop_candidates[0]
        return (
            f"{gap}: develop {name_of(graph, candidate.stakeholder_id)}, who reaches {who} "
            f"({candidate.reach:.2f})."
        )
    return f"{gap}: find someone who can reach {who}."
