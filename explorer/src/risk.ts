// Deal risk as the plan reports it (DESIGN section 6), looked up by person and by line: the
// champion test, how much each approver decides the deal and whether reaching them hangs on
// one person, the facts nobody has confirmed for too long, and who has left. Nothing here
// computes a verdict or a threshold: the API does; this only indexes what it said.

import type { ApproverAssessment, ChampionAssessment, CoachingPlan, Person, SeatFacts, StaleFact } from "./types";

/** Someone who has left (or is about to): `left` once the day has come. */
export interface Departure {
  leftAt: string | null;
  left: boolean;
}

/** Today as the seller's calendar says (YYYY-MM-DD). */
export function todayIso(now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export class DealRisk {
  private readonly verdicts = new Map<string, ChampionAssessment>();
  private readonly approvers = new Map<string, ApproverAssessment>();
  private readonly stalePeople = new Map<string, StaleFact[]>();
  private readonly staleLines = new Map<string, StaleFact>();
  private readonly departures = new Map<string, Departure>();

  constructor(
    readonly plan: CoachingPlan | null,
    facts: Map<string, SeatFacts> = new Map(),
    today: string = todayIso(),
  ) {
    for (const c of plan?.champions ?? []) this.verdicts.set(c.champion.id, c);
    for (const a of plan?.approvers ?? []) this.approvers.set(a.approver.id, a);
    for (const fact of plan?.staleFacts ?? []) {
      if ((fact.kind === "INFLUENCE" || fact.kind === "CONFLICT") && fact.target) {
        this.staleLines.set(lineKey(fact.kind, fact.stakeholder.id, fact.target.id), fact);
      } else {
        const list = this.stalePeople.get(fact.stakeholder.id);
        if (list) list.push(fact);
        else this.stalePeople.set(fact.stakeholder.id, [fact]);
      }
    }
    for (const seat of facts.values()) {
      if (seat.leftAt) this.departures.set(seat.stakeholderId, { leftAt: seat.leftAt, left: seat.leftAt <= today });
    }
    // the plan's `without` (no what-if asked) is who has left by the server's calendar
    for (const gone of plan?.without ?? []) this.departures.set(gone.id, { leftAt: gone.leftAt, left: true });
  }

  /** The champion test of a CHAMPION or SUPPORTER seat. */
  verdict(id: string): ChampionAssessment | undefined {
    return this.verdicts.get(id);
  }

  approver(id: string): ApproverAssessment | undefined {
    return this.approvers.get(id);
  }

  /** Stale facts about a person: their record and their seat. */
  staleAbout(id: string): StaleFact[] {
    return this.stalePeople.get(id) ?? [];
  }

  /** The stale fact behind one line (an influence the plan relies on), if any. */
  staleLine(kind: string, source: string, target: string): StaleFact | undefined {
    return this.staleLines.get(lineKey(kind === "INFLUENCES" ? "INFLUENCE" : kind === "CONFLICTS_WITH" ? "CONFLICT" : kind, source, target));
  }

  departure(id: string): Departure | undefined {
    return this.departures.get(id);
  }

  /** The people the approver's best play hangs on (empty unless single-threaded). */
  keyPeople(approverId: string): Person[] {
    const a = this.approvers.get(approverId);
    return a?.singleThreaded ? (a.keyPeople ?? []) : [];
  }

  get staleCount(): number {
    return this.plan?.staleFacts?.length ?? 0;
  }
}

function lineKey(kind: string, source: string, target: string): string {
  return `${kind}|${source}|${target}`;
}
