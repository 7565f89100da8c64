// The plan taken away: a CSV of its plays, and a printable brief per champion (whom to talk to,
// which argument, the talk track and proof points, and the path the argument travels).

import { h } from "./dom";
import { assessments, pathText, playHeadline } from "./plan-facts";
import type { CoachingPlan, Play } from "./types";
import { lower, roleLabel, STANCE_LOOK } from "./words";

function cell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function planCsv(plan: CoachingPlan, context: { account: string; opportunity: string }): string {
  const header = [
    "Step", "Account", "Opportunity", "Action", "Champion", "Argument", "Argument kind", "Approver",
    "Approver role", "Path", "Reach", "Fit", "Value", "Explanation", "Talk track",
  ];
  const byApprover = assessments(plan);
  const rows = plan.plan.map((play, i) => [
    i + 1,
    context.account,
    context.opportunity,
    play.action === "DEPLOY" ? "Deploy" : "Coach",
    play.champion.name,
    play.argument.title,
    lower(play.argument.kind),
    play.approver.name,
    roleLabel(byApprover.get(play.approver.id)?.role ?? null),
    pathText(play),
    play.reach.toFixed(3),
    play.fit.toFixed(3),
    play.value.toFixed(3),
    play.explanation,
    play.argument.talkTrack ?? "",
  ]);
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** Saves `text` as a file through the browser (no server round trip). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob(["\ufeff", text], { type }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function fileName(...parts: string[]): string {
  return parts.map((p) => p.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")).filter(Boolean).join("-");
}

/** One page per champion, in plan order. `strength(a, b)` names an influence's strength. */
export function renderBriefs(
  root: HTMLElement,
  plan: CoachingPlan,
  context: { account: string; opportunity: string },
  strength: (from: string, to: string) => number | null,
): number {
  const byChampion = new Map<string, Play[]>();
  for (const play of plan.plan) {
    const list = byChampion.get(play.champion.id);
    if (list) list.push(play);
    else byChampion.set(play.champion.id, [play]);
  }
  const byApprover = assessments(plan);
  const today = new Date().toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
  const pages = [...byChampion.values()].map((plays) => {
    const champion = plays[0].champion;
    return h(
      "article",
      { class: "brief", "data-champion-id": champion.id },
      h("h2", {}, `Brief for ${champion.name}`),
      h("p", { class: "brief-context" }, `${context.opportunity} · ${context.account} · ${today}`),
      h("p", {}, `${plays.length === 1 ? "One conversation" : `${plays.length} conversations`} to have, in this order:`),
      ...plays.map((play, i) => {
        const approver = byApprover.get(play.approver.id);
        const stance = approver ? (STANCE_LOOK[approver.stance]?.label ?? lower(approver.stance)) : "";
        const hops = play.path.slice(1).map((step, k) => {
          const s = strength(play.path[k].id, step.id);
          return `${play.path[k].name} → ${step.name}${s == null ? "" : ` (${s.toFixed(2)})`}`;
        });
        return h(
          "section",
          { class: "brief-play" },
          h("h3", {}, `${i + 1}. ${play.approver.name}`, play.approver.title ? `, ${play.approver.title}` : ""),
          h(
            "dl",
            {},
            h("dt", {}, "Whom to reach"),
            h("dd", {}, `${play.approver.name}${approver ? ` (${roleLabel(approver.role)}, ${stance.toLowerCase()})` : ""}`),
            h("dt", {}, "What to do"),
            h("dd", {}, playHeadline(play)),
            h("dt", {}, "Which argument"),
            h("dd", {}, `“${play.argument.title}” (${lower(play.argument.kind)})`),
            h("dt", {}, "Talk track"),
            h("dd", {}, play.argument.talkTrack ? h("blockquote", {}, play.argument.talkTrack) : "No talk track written yet."),
            play.argument.proofPoints.length ? h("dt", {}, "Proof points") : null,
            play.argument.proofPoints.length ? h("dd", {}, h("ul", {}, ...play.argument.proofPoints.map((p) => h("li", {}, p)))) : null,
            h("dt", {}, "The path"),
            h("dd", {}, play.path.length > 1 ? hops.join("; ") : play.champion.name),
            h("dt", {}, "Why"),
            h("dd", {}, play.explanation),
          ),
        );
      }),
    );
  });
  root.replaceChildren(...pages);
  return pages.length;
}
