// Forms whose every field can show the server's own error next to it.
//
// The browser's validation is off (novalidate): the server is the one authority on what is
// valid, and its `problems[].path` (e.g. `input.strength`) names the field to mark.

import type { MutationResult } from "./api";
import { h, pretty } from "./dom";
import type { Problem } from "./types";

export interface FieldSpec {
  name: string;
  label: string;
  type: "text" | "email" | "number" | "select" | "checkbox" | "topics" | "textarea";
  value?: unknown;
  options?: readonly string[];
  /** A select with an empty choice, shown with this text. */
  emptyOption?: string;
  step?: string;
  help?: string;
  placeholder?: string;
}

export interface FormAction {
  label: string;
  kind?: "primary" | "danger" | "plain";
  name: string;
  /** Asks for a second click with this label before running (deletes). */
  confirm?: string;
  run(values: Record<string, unknown>): Promise<MutationResult | null>;
}

export interface Form {
  element: HTMLFormElement;
  values(): Record<string, unknown>;
  showResult(result: MutationResult): void;
  clearErrors(): void;
}

/** The field a problem path points at: `input.strength` → `strength`, `topics[0]` → `topics`. */
export function fieldOfPath(path: string, fieldNames: string[]): string | null {
  const segments = path
    .split(/[.[\]]/)
    .filter((s) => s.length > 0 && !/^\d+$/.test(s));
  for (const segment of segments) {
    if (fieldNames.includes(segment)) return segment;
  }
  return null;
}

export function buildForm(
  title: string,
  fields: FieldSpec[],
  actions: FormAction[],
  options: { readOnly: boolean; readOnlyNote?: string; testId: string; onDone: () => void },
): Form {
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  const topicBoxes = new Map<string, HTMLInputElement[]>();
  const errors = new Map<string, HTMLElement>();
  const formError = h("div", { class: "form-error", role: "alert", "data-error-for": "_form" });
  formError.hidden = true;

  const rows = fields.map((field) => {
    const id = `${options.testId}-${field.name}`;
    const error = h("div", { class: "field-error", role: "alert", "data-error-for": field.name });
    error.hidden = true;
    errors.set(field.name, error);
    let control: HTMLElement;
    if (field.type === "select") {
      const select = h("select", { id, name: field.name });
      if (field.emptyOption !== undefined) select.append(h("option", { value: "" }, field.emptyOption));
      for (const option of field.options ?? []) select.append(h("option", { value: option }, pretty(option)));
      select.value = field.value == null ? "" : String(field.value);
      inputs.set(field.name, select);
      control = select;
    } else if (field.type === "checkbox") {
      const box = h("input", { id, name: field.name, type: "checkbox" });
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
        { class: "topics", id },
        ...boxes.map((box) => h("label", { class: "topic" }, box, pretty(box.value))),
      );
    } else if (field.type === "textarea") {
      const area = h("textarea", { id, name: field.name, rows: 2, placeholder: field.placeholder });
      area.value = field.value == null ? "" : String(field.value);
      inputs.set(field.name, area);
      control = area;
    } else {
      const input = h("input", {
        id,
        name: field.name,
        type: field.type,
        step: field.step,
        placeholder: field.placeholder,
        inputmode: field.type === "number" ? "decimal" : undefined,
      });
      input.value = field.value == null ? "" : String(field.value);
      inputs.set(field.name, input);
      control = input;
    }
    return h(
      "div",
      { class: `field field-${field.type}`, "data-field": field.name },
      h("label", { for: id }, field.label),
      control,
      field.help ? h("div", { class: "help" }, field.help) : null,
      error,
    );
  });

  const buttons = actions.map((action) =>
    h("button", {
      type: action.kind === "primary" ? "submit" : "button",
      class: `btn ${action.kind ?? "plain"}`,
      name: action.name,
      "data-action": action.name,
    }, action.label),
  );

  const element = h(
    "form",
    { class: "edit-form", novalidate: true, "data-form": options.testId },
    h("h3", {}, title),
    options.readOnly && options.readOnlyNote ? h("p", { class: "readonly-note" }, options.readOnlyNote) : null,
    ...rows,
    formError,
    h("div", { class: "actions" }, ...buttons),
  );

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
      else if (field.type === "number") {
        const raw = input.value.trim();
        result[field.name] = raw === "" ? null : Number(raw.replace(",", "."));
      } else {
        const raw = input.value.trim();
        result[field.name] = raw === "" ? null : raw;
      }
    }
    return result;
  };

  const clearErrors = (): void => {
    for (const error of errors.values()) {
      error.hidden = true;
      error.textContent = "";
    }
    element.querySelectorAll(".field.invalid").forEach((f) => f.classList.remove("invalid"));
    formError.hidden = true;
    formError.textContent = "";
  };

  const showProblems = (message: string, code: string, problems: Problem[]): void => {
    const names = fields.map((f) => f.name);
    const unplaced: string[] = [];
    for (const problem of problems) {
      const name = fieldOfPath(problem.path, names);
      const error = name ? errors.get(name) : undefined;
      if (name && error) {
        error.textContent = error.textContent ? `${error.textContent} ${problem.message}` : problem.message;
        error.hidden = false;
        element.querySelector(`[data-field="${name}"]`)?.classList.add("invalid");
      } else {
        unplaced.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
      }
    }
    if (problems.length === 0 || unplaced.length > 0) {
      const prefix = code === "FORBIDDEN" ? "Not allowed: " : "";
      formError.textContent = `${prefix}${unplaced.length ? unplaced.join("; ") : message}`;
      formError.dataset.code = code;
      formError.hidden = false;
    }
  };

  const showResult = (result: MutationResult): void => {
    clearErrors();
    if (!result.ok) showProblems(result.message, result.code, result.problems);
  };

  const run = async (action: FormAction): Promise<void> => {
    clearErrors();
    buttons.forEach((b) => (b.disabled = true));
    element.classList.add("busy");
    try {
      const result = await action.run(values());
      if (result) {
        showResult(result);
        if (result.ok) options.onDone();
      }
    } catch (error) {
      showProblems(error instanceof Error ? error.message : String(error), "ERROR", []);
    } finally {
      element.classList.remove("busy");
      buttons.forEach((b) => (b.disabled = options.readOnly));
    }
  };

  element.addEventListener("submit", (event) => {
    event.preventDefault();
    const primary = actions.find((a) => a.kind === "primary");
    if (primary && !options.readOnly) void run(primary);
  });
  actions.forEach((action, i) => {
    if (action.kind !== "primary") {
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
    }
  });

  if (options.readOnly) {
    element.querySelectorAll("input, select, textarea, button").forEach((control) => {
      (control as HTMLInputElement).disabled = true;
    });
    element.classList.add("readonly");
  }

  return { element, values, showResult, clearErrors };
}
