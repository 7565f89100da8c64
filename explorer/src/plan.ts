// The plan panel: approvers with status and probability before/after; one approver's best
// play, threats and who to develop, each of which can be drawn on the graph.

import { h, percent, pretty } from "./dom";
import type { ApproverAssessment, CoachingPlan, Person, Play } from "./types";

export interface PlanHandlers {
  highlight(path: string[], variant: "play" | "threat"): void;
  clearHighlight(): void;
}

function names(path: Person[]): string {
  return path.map((p) => p.name).join(" → ");
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

  render(plan: CoachingPlan): void {
    this.plan = plan;
    this.win.dataset.before = plan.winProbability.toFixed(4);
    this.win.dataset.after = plan.winProbabilityWithPlan.toFixed(4);
    this.win.replaceChildren(
      h("span", { class: "win-label" }, "Win probability"),
      h("strong", { class: "win-before", title: "today" }, percent(plan.winProbability)),
      h("span", { class: "arrow" }, "→"),
      h("strong", { class: "win-after", title: "with the plan carried out" }, percent(plan.winProbabilityWithPlan)),
      h("span", { class: "muted" }, "with the plan"),
      h("span", { class: "muted", title: "decision rule" }, ` · ${pretty(plan.decisionRule)}`),
    );
    const rows = plan.approvers.map((a) => this.approverRow(a));
    this.list.replaceChildren(
      ...plan.warnings.map((w) => h("p", { class: "warning", role: "note" }, `⚠ ${w}`)),
      plan.approvers.length
        ? h("ul", { class: "approvers", "data-testid": "approvers" }, ...rows)
        : h("p", { class: "muted" }, "No approvers on this committee yet: seat an economic buyer or approver."),
      this.planList(plan.plan),
    );
    const keep = plan.approvers.find((a) => a.approver.id === this.selected);
    if (keep) this.choose(keep.approver.id);
    else {
      this.selected = null;
      this.detail.replaceChildren(h("p", { class: "muted" }, "Choose an approver to see how to reach them."));
    }
  }

  private approverRow(a: ApproverAssessment): HTMLElement {
    const button = h(
      "button",
      {
        type: "button",
        class: "approver",
        "data-approver-id": a.approver.id,
        "data-status": a.status,
      },
      h("span", { class: "approver-name" }, a.approver.name),
      h("span", { class: "approver-title muted" }, a.approver.title ?? pretty(a.role)),
      h("span", { class: `status status-${a.status.toLowerCase()}` }, pretty(a.status)),
      h(
        "span",
        { class: "prob" },
        percent(a.approvalProbability),
        " → ",
        h("strong", {}, percent(a.approvalProbabilityWithPlan)),
      ),
    );
    button.addEventListener("click", () => this.choose(a.approver.id));
    return h("li", {}, button);
  }

  private planList(plays: Play[]): HTMLElement {
    if (plays.length === 0) return h("p", { class: "muted" }, "The plan has no plays: nothing raises the win probability.");
    return h(
      "details",
      { class: "the-plan", open: true },
      h("summary", {}, `The plan: ${plays.length} play${plays.length === 1 ? "" : "s"}`),
      h(
        "ol",
        {},
        ...plays.map((play) => {
          const item = h(
            "button",
            { type: "button", class: "link" },
            `${play.action === "DEPLOY" ? "Deploy" : "Coach"} ${play.champion.name} on “${play.argument.title}” for ${play.approver.name}`,
          );
          item.addEventListener("click", () => this.handlers.highlight(play.path.map((p) => p.id), "play"));
          return h("li", {}, item);
        }),
      ),
    );
  }

  choose(approverId: string | null): void {
    this.list.querySelectorAll("button.approver").forEach((b) => {
      b.classList.toggle("chosen", (b as HTMLElement).dataset.approverId === approverId);
    });
    const a = this.plan?.approvers.find((x) => x.approver.id === approverId);
    this.selected = a ? approverId : null;
    if (!a) {
      this.handlers.clearHighlight();
      this.detail.replaceChildren();
      return;
    }
    const best = a.plays[0];
    if (best) this.handlers.highlight(best.path.map((p) => p.id), "play");
    else this.handlers.highlight([a.approver.id], "play");
    this.detail.replaceChildren(
      h(
        "div",
        { class: "approver-detail", "data-approver-id": a.approver.id },
        h("h3", {}, a.approver.name, " ", h("span", { class: `status status-${a.status.toLowerCase()}` }, pretty(a.status))),
        h(
          "p",
          { class: "muted" },
          `${pretty(a.role)} · ${pretty(a.stance)} · approval ${percent(a.approvalProbability)} → ${percent(a.approvalProbabilityWithPlan)}`,
        ),
        best ? this.playBlock(best, true) : this.noPlay(a),
        ...a.plays.slice(1).map((p) => this.playBlock(p, false)),
        this.threats(a),
        this.develop(a),
      ),
    );
  }

  private noPlay(a: ApproverAssessment): HTMLElement {
    return h(
      "p",
      { class: "muted" },
      a.status === "SECURED"
        ? `${a.approver.name} is a champion already: no play needed.`
        : `No champion reaches ${a.approver.name} today.`,
    );
  }

  private playBlock(play: Play, best: boolean): HTMLElement {
    const show = h("button", { type: "button", class: "link" }, "show path");
    show.addEventListener("click", () => this.handlers.highlight(play.path.map((p) => p.id), "play"));
    if (!best) {
      return h(
        "div",
        { class: "play other-play" },
        h("div", {}, `${play.action === "DEPLOY" ? "Deploy" : "Coach"} ${play.champion.name} on “${play.argument.title}” `, h("span", { class: "muted" }, numbers(play)), " ", show),
      );
    }
    return h(
      "div",
      { class: "play best-play", "data-testid": "best-play" },
      h("h4", {}, "Best play"),
      h(
        "p",
        { class: "play-headline" },
        h("span", { class: `action action-${play.action.toLowerCase()}` }, play.action),
        ` ${play.champion.name} on “${play.argument.title}” (${pretty(play.argument.kind)})`,
      ),
      h("p", { class: "explanation", "data-testid": "explanation" }, play.explanation),
      play.argument.talkTrack
        ? h("blockquote", { class: "talk-track", "data-testid": "talk-track" }, play.argument.talkTrack)
        : null,
      h("p", { class: "path" }, "Path: ", names(play.path), " ", show),
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
              const show = h("button", { type: "button", class: "link" }, "show path");
              show.addEventListener("click", () => this.handlers.highlight(t.path.map((p) => p.id), "threat"));
              const pushes = t.alternative ? ` pushes ${t.alternative.name} (${pretty(t.alternative.kind)})` : "";
              return h("li", {}, `${t.opponent.name}${pushes}; reach ${t.reach.toFixed(2)} via ${names(t.path)} `, show);
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
          const show = h("button", { type: "button", class: "link" }, "show path");
          show.addEventListener("click", () => this.handlers.highlight(d.path.map((p) => p.id), "play"));
          const by = d.reachableBy.length ? `; reachable by ${d.reachableBy.map((p) => p.name).join(", ")}` : "; no champion reaches them yet";
          return h("li", {}, `${d.stakeholder.name}: reach ${d.reach.toFixed(2)}${by} `, show);
        }),
      ),
    );
  }
}
