// What the seller arranged, kept in this browser per account (localStorage): where each card
// sits, who was added to or folded out of the view, the zoom, map or list, and the list's sort.
// Nothing here is data from the server beyond ids; a reload rebuilds the same view.

import type { Cell } from "./grid";

export interface OpportunityView {
  /** Cards' cells by id; people not listed are placed fresh. */
  cells: Record<string, [number, number]>;
  /** The same for the view of everyone (its own arrangement). */
  everyoneCells: Record<string, [number, number]>;
  /** People added beyond the committee (expanded, searched, revealed by a path). */
  shown: string[];
  /** People hidden by folding a branch, by the manager whose branch it is. */
  folded: Record<string, string[]>;
  everyone: boolean;
  viewport: { zoom: number; pan: { x: number; y: number } } | null;
}

export interface AccountView {
  mode: "map" | "list";
  hiddenKinds: string[];
  listSort: { key: string; descending: boolean };
  listScope: "committee" | "shown" | "everyone";
  /** Per opportunity id ("" for the org map without one). */
  opportunities: Record<string, OpportunityView>;
}

const PREFIX = "flagbearer.explorer.v1.";

export function emptyOpportunityView(): OpportunityView {
  return { cells: {}, everyoneCells: {}, shown: [], folded: {}, everyone: false, viewport: null };
}

export function emptyAccountView(): AccountView {
  return { mode: "map", hiddenKinds: [], listSort: { key: "risk", descending: false }, listScope: "committee", opportunities: {} };
}

export function loadAccountView(accountId: string): AccountView {
  try {
    const raw = localStorage.getItem(PREFIX + accountId);
    if (!raw) return emptyAccountView();
    const parsed = JSON.parse(raw) as Partial<AccountView>;
    return { ...emptyAccountView(), ...parsed, opportunities: parsed.opportunities ?? {} };
  } catch {
    return emptyAccountView();
  }
}

export function saveAccountView(accountId: string, view: AccountView): void {
  try {
    localStorage.setItem(PREFIX + accountId, JSON.stringify(view));
  } catch {
    // storage full or disabled: the view simply will not survive a reload
  }
}

export function cellsFrom(saved: Record<string, [number, number]>): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const [id, [col, row]] of Object.entries(saved)) cells.set(id, { col, row });
  return cells;
}

export function cellsTo(cells: Map<string, Cell>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const [id, cell] of cells) out[id] = [cell.col, cell.row];
  return out;
}
