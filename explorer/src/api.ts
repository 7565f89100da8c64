// The only way the explorer talks to the service: POST /graphql with the key in a Bearer header.

import type {
  AccountGraph,
  AccountSummary,
  CoachingPlan,
  OpportunitySummary,
  Problem,
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

/** A top-level GraphQL error (e.g. FORBIDDEN, INVALID_INPUT raised by a query). */
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

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const key = storedKey();
  if (!key) throw new Unauthenticated("no API key");
  const response = await fetch(new URL("../graphql", window.location.href.split("#")[0]), {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status === 401) {
    const body = (await response.json().catch(() => null)) as { errors?: GraphQLErrorBody[] } | null;
    throw new Unauthenticated(body?.errors?.[0]?.message ?? "the API key was refused");
  }
  const body = (await response.json().catch(() => null)) as
    | { data?: T | null; errors?: GraphQLErrorBody[] }
    | null;
  if (body === null) throw new ApiError(`the service answered HTTP ${response.status}`, "HTTP");
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

export async function loadOpportunities(
  account: { id: string } | { externalId: string },
): Promise<{ id: string; externalId: string | null; name: string; opportunities: OpportunitySummary[] } | null> {
  const data: {
    account: {
      id: string;
      externalId: string | null;
      name: string;
      opportunities: { edges: { node: OpportunitySummary }[] };
    } | null;
  } = await gql(
    `query Account($id: ID, $externalId: String) {
      account(id: $id, externalId: $externalId) {
        id externalId name
        opportunities(first: 100) { edges { node { id externalId name decisionRule } } }
      }
    }`,
    account,
  );
  if (!data.account) return null;
  return {
    id: data.account.id,
    externalId: data.account.externalId,
    name: data.account.name,
    opportunities: data.account.opportunities.edges.map((e) => e.node),
  };
}

export async function loadGraph(accountId: string, opportunityId: string | null): Promise<AccountGraph> {
  const data: { accountGraph: AccountGraph } = await gql(
    `query Graph($accountId: ID!, $opportunityId: ID) {
      accountGraph(accountId: $accountId, opportunityId: $opportunityId) {
        nodes {
          id externalId kind label title department seniority
          role stance veto voteWeight isApprover isChampion isOpponent alternativeKind
        }
        edges { id source target kind weight topics evidence }
      }
    }`,
    { accountId, opportunityId },
  );
  return data.accountGraph;
}

const PERSON = "id name";
const PATH = "path { id name }";

export async function loadPlan(opportunityId: string): Promise<CoachingPlan> {
  const data: { coachingPlan: CoachingPlan } = await gql(
    `query Plan($opportunityId: ID!) {
      coachingPlan(opportunityId: $opportunityId) {
        decisionRule winProbability winProbabilityWithPlan warnings
        approvers {
          approver { id name title }
          role stance status approvalProbability approvalProbabilityWithPlan
          plays {
            champion { ${PERSON} } argument { id title kind talkTrack } approver { ${PERSON} }
            action ${PATH} reach fit value explanation
          }
          threats { opponent { ${PERSON} } reach ${PATH} alternative { name kind } }
          developCandidates { stakeholder { ${PERSON} } reach ${PATH} reachableBy { ${PERSON} } }
        }
        plan {
          champion { ${PERSON} } argument { id title kind talkTrack } approver { ${PERSON} }
          action ${PATH} reach fit value explanation
        }
      }
    }`,
    { opportunityId },
  );
  return data.coachingPlan;
}

/** What this key may do: `viewer { role }` names the caller's role in its tenant. */
export async function detectRole(): Promise<ViewerRole> {
  const data: { viewer: { role: string } } = await gql(`query Viewer { viewer { role } }`);
  const role = data.viewer.role.toLowerCase();
  return role === "viewer" || role === "editor" || role === "admin" ? role : "unknown";
}

// --- writes -----------------------------------------------------------------------------

export type MutationResult =
  | { ok: true; typename: string; data: Record<string, unknown> }
  | { ok: false; message: string; code: string; problems: Problem[] };

/**
 * Runs one mutation whose result is a union of a success type and `UserError` types.
 * `argTypes` names each argument's GraphQL type, e.g. `{ input: "CreateInfluenceInput!" }`.
 * Errors raised at the top level (FORBIDDEN from an older resolver, validation) come back
 * in the same shape, so forms have one thing to show.
 */
export async function mutate(
  field: string,
  argTypes: Record<string, string>,
  variables: Record<string, unknown>,
  options: { returnsNode?: boolean } = {},
): Promise<MutationResult> {
  const declared = Object.entries(argTypes)
    .map(([name, type]) => `$${name}: ${type}`)
    .join(", ");
  const passed = Object.keys(argTypes)
    .map((name) => `${name}: $${name}`)
    .join(", ");
  const query = `mutation Edit(${declared}) {
    result: ${field}(${passed}) {
      __typename${options.returnsNode ? "\n      ... on Node { id }" : ""}
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
        problems: (result.problems as Problem[] | undefined) ?? [],
      };
    }
    return { ok: true, typename: result.__typename, data: result };
  } catch (error) {
    if (error instanceof ApiError) {
      return { ok: false, message: error.message, code: error.code, problems: error.problems };
    }
    throw error;
  }
}

export interface StakeholderDetail {
  id: string;
  externalId: string | null;
  name: string;
  title: string | null;
  department: string | null;
  seniority: string | null;
  email: string | null;
  seats: {
    opportunity: { id: string };
    role: string;
    stance: string;
    veto: boolean;
    voteWeight: number;
    stanceEvidence: string | null;
  }[];
}

export async function loadStakeholder(id: string): Promise<StakeholderDetail | null> {
  const data: { stakeholder: StakeholderDetail | null } = await gql(
    `query Stakeholder($id: ID!) {
      stakeholder(id: $id) {
        id externalId name title department seniority email
        seats { opportunity { id } role stance veto voteWeight stanceEvidence }
      }
    }`,
    { id },
  );
  return data.stakeholder;
}
