"""The coaching plan for a terminal: a readable report, or the same data as JSON."""

from __future__ import annotations

from typing import Any

from graph_api import engine
from graph_api.db.driver import Database
from graph_api.errors import NotFound
from graph_api.repositories.graph import nodes_by_keys
from graph_api.repositories.subgraph import (
    AccountMap,
    coaching_options,
    load_account_map,
    to_engine_subgraph,
)


class PlanReport:
    """One opportunity's plan with names resolved, as plain data and as text."""

    def __init__(self, account_map: AccountMap, result: engine.CoachingResult) -> None:
        self.account_map = account_map
        self.result = result
        self.names = {p.id: str(p.get("name")) for p in account_map.people}
        self.external = {p.id: p.external_id for p in account_map.people}
        self.arguments = {g["node"]["id"]: g["node"] for g in account_map.arguments}
        self.alternatives = {x.id: str(x.get("name")) for x in account_map.alternatives}

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
                "externalId": argument.get("externalId"),
                "title": argument.get("title"),
                "kind": argument.get("kind"),
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
                "name": None if opportunity is None else opportunity.get("name"),
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
                }
                for a in r.approvers
            ],
            "plan": [self._play(p) for p in r.plan],
            "warnings": list(r.warnings),
        }

    def _path(self, ids: tuple[str, ...]) -> str:
        return " → ".join(self.names.get(i, i) for i in ids)

    def as_text(self) -> str:
        r = self.result
        opportunity = self.account_map.opportunity
        title = "" if opportunity is None else str(opportunity.get("name"))
        lines = [
            f"{title} — {r.decision_rule.value}",
            f"Win probability: {r.win_probability:.2f} now, "
            f"{r.win_probability_with_plan:.2f} with the plan",
            "",
            f"{'APPROVER':28} {'ROLE':15} {'STANCE':10} {'STATUS':10} {'P NOW':>6} {'P PLAN':>6}",
        ]
        for a in r.approvers:
            lines.append(
                f"{self.names[a.approver_id][:28]:28} {a.role.value:15} {a.stance.value:10} "
                f"{a.status.value:10} {a.approval_probability:6.2f} "
                f"{a.approval_probability_with_plan:6.2f}"
            )
            for play in a.plays:
                argument = self.arguments[play.argument_id]
                lines.append(
                    f"    play  {play.action.value:6} {play.value:.2f}  "
                    f"{argument.get('title')}  via {self._path(play.path)}"
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
        lines += ["", "PLAN"]
        if not r.plan:
            lines.append("  (no play raises the win probability by 0.005 or more)")
        for number, play in enumerate(r.plan, start=1):
            lines.append(f"  {number}. {play.explanation}")
        if r.warnings:
            lines += ["", "WARNINGS", *(f"  - {w}" for w in r.warnings)]
        return "\n".join(lines)


async def load_plan_report(
    database: Database,
    tenant_id: str,
    *,
    opportunity_id: str | None = None,
    opportunity_external_id: str | None = None,
    max_hops: int | None = None,
    capacity_per_champion: int | None = None,
    top_plays_per_approver: int | None = None,
) -> PlanReport:
    """One opportunity's plan (by id or externalId) with its map loaded in one round trip.

    Raises:
        NotFound: no such opportunity in the tenant.
        InvalidInput: an option outside its range.
    """
    if opportunity_id is None:
        key = str(opportunity_external_id)
        found = await nodes_by_keys(database, tenant_id, "Opportunity", [key], key="externalId")
        if key not in found:
            raise NotFound("Opportunity", key)
        opportunity_id = found[key].id
    account_map = await load_account_map(database, tenant_id, opportunity_id=opportunity_id)
    options = coaching_options(
        account_map, max_hops, capacity_per_champion, top_plays_per_approver
    )
    return PlanReport(
        account_map, engine.coaching_plan(to_engine_subgraph(account_map), options)
    )
