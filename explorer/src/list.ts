// The list view: the committee as a table beside the map, for keyboard and screen-reader use
// and for sorting. Every row offers what a card on the map offers (details and editing, showing
// the person on the map, drawing their best play's path, their neighbourhood).

import type { Capabilities } from "./capabilities";
import { h, tip } from "./dom";
import { icon } from "./icons";
import type { AccountModel } from "./model";
import { assessments, byRisk, exclusionText, inPlan, NO_REASON_YET, playHeadline } from "./plan-facts";
import type { DealRisk } from "./risk";
import type { ApproverAssessment, CoachingPlan, GraphNode, SeatFacts } from "./types";
import { crit, day, departureText, percent, seatLine, stanceLook, STATUS_LOOK, verdictLook } from "./words";

export interface ListHandlers {
  onDetails(id: string): void;
  onShowOnMap(id: string): void;
  onShowPath(approverId: string): void;
  onSortChange(sort: { key: string; descending: boolean }): void;
  onScopeChange(scope: "committee" | "shown" | "everyone"): void;
}

interface Column {
  key: string;
  label: string;
  sortable: boolean;
}

interface Row {
  node: GraphNode;
  assessment: ApproverAssessment | undefined;
  facts: SeatFacts | undefined;
  /** The champion test's verdict, riskiest first (conflicted, coach, isolated, champion); 9 for none. */
  verdict: number;
}

const ROLE_ORDER = ["ECONOMIC_BUYER", "APPROVER", "DECISION_MAKER", "TECHNICAL_EVALUATOR", "USER_BUYER", "INFLUENCER", "GATEKEEPER", "PROCUREMENT", "LEGAL"];
const STANCE_ORDER = ["CHAMPION", "SUPPORTER", "NEUTRAL", "UNKNOWN", "SKEPTIC", "BLOCKER"];

export class CommitteeList {
  private sort = { key: "risk", descending: false };
  private scope: "committee" | "shown" | "everyone" = "committee";

  constructor(
    private readonly root: HTMLElement,
    private readonly handlers: ListHandlers,
  ) {}

  setSort(sort: { key: string; descending: boolean }, scope: "committee" | "shown" | "everyone"): void {
    this.sort = sort;
    this.scope = scope;
  }

  render(
    model: AccountModel | null,
    plan: CoachingPlan | null,
    facts: Map<string, SeatFacts>,
    shown: string[],
    opportunityName: string | null,
    caps: Capabilities,
    risk: DealRisk,
  ): void {
    const showCriticality = caps.criticality;
    if (!model) {
      this.root.replaceChildren(h("p", { class: "muted" }, "Nothing loaded yet."));
      return;
    }
    const byApprover = assessments(plan);
    const shownSet = new Set(shown);
    const nodes =
      this.scope === "everyone"
        ? model.people
        : this.scope === "shown"
          ? model.people.filter((p) => shownSet.has(p.id))
          : model.committee();
    const rows: Row[] = nodes.map((node) => {
      const verdict = risk.verdict(node.id);
      return { node, assessment: byApprover.get(node.id), facts: facts.get(node.id), verdict: verdict ? verdictLook(verdict.verdict).order : 9 };
    });
    rows.sort((a, b) => this.compare(a, b));
    if (this.sort.descending) rows.reverse();

    const columns: Column[] = [
      { key: "name", label: "Person", sortable: true },
      { key: "actions", label: "Actions", sortable: false },
      { key: "role", label: "Role", sortable: true },
      { key: "stance", label: "Stance", sortable: true },
      ...(caps.championTest ? [{ key: "verdict", label: "Champion test", sortable: true }] : []),
      { key: "risk", label: "Coverage", sortable: true },
      { key: "approval", label: "Approval today → with plan", sortable: true },
      ...(showCriticality ? [{ key: "criticality", label: "Criticality", sortable: true }] : []),
      { key: "verified", label: "Last verified", sortable: true },
      { key: "play", label: "Best play", sortable: true },
    ];

    const scope = h("select", { id: "list-scope", "aria-label": "Who the list shows" });
    for (const [value, text] of [
      ["committee", `The committee (${model.committee().length})`],
      ["shown", `Everyone on the map (${shown.length})`],
      ["everyone", `Everyone at the account (${model.people.length})`],
    ] as const) {
      const option = h("option", { value }, text);
      option.selected = value === this.scope;
      scope.append(option);
    }
    scope.addEventListener("change", () => {
      this.scope = scope.value as "committee" | "shown" | "everyone";
      this.handlers.onScopeChange(this.scope);
    });

    const head = h(
      "tr",
      {},
      ...columns.map((column) => {
        const sorted = this.sort.key === column.key;
        const th = h("th", { scope: "col", "aria-sort": sorted ? (this.sort.descending ? "descending" : "ascending") : column.sortable ? "none" : null });
        if (!column.sortable) {
          th.textContent = column.label;
          return th;
        }
        const button = h(
          "button",
          { type: "button", class: "sort", "data-sort": column.key },
          column.label,
          h("span", { class: "sort-mark", "aria-hidden": "true" }, sorted ? (this.sort.descending ? " ▼" : " ▲") : ""),
        );
        button.addEventListener("click", () => {
          const descending = this.sort.key === column.key ? !this.sort.descending : false;
          this.sort = { key: column.key, descending };
          this.handlers.onSortChange(this.sort);
        });
        th.append(button);
        return th;
      }),
    );

    const body = h("tbody", {}, ...rows.map((row) => this.row(row, plan, shownSet, caps, risk)));
    const caption = opportunityName ? `Committee of ${opportunityName}` : "People at this account";
    this.root.replaceChildren(
      h("div", { class: "list-tools" }, h("label", { for: "list-scope" }, "Show "), scope, h("span", { class: "muted", role: "status" }, `${rows.length} ${rows.length === 1 ? "person" : "people"}, sorted by ${columns.find((c) => c.key === this.sort.key)?.label.toLowerCase() ?? this.sort.key}${this.sort.descending ? " (descending)" : ""}`)),
      rows.length
        ? h("table", { class: "committee-table", "data-testid": "committee-table" }, h("caption", {}, caption), h("thead", {}, head), body)
        : h("p", { class: "muted" }, this.scope === "committee" ? "Nobody is seated on this committee yet: open a person's details to add them." : "Nobody to list."),
    );
  }

  private row(row: Row, plan: CoachingPlan | null, shown: Set<string>, caps: Capabilities, risk: DealRisk): HTMLElement {
    const { node, assessment, facts } = row;
    const departure = risk.departure(node.id);
    const verdict = risk.verdict(node.id);
    const stale = risk.staleAbout(node.id);
    const look = stanceLook(node);
    const best = assessment?.plays[0];
    const buttons: HTMLElement[] = [];
    // visible words first, the person after them for screen readers ("Details for Dana …")
    const add = (label: string, context: string, action: string, run: () => void): void => {
      const button = h("button", { type: "button", class: "btn small", "data-action": action }, label, h("span", { class: "visually-hidden" }, ` ${context}`));
      button.addEventListener("click", run);
      buttons.push(button);
    };
    add("Details", `for ${node.label}`, "details", () => this.handlers.onDetails(node.id));
    add(shown.has(node.id) ? "On map" : "Add to map", `: ${node.label}`, "show", () => this.handlers.onShowOnMap(node.id));
    if (best) add("Best path", `to ${node.label}, on the map`, "path", () => this.handlers.onShowPath(node.id));

    let playCell: HTMLElement;
    if (!assessment) playCell = h("td", { class: "muted" }, node.isApprover ? "—" : "not an approver");
    else if (!best) playCell = h("td", {}, assessment.status === "SECURED" ? "Secured: no play needed" : "No champion reaches them");
    else {
      const planned = plan ? inPlan(best, plan) : false;
      playCell = h(
        "td",
        { class: "play-cell" },
        h("div", {}, playHeadline(best)),
        planned
          ? h("div", { class: "in-plan" }, "✓ in the plan")
          : h("div", { class: "not-in-plan" }, h("strong", {}, "✗ not in the plan: "), h("span", { class: "reason" }, exclusionText(best) ?? NO_REASON_YET)),
      );
    }
    const status = assessment ? STATUS_LOOK[assessment.status]?.label ?? assessment.status : null;
    const verdictLookup = verdict ? verdictLook(verdict.verdict) : null;
    return h(
      "tr",
      { "data-id": node.id, class: [node.isApprover ? "approver-row" : "", departure?.left ? "departed-row" : ""].join(" ").trim() },
      h(
        "th",
        { scope: "row" },
        h("span", { class: "person-name" }, departure?.left ? h("s", {}, node.label) : node.label),
        departure ? h("span", { class: "departure", "data-testid": "departure" }, icon("departed"), ` ${departureText(departure)}`) : null,
        h("span", { class: "person-title muted" }, node.title ?? ""),
      ),
      h("td", { class: "row-actions" }, ...buttons),
      h("td", { class: "role-cell" }, node.isApprover ? icon("approver", "icon approver-mark") : null, seatLine(node), node.veto ? ", veto" : "", node.isApprover ? h("span", { class: "visually-hidden" }, " (approver)") : null),
      h("td", { class: "stance-cell", style: `--stance:${look.colour}` }, icon(look.icon), look.label),
      ...(caps.championTest
        ? [
            h(
              "td",
              { class: "verdict-cell" },
              verdict && verdictLookup
                ? tip([icon(verdictLookup.icon), verdictLookup.label], verdict.explanation, `verdict verdict-${verdict.verdict.toLowerCase()}`)
                : h("span", { class: "muted" }, "—"),
            ),
          ]
        : []),
      h("td", {}, assessment && status ? h("span", { class: `status status-${assessment.status.toLowerCase()}` }, status) : h("span", { class: "muted" }, "—")),
      h(
        "td",
        { class: "numbers" },
        assessment
          ? h("span", {}, `${percent(assessment.approvalProbability)} → `, h("strong", {}, percent(assessment.approvalProbabilityWithPlan)))
          : h("span", { class: "muted" }, "—"),
      ),
      ...(caps.criticality ? [this.criticalityCell(assessment)] : []),
      h(
        "td",
        { class: "verified-cell" },
        verified(facts),
        stale.length ? tip([icon("stale"), "stale"], stale.map((fact) => fact.warning).join(" "), "stale-mark") : null,
      ),
      playCell,
    );
  }

  /** Criticality today → with the plan (why, on hover or focus), and a single thread when there is one. */
  private criticalityCell(assessment: ApproverAssessment | undefined): HTMLElement {
    if (assessment?.criticality == null) return h("td", {}, "—");
    const figures = `${crit(assessment.criticality)} → ${crit(assessment.criticalityWithPlan ?? assessment.criticality)}`;
    const keyPeople = (assessment.keyPeople ?? []).map((p) => p.name).join(", ");
    return h(
      "td",
      { class: "crit-cell" },
      assessment.criticalityExplanation ? tip([figures], assessment.criticalityExplanation, "crit-figures") : figures,
      assessment.singleThreaded
        ? tip(
            [icon("thread"), "Single thread", keyPeople ? h("span", { class: "key-names" }, `: ${keyPeople}`) : null].filter((x): x is HTMLElement | SVGSVGElement | string => x !== null),
            assessment.singleThreadExplanation ?? `Reaching ${assessment.approver.name} hangs on ${keyPeople}.`,
            "thread-mark",
          )
        : null,
    );
  }

  private compare(a: Row, b: Row): number {
    const name = a.node.label.localeCompare(b.node.label);
    switch (this.sort.key) {
      case "name":
        return name;
      case "role":
        return rank(ROLE_ORDER, a.node.role) - rank(ROLE_ORDER, b.node.role) || name;
      case "stance":
        return rank(STANCE_ORDER, a.node.role ? a.node.stance : null) - rank(STANCE_ORDER, b.node.role ? b.node.stance : null) || name;
      case "approval":
        return (a.assessment?.approvalProbabilityWithPlan ?? 2) - (b.assessment?.approvalProbabilityWithPlan ?? 2) || name;
      case "criticality":
        return (b.assessment?.criticality ?? -1) - (a.assessment?.criticality ?? -1) || name;
      case "play":
        return (b.assessment?.plays[0]?.value ?? -1) - (a.assessment?.plays[0]?.value ?? -1) || name;
      case "verdict":
        return a.verdict - b.verdict || name;
      case "verified":
        return (verifiedAt(a.facts) ?? "").localeCompare(verifiedAt(b.facts) ?? "") || name;
      default: {
        if (a.assessment && b.assessment) return byRisk(a.assessment, b.assessment);
        if (a.assessment || b.assessment) return a.assessment ? -1 : 1;
        return rank(ROLE_ORDER, a.node.role) - rank(ROLE_ORDER, b.node.role) || name;
      }
    }
  }
}

function rank(order: string[], value: string | null): number {
  const at = value ? order.indexOf(value) : -1;
  return at < 0 ? order.length : at;
}

function verifiedAt(facts: SeatFacts | undefined): string | null {
  return facts?.verifiedAt ?? facts?.lastVerifiedAt ?? null;
}

function verified(facts: SeatFacts | undefined): string {
  const at = verifiedAt(facts);
  return at ? day(at) : "never";
}
