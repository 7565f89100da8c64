// The plan panel: approvers riskiest first, with status and approval before → with the plan;
// one approver's best play (and, when it is not in the plan, why, in the API's words), threats
// and who to develop, each of which can be drawn on the map; the plan itself, exportable.

import { h } from "./dom";
import { icon } from "./icons";
import { byRisk, exclusionText, inPlan, NO_REASON_YET, pathText, playHeadline } from "./plan-facts";
import type { ApproverAssessment, CoachingPlan, Play } from "./types";
import { lower, percent, roleLabel, STANCE_LOOK, STATUS_LOOK } from "./words";

export interface PlanHandlers {
  highlight(path: string[], variant: "play" | "threat"): void;
  clearHighlight(): void;
  exportCsv(): void;
  printBriefs(): void;
}

function numbers(play: Play): string {
  return `reach ${play.reach.toFixed(2)} · fit ${play.fit.toFixed(2)} · value ${play.value.toFixed(2)}`;
}

export class PlanPanel {
  private plan: CoachingPlan | null = null;
  private selected: string | null = null;

  constructor(
    private readonly list: HTMLElement,
    private readonly detail: HTMLElement,
    private readonly win: HTMLElement,
    private readonly handlers: PlanHandlers,
  ) {}

  get current(): CoachingPlan | null {
    return this.plan;
  }

  clear(message: string): void {
    this.plan = null;
    this.selected = null;
    this.win.replaceChildren(h("span", { class: "muted" }, "Win probability: —"));
    delete this.win.dataset.before;
    delete this.win.dataset.after;
    this.list.replaceChildren(h("p", { class: "muted" }, message));
    this.detail.replaceChildren();
  }

  showError(message: string): void {
    this.clear("");
    this.list.replaceChildren(h("p", { class: "form-error" }, `The coaching plan could not be computed: ${message}`));
  }

  render(plan: CoachingPlan, showCriticality: boolean): void {
    this.plan = plan;
    this.win.dataset.before = plan.winProbability.toFixed(4);
    this.win.dataset.after = plan.winProbabilityWithPlan.toFixed(4);
    this.win.replaceChildren(
      h("span", { class: "win-label" }, "Win", h("span", { class: "visually-hidden" }, " probability today")),
      h("strong", { class: "win-before", title: "today" }, percent(plan.winProbability)),
      h("span", { class: "arrow", "aria-hidden": "true" }, "→"),
      h("strong", { class: "win-after", title: "with the plan carried out" }, h("span", { class: "visually-hidden" }, "with the plan "), percent(plan.winProbabilityWithPlan)),
      h("span", { class: "muted", "aria-hidden": "true" }, "with plan"),
    );
    const approvers = [...plan.approvers].sort(byRisk);
    this.list.replaceChildren(
      ...plan.warnings.map((w) => h("p", { class: "warning", role: "note" }, `⚠ ${w}`)),
      h("p", { class: "rule" }, `Decision rule: ${lower(plan.decisionRule)}`),
      h("h2", { class: "panel-heading" }, "Approvers, riskiest first"),
      approvers.length
        ? h("ul", { class: "approvers", "data-testid": "approvers" }, ...approvers.map((a) => this.approverRow(a, showCriticality)))
        : h("p", { class: "muted" }, "No approvers on this committee yet: seat an economic buyer or approver."),
      this.planList(plan.plan),
    );
    const keep = plan.approvers.find((a) => a.approver.id === this.selected);
    if (keep) this.choose(keep.approver.id, false);
    else {
      this.selected = null;
      this.detail.replaceChildren(h("p", { class: "muted" }, "Choose an approver to see how to reach them."));
    }
  }

  private approverRow(a: ApproverAssessment, showCriticality: boolean): HTMLElement {
    const status = STATUS_LOOK[a.status]?.label ?? lower(a.status);
    const button = h(
      "button",
      { type: "button", class: "approver", "data-approver-id": a.approver.id, "data-status": a.status, "aria-pressed": "false" },
      h("span", { class: "approver-name" }, a.approver.name),
      h("span", { class: "approver-title muted" }, a.approver.title ?? roleLabel(a.role)),
      h("span", { class: `status status-${a.status.toLowerCase()}` }, status),
      h(
        "span",
        { class: "prob" },
        percent(a.approvalProbability),
        " → ",
        h("strong", {}, percent(a.approvalProbabilityWithPlan)),
        showCriticality && a.criticality != null ? h("span", { class: "muted crit" }, ` · criticality ${a.criticality.toFixed(2)}`) : null,
      ),
    );
    button.addEventListener("click", () => this.choose(a.approver.id));
    return h("li", {}, button);
  }

  private planList(plays: Play[]): HTMLElement {
    const exports = h(
      "div",
      { class: "plan-exports" },
      button("Download CSV", "export-csv", () => this.handlers.exportCsv()),
      button("Champion briefs (print)", "print-briefs", () => this.handlers.printBriefs()),
    );
    if (plays.length === 0) {
      return h("div", { class: "the-plan" }, h("h2", { class: "panel-heading" }, "The plan"), h("p", { class: "muted" }, "The plan has no plays: nothing raises the win probability."));
    }
    return h(
      "div",
      { class: "the-plan", "data-testid": "the-plan" },
      h("h2", { class: "panel-heading" }, `The plan: ${plays.length} play${plays.length === 1 ? "" : "s"}`),
      h(
        "ol",
        {},
        ...plays.map((play) => {
          const item = button(`${playHeadline(play)} for ${play.approver.name}`, "plan-play", () => this.handlers.highlight(play.path.map((p) => p.id), "play"));
          item.className = "link";
          return h("li", {}, item);
        }),
      ),
      exports,
    );
  }

  /** Shows one approver's plays, threats and development; draws the best play's path. */
  choose(approverId: string | null, highlight = true): void {
    this.list.querySelectorAll<HTMLElement>("button.approver").forEach((b) => {
      const chosen = b.dataset.approverId === approverId;
      b.classList.toggle("chosen", chosen);
      b.setAttribute("aria-pressed", String(chosen));
    });
    const a = this.plan?.approvers.find((x) => x.approver.id === approverId);
    this.selected = a ? approverId : null;
    if (!a || !this.plan) {
      this.handlers.clearHighlight();
      this.detail.replaceChildren();
      return;
    }
    const best = a.plays[0];
    if (highlight) this.handlers.highlight(best ? best.path.map((p) => p.id) : [a.approver.id], "play");
    const stance = STANCE_LOOK[a.stance] ?? STANCE_LOOK.UNKNOWN;
    this.detail.replaceChildren(
      h(
        "section",
        { class: "approver-detail", "data-approver-id": a.approver.id, "aria-label": `How to reach ${a.approver.name}` },
        h("h3", {}, a.approver.name, " ", h("span", { class: `status status-${a.status.toLowerCase()}` }, STATUS_LOOK[a.status]?.label ?? a.status)),
        h(
          "p",
          { class: "muted" },
          `${roleLabel(a.role)} · `,
          icon(stance.icon),
          ` ${stance.label} · approval ${percent(a.approvalProbability)} → ${percent(a.approvalProbabilityWithPlan)}`,
          a.criticality != null ? ` · criticality ${a.criticality.toFixed(2)}${a.criticalityWithPlan != null ? ` → ${a.criticalityWithPlan.toFixed(2)}` : ""}` : "",
        ),
        best ? this.playBlock(best, true, this.plan) : this.noPlay(a),
        ...a.plays.slice(1).map((p) => this.playBlock(p, false, this.plan as CoachingPlan)),
        this.threats(a),
        this.develop(a),
      ),
    );
  }

  private noPlay(a: ApproverAssessment): HTMLElement {
    return h(
      "p",
      { class: "muted" },
      a.status === "SECURED" ? `${a.approver.name} is a champion already: no play needed.` : `No champion reaches ${a.approver.name} today.`,
    );
  }

  private planState(play: Play, plan: CoachingPlan): HTMLElement {
    if (inPlan(play, plan)) return h("p", { class: "in-plan", "data-testid": "in-plan" }, "✓ In the plan");
    const reason = exclusionText(play);
    return h(
      "p",
      { class: "not-in-plan", "data-testid": "not-in-plan", "data-reason": play.exclusion?.reason ?? "" },
      h("strong", {}, "✗ Not in the plan. "),
      h("span", { class: "reason" }, reason ?? NO_REASON_YET),
    );
  }

  private playBlock(play: Play, best: boolean, plan: CoachingPlan): HTMLElement {
    const show = button("show path", "show-path", () => this.handlers.highlight(play.path.map((p) => p.id), "play"));
    show.className = "link";
    if (!best) {
      return h(
        "div",
        { class: "play other-play" },
        h("div", {}, `${playHeadline(play)} `, h("span", { class: "muted" }, numbers(play)), " ", show),
        this.planState(play, plan),
      );
    }
    return h(
      "div",
      { class: "play best-play", "data-testid": "best-play" },
      h("h4", {}, "Best play"),
      h(
        "p",
        { class: "play-headline" },
        h("span", { class: `action action-${play.action.toLowerCase()}` }, play.action === "DEPLOY" ? "Deploy" : "Coach"),
        ` ${play.champion.name} on “${play.argument.title}” (${lower(play.argument.kind)})`,
      ),
      this.planState(play, plan),
      h("p", { class: "explanation", "data-testid": "explanation" }, play.explanation),
      play.argument.talkTrack ? h("blockquote", { class: "talk-track", "data-testid": "talk-track" }, play.argument.talkTrack) : null,
      h("p", { class: "path" }, "Path: ", pathText(play), " ", show),
      h("p", { class: "muted" }, numbers(play)),
    );
  }

  private threats(a: ApproverAssessment): HTMLElement {
    return h(
      "div",
      { class: "threats", "data-testid": "threats" },
      h("h4", {}, `Threats (${a.threats.length})`),
      a.threats.length
        ? h(
            "ul",
            {},
            ...a.threats.map((t) => {
              const show = button("show path", "show-threat", () => this.handlers.highlight(t.path.map((p) => p.id), "threat"));
              show.className = "link";
              const pushes = t.alternative ? ` pushes ${t.alternative.name} (${lower(t.alternative.kind)})` : "";
              return h("li", {}, `${t.opponent.name}${pushes}; reach ${t.reach.toFixed(2)} via ${pathText(t)} `, show);
            }),
          )
        : h("p", { class: "muted" }, "No opponent reaches this approver."),
    );
  }

  private develop(a: ApproverAssessment): HTMLElement | null {
    if (a.developCandidates.length === 0) {
      return a.status === "WEAK" || a.status === "UNCOVERED"
        ? h("div", { class: "develop" }, h("h4", {}, "Who to develop"), h("p", { class: "muted" }, "Nobody neutral reaches this approver."))
        : null;
    }
    return h(
      "div",
      { class: "develop", "data-testid": "develop" },
      h("h4", {}, `Who to develop (${a.developCandidates.length})`),
      h(
        "ul",
        {},
        ...a.developCandidates.map((d) => {
          const show = button("show path", "show-develop", () => this.handlers.highlight(d.path.map((p) => p.id), "play"));
          show.className = "link";
          const by = d.reachableBy.length ? `; reachable by ${d.reachableBy.map((p) => p.name).join(", ")}` : "; no champion reaches them yet";
          return h("li", {}, `${d.stakeholder.name}: reach ${d.reach.toFixed(2)}${by} `, show);
        }),
      ),
    );
  }
}

function button(label: string, action: string, run: () => void): HTMLButtonElement {
  const element = h("button", { type: "button", class: "btn small", "data-action": action }, label);
  element.addEventListener("click", run);
  return element;
}
