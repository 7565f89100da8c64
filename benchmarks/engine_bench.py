"""Time the coaching engine on synthetic accounts of 50, 200 and 1,000 stakeholders.

    .venv/bin/python benchmarks/engine_bench.py [--runs 9] [--seeds 4]

The engine part of the budget is 100 ms for a whole ``coaching_plan`` at 1,000 stakeholders.
``document_to_subgraph`` turns a generated section-2 document straight into the engine input
(ids are the externalIds), so engine figures need no database.

Columns: ``full`` is ``coaching_plan`` (the section-3 plan plus deal risk: criticality,
champion test, key people, deal dependencies, freshness); ``plain`` is the section-3 plan
alone (the plan core and its plays, what ``coaching_plan`` computed before deal risk). Both
are the least CPU time (``time.process_time``) over interleaved runs, so a busy shared
machine disturbs both alike; ``ratio`` is full / plain (the target is at most 2 at 1,000).
``wall`` is the median wall-clock time of the full plan, ``visits`` the budget visits it
spends. The last lines time the dense account of issue 8 (20 champions, every edge 1.0).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_account_document

from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    CommitteeRole,
    ConcernCategory,
    DecisionRule,
    Reception,
    Stance,
)
from graph_api.engine import (
    Advocacy,
    Alternative,
    Argument,
    Budget,
    Concern,
    Conflict,
    Influence,
    Options,
    Person,
    Seat,
    Subgraph,
    coaching_plan,
    influence_paths,
)
from graph_api.engine.coaching import plan_core
from graph_api.engine.plays import to_play

SIZES = (50, 200, 1000)
BUDGET_MS = 100.0


def document_to_subgraph(document: dict[str, Any], opportunity: int = 0) -> Subgraph:
    """The engine input for one opportunity of ``accounts[0]`` (ids are the externalIds)."""
    account = document["accounts"][0]
    industries = {
        a["externalId"]: a.get("industry") for a in document["accounts"] if a.get("isReference")
    }
    concerns = {
        c["externalId"]: Concern(c["externalId"], c["name"], ConcernCategory(c["category"]))
        for c in document["playbook"]["concerns"]
    }
    arguments = {
        a["externalId"]: Argument(
            id=a["externalId"],
            title=a["title"],
            kind=ArgumentKind(a["kind"]),
            talk_track=a.get("talkTrack", ""),
            addresses={x["concern"]: x["fit"] for x in a.get("addresses", [])},
            cited_industries=frozenset(
                industries[ref] for ref in a.get("cites", []) if industries.get(ref)
            ),
        )
        for a in document["playbook"]["arguments"]
    }
    opp = account["opportunities"][opportunity]
    stakeholders = account["stakeholders"]
    return Subgraph(
        opportunity_id=opp["externalId"],
        opportunity_name=opp["name"],
        decision_rule=DecisionRule(opp["decisionRule"]),
        threshold=opp.get("threshold"),
        account_industry=account.get("industry"),
        people={
            s["externalId"]: Person(s["externalId"], s["name"], s.get("title"))
            for s in stakeholders
        },
        seats={
            seat["stakeholder"]: Seat(
                stakeholder_id=seat["stakeholder"],
                role=CommitteeRole(seat["role"]),
                stance=Stance(seat["stance"]),
                veto=seat.get("veto", False),
                vote_weight=seat.get("voteWeight", 1.0),
            )
            for seat in opp["committee"]
        },
        influences=tuple(
            Influence(
                e["from"],
                e["to"],
                e["strength"],
                frozenset(ConcernCategory(t) for t in e.get("topics", [])),
            )
            for e in account.get("influences", [])
        ),
        conflicts=tuple(
            Conflict(e["from"], e["to"], e["strength"]) for e in account.get("conflicts", [])
        ),
        advocacy=tuple(
            Advocacy(a["stakeholder"], a["alternative"], a["strength"]) for a in opp["advocacy"]
        ),
        alternatives={
            a["externalId"]: Alternative(a["externalId"], a["name"], AlternativeKind(a["kind"]))
            for a in opp["alternatives"]
        },
        concerns=concerns,
        arguments=arguments,
        cares_about={
            s["externalId"]: {c["concern"]: c["weight"] for c in s.get("concerns", [])}
            for s in stakeholders
            if s.get("concerns")
        },
        readiness={
            (s["externalId"], c["argument"]): c["readiness"]
            for s in stakeholders
            for c in s.get("coachedOn", [])
        },
        heard={
            (s["externalId"], h["argument"]): Reception(h["reception"])
            for s in stakeholders
            for h in s.get("heard", [])
        },
    )


def _median_ms(action: Any, runs: int) -> tuple[float, float]:
    action()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), min(samples)


def plain_plan(graph: Subgraph, options: Options) -> None:
    """The section-3 plan alone: the plan core and the plays it shows, nothing of section 6."""
    core = plan_core(graph, options)
    for approver in core.committee.approvers:
        for candidate in core.index.plays.get(approver, [])[: options.top_plays_per_approver]:
            to_play(graph, candidate)
    for candidate in core.chosen:
        to_play(graph, candidate)


def interleaved_cpu_ms(graph: Subgraph, runs: int) -> tuple[float, float]:
    """Least CPU ms of the plain and the full plan, run alternately (on a shared machine the
    least is the run that other processes disturbed least)."""
    options = Options()
    plain_plan(graph, options)
    coaching_plan(graph, options)
    plain, full = [], []
    for _ in range(runs):
        started = time.process_time()
        plain_plan(graph, options)
        plain.append((time.process_time() - started) * 1000)
        started = time.process_time()
        coaching_plan(graph, options)
        full.append((time.process_time() - started) * 1000)
    return min(plain), min(full)


def dense_account(size: int = 20) -> Subgraph:
    """Issue 8's account: ``size`` champions, every edge 1.0, four of them open approvers."""
    ids = [f"p{i:02d}" for i in range(size)]
    seats = {i: Seat(i, CommitteeRole.INFLUENCER, Stance.CHAMPION) for i in ids}
    seats.update({i: Seat(i, CommitteeRole.APPROVER, Stance.NEUTRAL) for i in ids[:4]})
    return Subgraph(
        opportunity_id="dense",
        opportunity_name="Dense",
        decision_rule=DecisionRule.UNANIMOUS,
        people={i: Person(i, i) for i in ids},
        seats=seats,
        influences=tuple(Influence(a, b, 1.0) for a in ids for b in ids if a != b),
        arguments={"roi": Argument("roi", "Payback in a year", ArgumentKind.ROI)},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seeds", type=int, default=4, help="one decision rule per seed")
    args = parser.parse_args()
    print(
        f"{'n':>5} {'seed':>4} {'rule':<15} {'edges':>6} {'seats':>5} {'appr':>4} "
        f"{'champ':>5} {'plan':>4} {'deps':>4} {'plain ms':>8} {'full ms':>7} {'ratio':>5} "
        f"{'wall ms':>7} {'visits':>6}  paths ms"
    )
    worst = 0.0
    ratios: list[float] = []
    for n in SIZES:
        for seed in range(args.seeds):
            graph = document_to_subgraph(generate_account_document(n, seed))
            budget = Budget()
            result = coaching_plan(graph, Options(), budget=budget)
            plain, full = interleaved_cpu_ms(graph, args.runs)
            wall, _ = _median_ms(lambda g=graph: coaching_plan(g, Options()), args.runs)
            champions = [
                s for s in graph.seats.values() if s.stance in (Stance.CHAMPION, Stance.SUPPORTER)
            ]
            source, target = champions[0].stakeholder_id, result.approvers[0].approver_id
            paths_median, _ = _median_ms(
                lambda g=graph, s=source, t=target: influence_paths(g, s, t, 3, 5), args.runs
            )
            if n == max(SIZES):
                worst = max(worst, wall)
                ratios.append(full / plain)
            print(
                f"{n:>5} {seed:>4} {result.decision_rule.value:<15} {len(graph.influences):>6} "
                f"{len(graph.seats):>5} {len(result.approvers):>4} {len(champions):>5} "
                f"{len(result.plan):>4} {len(result.deal_dependencies):>4} {plain:>8.2f} "
                f"{full:>7.2f} {full / plain:>5.2f} {wall:>7.2f} {budget.visits:>6}  "
                f"{paths_median:.2f}"
            )
    verdict = "OK" if worst < BUDGET_MS else "OVER BUDGET"
    print(f"1,000 stakeholders: worst median {worst:.2f} ms (budget {BUDGET_MS:.0f} ms): {verdict}")
    print(
        "1,000 stakeholders: full plan / plain plan (CPU): "
        + ", ".join(f"{r:.2f}" for r in ratios)
        + f"; worst {max(ratios):.2f} (target <= 2)"
    )
    dense = dense_account()
    paths_budget = Budget()
    influence_paths(dense, "p00", "p19", 6, 50, budget=paths_budget)
    paths_ms, _ = _median_ms(lambda: influence_paths(dense, "p00", "p19", 6, 50), args.runs)
    plan_budget = Budget()
    coaching_plan(dense, Options(max_hops=6), budget=plan_budget)
    plan_ms, _ = _median_ms(lambda: coaching_plan(dense, Options(max_hops=6)), args.runs)
    print(
        f"dense 20 (every edge 1.0): influencePaths(maxHops 6, first 50) {paths_ms:.2f} ms, "
        f"{paths_budget.visits} visits; full plan at maxHops 6 {plan_ms:.2f} ms, "
        f"{plan_budget.visits} visits"
    )


if __name__ == "__main__":
    main()
