// The only way the explorer talks to the service: POST /graphql with the key in a Bearer header.

import type { Capabilities } from "./capabilities";
import type {
  AccountGraph,
  AccountSummary,
  CoachingPlan,
  GraphEdge,
  OpportunitySummary,
  Problem,
  SeatFacts,
  ViewerRole,
} from "./types";

const KEY_STORAGE = "flagbearer.apiKey";

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY_STORAGE, key.trim());
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_STORAGE);
}

/** The key was refused (HTTP 401): the page asks for another one. */
export class Unauthenticated extends Error {}

/** A top-level GraphQL error (e.g. FORBIDDEN, or a refused variable). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; problems?: Problem[] };
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

/** The whole answer, errors included (for capability detection); 401 still throws. */
export async function gqlRaw<T = unknown>(
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
): Promise<GraphQLBody<T>> {
  const key = storedKey();
  if (!key) throw new Unauthenticated("no API key");
  const response = await fetch(new URL("../graphql", window.location.href.split("#")[0]), {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
  });
  const body = (await response.json().catch(() => null)) as GraphQLBody<T> | null;
  if (response.status === 401) {
    throw new Unauthenticated(body?.errors?.[0]?.message ?? "the API key was refused");
  }
  if (body === null) throw new ApiError(`the service answered HTTP ${response.status}`, "HTTP");
  return body;
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await gqlRaw<T>(query, variables);
  if (body.errors?.length) {
    const first = body.errors[0];
    throw new ApiError(
      first.message,
      first.extensions?.code ?? "ERROR",
      body.errors.flatMap((e) => e.extensions?.problems ?? []),
    );
  }
  return body.data as T;
}

// --- reads ------------------------------------------------------------------------------

export async function listAccounts(): Promise<AccountSummary[]> {
  const accounts: AccountSummary[] = [];
  let after: string | null = null;
  for (;;) {
    const data: {
      accounts: {
        edges: { node: AccountSummary }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await gql(
      `query Accounts($after: String) {
        accounts(first: 100, after: $after) {
          edges { node { id externalId name industry } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { after },
    );
    accounts.push(...data.accounts.edges.map((e) => e.node));
    if (!data.accounts.pageInfo.hasNextPage || !data.accounts.pageInfo.endCursor) return accounts;
    after = data.accounts.pageInfo.endCursor;
  }
}

export interface AccountWithOpportunities {
  id: string;
  externalId: string | null;
  name: string;
  industry: string | null;
  opportunities: OpportunitySummary[];
}

export async function loadOpportunities(
  account: { id: string } | { externalId: string },
): Promise<AccountWithOpportunities | null> {
  const data: {
    account: {
      id: string;
      externalId: string | null;
      name: string;
      industry: string | null;
      opportunities: { edges: { node: OpportunitySummary }[] };
    } | null;
  } = await gql(
    `query Account($id: ID, $externalId: String) {
      account(id: $id, externalId: $externalId) {
        id externalId name industry
        opportunities(first: 100) { edges { node { id externalId name decisionRule } } }
      }
    }`,
    account,
  );
  if (!data.account) return null;
  return { ...data.account, opportunities: data.account.opportunities.edges.map((e) => e.node) };
}

/**
 * The account's map. Edges come without topics and evidence: a 1,000-person account has
 * some 11,000 of them and those fields are read only for the few a seller looks at
 * (`loadEdgeDetails`), so the first view arrives sooner. An edge is known by its kind and
 * ends (the store keeps one relationship of a kind between two people).
 */
export async function loadGraph(accountId: string, opportunityId: string | null): Promise<AccountGraph> {
  const data: {
    accountGraph: { nodes: AccountGraph["nodes"]; edges: Omit<GraphEdge, "id" | "topics" | "evidence">[] };
  } = await gql(
    `query Graph($accountId: ID!, $opportunityId: ID) {
      accountGraph(accountId: $accountId, opportunityId: $opportunityId) {
        nodes {
          id externalId kind label title department seniority
          role stance veto voteWeight isApprover isChampion isOpponent alternativeKind
        }
        edges { source target kind weight }
      }
    }`,
    { accountId, opportunityId },
  );
  return {
    nodes: data.accountGraph.nodes,
    edges: data.accountGraph.edges.map((e) => ({ ...e, id: edgeKey(e.kind, e.source, e.target), topics: null, evidence: null })),
  };
}

export function edgeKey(kind: string, source: string, target: string): string {
  return `${kind}|${source}|${target}`;
}

export interface EdgeDetails {
  topics: string[];
  evidence: string | null;
}

/** Topics and evidence of every influence, conflict and advocacy leaving one person, by edge key. */
export async function loadEdgeDetails(personId: string): Promise<Map<string, EdgeDetails>> {
  const data: {
    stakeholder: {
      influences: { to: { id: string }; topics: string[]; evidence: string | null }[];
      conflicts: { to: { id: string }; evidence: string | null }[];
      advocacy: { alternative: { id: string }; evidence: string | null }[];
    } | null;
  } = await gql(
    `query EdgeDetails($id: ID!) {
      stakeholder(id: $id) {
        influences { to { id } topics evidence }
        conflicts { to { id } evidence }
        advocacy { alternative { id } evidence }
      }
    }`,
    { id: personId },
  );
  const out = new Map<string, EdgeDetails>();
  const person = data.stakeholder;
  if (!person) return out;
  for (const i of person.influences) out.set(edgeKey("INFLUENCES", personId, i.to.id), { topics: i.topics, evidence: i.evidence });
  for (const c of person.conflicts) out.set(edgeKey("CONFLICTS_WITH", personId, c.to.id), { topics: [], evidence: c.evidence });
  for (const a of person.advocacy) out.set(edgeKey("ADVOCATES_FOR", personId, a.alternative.id), { topics: [], evidence: a.evidence });
  return out;
}

const PERSON = "id name";

function playFields(caps: Capabilities): string {
  return `champion { id name title } argument { id title kind talkTrack proofPoints }
    approver { id name title } action path { ${PERSON} } reach fit value explanation
    ${caps.planExclusion ? "inPlan exclusion { reason explanation }" : ""}`;
}

/**
 * The coaching plan. Deal risk (criticality, single threads, the champion test, dependencies,
 * stale facts, who is gone) is asked for only where the server has it.
 */
export async function loadPlan(opportunityId: string, caps: Capabilities): Promise<CoachingPlan> {
  const play = playFields(caps);
  const data: { coachingPlan: CoachingPlan } = await gql(
    `query Plan($opportunityId: ID!) {
      coachingPlan(opportunityId: $opportunityId) {
        decisionRule winProbability winProbabilityWithPlan warnings
        approvers {
          approver { id name title }
          role stance status approvalProbability approvalProbabilityWithPlan
          ${caps.criticality ? "criticality criticalityWithPlan" : ""}
          ${caps.singleThread ? `criticalityExplanation singleThreaded singleThreadExplanation keyPeople { ${PERSON} }` : ""}
          plays { ${play} }
          threats { opponent { ${PERSON} } reach path { ${PERSON} } alternative { name kind } }
          developCandidates {
            stakeholder { ${PERSON} } reach path { ${PERSON} } reachableBy { ${PERSON} }
          }
        }
        plan { ${play} }
        ${caps.championTest ? `champions { champion { ${PERSON} } influence verdict explanation }` : ""}
        ${caps.dealDependencies ? `dealDependencies { stakeholder { ${PERSON} } winProbabilityWithout drop explanation }` : ""}
        ${caps.freshness ? `staleFacts { kind stakeholder { ${PERSON} } target { ${PERSON} } verifiedAt ageDays warning }` : ""}
        ${caps.whatIf ? `without { ${PERSON} ${caps.departures ? "leftAt" : ""} }` : ""}
      }
    }`,
    { opportunityId },
  );
  const plan = data.coachingPlan;
  if (plan.without) plan.without = plan.without.map((p) => ({ ...p, leftAt: p.leftAt ?? null }));
  return plan;
}

/** What a what-if needs to say what changes: win probability, each approver's coverage, warnings. */
export interface WhatIfPlan {
  winProbability: number;
  winProbabilityWithPlan: number;
  warnings: string[];
  approvers: { approver: { id: string; name: string }; status: string }[];
  plan: { champion: { id: string } }[];
  without: { id: string }[];
}

/** The plan as if `without` had left (CoachingOptions.without), asked for only what a what-if shows. */
export async function loadWhatIf(opportunityId: string, without: string[]): Promise<WhatIfPlan> {
  const data: { coachingPlan: WhatIfPlan } = await gql(
    `query WhatIf($opportunityId: ID!, $options: CoachingOptions) {
      coachingPlan(opportunityId: $opportunityId, options: $options) {
        winProbability winProbabilityWithPlan warnings
        approvers { approver { ${PERSON} } status }
        plan { champion { id } }
        without { id }
      }
    }`,
    { opportunityId, options: { without } },
  );
  return data.coachingPlan;
}

/** Freshness of each seat: the stance's date, the person's and the seat's checks, and departures. */
export async function loadCommittee(opportunityId: string, caps: Capabilities): Promise<SeatFacts[]> {
  const data: {
    opportunity: {
      committee: {
        stanceUpdatedAt: string | null;
        verifiedAt?: string | null;
        stakeholder: { id: string; lastVerifiedAt: string | null; leftAt?: string | null };
      }[];
    } | null;
  } = await gql(
    `query Committee($id: ID!) {
      opportunity(id: $id) {
        committee {
          stanceUpdatedAt ${caps.seatVerifiedAt ? "verifiedAt" : ""}
          stakeholder { id lastVerifiedAt ${caps.departures ? "leftAt" : ""} }
        }
      }
    }`,
    { id: opportunityId },
  );
  return (data.opportunity?.committee ?? []).map((seat) => ({
    stakeholderId: seat.stakeholder.id,
    stanceUpdatedAt: seat.stanceUpdatedAt,
    lastVerifiedAt: seat.stakeholder.lastVerifiedAt,
    verifiedAt: seat.verifiedAt ?? null,
    leftAt: seat.stakeholder.leftAt ?? null,
  }));
}

/** What this key may do: `viewer { role }` names the caller's role in its tenant. */
export async function detectRole(): Promise<ViewerRole> {
  const data: { viewer: { role: string } } = await gql(`query Viewer { viewer { role } }`);
  const role = data.viewer.role.toLowerCase();
  return role === "viewer" || role === "editor" || role === "admin" ? role : "unknown";
}

export interface StakeholderDetail {
  id: string;
  externalId: string | null;
  name: string;
  title: string | null;
  department: string | null;
  seniority: string | null;
  email: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Present only when the server records them (capabilities.ts). */
  lastVerifiedAt?: string | null;
  leftAt?: string | null;
  seats: {
    opportunity: { id: string };
    role: string;
    stance: string;
    veto: boolean;
    voteWeight: number;
    stanceEvidence: string | null;
    updatedAt?: string | null;
    verifiedAt?: string | null;
  }[];
}

export async function loadStakeholder(id: string, caps: Capabilities): Promise<StakeholderDetail | null> {
  const data: { stakeholder: StakeholderDetail | null } = await gql(
    `query Stakeholder($id: ID!) {
      stakeholder(id: $id) {
        id externalId name title department seniority email updatedAt updatedBy
        ${caps.freshness ? "lastVerifiedAt" : ""} ${caps.departures ? "leftAt" : ""}
        seats {
          opportunity { id } role stance veto voteWeight stanceEvidence
          ${caps.concurrency.seat ? "updatedAt" : ""} ${caps.seatVerifiedAt ? "verifiedAt" : ""}
        }
      }
    }`,
    { id },
  );
  return data.stakeholder;
}

export interface EdgeRecord {
  strength: number;
  topics: string[];
  evidence: string | null;
  updatedAt: string | null;
  verifiedAt: string | null;
}

/** The influence or conflict from → to as stored now, or null when it is gone. */
export async function loadEdge(
  kind: "INFLUENCES" | "CONFLICTS_WITH",
  fromId: string,
  toId: string,
  caps: Capabilities,
): Promise<EdgeRecord | null> {
  const influence = kind === "INFLUENCES";
  const stamp = [(influence ? caps.concurrency.influence : caps.concurrency.conflict) ? "updatedAt" : "", caps.freshness ? "verifiedAt" : ""].join(" ");
  const field = influence ? `influences { to { id } strength topics evidence ${stamp} }` : `conflicts { to { id } strength evidence ${stamp} }`;
  const data: {
    stakeholder: Record<string, { to: { id: string }; strength: number; topics?: string[]; evidence: string | null; updatedAt?: string | null; verifiedAt?: string | null }[]> | null;
  } = await gql(`query Edge($id: ID!) { stakeholder(id: $id) { ${field} } }`, { id: fromId });
  const rows = data.stakeholder?.[influence ? "influences" : "conflicts"] ?? [];
  const row = rows.find((r) => r.to.id === toId);
  if (!row) return null;
  return { strength: row.strength, topics: row.topics ?? [], evidence: row.evidence, updatedAt: row.updatedAt ?? null, verifiedAt: row.verifiedAt ?? null };
}

// --- writes -----------------------------------------------------------------------------

export type MutationResult =
  | { ok: true; typename: string; data: Record<string, unknown> }
  | { ok: false; message: string; code: string; typename: string; problems: Problem[] };

/**
 * Runs one mutation whose result is a union of a success type and `UserError` types.
 * `argTypes` names each argument's GraphQL type, e.g. `{ input: "CreateInfluenceInput!" }`.
 * Errors raised at the top level (FORBIDDEN, a refused variable) come back in the same
 * shape, so forms have one thing to show.
 */
export async function mutate(
  field: string,
  argTypes: Record<string, string>,
  variables: Record<string, unknown>,
  options: { returnsNode?: boolean; success?: string } = {},
): Promise<MutationResult> {
  const declared = Object.entries(argTypes)
    .map(([name, type]) => `$${name}: ${type}`)
    .join(", ");
  const passed = Object.keys(argTypes)
    .map((name) => `${name}: $${name}`)
    .join(", ");
  const query = `mutation Edit(${declared}) {
    result: ${field}(${passed}) {
      __typename${options.returnsNode ? "\n      ... on Node { id }" : ""}${options.success ? `\n      ${options.success}` : ""}
      ... on UserError { message code }
      ... on InvalidInputError { problems { path message } }
    }
  }`;
  try {
    const data: { result: Record<string, unknown> & { __typename: string } } = await gql(query, variables);
    const result = data.result;
    if (typeof result.code === "string") {
      return {
        ok: false,
        message: String(result.message ?? result.code),
        code: result.code,
        typename: result.__typename,
        problems: (result.problems as Problem[] | undefined) ?? [],
      };
    }
    return { ok: true, typename: result.__typename, data: result };
  } catch (error) {
    if (error instanceof ApiError) {
      return { ok: false, message: error.message, code: error.code, typename: "Error", problems: error.problems };
    }
    throw error;
  }
}

// --- verification -------------------------------------------------------------------------

/** The facts one call confirmed, and the day it recorded. */
const VERIFIED = "... on VerifiedFacts { on stakeholders seats influences conflicts }";

export interface VerifyTarget {
  stakeholderIds?: string[];
  seats?: { stakeholderId: string; opportunityId: string }[];
  influences?: { fromId: string; toId: string }[];
  conflicts?: { fromId: string; toId: string }[];
}

/** Marks records verified today (one transaction). */
export function markVerified(input: VerifyTarget): Promise<MutationResult> {
  return mutate("markVerified", { input: "MarkVerifiedInput!" }, { input }, { success: VERIFIED });
}

/** Marks a whole committee verified today: its seats, the people on them and the lines among them. */
export function markCommitteeVerified(opportunityId: string): Promise<MutationResult> {
  return mutate("markCommitteeVerified", { opportunityId: "ID!" }, { opportunityId }, { success: VERIFIED });
}
