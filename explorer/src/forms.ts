// Forms that tell the truth: they check what the browser can (a required name, an e-mail's
// shape, a number written with a decimal comma) before sending, show every problem the server
// names next to its field in plain words, confirm a save, and show a conflict when someone
// else changed the record first.

import type { MutationResult } from "./api";
import { h } from "./dom";
import { fieldOfPath, plainMessage, plainProblem, problemsOfMessage } from "./problems";
import type { Problem } from "./types";
import { sentence } from "./words";

export interface FieldSpec {
  name: string;
  label: string;
  type: "text" | "email" | "number" | "date" | "select" | "checkbox" | "topics" | "textarea";
  value?: unknown;
  options?: readonly string[];
  /** Labels for options (else the option in sentence case). */
  optionLabels?: Record<string, string>;
  /** A select with an empty choice, shown with this text. */
  emptyOption?: string;
  required?: boolean;
  help?: string;
  placeholder?: string;
}

export interface FormAction {
  label: string;
  kind?: "primary" | "danger" | "plain";
  name: string;
  /** Asks for a second click with this label before running (deletes). */
  confirm?: string;
  /** Skip the browser-side checks (deletes need no valid fields). */
  unchecked?: boolean;
  run(values: Record<string, unknown>): Promise<MutationResult | null>;
}

export interface Form {
  element: HTMLFormElement;
  values(): Record<string, unknown>;
  showResult(result: MutationResult): void;
  /** A confirmation (or neutral note) in the form's status line. */
  say(message: string, kind?: "saved" | "info"): void;
  /** Someone else changed the record: say so and offer the ways out. */
  showConflict(message: string, choices: { label: string; name: string; run(): void }[]): void;
}

export interface FormOptions {
  readOnly: boolean;
  readOnlyNote?: string;
  testId: string;
  nameOf(id: string): string | null;
}

/** `0,8` → 0.8; `1 000.5` → 1000.5; null for empty; NaN for anything that is not a number. */
export function parseDecimal(raw: string): number | null {
  const text = raw.trim().replace(/[\s\u00a0']/g, "");
  if (text === "") return null;
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text)) return Number.NaN;
  return Number(text.replace(",", "."));
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function buildForm(title: string, fields: FieldSpec[], actions: FormAction[], options: FormOptions): Form {
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  const topicBoxes = new Map<string, HTMLInputElement[]>();
  const errors = new Map<string, HTMLElement>();
  const formError = h("div", { class: "form-error", role: "alert", "data-error-for": "_form" });
  formError.hidden = true;
  const status = h("div", { class: "form-status", role: "status", "aria-live": "polite" });

  const rows = fields.map((field) => {
    const id = `${options.testId}-${field.name}`;
    const errorId = `${id}-error`;
    const error = h("div", { class: "field-error", id: errorId, "data-error-for": field.name });
    error.hidden = true;
    errors.set(field.name, error);
    let control: HTMLElement;
    if (field.type === "select") {
      const select = h("select", { id, name: field.name, "aria-describedby": errorId });
      if (field.emptyOption !== undefined) select.append(h("option", { value: "" }, field.emptyOption));
      for (const option of field.options ?? []) select.append(h("option", { value: option }, field.optionLabels?.[option] ?? sentence(option)));
      select.value = field.value == null ? "" : String(field.value);
      inputs.set(field.name, select);
      control = select;
    } else if (field.type === "checkbox") {
      const box = h("input", { id, name: field.name, type: "checkbox", "aria-describedby": errorId });
      box.checked = Boolean(field.value);
      inputs.set(field.name, box);
      control = box;
    } else if (field.type === "topics") {
      const chosen = new Set((field.value as string[] | null | undefined) ?? []);
      const boxes = (field.options ?? []).map((topic) => {
        const box = h("input", { type: "checkbox", name: field.name, value: topic });
        box.checked = chosen.has(topic);
        return box;
      });
      topicBoxes.set(field.name, boxes);
      control = h(
        "fieldset",
        { class: "topics", id, "aria-describedby": errorId },
        h("legend", {}, field.label),
        ...boxes.map((box) => h("label", { class: "topic" }, box, sentence(box.value))),
      );
    } else if (field.type === "textarea") {
      const area = h("textarea", { id, name: field.name, rows: 2, placeholder: field.placeholder, "aria-describedby": errorId });
      area.value = field.value == null ? "" : String(field.value);
      inputs.set(field.name, area);
      control = area;
    } else {
      const input = h("input", {
        id,
        name: field.name,
        // numbers are text so a decimal comma (0,8) survives; they are parsed here
        type: field.type === "number" ? "text" : field.type,
        placeholder: field.placeholder,
        inputmode: field.type === "number" ? "decimal" : undefined,
        autocomplete: "off",
        "aria-describedby": errorId,
        "aria-required": field.required ? "true" : undefined,
      });
      input.value = field.value == null ? "" : String(field.value);
      inputs.set(field.name, input);
      control = input;
    }
    return h(
      "div",
      { class: `field field-${field.type}`, "data-field": field.name },
      field.type === "topics" ? null : h("label", { for: id }, field.label, field.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
      control,
      field.help ? h("div", { class: "help" }, field.help) : null,
      error,
    );
  });

  const buttons = actions.map((action) =>
    h(
      "button",
      { type: action.kind === "primary" ? "submit" : "button", class: `btn ${action.kind ?? "plain"}`, name: action.name, "data-action": action.name },
      action.label,
    ),
  );

  const element = h(
    "form",
    { class: "edit-form", novalidate: true, "data-form": options.testId, "aria-label": title },
    h("h3", {}, title),
    options.readOnly && options.readOnlyNote ? h("p", { class: "readonly-note" }, options.readOnlyNote) : null,
    ...rows,
    formError,
    status,
    h("div", { class: "actions" }, ...buttons),
  );

  const labelOf = (name: string): string => fields.find((f) => f.name === name)?.label ?? sentence(name);

  const values = (): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (const field of fields) {
      if (field.type === "topics") {
        result[field.name] = (topicBoxes.get(field.name) ?? []).filter((b) => b.checked).map((b) => b.value);
        continue;
      }
      const input = inputs.get(field.name);
      if (!input) continue;
      if (field.type === "checkbox") result[field.name] = (input as HTMLInputElement).checked;
      else if (field.type === "number") result[field.name] = parseDecimal(input.value);
      else {
        const raw = input.value.trim();
        result[field.name] = raw === "" ? null : raw;
      }
    }
    return result;
  };

  const clearErrors = (): void => {
    for (const [name, error] of errors) {
      error.hidden = true;
      error.textContent = "";
      inputs.get(name)?.removeAttribute("aria-invalid");
    }
    element.querySelectorAll(".field.invalid").forEach((f) => f.classList.remove("invalid"));
    formError.hidden = true;
    formError.replaceChildren();
    delete formError.dataset.code;
  };

  const markField = (name: string, text: string): void => {
    const error = errors.get(name);
    if (!error) return;
    error.textContent = error.textContent ? `${error.textContent} ${text}` : text;
    error.hidden = false;
    inputs.get(name)?.setAttribute("aria-invalid", "true");
    element.querySelector(`[data-field="${name}"]`)?.classList.add("invalid");
  };

  const say = (message: string, kind: "saved" | "info" = "saved"): void => {
    status.textContent = message;
    status.dataset.status = kind;
  };

  const showProblems = (message: string, code: string, problems: Problem[]): void => {
    const names = fields.map((f) => f.name);
    const placed = problems.length ? problems : problemsOfMessage(message);
    const unplaced: string[] = [];
    for (const problem of placed) {
      const name = fieldOfPath(problem.path, names);
      if (name) markField(name, plainProblem(labelOf(name), problem.message, options.nameOf));
      else unplaced.push(plainMessage(code, problem.message, options.nameOf));
    }
    if (placed.length === 0 || unplaced.length > 0) {
      formError.textContent = unplaced.length ? unplaced.join(" ") : plainMessage(code, message, options.nameOf);
      formError.dataset.code = code;
      formError.hidden = false;
    }
    const first = element.querySelector<HTMLElement>(".field.invalid input, .field.invalid select, .field.invalid textarea");
    first?.focus();
  };

  /** The browser's own checks, before anything is sent. */
  const check = (given: Record<string, unknown>): boolean => {
    let ok = true;
    for (const field of fields) {
      const value = given[field.name];
      if (field.required && (value === null || value === undefined)) {
        markField(field.name, `${field.label} is required.`);
        ok = false;
      } else if (field.type === "number" && typeof value === "number" && Number.isNaN(value)) {
        markField(field.name, `${field.label} must be a number, for example 0.8 (a comma works too: 0,8).`);
        ok = false;
      } else if (field.type === "email" && typeof value === "string" && !EMAIL.test(value)) {
        markField(field.name, `${field.label} is not a valid e-mail address; use one like name@example.com.`);
        ok = false;
      }
    }
    if (!ok) element.querySelector<HTMLElement>(".field.invalid input, .field.invalid select, .field.invalid textarea")?.focus();
    return ok;
  };

  const showResult = (result: MutationResult): void => {
    clearErrors();
    if (!result.ok) showProblems(result.message, result.code, result.problems);
  };

  const showConflict = (message: string, choices: { label: string; name: string; run(): void }[]): void => {
    clearErrors();
    formError.dataset.code = "EDIT_CONFLICT";
    formError.replaceChildren(
      h("p", {}, message),
      h(
        "div",
        { class: "conflict-choices" },
        ...choices.map((choice) => {
          const button = h("button", { type: "button", class: "btn small", "data-action": choice.name }, choice.label);
          button.addEventListener("click", choice.run);
          return button;
        }),
      ),
    );
    formError.hidden = false;
  };

  const run = async (action: FormAction): Promise<void> => {
    clearErrors();
    say("", "info");
    const given = values();
    if (!action.unchecked && !check(given)) return;
    buttons.forEach((b) => (b.disabled = true));
    element.classList.add("busy");
    element.setAttribute("aria-busy", "true");
    try {
      const result = await action.run(given);
      if (result && !result.ok) showResult(result);
    } catch (error) {
      showProblems(error instanceof Error ? error.message : String(error), "NETWORK", []);
    } finally {
      element.classList.remove("busy");
      element.removeAttribute("aria-busy");
      if (element.isConnected) buttons.forEach((b) => (b.disabled = options.readOnly));
    }
  };

  element.addEventListener("submit", (event) => {
    event.preventDefault();
    const primary = actions.find((a) => a.kind === "primary");
    if (primary && !options.readOnly) void run(primary);
  });
  actions.forEach((action, i) => {
    if (action.kind === "primary") return;
    const button = buttons[i];
    button.addEventListener("click", () => {
      if (options.readOnly) return;
      if (action.confirm && button.dataset.armed !== "1") {
        button.dataset.armed = "1";
        button.textContent = action.confirm;
        return;
      }
      delete button.dataset.armed;
      button.textContent = action.label;
      void run(action);
    });
  });

  if (options.readOnly) {
    element.querySelectorAll("input, select, textarea, button").forEach((control) => {
      (control as HTMLInputElement).disabled = true;
    });
    element.classList.add("readonly");
  }

  return { element, values, showResult, say, showConflict };
}
