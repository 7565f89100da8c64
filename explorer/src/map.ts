// The map: cards laid out on a grid (grid.ts), edges routed between them (router.ts).
//
// Cytoscape.js draws the edges and handles panning, zooming, hovering and dragging; each card
// is a real HTML element on a layer above it that follows the viewport, so its text is text
// (name, title, role, stance with an icon), readable by screen readers and reachable by
// keyboard (arrow keys move between cards, Enter opens one). Only the people shown are drawn;
// the rest of the account stays in the model.

import cytoscape from "cytoscape";
import type { Core, EdgeSingular, ElementDefinition, NodeSingular, StylesheetJson } from "cytoscape";

import type { EdgeDetails } from "./api";
import { h } from "./dom";
import { ALT_H, ALT_ROW, CARD_H, CARD_W, CELL_H, cellAt, cellKey, centre, type Cell } from "./grid";
import { icon } from "./icons";
import type { AccountModel } from "./model";
import { route, type Point, type Route } from "./router";
import { DealRisk } from "./risk";
import type { GraphEdge, GraphNode } from "./types";
import { ALTERNATIVE_LOOK, crit, departureText, lower, roleLabel, seatLine, stanceLook, verdictLook } from "./words";

/** Smallest card text, in CSS px at zoom 1 (the title, role and stance lines). */
export const SMALL_TEXT_PX = 13;
/** The zoom at which that text is 12 px on screen: the least a readable view may use. */
export const READABLE_ZOOM = 12 / SMALL_TEXT_PX;
const MAX_FIT_ZOOM = 1.3;
/** Above this many people the map is an overview: reporting lines, and the chosen person's lines. */
export const OVERVIEW_PEOPLE = 150;
const FIT_PADDING = 8;

export interface MapHandlers {
  onSelect(id: string | null): void;
  onEdge(edge: GraphEdge): void;
  onExpand(id: string): void;
  onToggleBranch(id: string): void;
  /** Cells changed by a drag (a swap moves two cards). */
  onMoved(): void;
  onViewport(): void;
  /** The map became (or stopped being) an overview of many people. */
  onOverview(overview: boolean, people: number): void;
  /** Topics and evidence of an edge, read when someone looks at it. */
  details(edge: GraphEdge): Promise<EdgeDetails | null>;
}

export interface CardMarks {
  /** People connected to this one who are not shown. */
  hidden: number;
  /** Reports below this person: shown or folded away. */
  branch: { count: number; folded: boolean } | null;
}

const EDGE_COLOURS: Record<string, string> = {
  REPORTS_TO: "#7d8590",
  INFLUENCES: "#3a6ea5",
  CONFLICTS_WITH: "#b63a0a",
};

function edgeWidth(edge: GraphEdge): number {
  if (edge.kind === "REPORTS_TO") return 1.6;
  const strength = edge.weight ?? 0.5;
  return edge.kind === "CONFLICTS_WITH" ? 1.4 + 1.2 * strength : 0.8 + 1.8 * strength;
}

function px(point: Point): string {
  return `${point[0].toFixed(1)}px ${point[1].toFixed(1)}px`;
}

/** A route's bends as Cytoscape segment weights and distances from the centre-to-centre line. */
function segments(source: { x: number; y: number }, target: { x: number; y: number }, points: Point[]): { weights: string; distances: string } {
  const dx = target.x - source.x;
  const dy = target.y - source.y;
  const length2 = dx * dx + dy * dy || 1;
  const length = Math.sqrt(length2);
  const weights: string[] = [];
  const distances: string[] = [];
  for (const [x, y] of points) {
    const px0 = x - source.x;
    const py0 = y - source.y;
    weights.push(((px0 * dx + py0 * dy) / length2).toFixed(5));
    distances.push(((px0 * -dy + py0 * dx) / length).toFixed(2));
  }
  return { weights: weights.join(" "), distances: distances.join(" ") };
}

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      shape: "rectangle",
      width: "data(w)",
      height: "data(h)",
      "background-opacity": 0,
      "border-width": 0,
      "overlay-opacity": 0,
      label: "",
    },
  },
  {
    selector: "edge",
    style: {
      width: "data(width)",
      "line-color": "data(colour)",
      "target-arrow-color": "data(colour)",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.9,
      "curve-style": "segments",
      "edge-distances": "node-position",
      "segment-weights": (e: EdgeSingular) => e.data("sw") as string,
      "segment-distances": (e: EdgeSingular) => e.data("sd") as string,
      "source-endpoint": (e: EdgeSingular) => e.data("se") as string,
      "target-endpoint": (e: EdgeSingular) => e.data("te") as string,
      "overlay-padding": 4,
      opacity: 0.75,
    },
  },
  { selector: "edge.side", style: { "curve-style": "straight" } },
  { selector: "edge.reports-to", style: { "target-arrow-shape": "none", opacity: 0.8 } },
  { selector: "edge.conflicts-with", style: { "line-style": "dashed", "line-dash-pattern": [7, 4], "target-arrow-shape": "tee" } },
  { selector: "edge.advocates-for", style: { "line-style": "dotted", "target-arrow-shape": "triangle-backcurve" } },
  // a line of someone who has left: the plan no longer counts it
  { selector: "edge.departed", style: { "line-style": "dashed", "line-dash-pattern": [2, 5], opacity: 0.45 } },
  { selector: "edge.dragging", style: { "curve-style": "straight", "source-endpoint": "outside-to-node", "target-endpoint": "outside-to-node" } },
  { selector: ".hidden-kind", style: { display: "none" } },
  { selector: "edge.faded", style: { opacity: 0.22 } },
  { selector: "edge.focus-edge", style: { opacity: 1, width: (e: EdgeSingular) => Number(e.data("width")) + 1.5, "z-index": 50 } },
  { selector: "edge.dimmed", style: { opacity: 0.12 } },
  {
    selector: "edge.path-edge",
    style: {
      "line-color": "#e66100",
      "target-arrow-color": "#e66100",
      width: 6,
      opacity: 1,
      "z-index": 100,
      "underlay-color": "#1d2330",
      "underlay-padding": 2,
      "underlay-opacity": 0.85,
    },
  },
  {
    selector: "edge.path-edge.threat",
    style: { "line-color": "#b63a0a", "target-arrow-color": "#b63a0a", "line-style": "dashed" },
  },
  { selector: "edge:selected", style: { "underlay-color": "#0b5394", "underlay-padding": 4, "underlay-opacity": 0.35 } },
];

export class CommitteeMap {
  readonly cy: Core;
  private readonly stage: HTMLElement;
  private readonly cards = new Map<string, HTMLElement>();
  private cells = new Map<string, Cell>();
  private model: AccountModel | null = null;
  private hiddenKinds = new Set<string>();
  private focusId: string | null = null;
  private selectedId: string | null = null;
  private shown = new Set<string>();
  private overview = false;
  private pathIds: string[] = [];
  private risk = new DealRisk(null);
  /** The approver whose key people are marked (chosen in the plan, or on the map). */
  private keyApprover: string | null = null;

  constructor(
    private readonly container: HTMLElement,
    overlay: HTMLElement,
    private readonly tooltip: HTMLElement,
    private readonly handlers: MapHandlers,
  ) {
    this.cy = cytoscape({
      container,
      style: STYLE,
      minZoom: 0.05,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: "single",
      autoungrabify: false,
    });
    this.stage = h("div", { class: "stage" });
    overlay.append(this.stage);
    this.cy.on("tap", "node", (event) => this.handlers.onSelect(event.target.id()));
    this.cy.on("tap", "edge", (event) => this.handlers.onEdge(event.target.data("edge") as GraphEdge));
    this.cy.on("tap", (event) => {
      if (event.target === this.cy) this.handlers.onSelect(null);
    });
    this.cy.on("mouseover", "node, edge", (event) => this.showTooltip(event.target));
    this.cy.on("mouseout", "node, edge", () => this.hideTooltip());
    this.cy.on("viewport", () => {
      this.hideTooltip();
      // at once, not on the next frame: cards and lines never part, even for a moment
      this.updateStage();
      this.handlers.onViewport();
    });
    this.cy.on("grab", "node", (event) => {
      (event.target as NodeSingular).connectedEdges().addClass("dragging");
    });
    this.cy.on("drag", "node", (event) => this.placeCard(event.target as NodeSingular));
    this.cy.on("free", "node", (event) => this.dropped(event.target as NodeSingular));
    this.stage.addEventListener("keydown", (event) => this.onKey(event));
    // focusing a card off screen must pan the map, never scroll the card layer off the map
    overlay.addEventListener("scroll", () => {
      overlay.scrollTop = 0;
      overlay.scrollLeft = 0;
    });
    this.stage.addEventListener("focusin", (event) => {
      const id = (event.target as HTMLElement).closest<HTMLElement>(".card")?.dataset.id;
      if (!id) return;
      this.reveal([id], false);
      // what hovering says (the champion test, criticality, single thread, staleness), for the keyboard too
      const node = this.cy.getElementById(id);
      if (node.nonempty()) this.showTooltip(node as NodeSingular);
    });
    this.stage.addEventListener("focusout", () => this.hideTooltip());
    // the page around the map changes size (header, panels): keep Cytoscape's idea of it true
    new ResizeObserver(() => {
      this.cy.resize();
      this.updateStage();
    }).observe(container);
    this.stage.addEventListener("click", (event) => this.onCardClick(event));
  }

  // --- drawing ------------------------------------------------------------------------------

  /** What the plan says about each person and line (drawn by the next `show`). */
  setRisk(risk: DealRisk): void {
    this.risk = risk;
  }

  /** Draws exactly `ids` (people and alternatives) at `cells`, and the edges among them. */
  show(model: AccountModel, ids: string[], cells: Map<string, Cell>, marks: Map<string, CardMarks>): void {
    this.model = model;
    this.cells = cells;
    const shown = new Set(ids.filter((id) => cells.has(id) && model.node(id)));
    this.shown = shown;
    this.overview = [...shown].filter((id) => model.isPerson(id)).length > OVERVIEW_PEOPLE;
    this.container.dataset.overview = String(this.overview);
    this.handlers.onOverview(this.overview, [...shown].filter((id) => model.isPerson(id)).length);
    const nodes: ElementDefinition[] = [];
    for (const id of shown) {
      const cell = cells.get(id) as Cell;
      const node = model.node(id) as GraphNode;
      nodes.push({
        group: "nodes",
        data: { id, w: CARD_W, h: cell.row === ALT_ROW ? ALT_H : CARD_H, alt: node.kind === "Alternative" },
        position: centre(cell),
        classes: node.kind === "Alternative" ? "alternative" : "person",
      });
    }
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(nodes);
    });
    this.syncEdges();
    this.renderCards(model, shown, marks);
    if (this.selectedId) this.select(this.cy.getElementById(this.selectedId).nonempty() ? this.selectedId : null);
    this.container.dataset.nodeCount = String(this.cy.nodes().length);
  }

  /**
   * The edges to draw: every edge among the people shown; in an overview of many people,
   * reporting lines plus the lines of the chosen person and of a highlighted path (thousands
   * of crossing lines say nothing and make the map crawl).
   */
  private wantedEdges(): GraphEdge[] {
    const model = this.model;
    if (!model) return [];
    const among = model.edges.filter((e) => this.shown.has(e.source) && this.shown.has(e.target));
    if (!this.overview) return among;
    const hops = new Set<string>();
    for (let i = 0; i + 1 < this.pathIds.length; i += 1) hops.add(`${this.pathIds[i]}|${this.pathIds[i + 1]}`);
    const chosen = this.selectedId;
    return among.filter(
      (e) => e.kind === "REPORTS_TO" || e.source === chosen || e.target === chosen || hops.has(`${e.source}|${e.target}`),
    );
  }

  /** Adds, removes and re-routes edges so the drawing matches `wantedEdges()`. */
  private syncEdges(): void {
    const model = this.model;
    if (!model) return;
    const edges = this.wantedEdges();
    const routes = route(this.cells, edges);
    const wanted = new Set(edges.map((e) => e.id));
    this.cy.batch(() => {
      this.cy.edges().filter((e) => !wanted.has(e.id())).remove();
      const added: ElementDefinition[] = [];
      for (const edge of edges) {
        const r = routes.get(edge.id);
        if (!r) continue;
        const existing = this.cy.getElementById(edge.id);
        const data = this.edgeData(edge, r, model);
        if (existing.nonempty()) {
          existing.data({ sw: data.sw, sd: data.sd, se: data.se, te: data.te });
          existing.toggleClass("side", r.points.length === 0);
          existing.removeClass("dragging");
        } else added.push({ group: "edges", data, classes: this.edgeClasses(edge, r) });
      }
      this.cy.add(added);
      this.applyKinds();
    });
    // a very large map pans smoothly only without its edges while it moves
    const renderer = (this.cy as unknown as { renderer(): { hideEdgesOnViewport: boolean } }).renderer();
    renderer.hideEdgesOnViewport = this.cy.elements().length > 3000;
    this.container.dataset.edgeCount = String(this.cy.edges().length);
    this.placeLineMarks();
  }

  /**
   * A "stale" tag on each drawn line the plan relies on that nobody has confirmed for too
   * long, just above the line's middle (a path's strength label sits on the middle itself).
   */
  private placeLineMarks(): void {
    this.stage.querySelectorAll(".line-mark").forEach((mark) => mark.remove());
    const placed: { x: number; y: number; w: number }[] = [];
    const free = (x: number, y: number, w: number): boolean =>
      placed.every((p) => Math.abs(p.x - x) >= (p.w + w) / 2 + 3 || Math.abs(p.y - y) >= LINE_MARK_H + 1);
    this.cy.edges().forEach((edge) => {
      const kind = edge.data("kind") as string;
      const stale = this.risk.staleLine(kind, edge.data("source") as string, edge.data("target") as string);
      edge.toggleClass("stale", stale !== undefined);
      const gone = [edge.data("source") as string, edge.data("target") as string].some((id) => this.risk.departure(id)?.left);
      edge.toggleClass("departed", gone);
      if (!stale) return;
      // on the line's longest run along a row channel (a path's strength label sits on the
      // line's middle), kept inside the channel and clear of the tags of other lines; only an
      // icon across a narrow gap
      const points = [edge.sourceEndpoint(), ...(edge.segmentPoints() ?? []), edge.targetEndpoint()];
      let run: { from: number; to: number; y: number } | null = null;
      for (let i = 0; i + 1 < points.length; i += 1) {
        const [a, b] = [points[i], points[i + 1]];
        if (Math.abs(b.y - a.y) < 1 && (!run || Math.abs(b.x - a.x) > run.to - run.from)) {
          run = { from: Math.min(a.x, b.x), to: Math.max(a.x, b.x), y: a.y };
        }
      }
      const middle = edge.midpoint();
      const compact = !run || run.to - run.from < 90;
      const w = compact ? LINE_MARK_COMPACT_W : LINE_MARK_W;
      const y = inChannel(run ? run.y : middle.y);
      let x = run ? run.from + (run.to - run.from) * (compact ? 0.5 : 0.3) : middle.x;
      if (run && !free(x, y, w)) {
        const step = w + 4;
        for (let candidate = run.from + w / 2 + 4; candidate <= run.to - w / 2 - 4; candidate += step) {
          if (free(candidate, y, w)) {
            x = candidate;
            break;
          }
        }
      }
      placed.push({ x, y, w });
      const mark = h(
        "span",
        { class: `line-mark stale-mark${compact ? " compact" : ""}`, "data-edge": edge.id(), title: stale.warning },
        icon("stale"),
        compact ? null : "stale",
        h("span", { class: "visually-hidden" }, `${compact ? "stale" : ""}: ${stale.warning}`),
      );
      mark.hidden = edge.hasClass("hidden-kind");
      mark.style.left = `${x}px`;
      mark.style.top = `${y}px`;
      this.stage.append(mark);
    });
  }

  private edgeData(edge: GraphEdge, r: Route, model: AccountModel): Record<string, unknown> {
    const s = centre(this.cells.get(edge.source) as Cell);
    const t = centre(this.cells.get(edge.target) as Cell);
    const seg = segments(s, t, r.points);
    const colour =
      edge.kind === "ADVOCATES_FOR"
        ? (ALTERNATIVE_LOOK[model.node(edge.target)?.alternativeKind ?? ""]?.colour ?? "#555555")
        : (EDGE_COLOURS[edge.kind] ?? "#555555");
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      kind: edge.kind,
      colour,
      width: edgeWidth(edge),
      strength: edge.weight == null ? "" : edge.weight.toFixed(2),
      sw: seg.weights || "0.5",
      sd: seg.distances || "0",
      se: px(r.sourceOffset),
      te: px(r.targetOffset),
      edge,
    };
  }

  private edgeClasses(edge: GraphEdge, r: Route): string[] {
    const classes = [edge.kind.toLowerCase().replace(/_/g, "-")];
    if (r.points.length === 0) classes.push("side");
    return classes;
  }

  private renderCards(model: AccountModel, shown: Set<string>, marks: Map<string, CardMarks>): void {
    const keep = new Set<string>();
    const fragment = document.createDocumentFragment();
    for (const id of shown) {
      const node = model.node(id) as GraphNode;
      const card = node.kind === "Alternative" ? alternativeCard(node) : personCard(node, marks.get(id), this.risk);
      card.classList.toggle("selected", id === this.selectedId);
      this.position(card, this.cells.get(id) as Cell);
      keep.add(id);
      fragment.append(card);
      this.cards.set(id, card);
    }
    for (const id of [...this.cards.keys()]) if (!keep.has(id)) this.cards.delete(id);
    this.stage.replaceChildren(fragment);
    this.placeLineMarks();
    this.showKeyPeople(this.keyApprover);
    const first = this.focusId && this.cards.has(this.focusId) ? this.focusId : this.firstCard();
    this.setFocusable(first);
    this.updateStage();
  }

  private firstCard(): string | null {
    let best: string | null = null;
    let bestCell: Cell | null = null;
    for (const id of this.cards.keys()) {
      const cell = this.cells.get(id);
      if (!cell || cell.row === ALT_ROW) continue;
      if (!bestCell || cell.row < bestCell.row || (cell.row === bestCell.row && cell.col < bestCell.col)) {
        best = id;
        bestCell = cell;
      }
    }
    return best;
  }

  private position(card: HTMLElement, cell: Cell, at?: { x: number; y: number }): void {
    const p = at ?? centre(cell);
    const height = cell.row === ALT_ROW ? ALT_H : CARD_H;
    card.style.left = `${p.x - CARD_W / 2}px`;
    card.style.top = `${p.y - height / 2}px`;
  }

  private updateStage(): void {
    const pan = this.cy.pan();
    const zoom = this.cy.zoom();
    this.stage.style.transform = `translate(${pan.x}px, ${pan.y}px) scale(${zoom})`;
    this.container.dataset.zoom = zoom.toFixed(3);
  }

  // --- viewport -----------------------------------------------------------------------------

  /** Everything shown, as large as fits (but not blown up past a comfortable size). */
  fit(): void {
    // lines in the outer channels count too, so none is cut off at the edge
    const shown = this.cy.elements(":visible");
    if (shown.empty()) return;
    this.cy.fit(shown, FIT_PADDING);
    if (this.cy.zoom() > MAX_FIT_ZOOM) {
      this.cy.zoom(MAX_FIT_ZOOM);
      this.cy.center(shown);
    }
    this.updateStage();
  }

  /** Brings these people into view, zooming only as far as needed and never below reading size. */
  reveal(ids: string[], animate = true): void {
    const nodes = this.cy.collection();
    for (const id of ids) nodes.merge(this.cy.getElementById(id));
    if (nodes.empty()) return;
    const box = nodes.boundingBox({});
    const extent = this.cy.extent();
    const inside = box.x1 >= extent.x1 && box.x2 <= extent.x2 && box.y1 >= extent.y1 && box.y2 <= extent.y2;
    if (inside && this.cy.zoom() >= READABLE_ZOOM - 1e-6) return;
    const width = this.cy.width() - 2 * FIT_PADDING;
    const height = this.cy.height() - 2 * FIT_PADDING;
    const fitting = Math.min(width / Math.max(box.w, 1), height / Math.max(box.h, 1));
    const zoom = Math.min(Math.max(Math.min(fitting, Math.max(this.cy.zoom(), READABLE_ZOOM)), READABLE_ZOOM), MAX_FIT_ZOOM);
    const target = { zoom, center: { eles: nodes } };
    if (animate) this.cy.animate({ ...target, duration: 220 });
    else {
      this.cy.zoom(zoom);
      this.cy.center(nodes);
    }
  }

  viewport(): { zoom: number; pan: { x: number; y: number } } {
    return { zoom: this.cy.zoom(), pan: { ...this.cy.pan() } };
  }

  restoreViewport(view: { zoom: number; pan: { x: number; y: number } }): void {
    this.cy.viewport({ zoom: view.zoom, pan: view.pan });
    this.updateStage();
  }

  /** The smallest card text on screen now, in CSS px (tests and the benchmark read it). */
  smallestTextPx(): number {
    return SMALL_TEXT_PX * this.cy.zoom();
  }

  // --- marks ------------------------------------------------------------------------------

  setKindVisible(kind: string, visible: boolean): void {
    if (visible) this.hiddenKinds.delete(kind);
    else this.hiddenKinds.add(kind);
    this.applyKinds();
  }

  private applyKinds(): void {
    this.cy.edges().forEach((e) => {
      e.toggleClass("hidden-kind", this.hiddenKinds.has(e.data("kind") as string));
    });
    this.stage.querySelectorAll<HTMLElement>(".line-mark").forEach((mark) => {
      mark.hidden = this.cy.getElementById(mark.dataset.edge ?? "").hasClass("hidden-kind");
    });
  }

  /**
   * Marks the people an approver's best play hangs on (the API's keyPeople), or nobody. They
   * stay marked while that approver is chosen, through redraws.
   */
  showKeyPeople(approverId: string | null): void {
    this.keyApprover = approverId;
    for (const card of this.cards.values()) {
      card.classList.remove("key-person");
      card.querySelector(".key-tag")?.remove();
    }
    if (!approverId) {
      delete this.container.dataset.keyPeople;
      return;
    }
    const keys = this.risk.keyPeople(approverId);
    const approver = this.model?.name(approverId) ?? "this approver";
    for (const person of keys) {
      const card = this.cards.get(person.id);
      if (!card) continue;
      card.classList.add("key-person");
      card.append(h("span", { class: "key-tag" }, icon("key"), "key person", h("span", { class: "visually-hidden" }, ` for ${approver}`)));
    }
    this.container.dataset.keyPeople = keys.map((p) => p.id).join(",");
  }

  /** Marks a path (ids from champion to approver) and fades every other edge. */
  highlightPath(ids: string[], variant: "play" | "threat" = "play"): void {
    this.clearHighlight();
    if (ids.length === 0) return;
    this.pathIds = ids;
    if (this.overview) this.syncEdges();
    this.cy.edges().removeClass("focus-edge faded");
    const edges = this.cy.collection();
    for (let i = 0; i + 1 < ids.length; i += 1) {
      edges.merge(this.cy.getElementById(ids[i]).edgesTo(this.cy.getElementById(ids[i + 1])).filter(".influences"));
    }
    this.cy.edges().addClass("dimmed");
    edges.removeClass("dimmed hidden-kind").addClass("path-edge");
    if (variant === "threat") edges.addClass("threat");
    // each hop's strength on a label above the cards, so a short hop between two
    // neighbouring cards still shows it
    edges.forEach((edge) => {
      const middle = edge.midpoint();
      const label = h("span", { class: `path-label${variant === "threat" ? " threat" : ""}`, "data-edge": edge.id() }, String(edge.data("strength")));
      label.style.left = `${middle.x}px`;
      label.style.top = `${middle.y}px`;
      this.stage.append(label);
    });
    ids.forEach((id, step) => {
      const card = this.cards.get(id);
      if (!card) return;
      card.classList.add("on-path");
      if (variant === "threat") card.classList.add("threat");
      card.dataset.step = String(step + 1);
    });
    this.container.dataset.path = ids.join(",");
    this.reveal(ids);
  }

  clearHighlight(): void {
    this.showKeyPeople(null);
    if (this.pathIds.length && this.overview) {
      this.pathIds = [];
      this.syncEdges();
    }
    this.pathIds = [];
    this.cy.edges().removeClass("dimmed path-edge threat");
    this.stage.querySelectorAll(".path-label").forEach((label) => label.remove());
    if (this.selectedId) this.select(this.selectedId);
    this.applyKinds();
    for (const card of this.cards.values()) {
      card.classList.remove("on-path", "threat");
      delete card.dataset.step;
    }
    delete this.container.dataset.path;
  }

  /** Marks a person chosen; their own lines stand out so they can be followed. */
  select(id: string | null): void {
    const changed = this.selectedId !== id;
    this.selectedId = id;
    if (changed && this.overview) this.syncEdges();
    for (const [cardId, card] of this.cards) card.classList.toggle("selected", cardId === id);
    this.cy.elements().unselect();
    this.cy.edges().removeClass("focus-edge faded");
    if (!id) return;
    const node = this.cy.getElementById(id);
    node.select();
    if (node.nonempty() && node.connectedEdges().nonempty()) {
      this.cy.edges().addClass("faded");
      node.connectedEdges().removeClass("faded").addClass("focus-edge");
    }
    if (this.cards.has(id)) this.setFocusable(id);
  }

  selectEdge(id: string): void {
    this.cy.elements().unselect();
    this.cy.getElementById(id).select();
  }

  focusCard(id: string): void {
    this.setFocusable(id);
    this.cards.get(id)?.querySelector<HTMLElement>(".card-main")?.focus({ preventScroll: true });
  }

  // --- keyboard and pointer on cards ------------------------------------------------------------

  private setFocusable(id: string | null): void {
    this.focusId = id;
    for (const [cardId, card] of this.cards) {
      const main = card.querySelector<HTMLElement>(".card-main");
      if (main) main.tabIndex = cardId === id ? 0 : -1;
    }
  }

  private onCardClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const card = target.closest<HTMLElement>(".card");
    if (!card?.dataset.id) return;
    const id = card.dataset.id;
    if (target.closest(".card-more")) this.handlers.onExpand(id);
    else if (target.closest(".card-fold")) this.handlers.onToggleBranch(id);
    else if (target.closest(".card-main")) {
      this.setFocusable(id);
      this.handlers.onSelect(id);
    }
  }

  private onKey(event: KeyboardEvent): void {
    const card = (event.target as HTMLElement).closest<HTMLElement>(".card");
    if (!card?.dataset.id) return;
    const from = this.cells.get(card.dataset.id);
    if (!from) return;
    const direction: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const step = direction[event.key];
    if (!step) return;
    event.preventDefault();
    let best: string | null = null;
    let bestScore = Infinity;
    for (const [id, cell] of this.cells) {
      if (!this.cards.has(id) || id === card.dataset.id) continue;
      const dc = cell.col - from.col;
      const dr = cell.row - from.row;
      const ahead = step[0] !== 0 ? dc * step[0] : dr * step[1];
      const aside = step[0] !== 0 ? Math.abs(dr) : Math.abs(dc);
      if (ahead <= 0) continue;
      const score = ahead + 2 * aside;
      if (score < bestScore) {
        best = id;
        bestScore = score;
      }
    }
    if (best) {
      this.focusCard(best);
      this.reveal([best]);
    }
  }

  // --- dragging: cards snap to the nearest cell (swapping with whoever is there) ----------------

  private placeCard(node: NodeSingular): void {
    const card = this.cards.get(node.id());
    const cell = this.cells.get(node.id());
    if (card && cell) this.position(card, cell, node.position());
  }

  private dropped(node: NodeSingular): void {
    const id = node.id();
    const from = this.cells.get(id);
    if (!from) return;
    const alt = node.data("alt") === true;
    const to = cellAt(node.position().x, node.position().y, alt);
    const occupant = [...this.cells.entries()].find(([other, cell]) => other !== id && cellKey(cell) === cellKey(to))?.[0];
    if (occupant) {
      this.cells.set(occupant, from);
      this.cy.getElementById(occupant).position(centre(from));
      const other = this.cards.get(occupant);
      if (other) this.position(other, from);
    }
    this.cells.set(id, to);
    node.position(centre(to));
    this.placeCard(node);
    this.syncEdges();
    if (this.selectedId) this.select(this.selectedId);
    if (cellKey(from) !== cellKey(to)) this.handlers.onMoved();
  }

  // --- tooltips -----------------------------------------------------------------------------

  private showTooltip(target: NodeSingular | EdgeSingular): void {
    if (!this.model) return;
    const model = this.model;
    const id = target.id();
    const fill = (details: EdgeDetails | null | "loading"): void => {
      const lines = target.isNode()
        ? [...nodeTooltip(model.node(id)), ...riskTooltip(id, this.risk)]
        : [...edgeTooltip(target.data("edge") as GraphEdge, (other) => model.name(other), details), ...lineRiskTooltip(target.data("edge") as GraphEdge, this.risk)];
      this.tooltip.replaceChildren(...lines.map((line, i) => h("div", { class: i === 0 ? "tip-title" : "" }, line)));
    };
    fill("loading");
    const point = target.isNode() ? target.renderedPosition() : target.renderedMidpoint();
    this.tooltip.style.left = `${Math.round(point.x + 14)}px`;
    this.tooltip.style.top = `${Math.round(point.y + 14)}px`;
    this.tooltip.hidden = false;
    this.tooltip.dataset.for = id;
    if (target.isEdge() && (target.data("kind") as string) !== "REPORTS_TO") {
      void this.handlers.details(target.data("edge") as GraphEdge).then((details) => {
        if (this.tooltip.dataset.for === id) fill(details);
      });
    }
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
    delete this.tooltip.dataset.for;
  }
}

// --- cards ------------------------------------------------------------------------------------

/** A line's tag, in card px: its height, and its width with the word and as an icon alone. */
const LINE_MARK_H = 17;
const LINE_MARK_W = 52;
const LINE_MARK_COMPACT_W = 16;

/**
 * A y in a row channel moved, if need be, so a line's tag stays off the cards above and
 * below it and off the tags on the top edge of the cards below (9 px into the channel).
 */
function inChannel(y: number): number {
  const g = Math.floor((y - CARD_H / 2) / CELL_H);
  const channelTop = g * CELL_H + CARD_H / 2;
  const channelBottom = (g + 1) * CELL_H - CARD_H / 2;
  if (y < channelTop || y > channelBottom) return y;
  const top = channelTop + LINE_MARK_H / 2 + 0.5;
  const bottom = channelBottom - 9 - LINE_MARK_H / 2 - 0.5;
  return Math.min(Math.max(y, top), Math.max(top, bottom));
}

/** A tag on a card's top edge: an icon, a word, and what it means for screen readers. */
interface CardTag {
  kind: string;
  icon: string | null;
  text: string;
  /** What a screen reader says instead ("champion test: Coach"); the visible word is hidden from it. */
  spoken: string;
  /** When space is short, the tag shows only its icon (the word stays for screen readers) … */
  compact?: boolean;
  /** … or, without an icon, this shorter word. */
  short?: string;
}

/** The tags' strip: inset from the card's inner edges (map.css .card-tags), and its gaps. */
const TAG_INSET = 8 + 2;
const TAG_GAP = 2;
const TAG_FONT = "700 12px system-ui, sans-serif";
const measured = new Map<string, number>();
let measure: CanvasRenderingContext2D | null = null;

function textWidth(text: string): number {
  let width = measured.get(text);
  if (width === undefined) {
    measure ??= document.createElement("canvas").getContext("2d");
    if (measure) measure.font = TAG_FONT;
    width = measure ? measure.measureText(text).width : 7.4 * text.length;
    measured.set(text, width);
  }
  return width;
}

/** A tag's width as drawn: border and padding (6), the icon (12) and the word beside it (3 + text). */
function tagWidth(tag: CardTag): number {
  const shown = tag.compact ? (tag.short ?? "") : tag.text;
  const text = shown ? textWidth(shown) : 0;
  return 6 + (tag.icon ? 12 : 0) + (tag.icon && text ? 3 : 0) + text;
}

/** Room along a card's top edge: inside its borders (8 px stance stripe, 3 px for an approver). */
function tagRoom(node: GraphNode): number {
  const inner = CARD_W - 8 - (node.isApprover ? 3 : 1);
  return inner - TAG_INSET - (node.veto ? 6 + textWidth("veto") + TAG_GAP + 4 : 0);
}

/** The tags a person's card carries: the champion test, criticality, a single thread, staleness. */
function cardTags(node: GraphNode, risk: DealRisk): CardTag[] {
  const tags: CardTag[] = [];
  const verdict = risk.verdict(node.id);
  if (verdict) {
    const look = verdictLook(verdict.verdict);
    tags.push({ kind: `verdict verdict-${verdict.verdict.toLowerCase()}`, icon: look.icon, text: look.label, spoken: `champion test: ${look.label}` });
  }
  const assessment = node.isApprover ? risk.approver(node.id) : undefined;
  if (assessment?.criticality != null) tags.push({ kind: "crit", icon: null, text: `crit ${crit(assessment.criticality)}`, short: crit(assessment.criticality), spoken: `criticality ${crit(assessment.criticality)}` });
  if (assessment?.singleThreaded) tags.push({ kind: "thread", icon: "thread", text: "1 thread", spoken: "single-threaded" });
  if (risk.staleAbout(node.id).length) tags.push({ kind: "stale", icon: "stale", text: "stale", spoken: "stale: not verified for too long" });
  const room = tagRoom(node);
  const total = (): number => tags.reduce((sum, tag) => sum + tagWidth(tag), 0) + TAG_GAP * Math.max(tags.length - 1, 0);
  for (const kind of ["crit", "stale", "thread", "verdict"]) {
    if (total() <= room) break;
    for (const tag of tags) if (tag.kind.startsWith(kind)) tag.compact = true;
  }
  return tags;
}

function personCard(node: GraphNode, marks: CardMarks | undefined, risk: DealRisk): HTMLElement {
  const look = stanceLook(node);
  const seat = seatLine(node);
  const departure = risk.departure(node.id);
  const classes = ["card", "person", `stance-${node.role ? (node.stance ?? "UNKNOWN").toLowerCase() : "unseated"}`];
  if (node.isApprover) classes.push("approver");
  if (!node.role) classes.push("unseated");
  if (departure?.left) classes.push("departed");
  const tags = cardTags(node, risk);
  // the button's name is its visible text (with commas and "approver" for screen readers)
  const main = h(
    "button",
    { type: "button", class: "card-main", tabindex: -1 },
    h(
      "span",
      { class: "card-name" },
      departure?.left ? h("s", {}, node.label) : node.label,
      departure?.left ? h("span", { class: "visually-hidden" }, " (left)") : null,
      h("span", { class: "visually-hidden" }, ","),
    ),
    departure
      ? h("span", { class: "card-title card-departure" }, departureText(departure), h("span", { class: "visually-hidden" }, `, ${node.title ?? ""},`))
      : h("span", { class: "card-title" }, node.title ?? lower(node.seniority) ?? "", h("span", { class: "visually-hidden" }, ",")),
    h(
      "span",
      { class: "card-seat" },
      node.isApprover ? icon("approver", "icon approver-mark") : null,
      node.isApprover ? h("span", { class: "visually-hidden" }, "approver: ") : null,
      seat,
      h("span", { class: "visually-hidden" }, ","),
    ),
    h("span", { class: "card-stance" }, icon(look.icon), node.role ? look.label : node.department ?? ""),
    tags.length || node.veto
      ? h(
          "span",
          { class: "card-tags" },
          ...tags.map((tag) =>
            h(
              "span",
              { class: `tag tag-${tag.kind}${tag.compact ? " compact" : ""}` },
              h("span", { class: "visually-hidden" }, `, ${tag.spoken}`),
              h("span", { class: "tag-face", "aria-hidden": "true" }, tag.icon ? icon(tag.icon) : null, tag.compact ? (tag.short ?? null) : tag.text),
            ),
          ),
          node.veto ? h("span", { class: "tag veto" }, h("span", { class: "visually-hidden" }, ", "), "veto") : null,
        )
      : null,
  );
  const card = h("div", { class: classes.join(" "), "data-id": node.id, style: `--stance:${look.colour};--card-bg:${look.background}` }, main);
  const badges = h("div", { class: "card-badges" });
  if (marks && marks.hidden > 0) {
    badges.append(
      h(
        "button",
        { type: "button", class: "card-more", tabindex: -1, title: `Show ${marks.hidden} more people connected to ${node.label}`, "aria-label": `Show ${marks.hidden} more people connected to ${node.label}` },
        `+${marks.hidden}`,
      ),
    );
  }
  if (marks?.branch) {
    const { count, folded } = marks.branch;
    const text = folded ? `Show ${count} below ${node.label}` : `Hide ${count} below ${node.label}`;
    badges.append(h("button", { type: "button", class: "card-fold", tabindex: -1, title: text, "aria-label": text, "aria-expanded": String(!folded) }, folded ? `▸${count}` : `▾${count}`));
  }
  if (badges.childElementCount) card.append(badges);
  return card;
}

function alternativeCard(node: GraphNode): HTMLElement {
  const look = ALTERNATIVE_LOOK[node.alternativeKind ?? ""] ?? { label: lower(node.alternativeKind), icon: "competitor", colour: "#555555" };
  return h(
    "div",
    { class: `card alternative alt-${(node.alternativeKind ?? "").toLowerCase()}`, "data-id": node.id, style: `--stance:${look.colour}` },
    h(
      "button",
      { type: "button", class: "card-main", tabindex: -1 },
      h("span", { class: "card-name" }, icon(look.icon), node.label, h("span", { class: "visually-hidden" }, ", alternative:")),
      h("span", { class: "card-stance" }, look.label),
    ),
  );
}

function nodeTooltip(node: GraphNode | undefined): string[] {
  if (!node) return [];
  if (node.kind === "Alternative") return [node.label, `Alternative: ${lower(node.alternativeKind)}`];
  const lines = [node.label];
  const job = [node.title, node.department].filter(Boolean).join(", ");
  if (job) lines.push(job);
  if (node.seniority) lines.push(`Seniority: ${lower(node.seniority)}`);
  if (node.role) {
    lines.push(`Seat: ${roleLabel(node.role)}, ${stanceLook(node).label.toLowerCase()}`);
    const extra = [node.isApprover ? "approver" : "", node.veto ? "has a veto" : "", node.voteWeight != null && node.voteWeight !== 1 ? `vote weight ${node.voteWeight}` : ""].filter(Boolean);
    if (extra.length) lines.push(extra.join(" · "));
  } else lines.push("Not on this committee");
  return lines;
}

/** What the plan says about a person: the champion test, how much they decide, staleness, departure. */
function riskTooltip(id: string, risk: DealRisk): string[] {
  const lines: string[] = [];
  const departure = risk.departure(id);
  if (departure) lines.push(`${departureText(departure)}.`);
  const verdict = risk.verdict(id);
  if (verdict) lines.push(`Champion test: ${verdictLook(verdict.verdict).label}. ${verdict.explanation}`);
  const a = risk.approver(id);
  if (a?.criticality != null) {
    lines.push(`Criticality ${crit(a.criticality)}${a.criticalityWithPlan != null ? ` (${crit(a.criticalityWithPlan)} with the plan)` : ""}${a.criticalityExplanation ? `: ${a.criticalityExplanation}` : ""}`);
  }
  if (a?.singleThreaded) lines.push(`Single thread: ${a.singleThreadExplanation ?? (a.keyPeople ?? []).map((p) => p.name).join(", ")}`);
  for (const fact of risk.staleAbout(id)) lines.push(`Stale: ${fact.warning}`);
  return lines;
}

function lineRiskTooltip(edge: GraphEdge, risk: DealRisk): string[] {
  const lines: string[] = [];
  const stale = risk.staleLine(edge.kind, edge.source, edge.target);
  if (stale) lines.push(`Stale: ${stale.warning}`);
  if ([edge.source, edge.target].some((id) => risk.departure(id)?.left)) lines.push("Someone on this line has left: the plan no longer counts it.");
  return lines;
}

function edgeTooltip(edge: GraphEdge, name: (id: string) => string, details: EdgeDetails | null | "loading"): string[] {
  const from = name(edge.source);
  const to = name(edge.target);
  const strength = edge.weight == null ? "" : ` (strength ${edge.weight.toFixed(2)})`;
  const known = details === "loading" || details === null ? null : details;
  const evidence = known?.evidence ? [`Evidence: ${known.evidence}`] : [];
  switch (edge.kind) {
    case "INFLUENCES": {
      const topics = details === "loading" ? "…" : known?.topics.length ? known.topics.map(lower).join(", ") : "all topics";
      return [`${from} influences ${to}${strength}`, `Topics: ${topics}`, ...evidence];
    }
    case "CONFLICTS_WITH":
      return [`${from} conflicts with ${to}${strength}`, ...evidence];
    case "ADVOCATES_FOR":
      return [`${from} advocates for ${to}${strength}`, ...evidence];
    case "REPORTS_TO":
      return [`${from} reports to ${to}`];
    default:
      return [`${from} → ${to}: ${edge.kind}`];
  }
}
