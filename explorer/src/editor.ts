// The edit panel: one form per thing a seller changes. Every change is a GraphQL mutation;
// the map and the plan are reloaded from the server after it, never patched locally.

import { loadStakeholder, mutate, type MutationResult, type StakeholderDetail } from "./api";
import { h, pretty } from "./dom";
import { buildForm, type FieldSpec } from "./forms";
import { ROLES, SENIORITIES, STANCES, TOPICS, type GraphEdge, type GraphNode } from "./types";

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
  return mutate(name, MUTATIONS[name], variables, { returnsNode: name === "createStakeholder" });
}

/** Only what the seller changed, so an update never clears a field by accident. */
function changed(
  values: Record<string, unknown>,
  original: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(original[key] ?? null)) out[key] = value;
  }
  return out;
}

function withoutNulls(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
}

const NOTHING_CHANGED: MutationResult = {
  ok: false,
  code: "NOTHING_CHANGED",
  message: "Nothing changed.",
  problems: [],
};

export interface EditorContext {
  readOnly(): boolean;
  accountId(): string | null;
  opportunityId(): string | null;
  nameOf(id: string): string;
  /** Reload map and plan from the server after a successful edit. */
  refresh(select?: string | null): Promise<void>;
  /** Open a stakeholder's forms (after creating one, to seat them). */
  openStakeholder(id: string): void;
}

const VIEWER_NOTE =
  "Read-only key (viewer): you can explore the map and the plan; adding, editing and deleting need an editor or admin key.";

export class Editor {
  constructor(
    private readonly panel: HTMLElement,
    private readonly ctx: EditorContext,
  ) {}

  private formOptions(testId: string, select?: string | null) {
    return {
      readOnly: this.ctx.readOnly(),
      readOnlyNote: VIEWER_NOTE,
      testId,
      onDone: () => void this.ctx.refresh(select),
    };
  }

  showNothing(message?: string): void {
    this.panel.replaceChildren(
      h(
        "div",
        { class: "edit-hint" },
        h("p", {}, message ?? "Click a person or an edge to see and edit it."),
        h(
          "ul",
          {},
          h("li", {}, "“Add stakeholder” adds a person to this account."),
          h("li", {}, "“Draw influence” / “Draw conflict”: click the source person, then the target."),
          h("li", {}, "Hover an edge for its strength, topics and evidence."),
        ),
        this.ctx.readOnly() ? h("p", { class: "readonly-note" }, VIEWER_NOTE) : null,
      ),
    );
  }

  showNewStakeholder(): void {
    const fields = stakeholderFields(null);
    const form = buildForm(
      "New stakeholder",
      fields,
      [
        {
          label: "Create stakeholder",
          kind: "primary",
          name: "create",
          run: async (values) => {
            const result = await call("createStakeholder", {
              input: { accountId: this.ctx.accountId(), ...withoutNulls(values) },
            });
            if (result.ok && typeof result.data.id === "string") {
              const id = result.data.id;
              await this.ctx.refresh(id);
              this.ctx.openStakeholder(id);
              return null;
            }
            return result;
          },
        },
      ],
      this.formOptions("new-stakeholder"),
    );
    this.panel.replaceChildren(form.element);
    (form.element.querySelector("input[name=name]") as HTMLInputElement | null)?.focus();
  }

  async showStakeholder(node: GraphNode): Promise<void> {
    this.panel.replaceChildren(h("p", { class: "loading" }, `Loading ${node.label}…`));
    let detail: StakeholderDetail | null;
    try {
      detail = await loadStakeholder(node.id);
    } catch (error) {
      this.showNothing(`Could not load ${node.label}: ${error instanceof Error ? error.message : error}`);
      return;
    }
    if (!detail) {
      this.showNothing(`${node.label} no longer exists.`);
      return;
    }
    const person = detail;
    const original: Record<string, unknown> = {
      externalId: person.externalId,
      name: person.name,
      title: person.title,
      department: person.department,
      seniority: person.seniority,
      email: person.email,
    };
    const stakeholderForm = buildForm(
      person.name,
      stakeholderFields(original),
      [
        {
          label: "Save",
          kind: "primary",
          name: "save",
          run: (values) => {
            const input = changed(values, original);
            if (Object.keys(input).length === 0) return Promise.resolve(NOTHING_CHANGED);
            return call("updateStakeholder", { id: person.id, input });
          },
        },
        {
          label: "Delete stakeholder",
          confirm: `Click again to delete ${person.name}`,
          kind: "danger",
          name: "delete",
          run: () => call("deleteStakeholder", { id: person.id }),
        },
      ],
      this.formOptions("stakeholder", person.id),
    );
    const parts: HTMLElement[] = [stakeholderForm.element];
    const opportunityId = this.ctx.opportunityId();
    if (opportunityId) parts.push(this.seatForm(person, opportunityId));
    this.panel.replaceChildren(...parts);
  }

  private seatForm(person: StakeholderDetail, opportunityId: string): HTMLElement {
    const seat = person.seats.find((s) => s.opportunity.id === opportunityId) ?? null;
    const original: Record<string, unknown> = seat
      ? {
          role: seat.role,
          stance: seat.stance,
          veto: seat.veto,
          voteWeight: seat.voteWeight,
          stanceEvidence: seat.stanceEvidence,
        }
      : { role: null, stance: "UNKNOWN", veto: false, voteWeight: 1, stanceEvidence: null };
    const fields: FieldSpec[] = [
      { name: "role", label: "Role", type: "select", options: ROLES, emptyOption: "— choose —", value: original.role },
      { name: "stance", label: "Stance", type: "select", options: STANCES, value: original.stance },
      { name: "veto", label: "Has a veto", type: "checkbox", value: original.veto },
      { name: "voteWeight", label: "Vote weight", type: "number", step: "any", value: original.voteWeight },
      {
        name: "stanceEvidence",
        label: "Evidence for the stance",
        type: "textarea",
        value: original.stanceEvidence,
        placeholder: "What did they say or do?",
      },
    ];
    const key = { stakeholderId: person.id, opportunityId };
    const form = seat
      ? buildForm(
          "Committee seat",
          fields,
          [
            {
              label: "Save seat",
              kind: "primary",
              name: "save-seat",
              run: (values) => {
                const input = changed(values, original);
                if (Object.keys(input).length === 0) return Promise.resolve(NOTHING_CHANGED);
                return call("updateSeat", { input: { ...key, ...input } });
              },
            },
            {
              label: "Remove from committee",
              confirm: "Click again to remove the seat",
              kind: "danger",
              name: "delete-seat",
              run: () => call("deleteSeat", key),
            },
          ],
          this.formOptions("seat", person.id),
        )
      : buildForm(
          "Not on this committee",
          fields,
          [
            {
              label: "Add to committee",
              kind: "primary",
              name: "create-seat",
              run: (values) => call("createSeat", { input: { ...key, ...withoutNulls(values) } }),
            },
          ],
          this.formOptions("seat", person.id),
        );
    return form.element;
  }

  showEdge(edge: GraphEdge): void {
    if (edge.kind !== "INFLUENCES" && edge.kind !== "CONFLICTS_WITH") {
      const what =
        edge.kind === "REPORTS_TO"
          ? `${this.ctx.nameOf(edge.source)} reports to ${this.ctx.nameOf(edge.target)}.`
          : `${this.ctx.nameOf(edge.source)} advocates for ${this.ctx.nameOf(edge.target)}` +
            (edge.weight == null ? "." : ` (strength ${edge.weight.toFixed(2)}).`);
      this.panel.replaceChildren(
        h(
          "div",
          { class: "edit-hint" },
          h("h3", {}, pretty(edge.kind)),
          h("p", {}, what),
          edge.evidence ? h("p", {}, `Evidence: ${edge.evidence}`) : null,
          h("p", { class: "help" }, "Reporting lines and advocacy are edited through the API or an import."),
        ),
      );
      return;
    }
    this.edgeForm(edge.kind, edge.source, edge.target, edge);
  }

  showNewEdge(kind: "INFLUENCES" | "CONFLICTS_WITH", fromId: string, toId: string): void {
    this.edgeForm(kind, fromId, toId, null);
  }

  private edgeForm(
    kind: "INFLUENCES" | "CONFLICTS_WITH",
    fromId: string,
    toId: string,
    edge: GraphEdge | null,
  ): void {
    const influence = kind === "INFLUENCES";
    const original: Record<string, unknown> = {
      strength: edge?.weight ?? null,
      ...(influence ? { topics: edge?.topics ?? [] } : {}),
      evidence: edge?.evidence ?? null,
    };
    const fields: FieldSpec[] = [
      {
        name: "strength",
        label: "Strength",
        type: "number",
        step: "any",
        value: original.strength ?? (edge ? null : 0.5),
        help: "Greater than 0, at most 1: how far the source can move the target.",
      },
    ];
    if (influence) {
      fields.push({
        name: "topics",
        label: "Topics (none = every topic)",
        type: "topics",
        options: TOPICS,
        value: original.topics,
      });
    }
    fields.push({ name: "evidence", label: "Evidence", type: "textarea", value: original.evidence });
    const ends = { fromId, toId };
    const [create, update, remove] = influence
      ? (["createInfluence", "updateInfluence", "deleteInfluence"] as const)
      : (["createConflict", "updateConflict", "deleteConflict"] as const);
    const noun = influence ? "influences" : "conflicts with";
    const title = `${this.ctx.nameOf(fromId)} ${noun} ${this.ctx.nameOf(toId)}`;
    const form = edge
      ? buildForm(
          title,
          fields,
          [
            {
              label: "Save",
              kind: "primary",
              name: "save-edge",
              run: (values) => {
                const input = changed(values, original);
                if (Object.keys(input).length === 0) return Promise.resolve(NOTHING_CHANGED);
                return call(update, { input: { ...ends, ...input } });
              },
            },
            {
              label: "Delete edge",
              confirm: "Click again to delete the edge",
              kind: "danger",
              name: "delete-edge",
              run: () => call(remove, ends),
            },
          ],
          this.formOptions(influence ? "influence" : "conflict", null),
        )
      : buildForm(
          `New: ${title}`,
          fields,
          [
            {
              label: influence ? "Create influence" : "Create conflict",
              kind: "primary",
              name: "create-edge",
              run: (values) => call(create, { input: { ...ends, ...withoutNulls(values) } }),
            },
          ],
          this.formOptions(influence ? "new-influence" : "new-conflict", null),
        );
    this.panel.replaceChildren(form.element);
  }
}

function stakeholderFields(original: Record<string, unknown> | null): FieldSpec[] {
  const v = (key: string): unknown => original?.[key] ?? null;
  return [
    { name: "name", label: "Name", type: "text", value: v("name") },
    { name: "title", label: "Title", type: "text", value: v("title") },
    { name: "department", label: "Department", type: "text", value: v("department") },
    {
      name: "seniority",
      label: "Seniority",
      type: "select",
      options: SENIORITIES,
      emptyOption: "— unknown —",
      value: v("seniority"),
    },
    { name: "email", label: "Email", type: "email", value: v("email") },
    {
      name: "externalId",
      label: "External id (CRM key)",
      type: "text",
      value: v("externalId"),
      placeholder: "optional, e.g. a CRM contact id",
    },
  ];
}
