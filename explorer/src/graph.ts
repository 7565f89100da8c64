// The committee drawn with Cytoscape.js: who reports to whom as a hierarchy, influence and
// conflict on top of it, and the alternatives each person carries a flag for.

import cytoscape from "cytoscape";
import type { Core, EdgeSingular, ElementDefinition, NodeSingular, StylesheetJson } from "cytoscape";
import dagre from "cytoscape-dagre";

import type { AccountGraph, GraphEdge, GraphNode } from "./types";

cytoscape.use(dagre);

export const STANCE_COLOURS: Record<string, { bg: string; fg: string }> = {
  CHAMPION: { bg: "#1a7f45", fg: "#ffffff" },
  SUPPORTER: { bg: "#8fd17a", fg: "#10240a" },
  NEUTRAL: { bg: "#d4d7dc", fg: "#1d2330" },
  UNKNOWN: { bg: "#f1f2f4", fg: "#1d2330" },
  SKEPTIC: { bg: "#f5a05a", fg: "#2b1400" },
  BLOCKER: { bg: "#c62828", fg: "#ffffff" },
};
const NOT_SEATED = { bg: "#ffffff", fg: "#3b4252" };

export const ALTERNATIVE_COLOURS: Record<string, string> = {
  OURS: "#1f5fbf",
  COMPETITOR: "#a3195b",
  STATUS_QUO: "#7a5b1e",
  BUILD: "#5b3fa0",
};

const APPROVER_ROLES = new Set(["ECONOMIC_BUYER", "APPROVER"]);
const BIG_ROLES: Record<string, number> = { ECONOMIC_BUYER: 15, APPROVER: 14, DECISION_MAKER: 14 };
// Cytoscape accepts double quotes only in a font-family list.
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const measure = document.createElement("canvas").getContext("2d");

function textWidth(text: string, size: number, bold: boolean): number {
  if (!measure) return text.length * size * 0.6;
  measure.font = `${bold ? "600 " : ""}${size}px ${FONT}`;
  return measure.measureText(text).width;
}

function roleLine(node: GraphNode): string {
  if (!node.role) return "";
  const approver = node.isApprover ?? (APPROVER_ROLES.has(node.role) || Boolean(node.veto));
  const role = node.role.replace(/_/g, " ").toLowerCase();
  return [approver ? `★ ${role}` : role, node.veto ? "veto" : ""].filter(Boolean).join(" · ");
}

function stakeholderData(node: GraphNode): Record<string, unknown> {
  const colours = node.stance ? (STANCE_COLOURS[node.stance] ?? NOT_SEATED) : NOT_SEATED;
  const fontSize = node.role ? (BIG_ROLES[node.role] ?? 12) : 11;
  const lines = [node.label, node.title ?? "", roleLine(node)].filter((l) => l.length > 0);
  // measured bold throughout: the economic buyer's whole label is bold
  const width = Math.max(...lines.map((l) => textWidth(l, fontSize, true)));
  return {
    id: node.id,
    display: lines.join("\n"),
    bg: colours.bg,
    fg: colours.fg,
    fontSize,
    w: Math.ceil(width) + 22,
    h: Math.ceil(lines.length * fontSize * 1.25) + 16,
    node,
  };
}

function alternativeData(node: GraphNode): Record<string, unknown> {
  const kind = node.alternativeKind ?? "COMPETITOR";
  const lines = [node.label, kind.replace(/_/g, " ").toLowerCase()];
  const width = Math.max(...lines.map((l) => textWidth(l, 12, true)));
  return {
    id: node.id,
    display: lines.join("\n"),
    bg: ALTERNATIVE_COLOURS[kind] ?? "#666666",
    fg: "#ffffff",
    fontSize: 12,
    w: Math.ceil(width) + 60,
    h: 44,
    node,
  };
}

function nodeClasses(node: GraphNode): string[] {
  if (node.kind === "Alternative") {
    return ["alternative", `alt-${(node.alternativeKind ?? "UNKNOWN").toLowerCase()}`];
  }
  const classes = ["stakeholder"];
  if (!node.role) classes.push("unseated");
  if (node.isApprover) classes.push("approver");
  if (node.isChampion) classes.push("champion");
  if (node.isOpponent) classes.push("opponent");
  if (node.stance) classes.push(`stance-${node.stance.toLowerCase()}`);
  if (node.role) classes.push(`role-${node.role.toLowerCase()}`);
  return classes;
}

function edgeColour(edge: GraphEdge, nodes: Map<string, GraphNode>): string {
  if (edge.kind === "ADVOCATES_FOR") {
    const kind = nodes.get(edge.target)?.alternativeKind ?? "COMPETITOR";
    return ALTERNATIVE_COLOURS[kind] ?? "#666666";
  }
  return edge.kind === "CONFLICTS_WITH" ? "#d32f2f" : edge.kind === "INFLUENCES" ? "#2f6fb5" : "#5f6673";
}

export function toElements(graph: AccountGraph): ElementDefinition[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: ElementDefinition[] = graph.nodes.map((n) => ({
    group: "nodes",
    data: n.kind === "Alternative" ? alternativeData(n) : stakeholderData(n),
    classes: nodeClasses(n),
  }));
  const edges: ElementDefinition[] = graph.edges
    .filter((e) => byId.has(e.source) && byId.has(e.target))
    .map((e) => ({
      group: "edges",
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        kind: e.kind,
        colour: edgeColour(e, byId),
        width: edgeWidth(e),
        strength: e.weight == null ? "" : e.weight.toFixed(2),
        edge: e,
      },
      classes: [e.kind.toLowerCase().replace(/_/g, "-")],
    }));
  return [...nodes, ...edges];
}

function edgeWidth(edge: GraphEdge): number {
  const strength = edge.weight ?? 0.5;
  if (edge.kind === "REPORTS_TO") return 2;
  if (edge.kind === "CONFLICTS_WITH") return 1.5 + 4 * strength;
  return 1 + 7 * strength;
}

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      shape: "round-rectangle",
      width: "data(w)",
      height: "data(h)",
      label: "data(display)",
      "text-wrap": "wrap",
      "text-valign": "center",
      "text-halign": "center",
      "font-family": FONT,
      "font-size": "data(fontSize)",
      "line-height": 1.25,
      color: "data(fg)",
      "background-color": "data(bg)",
      "border-width": 1,
      "border-color": "#7b8494",
    },
  },
  { selector: "node.unseated", style: { "border-style": "dashed", "background-opacity": 0.9 } },
  {
    selector: "node.approver",
    style: { "border-width": 5, "border-style": "double", "border-color": "#14213d" },
  },
  { selector: "node.role-economic_buyer", style: { "font-weight": "bold" } },
  {
    selector: "node.alternative",
    // the tag's point takes the right end: keep the text in its body
    style: { shape: "tag", "font-weight": "bold", "border-width": 0, "text-margin-x": -10 },
  },
  {
    selector: "edge",
    style: {
      width: "data(width)",
      "line-color": "data(colour)",
      "target-arrow-color": "data(colour)",
      "curve-style": "bezier",
      "arrow-scale": 0.8,
      opacity: 0.85,
    },
  },
  {
    selector: "edge.reports-to",
    style: {
      "curve-style": "taxi",
      "taxi-direction": "vertical",
      "target-arrow-shape": "none",
      opacity: 0.9,
      "z-index": 0,
    },
  },
  {
    selector: "edge.influences",
    style: { "target-arrow-shape": "triangle", opacity: 0.45, "z-index": 1 },
  },
  {
    selector: "edge.conflicts-with",
    style: {
      "line-style": "dashed",
      "line-dash-pattern": [8, 5],
      "target-arrow-shape": "tee",
      opacity: 0.95,
      "z-index": 2,
    },
  },
  {
    selector: "edge.advocates-for",
    style: {
      "line-style": "dotted",
      "target-arrow-shape": "triangle-backcurve",
      opacity: 0.8,
      "z-index": 1,
    },
  },
  { selector: "edge.reports-to.sideways", style: { "taxi-direction": "horizontal" } },
  { selector: ".hidden-kind", style: { display: "none" } },
  { selector: ".dimmed", style: { opacity: 0.22 } },
  {
    selector: "node.path-node",
    style: { "overlay-color": "#ffb300", "overlay-opacity": 0.28, "overlay-padding": 6, opacity: 1 },
  },
  {
    selector: "edge.path-edge",
    style: {
      "line-color": "#ff8f00",
      "target-arrow-color": "#ff8f00",
      opacity: 1,
      width: 7,
      "z-index": 10,
      label: "data(strength)",
      "font-size": 12,
      "font-weight": "bold",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.9,
      "text-background-padding": "2px",
    },
  },
  {
    selector: "edge.path-edge.threat",
    style: { "line-color": "#c62828", "target-arrow-color": "#c62828" },
  },
  { selector: "node.draw-source", style: { "overlay-color": "#1565c0", "overlay-opacity": 0.3 } },
  { selector: ":selected", style: { "overlay-color": "#1565c0", "overlay-opacity": 0.18 } },
];

export interface GraphHandlers {
  onNode(node: GraphNode): void;
  onEdge(edge: GraphEdge): void;
  onBackground(): void;
}

export class CommitteeGraph {
  readonly cy: Core;
  private positions = new Map<string, { x: number; y: number }>();
  private hierarchySignature = "";

  constructor(
    private readonly container: HTMLElement,
    private readonly tooltip: HTMLElement,
    handlers: GraphHandlers,
  ) {
    this.cy = cytoscape({
      container,
      style: STYLE,
      wheelSensitivity: 0.3,
      minZoom: 0.1,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: "single",
    });
    this.cy.on("tap", "node", (event) => handlers.onNode(event.target.data("node") as GraphNode));
    this.cy.on("tap", "edge", (event) => handlers.onEdge(event.target.data("edge") as GraphEdge));
    this.cy.on("tap", (event) => {
      if (event.target === this.cy) handlers.onBackground();
    });
    this.cy.on("mouseover", "node, edge", (event) => this.showTooltip(event.target));
    this.cy.on("mouseout", "node, edge", () => this.hideTooltip());
    this.cy.on("viewport", () => this.hideTooltip());
  }

  /** Replaces the drawing; keeps everyone where they were unless the org chart changed. */
  render(graph: AccountGraph): void {
    this.cy.nodes().forEach((n) => {
      this.positions.set(n.id(), { ...n.position() });
    });
    const signature = hierarchySignature(graph);
    const keep =
      signature === this.hierarchySignature &&
      graph.nodes.every((n) => this.positions.has(n.id));
    this.hierarchySignature = signature;
    this.cy.elements().remove();
    this.cy.add(toElements(graph));
    if (keep) {
      this.cy.nodes().forEach((n) => {
        const p = this.positions.get(n.id());
        if (p) n.position(p);
      });
    } else {
      this.layout();
    }
    this.container.dataset.nodeCount = String(this.cy.nodes().length);
    this.container.dataset.edgeCount = String(this.cy.edges().length);
  }

  clear(): void {
    this.cy.elements().remove();
    this.hierarchySignature = "";
    this.positions.clear();
    this.container.dataset.nodeCount = "0";
    this.container.dataset.edgeCount = "0";
  }

  /**
   * Org chart by dagre over REPORTS_TO only (managers on top); alternatives in a row above.
   * A flat, wide organisation is laid out left to right instead (managers on the left), so
   * 40–60 people still fit a landscape screen at a readable zoom.
   */
  layout(): void {
    const people = this.cy.nodes(".stakeholder");
    const hierarchy = people.union(this.cy.edges(".reports-to"));
    const run = (rankDir: "BT" | "RL"): void => {
      hierarchy
        .layout({
          name: "dagre",
          rankDir,
          nodeSep: rankDir === "BT" ? 28 : 14,
          rankSep: rankDir === "BT" ? 80 : 90,
          ranker: "network-simplex",
          fit: false,
          animate: false,
        } as cytoscape.LayoutOptions)
        .run();
    };
    run("BT");
    let box = people.length ? people.boundingBox({}) : { x1: 0, x2: 600, y1: 0, y2: 0, w: 600, h: 1 };
    const screen = Math.max(this.cy.width(), 1) / Math.max(this.cy.height(), 1);
    const sideways = people.length > 12 && box.w / Math.max(box.h, 1) > 2.2 * screen;
    if (sideways) {
      run("RL");
      box = people.boundingBox({});
    }
    this.cy.edges(".reports-to").toggleClass("sideways", sideways);
    this.container.dataset.layout = sideways ? "left-to-right" : "top-down";
    const alternatives = this.cy.nodes(".alternative");
    const gap = Math.max(box.w / Math.max(alternatives.length, 1), 160);
    const start = (box.x1 + box.x2) / 2 - (gap * (alternatives.length - 1)) / 2;
    alternatives.forEach((alt, i) => {
      alt.position({ x: start + gap * i, y: box.y1 - 120 });
    });
    this.cy.fit(undefined, 30);
  }

  fit(): void {
    this.cy.fit(undefined, 30);
  }

  setKindVisible(kind: string, visible: boolean): void {
    const edges = this.cy.edges().filter((e) => e.data("kind") === kind);
    if (visible) edges.removeClass("hidden-kind");
    else edges.addClass("hidden-kind");
    if (kind === "ADVOCATES_FOR") {
      const alts = this.cy.nodes(".alternative");
      if (visible) alts.removeClass("hidden-kind");
      else alts.addClass("hidden-kind");
    }
  }

  /** Marks a path (ids from champion to approver) and dims everything else. */
  highlightPath(ids: string[], variant: "play" | "threat" = "play"): void {
    this.clearHighlight();
    if (ids.length === 0) return;
    const nodes = this.cy.collection();
    let edges = this.cy.collection();
    ids.forEach((id) => {
      nodes.merge(this.cy.getElementById(id));
    });
    for (let i = 0; i + 1 < ids.length; i += 1) {
      const hop = this.cy
        .edges(".influences")
        .filter((e) => e.data("source") === ids[i] && e.data("target") === ids[i + 1]);
      edges = edges.union(hop);
    }
    this.cy.elements().addClass("dimmed");
    nodes.removeClass("dimmed").addClass("path-node");
    edges.removeClass("dimmed").addClass("path-edge");
    if (variant === "threat") edges.addClass("threat");
    this.focus(nodes);
  }

  /**
   * Brings a path into view: a map that fits the screen at a readable zoom stays whole (the
   * path stands out in context); a big one zooms to the path, never past reading size.
   */
  private focus(nodes: cytoscape.CollectionReturnValue): void {
    const width = this.cy.width() - 160;
    const height = this.cy.height() - 160;
    const zoomToFit = (box: { w: number; h: number }): number =>
      Math.min(width / Math.max(box.w, 1), height / Math.max(box.h, 1));
    const all = this.cy.elements(":visible");
    if (zoomToFit(all.boundingBox({})) >= 0.55) {
      this.cy.animate({ fit: { eles: all, padding: 30 }, duration: 250 });
      return;
    }
    const zoom = Math.max(Math.min(zoomToFit(nodes.boundingBox({})), 1), this.cy.minZoom());
    this.cy.animate({ zoom, center: { eles: nodes }, duration: 250 });
  }

  clearHighlight(): void {
    this.cy.elements().removeClass("dimmed path-node path-edge threat");
  }

  markDrawSource(id: string | null): void {
    this.cy.nodes().removeClass("draw-source");
    if (id) this.cy.getElementById(id).addClass("draw-source");
  }

  select(id: string | null): void {
    this.cy.elements().unselect();
    if (id) this.cy.getElementById(id).select();
  }

  private showTooltip(target: NodeSingular | EdgeSingular): void {
    const lines = target.isNode()
      ? nodeTooltip(target.data("node") as GraphNode)
      : edgeTooltip(target.data("edge") as GraphEdge, (id) => this.nameOf(id));
    this.tooltip.replaceChildren(
      ...lines.map((line, i) => {
        const div = document.createElement("div");
        div.textContent = line;
        if (i === 0) div.className = "tip-title";
        return div;
      }),
    );
    const point = target.isNode()
      ? target.renderedPosition()
      : target.renderedMidpoint();
    this.tooltip.style.left = `${Math.round(point.x + 14)}px`;
    this.tooltip.style.top = `${Math.round(point.y + 14)}px`;
    this.tooltip.hidden = false;
    this.tooltip.dataset.for = target.id();
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
    delete this.tooltip.dataset.for;
  }

  nameOf(id: string): string {
    const node = this.cy.getElementById(id);
    return node.nonempty() ? ((node.data("node") as GraphNode).label ?? id) : id;
  }
}

function hierarchySignature(graph: AccountGraph): string {
  const ids = graph.nodes.map((n) => n.id).sort();
  const lines = graph.edges
    .filter((e) => e.kind === "REPORTS_TO")
    .map((e) => `${e.source}>${e.target}`)
    .sort();
  return `${ids.join(",")}|${lines.join(",")}`;
}

function pretty(value: string | null | undefined): string {
  return value ? value.replace(/_/g, " ").toLowerCase() : "";
}

function nodeTooltip(node: GraphNode): string[] {
  if (node.kind === "Alternative") {
    return [node.label, `Alternative · ${pretty(node.alternativeKind)}`];
  }
  const lines = [node.label];
  const job = [node.title, node.department].filter(Boolean).join(", ");
  if (job) lines.push(job);
  if (node.seniority) lines.push(`Seniority: ${pretty(node.seniority)}`);
  if (node.role) {
    lines.push(`Seat: ${pretty(node.role)}, ${pretty(node.stance) || "stance unknown"}`);
    const extra = [
      node.isApprover ? "approver" : "",
      node.veto ? "has veto" : "",
      node.voteWeight != null && node.voteWeight !== 1 ? `vote weight ${node.voteWeight}` : "",
    ].filter(Boolean);
    if (extra.length) lines.push(extra.join(" · "));
  } else {
    lines.push("Not on this committee");
  }
  return lines;
}

function edgeTooltip(edge: GraphEdge, name: (id: string) => string): string[] {
  const from = name(edge.source);
  const to = name(edge.target);
  const strength = edge.weight == null ? "" : ` (strength ${edge.weight.toFixed(2)})`;
  switch (edge.kind) {
    case "INFLUENCES": {
      const topics = edge.topics?.length ? edge.topics.map(pretty).join(", ") : "all topics";
      return [`${from} influences ${to}${strength}`, `Topics: ${topics}`, ...evidence(edge)];
    }
    case "CONFLICTS_WITH":
      return [`${from} conflicts with ${to}${strength}`, ...evidence(edge)];
    case "ADVOCATES_FOR":
      return [`${from} advocates for ${to}${strength}`, ...evidence(edge)];
    case "REPORTS_TO":
      return [`${from} reports to ${to}`];
    default:
      return [`${from} → ${to}: ${edge.kind}`];
  }
}

function evidence(edge: GraphEdge): string[] {
  return edge.evidence ? [`Evidence: ${edge.evidence}`] : [];
}
