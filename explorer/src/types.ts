// Shapes of the GraphQL answers the explorer asks for (DESIGN section 4).

export type ViewerRole = "viewer" | "editor" | "admin" | "unknown";

export interface Problem {
  path: string;
  message: string;
}

export interface AccountSummary {
  id: string;
  externalId: string | null;
  name: string;
  industry: string | null;
}

export interface OpportunitySummary {
  id: string;
  externalId: string | null;
  name: string;
  decisionRule: string | null;
}

/** A stakeholder or an alternative; approver/champion/opponent are the API's committee rules. */
export interface GraphNode {
  id: string;
  externalId: string | null;
  kind: "Stakeholder" | "Alternative" | string;
  label: string;
  title: string | null;
  department: string | null;
  seniority: string | null;
  role: string | null;
  stance: string | null;
  veto: boolean | null;
  voteWeight: number | null;
  isApprover: boolean;
  isChampion: boolean;
  isOpponent: boolean;
  alternativeKind: string | null;
}

export type EdgeKind = "REPORTS_TO" | "INFLUENCES" | "CONFLICTS_WITH" | "ADVOCATES_FOR";

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind | string;
  weight: number | null;
  topics: string[] | null;
  evidence: string | null;
}

export interface AccountGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface Person {
  id: string;
  name: string;
}

/** Why a play is not in the plan, as the API words it (when the server says). */
export interface PlayExclusion {
  reason: string;
  explanation: string;
}

export interface Play {
  champion: Person & { title: string | null };
  argument: {
    id: string;
    title: string;
    kind: string;
    talkTrack: string | null;
    proofPoints: string[];
  };
  approver: Person & { title: string | null };
  action: string;
  path: Person[];
  reach: number;
  fit: number;
  value: number;
  explanation: string;
  /** Present only when the server reports plan membership (see capabilities.ts). */
  inPlan?: boolean;
  exclusion?: PlayExclusion | null;
}

export interface Threat {
  opponent: Person;
  reach: number;
  path: Person[];
  alternative: { name: string; kind: string } | null;
}

export interface DevelopCandidate {
  stakeholder: Person;
  reach: number;
  path: Person[];
  reachableBy: Person[];
}

export interface ApproverAssessment {
  approver: Person & { title: string | null };
  role: string;
  stance: string;
  status: "SECURED" | "COVERED" | "WEAK" | "UNCOVERED" | string;
  approvalProbability: number;
  approvalProbabilityWithPlan: number;
  /** Present only when the server computes criticality (DESIGN section 6). */
  criticality?: number | null;
  criticalityWithPlan?: number | null;
  /** Present only when the server finds single threads (DESIGN section 6). */
  criticalityExplanation?: string | null;
  singleThreaded?: boolean;
  singleThreadExplanation?: string | null;
  keyPeople?: Person[];
  plays: Play[];
  threats: Threat[];
  developCandidates: DevelopCandidate[];
}

export type ChampionVerdict = "CHAMPION" | "COACH" | "CONFLICTED" | "ISOLATED";

/** The champion test of one CHAMPION or SUPPORTER seat: can they move the approvers who decide? */
export interface ChampionAssessment {
  champion: Person;
  influence: number;
  verdict: ChampionVerdict | string;
  explanation: string;
}

/** Someone on the plan's paths whose loss costs the deal at least 0.02. */
export interface DealDependency {
  stakeholder: Person;
  winProbabilityWithout: number;
  drop: number;
  explanation: string;
}

/** A fact the plan relies on that nobody has confirmed for longer than the tenant allows. */
export interface StaleFact {
  kind: "SEAT" | "INFLUENCE" | "CONFLICT" | "STAKEHOLDER" | string;
  stakeholder: Person;
  target: Person | null;
  verifiedAt: string;
  ageDays: number;
  warning: string;
}

/** Someone the plan treats as gone (a recorded departure, or a what-if). */
export interface Gone extends Person {
  leftAt: string | null;
}

export interface CoachingPlan {
  decisionRule: string;
  winProbability: number;
  winProbabilityWithPlan: number;
  approvers: ApproverAssessment[];
  plan: Play[];
  warnings: string[];
  /** Each present only when the server has it (capabilities.ts). */
  champions?: ChampionAssessment[];
  dealDependencies?: DealDependency[];
  staleFacts?: StaleFact[];
  without?: Gone[];
}

/** One committee seat with what the list view needs beyond the map's node. */
export interface SeatFacts {
  stakeholderId: string;
  stanceUpdatedAt: string | null;
  lastVerifiedAt: string | null;
  verifiedAt: string | null;
  leftAt: string | null;
}

export const ROLES = [
  "ECONOMIC_BUYER",
  "APPROVER",
  "DECISION_MAKER",
  "TECHNICAL_EVALUATOR",
  "USER_BUYER",
  "INFLUENCER",
  "GATEKEEPER",
  "PROCUREMENT",
  "LEGAL",
] as const;

export const STANCES = ["CHAMPION", "SUPPORTER", "NEUTRAL", "SKEPTIC", "BLOCKER", "UNKNOWN"] as const;

export const SENIORITIES = ["IC", "MANAGER", "DIRECTOR", "VP", "C_LEVEL"] as const;

export const TOPICS = [
  "FINANCIAL",
  "RISK",
  "GROWTH",
  "EFFICIENCY",
  "TECHNICAL",
  "POLITICAL",
  "PERSONAL",
] as const;
