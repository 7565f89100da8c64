// The explorer page: pick an account and an opportunity; see the committee (map or list) and
// the plan; find anyone; edit the map. Everything it shows comes from /graphql with the key in
// session storage; how the seller arranged the view is kept per account in localStorage.

import "./style.css";

import type { Core } from "cytoscape";

import {
  ApiError,
  detectRole,
  forgetKey,
  listAccounts,
  loadCommittee,
  loadEdgeDetails,
  loadGraph,
  loadOpportunities,
  loadPlan,
  loadWhatIf,
  markCommitteeVerified,
  storedKey,
  storeKey,
  Unauthenticated,
  type AccountWithOpportunities,
  type EdgeDetails,
} from "./api";
import { capabilityNames, detectCapabilities, NO_CAPABILITIES, type Capabilities } from "./capabilities";
import { byId, h } from "./dom";
import { Editor } from "./editor";
import { download, fileName, planCsv, renderBriefs } from "./exports";
import { CELL_H, CELL_W } from "./grid";
import { icon } from "./icons";
import { CommitteeList } from "./list";
import { CommitteeMap, READABLE_ZOOM } from "./map";
import { MapView } from "./mapview";
import { AccountModel } from "./model";
import { PlanPanel, type Candidate } from "./plan";
import { DealRisk } from "./risk";
import { PersonSearch } from "./search";
import { emptyAccountView, emptyOpportunityView, loadAccountView, saveAccountView, type AccountView } from "./storage";
import type { AccountGraph, AccountSummary, CoachingPlan, GraphEdge, OpportunitySummary, SeatFacts, ViewerRole } from "./types";
import { ALTERNATIVE_LOOK, NOT_SEATED, roleLabel, STANCE_LOOK, VERDICT_LOOK } from "./words";

interface State {
  role: ViewerRole;
  capabilities: Capabilities;
  accounts: AccountSummary[];
  accountId: string | null;
  opportunities: OpportunitySummary[];
  opportunityId: string | null;
  model: AccountModel | null;
  plan: CoachingPlan | null;
  facts: Map<string, SeatFacts>;
  /** What the plan says about each person and line, indexed. */
  risk: DealRisk;
  view: AccountView;
  drawKind: "INFLUENCES" | "CONFLICTS_WITH" | null;
  drawSource: string | null;
  loads: number;
  firstRender: number | null;
}

const state: State = {
  role: "unknown",
  capabilities: NO_CAPABILITIES,
  accounts: [],
  accountId: null,
  opportunities: [],
  opportunityId: null,
  model: null,
  plan: null,
  facts: new Map(),
  risk: new DealRisk(null),
  view: emptyAccountView(),
  drawKind: null,
  drawSource: null,
  loads: 0,
  firstRender: null,
};

const graphElement = byId("graph");
const mapViewElement = byId("map-view");
const listViewElement = byId("list-view");
const accountSelect = byId<HTMLSelectElement>("account-select");
const opportunitySelect = byId<HTMLSelectElement>("opportunity-select");
const modeHint = byId("mode-hint");
const graphMessage = byId("graph-message");

const readOnly = (): boolean => state.role === "viewer";
const opportunityKey = (): string => state.opportunityId ?? "";

// --- the pieces -------------------------------------------------------------------------------

const committeeMap = new CommitteeMap(graphElement, byId("cards"), byId("tooltip"), {
  onSelect: (id) => void personChosen(id),
  onEdge: (edge) => {
    cancelDraw();
    committeeMap.selectEdge(edge.id);
    showTab("edit");
    void editor.showEdge(edge);
  },
  onExpand: (id) => expand(id),
  onToggleBranch: (id) => toggleBranch(id),
  onMoved: () => mapView.persist(),
  onViewport: () => schedulePersist(),
  details: (edge) => edgeDetails(edge),
  onOverview: (overview, people) => {
    const note = byId("overview-note");
    note.hidden = !overview;
    note.textContent = overview
      ? `Overview of ${people} people: reporting lines only. Choose a person to see their influences and conflicts, or use the list.`
      : "";
  },
});

/** Topics and evidence, read per person when an edge of theirs is looked at; reset by a reload. */
let detailsCache = new Map<string, Promise<Map<string, EdgeDetails>>>();
async function edgeDetails(edge: GraphEdge): Promise<EdgeDetails | null> {
  let pending = detailsCache.get(edge.source);
  if (!pending) {
    pending = loadEdgeDetails(edge.source).catch(() => new Map<string, EdgeDetails>());
    detailsCache.set(edge.source, pending);
  }
  return (await pending).get(edge.id) ?? null;
}

const mapView = new MapView(
  committeeMap,
  () => ({ width: Math.max(graphElement.clientWidth - 48, 200), height: Math.max(graphElement.clientHeight - 48, 200) }),
  (saved) => {
    if (!state.accountId) return;
    state.view.opportunities[opportunityKey()] = saved;
    saveAccountView(state.accountId, state.view);
  },
);

let persistTimer = 0;
function schedulePersist(): void {
  window.clearTimeout(persistTimer);
  persistTimer = window.setTimeout(() => mapView.persist(), 400);
}

const planPanel = new PlanPanel(byId("plan-list"), byId("plan-detail"), byId("plan-what-if"), byId("win"), {
  highlight: (path, variant, approverId) => {
    showPath(path, variant);
    if (approverId) committeeMap.showKeyPeople(approverId);
  },
  clearHighlight: () => committeeMap.clearHighlight(),
  exportCsv: () => exportCsv(),
  printBriefs: () => printBriefs(),
  showPerson: (id) => jumpTo(id),
  whatIf: (without) => {
    if (!state.opportunityId) return Promise.reject(new Error("no opportunity is open"));
    return loadWhatIf(state.opportunityId, without);
  },
  markCommitteeVerified: () => verifyCommittee(),
});

const committeeList = new CommitteeList(listViewElement, {
  onDetails: (id) => {
    showTab("edit");
    void editor.showStakeholder(id);
    committeeMap.select(id);
    byId("edit-panel").focus();
  },
  onShowOnMap: (id) => jumpTo(id),
  onShowPath: (approverId) => {
    const best = state.plan?.approvers.find((a) => a.approver.id === approverId)?.plays[0];
    if (!best) return;
    showTab("plan");
    planPanel.choose(approverId, false);
    showPath(best.path.map((p) => p.id), "play");
    committeeMap.showKeyPeople(approverId);
  },
  onSortChange: (sort) => {
    state.view.listSort = sort;
    saveView();
    renderList();
    listViewElement.querySelector<HTMLElement>(`button.sort[data-sort="${sort.key}"]`)?.focus();
  },
  onScopeChange: (scope) => {
    state.view.listScope = scope;
    saveView();
    renderList();
    byId("list-scope").focus();
  },
});

const editor = new Editor(byId("edit-panel"), {
  readOnly,
  capabilities: () => state.capabilities,
  risk: () => state.risk,
  model: () => state.model,
  accountId: () => state.accountId,
  opportunityId: () => state.opportunityId,
  refresh: () => refresh(false),
  showOnMap: (id) => revealOnMap(id),
  expand: (id) => expand(id),
  toggleBranch: (id) => toggleBranch(id),
  isShown: (id) => mapView.isShown(id),
  hiddenNeighbours: (id) => mapView.hiddenNeighbours(id).length,
  branch: (id) => mapView.branchState(id),
  opened: (what) => {
    if (!what) committeeMap.select(null);
    else if ("person" in what) committeeMap.select(what.person);
    else committeeMap.selectEdge(what.edge.id);
  },
});

const search = new PersonSearch(byId<HTMLInputElement>("person-search"), byId("search-results"), (id) => jumpTo(id));

declare global {
  interface Window {
    /** For tests, the benchmark and the curious: the Cytoscape instance and what was loaded. */
    __explorer: {
      cy: Core;
      state: State;
      smallestTextPx(): number;
      readableZoom: number;
      cell: { w: number; h: number };
      shown(): string[];
      reveal(id: string): void;
    };
  }
}
window.__explorer = {
  cy: committeeMap.cy,
  state,
  smallestTextPx: () => committeeMap.smallestTextPx(),
  readableZoom: READABLE_ZOOM,
  cell: { w: CELL_W, h: CELL_H },
  shown: () => mapView.shownIds(),
  reveal: (id) => committeeMap.reveal([id], false),
};

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
  if (!state.model) graphNotice(`${what}: ${message}${code}`);
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
  // everything the first view needs that does not depend on each other, at once; the map and
  // plan of the account in the link are asked for as soon as its id is known
  const capabilities = detectCapabilities();
  const linked: Promise<AccountWithOpportunities | null> = wanted.account
    ? findAccount(wanted.account)
    : Promise.resolve(null);
  const early = linked.then((found) => {
    if (!found) return null;
    const opportunity = pickOpportunity(found.opportunities, wanted.opportunity);
    return { accountId: found.id, opportunityId: opportunity?.id ?? null, data: fetchView(found.id, opportunity?.id ?? null, capabilities) };
  });
  early.catch(() => undefined);
  let accounts: AccountSummary[] = [];
  let account: AccountWithOpportunities | null = null;
  try {
    const [role, caps, listed, found] = await Promise.all([
      detectRole(),
      capabilities,
      listAccounts().catch((error: unknown) => {
        if (error instanceof Unauthenticated) throw error;
        failed(error, "Could not list the accounts");
        return [] as AccountSummary[];
      }),
      linked,
    ]);
    applyRole(role);
    state.capabilities = caps;
    document.body.dataset.capabilities = capabilityNames(caps).join(" ");
    accounts = listed;
    account = found;
  } catch (error) {
    failed(error, "Could not start");
    return;
  }
  if (account && !accounts.some((a) => a.id === account?.id)) accounts.unshift(account);
  state.accounts = accounts;
  accountSelect.replaceChildren(...accounts.map((a) => h("option", { value: a.id }, a.industry ? `${a.name} (${a.industry})` : a.name)));
  accountSelect.disabled = accounts.length === 0;
  if (accounts.length === 0) {
    graphNotice("This tenant has no accounts yet: import one with graph-api import or importDocument.");
    planPanel.clear("No account.");
    return;
  }
  if (wanted.account && !account) toast(`No account “${wanted.account}” for this key; showing ${accounts[0].name}.`, "error");
  await openAccount(account?.id ?? accounts[0].id, wanted.opportunity, account, await early.catch(() => null));
}

function pickOpportunity(opportunities: OpportunitySummary[], wanted: string | null): OpportunitySummary | null {
  return opportunities.find((o) => matches(o, wanted)) ?? opportunities[0] ?? null;
}

type ViewData = [AccountGraph, CoachingPlan | null, SeatFacts[]];

interface Prefetched {
  accountId: string;
  opportunityId: string | null;
  data: Promise<ViewData>;
}

/** The map, the plan and the committee's freshness of one account and opportunity, at once. */
function fetchView(accountId: string, opportunityId: string | null, capabilities: Promise<Capabilities>): Promise<ViewData> {
  return Promise.all([
    loadGraph(accountId, opportunityId),
    opportunityId
      ? capabilities.then((caps) => loadPlan(opportunityId, caps)).catch((error: unknown) => {
          if (error instanceof Unauthenticated) throw error;
          planPanel.showError(error instanceof Error ? error.message : String(error));
          return null;
        })
      : Promise.resolve(null),
    opportunityId
      ? capabilities.then((caps) => loadCommittee(opportunityId, caps)).catch(() => [] as SeatFacts[])
      : Promise.resolve([] as SeatFacts[]),
  ]);
}

/** An account named in the link, by externalId or id, with its opportunities. */
async function findAccount(wanted: string): Promise<AccountWithOpportunities | null> {
  for (const lookup of [{ externalId: wanted }, { id: wanted }]) {
    try {
      const found = await loadOpportunities(lookup);
      if (found) return found;
    } catch (error) {
      if (error instanceof Unauthenticated) throw error;
    }
  }
  return null;
}

async function openAccount(
  accountId: string,
  wantedOpportunity: string | null,
  preloaded: AccountWithOpportunities | null = null,
  prefetched: Prefetched | null = null,
): Promise<void> {
  state.accountId = accountId;
  state.view = loadAccountView(accountId);
  accountSelect.value = accountId;
  cancelDraw();
  applyKinds();
  setMode(state.view.mode);
  try {
    const account = preloaded?.id === accountId ? preloaded : await loadOpportunities({ id: accountId });
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
  const opportunity = pickOpportunity(state.opportunities, wantedOpportunity);
  state.opportunityId = opportunity?.id ?? null;
  opportunitySelect.value = state.opportunityId ?? "";
  state.model = null;
  editor.showNothing();
  const usable = prefetched && prefetched.accountId === accountId && prefetched.opportunityId === state.opportunityId;
  await refresh(true, usable ? prefetched.data : null);
}

accountSelect.addEventListener("change", () => void openAccount(accountSelect.value, null));
opportunitySelect.addEventListener("change", () => {
  state.opportunityId = opportunitySelect.value || null;
  editor.showNothing();
  void refresh(true);
});

function saveView(): void {
  if (state.accountId) saveAccountView(state.accountId, state.view);
}

/** Reloads map, plan and list from the server (after navigation, or an edit when `opening` is false). */
async function refresh(opening: boolean, pending: Promise<ViewData> | null = null): Promise<void> {
  const accountId = state.accountId;
  if (!accountId) return;
  const opportunityId = state.opportunityId;
  writeHash();
  graphElement.dataset.state = "loading";
  const caps = state.capabilities;
  try {
    const [graph, plan, facts] = await (pending ?? fetchView(accountId, opportunityId, Promise.resolve(caps)));
    if (state.accountId !== accountId || state.opportunityId !== opportunityId) return;
    const model = new AccountModel(graph);
    detailsCache = new Map();
    state.model = model;
    state.plan = plan;
    state.facts = new Map(facts.map((f) => [f.stakeholderId, f]));
    state.risk = new DealRisk(plan, state.facts);
    committeeMap.setRisk(state.risk);
    const saved = state.view.opportunities[opportunityKey()] ?? emptyOpportunityView();
    if (opening) mapView.open(model, plan, opportunityId !== null, saved, true);
    else mapView.refresh(model, plan);
    byId("show-everyone").setAttribute("aria-pressed", String(mapView.everyone));
    graphNotice(model.people.length === 0 ? "Nobody mapped on this account yet: add a stakeholder." : null);
    if (plan && opportunityId) planPanel.render(plan, { opportunityId, caps, risk: state.risk, readOnly: readOnly(), candidates: whatIfCandidates(model, plan) });
    else if (!opportunityId) planPanel.clear("Choose an opportunity to see its coaching plan.");
    search.setModel(model);
    renderList();
    state.loads += 1;
    graphElement.dataset.loads = String(state.loads);
    graphElement.dataset.state = "ready";
    if (state.firstRender === null) {
      state.firstRender = performance.now();
      graphElement.dataset.firstRenderMs = String(Math.round(state.firstRender));
      performance.mark("explorer:first-render");
    }
  } catch (error) {
    graphElement.dataset.state = "error";
    failed(error, "Could not load the map");
  }
}

function renderList(): void {
  const opportunity = state.opportunities.find((o) => o.id === state.opportunityId) ?? null;
  committeeList.setSort(state.view.listSort, state.view.listScope);
  committeeList.render(state.model, state.plan, state.facts, mapView.shownIds(), opportunity?.name ?? null, state.capabilities, state.risk);
}

/** Who a seller may ask "what if they left?" about: the committee and everyone on the plan's paths, by name. */
function whatIfCandidates(model: AccountModel, plan: CoachingPlan): Candidate[] {
  const ids = new Set(model.focus(plan, true));
  for (const gone of plan.without ?? []) ids.delete(gone.id);
  return [...ids]
    .map((id) => model.node(id))
    .filter((node): node is NonNullable<typeof node> => node !== undefined && node.kind === "Stakeholder")
    .map((node) => ({ id: node.id, name: node.label, detail: node.role ? roleLabel(node.role) : "on the plan's paths" }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** markCommitteeVerified: every seat of this committee, its people and their lines, true today. */
async function verifyCommittee(): Promise<void> {
  const opportunityId = state.opportunityId;
  if (!opportunityId || readOnly()) return;
  try {
    const result = await markCommitteeVerified(opportunityId);
    if (!result.ok) {
      toast(`Could not mark the committee verified: ${result.message}`, "error");
      return;
    }
    const counted = result.data as { stakeholders?: number; seats?: number; influences?: number; conflicts?: number };
    await refresh(false);
    toast(
      `Marked verified today: ${counted.seats ?? 0} seats, ${counted.stakeholders ?? 0} people, ${counted.influences ?? 0} influences and ${counted.conflicts ?? 0} conflicts.`,
    );
    if (editor.current().kind === "person") {
      const opened = editor.current();
      if (opened.kind === "person") void editor.showStakeholder(opened.id);
    }
  } catch (error) {
    failed(error, "Could not mark the committee verified");
  }
}

// --- map actions ------------------------------------------------------------------------------

/** Shows a path on the map, adding anyone on it who is not shown yet. */
function showPath(ids: string[], variant: "play" | "threat"): void {
  setMode("map");
  const anchor = ids.find((id) => mapView.isShown(id)) ?? null;
  const added = mapView.add(ids, anchor);
  if (added.length) renderList();
  committeeMap.highlightPath(ids, variant);
}

/** The person on the map (added if need be), chosen, in view and focused. */
function revealOnMap(id: string): void {
  setMode("map");
  if (!mapView.isShown(id)) {
    const anchor = state.model?.neighbours(id).find((n) => mapView.isShown(n)) ?? null;
    mapView.add([id], anchor);
    renderList();
  }
  committeeMap.clearHighlight();
  committeeMap.select(id);
  committeeMap.reveal([id]);
  committeeMap.focusCard(id);
}

/** Search and the list's "show on map": the person on the map and in the details panel. */
function jumpTo(id: string): void {
  revealOnMap(id);
  showTab("edit");
  void editor.showStakeholder(id);
}

function expand(id: string): void {
  const added = mapView.expand(id);
  renderList();
  committeeMap.select(id);
  committeeMap.reveal([id, ...added]);
  toast(added.length ? `Showing ${added.length} more ${added.length === 1 ? "person" : "people"} connected to ${state.model?.name(id)}.` : "Everyone connected is already shown.");
  if (editor.current().kind === "person") void editor.showStakeholder(id);
}

function toggleBranch(id: string): void {
  mapView.toggleBranch(id);
  renderList();
  committeeMap.select(id);
  const branch = mapView.branchState(id);
  toast(branch?.folded ? `Folded away the ${branch.count} people below ${state.model?.name(id)}.` : `Showing the people below ${state.model?.name(id)} again.`);
  if (editor.current().kind === "person") void editor.showStakeholder(id);
}

async function personChosen(id: string | null): Promise<void> {
  if (id === null) {
    if (!state.drawKind) committeeMap.select(null);
    return;
  }
  const node = state.model?.node(id);
  if (!node) return;
  if (state.drawKind) {
    if (node.kind !== "Stakeholder") {
      setHint("Influence and conflict connect two people: click a person.");
      return;
    }
    if (!state.drawSource) {
      state.drawSource = id;
      committeeMap.select(id);
      setHint(`From ${node.label}: now click the person they ${state.drawKind === "INFLUENCES" ? "influence" : "conflict with"} (Esc cancels).`);
      return;
    }
    if (state.drawSource === id) return;
    const kind = state.drawKind;
    const from = state.drawSource;
    cancelDraw();
    showTab("edit");
    editor.showNewEdge(kind, from, id);
    return;
  }
  committeeMap.select(id);
  committeeMap.showKeyPeople(state.risk.keyPeople(id).length ? id : null);
  if (node.kind !== "Stakeholder") return;
  showTab("edit");
  await editor.showStakeholder(id);
}

function setHint(text: string | null): void {
  modeHint.hidden = text === null;
  modeHint.textContent = text ?? "";
}

function startDraw(kind: "INFLUENCES" | "CONFLICTS_WITH"): void {
  if (readOnly()) return;
  setMode("map");
  state.drawKind = kind;
  state.drawSource = null;
  document.body.dataset.drawing = kind;
  setHint(`Drawing ${kind === "INFLUENCES" ? "an influence" : "a conflict"}: click the source person (Esc cancels). Keyboard: open a person's details and use “New link”.`);
}

function cancelDraw(): void {
  state.drawKind = null;
  state.drawSource = null;
  delete document.body.dataset.drawing;
  setHint(null);
}

byId("draw-influence").addEventListener("click", () => startDraw("INFLUENCES"));
byId("draw-conflict").addEventListener("click", () => startDraw("CONFLICTS_WITH"));
byId("add-stakeholder").addEventListener("click", () => {
  cancelDraw();
  showTab("edit");
  editor.showNewStakeholder();
});
byId("fit").addEventListener("click", () => committeeMap.fit());
byId("relayout").addEventListener("click", () => mapView.relayout());
byId("reset-view").addEventListener("click", () => {
  mapView.reset();
  byId("show-everyone").setAttribute("aria-pressed", "false");
  renderList();
});
byId("show-everyone").addEventListener("click", () => {
  const on = !mapView.everyone;
  mapView.setEveryone(on);
  byId("show-everyone").setAttribute("aria-pressed", String(on));
  renderList();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    cancelDraw();
    committeeMap.clearHighlight();
    closeLegend();
  }
  const typing = (event.target as HTMLElement).closest("input, textarea, select");
  if (event.key === "/" && !typing) {
    event.preventDefault();
    byId("person-search").focus();
  }
});

// --- map or list ------------------------------------------------------------------------------

function setMode(mode: "map" | "list"): void {
  const changed = state.view.mode !== mode;
  state.view.mode = mode;
  mapViewElement.hidden = mode !== "map";
  listViewElement.hidden = mode !== "list";
  document.body.dataset.view = mode;
  byId("view-map").setAttribute("aria-pressed", String(mode === "map"));
  byId("view-list").setAttribute("aria-pressed", String(mode === "list"));
  if (mode === "map") committeeMap.cy.resize();
  if (changed) saveView();
}

byId("view-map").addEventListener("click", () => setMode("map"));
byId("view-list").addEventListener("click", () => {
  setMode("list");
  listViewElement.focus();
});
byId("skip-to-list").addEventListener("click", (event) => {
  event.preventDefault();
  setMode("list");
  listViewElement.focus();
});

// --- tabs and legend ------------------------------------------------------------------------

function showTab(name: "plan" | "edit"): void {
  document.querySelectorAll<HTMLElement>("#tabs .tab").forEach((tab) => {
    const active = tab.dataset.tab === name;
    tab.classList.toggle("active", active);
    tab.setAttribute("aria-selected", String(active));
    tab.tabIndex = active ? 0 : -1;
  });
  document.querySelectorAll<HTMLElement>(".tab-panel").forEach((panel) => {
    panel.hidden = panel.dataset.panel !== name;
  });
}
document.querySelectorAll<HTMLElement>("#tabs .tab").forEach((tab) => {
  tab.addEventListener("click", () => showTab(tab.dataset.tab as "plan" | "edit"));
  tab.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const next = tab.dataset.tab === "plan" ? "edit" : "plan";
    showTab(next);
    byId(`tab-${next}`).focus();
  });
});

const KIND_LABELS: Record<string, string> = {
  INFLUENCES: "influences (thicker = stronger)",
  CONFLICTS_WITH: "conflicts with",
  REPORTS_TO: "reports to",
  ADVOCATES_FOR: "advocates for",
};

function closeLegend(): void {
  byId("legend").hidden = true;
  byId("legend-toggle").setAttribute("aria-expanded", "false");
}

byId("legend-toggle").addEventListener("click", () => {
  const legend = byId("legend");
  legend.hidden = !legend.hidden;
  byId("legend-toggle").setAttribute("aria-expanded", String(!legend.hidden));
});

function buildLegend(): void {
  const stance = (look: { label: string; icon: string; colour: string; background: string }, extra = ""): HTMLElement =>
    h("span", { class: `swatch ${extra}`, style: `--stance:${look.colour};--card-bg:${look.background}` }, icon(look.icon), look.label);
  const toggles = Object.entries(KIND_LABELS).map(([kind, label]) => {
    const box = h("input", { type: "checkbox", "data-kind": kind });
    box.checked = !state.view.hiddenKinds.includes(kind);
    box.addEventListener("change", () => {
      state.view.hiddenKinds = box.checked ? state.view.hiddenKinds.filter((k) => k !== kind) : [...state.view.hiddenKinds, kind];
      committeeMap.setKindVisible(kind, box.checked);
      saveView();
    });
    return h("label", { class: `edge-toggle edge-${kind.toLowerCase()}` }, box, h("span", { class: "edge-sample", "aria-hidden": "true" }), label);
  });
  byId("legend").replaceChildren(
    h("h2", {}, "Legend"),
    h("div", { class: "legend-row" }, h("strong", {}, "Stance "), ...Object.values(STANCE_LOOK).map((look) => stance(look)), stance(NOT_SEATED, "unseated")),
    h("div", { class: "legend-row" }, h("strong", {}, "Marks "), h("span", { class: "swatch approver" }, icon("approver", "icon approver-mark"), "approver (thick border)"), h("span", { class: "muted" }, "+N: more people connected · ▾N / ▸N: hide / show the people below")),
    h(
      "div",
      { class: "legend-row" },
      h("strong", {}, "Champion test "),
      ...Object.entries(VERDICT_LOOK).map(([verdict, look]) =>
        h("span", { class: `tag legend-tag tag-verdict verdict-${verdict.toLowerCase()}` }, icon(look.icon), look.label, h("span", { class: "meaning" }, `: ${look.meaning}`)),
      ),
    ),
    h(
      "div",
      { class: "legend-row" },
      h("strong", {}, "Deal risk "),
      h("span", { class: "tag legend-tag tag-crit" }, "crit 0.40"),
      h("span", { class: "muted" }, "how much the approver's decision swings the deal"),
      h("span", { class: "tag legend-tag tag-thread" }, icon("thread"), "1 thread"),
      h("span", { class: "muted" }, "reaching them hangs on one person"),
      h("span", { class: "tag legend-tag tag-stale" }, icon("stale"), "stale"),
      h("span", { class: "muted" }, "not confirmed for too long"),
      h("span", { class: "legend-tag departed-sample" }, h("s", {}, "Name"), h("span", { class: "muted" }, " left: Left on …")),
    ),
    h("div", { class: "legend-row" }, h("strong", {}, "Alternatives "), ...Object.values(ALTERNATIVE_LOOK).map((look) => h("span", { class: "swatch alt", style: `--stance:${look.colour}` }, icon(look.icon), look.label))),
    h("fieldset", { class: "legend-row" }, h("legend", {}, "Lines shown"), ...toggles),
  );
}

function applyKinds(): void {
  for (const kind of Object.keys(KIND_LABELS)) committeeMap.setKindVisible(kind, !state.view.hiddenKinds.includes(kind));
  buildLegend();
}

// --- exports --------------------------------------------------------------------------------

function context(): { account: string; opportunity: string } {
  return {
    account: state.accounts.find((a) => a.id === state.accountId)?.name ?? "account",
    opportunity: state.opportunities.find((o) => o.id === state.opportunityId)?.name ?? "opportunity",
  };
}

function exportCsv(): void {
  if (!state.plan) return;
  const where = context();
  download(`${fileName(where.account, where.opportunity, "plan")}.csv`, planCsv(state.plan, where), "text/csv;charset=utf-8");
  toast("The plan was saved as a CSV file.");
}

function printBriefs(): void {
  if (!state.plan) return;
  const model = state.model;
  const strength = (from: string, to: string): number | null =>
    model?.edgesOf(from).find((e) => e.kind === "INFLUENCES" && e.source === from && e.target === to)?.weight ?? null;
  const count = renderBriefs(byId("print-briefs"), state.plan, context(), strength);
  if (count === 0) {
    toast("The plan has no plays, so there is no brief to print.");
    return;
  }
  byId("print-preview").hidden = false;
  document.body.classList.add("printing");
  byId("print-now").focus();
}

byId("print-now").addEventListener("click", () => window.print());
byId("print-close").addEventListener("click", () => {
  byId("print-preview").hidden = true;
  document.body.classList.remove("printing");
});

// --- go ---------------------------------------------------------------------------------------

window.addEventListener("resize", () => committeeMap.cy.resize());

async function boot(): Promise<void> {
  planPanel.clear("Loading…");
  editor.showNothing();
  buildLegend();
  await start();
}

void boot();
