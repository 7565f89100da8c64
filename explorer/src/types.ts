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
  isApprover: boolean | null;
  isChampion: boolean | null;
  isOpponent: boolean | null;
  alternativeKind: string | null;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: "REPORTS_TO" | "INFLUENCES" | "CONFLICTS_WITH" | "ADVOCATES_FOR" | string;
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

export interface Play {
  champion: Person;
  argument: { id: string; title: string; kind: string; talkTrack: string | null };
  approver: Person;
  action: string;
  path: Person[];
  reach: number;
  fit: number;
  value: number;
  explanation: string;
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
