"""The coaching plan for a terminal: a readable report, or the same data as JSON."""

from __future__ import annotations

from typing import Any

from graph_api import coaching, engine
from graph_api.coaching import Plan
from graph_api.config import Settings
from graph_api.db.driver import Database


class PlanReport:
    """One opportunity's plan with names resolved, as plain data and as text."""

    def __init__(self, plan: Plan) -> None:
        self.account_map = plan.account_map
        self.result: engine.CoachingResult = plan.result
        self.names = {p.id: p.name for p in self.account_map.people}
        self.external = {p.id: p.external_id for p in self.account_map.people}
        self.arguments = plan.arguments
        self.alternatives = {x.id: x.name for x in self.account_map.alternatives}

    def _person(self, stakeholder_id: str) -> dict[str, Any]:
        return {
            "id": stakeholder_id,
            "externalId": self.external.get(stakeholder_id),
            "name": self.names.get(stakeholder_id, stakeholder_id),
        }

    def _play(self, play: engine.Play) -> dict[str, Any]:
        argument = self.arguments[play.argument_id]
        return {
            "champion": self._person(play.champion_id),
            "argument": {
                "id": play.argument_id,
                "externalId": argument.external_id,
                "title": argument.title,
                "kind": argument.kind.value,
            },
            "approver": self._person(play.approver_id),
            "action": play.action.value,
            "path": [self._person(s) for s in play.path],
            "reach": play.reach,
            "fit": play.fit,
            "value": play.value,
            "explanation": play.explanation,
        }

    def as_data(self) -> dict[str, Any]:
        r = self.result
        opportunity = self.account_map.opportunity
        return {
            "opportunity": {
                "id": r.opportunity_id,
                "externalId": None if opportunity is None else opportunity.external_id,
                "name": None if opportunity is None else opportunity.name,
            },
            "decisionRule": r.decision_rule.value,
            "winProbability": r.win_probability,
            "winProbabilityWithPlan": r.win_probability_with_plan,
            "approvers": [
                {
                    "approver": self._person(a.approver_id),
                    "role": a.role.value,
                    "stance": a.stance.value,
                    "status": a.status.value,
                    "approvalProbability": a.approval_probability,
                    "approvalProbabilityWithPlan": a.approval_probability_with_plan,
                    "plays": [self._play(p) for p in a.plays],
                    "threats": [
                        {
                            "opponent": self._person(t.opponent_id),
                            "reach": t.reach,
                            "path": [self._person(s) for s in t.path],
                            "alternative": self.alternatives.get(t.alternative_id or ""),
                        }
                        for t in a.threats
                    ],
                    "developCandidates": [
                        {
                            "stakeholder": self._person(d.stakeholder_id),
                            "reach": d.reach,
                            "path": [self._person(s) for s in d.path],
                            "reachableBy": [self._person(s) for s in d.reachable_by],
                        }
                        for d in a.develop_candidates
                    ],
                    "criticality": a.criticality,
                    "criticalityWithPlan": a.criticality_with_plan,
                    "singleThreaded": a.single_threaded,
                    "keyPeople": [self._person(k.stakeholder_id) for k in a.key_people],
                }
                for a in r.approvers
            ],
            "plan": [self._play(p) for p in r.plan],
            "champions": [
                {
                    "champion": self._person(c.champion_id),
                    "influence": c.influence,
                    "verdict": c.verdict.value,
                    "explanation": c.explanation,
                }
                for c in r.champions
            ],
            "dealDependencies": [
                {
                    "stakeholder": self._person(d.stakeholder_id),
                    "winProbabilityWithout": d.win_probability_without,
                    "drop": d.drop,
                    "explanation": d.explanation,
                }
                for d in r.deal_dependencies
            ],
            "staleFacts": [f.warning for f in r.stale_facts],
            "without": [self._person(i) for i in r.without],
            "warnings": list(r.warnings),
        }

    def _path(self, ids: tuple[str, ...]) -> str:
        return " → ".join(self.names.get(i, i) for i in ids)

    def as_text(self) -> str:
        r = self.result
        opportunity = self.account_map.opportunity
        title = "" if opportunity is None else opportunity.name
        lines = [
            f"{title} — {r.decision_rule.value}",
            f"Win probability: {r.win_probability:.2f} now, "
            f"{r.win_probability_with_plan:.2f} with the plan",
            "",
            f"{'APPROVER':28} {'ROLE':15} {'STANCE':10} {'STATUS':10} {'P NOW':>6} {'P PLAN':>6}"
            f" {'CRIT':>5}",
        ]
        for a in r.approvers:
            lines.append(
                f"{self.names[a.approver_id][:28]:28} {a.role.value:15} {a.stance.value:10} "
                f"{a.status.value:10} {a.approval_probability:6.2f} "
                f"{a.approval_probability_with_plan:6.2f} {a.criticality:5.2f}"
            )
            if a.single_thread_explanation:
                lines.append(f"    single thread: {a.single_thread_explanation}")
            for play in a.plays:
                argument = self.arguments[play.argument_id]
                lines.append(
                    f"    play  {play.action.value:6} {play.value:.2f}  "
                    f"{argument.title}  via {self._path(play.path)}"
                )
            lines.extend(
                f"    threat {t.reach:.2f}  {self._path(t.path)}"
                + (f"  pushing {self.alternatives[t.alternative_id]}" if t.alternative_id else "")
                for t in a.threats
            )
            for d in a.develop_candidates:
                by = ", ".join(self.names[c] for c in d.reachable_by) or "no champion yet"
                lines.append(
                    f"    develop {self.names[d.stakeholder_id]} "
                    f"(reach {d.reach:.2f} via {self._path(d.path)}; reachable by {by})"
                )
        if r.without:
            lines.insert(
                2, "Planned without: " + ", ".join(self.names.get(i, i) for i in r.without)
            )
        lines += ["", "CHAMPION TEST"]
        if not r.champions:
            lines.append("  (no CHAMPION or SUPPORTER seat)")
        lines.extend(
            f"  {c.verdict.value:10} {c.influence:4.2f}  {c.explanation}" for c in r.champions
        )
        lines += ["", "PLAN"]
        if not r.plan:
            lines.append("  (no play raises the win probability by 0.005 or more)")
        for number, play in enumerate(r.plan, start=1):
            lines.append(f"  {number}. {play.explanation}")
        if r.deal_dependencies:
            lines += ["", "IF SOMEONE LEAVES"]
            lines.extend(f"  -{d.drop:4.2f}  {d.explanation}" for d in r.deal_dependencies)
        if r.warnings:
            lines += ["", "WARNINGS", *(f"  - {w}" for w in r.warnings)]
        return "\n".join(lines)


async def load_plan_report(
    database: Database,
    settings: Settings,
    tenant_id: str,
    *,
    opportunity_id: str | None = None,
    opportunity_external_id: str | None = None,
    asked: coaching.Asked = coaching.Asked(),  # noqa: B008 (frozen: a safe default)
) -> PlanReport:
    """One opportunity's plan (by id or externalId), through the coaching service.

    Raises:
        NotFound: no such opportunity in the tenant.
        InvalidInput: an option outside its range.
    """
    if opportunity_id is None:
        opportunity_id = await coaching.opportunity_id_of(
            database, tenant_id, str(opportunity_external_id)
        )
    plan = await coaching.coaching_plan(database, settings, tenant_id, opportunity_id, asked)
    return PlanReport(plan)
