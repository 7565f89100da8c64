// Search anyone at the account by name, title or department and jump to them: an ARIA
// combobox (type, arrow through the matches, Enter to go, Escape to close).

import { h } from "./dom";
import type { AccountModel } from "./model";
import { roleLabel } from "./words";

export class PersonSearch {
  private matches: { id: string }[] = [];
  private active = -1;
  private model: AccountModel | null = null;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly listbox: HTMLElement,
    private readonly onChoose: (id: string) => void,
  ) {
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    listbox.setAttribute("role", "listbox");
    input.addEventListener("input", () => this.update());
    input.addEventListener("keydown", (event) => this.onKey(event));
    input.addEventListener("blur", () => window.setTimeout(() => this.close(), 150));
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = (event.target as HTMLElement).closest<HTMLElement>("[role=option]");
      if (option?.dataset.id) this.choose(option.dataset.id);
    });
  }

  setModel(model: AccountModel | null): void {
    this.model = model;
    this.input.disabled = model === null;
    this.close();
  }

  private update(): void {
    const found = this.model?.search(this.input.value) ?? [];
    this.matches = found;
    this.active = found.length ? 0 : -1;
    if (!this.input.value.trim()) {
      this.close();
      return;
    }
    this.listbox.replaceChildren(
      ...(found.length
        ? found.map((node, i) =>
            h(
              "li",
              { role: "option", id: `search-option-${i}`, "data-id": node.id, "aria-selected": String(i === this.active) },
              h("span", { class: "option-name" }, node.label),
              h("span", { class: "option-detail" }, [node.title, node.role ? roleLabel(node.role) : ""].filter(Boolean).join(" · ")),
            ),
          )
        : [h("li", { class: "no-match", "aria-disabled": "true" }, "Nobody matches")]),
    );
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.markActive();
  }

  private markActive(): void {
    this.listbox.querySelectorAll<HTMLElement>("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === this.active));
      option.classList.toggle("active", i === this.active);
      if (i === this.active) option.scrollIntoView({ block: "nearest" });
    });
    if (this.active >= 0) this.input.setAttribute("aria-activedescendant", `search-option-${this.active}`);
    else this.input.removeAttribute("aria-activedescendant");
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (this.listbox.hidden) this.update();
      if (!this.matches.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.matches.length) % this.matches.length;
      this.markActive();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const match = this.matches[this.active];
      if (match) this.choose(match.id);
    } else if (event.key === "Escape") {
      this.close();
    }
  }

  private choose(id: string): void {
    this.close();
    this.input.value = "";
    this.onChoose(id);
  }

  private close(): void {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }
}
