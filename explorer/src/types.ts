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
  plays: Play[];
  threats: Threat[];
  developCandidates: DevelopCandidate[];
}

export interface CoachingPlan {
  decisionRule: string;
  winProbability: number;
  winProbabilityWithPlan: number;
  approvers: ApproverAssessment[];
  plan: Play[];
  warnings: string[];
}

/** One committee seat with what the list view needs beyond the map's node. */
export interface SeatFacts {
  stakeholderId: string;
  stanceUpdatedAt: string | null;
  lastVerifiedAt: string | null;
  verifiedAt: string | null;
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
