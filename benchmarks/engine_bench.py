"""Time the coaching engine on synthetic accounts of 50, 200 and 1,000 stakeholders.

    .venv/bin/python benchmarks/engine_bench.py [--runs 9] [--seeds 4]

The engine part of the budget is 100 ms for a whole ``coaching_plan`` at 1,000 stakeholders.
``document_to_subgraph`` turns a generated section-2 document straight into the engine input
(ids are the externalIds), so engine figures need no database.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seeds", type=int, default=4, help="one decision rule per seed")
    args = parser.parse_args()
    print(
        f"{'n':>5} {'seed':>4} {'rule':<15} {'edges':>6} {'seats':>5} {'appr':>4} "
        f"{'champ':>5} {'plan':>4} {'median ms':>9} {'min ms':>7}  paths ms"
    )
    worst = 0.0
    for n in SIZES:
        for seed in range(args.seeds):
            graph = document_to_subgraph(generate_account_document(n, seed))
            result = coaching_plan(graph, Options())
            median, best = _median_ms(lambda g=graph: coaching_plan(g, Options()), args.runs)
            champions = [
                s for s in graph.seats.values() if s.stance in (Stance.CHAMPION, Stance.SUPPORTER)
            ]
            source, target = champions[0].stakeholder_id, result.approvers[0].approver_id
            paths_median, _ = _median_ms(
                lambda g=graph, s=source, t=target: influence_paths(g, s, t, 3, 5), args.runs
            )
            if n == max(SIZES):
                worst = max(worst, median)
            print(
                f"{n:>5} {seed:>4} {result.decision_rule.value:<15} {len(graph.influences):>6} "
                f"{len(graph.seats):>5} {len(result.approvers):>4} {len(champions):>5} "
                f"{len(result.plan):>4} {median:>9.2f} {best:>7.2f}  {paths_median:.2f}"
            )
    verdict = "OK" if worst < BUDGET_MS else "OVER BUDGET"
    print(f"1,000 stakeholders: worst median {worst:.2f} ms (budget {BUDGET_MS:.0f} ms): {verdict}")


if __name__ == "__main__":
    main()
