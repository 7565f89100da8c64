// Edge routing on the card grid (grid.ts): orthogonal lines that travel only through the
// channels between rows and columns, so no edge ever passes under a card.
//
// - Two cards side by side in one row are joined by a straight line across the gap between them.
// - Otherwise an edge leaves its source through the top or bottom (towards the target), runs
//   along the channel next to it, turns into the column channel next to the target if the
//   target is further than one row away, runs along the channel next to the target and enters it.
// - Edges sharing a channel get separate lanes where their runs overlap (an edge is never drawn
//   on top of another), and each side of a card spreads its edges' ends apart (two edges
//   between the same two people, one each way, are two distinct lines).

import { CARD_W, GAP_X, GAP_Y, colCentre, rowBottom, rowHeight, rowTop, type Cell } from "./grid";

export interface RouteEdge {
  id: string;
  source: string;
  target: string;
}

export type Point = [number, number];

export interface Route {
  /** Ends relative to the card centres. */
  sourceOffset: Point;
  targetOffset: Point;
  /** Bends between the two ends, in model coordinates. */
  points: Point[];
}

type Side = "top" | "bottom" | "left" | "right";

interface Attachment {
  edge: string;
  end: "source" | "target";
  /** Where the line heads after leaving the side: sorts ends to avoid crossings. */
  toward: number;
  /** Side-by-side lines: the pair and edge, so both ends sit at the same height. */
  pair?: string;
}

interface Plan {
  edge: RouteEdge;
  u: Cell;
  v: Cell;
  uSide: Side;
  vSide: Side;
  /** Horizontal channel next to the source (index: the row above it) and next to the target. */
  gu: number;
  gv: number;
  /** Column channel (index: the column left of it), when the edge needs one. */
  vg: number | null;
}

interface Run {
  edge: string;
  leg: number;
  from: number;
  to: number;
}

const PORT_MARGIN_X = 18;
const PORT_MARGIN_Y = 14;
const MAX_LANE_SPACING = 5;
const LANE_MARGIN = 4;

/** The y of horizontal channel `g`, the gap between row g and row g + 1. */
function channelY(g: number): number {
  return (rowBottom(g) + rowTop(g + 1)) / 2;
}

/** The x of column channel `c`, the gap between column c and column c + 1. */
function channelX(c: number): number {
  return colCentre(c) + (CARD_W + GAP_X) / 2;
}

export function route(cells: Map<string, Cell>, edges: RouteEdge[]): Map<string, Route> {
  const plans: Plan[] = [];
  const sides = new Map<string, Attachment[]>();
  const attach = (node: string, side: Side, attachment: Attachment): void => {
    const key = `${node}|${side}`;
    const list = sides.get(key);
    if (list) list.push(attachment);
    else sides.set(key, [attachment]);
  };

  for (const edge of edges) {
    const u = cells.get(edge.source);
    const v = cells.get(edge.target);
    if (!u || !v || (u.col === v.col && u.row === v.row)) continue;
    if (u.row === v.row && Math.abs(u.col - v.col) === 1) {
      const rightward = v.col > u.col;
      const plan: Plan = { edge, u, v, uSide: rightward ? "right" : "left", vSide: rightward ? "left" : "right", gu: 0, gv: 0, vg: null };
      plans.push(plan);
      // both ends of a pair's lines take the same place on facing sides: sorted by the pair
      const pair = `${[edge.source, edge.target].sort().join("|")}|${edge.id}`;
      attach(edge.source, plan.uSide, { edge: edge.id, end: "source", toward: 0, pair });
      attach(edge.target, plan.vSide, { edge: edge.id, end: "target", toward: 0, pair });
      continue;
    }
    const up = v.row < u.row;
    const uSide: Side = up ? "top" : "bottom";
    const vSide: Side = v.row > u.row ? "top" : "bottom";
    const gu = up ? u.row - 1 : u.row;
    const gv = vSide === "bottom" ? v.row : v.row - 1;
    let vg: number | null = null;
    if (gu !== gv) vg = v.col > u.col ? v.col - 1 : v.col < u.col ? v.col : u.col;
    plans.push({ edge, u, v, uSide, vSide, gu, gv, vg });
    const uToward = vg === null ? colCentre(v.col) : channelX(vg);
    const vToward = vg === null ? colCentre(u.col) : channelX(vg);
    attach(edge.source, uSide, { edge: edge.id, end: "source", toward: uToward });
    attach(edge.target, vSide, { edge: edge.id, end: "target", toward: vToward });
  }

  // ends spread along each side
  const offsets = new Map<string, number>();
  for (const [key, list] of sides) {
    const side = key.slice(key.lastIndexOf("|") + 1) as Side;
    const node = key.slice(0, key.lastIndexOf("|"));
    const cell = cells.get(node);
    if (!cell) continue;
    const horizontal = side === "top" || side === "bottom";
    const length = horizontal ? CARD_W - 2 * PORT_MARGIN_X : rowHeight(cell.row) - 2 * PORT_MARGIN_Y;
    const sorted = horizontal
      ? [...list].sort((a, b) => a.toward - b.toward || a.edge.localeCompare(b.edge))
      : [...list].sort((a, b) => (a.pair ?? a.edge).localeCompare(b.pair ?? b.edge));
    sorted.forEach((a, i) => {
      offsets.set(`${a.edge}|${a.end}`, -length / 2 + (length * (i + 0.5)) / sorted.length);
    });
  }

  const endOf = (plan: Plan, end: "source" | "target"): { offset: Point; x: number; y: number } => {
    const cell = end === "source" ? plan.u : plan.v;
    const side = end === "source" ? plan.uSide : plan.vSide;
    const along = offsets.get(`${plan.edge.id}|${end}`) ?? 0;
    const h = rowHeight(cell.row);
    const offset: Point =
      side === "top" ? [along, -h / 2] : side === "bottom" ? [along, h / 2] : side === "left" ? [-CARD_W / 2, along] : [CARD_W / 2, along];
    const cx = colCentre(cell.col);
    const cy = (rowTop(cell.row) + rowBottom(cell.row)) / 2;
    return { offset, x: cx + offset[0], y: cy + offset[1] };
  };

  // runs along channels, then lanes where runs overlap
  const hRuns = new Map<number, Run[]>();
  const vRuns = new Map<number, Run[]>();
  const addRun = (map: Map<number, Run[]>, channel: number, run: Run): void => {
    const list = map.get(channel);
    if (list) list.push(run);
    else map.set(channel, [run]);
  };
  const ends = new Map<string, { s: ReturnType<typeof endOf>; t: ReturnType<typeof endOf> }>();
  for (const plan of plans) {
    const s = endOf(plan, "source");
    const t = endOf(plan, "target");
    ends.set(plan.edge.id, { s, t });
    if (plan.uSide === "left" || plan.uSide === "right") continue;
    if (plan.vg === null) {
      addRun(hRuns, plan.gu, { edge: plan.edge.id, leg: 0, from: Math.min(s.x, t.x), to: Math.max(s.x, t.x) });
      continue;
    }
    const x = channelX(plan.vg);
    const pad = GAP_X / 2;
    addRun(hRuns, plan.gu, { edge: plan.edge.id, leg: 0, from: Math.min(s.x, x) - pad, to: Math.max(s.x, x) + pad });
    addRun(hRuns, plan.gv, { edge: plan.edge.id, leg: 2, from: Math.min(t.x, x) - pad, to: Math.max(t.x, x) + pad });
    const y1 = channelY(plan.gu);
    const y2 = channelY(plan.gv);
    addRun(vRuns, plan.vg, { edge: plan.edge.id, leg: 1, from: Math.min(y1, y2) - GAP_Y / 2, to: Math.max(y1, y2) + GAP_Y / 2 });
  }
  const hLane = lanes(hRuns, channelY, GAP_Y);
  const vLane = lanes(vRuns, channelX, GAP_X);

  const routes = new Map<string, Route>();
  for (const plan of plans) {
    const { s, t } = ends.get(plan.edge.id) as { s: ReturnType<typeof endOf>; t: ReturnType<typeof endOf> };
    const points: Point[] = [];
    if (plan.uSide === "top" || plan.uSide === "bottom") {
      const y1 = hLane.get(`${plan.edge.id}|0`) ?? channelY(plan.gu);
      if (plan.vg === null) {
        points.push([s.x, y1], [t.x, y1]);
      } else {
        const x = vLane.get(`${plan.edge.id}|1`) ?? channelX(plan.vg);
        const y2 = hLane.get(`${plan.edge.id}|2`) ?? channelY(plan.gv);
        points.push([s.x, y1], [x, y1], [x, y2], [t.x, y2]);
      }
    }
    routes.set(plan.edge.id, { sourceOffset: s.offset, targetOffset: t.offset, points });
  }
  return routes;
}

/** Greedy interval colouring per channel: overlapping runs get different lanes. */
function lanes(runs: Map<number, Run[]>, centreOf: (channel: number) => number, gap: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [channel, list] of runs) {
    const sorted = [...list].sort((a, b) => a.from - b.from || b.to - a.to || a.edge.localeCompare(b.edge));
    const laneEnds: number[] = [];
    const laneOf = new Map<Run, number>();
    for (const run of sorted) {
      let lane = laneEnds.findIndex((end) => end < run.from);
      if (lane < 0) {
        lane = laneEnds.length;
        laneEnds.push(run.to);
      } else laneEnds[lane] = run.to;
      laneOf.set(run, lane);
    }
    const count = laneEnds.length;
    const spacing = Math.min(MAX_LANE_SPACING, (gap - 2 * LANE_MARGIN) / Math.max(count, 1));
    const centre = centreOf(channel);
    for (const [run, lane] of laneOf) {
      out.set(`${run.edge}|${run.leg}`, centre + (lane - (count - 1) / 2) * spacing);
    }
  }
  return out;
}
