// Facts about the plan that the plan panel, the list and the exports share. Nothing here
// applies a committee or planning rule: who is an approver or a champion, which plays the plan
// holds and why one is left out all come from the API; this only looks them up and orders them.

import type { ApproverAssessment, CoachingPlan, Play } from "./types";
import { STATUS_LOOK } from "./words";

/** Whether the plan holds this play: the server's `inPlan` when it says, else the plan's list. */
export function inPlan(play: Play, plan: CoachingPlan): boolean {
  if (typeof play.inPlan === "boolean") return play.inPlan;
  return plan.plan.some(
    (p) => p.champion.id === play.champion.id && p.argument.id === play.argument.id && p.approver.id === play.approver.id,
  );
}

/** Why a play is not in the plan, in the API's words; null when this server does not say. */
export function exclusionText(play: Play): string | null {
  return play.exclusion?.explanation || null;
}

export const NO_REASON_YET = "This server does not say why a play is left out of the plan yet.";

/** Riskiest first: by coverage status, then how much the deal hangs on them, then approval with the plan. */
export function byRisk(a: ApproverAssessment, b: ApproverAssessment): number {
  const status = (x: ApproverAssessment): number => STATUS_LOOK[x.status]?.order ?? 9;
  return (
    status(a) - status(b) ||
    (b.criticalityWithPlan ?? b.criticality ?? 0) - (a.criticalityWithPlan ?? a.criticality ?? 0) ||
    a.approvalProbabilityWithPlan - b.approvalProbabilityWithPlan ||
    a.approver.name.localeCompare(b.approver.name)
  );
}

export function assessments(plan: CoachingPlan | null): Map<string, ApproverAssessment> {
  return new Map((plan?.approvers ?? []).map((a) => [a.approver.id, a]));
}

/** "Coach Dana Whitfield on “No more 3 a.m. outages”". */
export function playHeadline(play: Play): string {
  return `${play.action === "DEPLOY" ? "Deploy" : "Coach"} ${play.champion.name} on “${play.argument.title}”`;
}

export function pathText(play: { path: { name: string }[] }): string {
  return play.path.map((p) => p.name).join(" → ");
}
