// The loaded account held in memory with the indexes the views need: who is connected to
// whom, the org chart both ways, the committee, the plan's paths, and search by name or title.
// Only what is shown goes to the map; the rest stays here, one click away.

import type { AccountGraph, CoachingPlan, GraphEdge, GraphNode } from "./types";

export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export class AccountModel {
  readonly nodes = new Map<string, GraphNode>();
  readonly people: GraphNode[];
  readonly alternatives: GraphNode[];
  readonly edges: GraphEdge[];
  private readonly touching = new Map<string, GraphEdge[]>();
  private readonly managers = new Map<string, string[]>();
  private readonly reports = new Map<string, string[]>();
  private readonly searchText = new Map<string, string>();

  constructor(readonly graph: AccountGraph) {
    for (const node of graph.nodes) this.nodes.set(node.id, node);
    this.people = graph.nodes.filter((n) => n.kind === "Stakeholder");
    this.alternatives = graph.nodes.filter((n) => n.kind === "Alternative");
    this.edges = graph.edges.filter((e) => this.nodes.has(e.source) && this.nodes.has(e.target));
    for (const edge of this.edges) {
      for (const end of [edge.source, edge.target]) {
        const list = this.touching.get(end);
        if (list) list.push(edge);
        else this.touching.set(end, [edge]);
      }
      if (edge.kind === "REPORTS_TO") {
        push(this.managers, edge.source, edge.target);
        push(this.reports, edge.target, edge.source);
      }
    }
    for (const person of this.people) {
      this.searchText.set(person.id, fold([person.label, person.title ?? "", person.department ?? ""].join(" ")));
    }
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }

  name(id: string): string {
    return this.nodes.get(id)?.label ?? "someone no longer on the map";
  }

  isPerson(id: string): boolean {
    return this.nodes.get(id)?.kind === "Stakeholder";
  }

  edgesOf(id: string): GraphEdge[] {
    return this.touching.get(id) ?? [];
  }

  /** People one edge away (any kind), the person excluded. */
  neighbours(id: string): string[] {
    const out = new Set<string>();
    for (const edge of this.edgesOf(id)) {
      const other = edge.source === id ? edge.target : edge.source;
      if (other !== id && this.isPerson(other)) out.add(other);
    }
    return [...out];
  }

  managersOf(id: string): string[] {
    return this.managers.get(id) ?? [];
  }

  directReports(id: string): string[] {
    return this.reports.get(id) ?? [];
  }

  /** Everyone below `id` in the org chart (cycles in bad data are tolerated). */
  branch(id: string): string[] {
    const seen = new Set<string>([id]);
    const queue = [...this.directReports(id)];
    const out: string[] = [];
    while (queue.length) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      out.push(next);
      queue.push(...this.directReports(next));
    }
    return out;
  }

  committee(): GraphNode[] {
    return this.people.filter((p) => p.role !== null);
  }

  /**
   * Who the map opens on: the committee and everyone on the plan's paths; without an
   * opportunity, the top of the org chart (people without a manager and their reports).
   */
  focus(plan: CoachingPlan | null, hasOpportunity: boolean): string[] {
    const ids = new Set<string>();
    if (hasOpportunity) {
      for (const person of this.committee()) ids.add(person.id);
      for (const play of plan?.plan ?? []) for (const step of play.path) if (this.isPerson(step.id)) ids.add(step.id);
      return [...ids];
    }
    const roots = this.people.filter((p) => this.managersOf(p.id).length === 0);
    for (const root of roots) {
      ids.add(root.id);
      for (const report of this.directReports(root.id)) if (ids.size < 40) ids.add(report);
      if (ids.size >= 40) break;
    }
    return [...ids];
  }

  /** Up to `limit` people whose name, title or department holds every word of `query`. */
  search(query: string, limit = 12): GraphNode[] {
    const words = fold(query).split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const scored: { node: GraphNode; score: number }[] = [];
    for (const person of this.people) {
      const text = this.searchText.get(person.id) ?? "";
      if (!words.every((w) => text.includes(w))) continue;
      const name = fold(person.label);
      const score = name.startsWith(words[0]) ? 0 : name.includes(words[0]) ? 1 : 2;
      scored.push({ node: person, score });
    }
    scored.sort((a, b) => a.score - b.score || a.node.label.localeCompare(b.node.label));
    return scored.slice(0, limit).map((s) => s.node);
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
