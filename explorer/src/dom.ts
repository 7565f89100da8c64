// Small DOM helpers. Text from the server only ever goes into text nodes, never into HTML.

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = String(value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
}

let tips = 0;

/**
 * `content` that explains itself on hover and on keyboard focus: the explanation shows beside
 * it and is its accessible description, so a screen reader reads it too.
 */
export function tip(content: (Node | string)[], explanation: string, className = ""): HTMLElement {
  tips += 1;
  const id = `tip-${tips}`;
  return h(
    "span",
    { class: `tip-wrap ${className}`.trim() },
    h("span", { class: "tip", tabindex: 0, "aria-describedby": id }, ...content),
    h("span", { class: "tip-text", role: "tooltip", id }, explanation),
  );
}
