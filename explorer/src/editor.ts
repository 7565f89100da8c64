// The details panel: one person (or edge) with every action the map offers for them, and the
// forms a seller edits. Every change is a GraphQL mutation; after it the map and the plan are
// reloaded from the server, and the form is rebuilt from the record as stored now, with a
// confirmation. Updates carry the `updatedAt` the form was loaded with (when the server takes
// it), so a change someone else made in between is shown as a conflict, never overwritten.

import { edgeKey, loadEdge, loadStakeholder, markVerified, mutate, type EdgeRecord, type MutationResult, type StakeholderDetail, type VerifyTarget } from "./api";
import { EXPECTED_UPDATED_AT, type Capabilities } from "./capabilities";
import { h } from "./dom";
import { buildForm, type FieldSpec, type Form } from "./forms";
import { icon } from "./icons";
import type { AccountModel } from "./model";
import { withoutIds } from "./problems";
import type { DealRisk } from "./risk";
import { ROLES, SENIORITIES, STANCES, TOPICS, type GraphEdge, type StaleFact } from "./types";
import { crit, day, departureText, roleLabel, sentence, STANCE_LOOK, verdictLook } from "./words";

/** Argument types of each mutation the explorer calls (schema/schema.graphql). */
const MUTATIONS = {
  createStakeholder: { input: "CreateStakeholderInput!" },
  updateStakeholder: { id: "ID!", input: "UpdateStakeholderInput!" },
  deleteStakeholder: { id: "ID!" },
  createSeat: { input: "CreateSeatInput!" },
  updateSeat: { input: "UpdateSeatInput!" },
  deleteSeat: { stakeholderId: "ID!", opportunityId: "ID!" },
  createInfluence: { input: "CreateInfluenceInput!" },
  updateInfluence: { input: "UpdateInfluenceInput!" },
  deleteInfluence: { fromId: "ID!", toId: "ID!" },
  createConflict: { input: "CreateConflictInput!" },
  updateConflict: { input: "UpdateConflictInput!" },
  deleteConflict: { fromId: "ID!", toId: "ID!" },
} as const;

type MutationName = keyof typeof MUTATIONS;

function call(name: MutationName, variables: Record<string, unknown>): Promise<MutationResult> {
  // a delete names `expectedUpdatedAt` only when it sends one (older servers do not know it)
  const types: Record<string, string> = { ...MUTATIONS[name] };
  if (EXPECTED_UPDATED_AT in variables) types[EXPECTED_UPDATED_AT] = "DateTime";
  return mutate(name, types, variables, { returnsNode: name === "createStakeholder" });
}

/** The server's answer to a stale `expectedUpdatedAt` (a ConflictError that is not a duplicate). */
function changedSince(result: MutationResult): boolean {
  return !result.ok && result.typename === "ConflictError" && /changed since you read it/i.test(result.message);
}

/** Only what the seller changed, so an update never clears a field by accident. */
function changed(values: Record<string, unknown>, original: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(original[key] ?? null)) out[key] = value;
  }
  return out;
}

function withoutNulls(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
}

const NOTHING_CHANGED = "Nothing to save: no field was changed.";

function time(): string {
  return new Date().toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export interface EditorContext {
  readOnly(): boolean;
  capabilities(): Capabilities;
  model(): AccountModel | null;
  accountId(): string | null;
  opportunityId(): string | null;
  /** What the plan says about people and lines (the champion test, criticality, staleness …). */
  risk(): DealRisk;
  /** Reload map and plan from the server after a change. */
  refresh(): Promise<void>;
  /** Map actions for a person, so the panel offers what a card offers (the map only). */
  showOnMap(id: string): void;
  expand(id: string): void;
  toggleBranch(id: string): void;
  isShown(id: string): boolean;
  hiddenNeighbours(id: string): number;
  branch(id: string): { count: number; folded: boolean } | null;
  /** After an edit or a close: which person or edge is open (for the map's selection). */
  opened(what: { person: string } | { edge: GraphEdge } | null): void;
}

const VIEWER_NOTE =
  "Read-only key (viewer): you can explore the map and the plan; adding, editing and deleting need an editor or admin key.";

type Opened = { kind: "person"; id: string } | { kind: "edge"; edge: GraphEdge } | { kind: "none" };

export class Editor {
  private opened: Opened = { kind: "none" };
  /** Bumped by every panel change: a slower load never paints over a newer panel. */
  private generation = 0;

  constructor(
    private readonly panel: HTMLElement,
    private readonly ctx: EditorContext,
  ) {}

  private nameOf = (id: string): string | null => this.ctx.model()?.node(id)?.label ?? null;

  private options(testId: string) {
    return { readOnly: this.ctx.readOnly(), readOnlyNote: VIEWER_NOTE, testId, nameOf: this.nameOf };
  }

  /** What is open now (a person's id, or an edge), to reopen after navigation. */
  current(): Opened {
    return this.opened;
  }

  showNothing(message?: string, kind: "info" | "done" = "info"): void {
    this.generation += 1;
    this.opened = { kind: "none" };
    this.ctx.opened(null);
    this.panel.replaceChildren(
      h(
        "div",
        { class: "edit-hint" },
        message ? h("p", { class: kind === "done" ? "done-note" : "", role: "status", "data-testid": "panel-note" }, message) : null,
        h("p", {}, "Choose a person on the map or in the list to see their details and edit them."),
        h(
          "ul",
          {},
          h("li", {}, "“Add stakeholder” adds a person to this account."),
          h("li", {}, "“Draw influence” / “Draw conflict”: click the source person, then the target (or use a person's details)."),
          h("li", {}, "Hover an edge for its strength, topics and evidence; click it to edit."),
        ),
        this.ctx.readOnly() ? h("p", { class: "readonly-note" }, VIEWER_NOTE) : null,
      ),
    );
  }

  // --- people -----------------------------------------------------------------------------

  showNewStakeholder(): void {
    this.generation += 1;
    this.opened = { kind: "none" };
    const form = buildForm(
      "New stakeholder",
      stakeholderFields(null),
      [
        {
          label: "Create stakeholder",
          kind: "primary",
          name: "create",
          run: async (values) => {
            const result = await call("createStakeholder", { input: { accountId: this.ctx.accountId(), ...withoutNulls(values) } });
            if (!result.ok || typeof result.data.id !== "string") return result;
            const id = result.data.id;
            await this.ctx.refresh();
            this.ctx.showOnMap(id);
            await this.showStakeholder(id, `Created ${String(values.name)} at ${time()}.`);
            return null;
          },
        },
      ],
      this.options("new-stakeholder"),
    );
    this.panel.replaceChildren(form.element);
    form.element.querySelector<HTMLInputElement>("input[name=name]")?.focus();
  }

  /** A person's details, map actions and forms, loaded fresh from the server. */
  async showStakeholder(id: string, confirmation?: string, seatConfirmation?: string, freshNote?: string): Promise<void> {
    const generation = ++this.generation;
    this.opened = { kind: "person", id };
    this.ctx.opened({ person: id });
    const known = this.nameOf(id) ?? "this person";
    if (!this.panel.querySelector(`[data-person="${CSS.escape(id)}"]`)) {
      this.panel.replaceChildren(h("p", { class: "loading", role: "status" }, `Loading ${known}…`));
    }
    let person: StakeholderDetail | null;
    try {
      person = await loadStakeholder(id, this.ctx.capabilities());
    } catch (error) {
      this.showNothing(`Could not load ${known}: ${error instanceof Error ? withoutIds(error.message, this.nameOf) : String(error)}`);
      return;
    }
    if (generation !== this.generation) return;
    if (!person) {
      this.showNothing(`${known} no longer exists: someone deleted them.`);
      return;
    }
    const opportunityId = this.ctx.opportunityId();
    const parts: HTMLElement[] = [this.personActions(person)];
    const said = this.planSays(person);
    if (said) parts.push(said);
    const fresh = this.freshness(person, opportunityId, freshNote);
    if (fresh) parts.push(fresh);
    parts.push(this.stakeholderForm(person, confirmation));
    if (opportunityId) parts.push(this.seatForm(person, opportunityId, seatConfirmation));
    if (!this.ctx.readOnly()) parts.push(this.newEdgeChooser(person));
    this.panel.replaceChildren(h("div", { class: "person-panel", "data-person": id }, ...parts));
  }

  private personActions(person: StakeholderDetail): HTMLElement {
    const buttons: HTMLElement[] = [];
    const add = (label: string, action: string, run: () => void): void => {
      const button = h("button", { type: "button", class: "btn small", "data-action": action }, label);
      button.addEventListener("click", run);
      buttons.push(button);
    };
    add(this.ctx.isShown(person.id) ? "Find on map" : "Add to map", "show-on-map", () => this.ctx.showOnMap(person.id));
    const hidden = this.ctx.hiddenNeighbours(person.id);
    if (hidden > 0) add(`Show ${hidden} connected ${hidden === 1 ? "person" : "people"}`, "expand", () => this.ctx.expand(person.id));
    const branch = this.ctx.branch(person.id);
    if (branch) add(branch.folded ? `Show the ${branch.count} below them` : `Hide the ${branch.count} below them`, "toggle-branch", () => this.ctx.toggleBranch(person.id));
    return h("div", { class: "person-actions", role: "group", "aria-label": `Map actions for ${person.name}` }, ...buttons);
  }

  /** What the plan says about this person: departure, the champion test, how much they decide. */
  private planSays(person: StakeholderDetail): HTMLElement | null {
    const risk = this.ctx.risk();
    const items: HTMLElement[] = [];
    const departure = person.leftAt ? { leftAt: person.leftAt, left: person.leftAt <= todayOf() } : risk.departure(person.id);
    if (departure) {
      items.push(h("p", { class: "departure", "data-testid": "departure" }, icon("departed"), ` ${departureText(departure)}: the plan treats ${person.name} as gone${departure.left ? "" : " from that day"}.`));
    }
    const verdict = risk.verdict(person.id);
    if (verdict) {
      const look = verdictLook(verdict.verdict);
      items.push(
        h(
          "div",
          { class: "said-verdict", "data-testid": "verdict", "data-verdict": verdict.verdict },
          h("h4", {}, "Champion test: ", h("span", { class: `verdict verdict-${verdict.verdict.toLowerCase()}` }, icon(look.icon), look.label), h("span", { class: "muted" }, ` influence ${verdict.influence.toFixed(2)}`)),
          h("p", {}, verdict.explanation),
        ),
      );
    }
    const a = risk.approver(person.id);
    if (a?.criticality != null) {
      items.push(
        h(
          "div",
          { class: "said-criticality", "data-testid": "criticality" },
          h("h4", {}, `Criticality ${crit(a.criticality)}`, a.criticalityWithPlan != null ? h("span", { class: "muted" }, ` (${crit(a.criticalityWithPlan)} with the plan)`) : null),
          a.criticalityExplanation ? h("p", {}, a.criticalityExplanation) : null,
        ),
      );
    }
    if (a?.singleThreaded) {
      items.push(
        h(
          "div",
          { class: "said-thread", "data-testid": "single-thread-detail" },
          h("h4", {}, icon("thread"), " Single thread: ", (a.keyPeople ?? []).map((p) => p.name).join(", ")),
          a.singleThreadExplanation ? h("p", {}, a.singleThreadExplanation) : null,
        ),
      );
    }
    if (items.length === 0) return null;
    return h("section", { class: "plan-says", "aria-label": `What the plan says about ${person.name}` }, ...items);
  }

  /** When this person's record and seat were last confirmed, with one click to confirm them today. */
  private freshness(person: StakeholderDetail, opportunityId: string | null, note?: string): HTMLElement | null {
    const caps = this.ctx.capabilities();
    if (!caps.freshness) return null;
    const stale = this.ctx.risk().staleAbout(person.id);
    const seat = opportunityId ? person.seats.find((s) => s.opportunity.id === opportunityId) : undefined;
    const rows: HTMLElement[] = [
      this.verifiedRow("Record", person.lastVerifiedAt ?? null, stale.filter((f) => f.kind === "STAKEHOLDER"), "verify-person", { stakeholderIds: [person.id] }, () =>
        this.showStakeholder(person.id, undefined, undefined, `${person.name}'s record marked verified today.`),
      ),
    ];
    if (seat && opportunityId) {
      rows.push(
        this.verifiedRow("Seat", seat.verifiedAt ?? null, stale.filter((f) => f.kind === "SEAT"), "verify-seat", { seats: [{ stakeholderId: person.id, opportunityId }] }, () =>
          this.showStakeholder(person.id, undefined, undefined, "Seat marked verified today."),
        ),
      );
    }
    return h(
      "section",
      { class: "freshness-panel", "data-testid": "freshness-panel", "aria-label": `How fresh ${person.name}'s facts are` },
      h("h4", {}, "Last verified"),
      ...rows,
      note ? h("p", { class: "done-note", role: "status", "data-testid": "fresh-note" }, note) : null,
    );
  }

  /** One fact's last check, its staleness (the plan's warning) and a "verified today" button. */
  private verifiedRow(label: string, at: string | null, stale: StaleFact[], action: string, target: VerifyTarget, reopen: () => Promise<void>): HTMLElement {
    const caps = this.ctx.capabilities();
    const button = h("button", { type: "button", class: "btn small", "data-action": action }, "Verified today", h("span", { class: "visually-hidden" }, ` (${label.toLowerCase()})`));
    button.disabled = this.ctx.readOnly() || !caps.markVerified;
    if (this.ctx.readOnly()) button.title = "A viewer key cannot mark facts verified";
    const error = h("span", { class: "field-error", role: "alert" });
    button.addEventListener("click", () => {
      button.disabled = true;
      void markVerified(target).then(async (result) => {
        if (!result.ok) {
          error.textContent = withoutIds(result.message, this.nameOf);
          button.disabled = false;
          return;
        }
        await this.ctx.refresh();
        await reopen();
      });
    });
    return h(
      "div",
      { class: "verified-row", "data-fact": label.toLowerCase() },
      h("span", { class: "verified-label" }, `${label}: `, h("span", { class: "verified-at" }, day(at))),
      ...stale.map((fact) => h("span", { class: "stale-mark", title: fact.warning }, icon("stale"), "stale", h("span", { class: "visually-hidden" }, `: ${fact.warning}`))),
      button,
      ...stale.map((fact) => h("p", { class: "stale-warning" }, fact.warning)),
      error,
    );
  }

  private stakeholderForm(person: StakeholderDetail, confirmation?: string): HTMLElement {
    const caps = this.ctx.capabilities();
    const original: Record<string, unknown> = {
      externalId: person.externalId,
      name: person.name,
      title: person.title,
      department: person.department,
      seniority: person.seniority,
      email: person.email,
      ...(caps.departures ? { leftAt: person.leftAt ?? null } : {}),
    };
    let form: Form;
    const save = async (values: Record<string, unknown>, overwrite = false): Promise<MutationResult | null> => {
      const input = changed(values, original);
      if (Object.keys(input).length === 0) {
        form.say(NOTHING_CHANGED, "info");
        return null;
      }
      const guarded = caps.concurrency.stakeholder && person.updatedAt !== null;
      if (guarded) input[EXPECTED_UPDATED_AT] = overwrite ? await this.currentStamp(person.id) : person.updatedAt;
      const result = await call("updateStakeholder", { id: person.id, input });
      if (result.ok) {
        await this.ctx.refresh();
        await this.showStakeholder(person.id, `Saved at ${time()}.`);
        return null;
      }
      if (result.code === "NOT_FOUND") return this.gone(person.name);
      if (guarded && result.typename === "ConflictError") {
        const now = await loadStakeholder(person.id, caps).catch(() => null);
        if (now && now.updatedAt !== person.updatedAt) {
          form.showConflict(this.conflictText(person.name, now.updatedBy, now.updatedAt), [
            { label: "Show their version", name: "reload", run: () => void this.showStakeholder(person.id, "Reloaded: this is the record as stored now.") },
            { label: "Save mine anyway", name: "overwrite", run: () => void save(values, true).then((r) => r && form.showResult(r)) },
          ]);
          return null;
        }
      }
      return result;
    };
    const remove = async (overwrite = false): Promise<MutationResult | null> => {
      const guarded = caps.guardedDeletes.stakeholder && person.updatedAt !== null;
      const variables: Record<string, unknown> = { id: person.id };
      if (guarded) variables[EXPECTED_UPDATED_AT] = overwrite ? await this.currentStamp(person.id) : person.updatedAt;
      const result = await call("deleteStakeholder", variables);
      if (changedSince(result)) {
        const now = await loadStakeholder(person.id, caps).catch(() => null);
        form.showConflict(this.conflictText(person.name, now?.updatedBy ?? null, now?.updatedAt ?? null, "deleted"), [
          { label: "Show their version", name: "reload", run: () => void this.showStakeholder(person.id, "Reloaded: this is the record as stored now.") },
          { label: "Delete anyway", name: "overwrite", run: () => void remove(true).then((r) => r && form.showResult(r)) },
        ]);
        return null;
      }
      if (!result.ok && result.code !== "NOT_FOUND") return result;
      await this.ctx.refresh();
      this.showNothing(`Deleted ${person.name}.`, "done");
      return null;
    };
    form = buildForm(
      person.name,
      stakeholderFields(original, caps.departures),
      [
        { label: "Save", kind: "primary", name: "save", run: (values) => save(values) },
        {
          label: "Delete stakeholder",
          confirm: `Click again to delete ${person.name}`,
          kind: "danger",
          name: "delete",
          unchecked: true,
          run: () => remove(),
        },
      ],
      this.options("stakeholder"),
    );
    if (confirmation) form.say(confirmation);
    if (person.updatedAt) {
      form.element.querySelector("h3")?.after(
        h("p", { class: "muted record-stamp" }, `Last changed ${new Date(person.updatedAt).toLocaleString()}${actor(person.updatedBy)}`),
      );
    }
    return form.element;
  }

  private async currentStamp(id: string): Promise<string | null> {
    return (await loadStakeholder(id, this.ctx.capabilities()))?.updatedAt ?? null;
  }

  private conflictText(what: string, by: string | null, at: string | null, action: "saved" | "deleted" = "saved"): string {
    const who = by && !KEY_ACTOR.test(by) ? by : "Someone else";
    const when = at ? ` at ${new Date(at).toLocaleTimeString()}` : "";
    return action === "saved"
      ? `${who} changed ${what}${when}, after you opened this form. Your changes were not saved, so theirs are not lost.`
      : `${who} changed ${what}${when}, after you opened this form, so it was not deleted. Look at their version first.`;
  }

  private gone(name: string): null {
    void this.ctx.refresh();
    this.showNothing(`${name} no longer exists: someone deleted them.`);
    return null;
  }

  private seatForm(person: StakeholderDetail, opportunityId: string, confirmation?: string): HTMLElement {
    const caps = this.ctx.capabilities();
    const seat = person.seats.find((s) => s.opportunity.id === opportunityId) ?? null;
    const original: Record<string, unknown> = seat
      ? { role: seat.role, stance: seat.stance, veto: seat.veto, voteWeight: seat.voteWeight, stanceEvidence: seat.stanceEvidence }
      : { role: null, stance: "UNKNOWN", veto: false, voteWeight: 1, stanceEvidence: null };
    const stanceLabels = Object.fromEntries(STANCES.map((s) => [s, STANCE_LOOK[s]?.label ?? sentence(s)]));
    const fields: FieldSpec[] = [
      { name: "role", label: "Role", type: "select", options: ROLES, optionLabels: Object.fromEntries(ROLES.map((r) => [r, roleLabel(r)])), emptyOption: "— choose —", value: original.role, required: true },
      { name: "stance", label: "Stance", type: "select", options: STANCES, optionLabels: stanceLabels, value: original.stance },
      { name: "veto", label: "Has a veto", type: "checkbox", value: original.veto },
      { name: "voteWeight", label: "Vote weight", type: "number", value: original.voteWeight, help: "More than 0; 1 is one ordinary vote." },
      { name: "stanceEvidence", label: "Evidence for the stance", type: "textarea", value: original.stanceEvidence, placeholder: "What did they say or do?" },
    ];
    const key = { stakeholderId: person.id, opportunityId };
    let form: Form;
    if (!seat) {
      form = buildForm(
        "Not on this committee",
        fields,
        [
          {
            label: "Add to committee",
            kind: "primary",
            name: "create-seat",
            run: async (values) => {
              const result = await call("createSeat", { input: { ...key, ...withoutNulls(values) } });
              if (!result.ok && result.typename !== "ConflictError") return result;
              await this.ctx.refresh();
              await this.showStakeholder(
                person.id,
                undefined,
                result.ok ? `Added to the committee at ${time()}.` : `${person.name} already had a seat on this committee (added elsewhere); this is it now.`,
              );
              return null;
            },
          },
        ],
        this.options("seat"),
      );
      return form.element;
    }
    const stamp = seat.updatedAt ?? null;
    const save = async (values: Record<string, unknown>, overwrite = false): Promise<MutationResult | null> => {
      const input = changed(values, original);
      if (Object.keys(input).length === 0) {
        form.say(NOTHING_CHANGED, "info");
        return null;
      }
      const guarded = caps.concurrency.seat && stamp !== null;
      if (guarded) {
        const fresh = overwrite ? (await loadStakeholder(person.id, caps))?.seats.find((s) => s.opportunity.id === opportunityId)?.updatedAt : stamp;
        input[EXPECTED_UPDATED_AT] = fresh ?? stamp;
      }
      const result = await call("updateSeat", { input: { ...key, ...input } });
      if (result.ok) {
        await this.ctx.refresh();
        await this.showStakeholder(person.id, undefined, `Seat saved at ${time()}.`);
        return null;
      }
      if (result.code === "NOT_FOUND") {
        await this.ctx.refresh();
        await this.showStakeholder(person.id, undefined, "This seat was removed by someone else in the meantime.");
        return null;
      }
      if (guarded && changedSince(result)) {
        form.showConflict(this.conflictText(`${person.name}'s seat`, null, null), [
          { label: "Show their version", name: "reload", run: () => void this.showStakeholder(person.id, undefined, "Reloaded: this is the seat as stored now.") },
          { label: "Save mine anyway", name: "overwrite", run: () => void save(values, true).then((r) => r && form.showResult(r)) },
        ]);
        return null;
      }
      return result;
    };
    const removeSeat = async (overwrite = false): Promise<MutationResult | null> => {
      const variables: Record<string, unknown> = { ...key };
      if (caps.guardedDeletes.seat && stamp !== null) {
        variables[EXPECTED_UPDATED_AT] = overwrite
          ? ((await loadStakeholder(person.id, caps))?.seats.find((s) => s.opportunity.id === opportunityId)?.updatedAt ?? stamp)
          : stamp;
      }
      const result = await call("deleteSeat", variables);
      if (changedSince(result)) {
        form.showConflict(this.conflictText(`${person.name}'s seat`, null, null, "deleted"), [
          { label: "Show their version", name: "reload", run: () => void this.showStakeholder(person.id, undefined, "Reloaded: this is the seat as stored now.") },
          { label: "Remove anyway", name: "overwrite", run: () => void removeSeat(true).then((r) => r && form.showResult(r)) },
        ]);
        return null;
      }
      if (!result.ok && result.code !== "NOT_FOUND") return result;
      await this.ctx.refresh();
      await this.showStakeholder(person.id, undefined, `Removed from the committee at ${time()}.`);
      return null;
    };
    form = buildForm(
      "Committee seat",
      fields,
      [
        { label: "Save seat", kind: "primary", name: "save-seat", run: (values) => save(values) },
        {
          label: "Remove from committee",
          confirm: "Click again to remove the seat",
          kind: "danger",
          name: "delete-seat",
          unchecked: true,
          run: () => removeSeat(),
        },
      ],
      this.options("seat"),
    );
    if (confirmation) form.say(confirmation);
    return form.element;
  }

  /** Keyboard and list users draw edges here: pick the other person, then fill the form. */
  private newEdgeChooser(person: StakeholderDetail): HTMLElement {
    const model = this.ctx.model();
    const others = (model?.people ?? []).filter((p) => p.id !== person.id).sort((a, b) => a.label.localeCompare(b.label));
    const kind = h("select", { id: "new-edge-kind", name: "kind" }, h("option", { value: "INFLUENCES" }, "influences"), h("option", { value: "CONFLICTS_WITH" }, "conflicts with"));
    const target = h("select", { id: "new-edge-target", name: "target" }, h("option", { value: "" }, "— choose a person —"), ...others.map((p) => h("option", { value: p.id }, p.title ? `${p.label} (${p.title})` : p.label)));
    const go = h("button", { type: "submit", class: "btn", "data-action": "new-edge" }, "Continue");
    const form = h(
      "form",
      { class: "edit-form new-edge", "data-form": "new-edge-chooser", "aria-label": `New influence or conflict from ${person.name}` },
      h("h3", {}, `New link from ${person.name}`),
      h("div", { class: "field" }, h("label", { for: "new-edge-kind" }, `${person.name}…`), kind),
      h("div", { class: "field" }, h("label", { for: "new-edge-target" }, "…whom"), target),
      h("div", { class: "actions" }, go),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!target.value) {
        target.focus();
        return;
      }
      this.showNewEdge(kind.value as "INFLUENCES" | "CONFLICTS_WITH", person.id, target.value);
    });
    return form;
  }

  // --- influences and conflicts ---------------------------------------------------------------

  async showEdge(edge: GraphEdge, confirmation?: string): Promise<void> {
    const generation = ++this.generation;
    this.opened = { kind: "edge", edge };
    this.ctx.opened({ edge });
    const name = (id: string): string => this.nameOf(id) ?? "someone";
    if (edge.kind !== "INFLUENCES" && edge.kind !== "CONFLICTS_WITH") {
      const what =
        edge.kind === "REPORTS_TO"
          ? `${name(edge.source)} reports to ${name(edge.target)}.`
          : `${name(edge.source)} advocates for ${name(edge.target)}${edge.weight == null ? "." : ` (strength ${edge.weight.toFixed(2)}).`}`;
      this.panel.replaceChildren(
        h(
          "div",
          { class: "edit-hint" },
          h("h3", {}, edge.kind === "REPORTS_TO" ? "Reporting line" : "Advocacy"),
          h("p", {}, what),
          edge.evidence ? h("p", {}, `Evidence: ${edge.evidence}`) : null,
          h("p", { class: "help" }, "Reporting lines and advocacy are edited through the API or an import."),
        ),
      );
      return;
    }
    const kind = edge.kind;
    let record: EdgeRecord | null;
    try {
      record = await loadEdge(kind, edge.source, edge.target, this.ctx.capabilities());
    } catch (error) {
      this.showNothing(`Could not load this link: ${error instanceof Error ? withoutIds(error.message, this.nameOf) : String(error)}`);
      return;
    }
    if (generation !== this.generation) return;
    if (!record) {
      this.showNothing(`${name(edge.source)} ${kind === "INFLUENCES" ? "no longer influences" : "no longer conflicts with"} ${name(edge.target)}: someone deleted it.`);
      return;
    }
    this.edgeForm(kind, edge.source, edge.target, record, confirmation);
  }

  /** When this line was last confirmed (stale if the plan says so), with "verified today". */
  private edgeFreshness(
    kind: "INFLUENCES" | "CONFLICTS_WITH",
    fromId: string,
    toId: string,
    record: EdgeRecord,
    reopen: (message: string) => Promise<void>,
  ): HTMLElement | null {
    if (!this.ctx.capabilities().freshness) return null;
    const stale = this.ctx.risk().staleLine(kind, fromId, toId);
    const ends = [{ fromId, toId }];
    const row = this.verifiedRow(
      kind === "INFLUENCES" ? "Influence" : "Conflict",
      record.verifiedAt,
      stale ? [stale] : [],
      "verify-edge",
      kind === "INFLUENCES" ? { influences: ends } : { conflicts: ends },
      () => reopen("Marked verified today."),
    );
    return h("section", { class: "freshness-panel", "data-testid": "freshness-panel", "aria-label": "How fresh this link is" }, h("h4", {}, "Last verified"), row);
  }

  showNewEdge(kind: "INFLUENCES" | "CONFLICTS_WITH", fromId: string, toId: string): void {
    this.generation += 1;
    this.opened = { kind: "none" };
    this.edgeForm(kind, fromId, toId, null);
  }

  private edgeForm(kind: "INFLUENCES" | "CONFLICTS_WITH", fromId: string, toId: string, record: EdgeRecord | null, confirmation?: string): void {
    const caps = this.ctx.capabilities();
    const influence = kind === "INFLUENCES";
    const original: Record<string, unknown> = {
      strength: record?.strength ?? null,
      ...(influence ? { topics: record?.topics ?? [] } : {}),
      evidence: record?.evidence ?? null,
    };
    const fields: FieldSpec[] = [
      {
        name: "strength",
        label: "Strength",
        type: "number",
        value: original.strength ?? (record ? null : 0.5),
        required: true,
        help: "More than 0, at most 1 (0,8 works too): how far the first can move the second.",
      },
    ];
    if (influence) fields.push({ name: "topics", label: "Topics (none = every topic)", type: "topics", options: TOPICS, value: original.topics });
    fields.push({ name: "evidence", label: "Evidence", type: "textarea", value: original.evidence });
    const ends = { fromId, toId };
    const [create, update, remove] = influence
      ? (["createInfluence", "updateInfluence", "deleteInfluence"] as const)
      : (["createConflict", "updateConflict", "deleteConflict"] as const);
    const name = (id: string): string => this.nameOf(id) ?? "someone";
    const title = `${name(fromId)} ${influence ? "influences" : "conflicts with"} ${name(toId)}`;
    const edge: GraphEdge = { id: edgeKey(kind, fromId, toId), source: fromId, target: toId, kind, weight: null, topics: null, evidence: null };
    const reopen = (message: string): Promise<void> => {
      const drawn = this.ctx.model()?.edges.find((e) => e.kind === kind && e.source === fromId && e.target === toId);
      return this.showEdge(drawn ?? edge, message);
    };
    let form: Form;
    if (!record) {
      form = buildForm(
        `New: ${title}`,
        fields,
        [
          {
            label: influence ? "Create influence" : "Create conflict",
            kind: "primary",
            name: "create-edge",
            run: async (values) => {
              const result = await call(create, { input: { ...ends, ...withoutNulls(values) } });
              if (!result.ok && result.typename !== "ConflictError") return result;
              await this.ctx.refresh();
              await reopen(result.ok ? `Created at ${time()}.` : "This link already existed (added elsewhere); this is it now.");
              return null;
            },
          },
        ],
        this.options(influence ? "new-influence" : "new-conflict"),
      );
      this.panel.replaceChildren(form.element);
      form.element.querySelector<HTMLInputElement>("input[name=strength]")?.focus();
      return;
    }
    const guarded = (influence ? caps.concurrency.influence : caps.concurrency.conflict) && record.updatedAt !== null;
    const save = async (values: Record<string, unknown>, overwrite = false): Promise<MutationResult | null> => {
      const input = changed(values, original);
      if (Object.keys(input).length === 0) {
        form.say(NOTHING_CHANGED, "info");
        return null;
      }
      if (guarded) {
        const fresh = overwrite ? (await loadEdge(kind, fromId, toId, caps))?.updatedAt : record.updatedAt;
        input[EXPECTED_UPDATED_AT] = fresh ?? record.updatedAt;
      }
      const result = await call(update, { input: { ...ends, ...input } });
      if (result.ok) {
        await this.ctx.refresh();
        await reopen(`Saved at ${time()}.`);
        return null;
      }
      if (result.code === "NOT_FOUND") {
        await this.ctx.refresh();
        this.showNothing(`${title}: no longer there, someone deleted it.`);
        return null;
      }
      if (guarded && changedSince(result)) {
        form.showConflict(this.conflictText(`this link (${title})`, null, null), [
          { label: "Show their version", name: "reload", run: () => void reopen("Reloaded: this is the link as stored now.") },
          { label: "Save mine anyway", name: "overwrite", run: () => void save(values, true).then((r) => r && form.showResult(r)) },
        ]);
        return null;
      }
      return result;
    };
    const removeEdge = async (overwrite = false): Promise<MutationResult | null> => {
      const variables: Record<string, unknown> = { ...ends };
      if ((influence ? caps.guardedDeletes.influence : caps.guardedDeletes.conflict) && record.updatedAt !== null) {
        variables[EXPECTED_UPDATED_AT] = overwrite ? ((await loadEdge(kind, fromId, toId, caps))?.updatedAt ?? record.updatedAt) : record.updatedAt;
      }
      const result = await call(remove, variables);
      if (changedSince(result)) {
        form.showConflict(this.conflictText(`this link (${title})`, null, null, "deleted"), [
          { label: "Show their version", name: "reload", run: () => void reopen("Reloaded: this is the link as stored now.") },
          { label: "Delete anyway", name: "overwrite", run: () => void removeEdge(true).then((r) => r && form.showResult(r)) },
        ]);
        return null;
      }
      if (!result.ok && result.code !== "NOT_FOUND") return result;
      await this.ctx.refresh();
      this.showNothing(`Deleted: ${title}.`, "done");
      return null;
    };
    form = buildForm(
      title,
      fields,
      [
        { label: "Save", kind: "primary", name: "save-edge", run: (values) => save(values) },
        {
          label: influence ? "Delete influence" : "Delete conflict",
          confirm: "Click again to delete",
          kind: "danger",
          name: "delete-edge",
          unchecked: true,
          run: () => removeEdge(),
        },
      ],
      this.options(influence ? "influence" : "conflict"),
    );
    if (confirmation) form.say(confirmation);
    const fresh = this.edgeFreshness(kind, fromId, toId, record, reopen);
    this.panel.replaceChildren(...(fresh ? [fresh] : []), form.element);
  }
}

/** Today as the seller's calendar says (YYYY-MM-DD). */
function todayOf(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Changes made with an API key are recorded as `key:<id>`: an id says nothing to a seller. */
const KEY_ACTOR = /^key:/;

function actor(updatedBy: string | null): string {
  if (!updatedBy) return "";
  return KEY_ACTOR.test(updatedBy) ? " with an API key" : ` by ${updatedBy}`;
}

function stakeholderFields(original: Record<string, unknown> | null, departures = false): FieldSpec[] {
  const v = (key: string): unknown => original?.[key] ?? null;
  const left: FieldSpec[] = departures
    ? [{ name: "leftAt", label: "Left the account on", type: "date", value: v("leftAt"), help: "Set when they leave: the plan then treats them as gone. Clear it if they are back." }]
    : [];
  return [
    { name: "name", label: "Name", type: "text", value: v("name"), required: true },
    { name: "title", label: "Title", type: "text", value: v("title") },
    { name: "department", label: "Department", type: "text", value: v("department") },
    { name: "seniority", label: "Seniority", type: "select", options: SENIORITIES, optionLabels: { IC: "Individual contributor", VP: "VP", C_LEVEL: "C-level" }, emptyOption: "— unknown —", value: v("seniority") },
    { name: "email", label: "E-mail", type: "email", value: v("email") },
    { name: "externalId", label: "External id (CRM key)", type: "text", value: v("externalId"), placeholder: "optional, e.g. a CRM contact id" },
    ...left,
  ];
}
