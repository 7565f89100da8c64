// Where cards go: every card sits in a cell of one regular grid (people in rows 0…, the
// alternatives in a shorter row above them). Cards never overlap, and the gaps between rows
// and columns form clear channels that edges are routed through (router.ts), so an edge
// never passes under a card. Cells, not pixels, are what is saved and what a drag snaps to.

import type { AccountModel } from "./model";
import type { CoachingPlan } from "./types";

export const CARD_W = 172;
export const CARD_H = 84;
export const ALT_H = 44;
export const GAP_X = 30;
export const GAP_Y = 32;
export const CELL_W = CARD_W + GAP_X;
export const CELL_H = CARD_H + GAP_Y;
/** The alternatives' row, above the people. */
export const ALT_ROW = -1;

export interface Cell {
  col: number;
  row: number;
}

export const cellKey = (cell: Cell): string => `${cell.col},${cell.row}`;

export function rowHeight(row: number): number {
  return row === ALT_ROW ? ALT_H : CARD_H;
}

export function rowCentre(row: number): number {
  if (row >= 0) return row * CELL_H;
  return -(CARD_H / 2 + GAP_Y + ALT_H / 2) + (row + 1) * (ALT_H + GAP_Y);
}

export const rowTop = (row: number): number => rowCentre(row) - rowHeight(row) / 2;
export const rowBottom = (row: number): number => rowCentre(row) + rowHeight(row) / 2;
export const colCentre = (col: number): number => col * CELL_W;

export function centre(cell: Cell): { x: number; y: number } {
  return { x: colCentre(cell.col), y: rowCentre(cell.row) };
}

/** Model width and height of a grid of `columns` × `rows` people plus the alternatives' row. */
export function extent(columns: number, rows: number, alternatives: number): { w: number; h: number } {
  const w = Math.max(columns, alternatives, 1) * CELL_W - GAP_X;
  const h = Math.max(rows, 1) * CELL_H - GAP_Y + (alternatives > 0 ? ALT_H + GAP_Y : 0);
  return { w, h };
}

/** The number of columns that shows `count` people largest in a `width` × `height` view. */
export function chooseColumns(count: number, alternatives: number, width: number, height: number): number {
  let best = 1;
  let bestZoom = 0;
  for (let columns = 1; columns <= Math.max(count, 1); columns += 1) {
    const { w, h } = extent(columns, Math.ceil(count / columns), alternatives);
    const zoom = Math.min(width / w, height / h);
    if (zoom > bestZoom + 1e-9) {
      best = columns;
      bestZoom = zoom;
    }
  }
  return best;
}

const ROLE_ORDER = [
  "ECONOMIC_BUYER",
  "APPROVER",
  "DECISION_MAKER",
  "TECHNICAL_EVALUATOR",
  "USER_BUYER",
  "INFLUENCER",
  "GATEKEEPER",
  "PROCUREMENT",
  "LEGAL",
];

const SENIORITY_ORDER = ["IC", "MANAGER", "DIRECTOR", "VP", "C_LEVEL"];

/**
 * The reading order of the opening view: approvers first (they decide), then the people the
 * plan relays through, then the champions who carry it, then the rest of the committee, then
 * anyone else. Filled row by row, approvers land on top and plans flow upwards.
 */
export function readingOrder(model: AccountModel, plan: CoachingPlan | null, ids: Iterable<string>): string[] {
  const wanted = new Set(ids);
  const relays: string[] = [];
  for (const play of plan?.plan ?? []) {
    for (const step of play.path.slice(1, -1)) if (!relays.includes(step.id)) relays.push(step.id);
  }
  const band = (id: string): number => {
    const node = model.node(id);
    if (!node) return 9;
    if (node.isApprover) return 0;
    if (relays.includes(id) && !node.isChampion) return 1;
    if (node.isChampion) return 2;
    if (node.role) return 3;
    return 4;
  };
  const depths = new Map<string, number>();
  const depth = (id: string): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    let level = 0;
    let current = id;
    const seen = new Set([id]);
    for (;;) {
      const manager = model.managersOf(current)[0];
      if (!manager || seen.has(manager)) break;
      seen.add(manager);
      current = manager;
      level += 1;
    }
    depths.set(id, level);
    return level;
  };
  const roleRank = (id: string): number => {
    const role = model.node(id)?.role;
    return role ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length;
  };
  return [...wanted].sort((a, b) => {
    const byBand = band(a) - band(b);
    if (byBand) return byBand;
    if (band(a) === 1) return relays.indexOf(a) - relays.indexOf(b);
    const byRole = roleRank(a) - roleRank(b);
    if (byRole) return byRole;
    if (band(a) === 4) {
      // the rest of the organisation: higher in the org chart first, then by department,
      // senior people first
      const byDepth = depth(a) - depth(b);
      if (byDepth) return byDepth;
      const [na, nb] = [model.node(a), model.node(b)];
      const byDepartment = (na?.department ?? "~").localeCompare(nb?.department ?? "~");
      if (byDepartment) return byDepartment;
      const bySeniority = SENIORITY_ORDER.indexOf(nb?.seniority ?? "") - SENIORITY_ORDER.indexOf(na?.seniority ?? "");
      if (bySeniority) return bySeniority;
    }
    const stance = (id: string): number => (model.node(id)?.stance === "CHAMPION" ? 0 : 1);
    return stance(a) - stance(b) || model.name(a).localeCompare(model.name(b)) || a.localeCompare(b);
  });
}

/**
 * Cells for a fresh layout: people row by row in `order`, each row after the first sorted by
 * where its people's connections above sit (fewer long edges); alternatives centred on top.
 */
export function freshCells(
  model: AccountModel,
  order: string[],
  alternatives: string[],
  columns: number,
): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  const rows: string[][] = [];
  order.forEach((id, i) => {
    const row = Math.floor(i / columns);
    (rows[row] ??= []).push(id);
  });
  rows.forEach((members, row) => {
    let sorted = members;
    if (row > 0) {
      const pull = (id: string): number => {
        const above = model
          .neighbours(id)
          .map((n) => cells.get(n))
          .filter((c): c is Cell => c !== undefined);
        return above.length ? above.reduce((s, c) => s + c.col, 0) / above.length : Number.NaN;
      };
      const scored = members.map((id, i) => ({ id, i, pull: pull(id) }));
      sorted = scored
        .sort((a, b) => (Number.isNaN(a.pull) || Number.isNaN(b.pull) ? a.i - b.i : a.pull - b.pull || a.i - b.i))
        .map((s) => s.id);
    }
    const offset = Math.floor((columns - sorted.length) / 2) * (row === rows.length - 1 ? 1 : 0);
    sorted.forEach((id, col) => cells.set(id, { col: col + offset, row }));
  });
  const altOffset = Math.floor((columns - alternatives.length) / 2);
  alternatives.forEach((id, i) => cells.set(id, { col: i + Math.max(altOffset, 0), row: ALT_ROW }));
  return cells;
}

/** The free people cell nearest `anchor` (rows ≥ 0), nearer rings first, below before above. */
export function freeCellNear(anchor: Cell, taken: Set<string>): Cell {
  if (anchor.row >= 0 && !taken.has(cellKey(anchor))) return anchor;
  for (let ring = 1; ring < 10_000; ring += 1) {
    const ringCells: Cell[] = [];
    for (let dr = -ring; dr <= ring; dr += 1) {
      for (let dc = -ring; dc <= ring; dc += 1) {
        if (Math.max(Math.abs(dr), Math.abs(dc)) !== ring) continue;
        const cell = { col: anchor.col + dc, row: anchor.row + dr };
        if (cell.row >= 0) ringCells.push(cell);
      }
    }
    ringCells.sort((a, b) => {
      const da = Math.abs(a.col - anchor.col) + Math.abs(a.row - anchor.row);
      const db = Math.abs(b.col - anchor.col) + Math.abs(b.row - anchor.row);
      return da - db || b.row - a.row || a.col - b.col;
    });
    const free = ringCells.find((c) => !taken.has(cellKey(c)));
    if (free) return free;
  }
  throw new Error("no free cell");
}

/** The cell a point in model coordinates falls in (or is nearest to). */
export function cellAt(x: number, y: number, alternativesRow: boolean): Cell {
  const col = Math.round(x / CELL_W);
  if (alternativesRow) return { col, row: ALT_ROW };
  return { col, row: Math.max(0, Math.round(y / CELL_H)) };
}
