// The explorer page: pick an account and an opportunity, see the committee and the plan,
// edit the map. Everything it shows comes from /graphql with the key in session storage.

import "./style.css";

import type { Core } from "cytoscape";

import {
  ApiError,
  detectRole,
  forgetKey,
  listAccounts,
  loadGraph,
  loadOpportunities,
  loadPlan,
  storedKey,
  storeKey,
  Unauthenticated,
} from "./api";
import { byId, h } from "./dom";
import { Editor } from "./editor";
import { ALTERNATIVE_COLOURS, CommitteeGraph, STANCE_COLOURS } from "./graph";
import { PlanPanel } from "./plan";
import type {
  AccountGraph,
  AccountSummary,
  CoachingPlan,
  GraphNode,
  OpportunitySummary,
  ViewerRole,
} from "./types";

interface State {
  role: ViewerRole;
  accounts: AccountSummary[];
  accountId: string | null;
  opportunities: OpportunitySummary[];
  opportunityId: string | null;
  graph: AccountGraph | null;
  plan: CoachingPlan | null;
  drawKind: "INFLUENCES" | "CONFLICTS_WITH" | null;
  drawSource: string | null;
  loads: number;
}

const state: State = {
  role: "unknown",
  accounts: [],
  accountId: null,
  opportunities: [],
  opportunityId: null,
  graph: null,
  plan: null,
  drawKind: null,
  drawSource: null,
  loads: 0,
};

const graphElement = byId("graph");
const accountSelect = byId<HTMLSelectElement>("account-select");
const opportunitySelect = byId<HTMLSelectElement>("opportunity-select");
const modeHint = byId("mode-hint");
const graphMessage = byId("graph-message");

const readOnly = (): boolean => state.role === "viewer";

const committee = new CommitteeGraph(graphElement, byId("tooltip"), {
  onNode: (node) => void nodeTapped(node),
  onEdge: (edge) => {
    cancelDraw();
    committee.select(edge.id);
    showTab("edit");
    editor.showEdge(edge);
  },
  onBackground: () => {
    if (state.drawKind) return;
    committee.select(null);
  },
});

const planPanel = new PlanPanel(byId("plan-list"), byId("plan-detail"), byId("win"), {
  highlight: (path, variant) => committee.highlightPath(path, variant),
  clearHighlight: () => committee.clearHighlight(),
});

const editor = new Editor(byId("edit-panel"), {
  readOnly,
  accountId: () => state.accountId,
  opportunityId: () => state.opportunityId,
  nameOf: (id) => committee.nameOf(id),
  refresh: (select) => refresh(select ?? null),
  openStakeholder: (id) => {
    const node = state.graph?.nodes.find((n) => n.id === id);
    if (node) void nodeTapped(node);
  },
});

declare global {
  interface Window {
    /** For tests and the curious: the Cytoscape instance and what was last loaded. */
    __explorer: {
      cy: Core;
      state: State;
    };
  }
}
window.__explorer = { cy: committee.cy, state };

// --- messages -------------------------------------------------------------------------------

let toastTimer = 0;
function toast(message: string, kind: "info" | "error" = "info"): void {
  const element = byId("toast");
  element.textContent = message;
  element.className = kind;
  element.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (element.hidden = true), kind === "error" ? 8000 : 3000);
}

function graphNotice(message: string | null): void {
  graphMessage.hidden = message === null;
  graphMessage.textContent = message ?? "";
}

function failed(error: unknown, what: string): void {
  if (error instanceof Unauthenticated) {
    askForKey(error.message);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? ` [${error.code}]` : "";
  toast(`${what}: ${message}${code}`, "error");
  if (committee.cy.nodes().length === 0) graphNotice(`${what}: ${message}${code}`);
}

// --- access ---------------------------------------------------------------------------------

function askForKey(reason?: string): void {
  forgetKey();
  const dialog = byId("key-dialog");
  const error = byId("key-error");
  error.hidden = !reason;
  error.textContent = reason ? `The key was refused: ${reason}` : "";
  dialog.hidden = false;
  byId<HTMLInputElement>("key-input").focus();
}

byId<HTMLFormElement>("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>("key-input");
  if (!input.value.trim()) return;
  storeKey(input.value);
  input.value = "";
  byId("key-dialog").hidden = true;
  void start();
});

byId("change-key").addEventListener("click", () => askForKey());

function applyRole(role: ViewerRole): void {
  state.role = role;
  const badge = byId("role-badge");
  badge.textContent = role === "unknown" ? "key accepted" : `${role} key`;
  badge.dataset.role = role;
  document.body.dataset.role = role;
  byId("viewer-note").hidden = role !== "viewer";
  for (const id of ["add-stakeholder", "draw-influence", "draw-conflict"]) {
    const button = byId<HTMLButtonElement>(id);
    button.disabled = role === "viewer";
    button.title = role === "viewer" ? "A viewer key cannot edit" : "";
  }
}

// --- navigation -----------------------------------------------------------------------------

interface Wanted {
  account: string | null;
  opportunity: string | null;
}

/** Reads `#key=…&account=…&opportunity=…`; the key moves to session storage, out of the URL. */
function readHash(): Wanted {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const key = params.get("key");
  if (key) {
    storeKey(key);
    params.delete("key");
    const rest = params.toString();
    history.replaceState(null, "", `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ""}`);
  }
  return { account: params.get("account"), opportunity: params.get("opportunity") };
}

function writeHash(): void {
  const account = state.accounts.find((a) => a.id === state.accountId);
  const opportunity = state.opportunities.find((o) => o.id === state.opportunityId);
  const params = new URLSearchParams();
  if (account) params.set("account", account.externalId ?? account.id);
  if (opportunity) params.set("opportunity", opportunity.externalId ?? opportunity.id);
  history.replaceState(null, "", `${window.location.pathname}${window.location.search}#${params.toString()}`);
}

function matches(item: { id: string; externalId: string | null }, wanted: string | null): boolean {
  return wanted !== null && (item.externalId === wanted || item.id === wanted);
}

async function start(): Promise<void> {
  const wanted = readHash();
  if (!storedKey()) {
    askForKey();
    return;
  }
  try {
    applyRole(await detectRole());
  } catch (error) {
    failed(error, "Could not start");
    return;
  }
  try {
    state.accounts = await listAccounts();
  } catch (error) {
    // The link's account can still be opened directly; say why the list is empty.
    if (error instanceof Unauthenticated || !wanted.account) {
      failed(error, "Could not list the accounts");
      return;
    }
    failed(error, "Could not list the accounts");
    state.accounts = [];
  }
  let account = state.accounts.find((a) => matches(a, wanted.account)) ?? null;
  if (!account && wanted.account) account = await findAccount(wanted.account);
  if (account && !state.accounts.some((a) => a.id === account?.id)) state.accounts.unshift(account);
  accountSelect.replaceChildren(
    ...state.accounts.map((a) =>
      h("option", { value: a.id }, a.industry ? `${a.name} (${a.industry})` : a.name),
    ),
  );
  accountSelect.disabled = state.accounts.length === 0;
  if (state.accounts.length === 0) {
    graphNotice("This tenant has no accounts yet: import one with graph-api import or importDocument.");
    planPanel.clear("No account.");
    return;
  }
  if (wanted.account && !account) {
    toast(`No account “${wanted.account}” for this key; showing ${state.accounts[0].name}.`, "error");
  }
  await openAccount((account ?? state.accounts[0]).id, wanted.opportunity);
}

/** An account named in the link, by externalId or id, when the list did not have it. */
async function findAccount(wanted: string): Promise<AccountSummary | null> {
  for (const lookup of [{ externalId: wanted }, { id: wanted }]) {
    try {
      const found = await loadOpportunities(lookup);
      if (found) return { id: found.id, externalId: found.externalId, name: found.name, industry: null };
    } catch (error) {
      if (error instanceof Unauthenticated) throw error;
    }
  }
  return null;
}

async function openAccount(accountId: string, wantedOpportunity: string | null): Promise<void> {
  state.accountId = accountId;
  accountSelect.value = accountId;
  cancelDraw();
  try {
    const account = await loadOpportunities({ id: accountId });
    state.opportunities = account?.opportunities ?? [];
  } catch (error) {
    failed(error, "Could not load the account");
    return;
  }
  opportunitySelect.replaceChildren(
    ...state.opportunities.map((o) => h("option", { value: o.id }, o.name)),
    h("option", { value: "" }, "— none: the org map only —"),
  );
  opportunitySelect.disabled = false;
  const opportunity =
    state.opportunities.find((o) => matches(o, wantedOpportunity)) ?? state.opportunities[0] ?? null;
  state.opportunityId = opportunity?.id ?? null;
  opportunitySelect.value = state.opportunityId ?? "";
  committee.clear();
  editor.showNothing();
  await refresh(null, true);
}

accountSelect.addEventListener("change", () => void openAccount(accountSelect.value, null));
opportunitySelect.addEventListener("change", () => {
  state.opportunityId = opportunitySelect.value || null;
  editor.showNothing();
  void refresh(null);
});

/** Reloads map and plan from the server (after navigation or an edit). */
async function refresh(selectId: string | null, relayout = false): Promise<void> {
  const accountId = state.accountId;
  if (!accountId) return;
  const opportunityId = state.opportunityId;
  writeHash();
  graphElement.dataset.state = "loading";
  try {
    const [graph, plan] = await Promise.all([
      loadGraph(accountId, opportunityId),
      opportunityId
        ? loadPlan(opportunityId).catch((error: unknown) => {
            if (error instanceof Unauthenticated) throw error;
            planPanel.showError(error instanceof Error ? error.message : String(error));
            return null;
          })
        : Promise.resolve(null),
    ]);
    if (state.accountId !== accountId || state.opportunityId !== opportunityId) return;
    state.graph = graph;
    state.plan = plan;
    if (relayout) committee.clear();
    committee.render(graph);
    applyKindToggles();
    graphNotice(graph.nodes.length === 0 ? "Nobody mapped on this account yet: add a stakeholder." : null);
    if (plan) planPanel.render(plan);
    else if (!opportunityId) planPanel.clear("Choose an opportunity to see its coaching plan.");
    if (selectId) committee.select(selectId);
    state.loads += 1;
    graphElement.dataset.loads = String(state.loads);
    graphElement.dataset.state = "ready";
  } catch (error) {
    graphElement.dataset.state = "error";
    failed(error, "Could not load the map");
  }
}

// --- drawing and selecting ------------------------------------------------------------------

async function nodeTapped(node: GraphNode): Promise<void> {
  if (state.drawKind) {
    if (node.kind !== "Stakeholder") {
      setHint("Influence and conflict connect two people: click a person.");
      return;
    }
    if (!state.drawSource) {
      state.drawSource = node.id;
      committee.markDrawSource(node.id);
      setHint(`From ${node.label}: now click the person they ${state.drawKind === "INFLUENCES" ? "influence" : "conflict with"} (Esc cancels).`);
      return;
    }
    if (state.drawSource === node.id) return;
    const kind = state.drawKind;
    const from = state.drawSource;
    cancelDraw();
    showTab("edit");
    editor.showNewEdge(kind, from, node.id);
    return;
  }
  committee.select(node.id);
  if (node.kind !== "Stakeholder") return;
  showTab("edit");
  await editor.showStakeholder(node);
}

function setHint(text: string | null): void {
  modeHint.hidden = text === null;
  modeHint.textContent = text ?? "";
}

function startDraw(kind: "INFLUENCES" | "CONFLICTS_WITH"): void {
  if (readOnly()) return;
  state.drawKind = kind;
  state.drawSource = null;
  committee.markDrawSource(null);
  document.body.dataset.drawing = kind;
  setHint(`Drawing ${kind === "INFLUENCES" ? "an influence" : "a conflict"}: click the source person (Esc cancels).`);
}

function cancelDraw(): void {
  state.drawKind = null;
  state.drawSource = null;
  delete document.body.dataset.drawing;
  committee.markDrawSource(null);
  setHint(null);
}

byId("draw-influence").addEventListener("click", () => startDraw("INFLUENCES"));
byId("draw-conflict").addEventListener("click", () => startDraw("CONFLICTS_WITH"));
byId("add-stakeholder").addEventListener("click", () => {
  cancelDraw();
  showTab("edit");
  editor.showNewStakeholder();
});
byId("fit").addEventListener("click", () => committee.fit());
byId("relayout").addEventListener("click", () => committee.layout());
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    cancelDraw();
    committee.clearHighlight();
  }
});

// --- tabs and legend ------------------------------------------------------------------------

function showTab(name: "plan" | "edit"): void {
  document.querySelectorAll<HTMLElement>("#tabs .tab").forEach((tab) => {
    tab.classList.toggle("active", tab.dataset.tab === name);
    tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
  });
  document.querySelectorAll<HTMLElement>(".tab-panel").forEach((panel) => {
    panel.hidden = panel.dataset.panel !== name;
  });
}
document.querySelectorAll<HTMLElement>("#tabs .tab").forEach((tab) => {
  tab.addEventListener("click", () => showTab(tab.dataset.tab as "plan" | "edit"));
});

const KIND_LABELS: Record<string, string> = {
  REPORTS_TO: "reports to",
  INFLUENCES: "influences (width = strength)",
  CONFLICTS_WITH: "conflicts with",
  ADVOCATES_FOR: "advocates for",
};
const kindVisible: Record<string, boolean> = {
  REPORTS_TO: true,
  INFLUENCES: true,
  CONFLICTS_WITH: true,
  ADVOCATES_FOR: true,
};

function applyKindToggles(): void {
  for (const [kind, visible] of Object.entries(kindVisible)) committee.setKindVisible(kind, visible);
}

function buildLegend(): void {
  const swatch = (bg: string, fg: string, text: string, extra = ""): HTMLElement =>
    h("span", { class: `swatch ${extra}`, style: `background:${bg};color:${fg}` }, text);
  const toggles = Object.entries(KIND_LABELS).map(([kind, label]) => {
    const box = h("input", { type: "checkbox", "data-kind": kind, checked: true });
    box.addEventListener("change", () => {
      kindVisible[kind] = box.checked;
      applyKindToggles();
    });
    return h("label", { class: `edge-toggle edge-${kind.toLowerCase()}` }, box, h("span", { class: "edge-sample" }), label);
  });
  byId("legend").replaceChildren(
    h("div", { class: "legend-row" }, h("strong", {}, "Stance "), ...Object.entries(STANCE_COLOURS).map(([stance, c]) => swatch(c.bg, c.fg, stance.toLowerCase())), swatch("#fff", "#3b4252", "not seated", "unseated")),
    h("div", { class: "legend-row" }, h("strong", {}, "Marks "), swatch("#fff", "#14213d", "★ approver (double border)", "approver"), h("span", { class: "muted" }, "bigger text = economic buyer / approver / decision maker")),
    h("div", { class: "legend-row" }, h("strong", {}, "Alternatives "), ...Object.entries(ALTERNATIVE_COLOURS).map(([kind, colour]) => swatch(colour, "#fff", kind.replace(/_/g, " ").toLowerCase(), "alt"))),
    h("div", { class: "legend-row" }, h("strong", {}, "Edges "), ...toggles),
  );
}

buildLegend();
planPanel.clear("Loading…");
editor.showNothing();
void start();
