// Who is on the map and where: the committee and the plan's people first, then whoever the
// seller adds (a person's neighbourhood, a search hit, a path) or folds away (an org branch),
// or everyone at once. Arrangement and viewport are saved per account and opportunity.

import { ALT_ROW, cellKey, chooseColumns, freeCellNear, freshCells, readingOrder, type Cell } from "./grid";
import type { CardMarks, CommitteeMap } from "./map";
import type { AccountModel } from "./model";
import { cellsFrom, cellsTo, emptyOpportunityView, type OpportunityView } from "./storage";
import type { CoachingPlan } from "./types";

export class MapView {
  private model: AccountModel | null = null;
  private plan: CoachingPlan | null = null;
  private hasOpportunity = false;
  private state: OpportunityView = emptyOpportunityView();
  private cells = new Map<string, Cell>();
  private visible: string[] = [];

  constructor(
    private readonly map: CommitteeMap,
    private readonly size: () => { width: number; height: number },
    private readonly save: (state: OpportunityView) => void,
  ) {}

  /** Shows an account (after a load or a reload from the server); keeps the saved arrangement. */
  open(model: AccountModel, plan: CoachingPlan | null, hasOpportunity: boolean, saved: OpportunityView, restoreViewport: boolean): void {
    this.model = model;
    this.plan = plan;
    this.hasOpportunity = hasOpportunity;
    this.state = { ...emptyOpportunityView(), ...saved };
    this.draw();
    if (restoreViewport && this.state.viewport) this.map.restoreViewport(this.state.viewport);
    else this.map.fit();
    this.persist();
  }

  /** Replaces the data but keeps the view (after an edit). */
  refresh(model: AccountModel, plan: CoachingPlan | null): void {
    this.model = model;
    this.plan = plan;
    const viewport = this.map.viewport();
    this.draw();
    this.map.restoreViewport(viewport);
  }

  get everyone(): boolean {
    return this.state.everyone;
  }

  isShown(id: string): boolean {
    return this.visible.includes(id);
  }

  shownIds(): string[] {
    return [...this.visible];
  }

  /** People connected to `id` who are not on the map. */
  hiddenNeighbours(id: string): string[] {
    if (!this.model) return [];
    const shown = new Set(this.visible);
    return this.model.neighbours(id).filter((n) => !shown.has(n));
  }

  /** The org branch below `id`: how many, and whether it is folded away. */
  branchState(id: string): { count: number; folded: boolean } | null {
    if (!this.model) return null;
    const folded = this.state.folded[id];
    if (folded) return { count: folded.length, folded: true };
    const shown = new Set(this.visible);
    const below = this.model.branch(id).filter((p) => shown.has(p)).length;
    return below > 0 ? { count: below, folded: false } : null;
  }

  /** Adds people (a neighbourhood, a search hit, a path) next to `anchor` and draws them. */
  add(ids: string[], anchor: string | null): string[] {
    if (!this.model) return [];
    const model = this.model;
    const added = ids.filter((id) => model.isPerson(id) && !this.visible.includes(id));
    for (const list of Object.values(this.state.folded)) {
      for (const id of ids) {
        const at = list.indexOf(id);
        if (at >= 0) list.splice(at, 1);
      }
    }
    for (const id of added) if (!this.state.shown.includes(id)) this.state.shown.push(id);
    if (anchor) {
      const taken = new Set([...this.cells.values()].map(cellKey));
      const from = this.cells.get(anchor) ?? { col: 0, row: 0 };
      const store = this.state.everyone ? this.state.everyoneCells : this.state.cells;
      for (const id of added) {
        if (store[id]) continue;
        const cell = freeCellNear(from, taken);
        taken.add(cellKey(cell));
        store[id] = [cell.col, cell.row];
      }
    }
    this.draw();
    this.persist();
    return added;
  }

  expand(id: string): string[] {
    return this.add(this.hiddenNeighbours(id), id);
  }

  toggleBranch(id: string): void {
    if (!this.model) return;
    if (this.state.folded[id]) delete this.state.folded[id];
    else {
      const shown = new Set(this.visible);
      this.state.folded[id] = this.model.branch(id).filter((p) => shown.has(p));
    }
    this.draw();
    this.persist();
  }

  setEveryone(everyone: boolean): void {
    this.state.everyone = everyone;
    this.draw();
    this.map.fit();
    this.persist();
  }

  /** Lays the current people out afresh for this screen (forgets hand placement). */
  relayout(): void {
    if (this.state.everyone) this.state.everyoneCells = {};
    else this.state.cells = {};
    this.cells = new Map();
    this.draw();
    this.map.fit();
    this.persist();
  }

  /** Back to the committee and the plan's people only. */
  reset(): void {
    this.state = emptyOpportunityView();
    this.draw();
    this.map.fit();
    this.persist();
  }

  /** The map moved or a card was dragged: remember it. */
  persist(): void {
    this.keepCells();
    this.state.viewport = this.map.viewport();
    this.save(this.state);
  }

  private keepCells(): void {
    const store = cellsTo(this.cells);
    if (this.state.everyone) this.state.everyoneCells = { ...this.state.everyoneCells, ...store };
    else this.state.cells = { ...this.state.cells, ...store };
  }

  private draw(): void {
    const model = this.model;
    if (!model) return;
    const folded = new Set(Object.values(this.state.folded).flat());
    const people = this.state.everyone
      ? model.people.map((p) => p.id)
      : [...new Set([...model.focus(this.plan, this.hasOpportunity), ...this.state.shown])];
    const shownPeople = people.filter((id) => model.isPerson(id) && !folded.has(id));
    const alternatives = this.hasOpportunity ? model.alternatives.map((a) => a.id) : [];
    this.visible = shownPeople;
    this.cells = this.placeAll(shownPeople, alternatives);
    this.keepCells();
    const marks = new Map<string, CardMarks>();
    for (const id of shownPeople) {
      marks.set(id, { hidden: this.hiddenNeighbours(id).length, branch: this.branchState(id) });
    }
    this.map.show(model, [...shownPeople, ...alternatives], this.cells, marks);
  }

  /** Saved cells where still valid; a fresh layout when nothing is placed; the rest near kin. */
  private placeAll(people: string[], alternatives: string[]): Map<string, Cell> {
    const model = this.model as AccountModel;
    const saved = cellsFrom(this.state.everyone ? this.state.everyoneCells : this.state.cells);
    const cells = new Map<string, Cell>();
    const taken = new Set<string>();
    for (const id of [...people, ...alternatives]) {
      const cell = saved.get(id);
      const altRow = alternatives.includes(id);
      if (!cell || (cell.row === ALT_ROW) !== altRow || taken.has(cellKey(cell))) continue;
      cells.set(id, cell);
      taken.add(cellKey(cell));
    }
    const placedPeople = people.filter((id) => cells.has(id)).length;
    if (placedPeople === 0) {
      const { width, height } = this.size();
      const columns = chooseColumns(people.length, alternatives.length, width, height);
      return freshCells(model, readingOrder(model, this.plan, people), alternatives, columns);
    }
    for (const id of readingOrder(model, this.plan, people)) {
      if (cells.has(id)) continue;
      const kin = model.neighbours(id).find((n) => cells.has(n));
      const anchor = kin ? (cells.get(kin) as Cell) : lowestRow(cells);
      const cell = freeCellNear(anchor, taken);
      cells.set(id, cell);
      taken.add(cellKey(cell));
    }
    const altCols = [...cells.values()].filter((c) => c.row >= 0).map((c) => c.col);
    let next = altCols.length ? Math.min(...altCols) : 0;
    for (const id of alternatives) {
      if (cells.has(id)) continue;
      while (taken.has(cellKey({ col: next, row: ALT_ROW }))) next += 1;
      const cell = { col: next, row: ALT_ROW };
      cells.set(id, cell);
      taken.add(cellKey(cell));
    }
    return cells;
  }
}

function lowestRow(cells: Map<string, Cell>): Cell {
  let row = 0;
  let col = 0;
  for (const cell of cells.values()) {
    if (cell.row > row) {
      row = cell.row;
      col = cell.col;
    }
  }
  return { col, row: row + 1 };
}
