// What the server's schema offers beyond what the explorer needs to work at all.
//
// Newer servers add fields (criticality, why a play is not in the plan, optimistic concurrency,
// the champion test, single threads, what-ifs, freshness); the explorer asks for them only when
// the schema has them, so it keeps working against older servers. It reads the schema by
// introspection; where a production server turns that off, one document uses every optional
// field under `@skip(if: true)`, so nothing is executed, and the server's validation errors
// name exactly the fields (and arguments) it does not know.

import { gqlRaw } from "./api";

/** The concurrency field each update input (and argument each delete) may carry: the updatedAt the form loaded. */
export const EXPECTED_UPDATED_AT = "expectedUpdatedAt";

/** The records the explorer edits. */
export type EditedRecord = "stakeholder" | "seat" | "influence" | "conflict";

export interface Capabilities {
  /** ApproverAssessment.criticality / criticalityWithPlan (Float). */
  criticality: boolean;
  /** Play.inPlan (Boolean!) and Play.exclusion { reason explanation } (PlayExclusion). */
  planExclusion: boolean;
  /** CoachingPlan.champions: the champion test (verdict, influence, explanation). */
  championTest: boolean;
  /** ApproverAssessment.criticalityExplanation, singleThreaded, singleThreadExplanation, keyPeople. */
  singleThread: boolean;
  /** CoachingPlan.dealDependencies: who the deal depends on, and what losing them costs. */
  dealDependencies: boolean;
  /** CoachingOptions.without and CoachingPlan.without: the plan as if some people had left. */
  whatIf: boolean;
  /** CoachingPlan.staleFacts, and verifiedAt on seats, influences and conflicts. */
  freshness: boolean;
  /** Stakeholder.leftAt (and the plan treats departed people as gone). */
  departures: boolean;
  /** markVerified and markCommitteeVerified: mark facts verified today. */
  markVerified: boolean;
  /** Seat.verifiedAt (Date). */
  seatVerifiedAt: boolean;
  /** Which records can be updated with `expectedUpdatedAt` (and expose `updatedAt` to send). */
  concurrency: Record<EditedRecord, boolean>;
  /** Which records' deletes take `expectedUpdatedAt`. */
  guardedDeletes: Record<EditedRecord, boolean>;
}

const NONE: Record<EditedRecord, boolean> = { stakeholder: false, seat: false, influence: false, conflict: false };

export const NO_CAPABILITIES: Capabilities = {
  criticality: false,
  planExclusion: false,
  championTest: false,
  singleThread: false,
  dealDependencies: false,
  whatIf: false,
  freshness: false,
  departures: false,
  markVerified: false,
  seatVerifiedAt: false,
  concurrency: { ...NONE },
  guardedDeletes: { ...NONE },
};

/** The names of the capabilities a server has, for `body[data-capabilities]` (tests read it). */
export function capabilityNames(caps: Capabilities): string[] {
  const names: string[] = [];
  for (const [name, on] of Object.entries(caps)) {
    if (on === true) names.push(name);
    else if (typeof on === "object") {
      for (const [record, guarded] of Object.entries(on as Record<string, boolean>)) {
        if (guarded) names.push(name === "concurrency" ? record : `delete-${record}`);
      }
    }
  }
  return names;
}

const STAMP = '"2000-01-01T00:00:00+00:00"';

const PROBE = `
query ProbeReads {
  coachingPlan(opportunityId: "probe", options: {without: []}) @skip(if: true) {
    approvers {
      criticality criticalityWithPlan criticalityExplanation
      singleThreaded singleThreadExplanation keyPeople { id }
      plays { inPlan exclusion { reason explanation } }
    }
    champions { champion { id } influence verdict explanation }
    dealDependencies { stakeholder { id } winProbabilityWithout drop explanation }
    staleFacts { kind stakeholder { id } target { id } verifiedAt ageDays warning }
    without { id }
  }
  opportunity(id: "probe") @skip(if: true) { committee { verifiedAt updatedAt } }
  stakeholder(id: "probe") @skip(if: true) {
    updatedAt leftAt lastVerifiedAt
    influences { updatedAt verifiedAt } conflicts { updatedAt verifiedAt }
  }
}
mutation ProbeWrites {
  stakeholder: updateStakeholder(id: "probe", input: {${EXPECTED_UPDATED_AT}: ${STAMP}}) @skip(if: true) { __typename }
  seat: updateSeat(input: {stakeholderId: "probe", opportunityId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}}) @skip(if: true) { __typename }
  influence: updateInfluence(input: {fromId: "probe", toId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}}) @skip(if: true) { __typename }
  conflict: updateConflict(input: {fromId: "probe", toId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}}) @skip(if: true) { __typename }
  deleteStakeholder(id: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}) @skip(if: true) { __typename }
  deleteSeat(stakeholderId: "probe", opportunityId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}) @skip(if: true) { __typename }
  deleteInfluence(fromId: "probe", toId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}) @skip(if: true) { __typename }
  deleteConflict(fromId: "probe", toId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}) @skip(if: true) { __typename }
  markVerified(input: {stakeholderIds: []}) @skip(if: true) { __typename }
  markCommitteeVerified(opportunityId: "probe") @skip(if: true) { __typename }
}`;

/** True when no validation error names `field` together with `type` (a type, or `Type.field` for an argument). */
function known(errors: string[], type: string, field: string): boolean {
  return !errors.some((m) => m.includes(`'${field}'`) && m.includes(`'${type}'`));
}

const TYPES = [
  "ApproverAssessment", "Play", "PlayExclusion", "Seat", "Stakeholder", "Influence", "Conflict",
  "UpdateStakeholderInput", "UpdateSeatInput", "UpdateInfluenceInput", "UpdateConflictInput",
  "CoachingPlan", "CoachingOptions", "ChampionAssessment", "DealDependency", "StaleFact",
];

const INTROSPECT = `query Capabilities {
  ${TYPES.map((t) => `${t}: __type(name: "${t}") { fields { name } inputFields { name } }`).join("\n  ")}
  Mutation: __type(name: "Mutation") { fields { name args { name } } }
}`;

/** Whether `type` has every one of `fields`; `Mutation.field` names a mutation's arguments. */
type Has = (type: string, ...fields: string[]) => boolean;

interface IntrospectedType {
  fields: { name: string; args?: { name: string }[] }[] | null;
  inputFields: { name: string }[] | null;
}

/** From introspection: null when the server refuses it. */
async function byIntrospection(): Promise<Has | null> {
  const body = await gqlRaw<Record<string, IntrospectedType | null>>(INTROSPECT);
  if (body.errors?.length || !body.data) return null;
  const names = new Map<string, Set<string>>();
  for (const [type, found] of Object.entries(body.data)) {
    names.set(type, new Set([...(found?.fields ?? []), ...(found?.inputFields ?? [])].map((f) => f.name)));
    for (const field of found?.fields ?? []) {
      if (field.args) names.set(`${type}.${field.name}`, new Set(field.args.map((a) => a.name)));
    }
  }
  return (type, ...fields) => fields.every((f) => names.get(type)?.has(f) ?? false);
}

/** From the validation errors of a skipped document (no introspection needed). */
async function byProbe(): Promise<Has | null> {
  const body = await gqlRaw(PROBE, {}, "ProbeReads");
  // "Did you mean 'x'?" names fields the server does have: only the part before it counts
  const errors = (body.errors ?? []).map((e) => e.message.split(" Did you mean")[0]);
  if (errors.some((m) => !m.includes("'"))) return null; // not a field error: be safe
  return (type, ...fields) => fields.every((field) => known(errors, type, field));
}

export async function detectCapabilities(): Promise<Capabilities> {
  let has: Has | null;
  try {
    has = (await byIntrospection()) ?? (await byProbe());
  } catch {
    return NO_CAPABILITIES;
  }
  if (!has) return NO_CAPABILITIES;
  const check = has;
  const writable = (input: string, record: string): boolean =>
    check(input, EXPECTED_UPDATED_AT) && check(record, "updatedAt");
  const deletable = (mutation: string): boolean => check("Mutation", mutation) && check(`Mutation.${mutation}`, EXPECTED_UPDATED_AT);
  return {
    criticality: has("ApproverAssessment", "criticality", "criticalityWithPlan"),
    planExclusion: has("Play", "inPlan", "exclusion") && has("PlayExclusion", "reason", "explanation"),
    championTest: has("CoachingPlan", "champions") && has("ChampionAssessment", "champion", "influence", "verdict", "explanation"),
    singleThread: has("ApproverAssessment", "criticalityExplanation", "singleThreaded", "singleThreadExplanation", "keyPeople"),
    dealDependencies: has("CoachingPlan", "dealDependencies") && has("DealDependency", "stakeholder", "winProbabilityWithout", "drop", "explanation"),
    whatIf: has("CoachingOptions", "without") && has("CoachingPlan", "without"),
    freshness:
      has("CoachingPlan", "staleFacts") &&
      has("StaleFact", "kind", "stakeholder", "target", "verifiedAt", "ageDays", "warning") &&
      has("Seat", "verifiedAt") && has("Influence", "verifiedAt") && has("Conflict", "verifiedAt") &&
      has("Stakeholder", "lastVerifiedAt"),
    departures: has("Stakeholder", "leftAt") && has("UpdateStakeholderInput", "leftAt"),
    markVerified: has("Mutation", "markVerified", "markCommitteeVerified"),
    seatVerifiedAt: has("Seat", "verifiedAt"),
    concurrency: {
      stakeholder: writable("UpdateStakeholderInput", "Stakeholder"),
      seat: writable("UpdateSeatInput", "Seat"),
      influence: writable("UpdateInfluenceInput", "Influence"),
      conflict: writable("UpdateConflictInput", "Conflict"),
    },
    guardedDeletes: {
      stakeholder: deletable("deleteStakeholder"),
      seat: deletable("deleteSeat"),
      influence: deletable("deleteInfluence"),
      conflict: deletable("deleteConflict"),
    },
  };
}
