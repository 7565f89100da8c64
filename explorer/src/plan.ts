// The plan panel: approvers riskiest first, with status, approval before → with the plan, how
// much each decides the deal and whether reaching them hangs on one person; one approver's best
// play (and, when it is not in the plan, why, in the API's words), threats and who to develop,
// each of which can be drawn on the map; the champion test; the plan itself, exportable; how
// fresh the facts behind it are; and what the deal depends on, with "what if they left?".

import type { WhatIfPlan } from "./api";
import type { Capabilities } from "./capabilities";
import { h } from "./dom";
import { icon } from "./icons";
import { byRisk, exclusionText, inPlan, NO_REASON_YET, pathText, playHeadline } from "./plan-facts";
import type { DealRisk } from "./risk";
import type { ApproverAssessment, ChampionAssessment, CoachingPlan, DealDependency, Play } from "./types";
import { crit, lower, percent, roleLabel, STANCE_LOOK, STATUS_LOOK, verdictLook } from "./words";

export interface PlanHandlers {
  /** Draws a path; `approverId` also marks the people that approver's best play hangs on. */
  highlight(path: string[], variant: "play" | "threat", approverId?: string): void;
  clearHighlight(): void;
  exportCsv(): void;
  printBriefs(): void;
  /** The person on the map and in the details panel. */
  showPerson(id: string): void;
  /** The plan as if these people had left (CoachingOptions.without). */
  whatIf(without: string[]): Promise<WhatIfPlan>;
  markCommitteeVerified(): Promise<void>;
}

/** Who the what-if can remove: the committee and the people on the plan's paths. */
export interface Candidate {
  id: string;
  name: string;
  detail: string;
}

export interface PlanContext {
  opportunityId: string;
  caps: Capabilities;
  risk: DealRisk;
  readOnly: boolean;
  candidates: Candidate[];
}

const STATUS_ORDER = ["SECURED", "COVERED", "WEAK", "UNCOVERED"];

function numbers(play: Play): string {
  return `reach ${play.reach.toFixed(2)} · fit ${play.fit.toFixed(2)} · value ${play.value.toFixed(2)}`;
}

export class PlanPanel {
  private plan: CoachingPlan | null = null;
  private selected: string | null = null;
  private context: PlanContext | null = null;
  /** Who the seller asked "what if they left?" about, kept through reloads of the plan. */
  private without: string[] = [];
  private whatIfBox: HTMLElement | null = null;
  private whatIfRun = 0;

  constructor(
    private readonly list: HTMLElement,
    private readonly detail: HTMLElement,
    /** After the chosen approver's detail: what the deal depends on, and the what-if. */
    private readonly whatIfArea: HTMLElement,
    private readonly win: HTMLElement,
    private readonly handlers: PlanHandlers,
  ) {}

  get current(): CoachingPlan | null {
    return this.plan;
  }

  clear(message: string): void {
    this.plan = null;
    this.selected = null;
    this.without = [];
    this.win.replaceChildren(h("span", { class: "muted" }, "Win probability: —"));
    delete this.win.dataset.before;
    delete this.win.dataset.after;
    this.list.replaceChildren(h("p", { class: "muted" }, message));
    this.detail.replaceChildren();
    this.whatIfArea.replaceChildren();
  }

  showError(message: string): void {
    this.clear("");
    this.list.replaceChildren(h("p", { class: "form-error" }, `The coaching plan could not be computed: ${message}`));
  }

  render(plan: CoachingPlan, context: PlanContext): void {
    const showCriticality = context.caps.criticality;
    if (this.context?.opportunityId !== context.opportunityId) this.without = [];
    this.plan = plan;
    this.context = context;
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
    // stale facts are listed under freshness, folded; every other warning stays on top
    const staleWarnings = new Set((plan.staleFacts ?? []).map((f) => f.warning));
    const parts: (HTMLElement | null)[] = [
      ...plan.warnings.filter((w) => !staleWarnings.has(w)).map((w) => h("p", { class: "warning", role: "note" }, `⚠ ${w}`)),
      this.freshness(plan, context),
      h("p", { class: "rule" }, `Decision rule: ${lower(plan.decisionRule)}`),
      h("h2", { class: "panel-heading" }, "Approvers, riskiest first"),
      approvers.length
        ? h("ul", { class: "approvers", "data-testid": "approvers" }, ...approvers.map((a) => this.approverRow(a, showCriticality)))
        : h("p", { class: "muted" }, "No approvers on this committee yet: seat an economic buyer or approver."),
      this.championTest(plan.champions),
      this.planList(plan.plan),
    ];
    this.list.replaceChildren(...parts.filter((part): part is HTMLElement => part !== null));
    const whatIf = this.whatIfSection(plan, context);
    this.whatIfArea.replaceChildren(...(whatIf ? [whatIf] : []));
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
        showCriticality && a.criticality != null ? h("span", { class: "muted crit" }, ` · criticality ${crit(a.criticality)}`) : null,
      ),
      a.singleThreaded
        ? h("span", { class: "thread-mark", "data-testid": "single-thread" }, icon("thread"), `Single thread: ${(a.keyPeople ?? []).map((p) => p.name).join(", ")}`)
        : null,
    );
    button.addEventListener("click", () => this.choose(a.approver.id));
    return h("li", {}, button);
  }

  /** How many facts behind the plan are stale, and one click to confirm the committee today. */
  private freshness(plan: CoachingPlan, context: PlanContext): HTMLElement | null {
    if (!context.caps.freshness && !context.caps.markVerified) return null;
    const stale = plan.staleFacts?.length ?? 0;
    const action = context.caps.markVerified
      ? button("Mark committee verified", "mark-committee-verified", (element) => {
          element.disabled = true;
          void this.handlers.markCommitteeVerified().finally(() => (element.disabled = context.readOnly));
        })
      : null;
    if (action) {
      action.disabled = context.readOnly;
      action.title = context.readOnly ? "A viewer key cannot mark facts verified" : "Confirm every seat of this committee, its people and the lines among them as true today";
    }
    const facts = plan.staleFacts ?? [];
    return h(
      "div",
      { class: "freshness", "data-testid": "freshness", "data-stale": String(stale) },
      context.caps.freshness && stale
        ? h(
            "details",
            { class: "stale-facts" },
            h("summary", { class: "stale-count" }, icon("stale"), ` ${stale} ${stale === 1 ? "fact" : "facts"} behind the plan ${stale === 1 ? "is" : "are"} stale`),
            h("ul", {}, ...facts.map((f) => h("li", { class: "warning", "data-kind": f.kind }, f.warning))),
          )
        : context.caps.freshness
          ? h("p", { class: "muted" }, "Every fact behind the plan was verified recently.")
          : null,
      action,
    );
  }

  /** The champion test, folded: a verdict per champion seat, with the API's sentence. */
  private championTest(champions: ChampionAssessment[] | undefined): HTMLElement | null {
    if (!champions) return null;
    if (champions.length === 0) {
      return h("div", { class: "champion-test" }, h("h2", { class: "panel-heading" }, "Champion test"), h("p", { class: "muted" }, "Nobody on this committee is a champion or supporter yet."));
    }
    const counts = new Map<string, number>();
    for (const c of champions) counts.set(c.verdict, (counts.get(c.verdict) ?? 0) + 1);
    const summary = [...counts.entries()]
      .sort((a, b) => verdictLook(a[0]).order - verdictLook(b[0]).order)
      .map(([verdict, n]) => `${n} ${verdictCount(verdict, n)}`)
      .join(", ");
    return h(
      "details",
      { class: "champion-test", "data-testid": "champion-test" },
      h("summary", {}, h("span", { class: "panel-heading" }, "Champion test"), ` ${summary}`),
      h(
        "ul",
        {},
        ...[...champions]
          .sort((a, b) => verdictLook(a.verdict).order - verdictLook(b.verdict).order || b.influence - a.influence)
          .map((c) => {
            const look = verdictLook(c.verdict);
            const who = h("button", { type: "button", class: "link", "data-action": "show-champion" }, c.champion.name);
            who.addEventListener("click", () => this.handlers.showPerson(c.champion.id));
            return h(
              "li",
              { "data-champion-id": c.champion.id, "data-verdict": c.verdict },
              h("span", { class: `verdict verdict-${c.verdict.toLowerCase()}` }, icon(look.icon), look.label),
              " ",
              who,
              h("span", { class: "muted" }, ` influence ${c.influence.toFixed(2)}`),
              h("p", { class: "verdict-why" }, c.explanation),
            );
          }),
      ),
    );
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
    if (highlight) this.handlers.highlight(best ? best.path.map((p) => p.id) : [a.approver.id], "play", a.approver.id);
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
          a.criticality != null ? ` · criticality ${crit(a.criticality)}${a.criticalityWithPlan != null ? ` → ${crit(a.criticalityWithPlan)}` : ""}` : "",
        ),
        a.criticalityExplanation ? h("p", { class: "crit-why", "data-testid": "criticality-explanation" }, a.criticalityExplanation) : null,
        this.singleThread(a),
        best ? this.playBlock(best, true, this.plan) : this.noPlay(a),
        ...a.plays.slice(1).map((p) => this.playBlock(p, false, this.plan as CoachingPlan)),
        this.threats(a),
        this.develop(a),
      ),
    );
  }

  /** Who reaching this approver hangs on, marked on the map while the approver is chosen. */
  private singleThread(a: ApproverAssessment): HTMLElement | null {
    if (!a.singleThreaded) return null;
    const people = (a.keyPeople ?? []).map((p) => {
      const show = h("button", { type: "button", class: "link", "data-action": "show-key-person" }, p.name);
      show.addEventListener("click", () => this.handlers.showPerson(p.id));
      return h("li", { "data-id": p.id }, icon("key"), " ", show);
    });
    return h(
      "div",
      { class: "single-thread", "data-testid": "single-thread-detail" },
      h("h4", {}, icon("thread"), " Single thread"),
      a.singleThreadExplanation ? h("p", {}, a.singleThreadExplanation) : null,
      people.length ? h("ul", { class: "key-people", "aria-label": "Key people (marked on the map)" }, ...people) : null,
    );
  }

  // --- what if someone left ---------------------------------------------------------------------

  private whatIfSection(plan: CoachingPlan, context: PlanContext): HTMLElement | null {
    if (!context.caps.whatIf) return null;
    const deps = plan.dealDependencies;
    const box = h("div", { class: "what-if-result", "data-testid": "what-if-result", "aria-live": "polite" });
    this.whatIfBox = box;
    const candidates = context.candidates;
    this.without = this.without.filter((id) => candidates.some((c) => c.id === id));
    const chosen = new Set(this.without);
    const boxes = candidates.map((c) => {
      const input = h("input", { type: "checkbox", value: c.id, name: "without" });
      input.checked = chosen.has(c.id);
      return h("label", { class: "who" }, input, h("span", {}, c.name, c.detail ? h("span", { class: "muted" }, ` · ${c.detail}`) : null));
    });
    const picked = (): string[] => boxes.map((b) => b.querySelector("input") as HTMLInputElement).filter((i) => i.checked).map((i) => i.value);
    const run = button("See the plan without them", "run-what-if", () => void this.runWhatIf(picked()));
    const reset = button("Clear", "clear-what-if", () => {
      for (const b of boxes) (b.querySelector("input") as HTMLInputElement).checked = false;
      this.without = [];
      box.replaceChildren();
    });
    const form = h(
      "fieldset",
      { class: "what-if-picker" },
      h("legend", {}, "What if they left? Choose one or more people"),
      h("div", { class: "who-list" }, ...boxes),
      h("div", { class: "actions" }, run, reset),
    );
    const section = h(
      "section",
      { class: "what-if", "data-testid": "what-if", "aria-labelledby": "what-if-heading" },
      h("h2", { class: "panel-heading", id: "what-if-heading" }, "What if someone left?"),
      deps ? this.dependencies(deps, plan) : null,
      form,
      box,
    );
    if (this.without.length) void this.runWhatIf(this.without);
    return section;
  }

  private dependencies(deps: DealDependency[], plan: CoachingPlan): HTMLElement {
    if (deps.length === 0) {
      return h("p", { class: "muted", "data-testid": "deal-dependencies" }, "The deal depends on nobody in particular: no single loss costs 2 points or more.");
    }
    return h(
      "div",
      { class: "dependencies" },
      h("h3", {}, "The deal depends on"),
      h(
        "ol",
        { "data-testid": "deal-dependencies" },
        ...deps.map((d) => {
          const show = h("button", { type: "button", class: "link", "data-action": "show-dependency" }, d.stakeholder.name);
          show.addEventListener("click", () => this.handlers.showPerson(d.stakeholder.id));
          const what = button("What if they left?", "what-if-one", () => void this.runWhatIf([d.stakeholder.id]));
          what.append(h("span", { class: "visually-hidden" }, ` (${d.stakeholder.name})`));
          return h(
            "li",
            { "data-id": d.stakeholder.id, "data-drop": d.drop.toFixed(4) },
            h("div", { class: "dependency-head" }, show, h("span", { class: "drop" }, `−${points(d.drop)}`), what),
            h("p", { class: "dependency-why" }, `Win with the plan ${percent(plan.winProbabilityWithPlan)} → ${percent(d.winProbabilityWithout)} without them. ${d.explanation}`),
          );
        }),
      ),
    );
  }

  /** Asks the API for the plan without these people and says what changes. */
  private async runWhatIf(without: string[]): Promise<void> {
    const box = this.whatIfBox;
    const plan = this.plan;
    if (!box || !plan) return;
    if (without.length === 0) {
      box.replaceChildren(h("p", { class: "form-error" }, "Choose at least one person first."));
      return;
    }
    this.without = [...without];
    box.closest(".what-if")?.querySelectorAll<HTMLInputElement>("input[name=without]").forEach((input) => {
      input.checked = without.includes(input.value);
    });
    const run = ++this.whatIfRun;
    const names = without.map((id) => this.context?.candidates.find((c) => c.id === id)?.name ?? plan.dealDependencies?.find((d) => d.stakeholder.id === id)?.stakeholder.name ?? "someone");
    box.replaceChildren(h("p", { class: "muted", role: "status" }, `Computing the plan without ${names.join(", ")}…`));
    let after: WhatIfPlan;
    try {
      after = await this.handlers.whatIf(without);
    } catch (error) {
      if (run === this.whatIfRun) box.replaceChildren(h("p", { class: "form-error" }, `The what-if could not be computed: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    if (run !== this.whatIfRun || this.plan !== plan) return;
    box.replaceChildren(whatIfSummary(plan, after, names));
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

function button(label: string, action: string, run: (element: HTMLButtonElement) => void): HTMLButtonElement {
  const element = h("button", { type: "button", class: "btn small", "data-action": action }, label);
  element.addEventListener("click", () => run(element));
  return element;
}

/** "1 champion", "3 coaches", "2 conflicted". */
function verdictCount(verdict: string, n: number): string {
  const word = verdictLook(verdict).label.toLowerCase();
  if (n === 1 || verdict === "CONFLICTED" || verdict === "ISOLATED") return word;
  return word.endsWith("h") ? `${word}es` : `${word}s`;
}

/** A difference of two probabilities in percentage points: 0.23 → "23 points". */
function points(value: number): string {
  const n = Math.round(value * 100);
  return `${n} ${n === 1 ? "point" : "points"}`;
}

/** Win probability before → after, and every approver whose coverage gets worse. */
function whatIfSummary(before: CoachingPlan, after: WhatIfPlan, names: string[]): HTMLElement {
  const was = new Map(before.approvers.map((a) => [a.approver.id, a]));
  const worse = after.approvers.filter((a) => {
    const old = was.get(a.approver.id);
    return old !== undefined && STATUS_ORDER.indexOf(a.status) > STATUS_ORDER.indexOf(old.status);
  });
  const status = (value: string): string => STATUS_LOOK[value]?.label.toLowerCase() ?? lower(value);
  const gone = new Set(after.without.map((p) => p.id));
  return h(
    "div",
    { class: "what-if-summary", "data-before": before.winProbabilityWithPlan.toFixed(4), "data-after": after.winProbabilityWithPlan.toFixed(4) },
    h("h3", {}, `Without ${names.join(", ")}`),
    h(
      "p",
      { class: "what-if-win" },
      "Win with the plan: ",
      h("strong", {}, percent(before.winProbabilityWithPlan)),
      " → ",
      h("strong", { class: "after" }, percent(after.winProbabilityWithPlan)),
      h("span", { class: "muted" }, ` (today ${percent(before.winProbability)} → ${percent(after.winProbability)})`),
    ),
    worse.length
      ? h(
          "div",
          {},
          h("h4", {}, "Approvers who lose coverage"),
          h(
            "ul",
            { "data-testid": "lose-coverage" },
            ...worse.map((a) => {
              const old = was.get(a.approver.id) as ApproverAssessment;
              const vacant = gone.has(a.approver.id) ? " (their seat stands vacant)" : "";
              return h(
                "li",
                { "data-approver-id": a.approver.id, "data-status": a.status },
                `${a.approver.name}: ${status(old.status)} → `,
                h("span", { class: `status status-${a.status.toLowerCase()}` }, status(a.status)),
                vacant,
              );
            }),
          ),
        )
      : h("p", { class: "muted", "data-testid": "lose-coverage" }, "No approver loses coverage."),
    after.plan.length
      ? h("p", { class: "muted" }, `The plan would have ${after.plan.length} ${after.plan.length === 1 ? "play" : "plays"} (now ${before.plan.length}).`)
      : h("p", { class: "muted" }, "No play would raise the win probability."),
    ...after.warnings.filter((w) => !before.warnings.includes(w)).map((w) => h("p", { class: "warning", role: "note" }, `⚠ ${w}`)),
  );
}
